"""Requests: every core request met if at all possible, options by preference.

Terms (docs/objective.md): ``core_unmet``, ``option_shortfall`` and ``option_rank``.
Hard: a student never gets more options+alternates than they have options (quota).
"""

from __future__ import annotations

from constraints.base import Rule, SectionModel, Term
from scheduler.model import RequestType, rank_cost


class RequestRule(Rule):
    def __init__(self) -> None:
        super().__init__(name="requests", title="requests met, options by rank")

    def section(self, sm: SectionModel) -> list[Term]:
        school, m = sm.school, sm.model
        core_unmet = []
        shortfall = []
        ranks = []
        for student in school.students:
            order = school.choice_order(student.id)
            quota = school.option_quota(student.id)
            chosen = [sm.met[i] for i in order]
            if chosen:
                m.add(sum(chosen) <= quota)
                shortfall.append(quota - sum(chosen))
            for p, i in enumerate(order, start=1):
                if p > 1:
                    ranks.append(rank_cost(p) * sm.met[i])
        for i, req in enumerate(school.requests):
            if req.type is RequestType.CORE:
                core_unmet.append(1 - sm.met[i])
        w = school.settings.weights
        return [
            Term("core_unmet", sum(core_unmet), w.core),
            Term("option_shortfall", sum(shortfall), w.option),
            Term("option_rank", sum(ranks), w.rank),
        ]
