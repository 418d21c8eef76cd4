"""Lessons within a budget of slots: a row's lessons together occupy at most ``value``
of the row's ``slots`` (Rules sheet, ``lessons_max_slots``); a slot held by several of
them counts once.

Timetable phase: one flag per slot of the row, set when any of the lessons covers it;
at most ``value`` flags. Hard, or soft at ``weight`` per slot over. FET's
ActivitiesOccupyMaxTimeSlotsFromSelection.

The checker's twin is ``lessons_max_slots`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import at_most, covering, lesson_sets, rules_of


class MaxSlots(Rule):
    def __init__(self) -> None:
        super().__init__(name="lessons_max_slots", title="lessons within a budget of slots")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        terms: list[Term] = []
        for rule in rules_of(tm, "lessons_max_slots"):
            most = rule.value or 0
            for k, lessons in enumerate(lesson_sets(tm, rule)):
                at = covering(tm, lessons, rule.slots)
                if len(at) <= most:
                    continue
                used = []
                for t, vs in sorted(at.items()):
                    u = m.new_bool_var(f"max_slots[{rule.row},{k},{t}]")
                    for v in vs:
                        m.add_implication(v, u)
                    used.append(u)
                terms += at_most(m, rule, used, most, f"max_slots_over[{rule.row},{k}]")
        return terms
