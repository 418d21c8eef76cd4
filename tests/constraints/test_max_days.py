"""Max days apart (constraints/max_days.py, Rules ``max_days_apart``): kept by a real
solve and judged by the checker's twin ``max_days_apart``; an infeasible twin; a
hand-broken timetable."""

from __future__ import annotations

from tests.checker_fixtures import tiny_school, valid_solution
from tests.time_rule_schools import broken, days_of, rule, school, solve, unmet_courses

MON_WED_FIRST = frozenset({0, 8})  # Mon 1, Wed 1 (3 days of 4 periods)


def test_maths_on_neighbouring_days(tmp_path):
    s = school(
        rule("within", "MA", slots=frozenset({0, 8, 5})),  # Mon 1, Wed 1, Tue 2
        rule("max_days_apart", "MA", value=1),
    )
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "max_days_apart") == []
    first, second = days_of(s, sol, "MA.1")
    assert second - first == 1


def test_infeasible_on_monday_and_wednesday_only(tmp_path):
    s = school(rule("within", "MA", slots=MON_WED_FIRST), rule("max_days_apart", "MA", value=1))
    assert unmet_courses(solve(s, tmp_path))


def test_the_checker_counts_the_days_between():
    # MA-3.1 at Mon 2 and Tue 2; GE.1 at Mon 4.
    sol = valid_solution()
    ok = tiny_school(time_rules=(rule("max_days_apart", "MA-3.1", "GE.1", value=1),))
    assert broken(ok, sol, "max_days_apart") == []
    s = tiny_school(time_rules=(rule("max_days_apart", "MA-3.1", "GE.1", value=0, weight=3),))
    assert broken(s, sol, "max_days_apart") == [
        (
            "Rules!2: MA-3.1 lesson 1 at Mon 2 and MA-3.1 lesson 2 at Tue 2 are 1 day(s) "
            "apart; at most 0 expected (soft, weight 3)"
        ),
        (
            "Rules!2: MA-3.1 lesson 2 at Tue 2 and GE.1 lesson 1 at Mon 4 are 1 day(s) apart; "
            "at most 0 expected (soft, weight 3)"
        ),
    ]
