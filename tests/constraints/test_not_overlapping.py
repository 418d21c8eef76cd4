"""Lessons apart in time (constraints/not_overlapping.py, Rules ``not_overlapping``):
kept by a real solve and judged by the checker's twin ``not_overlapping``; an infeasible
twin; a hand-broken timetable; the workbook's check of the row."""

from __future__ import annotations

from pathlib import Path

from tests.checker_fixtures import tiny_school, valid_solution
from tests.time_rule_schools import apart, broken, lessons_of, rule, school, solve, unmet_courses
from tests.workbook_fixtures import rules_errors

MA_TIMES = frozenset({0, 4})  # Mon 1, Tue 1
EN_TIMES = frozenset({0, 1, 4, 5})  # periods 1-2 of Mon and Tue


def test_lessons_that_could_meet_at_once_do_not(tmp_path):
    # ``apart``: no student takes both MA and EN, two rooms: they could share a period.
    s = school(
        rule("within", "MA", slots=MA_TIMES),
        rule("within", "EN", slots=EN_TIMES),
        rule("not_overlapping", "MA.1", "EN.1"),
        base=apart(),
    )
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "not_overlapping") == []
    assert {x[0] for x in lessons_of(sol, "EN.1")} == {1, 5}


def test_infeasible_with_one_period_a_day_for_both(tmp_path):
    s = school(
        rule("within", "MA", slots=MA_TIMES),
        rule("within", "EN", slots=MA_TIMES),
        rule("not_overlapping", "MA.1", "EN.1"),
        base=apart(),
    )
    assert unmet_courses(solve(s, tmp_path))


def test_the_checker_finds_an_overlap():
    # AR.1 and AR.2 both at Mon 3.
    sol = valid_solution()
    s = tiny_school(time_rules=(rule("not_overlapping", "AR.1", "AR.2", "GE.1"),))
    assert broken(s, sol, "not_overlapping") == [
        "Rules!2: AR.1 lesson 1 and AR.2 lesson 1 overlap at Mon 3"
    ]
    fine = tiny_school(time_rules=(rule("not_overlapping", "AR.1", "GE.1", "MA-3.1"),))
    assert broken(fine, sol, "not_overlapping") == []


def test_the_workbook_wants_two_references(tmp_path: Path) -> None:
    rules = rules_errors(tmp_path, {"rule": "not_overlapping", "lessons": "SC"})
    assert len(rules) == 1 and rules[0].startswith("Rules!2, lessons: names one reference")
