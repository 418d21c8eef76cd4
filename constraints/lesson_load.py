"""A few lessons' load on a day: a row's lessons together occupy at most ``value``
periods of any day (Rules sheet, ``lessons_max_periods_day``), or at most ``value``
consecutive periods of a day (``lessons_max_in_a_row``); a period held by several of
them counts once.

Say, one teacher's lab lessons at most four periods a day, or a class's lectures at
most three in a row (the importer writes a row per teacher or per student set of the
lessons with one of FET's activity tags). Periods without one of the row's lessons end
a run (other lessons, breaks and free periods alike). Timetable phase: one flag per
slot, set when any of the lessons covers it; at most ``value`` flags a day, or at most
``value`` in every window of ``value + 1`` consecutive periods of a day. Hard, or soft
at ``weight`` per period over (a day with ``value + k`` periods, or a run of
``value + k``, costs ``k`` units). FET's Teacher(s)ActivityTagMaxHoursDaily,
Teacher(s)ActivityTagMaxHoursContinuously and the students' likewise.

The checker's twin is ``lesson_load`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import any_of, at_most, covering, lesson_sets, rules_of


class LessonLoad(Rule):
    def __init__(self) -> None:
        super().__init__(name="lesson_load", title="a few lessons' periods on a day")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        cal = tm.school.calendar
        terms: list[Term] = []
        for rule in rules_of(tm, "lessons_max_periods_day", "lessons_max_in_a_row"):
            most = rule.value or 0
            for k, lessons in enumerate(lesson_sets(tm, rule)):
                at = covering(tm, lessons)
                used: dict[int, cp_model.IntVar] = {}
                for t, vs in sorted(at.items()):
                    flag = any_of(m, vs, f"lesson_load[{rule.row},{k},{t}]")
                    if flag is not None:
                        used[t] = flag
                for day in cal.days:
                    slots = cal.day_slots[day]
                    if rule.kind == "lessons_max_periods_day":
                        windows = [slots]
                    else:
                        windows = [slots[i : i + most + 1] for i in range(len(slots) - most)]
                    for w, window in enumerate(windows):
                        flags = [used[t] for t in window if t in used]
                        if len(flags) <= most:
                            continue
                        var = f"lesson_load_over[{rule.row},{k},{day},{w}]"
                        terms += at_most(m, rule, flags, most, var)
        return terms
