"""A fast greedy placement of students, given to the section phase as a hint.

On a large school the section model is big enough that CP-SAT spends most of a short
time limit before its first solution, and that first solution is poor. A student-by-
student greedy placement (core requests first, by a small search over their groups,
then options in choice order) is found in a second or two; CP-SAT starts from it and
improves it. The greedy respects what it can check cheaply: clashes (including the
bans the rule families made), group capacity (max_size and the largest room that could
hold the group) and option quotas. What it does not check (rooms at each slot, tutor
groups, travel) the solver repairs.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from typing import cast

from ortools.sat.python import cp_model

from constraints.base import SectionModel
from constraints.rooms import rooms_for
from scheduler.model import RequestType, Weights, rank_cost
from scheduler.solver.budget import Clock, solve_phase

#: Search nodes per student when looking for the best clash-free set of groups, and when
#: the placement is running behind its time.
NODE_LIMIT, LATE_NODES = 3000, 150
#: Share of the time limit for the first pass over every student.
FIRST_PASS_SHARE = 0.6
#: Passes that re-place students who did not get everything, others held fixed.
IMPROVE_PASSES = 2
#: Then students short of a request may take a seat in a full group when someone there
#: moves to another group at no loss (:func:`greedy_sections`), until this share of the
#: limit (beyond the passes' own). The student's search and each search for a move of
#: someone else get ``BUMP_NODES`` nodes, and at most ``BUMP_TRIES`` of a full group's
#: students are searched (a move within the course at no clash is looked for in all
#: first). On a 2,000-student federation's timetable (BENCHMARKS.md, twenty-fifth
#: session): core requests unmet 33 -> 14, at 1.7 million nodes more (5.2 s); 3,000
#: nodes for the student's own search met no more, and 10 or 15 searched moves fewer.
BUMP_SHARE, BUMP_NODES, BUMP_TRIES = 1.3, 500, 30
#: What a met request is worth to the greedy: docs/objective.md's default weights.
_DEFAULT = Weights()
CORE_VALUE, OPTION_VALUE, RANK_VALUE = _DEFAULT.core, _DEFAULT.option, _DEFAULT.rank


def greedy_sections(
    sm: SectionModel,
    seed: int,
    prefer: dict[str, dict[str, str]] | None = None,
    time_limit: float | None = None,
    node_limit: int | None = None,
    work: list[int] | None = None,
    start: dict[str, set[str]] | None = None,
) -> dict[str, set[str]]:
    """Group ids per student from a greedy pass (only allowed student-group pairs).

    ``prefer`` (student -> course -> group) is tried first where it fits, e.g. the
    provisional placement the timetable was built around. ``start`` (student -> group
    ids: a published timetable's placement, when re-solving after a change): a student
    whose groups there may all still be taken together keeps them and is not placed
    again; only the others are placed (their ``prefer`` groups first). Within ``time_limit`` seconds
    (or ``node_limit`` search nodes, counted in ``work``: the same on any machine),
    roughly: a student placed behind schedule gets a short search (``LATE_NODES``), and
    no pass of improvement starts after the limit (measured: 80 s on a poor timetable of
    2,000 students with eleven requests each, where every unsatisfied student searched
    3,000 nodes in each of three passes).
    """
    began = time.monotonic()
    spent = work if work is not None else [0]  # search nodes, all students together

    def late(share: float) -> bool:
        if node_limit is not None:  # counted work: the same decisions on any machine
            return spent[0] > share * node_limit
        return time_limit is not None and time.monotonic() - began > share * time_limit

    prefer = prefer or {}
    school = sm.school
    rng = random.Random(seed)
    capacity: dict[str, int] = {}
    for g in sm.groups:
        course = school.course_by_id[g.course]
        cap = course.max_size
        if not course.online:
            rooms = rooms_for(school, course)
            cap = min(cap, max((school.room_by_id[r].capacity for r in rooms), default=0))
        capacity[g.id] = cap
    size: dict[str, int] = defaultdict(int)
    chosen: dict[str, set[str]] = defaultdict(set)

    known: dict[tuple[str, str], list[str]] = {}

    def options(student: str, course: str) -> list[str]:
        key = (student, course)
        if key not in known:
            row = sm.take.get(student, {})
            known[key] = [g.id for g in sm.course_groups.get(course, []) if g.id in row]
        return known[key]

    students = list(school.students)
    rng.shuffle(students)
    sites = group_sites(sm)
    far = _too_far(sm, sites)  # travel between sites, for the clash test
    one_site: dict[str, bool] = {}

    def far_for(student: str):
        """The travel test for a student, None when every group they may take is on one
        site (no two can then be too far apart; on a 1,732-student federation the test
        was called 5 million times, nearly all for such students)."""
        if far is None:
            return None
        if student not in one_site:
            on = {sites.get(g) for g in sm.take.get(student, {})}
            on.discard(None)
            one_site[student] = len(on) <= 1
        return None if one_site[student] else far

    def wishes(st) -> list[tuple[str, int, bool]]:
        """(course, value, is_core): core first (fewest groups first), then choices in order."""
        core = [
            r.course for r in school.student_requests.get(st.id, ()) if r.type is RequestType.CORE
        ]
        core.sort(key=lambda c: len(options(st.id, c)))
        out = [(c, CORE_VALUE, True) for c in core]
        for p, i in enumerate(school.choice_order(st.id), start=1):
            out.append((school.requests[i].course, OPTION_VALUE - RANK_VALUE * rank_cost(p), False))
        return out

    def place(st, released: bool, nodes: int) -> int:
        """Best groups for one student with everyone else fixed; returns the value reached."""
        if released:
            for gid in chosen[st.id]:
                size[gid] -= 1
        picked, value = best_groups(
            wishes(st),
            lambda c: options(st.id, c),
            sm,
            size,
            capacity,
            rng,
            prefer.get(st.id, {}),
            school.option_quota(st.id),
            far_for(st.id),
            nodes,
            spent,
        )
        chosen[st.id] = set(picked)
        for gid in picked:
            size[gid] += 1
        return value

    # Hardest first: students with the fewest choices of group for their core courses.
    def tightness(st) -> int:
        core = [
            r.course for r in school.student_requests.get(st.id, ()) if r.type is RequestType.CORE
        ]
        return sum(len(options(st.id, c)) for c in core) - 2 * len(core)

    students.sort(key=tightness)
    value: dict[str, int] = {}
    fresh = students
    frozen: set[str] = set()
    if start is not None:
        fresh = []
        for st in students:
            before = start.get(st.id)
            kept = (
                _still_fits(sm, before, st.id, size, capacity, far_for(st.id)) if before else None
            )
            if kept is None:
                fresh.append(st)
                continue
            chosen[st.id] = kept
            frozen.add(st.id)
            for gid in kept:
                size[gid] += 1
            value[st.id] = _worth(wishes(st), kept, sm, school.option_quota(st.id))
    if sm.asked_to_change:
        # Re-solving: students who asked to change are placed first (stable: hardest
        # first among them, as among the others).
        fresh = sorted(fresh, key=lambda st: st.id not in sm.asked_to_change)
    for k, st in enumerate(fresh):
        behind = late(FIRST_PASS_SHARE * (k + 1) / len(fresh))
        value[st.id] = place(st, released=False, nodes=LATE_NODES if behind else NODE_LIMIT)
    for _ in range(IMPROVE_PASSES):
        if late(1.0):
            break
        # Groups below their minimum cannot run: close them and re-place their students.
        closing = {
            g.id for g in sm.groups if 0 < size[g.id] < school.course_by_id[g.course].min_size
        }
        for gid in closing:
            capacity[gid] = 0
        for st in students:
            if chosen[st.id] & closing:
                value[st.id] = place(st, True, LATE_NODES if late(1.0) else NODE_LIMIT)
            elif (
                st.id not in frozen
                and value[st.id] < _best_possible(wishes(st), school.option_quota(st.id))
                and not late(1.0)
            ):
                value[st.id] = place(st, True, NODE_LIMIT)
    # Seats taken from others: a student short of a request may take a seat in a full
    # group when someone in it can move to another group of theirs at no loss.
    members: dict[str, set[str]] = defaultdict(set)
    for sid, groups in chosen.items():
        for gid in groups:
            members[gid].add(sid)
    min_size = {g.id: school.course_by_id[g.course].min_size for g in sm.groups}

    def seat(sid: str, groups: set[str]) -> set[str]:
        """Put the student in these groups instead of theirs; returns theirs."""
        was = chosen[sid]
        for gid in was:
            size[gid] -= 1
            members[gid].discard(sid)
        chosen[sid] = groups
        for gid in groups:
            size[gid] += 1
            members[gid].add(sid)
        return was

    def keeps_minimum(was: set[str], now: set[str]) -> bool:
        """No group the student leaves falls below its minimum (it would then close and
        unseat everyone in it)."""
        return all(size[gid] >= min_size[gid] for gid in was - now)

    masks: dict[str, int] = {}

    def mask_of(gid: str) -> int:
        if gid not in masks:
            masks[gid] = slot_mask(sm.group_by_id[gid].slots)
        return masks[gid]

    def relocate(sid: str, gid: str) -> str | None:
        """Another group of the same course the student may move to from this one, with
        a seat, at no clash with their other groups and within reach; None if none."""
        rest = chosen[sid] - {gid}
        busy = 0
        for other in rest:
            busy |= mask_of(other)
        far = far_for(sid)
        for there in options(sid, sm.group_by_id[gid].course):
            if there == gid or size[there] >= capacity[there] or mask_of(there) & busy:
                continue
            if far is None or not any(far(there, other) for other in rest):
                return there
        return None

    def bump(st) -> bool:
        """Seat the student allowing one student over capacity in full groups, then move
        one student of each over-full group elsewhere without loss; all or nothing."""
        sid = st.id
        mine = wishes(st)
        quota = school.option_quota(sid)
        was = seat(sid, set())
        full = {
            gid
            for course, _, _ in mine
            for gid in options(sid, course)
            if 0 < capacity[gid] <= size[gid]
        }
        if not full:  # the passes searched this already
            seat(sid, was)
            return False
        for gid in full:
            capacity[gid] += 1
        picked, gain = best_groups(
            mine,
            lambda c: options(sid, c),
            sm,
            size,
            capacity,
            rng,
            prefer.get(sid, {}),
            quota,
            far_for(sid),
            BUMP_NODES,
            spent,
        )
        for gid in full:
            capacity[gid] -= 1
        if gain <= value[sid]:
            seat(sid, was)
            return False
        seat(sid, set(picked))
        moved: list[tuple[str, set[str], int]] = []  # student, their groups, their value
        ok = keeps_minimum(was, chosen[sid])
        for gid in sorted(g for g in picked if size[g] > capacity[g]):
            if not ok:
                break
            ok = False
            others = sorted(members[gid] - frozen - {sid})
            for other in others:
                there = relocate(other, gid)
                if there is not None:
                    moved.append(
                        (other, seat(other, (chosen[other] - {gid}) | {there}), value[other])
                    )
                    ok = True
                    break
            if ok:
                continue
            for other in others[:BUMP_TRIES]:
                before = seat(other, set())
                held, capacity[gid] = capacity[gid], 0
                groups, worth = best_groups(
                    wishes(by_id[other]),
                    lambda c, o=other: options(o, c),
                    sm,
                    size,
                    capacity,
                    rng,
                    {sm.group_by_id[g].course: g for g in before},
                    school.option_quota(other),
                    far_for(other),
                    BUMP_NODES,
                    spent,
                )
                capacity[gid] = held
                if worth >= value[other] and keeps_minimum(before, set(groups)):
                    seat(other, set(groups))
                    moved.append((other, before, value[other]))
                    value[other] = worth
                    ok = True
                    break
                seat(other, before)
        if not ok:
            for other, before, was_worth in reversed(moved):
                seat(other, before)
                value[other] = was_worth
            seat(sid, was)
            return False
        value[sid] = gain
        return True

    by_id = {st.id: st for st in students}

    def short_of_core(st) -> bool:
        return value[st.id] < sum(worth for _, worth, core in wishes(st) if core)

    short = [
        st
        for st in students
        if st.id not in frozen
        and value[st.id] < _best_possible(wishes(st), school.option_quota(st.id))
    ]
    short.sort(key=lambda st: not short_of_core(st))  # core first; hardest first within
    for st in short:
        if late(BUMP_SHARE):
            break
        bump(st)
    for g in sm.groups:
        if 0 < size[g.id] < min_size[g.id]:
            for groups in chosen.values():
                groups.discard(g.id)
            size[g.id] = 0
    return chosen


def group_sites(sm: SectionModel) -> dict[str, str]:
    """On several sites: the site the greedy placement rooms each group on.

    A group's site must be known before students are placed, or the placement cannot
    keep a student's lessons on two sites far enough apart (on a 1,500-student
    federation, rooming groups on either site afterwards broke the travel rule for most
    students, and no first timetable came out). A group goes where its rooms are if they
    are all on one site; else to its staff's site, while that site has a free room of its
    kind at every slot of its lessons (counting the groups already sited), else to the
    site with the most such rooms free. Empty on one site.
    """
    from constraints.travel import multi_site

    school = sm.school
    if not multi_site(school):
        return {}
    used: dict[tuple[str, int], int] = defaultdict(int)  # (room, slot) -> groups sited there
    out: dict[str, str] = {}
    sited: dict[str, list[str]] = defaultdict(list)  # staff -> sites of their groups so far
    # A member of staff's groups one after another, so that they share a site.
    for g in sorted(sm.groups, key=lambda g: (g.staff, g.id)):
        keys = [(g.id, li) for li in range(len(g.lessons)) if (g.id, li) in sm.room]
        if not keys:
            continue  # online
        by_site: dict[str, set[str]] = defaultdict(set)
        for k in keys:
            for r in sm.room[k]:
                by_site[school.room_by_id[r].site].add(r)

        def free(site: str, g=g, by_site=by_site) -> int:
            """Slots of the group's lessons with an eligible room left on the site."""
            rooms = by_site[site]
            return sum(
                1
                for t in g.slots
                if sum(school.room_by_id[r].max_groups - used[(r, t)] for r in rooms) > 0
            )

        wanted = [site for p in g.staff for site in sited[p]] + [
            school.staff_by_id[p].site for p in g.staff if p in school.staff_by_id
        ]
        order = sorted(by_site, key=lambda site: (-wanted.count(site), -free(site), site))
        pick = next(
            (site for site in order if free(site) == len(g.slots)),
            max(by_site, key=lambda site: (free(site), site)),
        )
        out[g.id] = pick
        for p in g.staff:
            sited[p].append(pick)
        for t in g.slots:
            room = min(by_site[pick], key=lambda r: (used[(r, t)], r))
            used[(room, t)] += 1
    return out


