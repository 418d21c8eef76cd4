"""Site changes: a member of staff moves between sites (buildings) at most ``value``
times on any day (Rules sheet, ``staff_max_site_changes_day``), or only with at least
``value`` periods between two lessons on different sites (``staff_min_gap_site_change``);
blank ``staff``: every member of staff.

A lesson's site is its room's; lessons without a room (online) and tutor time are not
on a site and are passed over: a change is two of the person's lessons in rooms, one
after the other on a day (whatever lies between), on different sites. The periods
between two lessons are counted by position in the day (a break period counts).

Kept while lessons are timetabled, so the sites must be known then: the workbook admits
these rows only where every course in school that their staff may teach has its rooms
on one site (the course's site). Timetable phase: per member of staff and day, ``at``
(teaching at a site at a slot) is the sum of their groups' placement variables there;
``staff_min_gap_site_change``: no two slots of different sites closer than ``value + 1``
both taken; ``staff_max_site_changes_day``: the site of the last lesson so far (a flag
per slot and site, kept on through free periods), a change at a slot whose lesson's
site is not that one, at most ``value`` changes a day. Hard, or soft at ``weight`` per
change over (max), or per day with a change too soon (min gap). FET's
Teacher(s)MaxBuildingChangesPerDay and Teacher(s)MinGapsBetweenBuildingChanges.

The checker's twin is ``site_changes`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import busy, rules_of, staff_groups
from constraints.travel import fixed_site
from scheduler.model import TimeRule

KINDS = ("staff_max_site_changes_day", "staff_min_gap_site_change")


class SiteChanges(Rule):
    def __init__(self) -> None:
        super().__init__(name="site_changes", title="staff moving between sites")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        terms: list[Term] = []
        for rule in rules_of(tm, *KINDS):
            for p, gids in staff_groups(tm, rule).items():
                by_site: dict[str, list[str]] = defaultdict(list)
                for gid in gids:
                    site = fixed_site(tm.school, tm.group_by_id[gid].course)
                    if site is not None:
                        by_site[site].append(gid)
                if len(by_site) < 2:
                    continue  # one site (or none): never a change
                for day, slots in tm.school.calendar.day_slots.items():
                    at = {t: {s: busy(tm, g, t) for s, g in sorted(by_site.items())} for t in slots}
                    if rule.kind == "staff_min_gap_site_change":
                        terms.extend(self._min_gap(tm, rule, p, day, slots, at))
                    else:
                        terms.extend(self._max_changes(tm, rule, p, day, slots, at))
        return terms

    @staticmethod
    def _min_gap(
        tm: TimetableModel,
        rule: TimeRule,
        p: str,
        day: str,
        slots: tuple[int, ...],
        at: dict[int, dict[str, list[cp_model.IntVar]]],
    ) -> list[Term]:
        m = tm.model
        gap = rule.value or 0
        broken = None if rule.hard else m.new_bool_var(f"site_gap[{rule.row},{p},{day}]")
        for i, t1 in enumerate(slots):
            for t2 in slots[i + 1 : i + 1 + gap]:
                for s1, v1 in at[t1].items():
                    for s2, v2 in at[t2].items():
                        if s1 == s2 or not v1 or not v2:
                            continue
                        # Different sites, fewer than ``gap`` periods between them.
                        m.add(sum(v1) + sum(v2) <= 1 + (0 if broken is None else broken))
        if broken is None:
            return []
        return [Term("rule_staff_min_gap_site_change", broken, rule.weight or 1)]

    @staticmethod
    def _max_changes(
        tm: TimetableModel,
        rule: TimeRule,
        p: str,
        day: str,
        slots: tuple[int, ...],
        at: dict[int, dict[str, list[cp_model.IntVar]]],
    ) -> list[Term]:
        m = tm.model
        sites = sorted({s for here in at.values() for s, vs in here.items() if vs})
        if len(sites) < 2:
            return []
        # last[s]: the last lesson so far today was on site s (kept through free periods).
        last: dict[str, cp_model.IntVar] | None = None
        changes: list[cp_model.IntVar] = []
        for t in slots:
            here = {s: sum(at[t][s]) for s in sites}
            held = sum(here.values())
            if last is not None:
                change = m.new_bool_var(f"site_change[{rule.row},{p},{t}]")
                for s in sites:
                    for other in sites:
                        if other != s and at[t][s]:
                            m.add(change >= here[s] + last[other] - 1)
                changes.append(change)
            now = {s: m.new_bool_var(f"site_last[{rule.row},{p},{t},{s}]") for s in sites}
            for s in sites:
                m.add(now[s] >= here[s])
                if last is not None:
                    m.add(now[s] >= last[s] - held)
            last = now
        most = rule.value or 0
        if len(changes) <= most:
            return []
        if rule.hard:
            m.add(sum(changes) <= most)
            return []
        over = m.new_int_var(0, len(changes), f"site_changes_over[{rule.row},{p},{day}]")
        m.add(over >= sum(changes) - most)
        return [Term("rule_staff_max_site_changes_day", over, rule.weight or 1)]
