"""Span of a day (constraints/max_span.py, Rules ``staff_max_span_day`` and
``students_max_span_day``): kept by a real solve and judged by the checker's twin
``max_span``; an infeasible twin; hand-broken timetables."""

from __future__ import annotations

from tests.checker_fixtures import tiny_school, valid_solution
from tests.time_rule_schools import (
    broken,
    lessons_of,
    one_teacher,
    rule,
    school,
    solve,
    unmet_courses,
)

FIRSTS = frozenset({0, 4})  # Mon 1, Tue 1 (3 days of 4 periods)


def test_english_close_to_maths(tmp_path):
    # T1 teaches Maths at Mon 1 and Tue 1; English at period 2 or 4 of those days: 2.
    s = school(
        rule("within", "MA", slots=FIRSTS),
        rule("within", "EN", slots=frozenset({1, 3, 5, 7})),
        rule("staff_max_span_day", value=2),
        base=one_teacher(),
    )
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "max_span") == []
    assert lessons_of(sol, "EN.1") == [(1,), (5,)]


def test_infeasible_when_english_is_last(tmp_path):
    s = school(
        rule("within", "MA", slots=FIRSTS),
        rule("within", "EN", slots=frozenset({3, 7})),
        rule("staff_max_span_day", staff=("T1",), value=2),
        base=one_teacher(),
    )
    assert unmet_courses(solve(s, tmp_path))


def test_the_checker_measures_the_span():
    # S1: Mon 2-3 (MA-3.1, AR.1), Tue 2-4 (MA-3.1, SC.1): 2 and 3 periods. T1: 1 a day.
    sol = valid_solution()
    ok = tiny_school(
        time_rules=(
            rule("students_max_span_day", students=("S1",), value=3),
            rule("staff_max_span_day", staff=("T1",), value=1),
        )
    )
    assert broken(ok, sol, "max_span") == []
    s = tiny_school(
        time_rules=(rule("students_max_span_day", students=("S1",), value=2, weight=4),)
    )
    assert broken(s, sol, "max_span") == [
        "Rules!2: S1's lessons on Tue span 3 periods; at most 2 (soft, weight 4)"
    ]
