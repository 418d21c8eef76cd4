"""Lessons in order: of a row's two lessons, the second starts after the first one's
last period (Rules sheet): ``ordered``, in the cycle (on a later day, or later the same
day); ``ordered_if_same_day``, only when the two fall on the same day (on different
days they are free).

A row names two lessons (``MA.1:1, EN.1:2``; a group or course that has one lesson may
be named alone), the first and the second. Slots are in the Calendar's order (day by
day, period by period). Timetable phase: ``ordered``, the first lesson's last slot is
before the second's first, when both groups are timetabled; ``ordered_if_same_day``,
no two runs of the lessons on one day with the second not after the first may both be
taken. Hard, or soft at ``weight`` per pair out of order. FET's TwoActivitiesOrdered
and TwoActivitiesOrderedIfSameDay.

The checker's twin is ``ordered`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import lesson_sets, rules_of


class Ordered(Rule):
    def __init__(self) -> None:
        super().__init__(name="ordered", title="one lesson before another")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        day_of = [s.day_index for s in tm.school.calendar.slots]
        terms: list[Term] = []
        for rule in rules_of(tm, "ordered", "ordered_if_same_day"):
            for lessons in lesson_sets(tm, rule):
                if len(lessons) != 2:
                    continue  # a lesson whose group is not timetabled: the rule holds
                a, b = lessons
                runs_a, runs_b = tm.place[a[0]][a[1]], tm.place[b[0]][b[1]]
                apart = None
                if not rule.hard:
                    apart = m.new_bool_var(f"ordered_apart[{rule.row},{a},{b}]")
                    terms.append(Term(f"rule_{rule.kind}", apart, rule.weight or 1, rule.row))
                if rule.kind == "ordered":
                    last_a = sum(run[-1] * v for run, v in runs_a.items())
                    first_b = sum(run[0] * v for run, v in runs_b.items())
                    when = [tm.placed[a[0]], tm.placed[b[0]]]
                    m.add(last_a < first_b).only_enforce_if(
                        when + ([] if apart is None else [~apart])
                    )
                    continue
                for ra, va in runs_a.items():
                    for rb, vb in runs_b.items():
                        if day_of[ra[0]] == day_of[rb[0]] and rb[0] <= ra[-1]:
                            m.add_bool_or([~va, ~vb] + ([] if apart is None else [apart]))
        return terms
