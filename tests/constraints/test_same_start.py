"""Same start (constraints/same_start.py, Rules ``same_start``): lessons that start
together, kept by a real solve and judged by the checker's twin; an infeasible twin; a
hand-broken timetable."""

from __future__ import annotations

from tests.checker_fixtures import tiny_school, valid_solution
from tests.time_rule_schools import (
    apart,
    broken,
    lessons_of,
    rule,
    school,
    solve,
    unmet_courses,
)

EN_AT_MON_3 = rule("start_at", "EN.1:1", slots=frozenset({2}))  # EN.1's first lesson at Mon 3


def test_without_the_rule_the_first_lessons_start_apart(tmp_path):
    sol = solve(school(EN_AT_MON_3, base=apart()), tmp_path)
    assert lessons_of(sol, "EN.1")[0] == (2,)
    assert lessons_of(sol, "MA.1")[0] != (2,)


def test_first_lessons_start_together(tmp_path):
    s = school(EN_AT_MON_3, rule("same_start", "MA.1:1", "EN.1:1"), base=apart())
    sol = solve(s, tmp_path)
    assert lessons_of(sol, "MA.1")[0] == lessons_of(sol, "EN.1")[0] == (2,)
    assert not unmet_courses(sol)


def test_whole_groups_start_together_lesson_by_lesson(tmp_path):
    s = school(EN_AT_MON_3, rule("same_start", "MA.1", "EN.1"), base=apart())
    sol = solve(s, tmp_path)
    assert lessons_of(sol, "MA.1") == lessons_of(sol, "EN.1")
    assert lessons_of(sol, "MA.1")[0] == (2,) and not unmet_courses(sol)


def test_infeasible_two_lessons_of_one_group_at_once(tmp_path):
    sol = solve(school(rule("same_start", "MA.1:1", "MA.1:2")), tmp_path)
    assert "MA.1" not in sol.group_by_id and unmet_courses(sol) == {"MA"}


def test_the_checker_flags_lessons_apart():
    # AR.1 and AR.2 both meet at Mon 3; MA-3.1 at Mon 2 and Tue 2; CS.1 at Tue 2.
    together = tiny_school(
        time_rules=(rule("same_start", "AR.1", "AR.2"), rule("same_start", "MA-3.1:2", "CS.1"))
    )
    assert broken(together, valid_solution(), "same_start") == []
    s = tiny_school(time_rules=(rule("same_start", "MA-3.1:1", "CS.1"),))
    assert broken(s, valid_solution(), "same_start") == [
        "Rules!2: CS.1 lesson 1 at Tue 2 does not start with MA-3.1 lesson 1 at Mon 2"
    ]