def _too_far(sm: SectionModel, sites: dict[str, str]):
    """A cached test: are two groups on different sites too close to travel between?
    None on a single site (nothing to test). ``sites``: :func:`group_sites`."""
    from constraints.travel import multi_site, too_far

    school = sm.school
    if not multi_site(school):
        return None
    cache: dict[tuple[str, str], bool] = {}

    def far(a: str, b: str) -> bool:
        key = (a, b) if a < b else (b, a)
        if key not in cache:
            ga, gb = sm.group_by_id[a], sm.group_by_id[b]
            sa, sb = sites.get(a), sites.get(b)
            bad = False
            if sa is not None and sb is not None and sa != sb:
                bad = any(
                    too_far(school, la.slots, sa, lb.slots, sb)
                    for la in ga.lessons
                    for lb in gb.lessons
                )
            cache[key] = bad
        return cache[key]

    return far


def _still_fits(sm, groups, student, size, capacity, far) -> set[str] | None:
    """A student's former groups, if they may still all be taken together (allowed,
    no two at once, reachable in time, seats left); else None."""
    row = sm.take.get(student, {})
    busy: set[int] = set()
    kept: list[str] = []
    for gid in sorted(groups):
        if gid not in row or size[gid] >= capacity[gid]:
            return None
        slots = sm.group_by_id[gid].slots
        if slots & busy or (far is not None and any(far(gid, o) for o in kept)):
            return None
        busy |= slots
        kept.append(gid)
    return set(kept)


