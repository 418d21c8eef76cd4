"""The hard limits on a day that a greedy placement keeps as it grows (Rules sheet):
``staff_max_periods_day``, ``staff_max_days``, ``students_max_periods_day`` and
``min_days_apart``.

Each only gets tighter as lessons are added, so a placement that keeps them lesson by
lesson keeps them whole. The greedy lesson placement (:mod:`scheduler.solver.lesson_greedy`)
asks :meth:`DayLimits.allows` before it takes a run and tells :meth:`DayLimits.count`
what it puts in and takes out. Without them, its placements of FET files broke these
rows, so the timetable model refused them and CP-SAT had to start from nothing
(BENCHMARKS.md, thirty-first session). The rule families themselves are
``constraints/staff_day_load.py``, ``constraints/staff_days.py``,
``constraints/student_day_load.py`` and ``constraints/min_days.py``; what counts is what
they count (the periods of lessons; a lesson's day is its first slot's).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import permutations

from constraints.base import TimetableModel
from constraints.time_rules import Lesson, lesson_sets, rules_of

Run = tuple[int, ...]


class DayLimits:
    """Per member of staff and per student, what their day (and week) may still take."""

    def __init__(self, tm: TimetableModel) -> None:
        school = tm.school
        slots = school.calendar.slots
        self.day_of = [s.day for s in slots]
        self.position = [s.day_index for s in slots]
        self.staff_day: dict[str, int] = {}  # most periods a day
        self.staff_days: dict[str, int] = {}  # most days a week
        self.student_day: dict[str, int] = {}
        for rule in rules_of(
            tm, "staff_max_periods_day", "staff_max_days", "students_max_periods_day"
        ):
            if not rule.hard or rule.value is None:
                continue
            if rule.kind == "students_max_periods_day":
                who, limit = school.rule_students(rule), self.student_day
            else:
                who = school.rule_staff(rule)
                limit = self.staff_day if rule.kind == "staff_max_periods_day" else self.staff_days
            for x in who:
                limit[x] = min(limit.get(x, rule.value), rule.value)
        # Lessons a hard min_days_apart row keeps apart: lesson -> [(other, days)]. A
        # group's lessons of one length are told apart only by their start order (the
        # k-th of them to start is lesson k), which is known only once all are chosen:
        # so a run of one of them keeps the rows of them all.
        apart: dict[Lesson, list[tuple[Lesson, int]]] = defaultdict(list)
        for rule in rules_of(tm, "min_days_apart"):
            if rule.hard and rule.value:
                for lessons in lesson_sets(tm, rule):
                    for a, b in permutations(lessons, 2):
                        apart[a].append((b, rule.value))
        self.apart: dict[Lesson, list[tuple[Lesson, int]]] = {}
        self.alike: dict[Lesson, list[int]] = {}  # lesson -> its group's of its length
        for gid, li in {x for a, bs in apart.items() for x in (a, *(b for b, _ in bs))}:
            lengths = [lesson.length for lesson in tm.group_by_id[gid].lessons]
            alike = [k for k, n in enumerate(lengths) if n == lengths[li]]
            rows = [x for k in alike for x in apart.get((gid, k), ())]
            for k in alike:
                self.alike[(gid, k)] = alike
                if rows:
                    self.apart[(gid, k)] = rows
        self.staff_periods: dict[tuple[str, str], int] = defaultdict(int)  # (staff, day)
        self.student_periods: dict[tuple[str, str], int] = defaultdict(int)  # (student, day)
        self.staff_on: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def __bool__(self) -> bool:
        return bool(self.staff_day or self.staff_days or self.student_day or self.apart)

    def allows(
        self,
        gid: str,
        li: int,
        run: Run,
        staff: tuple[str, ...],
        students: Sequence[str],
        chosen: dict[int, tuple[Run, str | None]],
        placed_run: dict[Lesson, Run],
    ) -> bool:
        """Whether the group's lesson ``li`` may take ``run``, with its lessons ``chosen``
        so far (lesson index -> run, room) and everything placed (``placed_run``)."""
        day = self.day_of[run[0]]
        mine = len(run) + sum(len(r) for r, _ in chosen.values() if self.day_of[r[0]] == day)
        for p in staff:
            most = self.staff_day.get(p)
            if most is not None and self.staff_periods[(p, day)] + mine > most:
                return False
            most = self.staff_days.get(p)
            if most is not None:
                days = {d for d, n in self.staff_on[p].items() if n}
                days.update(self.day_of[r[0]] for r, _ in chosen.values())
                days.add(day)
                if len(days) > most:
                    return False
        for s in students:
            most = self.student_day.get(s)
            if most is not None and self.student_periods[(s, day)] + mine > most:
                return False
        here = self.position[run[0]]
        for other, days_apart in self.apart.get((gid, li), ()):
            if other[0] == gid:  # chosen in this call: any of its length may be it
                others = [chosen[k][0] for k in self.alike[other] if k in chosen]
            else:
                found = placed_run.get(other)
                others = [found] if found is not None else []
            if any(abs(self.position[r[0]] - here) < days_apart for r in others):
                return False
        return True

    def count(
        self, runs: list[Run], staff: tuple[str, ...], students: Sequence[str], step: int
    ) -> None:
        """Add (``step`` 1) or take out (-1) a group's lessons."""
        for run in runs:
            day = self.day_of[run[0]]
            for p in staff:
                if p in self.staff_day or p in self.staff_days:
                    self.staff_periods[(p, day)] += step * len(run)
                    self.staff_on[p][day] += step
            for s in students:
                if s in self.student_day:
                    self.student_periods[(s, day)] += step * len(run)
