"""The locks rule family (constraints/locks.py, the Locks sheet): a group's slots, room
and staff, and a student's group, kept by a real solve and judged by the independent
checker's twin ``locks``; an infeasible twin; a hand-broken timetable."""

from __future__ import annotations

from dataclasses import replace

from scheduler.checker import check_solution
from scheduler.model import Lock, Qualification, Room, School, Staff
from scheduler.plan import plan_groups, tentative_sections
from scheduler.solution import Status
from scheduler.solver.engine import SolveOptions, solve_school
from scheduler.solver.staffing import assign_staff
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
from tests.workbook_fixtures import load_tables, tiny_tables


def lock_school(*locks: Lock) -> School:
    """Six students take MA (two fixed groups) and EN; T1 and T3 teach Maths, T2 and T3
    English; rooms R1 (30 seats) and R2 (40). Without locks (seed 1, one worker) the
    solve gives MA.1 to T3 in R1 with S1-S3, MA.2 to T1 in R2 with S4-S6, both at Mon 2
    and Tue 3 (slots 1 and 8), and EN.1 to T2: every lock below asks for something else."""
    base = schools.two_courses(6)
    return replace(
        base,
        rooms=(
            Room("R1", 30, frozenset({"classroom"})),
            Room("R2", 40, frozenset({"classroom"})),
        ),
        staff=base.staff
        + (Staff("T3", qualifications=(Qualification("Maths"), Qualification("English"))),),
        courses=(replace(base.courses[0], sections=2),) + base.courses[1:],
        locks=locks,
    )


def by_id(solution):
    return {g.id: g for g in solution.groups}


def test_without_locks_the_solve_does_otherwise(tmp_path):
    """The baseline every lock test departs from (so each lock test can fail)."""
    sol, _, _ = solve_checked(lock_school(), tmp_path)
    g = by_id(sol)
    assert g["MA.2"].slots != frozenset({7, 10})
    assert {lesson.room for lesson in g["MA.1"].lessons} == {"R1"}
    assert g["EN.1"].staff == ("T2",)
    assert "S1" not in g["MA.2"].students and "S6" not in g["MA.1"].students


def test_a_group_locked_to_slots_meets_exactly_there(tmp_path):
    # Slot 7 is Tue 4, slot 10 Wed 3.
    sol, report, _ = solve_checked(lock_school(Lock("MA", 2, frozenset({7, 10}), row=2)), tmp_path)
    assert by_id(sol)["MA.2"].slots == frozenset({7, 10})
    assert "locks" in report.rules and not unmet(sol)


def test_a_group_locked_to_a_room_is_only_there(tmp_path):
    sol, _, _ = solve_checked(lock_school(Lock("MA", 1, room="R2", row=2)), tmp_path)
    assert {lesson.room for lesson in by_id(sol)["MA.1"].lessons} == {"R2"}


def test_a_group_locked_to_staff_has_exactly_them(tmp_path):
    sol, _, _ = solve_checked(lock_school(Lock("EN", 1, staff=("T3",), row=2)), tmp_path)
    assert by_id(sol)["EN.1"].staff == ("T3",)


def test_a_student_locked_to_a_group_is_in_it(tmp_path):
    school = lock_school(Lock("MA", 2, student="S1", row=2), Lock("MA", 1, student="S6", row=3))
    sol, _, _ = solve_checked(school, tmp_path)
    assert "S1" in by_id(sol)["MA.2"].students
    assert "S6" in by_id(sol)["MA.1"].students
    assert not unmet(sol)


def test_every_kind_of_lock_at_once(tmp_path):
    school = lock_school(
        Lock("MA", 2, frozenset({7, 10}), room="R1", staff=("T1",), student="S1", row=2),
        Lock("EN", 1, frozenset({0, 4}), staff=("T3",), row=3),
        Lock("MA", 1, room="R2", student="S6", row=4),
    )
    sol, report, _ = solve_checked(school, tmp_path)
    g = by_id(sol)
    assert g["MA.2"].slots == frozenset({7, 10}) and g["EN.1"].slots == frozenset({0, 4})
    assert {lesson.room for lesson in g["MA.2"].lessons} == {"R1"}
    assert {lesson.room for lesson in g["MA.1"].lessons} == {"R2"}
    assert g["MA.2"].staff == ("T1",) and g["EN.1"].staff == ("T3",)
    assert "S1" in g["MA.2"].students and "S6" in g["MA.1"].students
    assert report.ok and not unmet(sol)


def test_a_teacher_locked_to_two_groups_at_once_is_infeasible():
    """T3 is locked to MA.2 and EN.1, and both to Mon 1 and Tue 1: no timetable, and the
    explanation names the locks."""
    school = lock_school(
        Lock("MA", 2, frozenset({0, 4}), staff=("T3",), row=2),
        Lock("EN", 1, frozenset({0, 4}), staff=("T3",), row=3),
    )
    sol = solve_school(school, SolveOptions(time_limit=10, seed=1, workers=1), progress=False)
    assert sol.status is Status.INFEASIBLE and not sol.groups
    assert "locks from the Locks sheet" in " ".join(sol.stats["explanation"])


