"""The idle periods rule family (constraints/idle.py): the ``idle_student`` and
``idle_staff`` terms, exact in the students' model. The checker recomputes them
(scheduler.score.idle_periods) and flags a written objective that disagrees."""

from __future__ import annotations

from dataclasses import replace

from scheduler.checker import check_solution
from scheduler.score import DEFAULT_WEIGHTS, idle_count
from tests import solver_schools as schools
from tests.checker_fixtures import MON, soft_rules, tiny_school, valid_solution
from tests.scheduler.solver.test_solve import solve_checked


def one_course_one_day(teacher_free_at_2: bool):
    """One course of two single lessons for two students in a day of three periods; its
    teacher is away at period 2 unless ``teacher_free_at_2``."""
    base = schools.two_courses(2)
    teacher = base.staff[0]
    if not teacher_free_at_2:
        teacher = replace(teacher, unavailable=frozenset({1}))
    return replace(
        base,
        calendar=schools.calendar(days=("Mon",), periods=3),
        courses=base.courses[:1],
        staff=(teacher,),
        requests=tuple(r for r in base.requests if r.course == "MA"),
    )


def test_idle_periods_are_avoided_when_they_can_be(tmp_path):
    sol, report, _ = solve_checked(one_course_one_day(teacher_free_at_2=True), tmp_path)
    assert sorted(sol.groups[0].slots) in ([0, 1], [1, 2])
    assert report.objective_terms["idle_student"] == 0
    assert report.objective_terms["idle_staff"] == 0


def test_forced_gaps_are_counted_per_student_and_teacher(tmp_path):
    """Lessons at periods 1 and 3: each of the 2 students and the teacher idle once."""
    sol, report, _ = solve_checked(one_course_one_day(teacher_free_at_2=False), tmp_path)
    assert sorted(sol.groups[0].slots) == [0, 2]
    assert report.objective_terms["idle_student"] == 2 * DEFAULT_WEIGHTS["weight_idle_student"]
    assert report.objective_terms["idle_staff"] == 1 * DEFAULT_WEIGHTS["weight_idle_staff"]
    assert sol.objective_terms == report.objective_terms


def test_idle_count_is_per_day_between_first_and_last():
    school = tiny_school()
    assert idle_count(school, {MON[1], MON[2]}) == 0
    assert idle_count(school, {MON[1], MON[4]}) == 2
    assert idle_count(school, {MON[1], MON[3], 7, 9}) == 2  # Mon 1-3: 1; Tue 3-5: 1
    assert idle_count(school, {MON[2], 99}) == 0  # a slot not in the Calendar is not counted


def test_the_checker_flags_a_written_idle_count_the_timetable_does_not_have():
    base = valid_solution()  # S4 idle at Mon 3, T4 at Mon 2: 1 each
    assert check_solution(tiny_school(), base).violations == []
    wrong = dict(base.objective_terms, idle_student=0)
    report = check_solution(
        tiny_school(), replace(base, objective_terms=wrong, objective=base.objective - 1)
    )
    assert report.ok and soft_rules(report) == {"objective"}
    assert [v.message for v in report.violations] == [
        "Objective term idle_student is written as 0; the timetable scores 1",
        "Objective is written as 111; the timetable scores 112",
    ]
