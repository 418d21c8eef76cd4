"""Max days apart: every two of a row's lessons fall on days at most ``value`` apart
(Rules sheet, ``max_days_apart``; day positions in the cycle: Mon and Wed are 2 apart).

A row names groups or lessons (a group named whole puts all its lessons in the set; a
course named alone gives a set per group). Timetable phase: each lesson's day is the sum
of its placement variables weighted by their days; for each two lessons whose groups are
timetabled, their days differ by at most ``value``. Hard, or soft at ``weight`` per pair
of lessons too far apart. FET's MaxDaysBetweenActivities.

The checker's twin is ``max_days_apart`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import lesson_sets, on_day, rules_of


class MaxDaysApart(Rule):
    def __init__(self) -> None:
        super().__init__(name="max_days_apart", title="lessons at most N days apart")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        last_day = tm.school.calendar.num_days - 1
        terms: list[Term] = []
        for rule in rules_of(tm, "max_days_apart"):
            most = rule.value or 0
            if most >= last_day:
                continue  # holds always
            for lessons in lesson_sets(tm, rule):
                day = {
                    x: sum(d * v for d, vs in on_day(tm, x).items() for v in vs) for x in lessons
                }
                for a, b in combinations(lessons, 2):
                    when: list[Any] = [tm.placed[a[0]], tm.placed[b[0]]]
                    if not rule.hard:
                        broken = m.new_bool_var(f"max_days[{rule.row},{a},{b}]")
                        when.append(~broken)
                        terms.append(
                            Term("rule_max_days_apart", broken, rule.weight or 1, rule.row)
                        )
                    m.add(day[a] - day[b] <= most).only_enforce_if(when)
                    m.add(day[b] - day[a] <= most).only_enforce_if(when)
        return terms
