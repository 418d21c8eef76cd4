"""The requests rule family (constraints/requests.py): core requests met if at all
possible, options by choice order (``core_unmet``, ``option_shortfall``, ``option_rank``),
and never more options and alternates than a student's options (the quota). The
checker's twins: ``request_groups``, ``option_quota`` and the soft ``core_unmet``."""

from __future__ import annotations

from dataclasses import replace

from scheduler.checker import check_solution
from scheduler.solution import RequestStatus
from tests import solver_schools as schools
from tests.checker_fixtures import (
    hard_rules,
    soft_rules,
    tiny_school,
    valid_solution,
    variant,
    with_group,
)
from tests.scheduler.solver.test_solve import solve_checked


def test_choices_met_in_order_with_the_alternate_standing_in(tmp_path):
    """options_school: B and C clash, so each student gets A, B and the alternate D."""
    _, report, _ = solve_checked(schools.options_school(), tmp_path)
    f = report.figures
    assert (f.requests_option, f.requests_option_met) == (12, 12)
    assert (f.first_choice_met, f.students_with_choices, f.students_fully_satisfied) == (4, 4, 0)
    assert report.objective_terms["option_rank"] == 160
    assert report.objective_terms["option_shortfall"] == 0


def test_the_quota_leaves_the_alternate_not_needed(tmp_path):
    """Without the clash every student could take A, B, C and D; the quota is 3 options,
    so D is not needed and the rank cost is 10 x (1 + 2) per student."""
    base = schools.options_school()
    free = tuple(replace(t, unavailable=frozenset()) for t in base.staff)
    sol, report, _ = solve_checked(replace(base, staff=free), tmp_path)
    status = {(o.student, o.course): o.status for o in sol.outcomes}
    for s in ("S1", "S2", "S3", "S4"):
        assert [status[(s, c)] for c in "ABCD"] == [RequestStatus.MET] * 3 + [
            RequestStatus.NOT_NEEDED
        ]
    assert report.figures.students_fully_satisfied == 4
    assert report.objective_terms["option_rank"] == 4 * 30


def test_the_checker_flags_more_options_than_the_quota():
    base = valid_solution()  # S1 chose 2 options (SC, AR) and the alternate GE
    groups = with_group(base, "GE.1", students={"S1", "S3", "S4"})
    assert hard_rules(check_solution(tiny_school(), variant(base, groups=groups))) == {
        "option_quota"
    }


def test_the_checker_flags_a_group_nobody_asked_for():
    base = valid_solution()  # S5 asked for nothing
    groups = with_group(base, "AR.2", students={"S2", "S5"})
    assert hard_rules(check_solution(tiny_school(), variant(base, groups=groups))) == {
        "request_groups"
    }


def test_the_checker_reports_an_unmet_core_request_as_soft():
    base = valid_solution()
    groups = with_group(base, "MA-3.1", students={"S1", "S2"})
    report = check_solution(tiny_school(), variant(base, groups=groups))
    assert report.ok and soft_rules(report) == {"core_unmet"}
    assert report.figures.requests_core_met == 3
