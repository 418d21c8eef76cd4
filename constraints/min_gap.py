"""Min gap: any two of a row's lessons on the same day have at least ``value`` periods
between them (Rules sheet, ``min_gap``); on different days they are free.

A row names two or more groups or lessons (every lesson of a group named whole is in
the set). Periods are counted by position in the day (a break period counts). Timetable
phase: for each pair of lessons, no two runs on one day closer than that (or
overlapping) may both be taken. Hard, or soft at ``weight`` per pair too close. FET's
MinGapsBetweenActivities.

The checker's twin is ``min_gap`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from itertools import combinations

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import lesson_sets, rules_of


class MinGap(Rule):
    def __init__(self) -> None:
        super().__init__(name="min_gap", title="lessons a few periods apart on a day")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        day_of = [s.day_index for s in tm.school.calendar.slots]
        terms: list[Term] = []
        for rule in rules_of(tm, "min_gap"):
            gap = rule.value or 0
            for lessons in lesson_sets(tm, rule):
                for a, b in combinations(lessons, 2):
                    if a[0] == b[0] and gap == 0:
                        continue
                    close = [
                        (va, vb)
                        for ra, va in tm.place[a[0]][a[1]].items()
                        for rb, vb in tm.place[b[0]][b[1]].items()
                        if day_of[ra[0]] == day_of[rb[0]]
                        and max(rb[0] - ra[-1], ra[0] - rb[-1]) - 1 < gap
                    ]
                    if not close:
                        continue
                    if rule.hard:
                        for va, vb in close:
                            m.add_bool_or([~va, ~vb])
                        continue
                    broken = m.new_bool_var(f"min_gap[{rule.row},{a},{b}]")
                    for va, vb in close:
                        m.add_bool_or([~va, ~vb, broken])
                    terms.append(Term("rule_min_gap", broken, rule.weight or 1, rule.row))
        return terms
