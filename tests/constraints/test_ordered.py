"""Lessons in order (constraints/ordered.py, Rules ``ordered`` and
``ordered_if_same_day``): kept by a real solve and judged by the checker's twin
``ordered``; infeasible twins; hand-broken timetables; the workbook's check of the row."""

from __future__ import annotations

from pathlib import Path

from tests.checker_fixtures import tiny_school, valid_solution
from tests.time_rule_schools import broken, lessons_of, rule, school, solve, unmet_courses
from tests.workbook_fixtures import rules_errors

MON_TUE = frozenset(range(8))  # 3 days of 4 periods
SECOND = frozenset({1, 5})  # Mon 2, Tue 2
LAST = frozenset({3, 7})  # Mon 4, Tue 4


def test_ordered_both_english_lessons_before_maths(tmp_path):
    s = school(rule("ordered", "EN.1:2", "MA.1:1"))
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "ordered") == []
    assert lessons_of(sol, "EN.1")[1][-1] < lessons_of(sol, "MA.1")[0][0]


def test_ordered_infeasible_when_maths_comes_first(tmp_path):
    # Maths on Mon and Tue: its first lesson is on Mon, before which English's two
    # lessons (on two days) cannot both fall.
    s = school(rule("within", "MA", slots=MON_TUE), rule("ordered", "EN.1:2", "MA.1:1"))
    assert unmet_courses(solve(s, tmp_path))


def test_ordered_if_same_day_later_that_day(tmp_path):
    # Maths at Mon 2 and Tue 2; English's first lesson, on Mon or Tue, after Maths.
    s = school(
        rule("within", "MA", slots=SECOND),
        rule("within", "EN", slots=MON_TUE),
        rule("ordered_if_same_day", "MA.1:1", "EN.1:1"),
    )
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "ordered") == []
    assert lessons_of(sol, "EN.1")[0][0] > 1


def test_ordered_if_same_day_infeasible(tmp_path):
    # Maths at period 4 on Mon and Tue; English's first lesson is on Mon, and after it.
    s = school(
        rule("within", "MA", slots=LAST),
        rule("within", "EN", slots=MON_TUE),
        rule("ordered_if_same_day", "MA.1:1", "EN.1:1"),
    )
    assert unmet_courses(solve(s, tmp_path))


def test_the_checker_finds_lessons_out_of_order():
    # AR.1 at Mon 3, GE.1 at Mon 4, SC.1 at Tue 3-4.
    sol = valid_solution()
    ok = tiny_school(
        time_rules=(
            rule("ordered", "AR.1", "GE.1"),
            rule("ordered", "GE.1", "SC.1"),
            rule("ordered_if_same_day", "SC.1", "GE.1"),
        )
    )
    assert broken(ok, sol, "ordered") == []
    s = tiny_school(
        time_rules=(rule("ordered", "SC.1", "GE.1"), rule("ordered_if_same_day", "GE.1", "AR.1"))
    )
    assert broken(s, sol, "ordered") == [
        "Rules!2: GE.1 lesson 1 at Mon 4 is not after SC.1 lesson 1 at Tue 3-4",
        "Rules!2: AR.1 lesson 1 at Mon 3 is not after GE.1 lesson 1 at Mon 4 on the same day",
    ]


def test_the_workbook_wants_two_lessons(tmp_path: Path) -> None:
    rules = rules_errors(
        tmp_path,
        {"rule": "ordered", "lessons": "SC.1:1, AR.1:1, MA-3.1:1"},
        {"rule": "ordered_if_same_day", "lessons": "MA-3.1, SC.1:1"},
    )
    assert len(rules) == 2
    assert rules[0].startswith("Rules!2, lessons: names 3 reference(s); a ordered rule ties two")
    assert rules[1].startswith("Rules!3, lessons: MA-3.1 names more than one lesson")
