"""Travel between sites (rule 2): a person moving between sites on one day needs the
Travel minutes between the end of one lesson and the start of the next, also across
free periods. Online lessons and tutor time without a room are not a location.

Timetable phase: staff whose groups' sites are already known (all eligible rooms on one
site) never get two lessons too close together on different sites. Section phase:
exact for students and staff, with sites read from the rooms chosen; where the students'
pairs of close lessons would be too many (``SectionModel.travel_limit``), the students'
travel is exact with each lesson kept on a given placement's site instead
(:func:`travel_on_sites`).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from constraints.base import Rule, SectionModel, Term, TimetableModel
from constraints.rooms import rooms_for
from scheduler.model import RequestType, School


def course_sites(school: School, course_id: str) -> frozenset[str]:
    """The sites of the rooms a course's groups may use (none for an online course)."""
    course = school.course_by_id[course_id]
    if course.online:
        return frozenset()
    return frozenset(school.room_by_id[r].site for r in rooms_for(school, course))


def fixed_site(school: School, course_id: str) -> str | None:
    """The one site a course's groups can be on, or None (online, or several sites)."""
    sites = course_sites(school, course_id)
    return next(iter(sites)) if len(sites) == 1 else None


def too_close(school: School, run_a: tuple[int, ...], run_b: tuple[int, ...]) -> int | None:
    """Minutes between two runs of slots on one day (None: other days or overlapping)."""
    cal = school.calendar.slots
    if cal[run_a[0]].day != cal[run_b[0]].day:
        return None
    first, second = (run_a, run_b) if cal[run_a[0]].start <= cal[run_b[0]].start else (run_b, run_a)
    gap = cal[second[0]].start - cal[first[-1]].end
    return gap if gap >= 0 else None


def travel_need(
    school: School, run_a: tuple[int, ...], site_a: str, run_b: tuple[int, ...], site_b: str
) -> int:
    """Minutes needed from the earlier lesson's site to the later one's (Travel rows may
    differ by direction; the checker reads them this way)."""
    cal = school.calendar.slots
    if cal[run_a[0]].start <= cal[run_b[0]].start:
        return school.travel_minutes(site_a, site_b)
    return school.travel_minutes(site_b, site_a)


def _short(start1: int, end1: int, start2: int, end2: int, there: int, back: int) -> bool:
    """Whether two lessons of one day (minutes: the first's start and end, the second's)
    leave less time between them than travel needs: ``there`` minutes from the first's
    site to the second's, ``back`` the other way, read from whichever is earlier. Lessons
    that overlap are not a travel question."""
    if start1 <= start2:
        return 0 <= start2 - end1 < there
    return 0 <= start1 - end2 < back


def too_far(
    school: School, run_a: tuple[int, ...], site_a: str, run_b: tuple[int, ...], site_b: str
) -> bool:
    """Whether two runs of slots on one day, at these sites, leave less time between them
    than travel from the earlier one's site to the later one's needs."""
    cal = school.calendar.slots
    first_a, first_b = cal[run_a[0]], cal[run_b[0]]
    if first_a.day != first_b.day:
        return False
    return _short(
        first_a.start,
        cal[run_a[-1]].end,
        first_b.start,
        cal[run_b[-1]].end,
        school.travel_minutes(site_a, site_b),
        school.travel_minutes(site_b, site_a),
    )


def close_runs(tm: TimetableModel, g1: str, site1: str, g2: str, site2: str):
    """Pairs of placement variables putting lessons of g1 (on site1) and g2 (on site2) too
    close on one day to travel between: :func:`too_far` of each pair of runs, in the same
    order, with g2's runs taken day by day (the model of a 1,700-student federation tested
    millions of pairs of runs on different days)."""
    slots = tm.school.calendar.slots
    there = tm.school.travel_minutes(site1, site2)
    back = tm.school.travel_minutes(site2, site1)
    for opts1 in tm.place[g1]:
        for opts2 in tm.place[g2]:
            by_day: dict[str, list] = defaultdict(list)
            for r2, v2 in opts2.items():
                by_day[slots[r2[0]].day].append((slots[r2[0]].start, slots[r2[-1]].end, v2))
            for r1, v1 in opts1.items():
                start1, end1 = slots[r1[0]].start, slots[r1[-1]].end
                for start2, end2, v2 in by_day.get(slots[r1[0]].day, ()):
                    if _short(start1, end1, start2, end2, there, back):
                        yield v1, v2