def test_locked_staff_who_cannot_teach_the_group_stop_staffing():
    """T1 is locked to MA.1 but is free on one day only (MA has lessons on two days)."""
    school = lock_school(Lock("MA", 1, staff=("T1",), row=2))
    t1 = replace(school.staff[0], unavailable=frozenset(range(4, 12)))
    school = replace(school, staff=(t1,) + school.staff[1:])
    staffing = assign_staff(school, plan_groups(school), 5, 1, 1)
    assert staffing.problems == (
        (
            "MA.1 is locked to T1 (Locks!2), but T1 may not teach it on enough free days for "
            "its lessons"
        ),
    )


def test_locked_groups_are_planned_and_seat_their_students():
    """EN's demand needs one group; a lock on EN.3 makes three, and S2 is provisionally in
    the group they are locked to."""
    school = lock_school(Lock("EN", 3, student="S2", row=2))
    planned = [g.id for g in plan_groups(school) if g.course == "EN"]
    assert planned == ["EN.1", "EN.2", "EN.3"]
    assert plan_groups(lock_school()) != plan_groups(school)
    assert tentative_sections(school, plan_groups(school))["S2"]["EN"] == "EN.3"


def test_the_checker_flags_every_broken_lock():
    base = valid_solution()  # MA-3.1: T1, S1 S2 S4, Mon 2 and Tue 2 in R1
    held = tiny_school(
        locks=(
            Lock("MA-3", 1, frozenset({MON[2], TUE[2]}), room="R1", staff=("T1",), row=2),
            Lock("MA-3", 1, student="S4", row=3),
        )
    )
    assert "locks" not in hard_rules(check_solution(held, base))
    moved = with_group(
        base,
        "MA-3.1",
        lessons=[((MON[2],), "R1"), ((TUE[1],), "HALL")],
        staff=("T4",),
        students={"S1", "S2"},
    )
    report = check_solution(held, variant(base, school=held, groups=moved))
    assert [v.message for v in report.violations if v.rule == "locks"] == [
        "Locks!2 locks MA-3.1 to Mon 2 and Tue 2, but it meets at Mon 2 and Tue 1",
        "Locks!2 locks MA-3.1 to room R1, but its lessons at Tue 1 are elsewhere",
        "Locks!2 locks MA-3.1 to T1, but it is taught by T4",
        "Locks!3 locks MA-3.1 for S4, who is not in it",
    ]
    assert all(v.hard for v in report.violations if v.rule == "locks")


def test_the_checker_flags_a_locked_group_that_does_not_run():
    base = valid_solution()
    school = tiny_school(locks=(Lock("MA-3", 2, student="S1", row=5),))
    report = check_solution(school, base)
    assert [v.message for v in report.violations if v.rule == "locks"] == [
        "Locks!5 locks MA-3.2, which does not run"
    ]


def test_a_locked_group_keeps_its_number_when_a_lower_one_is_empty():
    school = lock_school(Lock("EN", 3, frozenset({7, 10}), student="S2", row=2))
    sol = solve_school(school, SolveOptions(time_limit=10, seed=1, workers=1), progress=False)
    assert "EN.3" in by_id(sol)
    assert not [v for v in check_solution(school, sol).violations if v.rule == "locks"]


def test_a_workbook_with_locks_is_solved_and_checked_from_its_files(tmp_path):
    """The tiny workbook school with a Locks sheet: read, solved, written, read back and
    checked; SC.1 is where its row says, AR.1 has S2."""
    tables = tiny_tables()
    tables["Locks"] = [
        {
            "course": "SC",
            "group": "SC.1",
            "slots": "Mon 3, Mon 4, Tue 1",
            "room": "LAB",
            "staff": "T2",
            "student": None,
        },
        {"course": "AR", "group": 1, "slots": None, "room": None, "staff": None, "student": "S2"},
    ]
    school, _ = load_tables(tables, tmp_path)
    _, report, read = solve_checked(school, tmp_path)
    sc = by_id(read)["SC.1"]
    labels = sorted(school.calendar.slots[t].label for t in sc.slots)
    assert labels == ["Mon 3", "Mon 4", "Tue 1"]
    assert {lesson.room for lesson in sc.lessons} == {"LAB"} and sc.staff == ("T2",)
    assert "S2" in by_id(read)["AR.1"].students
    assert "locks" in report.rules


def test_a_re_solve_keeps_a_new_lock_and_moves_little_else(tmp_path):
    """Published without locks; then MA.2 is locked to Tue 4 and Wed 3 and S1 to MA.2:
    the re-solve (solve --from) moves MA.2 there, keeps every lock, and leaves EN.1's
    time and staff as published."""
    first, _, _ = solve_checked(lock_school(), tmp_path / "first")
    school = lock_school(
        Lock("MA", 2, frozenset({7, 10}), row=2), Lock("MA", 2, student="S1", row=3)
    )
    again = solve_school(
        school, SolveOptions(time_limit=10, seed=1, workers=1), progress=False, published=first
    )
    report = check_solution(school, again)
    assert report.ok, [v.message for v in report.hard_violations]
    g = by_id(again)
    assert g["MA.2"].slots == frozenset({7, 10}) and "S1" in g["MA.2"].students
    assert g["EN.1"].slots == by_id(first)["EN.1"].slots
    assert g["EN.1"].staff == by_id(first)["EN.1"].staff
