"""Min days apart: lessons at least N days apart (Rules sheet, ``min_days_apart``).

Every two lessons of a row's set fall on days whose positions in the cycle differ by at
least ``value`` (a set: the groups the row names, or each group of a course named alone).
Hard, or soft at ``weight`` per pair of lessons too close. FET's
MinDaysBetweenActivities (``pathways import fet``). Timetable phase: for each pair of
lessons, no two days too close may both hold one of them.

The checker's twin is ``min_days_apart`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from itertools import combinations

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import lesson_sets, on_day, rules_of


class MinDaysApart(Rule):
    def __init__(self) -> None:
        super().__init__(name="min_days_apart", title="lessons at least N days apart")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        terms: list[Term] = []
        for rule in rules_of(tm, "min_days_apart"):
            gap = rule.value or 0
            for lessons in lesson_sets(tm, rule):
                days = {x: on_day(tm, x) for x in lessons}
                for a, b in combinations(lessons, 2):
                    close = [(da, db) for da in days[a] for db in days[b] if abs(da - db) < gap]
                    if not close:
                        continue
                    if rule.hard:
                        for da, db in close:
                            m.add(sum(days[a][da]) + sum(days[b][db]) <= 1)
                        continue
                    broken = m.new_bool_var(f"min_days[{rule.row},{a},{b}]")
                    for da, db in close:
                        m.add(broken >= sum(days[a][da]) + sum(days[b][db]) - 1)
                    terms.append(Term("rule_min_days_apart", broken, rule.weight or 1))
        return terms
