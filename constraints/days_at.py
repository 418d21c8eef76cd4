"""Days with lessons at some periods: a member of staff (Rules sheet, ``staff_max_days_at``;
blank ``staff``: every member of staff) or a student (``students_max_days_at``; blank
``students``: every student) has lessons at the row's ``slots`` on at most ``value`` days
of the cycle (say, afternoons on at most two days).

Tutor time does not count. Timetable phase (the students' rows, like the other
students' rules, only for students whose every course has one group): a flag per day set
by any lesson at one of the row's slots that day; at most ``value`` flags. Hard, or soft
at ``weight`` per day over. FET's Teacher(s)IntervalMaxDaysPerWeek and
Students(Set)IntervalMaxDaysPerWeek.

The checker's twin is ``days_at`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import at_most, busy_days, per_person
from scheduler.model import TimeRule


class DaysAt(Rule):
    def __init__(self) -> None:
        super().__init__(name="days_at", title="days with lessons at some periods")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        return per_person(tm, ("staff_max_days_at",), ("students_max_days_at",), self._days)

    @staticmethod
    def _days(tm: TimetableModel, rule: TimeRule, who: str, gids: list[str]) -> list[Term]:
        most = rule.value or 0
        days = busy_days(tm, gids, "days_at", f"{rule.row},{who}", rule.slots)
        if len(days) <= most:
            return []
        return at_most(tm.model, rule, days, most, f"days_at_over[{rule.row},{who}]", who=who)
