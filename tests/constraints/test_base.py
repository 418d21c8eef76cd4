"""The students' model (constraints/base.py): a quick build, as a first timetable's
students are placed greedily and judged by the checker, makes the variables the greedy
reads and none of the costliest families' constraints (at 3,000 students the tutor groups'
and rooms' constraints took most of a first timetable's 9 s build)."""

from __future__ import annotations

from constraints.base import SectionModel, TimedGroup, TimedLesson
from constraints.registry import rules
from scheduler.solver.section_greedy import greedy_sections
from tests import solver_schools as schools

GROUPS = (
    TimedGroup("MA.1", "MA", 1, (TimedLesson((1,)), TimedLesson((6,))), ("T1",), False),
    TimedGroup("EN.1", "EN", 1, (TimedLesson((2,)), TimedLesson((7,))), ("T2",), False),
)


def built(variables_only: bool) -> SectionModel:
    sm = SectionModel(schools.tutor_school(), GROUPS)
    sm.variables_only = variables_only
    family = rules()
    for rule in family:
        rule.restrict_section(sm)
    sm.make_variables()
    for rule in family:
        rule.section(sm)
    return sm


def test_a_quick_build_has_the_greedys_variables_and_fewer_constraints():
    full, quick = built(False), built(True)
    assert {k: sorted(v) for k, v in quick.room.items()} == {
        k: sorted(v) for k, v in full.room.items()
    }
    assert {s: sorted(row) for s, row in quick.tutor.items()} == {
        s: sorted(row) for s, row in full.tutor.items()
    }
    assert quick.tutor and quick.room
    assert len(quick.model.proto.constraints) < len(full.model.proto.constraints)
    assert greedy_sections(quick, 1) == greedy_sections(full, 1)
