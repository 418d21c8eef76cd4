"""Days with lessons at some periods (constraints/days_at.py, Rules ``staff_max_days_at``
and ``students_max_days_at``): kept by a real solve and judged by the checker's twin
``days_at``; infeasible twins; a hand-broken timetable."""

from __future__ import annotations

from dataclasses import replace

from scheduler.model import School
from scheduler.solution import Status
from scheduler.solver.engine import solve_school
from tests import solver_schools as schools
from tests.checker_fixtures import TUE, tiny_school, valid_solution
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

AFTERNOONS = frozenset({2, 3, 6, 7, 10, 11})  # periods 3-4 of Mon, Tue, Wed


def fixed() -> School:
    base = schools.two_courses()
    return replace(base, courses=tuple(replace(c, sections=1) for c in base.courses))


def test_afternoons_on_one_day_at_most(tmp_path):
    # T1's four lessons: one of Maths' in an afternoon, so afternoons on that day only.
    s = school(
        rule("within", "MA.1:2", slots=AFTERNOONS),
        rule("staff_max_days_at", staff=("T1",), slots=AFTERNOONS, value=1),
        base=one_teacher(),
    )
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "days_at") == []
    afternoon_days = {
        x[0] // 4 for g in ("MA.1", "EN.1") for x in lessons_of(sol, g) if x[0] in AFTERNOONS
    }
    assert len(afternoon_days) == 1


def test_infeasible_when_afternoons_are_all_there_is(tmp_path):
    s = school(
        rule("within", "MA", slots=AFTERNOONS),
        rule("staff_max_days_at", staff=("T1",), slots=AFTERNOONS, value=0),
        base=one_teacher(),
    )
    assert unmet_courses(solve(s, tmp_path))
    students = school(
        rule("within", "MA", slots=AFTERNOONS),
        rule("students_max_days_at", slots=AFTERNOONS, value=1),
        base=fixed(),
    )
    assert solve_school(students, OPTS, progress=False).status is Status.INFEASIBLE


def test_the_checker_counts_the_days():
    # S1: SC.1 at Tue 3-4, AR.1 at Mon 3; T2 teaches SC.1 at Tue 3-4.
    sol = valid_solution()
    late = frozenset({2, 3, 4, 7, 8, 9})  # periods 3-5 of Mon and Tue
    s = tiny_school(
        time_rules=(replace(rule("students_max_days_at", slots=late, value=1), students=("S1",)),)
    )
    assert broken(s, sol, "days_at") == [
        "Rules!2: S1 has lessons at the row's slots on 2 days (Mon and Tue); at most 1"
    ]
    staff = tiny_school(
        time_rules=(rule("staff_max_days_at", staff=("T2",), slots=frozenset({TUE[3]}), value=0),)
    )
    assert broken(staff, sol, "days_at") == [
        "Rules!2: T2 has lessons at the row's slots on 1 days (Tue); at most 0"
    ]
