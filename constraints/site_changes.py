"""Site changes: a member of staff moves between sites (buildings) at most ``value``
times on any day (Rules sheet, ``staff_max_site_changes_day``), or only with at least
``value`` periods between two lessons on different sites (``staff_min_gap_site_change``);
blank ``staff``: every member of staff.

A lesson's site is its room's; lessons without a room (online) and tutor time are not
on a site and are passed over: a change is two of the person's lessons in rooms, one
after the other on a day (whatever lies between), on different sites. The periods
between two lessons are counted by position in the day (a break counts).

Timetable phase, for the lessons whose site is known then (a course whose rooms are all
on one site): per member of staff and day, ``at`` (teaching at a site at a slot) is the
sum of their groups' placement variables there; ``staff_min_gap_site_change``: no two
slots of different sites closer than ``value + 1`` both taken;
``staff_max_site_changes_day``: the site of the last lesson so far (a flag per slot and
site, kept on through free periods), a change at a slot whose lesson's site is not that
one, at most ``value`` changes a day. Leaving out the lessons whose site is not known
yet only makes a day's changes fewer and its sites farther apart, so this holds for any
rooms. Students' phase (rooms are chosen there), for the staff with a lesson of a
course whose rooms are on several sites: the same over their lessons in time order, a
lesson's site read from its room variables. Hard, or soft at ``weight`` per change over
(max), or per day with a change too soon (min gap). FET's
Teacher(s)MaxBuildingChangesPerDay and Teacher(s)MinGapsBetweenBuildingChanges.

The checker's twin is ``site_changes`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ortools.sat.python import cp_model

from constraints.base import Rule, SectionModel, Term, TimetableModel
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

    def section(self, sm: SectionModel) -> list[Term]:
        school, m = sm.school, sm.model
        rules = [r for r in school.time_rules if r.kind in KINDS]
        if not rules:
            return []
        site_of = {r.id: r.site for r in school.rooms}
        unknown = {
            g.id
            for g in sm.groups
            if not school.course_by_id[g.course].online and fixed_site(school, g.course) is None
        }
        if not unknown:
            return []  # every site known while lessons were timetabled
        # Each member of staff's lessons in rooms, day by day in time order.
        days_of: dict[str, dict[int, list[tuple[str, int]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for g in sm.groups:
            for li, lesson in enumerate(g.lessons):
                if (g.id, li) not in sm.room or not lesson.slots:
                    continue
                day = school.calendar.slots[min(lesson.slots)].day_index
                for p in dict.fromkeys(g.staff):
                    days_of[p][day].append((g.id, li))
        at_cache: dict[tuple[str, int, str], Any] = {}

        def at(key: tuple[str, int], site: str) -> Any:
            """1 when the lesson is in a room on the site."""
            if (*key, site) not in at_cache:
                at_cache[(*key, site)] = sum(
                    v for r, v in sm.room[key].items() if site_of[r] == site
                )
            return at_cache[(*key, site)]

        def first(key: tuple[str, int]) -> int:
            return min(sm.group_by_id[key[0]].lessons[key[1]].slots)

        def last(key: tuple[str, int]) -> int:
            return max(sm.group_by_id[key[0]].lessons[key[1]].slots)

        position = [s.position for s in school.calendar.slots]
        terms: list[Term] = []
        for rule in rules:
            people = rule.staff or tuple(p.id for p in school.staff)
            for p in dict.fromkeys(people):
                for day, keys in sorted(days_of.get(p, {}).items()):
                    if not any(k[0] in unknown for k in keys):
                        continue  # kept while lessons were timetabled
                    keys = sorted(keys, key=first)
                    sites = sorted({site_of[r] for k in keys for r in sm.room[k]})
                    if len(sites) < 2:
                        continue
                    tag = f"{rule.row},{p},{day}"
                    if rule.kind == "staff_min_gap_site_change":
                        broken = None if rule.hard else m.new_bool_var(f"site_gap_s[{tag}]")
                        for i, a in enumerate(keys):
                            for b in keys[i + 1 :]:
                                if position[first(b)] - position[last(a)] - 1 >= (rule.value or 0):
                                    continue
                                for s1 in sites:
                                    for s2 in sites:
                                        if s1 != s2:
                                            m.add(
                                                at(a, s1) + at(b, s2)
                                                <= 1 + (0 if broken is None else broken)
                                            )
                        if broken is not None:
                            terms.append(Term("soft_rules", broken, rule.weight or 1))
                        continue
                    changes = []
                    before: dict[str, cp_model.IntVar] | None = None
                    for n, k in enumerate(keys):
                        here = {s: at(k, s) for s in sites}
                        if before is not None:
                            change = m.new_bool_var(f"site_change_s[{tag},{n}]")
                            for s in sites:
                                for other in sites:
                                    if other != s:
                                        m.add(change >= here[s] + before[other] - 1)
                            changes.append(change)
                        now = {s: m.new_bool_var(f"site_last_s[{tag},{n},{s}]") for s in sites}
                        located = sum(here.values())
                        for s in sites:
                            m.add(now[s] >= here[s])
                            if before is not None:
                                m.add(now[s] >= before[s] - located)
                        before = now
                    most = rule.value or 0
                    if len(changes) <= most:
                        continue
                    if rule.hard:
                        m.add(sum(changes) <= most)
                        continue
                    over = m.new_int_var(0, len(changes), f"site_changes_over_s[{tag}]")
                    m.add(over >= sum(changes) - most)
                    terms.append(Term("soft_rules", over, rule.weight or 1))
        return terms
