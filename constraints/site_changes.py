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

Timetable phase: per person and day, ``at`` (a lesson at a site at a slot) is a flag set
by their groups' placement variables there (a course whose rooms are all on one site),
or, for a lesson of a course whose rooms are on several, by its placement together with
a choice of one of those sites (:class:`_SiteChoice`; at each slot the lessons on a site,
chosen or fixed, are no more than its rooms open then); the min gap: no two slots of
different sites closer than ``value + 1`` both taken; the max changes: the site of the
last lesson so far (a flag per slot and site, kept on through free periods), a change at
a slot whose lesson's site is not that one, at most ``value`` changes a day (or in the
cycle). Students' phase (rooms are chosen
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
from constraints.travel import course_sites, fixed_site
from scheduler.model import SITE_CHANGE_KINDS, TimeRule


class SiteChanges(Rule):
    def __init__(self) -> None:
        super().__init__(name="site_changes", title="moving between sites")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        terms: list[Term] = []
        choice = _SiteChoice(tm)
        for rule in rules_of(tm, *SITE_CHANGE_KINDS):
            for who, gids in people(tm, rule):
                by_site: dict[str, list[str]] = defaultdict(list)
                loose: list[str] = []
                for gid in gids:
                    own = choice.sites(gid)
                    if len(own) == 1:
                        by_site[next(iter(own))].append(gid)
                    elif len(own) > 1:
                        loose.append(gid)
                sites = set(by_site).union(*(choice.sites(gid) for gid in loose))
                if len(sites) < 2:
                    continue  # one site (or none): never a change
                key = f"{rule.row},{who}"
                changes: list[Any] = []
                for day, slots in tm.school.calendar.day_slots.items():
                    at: dict[int, dict[str, Any]] = {}
                    for t in slots:
                        at[t] = {}
                        for s in sorted(sites):
                            vs = busy(tm, by_site.get(s, []), t)
                            vs += [v for gid in loose for v in choice.there(gid, t, s)]
                            flag = any_of(m, vs, f"site_at[{key},{t},{s}]")
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
        choice.rooms_per_site()
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


class _SiteChoice:
    """The site of each lesson of a group whose course has rooms on several sites, chosen
    while lessons are timetabled for the people a site rule concerns (the rooms are only
    chosen in the students' phase). Without it, only lessons of one-site courses counted:
    on a FET exam timetable whose teachers may not change building in a day and half of
    whose exams may be held in three buildings, every timetable the lesson phase found
    left the students' phase no rooms to keep that (THE-2008-2009-exams-sep: no
    timetable in 300 s). Each such lesson, once placed, is on exactly one of its sites,
    and at any slot the lessons on a site are no more than its rooms open then."""

    def __init__(self, tm: TimetableModel) -> None:
        self.tm = tm
        self._sites: dict[str, frozenset[str]] = {}
        self._pick: dict[tuple[str, int], dict[str, Any]] = {}
        self._there: dict[tuple[str, int, int, str], Any] = {}

    def sites(self, gid: str) -> frozenset[str]:
        """The sites of the rooms the group's course may use (none online)."""
        if gid not in self._sites:
            self._sites[gid] = course_sites(self.tm.school, self.tm.group_by_id[gid].course)
        return self._sites[gid]

    def pick(self, gid: str, li: int) -> dict[str, Any]:
        """Site -> a Boolean: the lesson is on that site (one of them, once placed)."""
        if (gid, li) not in self._pick:
            m = self.tm.model
            row = {s: m.new_bool_var(f"site_of[{gid},{li},{s}]") for s in sorted(self.sites(gid))}
            m.add(sum(row.values()) == sum(self.tm.place[gid][li].values()))
            self._pick[(gid, li)] = row
        return self._pick[(gid, li)]

    def there(self, gid: str, t: int, site: str) -> list[Any]:
        """A Boolean for each lesson of the group that may be held at slot ``t``: 1 when
        it is then, on ``site`` (at least; nothing gains by setting it otherwise)."""
        out: list[Any] = []
        if site not in self.sites(gid):
            return out
        for li, per in enumerate(self.tm.place[gid]):
            cover = [v for run, v in per.items() if t in run]
            if not cover:
                continue
            key = (gid, li, t, site)
            if key not in self._there:
                m = self.tm.model
                v = m.new_bool_var(f"site_there[{gid},{li},{t},{site}]")
                m.add(v >= sum(cover) + self.pick(gid, li)[site] - 1)
                self._there[key] = v
            out.append(self._there[key])
        return out

    def rooms_per_site(self) -> None:
        """At each slot, the lessons on a site (chosen, or of a course on that one site)
        fit the site's rooms open then."""
        if not self._pick:
            return
        tm, school = self.tm, self.tm.school
        fixed: dict[str, list[str]] = defaultdict(list)
        for g in tm.groups:
            own = self.sites(g.id)
            if len(own) == 1:
                fixed[next(iter(own))].append(g.id)
        chosen = sorted({gid for gid, _ in self._pick})
        for site in sorted({s for gid in chosen for s in self.sites(gid)}):
            rooms = [r for r in school.rooms if r.site == site]
            for t in range(school.calendar.num_slots):
                mine = [v for gid in chosen for v in self.there(gid, t, site)]
                if not mine:
                    continue
                room_count = sum(r.max_groups for r in rooms if t not in r.unavailable)
                tm.model.add(sum(mine) + sum(busy(tm, fixed.get(site, []), t)) <= room_count)


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
    return [Term(f"rule_{rule.kind}", broken, rule.weight or 1, rule.row)]


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
