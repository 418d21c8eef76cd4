"""Same day: a row's lessons all fall on one day (Rules sheet, ``same_day``), at any
periods.

A row names two or more groups or lessons (``MA.1:1, EN.1:2``; a group named whole puts
all its lessons in the set). Timetable phase: one day for the set; each lesson whose
group is timetabled is on it. Hard, or soft at ``weight`` per lesson on another day.
FET's ActivitiesSameStartingDay.

The checker's twin is ``same_day`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import Lesson, lesson_sets, on_day, one_value, rules_of


class SameDay(Rule):
    def __init__(self) -> None:
        super().__init__(name="same_day", title="lessons on the same day")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        n = tm.school.calendar.num_days

        def day(lesson: Lesson) -> cp_model.LinearExprT:
            return sum(d * v for d, vs in on_day(tm, lesson).items() for v in vs)

        terms: list[Term] = []
        for rule in rules_of(tm, "same_day"):
            for k, lessons in enumerate(lesson_sets(tm, rule)):
                terms += one_value(tm, rule, k, lessons, max(n - 1, 0), day, "same_day")
        return terms
