"""Lessons: every lesson of a group on one run of consecutive slots of one day.

A group that cannot be given times at all (its staff, rooms or students are never free
together) is left unplaced rather than making the whole timetable fail; that costs
heavily (term ``unplaced_groups``) and its students' requests get a reason.

Rule 4 of the workbook contract: a group's lessons fall on different days unless the
course has more lessons than the cycle has days (then at most ceil(lessons/days) a day).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from constraints.base import Rule, Term, TimetableModel


class Lessons(Rule):
    def __init__(self) -> None:
        super().__init__(name="lessons", title="lessons on consecutive periods of one day")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        cal = tm.school.calendar
        day_of = {s.index: s.day for s in cal.slots}
        for g in tm.groups:
            options = tm.place[g.id]
            if g.required:
                # A fixed sections count is exact (rule 12): its groups always run.
                m.add(tm.placed[g.id] == 1)
            for per_lesson in options:
                m.add(sum(per_lesson.values()) == tm.placed[g.id])
            per_day = cal.lessons_a_day(len(options))
            on_day: dict[str, list] = defaultdict(list)
            for per_lesson in options:
                for run, v in per_lesson.items():
                    on_day[day_of[run[0]]].append(v)
            for vs in on_day.values():
                if len(vs) > per_day:
                    m.add(sum(vs) <= per_day)
            # Lessons of one group never overlap each other.
            for t in tm.slots_of(g.id):
                vs = tm.occupies(g.id, t)
                if len(vs) > 1:
                    m.add_at_most_one(vs)
            # Symmetry: identical lessons of one group are taken in start order.
            by_len: dict[int, list[int]] = defaultdict(list)
            for li, lesson in enumerate(g.lessons):
                by_len[lesson.length].append(li)
            for same in by_len.values():
                for a, b in pairwise(same):
                    start_a = sum(run[0] * v for run, v in options[a].items())
                    start_b = sum(run[0] * v for run, v in options[b].items())
                    m.add(start_a < start_b).only_enforce_if(tm.placed[g.id])
        unplaced = sum((10**g.priority) * (1 - tm.placed[g.id]) for g in tm.groups)
        return [Term("unplaced_groups", unplaced, 100_000)]
