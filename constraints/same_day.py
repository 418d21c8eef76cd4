"""Same day: a row's lessons all fall on one day (Rules sheet, ``same_day``), at any
periods.

A row names two or more groups or lessons (``MA.1:1, EN.1:2``; a group named whole puts
all its lessons in the set). Timetable phase: one day for the set; each lesson whose
group is timetabled is on it. Hard, or soft at ``weight`` per lesson on another day.
FET's ActivitiesSameStartingDay.

The checker's twin is ``same_day`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import lesson_sets, on_day, rules_of


class SameDay(Rule):
    def __init__(self) -> None:
        super().__init__(name="same_day", title="lessons on the same day")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        n = tm.school.calendar.num_days
        terms: list[Term] = []
        for rule in rules_of(tm, "same_day"):
            for k, lessons in enumerate(lesson_sets(tm, rule)):
                common = m.new_int_var(0, max(n - 1, 0), f"same_day[{rule.row},{k}]")
                for gid, li in lessons:
                    day = sum(d * v for d, vs in on_day(tm, (gid, li)).items() for v in vs)
                    if rule.hard:
                        m.add(day == common).only_enforce_if(tm.placed[gid])
                        continue
                    apart = m.new_bool_var(f"same_day_apart[{rule.row},{gid},{li}]")
                    m.add(day == common).only_enforce_if([tm.placed[gid], ~apart])
                    terms.append(Term("rule_same_day", apart, rule.weight or 1))
        return terms