def _worth(wishes: list[tuple[str, int, bool]], groups: set[str], sm, quota: int) -> int:
    """What a set of groups is worth to a student, as :func:`best_groups` counts it: the
    best possible of the wishes those groups meet."""
    courses = {sm.group_by_id[g].course for g in groups}
    return _best_possible([w for w in wishes if w[0] in courses], quota)


def _best_possible(wishes: list[tuple[str, int, bool]], quota: int) -> int:
    """Every core wish and the most valuable option wishes the quota allows."""
    options = sorted((worth for _, worth, core in wishes if not core), reverse=True)
    return sum(worth for _, worth, core in wishes if core) + sum(options[: max(0, quota)])


def best_groups(
    wishes,
    options,
    sm,
    size,
    capacity,
    rng,
    mine,
    quota,
    far,
    limit: int = 3000,
    spent: list[int] | None = None,
) -> tuple[list[str], int]:
    """The most valuable clash-free set of groups for one student (depth-first, bounded).

    ``wishes`` are (course, value, is_core); at most ``quota`` non-core wishes are taken.
    Core wishes are placed most constrained first: at each step the core course with the
    fewest groups still free of clashes (a course with none is left unmet at once, instead
    of being tried under every arrangement of the others; measured on a poor 2,000-student
    timetable: 324 core requests left unmet by the fixed order in 21.7 s, 9 by this one
    in 13.7 s).
    Then options in the student's order of choice.
    """
    best: list[str] = []
    best_value = -1
    nodes = 0
    core_of = [i for i, w in enumerate(wishes) if w[2]]
    option_of = [i for i, w in enumerate(wishes) if not w[2]]
    # What options from the j-th on could still add with k places left: the k best.
    top = []
    for j in range(len(option_of) + 1):
        values = sorted((wishes[i][1] for i in option_of[j:]), reverse=True)
        top.append([0, *_running_sums(values)])

    def options_rest(j: int, taken: int) -> int:
        sums = top[j]
        return sums[max(0, min(quota - taken, len(sums) - 1))]

    ceiling = sum(wishes[i][1] for i in core_of) + options_rest(0, 0)
    # Each wish's groups with places, in the order to try them (their own provisional
    # group first, then the emptiest): fixed for the whole search, so sorted once here
    # rather than at every node (on 2,000 students with many stage groups, sorting at
    # every node was half the greedy's time).
    candidates = []
    for course, _, _ in wishes:
        cands = [g for g in options(course) if size[g] < capacity[g]]
        cands.sort(
            key=lambda g: (g != mine.get(course), size[g] / max(1, capacity[g]), rng.random())
        )
        candidates.append([(g, slot_mask(sm.group_by_id[g].slots)) for g in cands])

    # A set of slots is a bit mask here (bit t: slot t): the search tests and joins them
    # at every node.
    def free(i: int, busy: int, picked: list[str]) -> list:
        return [
            (g, slots)
            for g, slots in candidates[i]
            if not slots & busy and (far is None or not any(far(g, o) for o in picked))
        ]

    def seen(picked: list[str], value: int) -> bool:
        """Count a node and keep a better set; True when the search should stop."""
        nonlocal best, best_value, nodes
        nodes += 1
        if value > best_value:
            best, best_value = list(picked), value
        return nodes > limit or best_value >= ceiling

    def core(left: tuple[int, ...], busy: int, picked: list[str], value: int) -> None:
        if not left:
            choose(0, busy, picked, value, 0)
            return
        if seen(picked, value) or (
            value + sum(wishes[i][1] for i in left) + options_rest(0, 0) <= best_value
        ):
            return
        pick, fits = left[0], None
        for i in left:
            here = free(i, busy, picked)
            if fits is None or len(here) < len(fits):
                pick, fits = i, here
                if not here:
                    break
        rest = tuple(i for i in left if i != pick)
        worth = wishes[pick][1]
        for gid, slots in cast(list, fits):  # set: ``left`` is not empty
            picked.append(gid)
            core(rest, busy | slots, picked, value + worth)
            picked.pop()
        core(rest, busy, picked, value)  # leave this core course unmet

    def choose(j: int, busy: int, picked: list[str], value: int, taken: int) -> None:
        if (
            seen(picked, value)
            or j == len(option_of)
            or value + options_rest(j, taken) <= best_value
        ):
            return
        i = option_of[j]
        if taken < quota:
            for gid, slots in free(i, busy, picked):
                picked.append(gid)
                choose(j + 1, busy | slots, picked, value + wishes[i][1], taken + 1)
                picked.pop()
        choose(j + 1, busy, picked, value, taken)  # leave this option unmet

    core(tuple(core_of), 0, [], 0)
    if spent is not None:
        spent[0] += nodes
    return best, best_value


