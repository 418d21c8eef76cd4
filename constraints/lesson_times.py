"""Lesson times: lessons that may start only at some slots (Rules sheet, ``start_at``),
or may take only some slots (``within``).

Every lesson the row names starts at one of the row's ``slots`` (``start_at``), or has
every period at one of them (``within``). Hard: the other runs of the lesson are taken
out of the timetable model (before any other family reads them, so the greedy first
placement keeps them too); soft: ``weight`` per lesson elsewhere. FET's
Activit(y|ies)PreferredStartingTimes and Activit(y|ies)PreferredTimeSlots.

The checker's twin is ``lesson_times`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import lesson_sets, rules_of


class LessonTimes(Rule):
    def __init__(self) -> None:
        super().__init__(name="lesson_times", title="lessons only at some times")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        terms: list[Term] = []
        for rule in rules_of(tm, "start_at", "within"):
            for lessons in lesson_sets(tm, rule):
                for gid, li in lessons:
                    options = tm.place[gid][li]
                    if rule.kind == "start_at":
                        wrong = [run for run in options if run[0] not in rule.slots]
                    else:
                        wrong = [run for run in options if not rule.slots.issuperset(run)]
                    if rule.hard:
                        for run in wrong:
                            m.add(options.pop(run) == 0)
                    elif wrong:
                        cost = sum(options[run] for run in wrong)
                        terms.append(Term(f"rule_{rule.kind}", cost, rule.weight or 1, rule.row))
        return terms
