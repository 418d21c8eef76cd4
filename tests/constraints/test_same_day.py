"""Same day (constraints/same_day.py, Rules ``same_day``): kept by a real solve and judged
by the checker's twin ``same_day``; an infeasible twin; a hand-broken timetable."""

from __future__ import annotations

from tests.checker_fixtures import tiny_school, valid_solution
from tests.time_rule_schools import apart, broken, days_of, rule, school, solve, unmet_courses

MON_TUE = frozenset(range(8))
TUE_WED = frozenset(range(4, 12))


def test_two_lessons_on_one_day(tmp_path):
    s = school(rule("same_day", "MA.1:1", "EN.1:2"), base=apart())
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "same_day") == []
    assert days_of(s, sol, "MA.1")[0] == days_of(s, sol, "EN.1")[1]


def test_infeasible_when_the_days_cannot_meet(tmp_path):
    # Maths' first lesson is on Monday (Maths only Mon-Tue), English's first on Tuesday.
    s = school(
        rule("same_day", "MA.1:1", "EN.1:1"),
        rule("within", "MA", slots=MON_TUE),
        rule("within", "EN", slots=TUE_WED),
        base=apart(),
    )
    assert unmet_courses(solve(s, tmp_path))


def test_the_checker_finds_another_day():
    # MA-3.1 at Mon 2 and Tue 2, SC.1 at Tue 3-4.
    sol = valid_solution()
    s = tiny_school(time_rules=(rule("same_day", "MA-3.1:1", "SC.1"),))
    assert broken(s, sol, "same_day") == [
        "Rules!2: SC.1 lesson 1 at Tue 3-4 is not on the day of MA-3.1 lesson 1 at Mon 2"
    ]
    fine = tiny_school(time_rules=(rule("same_day", "MA-3.1:2", "SC.1"),))
    assert broken(fine, sol, "same_day") == []
