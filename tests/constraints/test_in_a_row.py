"""Periods in a row (constraints/in_a_row.py, Rules ``staff_max_in_a_row`` and
``students_max_in_a_row``): kept by a real solve and judged by the checker's twin
``in_a_row``; infeasible twins; a hand-broken timetable."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

from scheduler.model import School
from scheduler.solution import Status
from scheduler.solver.engine import solve_school
from tests import solver_schools as schools
from tests.checker_fixtures import tiny_school, valid_solution
from tests.scheduler.solver.test_solve import OPTS
from tests.time_rule_schools import (
    broken,
    lessons_of,
    one_teacher,
    rule,
    school,
    solve,
    unmet_courses,
)

MORNINGS = frozenset({0, 1, 4, 5})  # periods 1-2 of Mon and Tue


def fixed() -> School:
    base = schools.two_courses()
    return replace(base, courses=tuple(replace(c, sections=1) for c in base.courses))


def test_staff_never_teach_two_in_a_row(tmp_path):
    # T1 teaches MA and EN (four lessons) on two days: two a day, apart.
    s = school(
        rule("staff_max_days", staff=("T1",), value=2),
        rule("staff_max_in_a_row", value=1),
        base=one_teacher(),
    )
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "in_a_row") == []
    slots = sorted(x[0] for g in ("MA.1", "EN.1") for x in lessons_of(sol, g))
    assert all(b - a > 1 for a, b in pairwise(slots))


def test_infeasible_when_only_two_periods_a_morning_are_left(tmp_path):
    # Four lessons in periods 1-2 of two days: two in a row each day.
    s = school(
        rule("within", "MA", slots=MORNINGS),
        rule("within", "EN", slots=MORNINGS),
        rule("staff_max_in_a_row", value=1),
        base=one_teacher(),
    )
    assert unmet_courses(solve(s, tmp_path))
    students = school(
        rule("within", "MA", slots=MORNINGS),
        rule("within", "EN", slots=MORNINGS),
        rule("students_max_in_a_row", value=1),
        base=fixed(),
    )
    assert solve_school(students, OPTS, progress=False).status is Status.INFEASIBLE


def test_the_checker_counts_periods_in_a_row():
    # S1 on Tue: MA-3.1 at 2, SC.1 at 3-4; T2 teaches SC.1 at Tue 3-4.
    sol = valid_solution()
    students = tiny_school(
        time_rules=(replace(rule("students_max_in_a_row", value=2), students=("S1",)),)
    )
    assert broken(students, sol, "in_a_row") == [
        "Rules!2: S1 has 3 periods in a row on Tue; at most 2"
    ]
    staff = tiny_school(time_rules=(rule("staff_max_in_a_row", staff=("T2",), value=1),))
    assert broken(staff, sol, "in_a_row") == [
        "Rules!2: T2 has 2 periods in a row on Tue; at most 1"
    ]
    three = tiny_school(time_rules=(rule("students_max_in_a_row", value=3),))
    assert broken(three, sol, "in_a_row") == []
