"""Lessons at once: at each of a row's ``slots``, at most ``value`` of its lessons are
held (Rules sheet, ``lessons_max_at_once``); at other slots they are free.

Say, of four practical lessons at most one in the last period of a day. A lesson of two
periods counts at each slot it holds. Timetable phase: at each of the row's slots, at
most ``value`` of the lessons' placement variables covering it are taken. Hard, or soft
at ``weight`` per lesson over at a slot. FET's
ActivitiesMaxSimultaneousInSelectedTimeSlots.

The checker's twin is ``lessons_max_at_once`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import at_most, covering, lesson_sets, rules_of


class AtOnce(Rule):
    def __init__(self) -> None:
        super().__init__(name="lessons_max_at_once", title="a few lessons at once at some slots")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        terms: list[Term] = []
        for rule in rules_of(tm, "lessons_max_at_once"):
            most = rule.value or 0
            for k, lessons in enumerate(lesson_sets(tm, rule)):
                at = covering(tm, lessons, rule.slots)
                for t, vs in sorted(at.items()):
                    if len(vs) <= most:
                        continue
                    terms += at_most(m, rule, vs, most, f"at_once_over[{rule.row},{k},{t}]")
        return terms
