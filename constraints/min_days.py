"""Min days apart: lessons at least N days apart (Rules sheet, ``min_days_apart``).

Every two lessons of a row's set fall on days whose positions in the cycle differ by at
least ``value`` (a set: the groups the row names, or each group of a course named alone).
Hard, or soft at ``weight`` per pair of lessons too close. FET's
MinDaysBetweenActivities (``pathways import fet``). Timetable phase: for each pair of
lessons, no two days too close may both hold one of them.

A row with ``consecutive_if_same_day`` (FET's Consecutive_If_Same_Day) also keeps two of
its lessons that fall on one day (which a soft row allows at its cost) one right after
the other: one starts at the period after the other's last, in the Calendar's order of
that day's periods. That part is hard, whatever the row's weight (FET's generator never
breaks it): no run of one lesson may be taken with a run of the other on the same day
that is not next to it (a soft row's cost for the pair on one day is paid as before),
and, implied (three lessons cannot each be right after another), at most two of the
row's lessons fall on any day.

The checker's twin is ``min_days_apart`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from ortools.sat.python import cp_model

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import Lesson, lesson_sets, on_day, rules_of


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
                together = rule.consecutive_if_same_day and not rule.hard
                if together:
                    # (A hard row never puts two of its lessons on one day.) Three lessons
                    # cannot each be right after another: at most two of them a day.
                    for day in {d for x in lessons for d in days[x]}:
                        on = [v for x in lessons for v in days[x].get(day, [])]
                        if len({x for x in lessons if day in days[x]}) > 2:
                            m.add(sum(on) <= 2)
                for a, b in combinations(lessons, 2):
                    if together:
                        side_by_side(tm, a, b)
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
                    terms.append(Term("rule_min_days_apart", broken, rule.weight or 1, rule.row))
        return terms


def side_by_side_partners(tm: TimetableModel) -> dict[Lesson, list[Lesson]]:
    """Each lesson that a soft row with ``consecutive_if_same_day`` keeps next to others
    on one day -> those others (the greedy lesson placement keeps to it)."""
    out: dict[Lesson, list[Lesson]] = defaultdict(list)
    for rule in rules_of(tm, "min_days_apart"):
        if rule.consecutive_if_same_day and not rule.hard:
            for lessons in lesson_sets(tm, rule):
                for a, b in combinations(lessons, 2):
                    out[a].append(b)
                    out[b].append(a)
    return out


def not_next_to(run_a: tuple[int, ...], run_b: tuple[int, ...]) -> bool:
    """Two runs of one day that are not one right after the other (either first):
    overlapping ones included."""
    return run_b[0] != run_a[-1] + 1 and run_a[0] != run_b[-1] + 1


def side_by_side(tm: TimetableModel, a: Lesson, b: Lesson) -> None:
    """On one day, lessons ``a`` and ``b`` are one right after the other (either first):
    each run of ``a`` excludes the runs of ``b`` that day not next to it (overlapping
    ones included)."""
    m = tm.model
    day_of = [s.day_index for s in tm.school.calendar.slots]
    runs_b: dict[int, list[tuple[tuple[int, ...], cp_model.IntVar]]] = defaultdict(list)
    for rb, vb in tm.place[b[0]][b[1]].items():
        runs_b[day_of[rb[0]]].append((rb, vb))
    for ra, va in tm.place[a[0]][a[1]].items():
        far = [vb for rb, vb in runs_b.get(day_of[ra[0]], []) if not_next_to(ra, rb)]
        if far:
            m.add_at_most_one([va, *far])
