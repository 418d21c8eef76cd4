"""The students' model (constraints/base.py): a quick build, as a first timetable's
students are placed greedily and judged by the checker, makes the variables the greedy
reads and none of the costliest families' constraints (at 3,000 students the tutor groups'
and rooms' constraints took most of a first timetable's 9 s build)."""

from __future__ import annotations

from constraints.base import TimedGroup, TimedLesson
from scheduler.solver.section_greedy import greedy_sections
from tests import solver_schools as schools
from tests.solver_schools import section_model

GROUPS = (
    TimedGroup("MA.1", "MA", 1, (TimedLesson((1,)), TimedLesson((6,))), ("T1",), False),
    TimedGroup("EN.1", "EN", 1, (TimedLesson((2,)), TimedLesson((7,))), ("T2",), False),
)


def test_a_quick_build_has_the_greedys_variables_and_fewer_constraints():
    school = schools.tutor_school()
    (full, _), (quick, _) = section_model(school, GROUPS), section_model(school, GROUPS, True)
    assert {k: sorted(v) for k, v in quick.room.items()} == {
        k: sorted(v) for k, v in full.room.items()
    }
    assert {s: sorted(row) for s, row in quick.tutor.items()} == {
        s: sorted(row) for s, row in full.tutor.items()
    }
    assert quick.tutor and quick.room
    assert len(quick.model.proto.constraints) < len(full.model.proto.constraints)
    assert greedy_sections(quick, 1) == greedy_sections(full, 1)
