"""Periods in a row: a member of staff (Rules sheet, ``staff_max_in_a_row``; blank
``staff``: every member of staff) or a student (``students_max_in_a_row``; blank
``students``: every student) has lessons in at most ``value`` consecutive periods of a
day.

Periods of lessons count; tutor time, breaks and free periods do not, and any period
without a lesson ends a run (a Calendar period that is a break is a period like any
other: a lesson there is counted). Timetable phase: the students' rows, like the other
students' rules, are admitted only for students whose every course has one group. In
every window of ``value + 1`` consecutive periods of a day at most ``value`` hold a
lesson. Hard, or soft at ``weight`` per period over (a run of ``value + k`` periods
costs ``k`` units). FET's Teacher(s)MaxHoursContinuously and
Students(Set)MaxHoursContinuously.

The checker's twin is ``in_a_row`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import at_most, busy, per_person
from scheduler.model import TimeRule


class InARow(Rule):
    def __init__(self) -> None:
        super().__init__(name="in_a_row", title="periods of lessons in a row")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        return per_person(tm, ("staff_max_in_a_row",), ("students_max_in_a_row",), self._windows)

    @staticmethod
    def _windows(tm: TimetableModel, rule: TimeRule, who: str, gids: list[str]) -> list[Term]:
        m = tm.model
        cal = tm.school.calendar
        most = rule.value or 0
        out: list[Term] = []
        for day in cal.days:
            slots = cal.day_slots[day]
            for i in range(len(slots) - most):
                vs = [v for t in slots[i : i + most + 1] for v in busy(tm, gids, t)]
                if len(vs) <= most:
                    continue
                out += at_most(
                    m, rule, vs, most, f"in_a_row_over[{rule.row},{who},{day},{i}]", who=who
                )
        return out
