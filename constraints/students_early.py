"""Students' early start: no free first period (Rules sheet, ``students_early_start``);
blank ``students``: every student.

On every day a student has lessons, their first lesson is at the day's first free
period (not ``unavailable``, and not one of the row's ``slots``: breaks, say), or at the
second free period on at most ``value`` days of the cycle; never later. As for the other
students' rules, the workbook admits the row only for students whose every course has
one group, so it is a timetable-phase rule, and students of the same groups share its
constraints. Tutor time does not count as a lesson. Hard, or soft at ``weight`` per day
starting at the second period over ``value``, and per day starting later still. FET's
Students(Set)EarlyMaxBeginningsAtSecondHour (FET's generator never starts such a
day later than its second hour).

The checker's twin is ``students_early`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import at_most, busy, rules_of, student_kinds


class StudentsEarly(Rule):
    def __init__(self) -> None:
        super().__init__(name="students_early", title="students start their day early")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        cal = tm.school.calendar
        terms: list[Term] = []
        for rule in rules_of(tm, "students_early_start"):
            most = rule.value or 0
            for student, gids in student_kinds(tm, rule):
                if not gids:
                    continue
                away = student.unavailable | rule.slots
                name = f"{rule.row},{student.id}"
                seconds: list[cp_model.IntVar] = []
                for day in cal.days:
                    free = [t for t in cal.day_slots[day] if t not in away]
                    if len(free) < 2:
                        continue
                    first, second = busy(tm, gids, free[0]), busy(tm, gids, free[1])
                    later = [v for t in free[2:] for v in busy(tm, gids, t)]
                    if second:
                        # A lesson second, none first: a day starting at the second period.
                        late = m.new_bool_var(f"early_second[{name},{day}]")
                        for v in second:
                            m.add(late >= v - sum(first))
                        seconds.append(late)
                    if not later:
                        continue
                    # A lesson after the second period needs one at the first or second.
                    start = sum(first) + sum(second)
                    if rule.hard:
                        for v in later:
                            m.add(v <= start)
                        continue
                    too_late = m.new_bool_var(f"early_later[{name},{day}]")
                    for v in later:
                        m.add(too_late >= v - start)
                    terms.append(
                        Term("rule_students_early_start", too_late, rule.weight or 1, rule.row)
                    )
                if len(seconds) <= most:
                    continue
                terms += at_most(m, rule, seconds, most, f"early_over[{name}]", who=student.id)
        return terms
