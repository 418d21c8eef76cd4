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
from constraints.time_rules import (
    at_least_if_any,
    at_most,
    busy,
    rules_of,
    running,
    running_staff_groups,
    staff_groups,
)


class StaffDayLoad(Rule):
    def __init__(self) -> None:
        super().__init__(name="staff_periods_day", title="staff periods a day")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        cal = tm.school.calendar
        terms: list[Term] = []
        for rule in rules_of(tm, "staff_max_periods_day", "staff_min_periods_day"):
            n = rule.value or 0
            for p, gids in staff_groups(tm, rule).items():
                for day in cal.days:
                    vs = [v for t in cal.day_slots[day] for v in busy(tm, gids, t)]
                    if not vs:
                        continue
                    key = f"{rule.row},{p},{day}"
                    if rule.kind == "staff_max_periods_day":
                        if len(vs) > n:
                            terms += at_most(m, rule, vs, n, f"day_over[{key}]")
                        continue
                    terms += at_least_if_any(
                        m, rule, vs, n, f"teaches_day[{key}]", f"day_short[{key}]"
                    )
        return terms

    def section(self, sm: SectionModel) -> list[Term]:
        """Students' phase: a group no student joins does not run, and a day its teacher
        taught enough periods may then be short (on the 600-student regression school with
        "at least 2 periods a day", the solve wrote no timetable; BENCHMARKS.md,
        thirty-first session). The hard ``staff_min_periods_day`` rows are kept again on
        the groups that run; a most-periods row cannot break so, and soft rows stay the
        timetable phase's."""
        cal = sm.school.calendar
        for rule in sm.school.rules_of("staff_min_periods_day"):
            if not rule.hard:
                continue
            for p, gids in running_staff_groups(sm, rule).items():
                for day in cal.days:
                    vs = [v for t in cal.day_slots[day] for v in running(sm, gids, t)]
                    if vs:
                        key = f"{rule.row},{p},{day}"
                        at_least_if_any(
                            sm.model, rule, vs, rule.value or 0, f"runs_day[{key}]", f"short[{key}]"
                        )
        return []