def slot_mask(slots) -> int:
    """A set of slots as a bit mask (bit t set for slot t)."""
    mask = 0
    for t in slots:
        mask |= 1 << t
    return mask


def _running_sums(values: list[int]) -> list[int]:
    out, total = [], 0
    for v in values:
        total += v
        out.append(total)
    return out


def greedy_rooms(sm: SectionModel, chosen: dict[str, set[str]]) -> dict[tuple[str, int], str]:
    """A room for every lesson of every group the greedy placement runs.

    Lessons are roomed in order of their first slot (interval partitioning: a room free
    when a lesson starts is then free for the whole lesson, as far as the lessons already
    roomed go, so rooms of one kind are never wasted by a lesson roomed out of turn;
    measured on a 2,000-student timetable, the former order, fewest eligible rooms first,
    left a double PE lesson without a gym although six gyms held five groups at each of
    its periods). Best fit: the group's room for its other lessons, else the smallest free
    room that seats it, the room fewest other lessons could use first. A group that finds
    no room for some lesson is taken out of ``chosen`` (its students stay unplaced in the
    hint; the solver may still do better).
    """
    school = sm.school
    size: dict[str, int] = defaultdict(int)
    for groups in chosen.values():
        for gid in groups:
            size[gid] += 1
    count: dict[tuple[str, int], int] = defaultdict(int)
    seats: dict[tuple[str, int], int] = defaultdict(int)
    out: dict[tuple[str, int], str] = {}
    keys = [k for k in sm.room if size[k[0]] > 0]
    demand: dict[str, int] = defaultdict(int)  # lessons that could use each room
    for k in keys:
        for r in sm.room[k]:
            demand[r] += 1

    def start(k: tuple[str, int]) -> int:
        return min(sm.group_by_id[k[0]].lessons[k[1]].slots, default=0)

    keys.sort(key=lambda k: (start(k), len(sm.room[k]), -size[k[0]]))
    sites = group_sites(sm)
    dropped: set[str] = set()
    home: dict[str, str] = {}
    for gid, li in keys:
        if gid in dropped:
            continue
        slots = sm.group_by_id[gid].lessons[li].slots
        n = size[gid]

        def fits(r: str, n: int = n, slots=slots) -> bool:
            room = school.room_by_id[r]
            return room.capacity >= n and all(
                count[(r, t)] < room.max_groups and seats[(r, t)] + n <= room.capacity
                for t in slots
            )

        free = [r for r in sm.room[(gid, li)] if fits(r)]
        if sites.get(gid) is not None:
            # The group's own site first (students were placed with it in mind).
            free = [r for r in free if school.room_by_id[r].site == sites[gid]] or free
        if not free:
            dropped.add(gid)
            continue
        before = sm.previous_rooms.get((gid, li))
        pick = (
            before
            if before is not None and before in free
            else cast(str, home.get(gid))
            if home.get(gid) in free
            else min(free, key=lambda r: (school.room_by_id[r].capacity, demand[r], r))
        )
        home.setdefault(gid, pick)
        out[(gid, li)] = pick
        for t in slots:
            count[(pick, t)] += 1
            seats[(pick, t)] += n
    for gid in dropped:
        for groups in chosen.values():
            groups.discard(gid)
        for li in range(len(sm.group_by_id[gid].lessons)):
            key = (gid, li)
            if key in out:
                for t in sm.group_by_id[gid].lessons[li].slots:
                    count[(out[key], t)] -= 1
                    seats[(out[key], t)] -= size[gid]
                del out[key]
    return out


