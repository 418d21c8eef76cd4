"""Students one place at a time (constraints/student_clashes.py): no two of a student's
lessons at once, none on their home-learning days, none in their tutor time, only courses
open to their year. Kept by a real solve and judged by the checker's twins
``student_clash``, ``home_days`` and ``years``; an infeasible twin; a hand-broken
timetable."""

from __future__ import annotations

from tests import solver_schools as schools
from tests.checker_fixtures import MON, moved, tiny_school, valid_solution
from tests.time_rule_schools import broken, solve, unmet_courses


def test_a_students_two_courses_never_meet_at_once(tmp_path):
    # Six students take both Maths and English: their lessons must not overlap.
    s = schools.two_courses()
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol)
    ma = {t for lesson in sol.course_groups["MA"][0].lessons for t in lesson.slots}
    en = {t for lesson in sol.course_groups["EN"][0].lessons for t in lesson.slots}
    assert not ma & en
    assert broken(s, sol, "student_clash") == []


def test_infeasible_when_both_courses_can_only_meet_at_once(tmp_path):
    # Both teachers are free only at Mon 1: every student gets one of the two courses.
    sol = solve(schools.clash_school(), tmp_path)
    unmet = [o for o in sol.outcomes if o.status.value == "unmet"]
    assert len(unmet) == 4
    assert len({o.student for o in unmet}) == 4


def test_no_school_lesson_on_a_home_day(tmp_path):
    # S1 is at home on Mon and Tue: History (at school) falls on Wed for them; the online
    # course may be any day.
    s = schools.home_and_online()
    sol = solve(s, tmp_path)
    assert broken(s, sol, "home_days") == []
    hist = sol.course_groups["HI"]
    s1 = [g for g in hist if "S1" in g.students]
    days = {s.calendar.slots[t].day for g in s1 for lesson in g.lessons for t in lesson.slots}
    assert days <= {"Wed"}


def test_the_checker_finds_a_student_in_two_lessons_at_once():
    sol = valid_solution()
    school = tiny_school()
    assert broken(school, sol, "student_clash") == []
    # Art group 1 moved to Mon 2, when S1 has Maths.
    clash = moved(sol, "AR.1", 0, slots=(MON[2],))
    found = broken(school, clash, "student_clash")
    assert found and any("S1" in m for m in found)


def packed_school(days: tuple[str, ...]):
    """``two_courses`` with both courses one fixed section, on ``days`` of two periods:
    on two days their four lessons fill every slot."""
    from dataclasses import replace

    base = schools.two_courses()
    return replace(
        base,
        calendar=schools.calendar(days, periods=2),
        courses=tuple(replace(c, sections=1) for c in base.courses),
    )


def test_a_class_whose_lessons_fill_its_week_gets_one_lesson_in_every_slot():
    """fill_the_week: the rows it adds (one per slot) keep the placement that exists, and
    every slot holds exactly one of the class's lessons in it; a week with room to spare
    gets no rows."""
    from ortools.sat.python import cp_model

    from constraints.student_clashes import fill_the_week
    from scheduler.plan import plan_groups

    def model(days):
        s = packed_school(days)
        planned = plan_groups(s)
        staff_of = {g.id: ("T1",) if g.course == "MA" else ("T2",) for g in planned}
        return schools.timetable_model(s, planned, staff_of, tentative={})

    spare = model(("Mon", "Tue", "Wed"))
    before = len(spare.model.proto.constraints)
    fill_the_week(spare, ["EN.1", "MA.1"])
    assert len(spare.model.proto.constraints) == before

    full = model(("Mon", "Tue"))
    before = len(full.model.proto.constraints)
    fill_the_week(full, ["EN.1", "MA.1"])
    assert len(full.model.proto.constraints) == before + 4
    for v in full.placed.values():
        full.model.add(v == 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(full.model) == cp_model.OPTIMAL
    for t in range(4):
        assert sum(solver.value(v) for g in ("EN.1", "MA.1") for v in full.occupies(g, t)) == 1
