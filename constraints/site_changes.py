"""Site changes: a member of staff or a student moves between sites (buildings) at most
``value`` times on any day (Rules sheet, ``staff_max_site_changes_day``,
``students_max_site_changes_day``) or in the whole cycle (``staff_max_site_changes_week``,
``students_max_site_changes_week``), or only with at least ``value`` periods between two
lessons on different sites (``staff_min_gap_site_change``, ``students_min_gap_site_change``);
blank ``staff``: every member of staff; blank ``students``: every student.

A lesson's site is its room's; lessons without a room (online) and tutor time are not
on a site and are passed over: a change is two of the person's lessons in rooms, one
after the other on a day (whatever lies between), on different sites. The periods
between two lessons are counted by position in the day (a break counts).

Timetable phase, for the lessons whose site is known then (a course whose rooms are all
on one site): per person and day, ``at`` (a lesson at a site at a slot) is a flag set by
their groups' placement variables there; the min gap: no two slots of different sites
closer than ``value + 1`` both taken; the max changes: the site of the last lesson so
far (a flag per slot and site, kept on through free periods), a change at a slot whose
lesson's site is not that one, at most ``value`` changes a day (or in the cycle).
Leaving out the lessons whose site is not known yet only makes the changes fewer and the
sites farther apart, so this holds for any rooms. Students' phase (rooms are chosen
there), for the people with a lesson of a course whose rooms are on several sites: the
same over their lessons in time order, a lesson's site read from its room variables
(for a student, whether or not they take that group: stricter only for a request left
unmet). The students' rows, like the other students' rules, are admitted only for
students whose every course has one group. Hard, or soft at ``weight`` per change over
(max), or per day with a change too soon (min gap). FET's
Teacher(s)/Students(Set)MaxBuildingChangesPerDay and PerWeek and
Teacher(s)/Students(Set)MinGapsBetweenBuildingChanges.

The checker's twin is ``site_changes`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ortools.sat.python import cp_model

from constraints.base import Rule, SectionModel, Term, TimetableModel
from constraints.time_rules import any_of, at_most, busy, people, rules_of
from constraints.travel import fixed_site
from scheduler.model import SITE_CHANGE_KINDS, TimeRule


class SiteChanges(Rule):
    def __init__(self) -> None:
        super().__init__(name="site_changes", title="moving between sites")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        terms: list[Term] = []
        for rule in rules_of(tm, *SITE_CHANGE_KINDS):
            for who, gids in people(tm, rule):
                by_site: dict[str, list[str]] = defaultdict(list)
                for gid in gids:
                    site = fixed_site(tm.school, tm.group_by_id[gid].course)
                    if site is not None:
                        by_site[site].append(gid)
                if len(by_site) < 2:
                    continue  # one site (or none): never a change
                key = f"{rule.row},{who}"
                changes: list[Any] = []
                for day, slots in tm.school.calendar.day_slots.items():
                    at: dict[int, dict[str, Any]] = {}
                    for t in slots:
                        at[t] = {}
                        for s, g in sorted(by_site.items()):
                            flag = any_of(m, busy(tm, g, t), f"site_at[{key},{t},{s}]")
                            if flag is not None:
                                at[t][s] = flag
                    if rule.kind.endswith("min_gap_site_change"):
                        terms.extend(_min_gap(m, rule, f"{key},{day}", [at[t] for t in slots]))
                    elif rule.kind.endswith("_day"):
                        day_changes = _changes(m, f"{key},{day}", [at[t] for t in slots])
                        terms.extend(_at_most(m, rule, f"{key},{day}", day_changes))
                    else:
                        changes.extend(_changes(m, f"{key},{day}", [at[t] for t in slots]))
                if rule.kind.endswith("_week"):
                    terms.extend(_at_most(m, rule, key, changes))
        return terms

    def section(self, sm: SectionModel) -> list[Term]:
        school, m = sm.school, sm.model
        rules = list(school.rules_of(*SITE_CHANGE_KINDS))
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
        at_cache: dict[tuple[str, int, str], Any] = {}

        def at(key: tuple[str, int], site: str) -> Any:
            """1 when the lesson is in a room on the site."""
            if (*key, site) not in at_cache:
                at_cache[(*key, site)] = sum(
                    v for r, v in sm.room[key].items() if site_of[r] == site
                )
            return at_cache[(*key, site)]

        def days_of(gids: list[str]) -> dict[int, list[tuple[str, int]]]:
            """The groups' lessons in rooms, day by day in time order."""
            out: dict[int, list[tuple[str, int]]] = defaultdict(list)
            for gid in gids:
                g = sm.group_by_id[gid]
                for li, lesson in enumerate(g.lessons):
                    if (gid, li) in sm.room and lesson.slots:
                        out[school.calendar.slots[min(lesson.slots)].day_index].append((gid, li))
            for keys in out.values():
                keys.sort(key=lambda k: min(sm.group_by_id[k[0]].lessons[k[1]].slots))
            return out

        position = [s.position for s in school.calendar.slots]
        terms: list[Term] = []
        for rule in rules:
            people: list[tuple[str, list[str]]] = []
            if rule.kind.startswith("staff_"):
                teaches: dict[str, list[str]] = defaultdict(list)
                for g in sm.groups:
                    for p in dict.fromkeys(g.staff):
                        teaches[p].append(g.id)
                people = [(p, teaches[p]) for p in school.rule_staff(rule) if teaches.get(p)]
            else:
                seen: set[frozenset[str]] = set()
                for sid in school.rule_students(rule):
                    courses = {r.course for r in school.student_requests.get(sid, ())}
                    gids = [g.id for c in sorted(courses) for g in sm.course_groups.get(c, [])]
                    if gids and frozenset(gids) not in seen:
                        seen.add(frozenset(gids))
                        people.append((sid, gids))
            for who, gids in people:
                if not unknown.intersection(gids):
                    continue  # kept while lessons were timetabled
                changes: list[Any] = []
                for day, keys in sorted(days_of(gids).items()):
                    sites = sorted({site_of[r] for k in keys for r in sm.room[k]})
                    if len(sites) < 2:
                        continue
                    tag = f"{rule.row},{who},{day}"
                    if rule.kind.endswith("min_gap_site_change"):
                        broken = None if rule.hard else m.new_bool_var(f"site_gap_s[{tag}]")
                        for i, a in enumerate(keys):
                            end_a = max(sm.group_by_id[a[0]].lessons[a[1]].slots)
                            for b in keys[i + 1 :]:
                                start_b = min(sm.group_by_id[b[0]].lessons[b[1]].slots)
                                if position[start_b] - position[end_a] - 1 >= (rule.value or 0):
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
                    day_changes = _changes(
                        m, f"{tag},s", [{s: at(k, s) for s in sites} for k in keys]
                    )
                    if rule.kind.endswith("_day"):
                        terms.extend(_at_most(m, rule, f"{tag},s", day_changes, "soft_rules"))
                    else:
                        changes.extend(day_changes)
                if rule.kind.endswith("_week"):
                    terms.extend(_at_most(m, rule, f"{rule.row},{who},s", changes, "soft_rules"))
        return terms


