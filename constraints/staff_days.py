"""Staff max days: a member of staff teaches on at most N days of the cycle (Rules
sheet, ``staff_max_days``; blank ``staff``: every member of staff).

A day counts when one of the person's lessons is on it (tutor time does not count).
Staff are chosen before timetabling, so this is a timetable-phase rule. Hard, or soft at
``weight`` per day over. FET's TeacherMaxDaysPerWeek / TeachersMaxDaysPerWeek.

The checker's twin is ``staff_max_days`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import at_most, busy_days, rules_of, staff_groups


class StaffMaxDays(Rule):
    def __init__(self) -> None:
        super().__init__(name="staff_max_days", title="staff teach on at most N days")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        terms: list[Term] = []
        for rule in rules_of(tm, "staff_max_days"):
            most = rule.value or 0
            for p, gids in staff_groups(tm, rule).items():
                days = busy_days(tm, gids, "teaches", f"{rule.row},{p}")
                if len(days) <= most:
                    continue
                terms += at_most(m, rule, days, most, f"days_over[{rule.row},{p}]", who=p)
        return terms
