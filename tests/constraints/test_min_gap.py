"""Min gap (constraints/min_gap.py, Rules ``min_gap``): kept by a real solve and judged
by the checker's twin ``min_gap``; an infeasible twin; a hand-broken timetable; the
workbook's check of the row."""

from __future__ import annotations

from pathlib import Path

from tests.checker_fixtures import tiny_school, valid_solution
from tests.time_rule_schools import apart, broken, lessons_of, rule, school, solve, unmet_courses
from tests.workbook_fixtures import rules_errors

FIRST = frozenset({0, 4})  # Mon 1, Tue 1
MON_TUE = frozenset(range(8))


def test_two_periods_between_on_a_day(tmp_path):
    s = school(
        rule("within", "MA", slots=FIRST),
        rule("within", "EN", slots=MON_TUE),
        rule("min_gap", "MA.1", "EN.1", value=2),
        base=apart(),
    )
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "min_gap") == []
    assert [x[0] % 4 for x in lessons_of(sol, "EN.1")] == [3, 3]  # period 4


def test_infeasible_with_more_periods_than_the_day_has(tmp_path):
    s = school(
        rule("within", "MA", slots=FIRST),
        rule("within", "EN", slots=MON_TUE),
        rule("min_gap", "MA.1", "EN.1", value=3),
        base=apart(),
    )
    assert unmet_courses(solve(s, tmp_path))


def test_the_checker_counts_the_periods_between():
    # MA-3.1 at Mon 2 and GE.1 at Mon 4: one period between.
    sol = valid_solution()
    s = tiny_school(time_rules=(rule("min_gap", "MA-3.1", "GE.1", value=2),))
    assert broken(s, sol, "min_gap") == [
        (
            "Rules!2: MA-3.1 lesson 1 at Mon 2 and GE.1 lesson 1 at Mon 4 have 1 period(s) "
            "between them; at least 2"
        )
    ]
    assert (
        broken(
            tiny_school(time_rules=(rule("min_gap", "MA-3.1", "GE.1", value=1),)), sol, "min_gap"
        )
        == []
    )


def test_the_workbook_wants_two_references(tmp_path: Path) -> None:
    rules = rules_errors(tmp_path, {"rule": "min_gap", "lessons": "SC", "value": 1})
    assert len(rules) == 1 and rules[0].startswith("Rules!2, lessons: names one reference")
