"""Students' gaps (constraints/student_gaps.py, Rules ``students_max_gaps_week`` and
``students_max_gaps_day``): kept by a real solve and judged by the checker's twin
``student_gaps``; an infeasible twin; hand-broken timetables; the workbook admits the
rule only for students whose courses have one group each."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from scheduler.model import School
from scheduler.solution import Status
from scheduler.solver.engine import solve_school
from tests import solver_schools as schools
from tests.checker_fixtures import MON, tiny_school, valid_solution, variant, with_group
from tests.scheduler.solver.test_solve import OPTS
from tests.time_rule_schools import broken, rule, school, solve, unmet_courses
from tests.workbook_fixtures import rules_errors

MORNING = frozenset({0, 1, 4, 5, 8, 9})  # periods 1-2 of Mon, Tue, Wed
AFTERNOON = frozenset({2, 3, 6, 7, 10, 11})  # periods 3-4
FIRST = frozenset({0, 4, 8})
THIRD = frozenset({2, 6, 10})


def fixed() -> School:
    """``two_courses`` with one group a course (``sections`` 1), as the rule needs."""
    base = schools.two_courses()
    return replace(base, courses=tuple(replace(c, sections=1) for c in base.courses))


def times(*rules) -> School:
    return school(
        rule("start_at", "MA", slots=MORNING),
        rule("start_at", "EN", slots=AFTERNOON),
        *rules,
        base=fixed(),
    )


def test_without_the_rule_the_students_have_gaps(tmp_path):
    sol = solve(times(), tmp_path)
    assert broken(times(rule("students_max_gaps_week", value=0)), sol, "student_gaps")


def test_no_gaps_in_the_week(tmp_path):
    s = times(rule("students_max_gaps_week", value=0))
    sol = solve(s, tmp_path)
    assert broken(s, sol, "student_gaps") == [] and not unmet_courses(sol)


def test_a_break_is_no_gap(tmp_path):
    # Maths at period 1, English at period 3: period 2 is a gap unless it is a break.
    pinned = (rule("start_at", "MA", slots=FIRST), rule("start_at", "EN", slots=THIRD))
    s = school(*pinned, rule("students_max_gaps_day", value=0), base=fixed())
    # Infeasible: Maths and English share a day, and a fixed sections count must run.
    assert solve_school(s, OPTS, progress=False).status is Status.INFEASIBLE
    breaks = frozenset({1, 5, 9})
    s = school(*pinned, rule("students_max_gaps_day", value=0, slots=breaks), base=fixed())
    sol = solve(s, tmp_path / "break")
    assert not unmet_courses(sol) and broken(s, sol, "student_gaps") == []


def test_the_checker_counts_a_students_gaps():
    # S1 has MA-3.1 at Mon 2 and AR.1 at Mon 3; AR.1 moved to Mon 4 leaves Mon 3 free.
    sol = valid_solution()
    moved = variant(sol, groups=with_group(sol, "AR.1", lessons=[((MON[4],), "HALL")]))
    week = tiny_school(
        time_rules=(replace(rule("students_max_gaps_week", value=0), students=("S1",)),)
    )
    assert broken(week, moved, "student_gaps") == ["Rules!2: S1 has 1 gaps in the cycle; at most 0"]
    assert broken(week, sol, "student_gaps") == []
    day = tiny_school(
        time_rules=(
            replace(
                rule("students_max_gaps_day", value=0, slots=frozenset({MON[3]})), students=("S1",)
            ),
        )
    )
    assert broken(day, moved, "student_gaps") == []


def test_the_workbook_needs_fixed_groups(tmp_path: Path) -> None:
    rules = rules_errors(
        tmp_path,
        {"rule": "students_max_gaps_week", "value": 1},
        {"rule": "students_max_gaps_day", "value": 0, "students": "S9"},
    )
    assert rules[0].startswith("Rules!2, rule: student ") and "sections 1" in rules[0]
    assert rules[1].startswith("Rules!3, students: S9 is not on the Students sheet")
