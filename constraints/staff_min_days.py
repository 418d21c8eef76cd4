"""Staff min days: a member of staff who teaches at all teaches on at least N days of the
cycle (Rules sheet, ``staff_min_days``); blank ``staff``: every member of staff.

Tutor time does not count. Timetable phase (staff are chosen before lessons are placed):
a flag per day, set only when the person has a lesson that day; at least ``value`` flags
once any of their groups is timetabled. Hard, or soft at ``weight`` per day short. FET's
TeacherMinDaysPerWeek and TeachersMinDaysPerWeek.

The checker's twin is ``staff_min_days`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from constraints.base import Rule, SectionModel, Term, TimetableModel
from constraints.time_rules import StaffView, rules_of
from scheduler.model import TimeRule


class StaffMinDays(Rule):
    def __init__(self) -> None:
        super().__init__(name="staff_min_days", title="staff teach on at least N days")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        return self._rows(StaffView.of_timetable(tm), rules_of(tm, "staff_min_days"))

    def section(self, sm: SectionModel) -> list[Term]:
        """Students' phase: the hard rows again, on the groups that run (a group no
        student joins does not run, which can leave its teacher a day fewer:
        :class:`~constraints.time_rules.StaffView`). Soft rows stay the timetable phase's."""
        rows = [r for r in sm.school.rules_of("staff_min_days") if r.hard]
        return self._rows(StaffView.of_section(sm), rows)

    @staticmethod
    def _rows(view: StaffView, rows: list[TimeRule]) -> list[Term]:
        """The rows' limits in one phase's model."""
        m, cal = view.model, view.school.calendar
        terms: list[Term] = []
        for rule in rows:
            least = rule.value or 0
            if least <= 0:
                continue
            for p, gids in view.staff_groups(rule).items():
                key = f"{rule.row},{p}"
                days = []
                for day in cal.days:
                    vs = [v for t in cal.day_slots[day] for v in view.busy(gids, t)]
                    if not vs:
                        continue
                    teaches = m.new_bool_var(f"teaches_min[{key},{day}]")
                    m.add(teaches <= sum(vs))
                    days.append(teaches)
                teaching = m.new_bool_var(f"teaching[{key}]")
                for gid in gids:
                    m.add_implication(view.held[gid], teaching)
                if rule.hard:
                    m.add(sum(days) >= least).only_enforce_if(teaching)
                    continue
                short = m.new_int_var(0, least, f"days_short[{key}]")
                m.add(short >= least * teaching - sum(days))
                terms.append(Term("rule_staff_min_days", short, rule.weight or 1, rule.row))
        return terms
