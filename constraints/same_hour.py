"""Same hour: a row's lessons all start at the same period of their days (Rules sheet,
``same_hour``), on any days.

A row names two or more groups or lessons (``MA.1:1, EN.1:2``; a group named whole puts
all its lessons in the set, so they all start at that period, each on its day). The
period is the slot's position in its day (the first period of a day is position 0).
Timetable phase: one position for the set; each lesson whose group is timetabled starts
there. Hard, or soft at ``weight`` per lesson starting at another period. FET's
ActivitiesSameStartingHour.

The checker's twin is ``same_hour`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import lesson_sets, rules_of


class SameHour(Rule):
    def __init__(self) -> None:
        super().__init__(name="same_hour", title="lessons that start at the same period")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        position = [s.position for s in tm.school.calendar.slots]
        top = max(position, default=0)
        terms: list[Term] = []
        for rule in rules_of(tm, "same_hour"):
            for k, lessons in enumerate(lesson_sets(tm, rule)):
                common = m.new_int_var(0, top, f"same_hour[{rule.row},{k}]")
                for gid, li in lessons:
                    at = sum(position[run[0]] * v for run, v in tm.place[gid][li].items())
                    if rule.hard:
                        m.add(at == common).only_enforce_if(tm.placed[gid])
                        continue
                    apart = m.new_bool_var(f"same_hour_apart[{rule.row},{gid},{li}]")
                    m.add(at == common).only_enforce_if([tm.placed[gid], ~apart])
                    terms.append(Term("rule_same_hour", apart, rule.weight or 1))
        return terms
