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

from ortools.sat.python import cp_model

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import Lesson, lesson_sets, one_value, rules_of


class SameHour(Rule):
    def __init__(self) -> None:
        super().__init__(name="same_hour", title="lessons that start at the same period")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        position = [s.position for s in tm.school.calendar.slots]
        top = max(position, default=0)

        def period(lesson: Lesson) -> cp_model.LinearExprT:
            return sum(position[run[0]] * v for run, v in tm.place[lesson[0]][lesson[1]].items())

        terms: list[Term] = []
        for rule in rules_of(tm, "same_hour"):
            for k, lessons in enumerate(lesson_sets(tm, rule)):
                terms += one_value(tm, rule, k, lessons, top, period, "same_hour")
        return terms
