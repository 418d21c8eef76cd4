"""A students' placement that breaks a hard rule is no timetable (issue 13).

The students' rules of a fixed class (here a students' max gaps of 0) are kept while the
lessons are timetabled, on the students the classes hold. The students' phase may still
leave a student out of a group (a room too small), and then their day has a gap: the
students' model does not read that rule. Before, the search's placement was written as a
feasible timetable with a hard violation; now it is judged by the checker and dropped,
and the solve says why."""

from __future__ import annotations

from scheduler.model import (
    Course,
    Qualification,
    Room,
    School,
    Settings,
    Staff,
    Student,
    TimeRule,
)
from scheduler.solution import Status
from scheduler.solver.engine import solve_school
from tests.scheduler.solver.test_solve import OPTS
from tests.solver_schools import calendar, req
from tests.time_rule_schools import ref


def gap_school() -> School:
    """One day of three periods. S1 and S2 take AR (period 1), CH (period 2, in the only
    lab, one seat) and EN (period 3), one class each; neither may have a gap."""
    courses = (
        Course("AR", "Art", (1,), 1, 30, sections=1),
        Course("CH", "Chemistry", (1,), 1, 30, room_type="lab", sections=1),
        Course("EN", "English", (1,), 1, 30, sections=1),
    )
    return School(
        calendar=calendar(("Mon",), periods=3),
        rooms=(
            Room("R1", 30, frozenset({"classroom"})),
            Room("LAB", 1, frozenset({"lab"})),
        ),
        staff=tuple(
            Staff(f"T{i}", qualifications=(Qualification(c.subject),))
            for i, c in enumerate(courses, start=1)
        ),
        courses=courses,
        students=(Student("S1", 9), Student("S2", 9)),
        requests=tuple(req(s, c.id) for s in ("S1", "S2") for c in courses),
        time_rules=(
            TimeRule("within", (ref("AR"),), row=2, slots=frozenset({0})),
            TimeRule("within", (ref("CH"),), row=3, slots=frozenset({1})),
            TimeRule("within", (ref("EN"),), row=4, slots=frozenset({2})),
            TimeRule("students_max_gaps_day", (), row=5, value=0),
        ),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )


def test_a_students_placement_that_breaks_a_hard_rule_is_not_written():
    solution = solve_school(gap_school(), OPTS, progress=False)
    assert solution.status is not Status.FEASIBLE
    assert not solution.groups
    why = solution.stats.get("explanation", [])
    assert any("gap" in reason for reason in why), why
