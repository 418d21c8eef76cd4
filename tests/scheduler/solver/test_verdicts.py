"""A solve says "infeasible" only when no timetable can exist, not when the lesson times
it tried leave the students no placement (an imported school of fixed classes, FET's
WTHS, was called infeasible though FET's own timetable of it passes the checker)."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from constraints.base import Strictness, TimedGroup, TimedLesson
from scheduler.checker import check_solution
from scheduler.model import Room, School
from scheduler.plan import plan_groups, tentative_sections
from scheduler.solution import Solution, Status
from scheduler.solver.engine import Progress, SolveOptions, section_round
from scheduler.solver.lesson_greedy import greedy_lessons
from scheduler.solver.staffing import assign_staff
from tests import solver_schools as schools
from tests.scheduler.solver.test_solve import solve_checked
from tests.solver_schools import all_placed, timetable_model
from tests.time_rule_schools import rule

OPTS = SolveOptions(time_limit=10, seed=1, workers=1)


def fixed_classes(min_size: int) -> School:
    """Six students take Maths and English, each a fixed section (``sections`` 1) of at
    least ``min_size``; two rooms, so both could meet at once."""
    base = schools.two_courses(students=6)
    return replace(
        base,
        rooms=(*base.rooms, Room("R2", 30, frozenset({"classroom"}))),
        courses=tuple(replace(c, sections=1, min_size=min_size) for c in base.courses),
    )


def at_once(school: School) -> tuple[TimedGroup, ...]:
    """Maths and English at the same two periods: nobody can take both."""
    lessons = (TimedLesson((0,)), TimedLesson((1,)))
    staff = {"MA": ("T1",), "EN": ("T2",)}
    return tuple(TimedGroup(f"{c}.1", c, 1, lessons, staff[c], True) for c in ("MA", "EN"))


def round_on(school: School, timed, **options) -> Solution:
    """The students' round (``section_round``) on these lesson times, 5 s, no progress."""
    return section_round(
        school,
        timed,
        plan_groups(school, 0.9),
        {},
        {},
        OPTS,
        Progress(False, time.monotonic(), 1),
        5.0,
        [False],
        {},
        time.monotonic(),
        **options,
    )


def students_on(school: School, timed) -> tuple[Status, dict]:
    sol = round_on(school, timed)
    assert not sol.groups
    return sol.status, sol.stats


def test_no_placement_on_these_times_is_not_called_infeasible():
    # At least 4 in each of two groups that meet at once: 8 places for 6 students. At
    # other times all six take both, so the school is not infeasible.
    status, stats = students_on(fixed_classes(4), at_once(fixed_classes(4)))
    assert status is Status.UNKNOWN
    assert stats["section_times_infeasible"] is True


def test_sections_that_cannot_fill_at_any_times_are_infeasible():
    # At least 7 in a group of a course 6 students take: no lesson times help.
    status, _ = students_on(fixed_classes(7), at_once(fixed_classes(7)))
    assert status is Status.INFEASIBLE


def test_the_solve_finds_times_that_seat_everyone(tmp_path):
    sol, _, _ = solve_checked(fixed_classes(4), tmp_path)
    assert sol.status is Status.FEASIBLE
    assert {g.id for g in sol.groups} == {"MA.1", "EN.1"}


@pytest.mark.parametrize(
    "strictness, provisional, placed",
    [
        (Strictness.CORE, True, False),
        (Strictness.CORE, False, False),  # the first timetable's model: no provisional
        (Strictness.SOFT, True, True),
    ],
    ids=["core rung", "first timetable", "soft rung"],
)
def test_fixed_sections_apart_on_the_strict_rungs_at_a_cost_on_the_soft_one(
    strictness, provisional, placed
):
    """With one period in the week, two fixed sections a student must both attend cannot
    both be placed on the strict rungs, with or without a provisional placement (they are
    no provisional choice); the "soft" rung lets them overlap at a cost (a timetable
    where a few students miss a class beats none)."""
    one_slot = replace(fixed_classes(1), calendar=schools.calendar(("Mon",), periods=1))
    school = replace(one_slot, courses=tuple(replace(c, lessons=(1,)) for c in one_slot.courses))
    planned = plan_groups(school, 0.9)
    staff_of = assign_staff(school, planned, 5, 1, 1).staff_of
    tentative = tentative_sections(school, planned) if provisional else {}
    tm = timetable_model(school, planned, staff_of, tentative, strictness)
    assert all_placed(tm) is placed


def test_the_greedy_lesson_placement_keeps_fixed_sections_apart():
    """One period in the week: the greedy places one of a student's two fixed sections
    and leaves the other out (for CP-SAT and the ladder to settle), where it used to put
    both at the one period, a timetable on which the students' phase had no placement."""
    one_slot = replace(fixed_classes(1), calendar=schools.calendar(("Mon",), periods=1))
    school = replace(one_slot, courses=tuple(replace(c, lessons=(1,)) for c in one_slot.courses))
    planned = plan_groups(school, 0.9)
    staff_of = assign_staff(school, planned, 5, 1, 1).staff_of
    tm = timetable_model(school, planned, staff_of, {}, Strictness.CORE)
    placed = greedy_lessons(tm, tentative_sections(school, planned))
    assert len(placed) == 1
    free = replace(school, courses=tuple(replace(c, sections=None) for c in school.courses))
    planned = plan_groups(free, 0.9)
    tm = timetable_model(free, planned, staff_of, {}, Strictness.CORE)
    assert len(greedy_lessons(tm, tentative_sections(free, planned))) == 2


def test_a_greedy_timetable_breaking_only_soft_rules_rows_is_kept():
    """A soft Rules row (Maths to start at Mon 1, weight 5) broken by the greedy students'
    placement is a cost: the first timetable stands. It used to be thrown away as if a
    hard rule were broken (the row's family is a hard rule of the checker)."""
    base = schools.two_courses(students=6)
    school = replace(base, time_rules=(rule("start_at", "MA", slots=frozenset({0}), weight=5),))
    lessons = {
        "MA": (TimedLesson((1,)), TimedLesson((8,))),
        "EN": (TimedLesson((0,)), TimedLesson((4,))),
    }
    staff = {"MA": ("T1",), "EN": ("T2",)}
    timed = tuple(TimedGroup(f"{c}.1", c, 1, lessons[c], staff[c], False) for c in ("MA", "EN"))
    sol = round_on(school, timed, quick=True)
    assert sol.groups, sol.stats.get("explanation")
    assert sol.objective == 10  # two lessons away from Mon 1, 5 each
    # The independent checker: no hard rule broken, the same objective.
    report = check_solution(school, sol)
    assert not report.hard_violations, [str(v) for v in report.hard_violations]
    assert report.objective == sol.objective
