"""Staff min days: a member of staff who teaches at all teaches on at least N days of the
cycle (Rules sheet, ``staff_min_days``); blank ``staff``: every member of staff.

Tutor time does not count. Timetable phase (staff are chosen before lessons are placed):
a flag per day, set only when the person has a lesson that day; at least ``value`` flags
once any of their groups is timetabled. Hard, or soft at ``weight`` per day short. FET's
TeacherMinDaysPerWeek and TeachersMinDaysPerWeek.

The checker's twin is ``staff_min_days`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from ortools.sat.python import cp_model

from constraints.base import Rule, SectionModel, Term, TimetableModel
from constraints.time_rules import busy, rules_of, running, running_staff_groups, staff_groups
from scheduler.model import School, TimeRule


class StaffMinDays(Rule):
    def __init__(self) -> None:
        super().__init__(name="staff_min_days", title="staff teach on at least N days")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        return self._rows(
            tm.model,
            tm.school,
            rules_of(tm, "staff_min_days"),
            lambda rule: staff_groups(tm, rule),
            partial(busy, tm),
            tm.placed,
        )

    def section(self, sm: SectionModel) -> list[Term]:
        """Students' phase: a group no student joins does not run, which can leave its
        teacher a day fewer. The hard rows are kept again on the groups that run (soft
        rows stay the timetable phase's)."""
        rows = [r for r in sm.school.rules_of("staff_min_days") if r.hard]
        return self._rows(
            sm.model,
            sm.school,
            rows,
            lambda rule: running_staff_groups(sm, rule),
            partial(running, sm),
            sm.runs,
        )

    @staticmethod
    def _rows(
        m: cp_model.CpModel,
        school: School,
        rows: list[TimeRule],
        groups_of: Callable[[TimeRule], dict[str, list[str]]],
        busy_at: Callable[[list[str], int], list[cp_model.IntVar]],
        held: dict[str, cp_model.IntVar],
    ) -> list[Term]:
        """The rows' limits, with ``busy_at(groups, slot)`` the variables that make a
        member of staff busy then and ``held[group]`` whether the group is held at all
        (placed in the timetable phase, running in the students' phase)."""
        cal = school.calendar
        terms: list[Term] = []
        for rule in rows:
            least = rule.value or 0
            if least <= 0:
                continue
            for p, gids in groups_of(rule).items():
                key = f"{rule.row},{p}"
                days = []
                for day in cal.days:
                    vs = [v for t in cal.day_slots[day] for v in busy_at(gids, t)]
                    if not vs:
                        continue
                    teaches = m.new_bool_var(f"teaches_min[{key},{day}]")
                    m.add(teaches <= sum(vs))
                    days.append(teaches)
                teaching = m.new_bool_var(f"teaching[{key}]")
                for gid in gids:
                    m.add_implication(held[gid], teaching)
                if rule.hard:
                    m.add(sum(days) >= least).only_enforce_if(teaching)
                    continue
                short = m.new_int_var(0, least, f"days_short[{key}]")
                m.add(short >= least * teaching - sum(days))
                terms.append(Term("rule_staff_min_days", short, rule.weight or 1))
        return terms
