"""A greedy lesson placement: a first timetable in seconds, whatever the school.

CP-SAT finds a complete placement quickly on most schools, but on some it finds none in
the time a first timetable may take (a 500-student school of another generator: its
presolve alone took 17 s, and then no placement in 30 s). This places groups one at a
time, hardest first, each lesson on the run of slots that costs least, keeping the hard
rules of the timetable phase as it goes:

* a lesson takes one of its allowed runs (``tm.place``: after every rule family's
  ``restrict_timetable``, so staff availability, tutor time, rooms never free and
  students never free are already out);
* a group's lessons fall on different days (at most ``ceil(lessons / days)`` a day), and
  identical lessons are taken in start order (the lessons rule's symmetry);
* staff teach one lesson at a time;
* a student's fixed sections (a ``sections`` count, the course's only group, core for
  them) never overlap, as a school of fixed classes needs;
* every lesson has a room of its kind that seats the group's expected size, free at all
  its slots (so the rooms rule's counts hold), and on several sites its staff have the
  travel time between their lessons' rooms.

What a run costs: the provisional students (``tentative``) of the group who already have
a placed group at one of its slots, then days already crowded for them. A group that
finds no room, staff time or day for some lesson is left unplaced. The result is checked
by the timetable model itself (scheduler.solver.engine), never trusted.
"""

from __future__ import annotations

import math
from collections import defaultdict

from constraints.base import TimetableModel
from constraints.min_days import not_next_to, side_by_side_partners
from constraints.rooms import rooms_for
from constraints.student_clashes import fixed_core_sections
from constraints.travel import multi_site, too_far
from scheduler.plan import expected_size

Run = tuple[int, ...]


#: Passes of the greedy placement: a pass that leaves groups out is followed by one that
#: places those groups first ("squeaky wheel"); the pass placing most groups is kept.
PASSES = 3


def greedy_lessons(
    tm: TimetableModel,
    tentative: dict[str, dict[str, str]] | None = None,
    passes: int = PASSES,
    passes_run: list[int] | None = None,
) -> dict[str, tuple[Run, ...]]:
    """Runs for the lessons of every group it can place (group id -> runs, lesson order).

    Groups go hardest first (fewest allowed runs, longest lessons). Where a pass leaves
    groups out, the next places them first, up to ``passes`` passes; the pass that places
    the most groups is kept (the first of equals). Each pass is cheap (about 1 s on
    3,000 students), while CP-SAT completing a placement took 7-10 s there. The passes
    made are added to ``passes_run[0]``."""

    def options(g) -> int:
        return sum(len(per) for per in tm.place[g.id])

    order = sorted(tm.groups, key=lambda g: (options(g), -sum(x.length for x in g.lessons), g.id))
    placeable = [g for g in order if all(tm.place[g.id])]
    best: dict[str, tuple[Run, ...]] = {}
    for attempt in range(max(1, passes)):
        out = _one_pass(tm, tentative, order)
        if passes_run is not None:
            passes_run[0] += 1
        if attempt == 0 or len(out) > len(best):
            best = out
        if len(out) == len(placeable):
            break
        left_out = [g for g in placeable if g.id not in out]
        ids = {g.id for g in left_out}
        order = left_out + [g for g in order if g.id not in ids]
    return best


