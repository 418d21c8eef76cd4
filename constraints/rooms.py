"""Rooms: the right kind of space, big enough, free, and shared only where allowed.

Timetable phase: at every slot, the groups needing a kind of room never outnumber the
rooms of that kind that are free (a counting bound per set of eligible rooms, and per
union of sets that overlap: ``hall_sets``). Section
phase: every lesson of a running group gets one eligible room; a room holds at most
``max_groups`` groups at once and, for shared open-plan spaces, the sizes of all its
groups add up to at most its capacity (rule 10).
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from constraints.base import Rule, SectionModel, Term, TimetableModel
from scheduler.model import Course, School
from scheduler.plan import expected_size


def rooms_for(school: School, course: Course) -> tuple[str, ...]:
    """Rooms a group of the course may use: right type, able to seat its smallest group."""
    return tuple(
        r for r in school.eligible_rooms(course) if school.room_by_id[r].capacity >= course.min_size
    )


#: At most this many room sets are counted beyond the groups' own (``hall_sets``).
HALL_EXTRA = 200


def hall_sets(kinds: list[frozenset[str]]) -> list[frozenset[str]]:
    """The sets of rooms to count at every slot: each group's eligible set, and the unions
    of sets that overlap without one holding the other (smallest first, at most
    ``HALL_EXTRA`` of them).

    Counting each group's set alone is not enough where sets overlap: two lessons of
    rooms {A, B} and two of {B, C} at once keep each set's count, yet four lessons
    cannot share the three rooms A, B, C. Every room set S bounds the lessons whose rooms
    all lie in S by the rooms of S (Hall's condition), so these counts are valid for any
    placement, and the union of overlapping sets is where a count per set falls short.
    On FET's TelPolytech_even (16 sets of preferred rooms, 14 overlapping pairs) the
    lesson times counted per set left ten fixed groups without a room every time, and
    the students' phase never found a timetable; its closure under such unions is 25 sets.
    """
    have = set(kinds)
    out = list(kinds)
    frontier = list(kinds)
    while frontier and len(out) < len(kinds) + HALL_EXTRA:
        made = []
        for a in frontier:
            for b in out:
                if a & b and not (a <= b or b <= a):
                    u = a | b
                    if u not in have:
                        have.add(u)
                        made.append(u)
        made.sort(key=lambda u: (len(u), sorted(u)))
        room = len(kinds) + HALL_EXTRA - len(out)
        out.extend(made[:room])
        frontier = made[:room]
    return out


class RoomRule(Rule):
    def __init__(self) -> None:
        super().__init__(name="rooms", title="rooms: type, capacity, availability, sharing")

    def restrict_timetable(self, tm: TimetableModel) -> None:
        school = tm.school
        for g in tm.groups:
            course = school.course_by_id[g.course]
            if course.online:
                continue
            rooms = [school.room_by_id[r] for r in rooms_for(school, course)]
            never = {
                t
                for t in range(school.calendar.num_slots)
                if all(t in r.unavailable for r in rooms)
            }
            tm.forbid(g.id, never)

    def timetable(self, tm: TimetableModel) -> list[Term]:
        school = tm.school
        # Count by the rooms big enough for each group's expected size, so that the
        # section phase finds a room that seats the students the timetable planned for.
        per_course: dict[str, int] = defaultdict(int)
        for g in tm.groups:
            per_course[g.course] += 1
        need: dict[frozenset[str], list[str]] = defaultdict(list)
        for g in tm.groups:
            course = school.course_by_id[g.course]
            if not course.online:
                size = expected_size(school, course, per_course[g.course])
                fits = [
                    r for r in rooms_for(school, course) if school.room_by_id[r].capacity >= size
                ]
                need[frozenset(fits or rooms_for(school, course))].append(g.id)
        kinds = hall_sets(list(need))
        for kind in kinds:
            # Every group whose eligible rooms lie inside ``kind`` competes for them.
            gids = [g for other in kinds if other <= kind for g in need[other]]
            for t in range(school.calendar.num_slots):
                free = sum(
                    school.room_by_id[r].max_groups
                    for r in kind
                    if t not in school.room_by_id[r].unavailable
                )
                vs = [v for gid in gids for v in tm.occupies(gid, t)]
                if len(vs) > free:
                    tm.model.add(sum(vs) <= free)
        return []

    def _seats(
        self, sm: SectionModel, gid: str, li: int, r: str, v: cp_model.IntVar
    ) -> cp_model.IntVar:
        """Seats lesson ``li`` of group ``gid`` takes in room ``r``: its size if there, else 0."""
        key = (gid, li, r)
        if key not in self._seat_vars:
            cap = sm.school.course_by_id[sm.group_by_id[gid].course].max_size
            part = sm.model.new_int_var(0, cap, f"seats[{gid},{li},{r}]")
            sm.model.add(part == sm.size[gid]).only_enforce_if(v)
            sm.model.add(part == 0).only_enforce_if(~v)
            self._seat_vars[key] = part
        return self._seat_vars[key]

    def section(self, sm: SectionModel) -> list[Term]:
        self._seat_vars: dict[tuple[str, int, str], cp_model.IntVar] = {}
        school, m = sm.school, sm.model
        in_room: dict[tuple[str, int], list[tuple[str, int, cp_model.IntVar]]] = defaultdict(list)
        for g in sm.groups:
            course = school.course_by_id[g.course]
            if course.online:
                continue
            eligible = rooms_for(school, course)
            for li, lesson in enumerate(g.lessons):
                options = {}
                for r in eligible:
                    room = school.room_by_id[r]
                    if room.unavailable.intersection(lesson.slots):
                        continue
                    options[r] = m.new_bool_var(f"room[{g.id},{li},{r}]")
                sm.room[(g.id, li)] = options
                if sm.variables_only:
                    continue
                m.add(sum(options.values()) == sm.runs[g.id])
                if options:
                    m.add(
                        sm.size[g.id]
                        <= sum(school.room_by_id[r].capacity * v for r, v in options.items())
                    )
                for r, v in options.items():
                    for t in lesson.slots:
                        in_room[(r, t)].append((g.id, li, v))
        for (r, t), uses in in_room.items():
            room = school.room_by_id[r]
            if len(uses) > room.max_groups:
                m.add(sum(v for _, _, v in uses) <= room.max_groups)
            if room.max_groups > 1 and len(uses) > 1:
                # A shared space: the groups in it at once share its seats.
                parts = [self._seats(sm, gid, li, r, v) for gid, li, v in uses]
                m.add(sum(parts) <= room.capacity)
        return []
