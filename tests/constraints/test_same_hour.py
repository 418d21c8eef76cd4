"""Same hour (constraints/same_hour.py, Rules ``same_hour``): kept by a real solve and
judged by the checker's twin ``same_hour``; an infeasible twin; a hand-broken
timetable; the workbook's check of the row."""

from __future__ import annotations

from pathlib import Path

from tests.checker_fixtures import tiny_school, valid_solution
from tests.time_rule_schools import broken, lessons_of, rule, school, solve, unmet_courses
from tests.workbook_fixtures import rules_errors

THIRD = frozenset({2, 6})  # Mon 3, Tue 3 (3 days of 4 periods)


def test_a_lesson_at_the_period_of_others_on_another_day(tmp_path):
    # Maths at Mon 3 and Tue 3; English's later lesson at period 3 too: only Wed 3 is left.
    s = school(rule("within", "MA", slots=THIRD), rule("same_hour", "MA.1", "EN.1:2"))
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "same_hour") == []
    assert lessons_of(sol, "EN.1")[1] == (10,)


def test_infeasible_with_more_lessons_than_the_period_has_days(tmp_path):
    # Four lessons that may not overlap, all at period 3 of three days.
    s = school(rule("within", "MA", slots=THIRD), rule("same_hour", "MA.1", "EN.1"))
    assert unmet_courses(solve(s, tmp_path))


def test_the_checker_finds_a_lesson_at_another_period():
    # MA-3.1 at Mon 2 and Tue 2, GE.1 at Mon 4, AR.1 at Mon 3, SC.1 at Tue 3-4.
    sol = valid_solution()
    ok = tiny_school(time_rules=(rule("same_hour", "AR.1", "SC.1"),))
    assert broken(ok, sol, "same_hour") == []
    s = tiny_school(time_rules=(rule("same_hour", "GE.1", "MA-3.1", weight=3),))
    assert broken(s, sol, "same_hour") == [
        (
            "Rules!2: GE.1 lesson 1 at Mon 4 does not start at the period of MA-3.1 lesson 1 "
            "at Mon 2 (soft, weight 3)"
        )
    ]


def test_the_workbook_wants_two_references(tmp_path: Path) -> None:
    rules = rules_errors(tmp_path, {"rule": "same_hour", "lessons": "SC"})
    assert len(rules) == 1 and rules[0].startswith("Rules!2, lessons: names one reference")
