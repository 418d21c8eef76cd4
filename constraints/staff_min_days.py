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
from constraints.time_rules import busy, rules_of, running, running_staff_groups, staff_groups


class StaffMinDays(Rule):
    def __init__(self) -> None:
        super().__init__(name="staff_min_days", title="staff teach on at least N days")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        cal = tm.school.calendar
        terms: list[Term] = []
        for rule in rules_of(tm, "staff_min_days"):
            least = rule.value or 0
            if least <= 0:
                continue
            for p, gids in staff_groups(tm, rule).items():
                key = f"{rule.row},{p}"
                days = []
                for day in cal.days:
                    vs = [v for t in cal.day_slots[day] for v in busy(tm, gids, t)]
                    if not vs:
                        continue
                    teaches = m.new_bool_var(f"teaches_min[{key},{day}]")
                    m.add(teaches <= sum(vs))
                    days.append(teaches)
                teaching = m.new_bool_var(f"teaching[{key}]")
                for gid in gids:
                    m.add_implication(tm.placed[gid], teaching)
                if rule.hard:
                    m.add(sum(days) >= least).only_enforce_if(teaching)
                    continue
                short = m.new_int_var(0, least, f"days_short[{key}]")
                m.add(short >= least * teaching - sum(days))
                terms.append(Term("rule_staff_min_days", short, rule.weight or 1))
        return terms

    def section(self, sm: SectionModel) -> list[Term]:
        """Students' phase: a group no student joins does not run, which can leave its
        teacher a day fewer. The hard rows are kept again on the groups that run (soft
        rows stay the timetable phase's)."""
        m = sm.model
        cal = sm.school.calendar
        for rule in sm.school.rules_of("staff_min_days"):
            least = rule.value or 0
            if not rule.hard or least <= 0:
                continue
            for p, gids in running_staff_groups(sm, rule).items():
                key = f"{rule.row},{p}"
                days = []
                for day in cal.days:
                    vs = [v for t in cal.day_slots[day] for v in running(sm, gids, t)]
                    if vs:
                        teaches = m.new_bool_var(f"runs_on[{key},{day}]")
                        m.add(teaches <= sum(vs))
                        days.append(teaches)
                teaching = m.new_bool_var(f"runs_any[{key}]")
                for gid in gids:
                    m.add_implication(sm.runs[gid], teaching)
                m.add(sum(days) >= least).only_enforce_if(teaching)
        return []
