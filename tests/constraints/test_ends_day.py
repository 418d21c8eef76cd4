"""The students' last lesson of the day (constraints/ends_day.py, Rules
``ends_students_day``): kept by a real solve and judged by the checker's twin
``ends_students_day``; an infeasible twin; a hand-broken timetable; the workbook admits
the row only when the lessons' students have their groups fixed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from scheduler.model import School
from scheduler.solution import Status
from scheduler.solver.engine import solve_school
from tests import solver_schools as schools
from tests.checker_fixtures import tiny_school, valid_solution
from tests.scheduler.solver.test_solve import OPTS
from tests.time_rule_schools import broken, lessons_of, rule, school, solve, unmet_courses
from tests.workbook_fixtures import rules_errors


def fixed() -> School:
    base = schools.two_courses()
    return replace(base, courses=tuple(replace(c, sections=1) for c in base.courses))


def test_maths_ends_the_day(tmp_path):
    s = school(rule("ends_students_day", "MA"), base=fixed())
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "ends_students_day") == []
    english = {x[0] for x in lessons_of(sol, "EN.1")}
    for (t,) in lessons_of(sol, "MA.1"):
        assert not any(u // 4 == t // 4 and u > t for u in english)


def test_infeasible_when_english_must_follow_maths():
    s = school(
        rule("ends_students_day", "MA"),
        rule("within", "MA", slots=frozenset({0, 4})),
        rule("within", "EN", slots=frozenset({1, 5})),
        base=fixed(),
    )
    assert solve_school(s, OPTS, progress=False).status is Status.INFEASIBLE


def test_the_checker_finds_a_later_lesson():
    # S1, S2 and S4 have MA-3.1 at Mon 2; S1 and S2 have Art at Mon 3, S4 Geography at 4.
    sol = valid_solution()
    s = tiny_school(time_rules=(rule("ends_students_day", "MA-3.1:1"),))
    assert broken(s, sol, "ends_students_day") == [
        "Rules!2: S1, S2 and S4 have a lesson after MA-3.1 lesson 1 at Mon 2"
    ]
    fine = tiny_school(time_rules=(rule("ends_students_day", "GE.1", "SC.1"),))
    assert broken(fine, sol, "ends_students_day") == []


def test_the_workbook_needs_fixed_groups(tmp_path: Path) -> None:
    rules = rules_errors(tmp_path, {"rule": "ends_students_day", "lessons": "SC"})
    assert len(rules) == 1 and rules[0].startswith("Rules!2, lessons: student ")
    assert "sections 1" in rules[0]
