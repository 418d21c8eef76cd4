"""Staff periods a day: a member of staff teaches at most N periods on any day (Rules
sheet, ``staff_max_periods_day``), or on a day they teach at all, at least N
(``staff_min_periods_day``); blank ``staff``: every member of staff.

Periods of lessons count (tutor time does not, as for ``max_periods``, rule 11). Staff
are chosen before timetabling, so these are timetable-phase rules. Hard, or soft at
``weight`` per period over or short. FET's Teacher(s)MaxHoursDaily and
Teacher(s)MinHoursDaily.

The checker's twin is ``staff_periods_day`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from constraints.base import Rule, SectionModel, Term, TimetableModel
from constraints.time_rules import StaffView, at_least_if_any, at_most, rules_of
from scheduler.model import TimeRule


class StaffDayLoad(Rule):
    def __init__(self) -> None:
        super().__init__(name="staff_periods_day", title="staff periods a day")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        rows = rules_of(tm, "staff_max_periods_day", "staff_min_periods_day")
        return self._rows(StaffView.of_timetable(tm), rows)

    def section(self, sm: SectionModel) -> list[Term]:
        """Students' phase: the hard ``staff_min_periods_day`` rows again, on the groups
        that run (:class:`~constraints.time_rules.StaffView`; on the 600-student
        regression school with "at least 2 periods a day", the solve wrote no timetable;
        BENCHMARKS.md, thirty-first session). A most-periods row cannot break so (a group
        dropped only lowers a day's load), and soft rows stay the timetable phase's."""
        rows = [r for r in sm.school.rules_of("staff_min_periods_day") if r.hard]
        return self._rows(StaffView.of_section(sm), rows)

    @staticmethod
    def _rows(view: StaffView, rows: list[TimeRule]) -> list[Term]:
        """The rows' limits in one phase's model."""
        m, cal = view.model, view.school.calendar
        terms: list[Term] = []
        for rule in rows:
            n = rule.value or 0
            for p, gids in view.staff_groups(rule).items():
                for day in cal.days:
                    vs = [v for t in cal.day_slots[day] for v in view.busy(gids, t)]
                    if not vs:
                        continue
                    key = f"{rule.row},{p},{day}"
                    if rule.kind == "staff_max_periods_day":
                        if len(vs) > n:
                            terms += at_most(m, rule, vs, n, f"day_over[{key}]", who=p)
                        continue
                    terms += at_least_if_any(
                        m, rule, vs, n, f"teaches_day[{key}]", f"day_short[{key}]", who=p
                    )
        return terms
