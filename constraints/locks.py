"""Locks: what the Locks sheet pins (docs/workbook.md, "Locks", added by the project).

A lock names a course's group (``COURSE.N``) and any of: the slots its lessons are at,
its room, its staff, a student who is in it. It holds for a first solve as for a
re-solve (``pathways solve --from``).

* **Slots**: the group may use only its locked slots (every other run of its lessons is
  forbidden before variables are made), so its lessons take exactly those slots (the
  workbook's validation made sure they fit the course's lesson lengths); and it must be
  placed: a lock that cannot hold makes the timetable infeasible rather than quietly
  dropping the group.
* **Room**: the group meets only when its room is free; groups locked to one room never
  outnumber its ``max_groups`` at once; in the section phase every lesson of the group
  has that room and no other.
* **Staff**: chosen before timetabling, by :func:`scheduler.solver.staffing.assign_staff`,
  which gives a locked group exactly its locked staff.
* **Student**: the student may join no other group of the course (and is provisionally
  placed in the locked one, :func:`scheduler.plan.tentative_sections`).

The checker's twin is ``locks`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from collections import defaultdict

from constraints.base import Rule, SectionModel, Term, TimetableModel


class LockRule(Rule):
    def __init__(self) -> None:
        super().__init__(name="locks", title="locks from the Locks sheet")

    def restrict_timetable(self, tm: TimetableModel) -> None:
        school = tm.school
        every = frozenset(range(school.calendar.num_slots))
        for g in tm.groups:
            for lock in school.locks_of.get(g.id, ()):
                if lock.slots:
                    tm.forbid(g.id, every - lock.slots)
                if lock.room is not None and lock.room in school.room_by_id:
                    tm.forbid(g.id, school.room_by_id[lock.room].unavailable)

    def timetable(self, tm: TimetableModel) -> list[Term]:
        school = tm.school
        in_room: dict[str, list[str]] = defaultdict(list)
        for g in tm.groups:
            locks = school.locks_of.get(g.id, ())
            if any(lock.slots for lock in locks):
                tm.model.add(tm.placed[g.id] == 1)
            rooms = {lock.room for lock in locks if lock.room in school.room_by_id}
            for room in rooms:
                in_room[room].append(g.id)
        for room, gids in in_room.items():
            most = school.room_by_id[room].max_groups
            if len(gids) <= most:
                continue
            for t in range(school.calendar.num_slots):
                vs = [v for gid in gids for v in tm.occupies(gid, t)]
                if len(vs) > most:
                    tm.model.add(sum(vs) <= most)
        return []

    def restrict_section(self, sm: SectionModel) -> None:
        for lock in sm.school.locks:
            if lock.student is None:
                continue
            for g in sm.course_groups.get(lock.course, ()):
                if g.id != lock.group_id:
                    sm.ban(lock.student, g.id)

    def section(self, sm: SectionModel) -> list[Term]:
        # After the rooms rule made the room variables: a locked group's lessons keep only
        # their locked room (the others fixed to 0 and taken out, so that the greedy
        # placement and later rule families see the locked room alone).
        for lock in sm.school.locks:
            if lock.room is None or lock.group_id not in sm.group_by_id:
                continue
            group = sm.group_by_id[lock.group_id]
            for li in range(len(group.lessons)):
                options = sm.room.get((group.id, li))
                if options is None:
                    continue
                for r in [r for r in options if r != lock.room]:
                    sm.model.add(options.pop(r) == 0)
        return []
