"""The lessons rule family (constraints/lessons.py): each lesson on one run of
consecutive slots of one day, a group's lessons on different days unless the course has
more lessons than the cycle has days (rule 4). The checker's twins: ``lesson_shape``,
``lesson_lengths`` and ``lesson_days``."""

from __future__ import annotations

from dataclasses import replace

from scheduler.checker import check_solution
from scheduler.plan import plan_groups
from tests import solver_schools as schools
from tests.checker_fixtures import (
    MON,
    TUE,
    hard_rules,
    tiny_school,
    valid_solution,
    variant,
    with_group,
)
from tests.scheduler.solver.test_solve import solve_checked

STAFF_OF = {"MA.1": ("T1",), "EN.1": ("T2",)}


def every_group_placed(school) -> bool:
    """Whether the timetable model (every rule family) places every planned group."""
    planned = plan_groups(school, 0.9)
    assert {g.id for g in planned} == set(STAFF_OF)
    return schools.all_placed(schools.timetable_model(school, planned, STAFF_OF))


def test_solved_lessons_are_on_different_days_and_pass_the_checker(tmp_path):
    school = schools.two_courses(4)
    sol, report, _ = solve_checked(school, tmp_path)
    assert report.figures.requests_core_met == 8 and report.figures.groups == 2
    day = {s.index: s.day for s in school.calendar.slots}
    for g in sol.groups:
        assert [len(lesson.slots) for lesson in g.lessons] == [1, 1]
        assert len({day[lesson.slots[0]] for lesson in g.lessons}) == 2, g


def test_two_lessons_never_share_a_day_while_there_are_days_enough():
    base = schools.two_courses(2)
    assert every_group_placed(base)
    # T1 free on Monday only: MA's two lessons would both be on Monday, which rule 4
    # forbids in a three-day cycle...
    monday_only = replace(base.staff[0], unavailable=frozenset(range(4, 12)))
    assert not every_group_placed(replace(base, staff=(monday_only, base.staff[1])))
    # ...but allows in a one-day cycle (more lessons than days: up to 2 a day).
    one_day = replace(base, calendar=schools.calendar(days=("Mon",), periods=4))
    assert every_group_placed(one_day)


def test_the_checker_flags_two_lessons_on_one_day():
    school = tiny_school(travel=())  # (S4 would otherwise need 30 minutes after GE)
    base = valid_solution()
    groups = with_group(base, "MA-3.1", lessons=[((MON[2],), "R1"), ((MON[5],), "R1")])
    report = check_solution(school, variant(base, school=school, groups=groups))
    assert hard_rules(report) == {"lesson_days"}
    assert check_solution(school, base).ok


def test_the_checker_flags_a_double_lesson_split_over_non_consecutive_slots():
    base = valid_solution()
    groups = with_group(base, "SC.1", lessons=[((TUE[3], TUE[5]), "LAB")])
    report = check_solution(tiny_school(), variant(base, groups=groups))
    assert hard_rules(report) == {"lesson_shape"}
