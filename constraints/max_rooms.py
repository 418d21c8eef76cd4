"""Lessons in few rooms: a row's lessons together use at most ``value`` different rooms
(Rules sheet, ``lessons_max_rooms``); lessons without a room (online) use none.

Say, a course's lessons all in one room, or four classes' labs in at most two. Section
phase (rooms are chosen there): one flag per room, set when any of the lessons is in it;
at most ``value`` flags. Timetable phase, implied by it: at each slot at most as many of
the lessons as the ``value`` rooms (of those the lessons may use) holding the most groups
at once can take. Hard, or soft at ``weight`` per room over. FET's
ActivitiesOccupyMaxDifferentRooms.

The checker's twin is ``lessons_max_rooms`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from constraints.base import Rule, SectionModel, Term, TimetableModel
from constraints.rooms import rooms_for
from constraints.time_rules import at_most, covering, lesson_sets, rules_of
from scheduler.model import lesson_order


class MaxRooms(Rule):
    def __init__(self) -> None:
        super().__init__(name="lessons_max_rooms", title="lessons in at most a few rooms")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m, school = tm.model, tm.school
        for rule in rules_of(tm, "lessons_max_rooms"):
            if not rule.hard:
                continue
            for lessons in lesson_sets(tm, rule):
                rooms = {
                    r
                    for gid, _ in lessons
                    for r in rooms_for(school, school.course_by_id[tm.group_by_id[gid].course])
                }
                held = sorted((school.room_by_id[r].max_groups for r in rooms), reverse=True)
                most = sum(held[: rule.value or 0])
                in_rooms = [
                    x
                    for x in lessons
                    if not school.course_by_id[tm.group_by_id[x[0]].course].online
                ]
                at = covering(tm, in_rooms)
                for vs in at.values():
                    if len(vs) > most:
                        m.add(sum(vs) <= most)
        return []

    def section(self, sm: SectionModel) -> list[Term]:
        m, school = sm.model, sm.school
        terms: list[Term] = []
        groups: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for g in sm.groups:
            groups[g.course].append((g.id, g.number))
        for rule in school.time_rules:
            if rule.kind != "lessons_max_rooms":
                continue
            most = rule.value or 0
            for k, refs in enumerate(rule.lesson_sets(groups)):
                used: dict[str, cp_model.IntVar] = {}
                for gid, li in refs:
                    g = sm.group_by_id[gid]
                    lengths = school.course_by_id[g.course].lessons
                    order = lesson_order(
                        lengths, [(len(x.slots), min(x.slots, default=0)) for x in g.lessons]
                    )
                    for n in range(len(lengths)) if li is None else [li]:
                        if n not in order:
                            continue
                        for r, v in sm.room.get((gid, order[n]), {}).items():
                            if r not in used:
                                used[r] = m.new_bool_var(f"max_rooms[{rule.row},{k},{r}]")
                            m.add_implication(v, used[r])
                if len(used) <= most:
                    continue
                terms += at_most(
                    m,
                    rule,
                    list(used.values()),
                    most,
                    f"max_rooms_over[{rule.row},{k}]",
                    "soft_rules",
                )
        return terms
