"""The group sizes rule family (constraints/group_sizes.py): a running group has between
min_size and max_size students, a fixed ``sections`` count is exact (rule 12), and the
``group_balance`` term. The checker's twins: ``group_size`` and ``sections``."""

from __future__ import annotations

from dataclasses import replace

from scheduler.checker import check_solution
from scheduler.score import DEFAULT_WEIGHTS
from scheduler.solution import Status
from scheduler.solver.engine import solve_school
from tests import solver_schools as schools
from tests.checker_fixtures import (
    MON,
    hard_rules,
    tiny_school,
    valid_solution,
    variant,
    with_group,
)
from tests.scheduler.solver.test_solve import OPTS, solve_checked, unmet


def test_fixed_sections_split_evenly_and_balance_is_zero(tmp_path):
    sol, report, _ = solve_checked(schools.sections_school(6), tmp_path)
    assert sorted(g.size for g in sol.groups if g.course == "MA") == [3, 3]
    assert report.figures.groups == 3
    assert report.objective_terms["group_balance"] == 0


def test_an_odd_count_costs_group_balance(tmp_path):
    """7 students in exactly 2 sections of 3 to 4: 3 and 4, a spread of 1."""
    sol, report, _ = solve_checked(schools.sections_school(7), tmp_path)
    assert sorted(g.size for g in sol.groups if g.course == "MA") == [3, 4]
    assert report.objective_terms["group_balance"] == 1 * DEFAULT_WEIGHTS["weight_balance"]
    assert sol.objective_terms["group_balance"] == report.objective_terms["group_balance"]


def test_a_course_asked_by_fewer_than_its_minimum_does_not_run(tmp_path):
    base = schools.two_courses(2)
    school = replace(base, courses=(replace(base.courses[0], min_size=3),) + base.courses[1:])
    sol, report, _ = solve_checked(school, tmp_path)
    assert [g.course for g in sol.groups] == ["EN"]
    assert report.figures.requests_core_met == 2
    assert report.objective_terms["core_unmet"] == 2 * DEFAULT_WEIGHTS["weight_core"]
    assert {o.reason for o in unmet(sol)} == {
        "Maths (MA) did not run: 2 student(s) asked for it, fewer than its minimum of 3"
    }


def test_fixed_sections_that_cannot_fill_are_infeasible():
    sol = solve_school(schools.sections_school(students=5), OPTS, progress=False)
    assert sol.status is Status.INFEASIBLE and not sol.groups


def test_the_checker_flags_a_group_below_its_minimum():
    base = valid_solution()  # GE has min_size 2; GE.1 has S3 and S4
    groups = with_group(base, "GE.1", students={"S4"})
    assert hard_rules(check_solution(tiny_school(), variant(base, groups=groups))) == {"group_size"}


def test_the_checker_flags_more_groups_than_the_fixed_sections():
    base = valid_solution()  # MA-3 has sections = 1
    extra = replace(base.group_by_id["MA-3.1"], id="MA-3.2", number=2)
    ma2 = replace(extra, lessons=(replace(extra.lessons[0], slots=(MON[5],)),) + extra.lessons[1:])
    groups = with_group(base, "MA-3.1", students={"S1", "S2"}) + (
        replace(ma2, students=frozenset({"S4"}), staff=("T4",)),
    )
    report = check_solution(tiny_school(), variant(base, groups=groups))
    assert "sections" in hard_rules(report)
