"""The option blocks rule family (constraints/option_blocks.py): the groups of one option
block meet at the same times. Which groups form a block is the blocking phase's
(scheduler/solver/blocking.py). The contract has no rule about blocks, so the checker's
twin is what blocks are for: a student's groups never overlap (``student_clash``)."""

from __future__ import annotations

from dataclasses import replace

from ortools.sat.python import cp_model

from scheduler.checker import check_solution
from scheduler.model import Course, Qualification, Room, School, Settings, Staff, Student
from scheduler.plan import plan_groups
from tests import solver_schools as schools
from tests.checker_fixtures import (
    TUE,
    hard_rules,
    tiny_school,
    valid_solution,
    variant,
    with_group,
)
from tests.scheduler.solver.test_solve import solve_checked, unmet


def model(school: School, blocks):
    """The timetable model of each course's first planned group (A.1, B.1, C.1, D.1),
    taught by the course's teacher (TA, TB, TC, TD)."""
    planned = tuple(g for g in plan_groups(school, 0.9) if g.number == 1)
    assert [g.id for g in planned] == ["A.1", "B.1", "C.1", "D.1"]
    staff_of = {g.id: (f"T{g.course}",) for g in planned}
    return schools.timetable_model(school, planned, staff_of, blocks=blocks)


def test_blocked_groups_take_the_same_runs():
    tm = model(schools.options_school(), blocks=[["A.1", "D.1"]])
    for v in tm.placed.values():
        tm.model.add(v == 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5
    assert solver.solve(tm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    def runs(gid: str) -> list[tuple[int, ...]]:
        return [next(r for r, v in per.items() if solver.value(v)) for per in tm.place[gid]]

    assert runs("A.1") == runs("D.1")


def test_a_block_whose_teachers_are_never_free_together_cannot_be_placed():
    """TB teaches only at Mon 1; with TA away then, A and B may not be blocked together."""
    base = schools.options_school()
    away = replace(base.staff[0], unavailable=frozenset({0}))
    school = replace(base, staff=(away, *base.staff[1:]))
    assert schools.all_placed(model(school, blocks=[]))
    assert not schools.all_placed(model(school, blocks=[["A.1", "B.1"]]))


def test_an_option_cohort_is_blocked_so_every_student_gets_both_options(tmp_path):
    """Four students each choose two of ART, MUS and DRA (one lesson each, one slot a day
    over three days): blocking gives everyone both, whatever the pairs."""
    pairs = {"S1": ("ART", "MUS"), "S2": ("MUS", "DRA"), "S3": ("ART", "DRA"), "S4": ("ART", "MUS")}
    subjects = {"ART": "Art", "MUS": "Music", "DRA": "Drama"}
    school = School(
        calendar=schools.calendar(days=("Mon", "Tue", "Wed"), periods=1),
        rooms=(Room("R1", 30, frozenset({"classroom"})), Room("R2", 30, frozenset({"classroom"}))),
        staff=tuple(
            Staff(f"T{c}", qualifications=(Qualification(s),)) for c, s in subjects.items()
        ),
        courses=tuple(Course(c, s, (1,), 1, 10) for c, s in subjects.items()),
        students=tuple(Student(s, 10) for s in pairs),
        requests=tuple(
            schools.req(s, c, "option", rank)
            for s, chosen in pairs.items()
            for rank, c in enumerate(chosen, start=1)
        ),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )
    sol, report, _ = solve_checked(school, tmp_path)
    assert not unmet(sol)
    assert report.figures.requests_option_met == 8 and report.figures.first_choice_met == 4
    assert report.objective_terms["option_shortfall"] == 0


def test_the_checker_flags_a_student_in_two_option_groups_at_once():
    base = valid_solution()  # S2 takes MA-3 (Mon 2, Tue 2) and AR (Mon 3)
    groups = with_group(base, "AR.2", lessons=[((TUE[2],), "HALL")])
    assert hard_rules(check_solution(tiny_school(), variant(base, groups=groups))) == {
        "student_clash"
    }