def _one_pass(
    tm: TimetableModel,
    tentative: dict[str, dict[str, str]] | None,
    order: list,
) -> dict[str, tuple[Run, ...]]:
    """One greedy pass over the groups in ``order``."""
    school = tm.school
    cal = school.calendar
    day_of = [s.day for s in cal.slots]
    travel = multi_site(school)
    per_course: dict[str, int] = defaultdict(int)
    for g in tm.groups:
        per_course[g.course] += 1
    # Students of each group, and the slots each student already has.
    members: dict[str, list[str]] = defaultdict(list)
    for student, row in (tentative or {}).items():
        for gid in row.values():
            members[gid].append(student)
    busy_student: dict[str, set[int]] = defaultdict(set)
    # A student's core fixed sections never overlap (no provisional choice; the strict
    # rungs and the first timetable's model keep them apart too).
    fixed_core: dict[str, list[str]] = defaultdict(list)
    for pupil, gids in fixed_core_sections(school, tm.groups).items():
        for gid in gids:
            fixed_core[gid].append(pupil)
    busy_fixed: dict[str, set[int]] = defaultdict(set)
    busy_staff: dict[str, set[int]] = defaultdict(set)
    staff_at: dict[str, list[tuple[Run, str]]] = defaultdict(list)  # staff -> (run, site)
    room_use: dict[tuple[str, int], int] = defaultdict(int)

    def rooms_of(g) -> list[str]:
        course = school.course_by_id[g.course]
        if course.online:
            return []
        size = expected_size(school, course, per_course[g.course])
        eligible = rooms_for(school, course)
        fits = [r for r in eligible if school.room_by_id[r].capacity >= size] or list(eligible)
        return sorted(fits, key=lambda r: (school.room_by_id[r].capacity, r))

    def free_room(rooms: list[str], run: Run) -> str | None:
        for r in rooms:
            room = school.room_by_id[r]
            if all(t not in room.unavailable and room_use[(r, t)] < room.max_groups for t in run):
                return r
        return None

    # Lessons kept next to each other when on one day (a soft min_days_apart row with
    # consecutive_if_same_day), and the runs of lessons placed so far.
    partners = side_by_side_partners(tm)
    placed_run: dict[tuple[str, int], Run] = {}

    def beside_partners(gid: str, li: int, run: Run) -> bool:
        for other in (placed_run.get(p) for p in partners.get((gid, li), ())):
            if other is not None and day_of[other[0]] == day_of[run[0]] and not_next_to(run, other):
                return False
        return True

    def reachable(staff: tuple[str, ...], run: Run, site: str) -> bool:
        for p in staff:
            for other, there in staff_at[p]:
                if there != site and too_far(school, run, site, other, there):
                    return False
        return True

    out: dict[str, tuple[Run, ...]] = {}
    for g in order:
        lessons = tm.place[g.id]
        if any(not per for per in lessons):
            continue
        staff = tm.staff_of.get(g.id, ())
        rooms = rooms_of(g)
        online = school.course_by_id[g.course].online
        per_day = max(1, math.ceil(len(lessons) / cal.num_days))
        students = members.get(g.id, [])
        bound = fixed_core.get(g.id, [])
        used_days: dict[str, int] = defaultdict(int)
        taken: set[int] = set()
        chosen: list[tuple[Run, str | None]] = []
        # The group's students' lessons so far, counted once per group (nothing of them
        # changes while its own lessons are chosen): per slot, and per day for the crowd.
        busy_at: dict[int, int] = defaultdict(int)
        crowd_on: dict[str, int] = defaultdict(int)
        for s in students:
            for t in busy_student[s]:
                busy_at[t] += 1
                crowd_on[day_of[t]] += 1
        # Longest lessons first: they have the fewest runs.
        for li in sorted(range(len(lessons)), key=lambda i: (-g.lessons[i].length, i)):
            best: tuple[tuple[int, int, int], Run, str | None] | None = None
            for run in lessons[li]:
                day = day_of[run[0]]
                if used_days[day] >= per_day or taken.intersection(run):
                    continue
                if any(busy_staff[p].intersection(run) for p in staff):
                    continue
                if any(busy_fixed[s].intersection(run) for s in bound):
                    continue
                if partners and not beside_partners(g.id, li, run):
                    continue
                room = None
                if not online:
                    room = free_room(rooms, run)
                    if room is None:
                        continue
                    if travel and not reachable(staff, run, school.room_by_id[room].site):
                        continue
                if len(run) == 1:
                    clashes = busy_at[run[0]]
                else:
                    clashes = sum(1 for s in students if busy_student[s].intersection(run))
                key = (clashes, crowd_on[day], run[0])
                if best is None or key < best[0]:
                    best = (key, run, room)
            if best is None:
                chosen = []
                break
            _, run, room = best
            chosen.append((run, room))
            used_days[day_of[run[0]]] += 1
            taken.update(run)
        if len(chosen) != len(lessons):
            continue
        for run, room in chosen:
            for t in run:
                if room is not None:
                    room_use[(room, t)] += 1
            for p in staff:
                busy_staff[p].update(run)
                if room is not None:
                    staff_at[p].append((run, school.room_by_id[room].site))
            for s in students:
                busy_student[s].update(run)
            for s in bound:
                busy_fixed[s].update(run)
        # Identical lessons in start order (the lessons rule's symmetry breaking).
        runs = [run for run, _ in chosen]
        by_length: dict[int, list[Run]] = defaultdict(list)
        for run in runs:
            by_length[len(run)].append(run)
        for same in by_length.values():
            same.sort()
        out[g.id] = tuple(by_length[lesson.length].pop(0) for lesson in g.lessons)
        for k, run in enumerate(out[g.id]):
            placed_run[(g.id, k)] = run
    return out
