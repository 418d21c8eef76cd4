"""Rest between days: between a person's last lesson of a day and their first of the
next day there are at least ``value`` periods without lessons, the rest of the first
day's periods and the next day's before its first lesson (Rules sheet,
``staff_min_rest``: each of the staff, blank ``staff`` every member of staff;
``students_min_rest``: each of the students, blank ``students`` every student).

Days follow each other in the Calendar's order (the last day has no next day; in the
``staff_min_rest_cycle`` and ``students_min_rest_cycle`` forms, the first day follows it,
as the cycle starts again). A day
without lessons has no last or first lesson, so the rule says nothing about it and its
neighbours. Periods are counted by position in the day (a break counts). Tutor time does
not count. Timetable phase (students' rows, like the other students' rules, only for
students whose every course has one group): a flag per slot, set when the person has a
lesson then; no two flags taken at a slot of a day and a slot of the next day with fewer
than ``value`` periods between them. Hard, or soft at ``weight`` per night too short.
FET's Teacher(s)MinRestingHours and Students(Set)MinRestingHours (circular: the
``_cycle`` forms).

The checker's twin is ``min_rest`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from itertools import pairwise

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import busy_flags, per_person
from scheduler.model import TimeRule


class MinRest(Rule):
    def __init__(self) -> None:
        super().__init__(name="min_rest", title="rest between one day and the next")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        return per_person(
            tm,
            ("staff_min_rest", "staff_min_rest_cycle"),
            ("students_min_rest", "students_min_rest_cycle"),
            self._nights,
        )

    @staticmethod
    def _nights(tm: TimetableModel, rule: TimeRule, who: str, gids: list[str]) -> list[Term]:
        m = tm.model
        cal = tm.school.calendar
        need = rule.value or 0
        out: list[Term] = []
        flags = busy_flags(tm, gids, range(cal.num_slots), "rest_busy", f"{rule.row},{who}")
        nights = list(pairwise(cal.days))
        if rule.kind.endswith("_cycle") and len(cal.days) > 1:
            nights.append((cal.days[-1], cal.days[0]))  # the cycle starts again
        for today, tomorrow in nights:
            a, b = cal.day_slots[today], cal.day_slots[tomorrow]
            short = None
            if not rule.hard:
                short = m.new_bool_var(f"rest_short[{rule.row},{who},{today}]")
            for i, t1 in enumerate(a):
                for j, t2 in enumerate(b):
                    if (len(a) - 1 - i) + j >= need or t1 not in flags or t2 not in flags:
                        continue
                    m.add_bool_or([~flags[t1], ~flags[t2]] + ([] if short is None else [short]))
            if short is not None:
                out.append(Term(f"rule_{rule.kind}", short, rule.weight or 1, rule.row))
        return out
