"""The staff rule family (constraints/staff.py): staff never in two places at once, never
when unavailable. The checker's twins: ``staff_clash``, ``staff_unavailable`` and
``staff_eligible``."""

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
from tests.scheduler.solver.test_solve import solve_checked, unmet


def test_lessons_only_when_the_teacher_is_free(tmp_path):
    """T1 is free at Mon 1 and Tue 1 only: MA's two lessons are there."""
    base = schools.two_courses(2)
    t1 = replace(base.staff[0], unavailable=frozenset(range(12)) - {0, 4})
    sol, report, _ = solve_checked(replace(base, staff=(t1, base.staff[1])), tmp_path)
    ma = next(g for g in sol.groups if g.course == "MA")
    assert sorted(ma.slots) == [0, 4]
    assert report.figures.requests_core_met == 4


def test_one_teacher_teaches_one_lesson_at_a_time():
    """Two rooms, two days of one period, four lessons (S1 takes MA, S2 EN, so no student
    keeps them apart): two teachers fit them, one cannot."""
    base = schools.two_courses(2)
    school = replace(
        base,
        calendar=schools.calendar(days=("Mon", "Tue"), periods=1),
        rooms=base.rooms + (replace(base.rooms[0], id="R2"),),
        requests=(schools.req("S1", "MA"), schools.req("S2", "EN")),
    )
    planned = plan_groups(school, 0.9)
    two = {"MA.1": ("T1",), "EN.1": ("T2",)}
    one = {"MA.1": ("T1",), "EN.1": ("T1",)}
    assert schools.all_placed(schools.timetable_model(school, planned, two))
    assert not schools.all_placed(schools.timetable_model(school, planned, one))


def test_a_teacher_free_on_one_day_cannot_take_two_day_courses(tmp_path):
    sol, report, _ = solve_checked(schools.single_teacher(free_slots=3), tmp_path)
    assert report.figures.requests_core_met == 0 and not sol.groups
    assert len(unmet(sol)) == 8
    assert all("(T1) are not free on 2 different days" in o.reason for o in unmet(sol))


def test_the_checker_flags_a_lesson_when_the_teacher_is_away():
    base = valid_solution()  # T3 (AR.1) is unavailable on Tuesdays
    groups = with_group(base, "AR.1", lessons=[((TUE[5],), "HALL")])
    assert hard_rules(check_solution(tiny_school(), variant(base, groups=groups))) == {
        "staff_unavailable"
    }


def test_the_checker_flags_a_teacher_in_two_places():
    base = valid_solution()  # T4 teaches AR.2 at Mon 3 and tutors TG-A at Mon 1
    groups = with_group(base, "AR.2", lessons=[((MON[1],), "HALL")], students={"S5"})
    report = check_solution(tiny_school(), variant(base, groups=groups))
    assert "staff_clash" in hard_rules(report)


def test_the_checker_flags_a_teacher_not_qualified():
    base = valid_solution()  # T2 teaches Science only
    groups = with_group(base, "GE.1", staff=("T2",))
    assert hard_rules(check_solution(tiny_school(), variant(base, groups=groups))) == {
        "staff_eligible"
    }
