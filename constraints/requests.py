"""Requests: every core request met if at all possible, options by preference.

Terms (docs/objective.md): ``core_unmet``, ``option_shortfall`` and ``option_rank``.
Hard: a student never gets more options+alternates than they have options (quota).
"""

from __future__ import annotations

from constraints.base import Rule, SectionModel, Term
from scheduler.model import RequestType
from scheduler.plan import choice_order


def weight(school, key: str, default: int) -> int:
    value = school.settings.get(key)
    return default if value is None else int(float(value))


class RequestRule(Rule):
    def __init__(self) -> None:
        super().__init__(name="requests", title="requests met, options by rank")

    def section(self, sm: SectionModel) -> list[Term]:
        school, m = sm.school, sm.model
        core_unmet = []
        shortfall = []
        rank_cost = []
        for student in school.students:
            order = choice_order(school, student.id)
            quota = school.option_quota(student.id)
            chosen = [sm.met[i] for i in order]
            if chosen:
                m.add(sum(chosen) <= quota)
                shortfall.append(quota - sum(chosen))
            for p, i in enumerate(order, start=1):
                if p > 1:
                    rank_cost.append(min(p - 1, 9) * sm.met[i])
        for i, req in enumerate(school.requests):
            if req.type is RequestType.CORE:
                core_unmet.append(1 - sm.met[i])
        return [
            Term("core_unmet", sum(core_unmet), weight(school, "weight_core", 10000)),
            Term("option_shortfall", sum(shortfall), weight(school, "weight_option", 100)),
            Term("option_rank", sum(rank_cost), weight(school, "weight_rank", 10)),
        ]
