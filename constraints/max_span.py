"""Span of a day: from a person's first lesson of a day to the end of their last, at most
``value`` periods, free periods between included (Rules sheet, ``staff_max_span_day``:
each of the staff, blank ``staff`` every member of staff; ``students_max_span_day``: each
of the students, blank ``students`` every student).

Periods are counted by position in the day (a break counts). Tutor time does not count.
Timetable phase (students' rows, like the other students' rules, only for students
whose every course has one group): a flag per slot, set when the person has a lesson
then; no two flags of one day further apart than ``value`` periods both taken. Hard, or
soft at ``weight`` per day too long. FET's Teacher(s)MaxSpanPerDay and
Students(Set)MaxSpanPerDay (without the one day allowed one period more).

The checker's twin is ``max_span`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import busy_flags, per_person
from scheduler.model import TimeRule


class MaxSpan(Rule):
    def __init__(self) -> None:
        super().__init__(name="max_span", title="from the first lesson of a day to the last")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        return per_person(tm, ("staff_max_span_day",), ("students_max_span_day",), self._days)

    @staticmethod
    def _days(tm: TimetableModel, rule: TimeRule, who: str, gids: list[str]) -> list[Term]:
        m = tm.model
        cal = tm.school.calendar
        most = rule.value or 0
        out: list[Term] = []
        for day in cal.days:
            slots = cal.day_slots[day]
            if len(slots) <= most:
                continue
            flags = busy_flags(tm, gids, slots, "span_busy", f"{rule.row},{who}")
            long = None if rule.hard else m.new_bool_var(f"span_long[{rule.row},{who},{day}]")
            for i, t1 in enumerate(slots):
                for t2 in slots[i + most :]:
                    if t1 in flags and t2 in flags:
                        m.add_bool_or([~flags[t1], ~flags[t2]] + ([] if long is None else [long]))
            if long is not None:
                out.append(Term(f"rule_{rule.kind}", long, rule.weight or 1, rule.row))
        return out
