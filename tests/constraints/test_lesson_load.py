"""A few lessons' load on a day (constraints/lesson_load.py, Rules
``lessons_max_periods_day`` and ``lessons_max_in_a_row``): kept by a real solve and
judged by the checker's twin ``lesson_load``; infeasible twins; hand-broken timetables."""

from __future__ import annotations

from scheduler.checker import check_solution
from tests.checker_fixtures import tiny_school, valid_solution
from tests.time_rule_schools import broken, days_of, lessons_of, rule, school, solve, unmet_courses

EARLY = frozenset({0, 1, 2, 4, 5, 6})  # periods 1-3 of Mon and Tue (3 days of 4 periods)
TWO = frozenset({0, 1, 4, 5})  # periods 1-2 of Mon and Tue


def test_max_periods_a_day_keeps_english_first_off_maths_days(tmp_path):
    s = school(rule("lessons_max_periods_day", "MA.1", "EN.1:1", value=1))
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "lesson_load") == []
    assert days_of(s, sol, "EN.1")[0] not in days_of(s, sol, "MA.1")


def test_max_periods_a_day_infeasible_with_four_lessons_on_three_days(tmp_path):
    s = school(rule("lessons_max_periods_day", "MA.1", "EN.1", value=1))
    assert unmet_courses(solve(s, tmp_path))


def test_max_in_a_row_keeps_a_period_between(tmp_path):
    s = school(
        rule("within", "MA", slots=EARLY),
        rule("within", "EN", slots=EARLY),
        rule("lessons_max_in_a_row", "MA.1", "EN.1", value=1),
    )
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "lesson_load") == []
    taken = {t for g in ("MA.1", "EN.1") for lesson in lessons_of(sol, g) for t in lesson}
    assert not any(t + 1 in taken and (t + 1) % 4 for t in taken)


def test_max_in_a_row_infeasible_in_two_periods_a_day(tmp_path):
    s = school(
        rule("within", "MA", slots=TWO),
        rule("within", "EN", slots=TWO),
        rule("lessons_max_in_a_row", "MA.1", "EN.1", value=1),
    )
    assert unmet_courses(solve(s, tmp_path))


def test_the_checker_counts_the_lessons_periods():
    # MA-3.1 at Mon 2 (and Tue 2), AR.1 at Mon 3, GE.1 at Mon 4: three in a row on Mon.
    sol = valid_solution()
    lessons = ("MA-3.1", "AR.1", "GE.1")
    ok = tiny_school(
        time_rules=(
            rule("lessons_max_periods_day", *lessons, value=3),
            rule("lessons_max_in_a_row", *lessons, value=3),
            rule("lessons_max_in_a_row", "MA-3.1", "GE.1", value=1),
        )
    )
    assert broken(ok, sol, "lesson_load") == []
    s = tiny_school(
        time_rules=(
            rule("lessons_max_periods_day", *lessons, value=2),
            rule("lessons_max_in_a_row", *lessons, value=1, weight=5),
        )
    )
    assert broken(s, sol, "lesson_load") == [
        "Rules!2: the lessons hold 3 periods on Mon; at most 2",
        "Rules!2: the lessons hold 3 periods in a row on Mon; at most 1 (soft, weight 5)",
    ]
    costs = [v.cost for v in check_solution(s, sol).violations if v.rule == "lesson_load"]
    assert costs == [0, 10]  # a run of 3 where 1 is allowed: 2 units of weight 5
