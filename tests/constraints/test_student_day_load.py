"""Students' periods a day (constraints/student_day_load.py, Rules
``students_min_periods_day`` and ``students_min_periods_every_day``): kept by a real
solve and judged by the checker's twin ``student_periods_day``; an infeasible twin;
hand-broken timetables."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from scheduler.model import School
from scheduler.solution import Solution, Status
from scheduler.solver.engine import solve_school
from tests.checker_fixtures import tiny_school, valid_solution, variant, with_group
from tests.constraints.test_student_gaps import fixed
from tests.scheduler.solver.test_solve import OPTS
from tests.time_rule_schools import broken, rule, school, solve, unmet_courses


def per_day(s: School, sol: Solution) -> Counter[str]:
    """Periods a day of S1 (every student takes both courses)."""
    return Counter(s.calendar.slots[t].day for g in sol.groups for t in g.slots)


def test_without_the_rule_a_day_has_one_lesson(tmp_path):
    s = school(base=fixed())
    assert 1 in per_day(s, solve(s, tmp_path)).values()


def test_at_least_two_on_a_day_with_lessons(tmp_path):
    s = school(rule("students_min_periods_day", value=2), base=fixed())
    sol = solve(s, tmp_path)
    assert set(per_day(s, sol).values()) == {2} and not unmet_courses(sol)


def test_infeasible_two_every_day_for_four_lessons_on_three_days():
    s = school(rule("students_min_periods_every_day", value=2), base=fixed())
    assert solve_school(s, OPTS, progress=False).status is Status.INFEASIBLE


def test_the_checker_counts_periods_a_day():
    # S1: Mon has MA-3.1 and AR.1 (2 periods), Tue MA-3.1 and SC.1's double (3).
    s = tiny_school(
        time_rules=(replace(rule("students_min_periods_day", value=3), students=("S1",)),)
    )
    assert broken(s, valid_solution(), "student_periods_day") == [
        "Rules!2: S1 has 2 periods on Mon; at least 3"
    ]
    two = tiny_school(
        time_rules=(replace(rule("students_min_periods_every_day", value=2), students=("S1",)),)
    )
    assert broken(two, valid_solution(), "student_periods_day") == []


def test_a_day_away_needs_no_lessons():
    # S3 has CS.1 (Tue 2) and GE.1 (Mon 4); out of GE.1, S3's Monday is empty, which the
    # every-day rule refuses unless S3 is away all Monday.
    sol = valid_solution()
    moved = variant(sol, groups=with_group(sol, "GE.1", students={"S4"}))
    rows = (replace(rule("students_min_periods_every_day", value=1), students=("S3",)),)
    s = tiny_school(time_rules=rows)
    assert broken(s, sol, "student_periods_day") == []
    assert broken(s, moved, "student_periods_day") == [
        "Rules!2: S3 has 0 periods on Mon; at least 1"
    ]
    mon = frozenset(s.calendar.day_slots["Mon"])
    away = tuple(replace(x, unavailable=mon) if x.id == "S3" else x for x in s.students)
    assert broken(replace(s, students=away), moved, "student_periods_day") == []


TWO_DAYS = frozenset(range(8))  # Mon and Tue


def test_at_most_two_periods_a_day(tmp_path):
    s = school(
        rule("students_max_periods_day", value=2),
        rule("within", "MA", slots=TWO_DAYS),
        rule("within", "EN", slots=TWO_DAYS),
        base=fixed(),
    )
    sol = solve(s, tmp_path)
    assert set(per_day(s, sol).values()) == {2} and not unmet_courses(sol)
    assert broken(s, sol, "student_periods_day") == []


def test_infeasible_one_a_day_for_four_lessons_on_two_days():
    s = school(
        rule("students_max_periods_day", value=1),
        rule("within", "MA", slots=TWO_DAYS),
        rule("within", "EN", slots=TWO_DAYS),
        base=fixed(),
    )
    assert solve_school(s, OPTS, progress=False).status is Status.INFEASIBLE


def test_the_checker_counts_periods_over():
    # S1 on Tue: MA-3.1 at 2, SC.1 at 3-4 (three periods).
    sol = valid_solution()
    s = tiny_school(
        time_rules=(replace(rule("students_max_periods_day", value=2), students=("S1",)),)
    )
    assert broken(s, sol, "student_periods_day") == ["Rules!2: S1 has 3 periods on Tue; at most 2"]
