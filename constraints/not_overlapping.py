"""Lessons apart in time: no two of a row's lessons share a period (Rules sheet,
``not_overlapping``), whatever their students and staff.

A row names two or more groups or lessons (``MA.1, EN.1:2``); every lesson of a group
named whole is in the set. Timetable phase: at every slot, at most one of the set's
lessons covers it. Hard, or soft at ``weight`` per lesson over one at a slot. FET's
ActivitiesNotOverlapping.

The checker's twin is ``not_overlapping`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import lesson_sets, rules_of


class NotOverlapping(Rule):
    def __init__(self) -> None:
        super().__init__(name="not_overlapping", title="lessons that never overlap")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        terms: list[Term] = []
        for rule in rules_of(tm, "not_overlapping"):
            for k, lessons in enumerate(lesson_sets(tm, rule)):
                at: dict[int, dict[tuple[str, int], list[cp_model.IntVar]]] = defaultdict(
                    lambda: defaultdict(list)
                )
                for gid, li in lessons:
                    for run, v in tm.place[gid][li].items():
                        for t in run:
                            at[t][(gid, li)].append(v)
                for t, per_lesson in sorted(at.items()):
                    if len(per_lesson) < 2:
                        continue
                    load = sum(v for vs in per_lesson.values() for v in vs)
                    if rule.hard:
                        m.add(load <= 1)
                        continue
                    over = m.new_int_var(0, len(per_lesson), f"overlap[{rule.row},{k},{t}]")
                    m.add(over >= load - 1)
                    terms.append(Term("rule_not_overlapping", over, rule.weight or 1, rule.row))
        return terms
