"""Same start: lessons that start together (Rules sheet, ``same_start``).

The lessons of a row's set (the groups it names, or each group of a course named alone)
all start at one slot, whatever their lengths, when their groups are timetabled. Hard,
or soft at ``weight`` per lesson not starting with the others. A row of whole groups
(``MA.1``, ``EN.1``) ties their lessons number by number: each group's first lesson
with the others' first, and so on (the checker's twin reads it the same way). FET's
ActivitiesSameStartingTime.

The checker's twin is ``same_start`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import Lesson, lesson_sets, one_value, rules_of


def start_partners(tm: TimetableModel) -> dict[Lesson, list[Lesson]]:
    """Each lesson that a hard row makes start with others -> those others (the greedy
    lesson placement starts it where they do)."""
    out: dict[Lesson, list[Lesson]] = defaultdict(list)
    for rule in rules_of(tm, "same_start"):
        if rule.hard:
            for lessons in lesson_sets(tm, rule):
                for a in lessons:
                    out[a].extend(b for b in lessons if b != a)
    return out


class SameStart(Rule):
    def __init__(self) -> None:
        super().__init__(name="same_start", title="lessons that start together")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        n = tm.school.calendar.num_slots

        def first(lesson: Lesson) -> cp_model.LinearExprT:
            return sum(run[0] * v for run, v in tm.place[lesson[0]][lesson[1]].items())

        terms: list[Term] = []
        for rule in rules_of(tm, "same_start"):
            for k, lessons in enumerate(lesson_sets(tm, rule)):
                # One start for the set; each lesson whose group runs starts there.
                terms += one_value(tm, rule, k, lessons, max(n - 1, 0), first, "same_start")
        return terms