def greedy_tutors(sm: SectionModel, chosen: dict[str, set[str]]) -> dict[str, str]:
    """A tutor group for every student: families together, houses kept, years spread."""
    school = sm.school
    if not school.tutor_groups:
        return {}
    load: dict[str, int] = defaultdict(int)
    per_year: dict[tuple[str, int], int] = defaultdict(int)
    units: dict[str, list] = defaultdict(list)
    for st in school.students:
        units[st.family or f"\0{st.id}"].append(st)
    # Re-solving: students with a published tutor group first, so newcomers do not take
    # their places.
    order = sorted(
        units.values(),
        key=lambda members: (
            not any(st.id in sm.previous_tutors for st in members),
            -len(members),
            members[0].id,
        ),
    )
    out: dict[str, str] = {}
    for members in order:
        options = None
        for st in members:
            mine = set(sm.tutor.get(st.id, {}))
            busy = (
                set().union(*(sm.group_by_id[g].slots for g in chosen.get(st.id, ())))
                if chosen.get(st.id)
                else set()
            )
            mine = {tg for tg in mine if not (school.tutor_time(st, tg) & busy)} or mine
            options = mine if options is None else options & mine
        if not options:
            continue
        fitting = [
            tg for tg in options if load[tg] + len(members) <= school.tutor_group_by_id[tg].capacity
        ] or list(options)
        before = {sm.previous_tutors.get(st.id) for st in members}
        pick = min(
            fitting,
            key=lambda tg: (
                tg not in before,  # re-solving: their published tutor group first
                sum(per_year[(tg, st.year)] for st in members),
                load[tg],
                tg,
            ),
        )
        for st in members:
            out[st.id] = pick
            load[pick] += 1
            per_year[(pick, st.year)] += 1
    return out


