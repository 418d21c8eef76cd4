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
  travel time between their lessons' rooms;
* the Rules sheet's hard limits that only tighten as lessons are added: staff's and
  students' most periods a day and in a row, staff's most days, lessons kept days or
  periods apart (:mod:`scheduler.solver.day_limits`).

What a run costs: the provisional students (``tentative``) of the group who already have
a placed group at one of its slots or can never come then (a home-learning day for a
school-mode course, their own unavailability, tutor time) (``CORE_CLASH`` each where
both groups are core for the student, or the group is core for them and they cannot
come, else 1), then days already crowded for them. A group that finds no room,
staff time or day for some lesson is left unplaced. Then sweeps take each group out and
put it back where it costs least against everything else (:meth:`_Board.sweep`), which
the first groups, placed before most of the rest, could not see. The result is checked
by the timetable model itself (scheduler.solver.engine), never trusted.
"""

from __future__ import annotations

from collections import defaultdict

from constraints.base import TimetableModel
from constraints.min_days import not_next_to, side_by_side_partners
from constraints.rooms import rooms_for
from constraints.same_start import start_partners
from constraints.student_clashes import blocked_slots, fixed_core_sections
from constraints.travel import multi_site, too_far
from scheduler.model import RequestType
from scheduler.plan import expected_size
from scheduler.solver.day_limits import DayLimits

Run = tuple[int, ...]


#: Passes of the greedy placement: a pass that leaves groups out is followed by one that
#: places those groups first ("squeaky wheel"); the pass placing most groups is kept.
PASSES = 3

#: Sweeps after the passes (:meth:`_Board.sweep`), stopping at one that changes nothing
#: (on the 600-student regression school a sweep took 0.05 s and the sixth changed
#: nothing; student clashes 1,887 -> 1,607).
SWEEPS = 8

#: The most placed groups a left-out group may push out of its way (:meth:`_Board.repair`);
#: each is then placed again elsewhere, or the move is undone.
EJECT = 3

#: How deep such moves chain: a group pushed out that finds no place may push others out
#: of its own way (never one moved before in the chain), and so on, this many times in all.
EJECT_DEPTH = 2

#: What a clash between two of a student's core groups costs, against 1 for a clash with
#: an option (the objective weighs a core request far above an option). Median first
#: timetable over four seeds, four schools (BENCHMARKS.md, sixteenth session): 3 and 30
#: were worse than 10 on three and on one of them, 1 worse on all four.
CORE_CLASH = 10


def greedy_lessons(
    tm: TimetableModel,
    tentative: dict[str, dict[str, str]] | None = None,
    passes: int = PASSES,
    passes_run: list[int] | None = None,
    sweeps: int = 0,
    sweeps_run: list[int] | None = None,
    rooms_out: dict[str, list[tuple[Run, str | None]]] | None = None,
    repair: bool = True,
) -> dict[str, tuple[Run, ...]]:
    """Runs for the lessons of every group it can place (group id -> runs, lesson order).

    Groups go hardest first (fewest allowed runs, longest lessons). Where a pass leaves
    groups out, the next places them first, up to ``passes`` passes; the pass that places
    the most groups is kept (the first of equals). Each pass is cheap (about 1 s on
    3,000 students), while CP-SAT completing a placement took 7-10 s there. The passes
    made are added to ``passes_run[0]``. Groups still left out are then placed by moving
    the fewest groups in their way (:meth:`_Board.repair`, unless ``repair`` is False).
    Then up to ``sweeps`` sweeps of
    :meth:`_Board.sweep` move groups to runs where fewer of their provisional students
    are busy (the sweeps made are added to ``sweeps_run[0]``)."""

    def options(g) -> int:
        return sum(len(per) for per in tm.place[g.id])

    order = sorted(tm.groups, key=lambda g: (options(g), -sum(x.length for x in g.lessons), g.id))
    placeable = [g for g in order if all(tm.place[g.id])]
    best: _Board | None = None
    for attempt in range(max(1, passes)):
        board = _Board(tm, tentative)
        for g in order:
            board.place(g)
        if passes_run is not None:
            passes_run[0] += 1
        if best is None or len(board.out) > len(best.out):
            best = board
        if len(board.out) == len(placeable):
            break
        left_out = [g for g in placeable if g.id not in board.out]
        ids = {g.id for g in left_out}
        order = left_out + [g for g in order if g.id not in ids]
    assert best is not None
    if repair and len(best.out) < len(placeable):
        best.repair(placeable)
    best.sweeps(placeable, sweeps, sweeps_run)
    best.rooms_into(rooms_out)
    return dict(best.out)


class _Board:
    """A lesson placement being built: what each student, staff member and room is busy
    with, so that a group can be placed, taken out and placed again."""

    def __init__(self, tm: TimetableModel, tentative: dict[str, dict[str, str]] | None):
        self.tm = tm
        school = self.school = tm.school
        cal = school.calendar
        self.day_of = [s.day for s in cal.slots]
        self.travel = multi_site(school)
        per_course: dict[str, int] = defaultdict(int)
        for g in tm.groups:
            per_course[g.course] += 1
        self.per_course = per_course
        # Students of each group, and how many of their groups each has at each slot.
        members: dict[str, list[str]] = defaultdict(list)
        core_of: dict[str, set[str]] = defaultdict(set)  # group -> students it is core for
        core = {(r.student, r.course) for r in school.requests if r.type is RequestType.CORE}
        course_of = {g.id: g.course for g in tm.groups}
        for student, row in (tentative or {}).items():
            for gid in row.values():
                members[gid].append(student)
                if (student, course_of.get(gid)) in core:
                    core_of[gid].add(student)
        self.members = members
        self.core_of = core_of
        # Slots a provisional student can never attend the group's lessons (home days
        # for a school-mode course, their own unavailability, tutor time), as bit masks
        # per (student, online course): a lesson there costs them as a clash does.
        self._blocked: dict[tuple[str, bool], int] = {}
        self.online = {g.id: school.course_by_id[g.course].online for g in tm.groups}
        self.busy_student: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        # ... and how many of them are core for the student.
        self.busy_core: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        # The same as bit masks (bit t: busy at slot t), for the clash test of a run.
        self.busy_mask: dict[str, int] = defaultdict(int)
        self.core_mask: dict[str, int] = defaultdict(int)
        self._run_mask: dict[Run, int] = {}
        # A student's core fixed sections never overlap (no provisional choice; the strict
        # rungs and the first timetable's model keep them apart too).
        fixed_core: dict[str, list[str]] = defaultdict(list)
        for pupil, gids in fixed_core_sections(school, tm.groups).items():
            for gid in gids:
                fixed_core[gid].append(pupil)
        self.fixed_core = fixed_core
        self.busy_fixed: dict[str, set[int]] = defaultdict(set)
        self.busy_staff: dict[str, set[int]] = defaultdict(set)
        self.staff_at: dict[str, list[tuple[Run, str]]] = defaultdict(list)  # staff -> (run, site)
        self.room_use: dict[tuple[str, int], int] = defaultdict(int)
        # Lessons kept next to each other when on one day (a soft min_days_apart row with
        # consecutive_if_same_day), and the runs of lessons placed so far.
        self.partners = side_by_side_partners(tm)
        # Lessons a hard row makes start together: each starts where those placed do.
        self.starts_with = start_partners(tm)
        self.placed_run: dict[tuple[str, int], Run] = {}
        # The Rules rows' hard limits on a day that only tighten as lessons are added.
        self.limits = DayLimits(tm)
        self.out: dict[str, tuple[Run, ...]] = {}
        self.chosen: dict[str, list[tuple[Run, str | None]]] = {}  # lesson order
        self._rooms: dict[str, list[str]] = {}

    def rooms_of(self, g) -> list[str]:
        if g.id not in self._rooms:
            school = self.school
            course = school.course_by_id[g.course]
            if course.online:
                self._rooms[g.id] = []
            else:
                size = expected_size(school, course, self.per_course[g.course])
                eligible = rooms_for(school, course)
                fits = [r for r in eligible if school.room_by_id[r].capacity >= size]
                self._rooms[g.id] = sorted(
                    fits or list(eligible), key=lambda r: (school.room_by_id[r].capacity, r)
                )
        return self._rooms[g.id]

    def free_room(self, rooms: list[str], run: Run) -> str | None:
        use = self.room_use
        by_id = self.school.room_by_id
        for r in rooms:
            room = by_id[r]
            off, most = room.unavailable, room.max_groups
            for t in run:
                if t in off or use[(r, t)] >= most:
                    break
            else:
                return r
        return None

    def reachable_room(self, staff: tuple[str, ...], rooms: list[str], run: Run, tried: str):
        """A free room at this run on a site other than ``tried``'s that the staff can
        reach from their other lessons (the smallest first), or None."""
        by_id = self.school.room_by_id
        far = by_id[tried].site
        for site in sorted({by_id[r].site for r in rooms} - {far}):
            room = self.free_room([r for r in rooms if by_id[r].site == site], run)
            if room is not None and self.reachable(staff, run, site):
                return room
        return None

    def beside_partners(self, gid: str, li: int, run: Run) -> bool:
        day_of = self.day_of
        for other in (self.placed_run.get(p) for p in self.partners.get((gid, li), ())):
            if other is not None and day_of[other[0]] == day_of[run[0]] and not_next_to(run, other):
                return False
        return True

    def starts_with_partners(self, gid: str, li: int, run: Run) -> bool:
        """Whether the run starts where the lesson's placed same-start partners do."""
        for p in self.starts_with.get((gid, li), ()):
            other = self.placed_run.get(p)
            if other is not None and other[0] != run[0]:
                return False
        return True

    def in_start_order(self, g, chosen: list[tuple[Run, str | None]]) -> tuple[Run, ...]:
        """The group's runs by lesson, identical lessons in start order (the lessons
        rule's symmetry breaking: lesson k of a length is the k-th of them to start)."""
        by_length: dict[int, list[Run]] = defaultdict(list)
        for run, _ in chosen:
            by_length[len(run)].append(run)
        for same in by_length.values():
            same.sort()
        return tuple(by_length[lesson.length].pop(0) for lesson in g.lessons)

    def reachable(self, staff: tuple[str, ...], run: Run, site: str) -> bool:
        for p in staff:
            for other, there in self.staff_at[p]:
                if there != site and too_far(self.school, run, site, other, there):
                    return False
        return True

    def blocked(self, student: str, gid: str) -> int:
        """The slots (bit mask) the student can never attend the group's lessons."""
        key = (student, self.online[gid])
        mask = self._blocked.get(key)
        if mask is None:
            mask = self._blocked[key] = sum(
                1 << t for t in blocked_slots(self.school, student, key[1])
            )
        return mask

    def busy_of(self, g) -> tuple[dict[int, int], dict[str, int]]:
        """Per slot, what the group's students being busy (or never free) then costs; per
        day, the crowd."""
        busy_at: dict[int, int] = defaultdict(int)
        crowd_on: dict[str, int] = defaultdict(int)
        day_of = self.day_of
        core_of = self.core_of.get(g.id, ())
        for s in self.members.get(g.id, ()):
            core = s in core_of
            cores = self.busy_core[s] if core else None
            for t, n in self.busy_student[s].items():
                if n:
                    busy_at[t] += CORE_CLASH if cores and cores.get(t) else 1
                    crowd_on[day_of[t]] += 1
            for t in blocked_slots(self.school, s, self.online[g.id]):
                if not self.busy_student[s].get(t):
                    busy_at[t] += CORE_CLASH if core else 1
                elif cores is not None and not cores.get(t):
                    busy_at[t] += CORE_CLASH - 1
        return busy_at, crowd_on

    def clashes(self, g, run: Run, busy_at: dict[int, int]) -> int:
        if len(run) == 1:
            return busy_at[run[0]]
        core_of = self.core_of.get(g.id, ())
        mask = self.run_mask(run)
        busy, cores = self.busy_mask, self.core_mask
        total = 0
        for s in self.members.get(g.id, ()):
            never = self.blocked(s, g.id) & mask
            if never or busy[s] & mask:
                total += CORE_CLASH if s in core_of and (never or cores[s] & mask) else 1
        return total

    def run_mask(self, run: Run) -> int:
        """The run's slots as a bit mask (bit t: slot t), kept for the next time."""
        mask = self._run_mask.get(run)
        if mask is None:
            mask = self._run_mask[run] = sum(1 << t for t in set(run))
        return mask

    def any_clash(self, g, chosen: list[tuple[Run, str | None]]) -> bool:
        """Whether some provisional student of the group is busy at one of these runs
        (the group itself taken out)."""
        mask = 0
        for run, _ in chosen:
            mask |= self.run_mask(run)
        busy = self.busy_mask
        return any((busy[s] | self.blocked(s, g.id)) & mask for s in self.members.get(g.id, ()))

    def lesson_order(self, g) -> tuple[list[int], int]:
        """The group's lessons in the order they are given runs (longest first: they have
        the fewest runs) and how many may fall on one day (different days where they can)."""
        n = len(g.lessons)
        per_day = self.school.calendar.lessons_a_day(n)
        return sorted(range(n), key=lambda i: (-g.lessons[i].length, i)), per_day

    def choose(
        self,
        g,
        busy: tuple[dict[int, int], dict[str, int]] | None = None,
        any_site: bool = False,
    ) -> tuple[list[tuple[Run, str | None]], int] | None:
        """The least costly runs (and rooms) for the group's lessons, lesson order, and
        the students they clash with; None when some lesson has no run left. ``busy``:
        :meth:`busy_of` the group, when the caller has it already. A lesson takes the
        smallest free room; where that is too far for its staff to reach, the run is
        given up, unless ``any_site`` (a group that would not run otherwise): then a free
        room on another site they can reach. (Taken always, it cost a 2,505-student
        two-site school's first timetables ten times the core requests: the greedy does
        not see where the group's students are.)"""
        tm, school, day_of = self.tm, self.school, self.day_of
        lessons = tm.place[g.id]
        if any(not per for per in lessons):
            return None
        staff = tm.staff_of.get(g.id, ())
        rooms = self.rooms_of(g)
        online = school.course_by_id[g.course].online
        order, per_day = self.lesson_order(g)
        bound = self.fixed_core.get(g.id, [])
        used_days: dict[str, int] = defaultdict(int)
        taken: set[int] = set()
        chosen: dict[int, tuple[Run, str | None]] = {}
        cost = 0
        # The group's students' lessons so far, counted once per group (nothing of them
        # changes while its own lessons are chosen): per slot, and per day for the crowd.
        busy_at, crowd_on = busy or self.busy_of(g)
        for li in order:
            best: tuple[tuple[int, int, int], Run, str | None] | None = None
            for run in lessons[li]:
                day = day_of[run[0]]
                if used_days[day] >= per_day or taken.intersection(run):
                    continue
                if any(self.busy_staff[p].intersection(run) for p in staff):
                    continue
                if any(self.busy_fixed[s].intersection(run) for s in bound):
                    continue
                if self.partners and not self.beside_partners(g.id, li, run):
                    continue
                if self.starts_with and not self.starts_with_partners(g.id, li, run):
                    continue
                if self.limits and not self.limits.allows(
                    g.id, li, run, staff, bound, chosen, self.placed_run
                ):
                    continue
                # The cost first: a run no cheaper than the best so far needs no room
                # (looking for rooms took most of the greedy's time on 1,700 students).
                key = (self.clashes(g, run, busy_at), crowd_on[day], run[0])
                if best is not None and key >= best[0]:
                    continue
                room = None
                if not online:
                    room = self.free_room(rooms, run)
                    if room is None:
                        continue
                    if self.travel and not self.reachable(staff, run, school.room_by_id[room].site):
                        room = self.reachable_room(staff, rooms, run, room) if any_site else None
                        if room is None:
                            continue
                best = (key, run, room)
            if best is None:
                return None
            key, run, room = best
            chosen[li] = (run, room)
            cost += key[0]
            used_days[day_of[run[0]]] += 1
            taken.update(run)
        made = [chosen[li] for li in range(len(lessons))]
        if self.starts_with and not all(
            self.starts_with_partners(g.id, k, run)
            for k, run in enumerate(self.in_start_order(g, made))
        ):
            return None  # taken in start order, a lesson no longer starts with its partners
        return made, cost

    def place(self, g) -> None:
        made = self.choose(g)
        if made is not None:
            self.put(g, made[0])

    def put(self, g, chosen: list[tuple[Run, str | None]]) -> None:
        school = self.school
        staff = self.tm.staff_of.get(g.id, ())
        bound = self.fixed_core.get(g.id, ())
        self._count(g, chosen, 1)
        self.limits.count([run for run, _ in chosen], staff, bound, 1)
        for run, room in chosen:
            for p in staff:
                self.busy_staff[p].update(run)
                if room is not None:
                    self.staff_at[p].append((run, school.room_by_id[room].site))
            for s in bound:
                self.busy_fixed[s].update(run)
        self.chosen[g.id] = chosen
        self.out[g.id] = self.in_start_order(g, chosen)
        for k, run in enumerate(self.out[g.id]):
            self.placed_run[(g.id, k)] = run

    def _count(self, g, chosen: list[tuple[Run, str | None]], step: int) -> None:
        """Add (``step`` 1) or remove (-1) the group's lessons from the rooms' and its
        students' counts."""
        for run, room in chosen:
            if room is not None:
                for t in run:
                    self.room_use[(room, t)] += step
            for s in self.members.get(g.id, ()):
                mine = self.busy_student[s]
                for t in run:
                    mine[t] += step
                    if mine[t] == (step > 0):  # 1 after adding, 0 after removing
                        self.busy_mask[s] ^= 1 << t
            for s in self.core_of.get(g.id, ()):
                cores = self.busy_core[s]
                for t in run:
                    cores[t] += step
                    if cores[t] == (step > 0):
                        self.core_mask[s] ^= 1 << t

    def take(self, g) -> list[tuple[Run, str | None]]:
        """Take the group's lessons out; returns what :meth:`put` puts back."""
        school = self.school
        chosen = self.chosen.pop(g.id)
        staff = self.tm.staff_of.get(g.id, ())
        self._count(g, chosen, -1)
        self.limits.count([run for run, _ in chosen], staff, self.fixed_core.get(g.id, []), -1)
        for run, room in chosen:
            for p in staff:
                self.busy_staff[p].difference_update(run)
                if room is not None:
                    self.staff_at[p].remove((run, school.room_by_id[room].site))
            for s in self.fixed_core.get(g.id, ()):
                self.busy_fixed[s].difference_update(run)
        for k in range(len(self.out.pop(g.id))):
            del self.placed_run[(g.id, k)]
        return chosen

    def repair(self, groups: list) -> int:
        """Each group the passes left out placed by moving others out of its way: the
        fewest placed groups that hold its staff, its students' fixed sections or the
        room it needs at the runs it would take (at most ``EJECT``) are taken out, it is
        placed, and they are placed again where they now fit; when one of them finds no
        place, all of it is undone. How many left-out groups it placed."""
        placed = 0
        for g in groups:
            if g.id not in self.chosen and self._eject_for(g):
                placed += 1
        return placed

    def _holders(self, g) -> tuple[dict, dict, dict, list]:
        """Who holds what the group needs: (staff, slot), (student, slot) of its fixed
        sections and (room, slot) of its rooms, each to the placed groups there; and on
        several sites, its staff's lessons (run, site, group), which travel may rule out."""
        staff = set(self.tm.staff_of.get(g.id, ()))
        bound = set(self.fixed_core.get(g.id, ()))
        rooms = set(self.rooms_of(g))
        by_staff: dict[tuple[str, int], set[str]] = defaultdict(set)
        by_student: dict[tuple[str, int], set[str]] = defaultdict(set)
        by_room: dict[tuple[str, int], set[str]] = defaultdict(set)
        staff_lessons: list[tuple[Run, str, str]] = []
        by_id = self.school.room_by_id
        for gid, chosen in self.chosen.items():
            mine = staff.intersection(self.tm.staff_of.get(gid, ()))
            pupils = bound.intersection(self.fixed_core.get(gid, ()))
            for run, room in chosen:
                if mine and room is not None and self.travel:
                    staff_lessons.append((run, by_id[room].site, gid))
                for t in run:
                    for p in mine:
                        by_staff[(p, t)].add(gid)
                    for s in pupils:
                        by_student[(s, t)].add(gid)
                    if room in rooms:
                        by_room[(room, t)].add(gid)
        return by_staff, by_student, by_room, staff_lessons

    def _in_the_way(self, g, run: Run, holders: tuple[dict, dict, dict, list]) -> set[str] | None:
        """The placed groups to take out for the group to have this run: its staff's and
        fixed students' lessons then, and those of the room (of its kind, open then) with
        fewest, with the staff's lessons too far from that room's site. None: no room."""
        by_staff, by_student, by_room, staff_lessons = holders
        way: set[str] = set()
        for t in run:
            for p in self.tm.staff_of.get(g.id, ()):
                way |= by_staff.get((p, t), set())
            for s in self.fixed_core.get(g.id, ()):
                way |= by_student.get((s, t), set())
        if self.school.course_by_id[g.course].online:
            return way
        by_id = self.school.room_by_id
        fewest: set[str] | None = None
        for r in self.rooms_of(g):
            if any(t in by_id[r].unavailable for t in run):
                continue
            most = by_id[r].max_groups
            full = [t for t in run if self.room_use[(r, t)] >= most]
            there = set().union(*(by_room.get((r, t), set()) for t in full))
            if self.travel:
                site = by_id[r].site
                there |= {
                    gid
                    for other, far, gid in staff_lessons
                    if far != site and too_far(self.school, run, site, other, far)
                }
            if fewest is None or len(there) < len(fewest):
                fewest = there
                if not there:
                    break
        return None if fewest is None else way | fewest

    def _eject_for(self, g, depth: int = EJECT_DEPTH, kept: frozenset[str] = frozenset()) -> bool:
        """Place the left-out group by moving the fewest placed groups, none of ``kept``
        (see :meth:`repair`); those that then find no place move others in turn while
        ``depth`` allows. Whether it was placed (if not, nothing changed)."""
        tm, day_of = self.tm, self.day_of
        lessons = tm.place[g.id]
        order, per_day = self.lesson_order(g)
        holders = self._holders(g)
        busy_at, _ = self.busy_of(g)
        used_days: dict[str, int] = defaultdict(int)
        taken: set[int] = set()
        out: set[str] = set()
        for li in order:
            best: tuple[tuple[int, int, int], set[str], Run] | None = None
            for run in lessons[li]:
                if used_days[day_of[run[0]]] >= per_day or taken.intersection(run):
                    continue
                if self.partners and not self.beside_partners(g.id, li, run):
                    continue
                if self.starts_with and not self.starts_with_partners(g.id, li, run):
                    continue
                way = self._in_the_way(g, run, holders)
                if way is None or not way.isdisjoint(kept):
                    continue
                key = (len(out | way), self.clashes(g, run, busy_at), run[0])
                if best is None or key < best[0]:
                    best = (key, way, run)
            if best is None or best[0][0] > EJECT:
                return False
            out |= best[1]
            used_days[day_of[best[2][0]]] += 1
            taken.update(best[2])
        before = dict(self.chosen)
        moved = sorted(out)
        for gid in moved:
            self.take(self.tm.group_by_id[gid])
        made = self.choose(g, any_site=True)
        if made is not None:
            self.put(g, made[0])
            chain = kept | {g.id} | out
            for gid in moved:
                x = self.tm.group_by_id[gid]
                placed = self.choose(x)
                if placed is not None:
                    self.put(x, placed[0])
                elif depth <= 1 or not self._eject_for(x, depth - 1, chain):
                    break
            else:
                return True
        self._restore(before)
        return False

    def _restore(self, before: dict[str, list[tuple[Run, str | None]]]) -> None:
        """Put every group back where it was in ``before`` (a copy of :attr:`chosen`)."""
        now = self.chosen
        changed = sorted(
            gid for gid in set(now) | set(before) if now.get(gid) is not before.get(gid)
        )
        for gid in changed:
            if gid in now:
                self.take(self.tm.group_by_id[gid])
        for gid in changed:
            if gid in before:
                self.put(self.tm.group_by_id[gid], before[gid])

    def sweeps(self, groups: list, sweeps: int, sweeps_run: list[int] | None) -> bool:
        """Up to ``sweeps`` sweeps, stopping at one that changes nothing (the sweeps made
        added to ``sweeps_run[0]``). Whether any changed the placement."""
        changed = False
        for _ in range(sweeps):
            if sweeps_run is not None:
                sweeps_run[0] += 1
            if not self.sweep(groups):
                break
            changed = True
        return changed

    def rooms_into(self, rooms_out: dict[str, list[tuple[Run, str | None]]] | None) -> None:
        """Put the rooms of the placement as it stands in ``rooms_out`` (when given)."""
        if rooms_out is not None:
            rooms_out.clear()
            rooms_out.update(self.chosen)

    def sweep(self, groups: list) -> bool:
        """Each group in turn taken out and placed again where its provisional students
        clash least with the rest (kept where it was unless strictly better); a group not
        placed is placed where it now fits. Whether anything changed."""
        changed = False
        for g in groups:
            if g.id not in self.chosen:
                made = self.choose(g)
                if made is not None:
                    self.put(g, made[0])
                    changed = True
                continue
            was = self.take(g)
            if not self.any_clash(g, was):
                # Nothing clashes: no run can be strictly cheaper (most groups on a
                # 1,732-student school, where counting their students' days took long).
                self.put(g, was)
                continue
            busy = self.busy_of(g)
            before = sum(self.clashes(g, run, busy[0]) for run, _ in was)
            made = self.choose(g, busy)
            if made is not None and made[1] < before:
                self.put(g, made[0])
                changed = True
            else:
                self.put(g, was)
        return changed


