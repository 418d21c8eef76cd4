"""Students' periods a day: on any day a student has lessons, at least N periods of them
(Rules sheet, ``students_min_periods_day``), or on every day of the cycle
(``students_min_periods_every_day``: no day without lessons, except a day the student is
unavailable all day); or at most N periods on any day (``students_max_periods_day``);
blank ``students``: every student.

As for students' gaps (:mod:`constraints.student_gaps`), the workbook admits the rule
only for students whose every course has one group (``sections`` 1), so it is kept in
the timetable phase, once for students of the same courses and unavailability. Hard, or
soft at ``weight`` per period short or over. FET's Students(Set)MinHoursDaily (empty days
allowed or not) and Students(Set)MaxHoursDaily.

The checker's twin is ``student_periods_day`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import at_least_if_any, at_most, busy, rules_of, student_kinds
from scheduler.model import STUDENT_PERIODS_DAY_KINDS


class StudentDayLoad(Rule):
    def __init__(self) -> None:
        super().__init__(name="student_periods_day", title="students' periods a day")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        cal = tm.school.calendar
        terms: list[Term] = []
        for rule in rules_of(tm, *STUDENT_PERIODS_DAY_KINDS):
            n = rule.value or 0
            for student, gids in student_kinds(tm, rule):
                sid = student.id
                for day in cal.days:
                    slots = cal.day_slots[day]
                    vs = [v for t in slots for v in busy(tm, gids, t)]
                    if rule.kind == "students_max_periods_day":
                        if len(vs) <= n:
                            continue
                        name = f"{rule.row},{sid},{day}"
                        terms += at_most(m, rule, vs, n, f"student_day_over[{name}]", who=sid)
                        continue
                    every = rule.kind == "students_min_periods_every_day"
                    if every and student.unavailable.issuperset(slots):
                        continue  # away all day: no lessons that day is fine
                    if not vs and not every:
                        continue
                    name = f"{rule.row},{sid},{day}"
                    # studies: the day has lessons (always, for the every-day kind).
                    terms += at_least_if_any(
                        m, rule, vs, n, f"studies[{name}]", f"short[{name}]", always=every, who=sid
                    )
        return terms