def _min_gap(m: cp_model.CpModel, rule: TimeRule, tag: str, at: list[dict[str, Any]]) -> list[Term]:
    """No two slots (in order, one day) on different sites with fewer than ``value``
    periods between them both taken."""
    gap = rule.value or 0
    broken = None if rule.hard else m.new_bool_var(f"site_gap[{tag}]")
    for i, here in enumerate(at):
        for there in at[i + 1 : i + 1 + gap]:
            for s1, v1 in here.items():
                for s2, v2 in there.items():
                    if s1 != s2:
                        m.add(v1 + v2 <= 1 + (0 if broken is None else broken))
    if broken is None:
        return []
    return [Term(f"rule_{rule.kind}", broken, rule.weight or 1)]


def _changes(m: cp_model.CpModel, tag: str, steps: list[dict[str, Any]]) -> list[Any]:
    """The site changes along ``steps`` (in time order, each a site -> 0/1 expression of
    being there): a flag per step and site for the last site so far, kept on through
    steps on no site, and a change flag at a step on a site other than the last one."""
    sites = sorted({s for here in steps for s in here})
    if len(sites) < 2:
        return []
    last: dict[str, Any] | None = None
    changes: list[Any] = []
    for n, here in enumerate(steps):
        if last is not None and here:
            change = m.new_bool_var(f"site_change[{tag},{n}]")
            for s, v in here.items():
                for other in sites:
                    if other != s:
                        m.add(change >= v + last[other] - 1)
            changes.append(change)
        now = {s: m.new_bool_var(f"site_last[{tag},{n},{s}]") for s in sites}
        held = sum(here.values())
        for s in sites:
            if s in here:
                m.add(now[s] >= here[s])
            if last is not None:
                m.add(now[s] >= last[s] - held)
        last = now
    return changes


def _at_most(
    m: cp_model.CpModel,
    rule: TimeRule,
    tag: str,
    changes: list[Any],
    name: str = "",
) -> list[Term]:
    most = rule.value or 0
    if len(changes) <= most:
        return []
    return at_most(m, rule, changes, most, f"site_changes_over[{tag}]", name)