def improve_lessons(
    tm: TimetableModel,
    tentative: dict[str, dict[str, str]],
    runs: dict[str, tuple[Run, ...]],
    sweeps: int,
    sweeps_run: list[int] | None = None,
    rooms_out: dict[str, list[tuple[Run, str | None]]] | None = None,
) -> dict[str, tuple[Run, ...]] | None:
    """``runs`` (a placement that keeps the timetable model's rules) improved by up to
    ``sweeps`` sweeps for the students of ``tentative``; None when it cannot be rebuilt
    (a room the greedy would not find for it) or no sweep changed it. ``rooms_out``:
    the rooms :func:`greedy_lessons` (or this) gave those runs, used and then updated."""
    board = _Board(tm, tentative)
    school = tm.school
    known = rooms_out or {}
    for g in sorted(tm.groups, key=lambda g: g.id):
        if g.id not in runs:
            continue
        if g.id in known and sorted(r for r, _ in known[g.id]) == sorted(runs[g.id]):
            board.put(g, known[g.id])
            continue
        rooms = board.rooms_of(g)
        online = school.course_by_id[g.course].online
        chosen: list[tuple[Run, str | None]] = []
        for run in runs[g.id]:
            room = None if online else board.free_room(rooms, run)
            if room is None and not online:
                return None
            chosen.append((run, room))
        board.put(g, chosen)
    groups = [g for g in tm.groups if all(tm.place[g.id])]
    if not board.sweeps(groups, sweeps, sweeps_run):
        return None
    board.rooms_into(rooms_out)
    return dict(board.out)
