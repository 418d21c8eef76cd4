"""Shared by the tests of the Rules sheet's families (tests/constraints/test_min_days.py and
its neighbours): a tiny school with Rules rows, a solve checked by the independent
checker, and where each lesson landed."""

from __future__ import annotations

from dataclasses import replace

from ortools.sat.python import cp_model

from constraints.base import Rule, SectionModel, TimedGroup, TimedLesson
from scheduler.checker import check_solution
from scheduler.model import LessonRef, Qualification, Room, School, TimeRule
from scheduler.solution import RequestStatus, Solution
from tests import solver_schools as schools
from tests.scheduler.solver.test_solve import solve_checked


def ref(text: str) -> LessonRef:
    """``MA``, ``MA.1`` or ``MA.1:2`` as a LessonRef (no checks: tests only)."""
    head, _, lesson = text.partition(":")
    course, _, group = head.partition(".")
    return LessonRef(course, int(group) if group else None, int(lesson) if lesson else None)


def rule(kind: str, *lessons: str, **fields) -> TimeRule:
    return TimeRule(kind, tuple(ref(x) for x in lessons), row=2, **fields)


def school(*rules: TimeRule, base: School | None = None) -> School:
    """``schools.two_courses`` (MA and EN, two single lessons each, 3 days of 4
    periods; T1 teaches MA, T2 EN; six students take both) with these Rules rows."""
    return replace(base or schools.two_courses(), time_rules=rules)


def solve(s: School, tmp_path) -> Solution:
    """Solve, write, read back and check (no hard violation); the solution as read."""
    _, _, read = solve_checked(s, tmp_path)
    return read


def lessons_of(sol: Solution, gid: str) -> list[tuple[int, ...]]:
    """The group's lessons' slots, in time order."""
    return sorted(lesson.slots for lesson in sol.group_by_id[gid].lessons)


def days_of(s: School, sol: Solution, gid: str) -> list[int]:
    return [s.calendar.slots[x[0]].day_index for x in lessons_of(sol, gid)]


def unmet_courses(sol: Solution) -> set[str]:
    return {o.course for o in sol.outcomes if o.status is RequestStatus.UNMET}


def broken(s: School, sol: Solution, name: str) -> list[str]:
    """The checker's messages of one rule on a timetable."""
    return [v.message for v in check_solution(s, sol).violations if v.rule == name]


def apart() -> School:
    """``two_courses`` with MA for S1-S3 and EN for S4-S6 (no student takes both, so the
    two may meet at once) and a second room R2."""
    base = schools.two_courses()
    half = {"S1", "S2", "S3"}
    return replace(
        base,
        rooms=(*base.rooms, Room("R2", 30, frozenset({"classroom"}))),
        requests=tuple(r for r in base.requests if (r.course == "MA") == (r.student in half)),
    )


def one_teacher() -> School:
    """``apart`` with T1 teaching both MA and EN (four single lessons a cycle)."""
    base = apart()
    t1 = replace(base.staff[0], qualifications=(Qualification("Maths"), Qualification("English")))
    return replace(
        base,
        staff=(t1,),
        courses=tuple(replace(c, staff=("T1",)) for c in base.courses),
    )


def section_status(s: School, family: Rule, ma_slot: int, en_slot: int, running: dict[str, int]):
    """The students' phase's model of one rule family alone, with MA.1 and EN.1 (both
    T1's, one lesson each) held at these slots and these groups running or not."""
    groups = (
        TimedGroup("MA.1", "MA", 1, (TimedLesson((ma_slot,)),), ("T1",), True),
        TimedGroup("EN.1", "EN", 1, (TimedLesson((en_slot,)),), ("T1",), True),
    )
    sm = SectionModel(s, groups)
    sm.make_variables()
    family.section(sm)
    for gid, runs in running.items():
        sm.model.add(sm.runs[gid] == runs)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    return solver.solve(sm.model)
