"""Staff: never in two places at once, never when unavailable or tutoring.

Staff are chosen per group before timetabling (:mod:`scheduler.solver.staffing`); a group
keeps the same staff for all its lessons (rule 5), and ``max_periods`` is honoured
there. Here each member of staff teaches at most one lesson per slot.
"""

from __future__ import annotations

from collections import defaultdict

from constraints.base import Rule, Term, TimetableModel


class StaffRule(Rule):
    def __init__(self) -> None:
        super().__init__(name="staff", title="staff clashes and availability")

    def restrict_timetable(self, tm: TimetableModel) -> None:
        busy = {p.id: tm.school.staff_busy(p.id) for p in tm.school.staff}
        for g in tm.groups:
            for p in tm.staff_of.get(g.id, ()):
                tm.forbid(g.id, busy[p])

    def timetable(self, tm: TimetableModel) -> list[Term]:
        teaches: dict[str, list[str]] = defaultdict(list)
        for gid, people in tm.staff_of.items():
            for p in people:
                teaches[p].append(gid)
        for p, gids in teaches.items():
            if len(gids) < 2:
                continue
            for t in range(tm.school.calendar.num_slots):
                vs = [v for gid in gids for v in tm.occupies(gid, t)]
                if len(vs) > 1:
                    tm.model.add_at_most_one(vs)
        return []