def close_slots(school: School) -> list[tuple[int, str, int, str]]:
    """(slot 1, a site, slot 2, another site): two slots of one day, slot 1 the earlier,
    with less time between the end of the first and the start of the second than travel
    from the first site to the second needs. Two lessons are too close exactly when the
    last slot of the earlier and the first slot of the later are."""
    slots = school.calendar.slots
    sites = sorted({r.site for r in school.rooms})
    out = []
    for day_slots in school.calendar.day_slots.values():
        for t1 in day_slots:
            for t2 in day_slots:
                gap = slots[t2].start - slots[t1].end
                if t1 == t2 or slots[t1].start > slots[t2].start or gap < 0:
                    continue
                for a in sites:
                    for b in sites:
                        if a != b and gap < school.travel_minutes(a, b):
                            out.append((t1, a, t2, b))
    return out


def student_travel_size(school: School, sm: SectionModel, lessons, limit: int) -> int:
    """How many constraints the students' travel would take in the students' model
    (:meth:`TravelRule.section`: one per pair of lessons a student may take, too close on
    two of their rooms' sites), counted up to just past ``limit``: per student, the
    lessons ending at each slot on each site times those starting at each close slot on
    another (an upper bound: two lessons of one group count too). ``lessons``: per
    group, its lessons' (index, slots, sites of their rooms)."""
    close = close_slots(school)
    ends: dict[str, list[tuple[int, str]]] = {}
    starts: dict[str, list[tuple[int, str]]] = {}
    for gid, ls in lessons.items():
        ends[gid] = [(run[-1], a) for _, run, sites in ls for a in sites]
        starts[gid] = [(run[0], a) for _, run, sites in ls for a in sites]
    total = 0
    for row in sm.take.values():
        last: dict[tuple[int, str], int] = defaultdict(int)
        first: dict[tuple[int, str], int] = defaultdict(int)
        for gid in row:
            for key in ends.get(gid, ()):
                last[key] += 1
            for key in starts.get(gid, ()):
                first[key] += 1
        total += sum(last[(t1, a)] * first[(t2, b)] for t1, a, t2, b in close)
        if total > limit:
            break
    return total


def _tutor_times(sm: SectionModel, student: str, site_of: dict[str, str]):
    """(tutor group variable, its room's site, the student's tutor time in it, sorted)
    for each tutor group the student may join that has a room."""
    school = sm.school
    person = school.student_by_id[student]
    for tg_id, tv in sm.tutor.get(student, {}).items():
        tg = school.tutor_group_by_id[tg_id]
        if tg.room is None or tg.room not in school.room_by_id:
            continue
        yield tv, site_of[tg.room], sorted(school.tutor_time(person, tg_id))


def travel_on_sites(sm: SectionModel, rooms: dict[tuple[str, int], str]) -> None:
    """The students' travel for a model whose exact travel would be too large
    (``sm.travel_too_large``), with every lesson kept on the site of its room in ``rooms``
    (a placement's, e.g. the greedy's; a lesson without one, on the site with most of its
    rooms): its rooms narrowed to that site, then, per student and each two close slots on
    two sites (:func:`close_slots`), the groups they may take with a lesson (or tutor time)
    ending at the first on its site and those with one starting at the second on the other
    never both taken. A student is in one lesson at a time, so one constraint per student
    and pair of close slots is exact: about 40 a student, where the exact travel over every
    site a lesson may have takes one per pair of lessons a student may take (7.7 million
    on a 3,000-student copy of the regression federation). Staff travel is in the model
    already (:meth:`TravelRule.section`)."""
    school, m = sm.school, sm.model
    site_of = {r.id: r.site for r in school.rooms}
    site_at: dict[tuple[str, int], str] = {}
    for key, options in sm.room.items():
        if not options:
            continue
        if key in rooms and rooms[key] in options:
            site = site_of[rooms[key]]
        else:
            count: dict[str, int] = defaultdict(int)
            for r in options:
                count[site_of[r]] += 1
            site = min(count, key=lambda x: (-count[x], x))
        site_at[key] = site
        for r, v in options.items():
            if site_of[r] != site:
                m.add(v == 0)
    close = close_slots(school)
    for student, row in sm.take.items():
        last: dict[tuple[int, str], list] = defaultdict(list)
        first: dict[tuple[int, str], list] = defaultdict(list)
        for gid, v in row.items():
            for li, lesson in enumerate(sm.group_by_id[gid].lessons):
                where = site_at.get((gid, li))
                if where is not None:
                    last[(lesson.slots[-1], where)].append(v)
                    first[(lesson.slots[0], where)].append(v)
        for tv, tg_site, meets in _tutor_times(sm, student, site_of):
            for t in meets:
                last[(t, tg_site)].append(tv)
                first[(t, tg_site)].append(tv)
        for t1, a, t2, b in close:
            if (t1, a) in last and (t2, b) in first:
                m.add(sum(last[(t1, a)]) + sum(first[(t2, b)]) <= 1)


