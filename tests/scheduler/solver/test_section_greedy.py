"""The greedy student placement (scheduler.solver.section_greedy): seats taken from others."""

from __future__ import annotations

from constraints.base import TimedGroup, TimedLesson
from scheduler.model import Course, Qualification, Room, School, Settings, Staff, Student
from scheduler.solver.section_greedy import greedy_sections
from tests.scheduler.solver.test_neighbourhoods import section_model
from tests.solver_schools import calendar, req


def one_seat_school() -> tuple[School, tuple[TimedGroup, ...]]:
    """Four periods. A has a group in period 1 and one in period 2, one place each; B meets
    in period 2, C in 3, D in 4. Y takes A, C and D, and so is placed first (fewest
    choices), in A's period-1 group (the one they were planned in); X takes A and B, and
    can have both only in A's period-1 group."""
    school = School(
        calendar=calendar(("Mon",), periods=4),
        rooms=tuple(Room(f"R{i}", 30, frozenset({"classroom"})) for i in range(1, 4)),
        staff=tuple(
            Staff(f"T{c}", qualifications=(Qualification(c),)) for c in ("A", "B", "C", "D")
        ),
        courses=(
            Course("A", "A", (1,), 1, 1),
            Course("B", "B", (1,), 1, 5),
            Course("C", "C", (1,), 1, 5),
            Course("D", "D", (1,), 1, 5),
        ),
        students=(Student("X", 9), Student("Y", 9)),
        requests=(
            req("X", "A"),
            req("X", "B"),
            req("Y", "A"),
            req("Y", "C"),
            req("Y", "D"),
        ),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )
    groups = (
        TimedGroup("A.1", "A", 1, (TimedLesson((0,)),), ("TA",), False),
        TimedGroup("A.2", "A", 2, (TimedLesson((1,)),), ("TA",), False),
        TimedGroup("B.1", "B", 1, (TimedLesson((1,)),), ("TB",), False),
        TimedGroup("C.1", "C", 1, (TimedLesson((2,)),), ("TC",), False),
        TimedGroup("D.1", "D", 1, (TimedLesson((3,)),), ("TD",), False),
    )
    return school, groups


def test_a_full_group_gives_its_seat_to_one_who_has_no_other():
    """Y, placed first, fills A's period-1 group; X alone could then not have A. Y moves to
    A's period-2 group (still free of their other lessons) and X takes the seat."""
    school, groups = one_seat_school()
    sm, _ = section_model(school, groups)
    for seed in range(4):
        chosen = greedy_sections(sm, seed, prefer={"Y": {"A": "A.1"}})
        assert chosen["X"] == {"A.1", "B.1"}
        assert chosen["Y"] == {"A.2", "C.1", "D.1"}


def test_no_seat_is_taken_at_a_loss():
    """Y's other lessons in period 2 too: Y cannot move, so X stays without A (one
    request unmet either way; the greedy keeps who came first)."""
    school, groups = one_seat_school()
    groups = tuple(
        TimedGroup("C.1", "C", 1, (TimedLesson((1,)),), ("TC",), False) if g.id == "C.1" else g
        for g in groups
    )
    sm, _ = section_model(school, groups)
    chosen = greedy_sections(sm, 0, prefer={"Y": {"A": "A.1"}})
    assert chosen["Y"] == {"A.1", "C.1", "D.1"}
    assert chosen["X"] == {"B.1"}