def exact_rooms(
    sm: SectionModel,
    chosen: dict[str, set[str]],
    start: dict[tuple[str, int], str],
    time_limit: float,
    seed: int = 0,
    workers: int = 1,
    clock: Clock | None = None,
) -> dict[tuple[str, int], str] | None:
    """Rooms for the lessons of every group in ``chosen``, by a small CP-SAT model of
    rooms alone (students fixed), seating as many students as it can; groups it cannot
    room are taken out of ``chosen``. ``start`` (a partial answer) is the hint. Returns
    None when nothing was found in time (``chosen`` is then left as it was).

    Used when the greedy rooming leaves a group out: rooming lessons of fixed times is an
    assignment problem that a first-fit order can get wrong.
    """
    school = sm.school
    size: dict[str, int] = defaultdict(int)
    for groups in chosen.values():
        for gid in groups:
            size[gid] += 1
    m = cp_model.CpModel()
    runs: dict[str, cp_model.IntVar] = {}
    pick: dict[tuple[str, int], dict[str, cp_model.IntVar]] = {}
    at: dict[tuple[str, int], list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for (gid, li), options in sm.room.items():
        n = size[gid]
        if n == 0:
            continue
        if gid not in runs:
            runs[gid] = m.new_bool_var("")
        row = {r: m.new_bool_var("") for r in options if school.room_by_id[r].capacity >= n}
        pick[(gid, li)] = row
        m.add(sum(row.values()) == runs[gid])
        for r, v in row.items():
            m.add_hint(v, start.get((gid, li)) == r)
            for t in sm.group_by_id[gid].lessons[li].slots:
                at[(r, t)].append((n, v))
    for (r, t), uses in at.items():
        room = school.room_by_id[r]
        if len(uses) > room.max_groups:
            m.add(sum(v for _, v in uses) <= room.max_groups)
        if room.max_groups > 1 and sum(n for n, _ in uses) > room.capacity:
            m.add(sum(n * v for n, v in uses) <= room.capacity)
    m.maximize(sum(size[g] * v for g, v in runs.items()))
    solver, status = solve_phase(m, time_limit, clock, "rooms", seed, workers, python_sigint=True)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    out = {k: r for k, row in pick.items() for r, v in row.items() if solver.value(v)}
    dropped = {g for g, v in runs.items() if not solver.value(v)}
    for groups in chosen.values():
        groups -= dropped
    return out


def _keep_travel(
    sm: SectionModel, chosen: dict[str, set[str]], rooms: dict[tuple[str, int], str]
) -> None:
    """Where the rooms finally chosen leave too little time to travel between two lessons
    (a room had to be found on another site than the group's): a group its staff cannot
    reach in time does not run, and a student is taken out of a group they cannot reach.
    The hint then keeps every travel rule, with those requests unmet."""
    from constraints.travel import multi_site, too_far

    school = sm.school
    if not multi_site(school):
        return
    core = {(r.student, r.course) for r in school.requests if r.type is RequestType.CORE}

    def site(gid: str, li: int) -> str | None:
        r = rooms.get((gid, li))
        return None if r is None else school.room_by_id[r].site

    def apart(gid: str, other: str) -> bool:
        """Whether two groups' lessons, in their rooms, leave too little time to travel."""
        ga, gb = sm.group_by_id[gid], sm.group_by_id[other]
        for la_i, la in enumerate(ga.lessons):
            for lb_i, lb in enumerate(gb.lessons):
                sa, sb = site(gid, la_i), site(other, lb_i)
                if sa is None or sb is None or sa == sb:
                    continue
                if too_far(school, la.slots, sa, lb.slots, sb):
                    return True
        return False

    # Staff first: a group whose teacher cannot reach it in time does not run.
    size: dict[str, int] = defaultdict(int)
    for groups in chosen.values():
        for gid in groups:
            size[gid] += 1
    teaches: dict[str, list[str]] = defaultdict(list)
    for gid in sorted(size, key=lambda g: (-size[g], g)):
        for p in sm.group_by_id[gid].staff:
            teaches[p].append(gid)
    stopped: set[str] = set()
    for p in sorted(teaches):
        kept_p: list[str] = []
        for gid in teaches[p]:
            if gid in stopped:
                continue
            if any(apart(gid, other) for other in kept_p):
                stopped.add(gid)
            else:
                kept_p.append(gid)
    for groups in chosen.values():
        groups -= stopped

    for student in sorted(chosen):
        # Core groups first: they are kept before options.
        mine = sorted(
            chosen[student],
            reverse=True,
            key=lambda g: ((student, sm.group_by_id[g].course) in core, g),
        )
        kept: list[str] = []
        for gid in mine:
            if not any(apart(gid, other) for other in kept):
                kept.append(gid)
        chosen[student] = set(kept)


def seat_rooms_and_tutors(
    sm: SectionModel,
    chosen: dict[str, set[str]],
    seed: int = 0,
    workers: int = 1,
    room_time: float = 10.0,
    clock: Clock | None = None,
) -> tuple[dict[tuple[str, int], str], dict[str, str]]:
    """Rooms and tutor groups for the greedy placement ``chosen`` (student -> group ids,
    changed in place: students leave groups that get no room, that travel rules out, or
    that fall below their minimum size). Returns the room of each (group, lesson) and the
    tutor group of each student.

    Where the greedy rooming leaves a group without a room, the rooms are found again
    exactly (:func:`exact_rooms`, at most ``room_time`` seconds) and the better kept.
    """
    wanted = {s: set(gs) for s, gs in chosen.items()}
    rooms = greedy_rooms(sm, chosen)  # may take unroomable groups out of ``chosen``
    if any(chosen[s] != gs for s, gs in wanted.items()) and room_time > 0:
        again = exact_rooms(sm, wanted, rooms, room_time, seed, workers, clock)
        seated = sum(len(gs) for gs in chosen.values())
        if again is not None and sum(len(gs) for gs in wanted.values()) > seated:
            rooms = again
            for s, gs in wanted.items():
                chosen[s] = gs
    _keep_travel(sm, chosen, rooms)
    tutors = greedy_tutors(sm, chosen)
    _keep_tutor_travel(sm, chosen, rooms, tutors)
    # Groups that travel emptied or left below their minimum do not run: no room either.
    size: dict[str, int] = defaultdict(int)
    for gs in chosen.values():
        for gid in gs:
            size[gid] += 1
    small = {
        gid
        for gid, n in size.items()
        if n < sm.school.course_by_id[sm.group_by_id[gid].course].min_size
    }
    for gs in chosen.values():
        gs -= small
    rooms = {k: r for k, r in rooms.items() if size[k[0]] > 0 and k[0] not in small}
    return rooms, tutors


def _keep_tutor_travel(
    sm: SectionModel,
    chosen: dict[str, set[str]],
    rooms: dict[tuple[str, int], str],
    tutors: dict[str, str],
) -> None:
    """A student leaves a group whose lesson, on another site, leaves too little time to
    travel from or to their tutor time (the tutor group's room); the request is then
    unmet rather than the travel rule broken (seen on a 2,505-student two-site school:
    every first timetable broke it, and the first came at 268 s of 300)."""
    from constraints.travel import multi_site, too_far

    school = sm.school
    if not multi_site(school):
        return
    for student, tg_id in tutors.items():
        tg = school.tutor_group_by_id[tg_id]
        if tg.room is None or not chosen.get(student):
            continue
        there = school.room_by_id[tg.room].site
        meets = sorted(school.tutor_time(school.student_by_id[student], tg_id))
        for gid in sorted(chosen[student]):
            for li, lesson in enumerate(sm.group_by_id[gid].lessons):
                room = rooms.get((gid, li))
                site = None if room is None else school.room_by_id[room].site
                if site is None or site == there:
                    continue
                if any(too_far(school, lesson.slots, site, (t,), there) for t in meets):
                    chosen[student].discard(gid)
                    break


def hint_placement(
    sm: SectionModel,
    chosen: dict[str, set[str]],
    rooms: dict[tuple[str, int], str],
    tutors: dict[str, str],
) -> None:
    """Every variable of the section model hinted from a complete placement."""
    m = sm.model
    for key, options in sm.room.items():
        for r, v in options.items():
            m.add_hint(v, rooms.get(key) == r)
    for student, row in sm.tutor.items():
        for tg, v in row.items():
            m.add_hint(v, tutors.get(student) == tg)
    size: dict[str, int] = defaultdict(int)
    for student, row in sm.take.items():
        mine = chosen.get(student, set())
        for gid, v in row.items():
            on = gid in mine
            m.add_hint(v, on)
            size[gid] += on
    placed = {(s, sm.group_by_id[g].course) for s, gs in chosen.items() for g in gs}
    for i, req in enumerate(sm.school.requests):
        m.add_hint(sm.met[i], (req.student, req.course) in placed)
    for g in sm.groups:
        m.add_hint(sm.size[g.id], size[g.id])
        m.add_hint(sm.runs[g.id], size[g.id] > 0)
