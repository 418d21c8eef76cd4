"""Min days apart (constraints/min_days.py, Rules ``min_days_apart``): lessons at least
N days apart, kept by a real solve and judged by the checker's twin; an infeasible twin;
soft with a weight; a hand-broken timetable; the workbook's Rules rows."""

from __future__ import annotations

from tests.checker_fixtures import tiny_school, valid_solution
from tests.time_rule_schools import broken, days_of, rule, school, solve, unmet_courses


def test_without_the_rule_english_is_on_neighbouring_days(tmp_path):
    # The baseline the next test departs from (seed 1, one worker), so that it can fail.
    s = school()
    assert days_of(s, solve(s, tmp_path), "EN.1") == [0, 1]


def test_two_days_apart_on_three_days_is_the_first_and_last(tmp_path):
    s = school(rule("min_days_apart", "EN", value=2))
    sol = solve(s, tmp_path)
    assert days_of(s, sol, "EN.1") == [0, 2]
    assert not unmet_courses(sol)


def test_lessons_of_two_courses_apart(tmp_path):
    s = school(rule("min_days_apart", "MA.1:1", "EN.1:1", "EN.1:2", value=1))
    sol = solve(s, tmp_path)
    first_ma = days_of(s, sol, "MA.1")[0]
    assert first_ma not in days_of(s, sol, "EN.1")


def test_infeasible_three_days_apart_on_three_days(tmp_path):
    s = school(rule("min_days_apart", "MA", value=3))
    sol = solve(s, tmp_path)  # no hard violation: Maths is not timetabled at all
    assert "MA.1" not in sol.group_by_id and unmet_courses(sol) == {"MA"}


def test_soft_three_days_apart_costs_and_is_reported(tmp_path):
    s = school(rule("min_days_apart", "MA", value=3, weight=5))
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol)  # soft: Maths is timetabled, its pair reported as soft
    (msg,) = broken(s, sol, "min_days_apart")
    assert msg.startswith("Rules!2: MA.1 lesson 1 at ") and msg.endswith("(soft, weight 5)")


def test_the_checker_flags_lessons_too_close():
    # MA-3.1 meets Mon 2 and Tue 2: one day apart.
    s = tiny_school(time_rules=(rule("min_days_apart", "MA-3", value=2),))
    assert broken(s, valid_solution(), "min_days_apart") == [
        "Rules!2: MA-3.1 lesson 1 at Mon 2 and MA-3.1 lesson 2 at Tue 2 are 1 day(s) apart; at least 2 expected"
    ]
    relaxed = tiny_school(time_rules=(rule("min_days_apart", "MA-3", value=1),))
    assert broken(relaxed, valid_solution(), "min_days_apart") == []


def test_every_pair_is_judged():
    s = tiny_school(time_rules=(rule("min_days_apart", "MA-3.1", "CS.1", value=1),))
    # CS.1 is at Tue 2 like MA-3.1's second lesson: that pair alone is too close.
    (msg,) = broken(s, valid_solution(), "min_days_apart")
    assert "MA-3.1 lesson 2 at Tue 2 and CS.1 lesson 1 at Tue 2 are 0 day(s) apart" in msg
