"""Staff gaps: at most N free periods between a member of staff's lessons, in the
cycle (Rules sheet, ``staff_max_gaps_week``) or in any one day (``staff_max_gaps_day``);
blank ``staff``: every member of staff.

A gap is a period of a day when the person is free to teach (not ``unavailable``: FET
counts neither breaks nor not-available times as gaps) and has no lesson, with a lesson
(or their tutor time) earlier and later that day. Timetable phase (staff are already
chosen): per day, ``started`` and ``remaining`` flags bound each free period from below
(a gap when both are set), which is exact wherever the bound binds. Hard, or soft at
``weight`` per gap over. FET's Teacher(s)MaxGapsPerWeek and TeachersMaxGapsPerDay.

The checker's twin is ``staff_gaps`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.base import Rule, SectionModel, Term, TimetableModel
from constraints.time_rules import StaffView, at_most, rules_of
from scheduler.model import TimeRule


class StaffGaps(Rule):
    def __init__(self) -> None:
        super().__init__(name="staff_gaps", title="staff gaps between lessons")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        rows = rules_of(tm, "staff_max_gaps_week", "staff_max_gaps_day")
        return self._rows(StaffView.of_timetable(tm), rows)

    def section(self, sm: SectionModel) -> list[Term]:
        """Students' phase: the hard rows again, on the groups that run
        (:class:`~constraints.time_rules.StaffView`; on the 600-student regression school
        with "at most 2 gaps a day", a dropped group gave a member of staff 3 and the
        solve no timetable; BENCHMARKS.md, thirty-first session). Soft rows stay the
        timetable phase's."""
        rows = sm.school.rules_of("staff_max_gaps_week", "staff_max_gaps_day")
        return self._rows(StaffView.of_section(sm), [r for r in rows if r.hard])

    def _rows(self, view: StaffView, rows: list[TimeRule]) -> list[Term]:
        """The rows' limits in one phase's model."""
        m, school = view.model, view.school
        cal = school.calendar
        terms: list[Term] = []
        tutoring: dict[str, set[int]] = {}
        for tg in school.tutor_groups:
            tutoring.setdefault(tg.tutor, set()).update(tg.meets)
        # One person's gap indicators serve every row that limits them (a row per day
        # and a row per week is FET's usual pair).
        made: dict[tuple[str, str], list[cp_model.IntVar]] = {}
        for rule in rows:
            for p, gids in view.staff_groups(rule).items():
                away = school.staff_by_id[p].unavailable if p in school.staff_by_id else ()
                per_day: list[list[cp_model.IntVar]] = []
                for day in cal.days:
                    if (p, day) not in made:
                        slots = [t for t in cal.day_slots[day] if t not in away]
                        occ: list[list[cp_model.IntVar] | int] = [
                            1 if t in tutoring.get(p, ()) else view.busy(gids, t) for t in slots
                        ]
                        made[p, day] = self._gaps(m, f"{p},{day}", occ)
                    per_day.append(made[p, day])
                terms.extend(self._limit(m, rule, per_day, p))
        return terms

    @staticmethod
    def _limit(
        m: cp_model.CpModel, rule: TimeRule, per_day: list[list[cp_model.IntVar]], key: str
    ) -> list[Term]:
        """At most the row's ``value`` gaps on each day (a ``..._day`` row), else in the
        cycle, of one person's gaps day by day."""
        most = rule.value or 0
        terms: list[Term] = []
        if rule.kind.endswith("_day"):
            for i, gaps in enumerate(per_day):
                if len(gaps) > most:
                    terms += at_most(
                        m, rule, gaps, most, f"gaps_over[{rule.row},{key},{i}]", who=key
                    )
        else:
            every = [g for gaps in per_day for g in gaps]
            if len(every) > most:
                terms += at_most(m, rule, every, most, f"gaps_over[{rule.row},{key}]", who=key)
        return terms

    @staticmethod
    def _gaps(m: cp_model.CpModel, key: str, occ: list) -> list[cp_model.IntVar]:
        """Gap indicators of one day's free-to-teach periods, ``occ[i]`` the variables
        (or the constant 1) that make the person busy at the i-th; each at least 1 when
        the period is a gap."""
        live = [i for i, o in enumerate(occ) if o]
        if len(live) < 2:
            return []
        lo, hi = live[0], live[-1]
        load = [o if isinstance(o, int) else sum(o) for o in occ[lo : hi + 1]]
        n = len(load)
        started: list = []
        for i in range(n):
            s = m.new_bool_var(f"started[{key},{i}]")
            m.add(s >= load[i])
            if i:
                m.add(s >= started[-1])
            started.append(s)
        remaining: list = [None] * n
        for i in range(n - 1, -1, -1):
            r = m.new_bool_var(f"remaining[{key},{i}]")
            m.add(r >= load[i])
            if i < n - 1:
                m.add(r >= remaining[i + 1])
            remaining[i] = r
        out = []
        for i in range(1, n - 1):
            if isinstance(load[i], int) and load[i]:
                continue  # tutor time: never a gap
            gap = m.new_bool_var(f"gap[{key},{i}]")
            m.add(gap >= started[i - 1] + remaining[i + 1] - load[i] - 1)
            out.append(gap)
        return out
