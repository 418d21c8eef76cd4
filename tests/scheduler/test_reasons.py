"""Reasons for unmet requests (scheduler.reasons), in a timetabler's words."""

from __future__ import annotations

from scheduler.model import Course, Qualification, Room, School, Staff, Student
from scheduler.reasons import MANY_GROUPS, request_reason
from scheduler.solution import Group, Lesson
from tests.solver_schools import calendar, req


def tutorial_school(groups: int) -> tuple[School, dict[str, tuple[Group, ...]], tuple[Group, ...]]:
    """S0 takes Maths (MA.1, period 1) and asks for a one-to-one tutorial; the tutorial
    course has ``groups`` groups of one seat: the first half taken by other students, the
    rest in period 1, when S0 is in Maths."""
    others = [f"S{i}" for i in range(1, groups + 1)]
    school = School(
        calendar=calendar(("Mon", "Tue"), periods=4),
        rooms=(Room("R1", 30, frozenset({"classroom"})),),
        staff=(Staff("T", qualifications=(Qualification("Maths"), Qualification("Music"))),),
        courses=(Course("MA", "Maths", (1,), 1, 30), Course("TUT", "Music", (1,), 1, 1)),
        students=tuple(Student(s, 9) for s in ["S0", *others]),
        requests=(req("S0", "MA"), req("S0", "TUT"), *(req(s, "TUT") for s in others)),
    )
    maths = Group("MA.1", "MA", 1, (Lesson((0,), "R1"),), ("T",), frozenset({"S0"}))
    full = groups // 2
    tutorials = tuple(
        Group(
            f"TUT.{k}",
            "TUT",
            k,
            (Lesson((k % 8,) if k <= full else (0,), "R1"),),
            ("T",),
            frozenset({others[k - 1]}) if k <= full else frozenset(),
        )
        for k in range(1, groups + 1)
    )
    return school, {"MA": (maths,), "TUT": tutorials}, (maths,)


def reason(groups: int) -> str:
    school, running, mine = tutorial_school(groups)
    return request_reason(school, "S0", "TUT", running, mine, frozenset(), False, groups)


def test_a_few_groups_are_each_named():
    text = reason(4)
    assert text == (
        "TUT.1 full; TUT.2 full; TUT.3 clashes with MA.1 at Mon 1; TUT.4 clashes with MA.1 at Mon 1"
    )


def test_many_groups_are_summarised():
    n = MANY_GROUPS + 12
    text = reason(n)
    assert (
        text == f"none of the {n} groups could take the student: {n // 2} full; "
        f"of the others, {n - n // 2} clash with MA.1"
    )
