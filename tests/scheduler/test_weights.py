"""The objective's weights in one place (scheduler.model.Weights, issue 16): the Settings'
weight_* values or the defaults, read the same way by the workbook's keys, the rule
families that build the objective and the checker that recomputes it."""

from __future__ import annotations

import pytest

from scheduler.checker import check_solution
from scheduler.model import WEIGHT_KEYS, Settings, Weights, rank_cost
from scheduler.score import DEFAULT_WEIGHTS
from scheduler.solver.engine import SolveOptions, solve_school
from scheduler.workbook.schema import WEIGHT_KEYS as SHEET_WEIGHT_KEYS
from tests import solver_schools as schools


def test_defaults_and_keys() -> None:
    assert Settings().weights == Weights()
    assert (
        Weights().by_key()
        == DEFAULT_WEIGHTS
        == {
            "weight_core": 10000,
            "weight_option": 100,
            "weight_rank": 10,
            "weight_balance": 1,
            "weight_idle_student": 1,
            "weight_idle_staff": 1,
        }
    )
    assert WEIGHT_KEYS == SHEET_WEIGHT_KEYS == tuple(DEFAULT_WEIGHTS)


@pytest.mark.parametrize(
    "raw, expected", [("5", 5), ("7.0", 7), ("", 10), (" ", 10), ("abc", 10), ("inf", 10), ("0", 0)]
)
def test_a_settings_value_or_the_default(raw: str, expected: int) -> None:
    assert Settings(extra=(("weight_rank", raw),)).weights.rank == expected


def test_rank_cost_is_capped() -> None:
    assert [rank_cost(p) for p in (1, 2, 10, 11, 40)] == [0, 1, 9, 9, 9]


def test_solver_and_checker_score_with_the_schools_weights() -> None:
    # Every student gets A (position 1), B (2) and the alternate D (4): rank cost 0 + 1 + 3
    # a student, four students: 16, at weight 3.
    school = schools.with_settings(schools.options_school(), weight_rank="3")
    solution = solve_school(school, SolveOptions(time_limit=10, seed=1, workers=1), progress=False)
    report = check_solution(school, solution)
    assert not report.hard_violations, [str(v) for v in report.hard_violations]
    assert solution.objective_terms["option_rank"] == 3 * 16
    assert report.objective_terms == pytest.approx(solution.objective_terms)
