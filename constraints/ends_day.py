"""Last lesson of the day: each of a row's lessons is its students' last of the day
(Rules sheet, ``ends_students_day``): none of them has a lesson later that day.

The lessons' students are those requesting their courses; the workbook admits the row
only when every course of those students has one group (``sections`` 1), so their
lessons are known while the lessons are timetabled, and students of the same groups
share the constraints. Tutor time does not count. Hard, or soft at ``weight`` per
student kind and lesson followed by another. FET's ActivityEndsStudentsDay and
ActivitiesEndStudentsDay.

The checker's twin is ``ends_students_day`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from ortools.sat.python import cp_model

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import lesson_sets, rules_of, student_kinds


class EndsDay(Rule):
    def __init__(self) -> None:
        super().__init__(name="ends_students_day", title="lessons that end the students' day")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        school = tm.school
        cal = school.calendar
        terms: list[Term] = []
        # Per student kind (its groups): slot -> a flag set when any of its lessons ends
        # at that slot or later that day (the rule's lesson itself included: when it is
        # at one run, its other runs are not taken).
        later_of: dict[frozenset[str], dict[int, cp_model.IntVar]] = {}

        def later(gids: list[str]) -> dict[int, cp_model.IntVar]:
            key = frozenset(gids)
            if key in later_of:
                return later_of[key]
            ends: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for gid in gids:
                for options in tm.place[gid]:
                    for run, v in options.items():
                        ends[run[-1]].append(v)
            out: dict[int, cp_model.IntVar] = {}
            for day in cal.days:
                slots = cal.day_slots[day]
                after: cp_model.IntVar | None = None
                for i in range(len(slots) - 1, -1, -1):
                    flag = m.new_bool_var(f"ends_later[{len(later_of)},{slots[i]}]")
                    if after is not None:
                        m.add_implication(after, flag)
                    out[slots[i]] = flag
                    if i:
                        for v in ends.get(slots[i], []):
                            m.add_implication(v, flag)
                    after = flag
            later_of[key] = out
            return out

        for rule in rules_of(tm, "ends_students_day"):
            for lessons in lesson_sets(tm, rule):
                for gid, li in lessons:
                    course = tm.group_by_id[gid].course
                    who = tuple(r.student for r in school.requests if r.course == course)
                    if not who:
                        continue
                    kinds = student_kinds(tm, replace(rule, students=who))
                    for k, (_student, gids) in enumerate(kinds):
                        if gid not in gids:
                            continue
                        flags = later(gids)
                        broken = None
                        if not rule.hard:
                            broken = m.new_bool_var(f"ends_day[{rule.row},{gid},{li},{k}]")
                            terms.append(
                                Term("rule_ends_students_day", broken, rule.weight or 1, rule.row)
                            )
                        for run, v in tm.place[gid][li].items():
                            nxt = run[-1] + 1
                            if nxt not in flags or cal.slots[nxt].day != cal.slots[run[-1]].day:
                                continue
                            when = [v] if broken is None else [v, ~broken]
                            m.add(flags[nxt] == 0).only_enforce_if(when)
        return terms
