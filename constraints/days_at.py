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
from constraints.time_rules import at_most, busy, per_person
from scheduler.model import TimeRule


class DaysAt(Rule):
    def __init__(self) -> None:
        super().__init__(name="days_at", title="days with lessons at some periods")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        return per_person(tm, ("staff_max_days_at",), ("students_max_days_at",), self._days)

    @staticmethod
    def _days(tm: TimetableModel, rule: TimeRule, who: str, gids: list[str]) -> list[Term]:
        m = tm.model
        cal = tm.school.calendar
        most = rule.value or 0
        days = []
        for day in cal.days:
            vs = [v for t in cal.day_slots[day] if t in rule.slots for v in busy(tm, gids, t)]
            if not vs:
                continue
            flag = m.new_bool_var(f"days_at[{rule.row},{who},{day}]")
            for v in vs:
                m.add_implication(v, flag)
            days.append(flag)
        if len(days) <= most:
            return []
        return at_most(m, rule, days, most, f"days_at_over[{rule.row},{who}]")
