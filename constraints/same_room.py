"""Same room when consecutive: any two of a row's lessons held one right after the other
on a day (the second starting at the period after the first one's last) are in the same
room (Rules sheet, ``same_room_if_consecutive``); lessons without a room are free.

Students' phase (rooms are chosen there, with the times fixed): for each two of the
lessons that are consecutive, a room taken by one is taken by the other when the other
has a room. Timetable phase, implied by it: two of the lessons that have no room in
common are never consecutive. Hard, or soft at ``weight`` per pair of consecutive
lessons in different rooms. FET's ActivitiesSameRoomIfConsecutive.

The checker's twin is ``same_room_if_consecutive`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from constraints.base import Rule, SectionModel, Term, TimetableModel
from constraints.rooms import rooms_for
from constraints.time_rules import lesson_sets, rules_of
from scheduler.model import lesson_order


class SameRoom(Rule):
    def __init__(self) -> None:
        super().__init__(name="same_room_if_consecutive", title="consecutive lessons, one room")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m, school = tm.model, tm.school
        day_of = [s.day_index for s in school.calendar.slots]
        for rule in rules_of(tm, "same_room_if_consecutive"):
            if not rule.hard:
                continue
            for lessons in lesson_sets(tm, rule):
                rooms: dict[tuple[str, int], set[str] | None] = {}
                for gid, li in lessons:
                    course = school.course_by_id[tm.group_by_id[gid].course]
                    rooms[(gid, li)] = None if course.online else set(rooms_for(school, course))
                for a, b in combinations(lessons, 2):
                    room_a, room_b = rooms[a], rooms[b]
                    if room_a is None or room_b is None or room_a & room_b:
                        continue
                    for ra, va in tm.place[a[0]][a[1]].items():
                        for rb, vb in tm.place[b[0]][b[1]].items():
                            if day_of[ra[0]] != day_of[rb[0]]:
                                continue
                            if rb[0] == ra[-1] + 1 or ra[0] == rb[-1] + 1:
                                m.add_bool_or([~va, ~vb])
        return []

    def section(self, sm: SectionModel) -> list[Term]:
        m, school = sm.model, sm.school
        day_of = [s.day_index for s in school.calendar.slots]
        terms: list[Term] = []
        groups: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for g in sm.groups:
            groups[g.course].append((g.id, g.number))
        for rule in school.time_rules:
            if rule.kind != "same_room_if_consecutive":
                continue
            for refs in rule.lesson_sets(groups):
                keys: list[tuple[str, int]] = []
                for gid, li in refs:
                    g = sm.group_by_id[gid]
                    lengths = school.course_by_id[g.course].lessons
                    order = lesson_order(
                        lengths, [(len(x.slots), min(x.slots, default=0)) for x in g.lessons]
                    )
                    keys.extend(
                        (gid, order[n])
                        for n in (range(len(lengths)) if li is None else [li])
                        if n in order and (gid, order[n]) in sm.room
                    )
                for a, b in combinations(dict.fromkeys(keys), 2):
                    sa = sorted(sm.group_by_id[a[0]].lessons[a[1]].slots)
                    sb = sorted(sm.group_by_id[b[0]].lessons[b[1]].slots)
                    if not sa or not sb or day_of[sa[0]] != day_of[sb[0]]:
                        continue
                    if not (sb[0] == sa[-1] + 1 or sa[0] == sb[-1] + 1):
                        continue
                    broken = None
                    if not rule.hard:
                        broken = m.new_bool_var(f"same_room[{rule.row},{a},{b}]")
                        terms.append(Term("soft_rules", broken, rule.weight or 1))
                    ra, rb = sm.room[a], sm.room[b]
                    for x, y in ((ra, rb), (rb, ra)):
                        placed_y = sum(y.values())
                        for r, v in x.items():
                            # In r, and the other has a room: the other is in r too.
                            other = y.get(r, 0)
                            m.add(v + placed_y - other <= 1 + (0 if broken is None else broken))
        return terms