def multi_site(school: School) -> bool:
    return len({r.site for r in school.rooms}) > 1 and any(m > 0 for _, _, m in school.travel)


class TravelRule(Rule):
    def __init__(self) -> None:
        super().__init__(name="travel", title="travel time between sites")

    def restrict_timetable(self, tm: TimetableModel) -> None:
        """A tutor's lessons on another site keep clear of their tutor time by the travel."""
        school = tm.school
        if not multi_site(school):
            return
        for tg in school.tutor_groups:
            if tg.room is None or tg.room not in school.room_by_id:
                continue
            here = school.room_by_id[tg.room].site
            for g in tm.groups:
                if tg.tutor not in tm.staff_of.get(g.id, ()):
                    continue
                there = fixed_site(school, g.course)
                if there is None or there == here:
                    continue
                near: set[int] = set()
                for t in tg.meets:
                    for lesson in g.lessons:
                        for run in lesson.candidates:
                            if too_far(school, (t,), here, run, there):
                                near.update(run)
                # Forbidding whole runs' slots is conservative but keeps the phase linear.
                tm.forbid(g.id, near)

    def timetable(self, tm: TimetableModel) -> list[Term]:
        school = tm.school
        if not multi_site(school):
            return []
        teaches: dict[str, list[str]] = defaultdict(list)
        for gid, people in tm.staff_of.items():
            for p in people:
                teaches[p].append(gid)
        for p, gids in teaches.items():
            for g1, g2 in combinations(gids, 2):
                self._apart(tm, g1, g2)
        self._provisional(tm)
        return [Term("student_travel_estimate", self._student_estimate(tm), 10)]

    @staticmethod
    def _provisional(tm: TimetableModel) -> None:
        """Students' provisional core groups on different sites keep the travel time apart
        (the timetable promises those students can take all of them)."""
        school = tm.school
        if tm.tentative is None:
            return
        pairs: set[tuple[str, str]] = set()
        for student in school.students:
            placed = tm.tentative.get(student.id, {})
            core = sorted(
                placed[r.course]
                for r in school.student_requests.get(student.id, ())
                if r.type is RequestType.CORE and placed.get(r.course) in tm.place
            )
            pairs.update(combinations(core, 2))
        for g1, g2 in sorted(pairs):
            TravelRule._apart(tm, g1, g2)

    @staticmethod
    def _apart(tm: TimetableModel, g1: str, g2: str) -> None:
        """Two groups of courses on different fixed sites never have lessons closer than
        the travel between them."""
        a = fixed_site(tm.school, tm.group_by_id[g1].course)
        b = fixed_site(tm.school, tm.group_by_id[g2].course)
        if a is None or b is None or a == b:
            return
        for v1, v2 in close_runs(tm, g1, a, g2, b):
            tm.model.add_bool_or([~v1, ~v2])

    @staticmethod
    def _student_estimate(tm: TimetableModel):
        """Penalise lessons of single-group courses that students take together placed too
        close on different sites (the section phase would have to drop one)."""
        school, m = tm.school, tm.model
        single: dict[str, str] = {}
        counts: dict[str, int] = defaultdict(int)
        for g in tm.groups:
            counts[g.course] += 1
            single[g.course] = g.id
        together: dict[tuple[str, str], int] = defaultdict(int)
        for reqs in school.student_requests.values():
            courses = sorted({r.course for r in reqs})
            for c1, c2 in combinations(courses, 2):
                together[(c1, c2)] += 1
        terms = []
        for (c1, c2), n in together.items():
            if counts[c1] != 1 or counts[c2] != 1:
                continue
            a, b = fixed_site(school, c1), fixed_site(school, c2)
            if a is None or b is None or a == b:
                continue
            for v1, v2 in close_runs(tm, single[c1], a, single[c2], b):
                bad = m.new_bool_var("")
                m.add(bad >= v1 + v2 - 1)
                terms.append(n * bad)
        return sum(terms)

    def section(self, sm: SectionModel) -> list[Term]:
        school, m = sm.school, sm.model
        if not multi_site(school):
            return []
        site_of = {r.id: r.site for r in school.rooms}
        # Per lesson: its slots and the sites its candidate rooms are on (none: online).
        lessons: dict[str, list[tuple[int, tuple[int, ...], frozenset[str]]]] = {
            g.id: [
                (li, lesson.slots, frozenset(site_of[r] for r in sm.room.get((g.id, li), {})))
                for li, lesson in enumerate(g.lessons)
            ]
            for g in sm.groups
        }
        located = {gid for gid, ls in lessons.items() if any(sites for _, _, sites in ls)}
        at_cache: dict[tuple[str, int, str], object] = {}

        def at_site(gid: str, li: int, site: str):
            """1 when lesson li of group gid is in a room on ``site`` (0 online)."""
            key = (gid, li, site)
            if key not in at_cache:
                at_cache[key] = sum(
                    v for r, v in sm.room.get((gid, li), {}).items() if site_of[r] == site
                )
            return at_cache[key]

        def far_sites(run1, sites1, run2, sites2):
            """(site of lesson 1, site of lesson 2) pairs with too little time between."""
            gap = too_close(school, run1, run2)
            if gap is None:
                return []
            return [
                (a, b)
                for a in sorted(sites1)
                for b in sorted(sites2)
                if gap < travel_need(school, run1, a, run2, b)
            ]

        # What two groups' lessons forbid together, computed once per pair of groups
        # (students share most pairs): (lesson 1, lesson 2, site 1, site 2).
        pair_cache: dict[tuple[str, str], list[tuple[int, int, str, str]]] = {}

        def conflicts(g1: str, g2: str) -> list[tuple[int, int, str, str]]:
            key = (g1, g2)
            if key not in pair_cache:
                pair_cache[key] = [
                    (i1, i2, a, b)
                    for i1, run1, sites1 in lessons[g1]
                    if sites1
                    for i2, run2, sites2 in lessons[g2]
                    if sites2 and len(sites1 | sites2) > 1
                    for a, b in far_sites(run1, sites1, run2, sites2)
                ]
            return pair_cache[key]

        def forbid(people_vars: list, g1: str, g2: str) -> None:
            for i1, i2, a, b in conflicts(g1, g2):
                terms = [*people_vars, at_site(g1, i1, a), at_site(g2, i2, b)]
                m.add(sum(terms) <= len(terms) - 1)

        def tutor_clash(people_vars: list, tg_site: str, meets, gid: str) -> None:
            """Tutor time in a room on ``tg_site`` against the group's lessons elsewhere."""
            for t in meets:
                for li, run, sites in lessons[gid]:
                    for _, b in far_sites((t,), frozenset((tg_site,)), run, sites):
                        terms = [*people_vars, at_site(gid, li, b)]
                        m.add(sum(terms) <= len(terms) - 1)

        if sm.travel_limit is not None:
            size = student_travel_size(school, sm, lessons, sm.travel_limit)
            sm.travel_too_large = size > sm.travel_limit
        # Too large: the students' travel comes later, on sites (travel_on_sites).
        for student, row in () if sm.travel_too_large else sm.take.items():
            gids = [g for g in row if g in located]
            for g1, g2 in combinations(gids, 2):
                forbid([row[g1], row[g2]], g1, g2)
            for tv, tg_site, meets in _tutor_times(sm, student, site_of):
                for gid in gids:
                    tutor_clash([tv, row[gid]], tg_site, meets, gid)
        teaches: dict[str, list[str]] = defaultdict(list)
        for g in sm.groups:
            if g.id in located:
                for p in g.staff:
                    teaches[p].append(g.id)
        for p, gids in teaches.items():
            for g1, g2 in combinations(gids, 2):
                forbid([], g1, g2)
        for tg in school.tutor_groups:
            if tg.room is None or tg.room not in school.room_by_id:
                continue
            for gid in teaches.get(tg.tutor, []):
                tutor_clash([], site_of[tg.room], sorted(tg.meets), gid)
        return []
