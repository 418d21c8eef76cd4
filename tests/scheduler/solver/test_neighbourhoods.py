"""Improving student placements a neighbourhood at a time (scheduler.solver.neighbourhoods)."""

from __future__ import annotations

import pytest

import scheduler.solver.engine as solve_module
from constraints.base import SectionModel, TimedGroup, TimedLesson
from scheduler.checker import check_solution
from scheduler.model import Course, Qualification, Room, School, Settings, Staff, Student
from scheduler.outputs.read import read_solution
from scheduler.outputs.write import write_outputs
from scheduler.solution import RequestStatus
from scheduler.solver.engine import SolveOptions, solve_school
from scheduler.solver.neighbourhoods import improve_sections
from scheduler.solver.section_greedy import hint_placement, seat_rooms_and_tutors
from tests import solver_schools as schools
from tests.solver_schools import calendar, req

OPTS = SolveOptions(time_limit=20, seed=1, workers=1)


def swap_school() -> School:
    """Two periods. A has a group in each period, one place each; B meets in period 1.
    S1 takes A; S2 takes A and B. S2 can have both only in A's period-2 group, so S1 must
    be in A's period-1 group."""
    return School(
        calendar=calendar(("Mon",), periods=2),
        rooms=(Room("R1", 30, frozenset({"classroom"})), Room("R2", 30, frozenset({"classroom"}))),
        staff=(
            Staff("T1", qualifications=(Qualification("A"),)),
            Staff("T2", qualifications=(Qualification("B"),)),
        ),
        courses=(Course("A", "A", (1,), 1, 1), Course("B", "B", (1,), 1, 5)),
        students=(Student("S1", 9), Student("S2", 9)),
        requests=(req("S1", "A"), req("S2", "A"), req("S2", "B")),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )


SWAP_GROUPS = (
    TimedGroup("A.1", "A", 1, (TimedLesson((0,)),), ("T1",), False),
    TimedGroup("A.2", "A", 2, (TimedLesson((1,)),), ("T1",), False),
    TimedGroup("B.1", "B", 1, (TimedLesson((0,)),), ("T2",), False),
)


def section_model(school: School, groups) -> tuple[SectionModel, list]:
    sm, terms = schools.section_model(school, groups)
    solve_module.set_objective(sm.model, terms)
    return sm, terms


def placed(sm: SectionModel, solver) -> dict[str, set[str]]:
    return {s: {g for g, v in row.items() if solver.value(v)} for s, row in sm.take.items()}


def start_from(sm: SectionModel, chosen: dict[str, set[str]]):
    """The section model's solution with students in exactly ``chosen``."""
    hint_placement(sm, chosen, *seat_rooms_and_tutors(sm, chosen))
    prog = solve_module.Progress(False, 0.0, 1)
    solver = solve_module.fixed_to_hint(sm.model, OPTS, [False], prog, 5.0)
    assert solver is not None
    return solver


def search(model, limit):
    return solve_module.run_search(model, limit, OPTS, None, [False], lambda: None, presolve=False)


def test_a_neighbourhood_moves_another_student_to_make_room():
    """One student at a time cannot fix this (S2 alone finds A's only free-period group
    full); the neighbourhood of S2's unmet request takes in S1, who moves."""
    school = swap_school()
    sm, _ = section_model(school, SWAP_GROUPS)
    start = start_from(sm, {"S1": {"A.2"}, "S2": {"B.1"}})
    assert placed(sm, start) == {"S1": {"A.2"}, "S2": {"B.1"}}
    best, figures = improve_sections(sm, start, search, 30.0, 1, lambda: False, lambda s: None)
    assert placed(sm, best) == {"S1": {"A.1"}, "S2": {"A.2", "B.1"}}
    assert best.objective_value == start.objective_value - 10_000  # one core request met
    assert figures["neighbourhoods_better"] >= 1
    # Both students make one neighbourhood, so its search is the whole model's: once it
    # is proven optimal, the search stops rather than spend the rest of its 30 s.
    assert figures["neighbourhoods_tried"] <= 2


def test_the_model_is_left_as_it_was():
    """Variables are held only during a search: domains and hint are restored after."""
    school = swap_school()
    sm, _ = section_model(school, SWAP_GROUPS)
    start = start_from(sm, {"S1": {"A.2"}, "S2": {"B.1"}})
    before = [list(v.domain) for v in sm.model.proto.variables]
    improve_sections(sm, start, search, 1.0, 1, lambda: False, lambda s: None)
    assert [list(v.domain) for v in sm.model.proto.variables] == before
    assert not sm.model.proto.has_solution_hint()


def test_stopping_keeps_the_start():
    school = swap_school()
    sm, _ = section_model(school, SWAP_GROUPS)
    start = start_from(sm, {"S1": {"A.2"}, "S2": {"B.1"}})
    best, figures = improve_sections(sm, start, search, 5.0, 1, lambda: True, lambda s: None)
    assert best is start and figures["neighbourhoods_tried"] == 0


@pytest.mark.parametrize(
    "build", [schools.options_school, schools.clash_school, schools.tutor_school]
)
def test_whole_solve_with_neighbourhoods_is_checked(build, tmp_path, monkeypatch):
    """The neighbourhood search on small schools (it normally starts at 150 students):
    the checker finds no violation and recomputes the same objective."""
    monkeypatch.setattr(solve_module, "NEIGHBOURHOODS_FROM", 0)
    school = build()
    solution = solve_school(school, OPTS, progress=False)
    assert solution.stats["neighbourhoods_tried"] >= 1
    assert solution.objective <= solution.stats["greedy_objective"]
    write_outputs(school, solution, tmp_path / "out")
    report = check_solution(school, read_solution(tmp_path / "out", school))
    assert not report.hard_violations, [str(v) for v in report.hard_violations]
    assert report.objective == pytest.approx(solution.objective)
    assert report.objective_terms == pytest.approx(solution.objective_terms)
    unmet_core = [
        o for o in solution.outcomes if o.status is RequestStatus.UNMET and o.type == "core"
    ]
    if build is not schools.clash_school:
        assert not unmet_core


def test_nothing_better_keeps_the_greedy_placement(tmp_path, monkeypatch):
    """When no neighbourhood improves, the greedy placement (already extracted) is the
    answer, with the search's figures and no bound."""
    monkeypatch.setattr(solve_module, "NEIGHBOURHOODS_FROM", 0)
    monkeypatch.setattr(
        solve_module, "improve_sections", lambda sm, start, *a: (start, {"neighbourhoods_tried": 0})
    )
    school = schools.options_school()
    solution = solve_school(school, OPTS, progress=False)
    assert solution.objective == solution.stats["greedy_objective"]
    assert solution.stats["neighbourhoods_tried"] == 0 and solution.bound is None
    write_outputs(school, solution, tmp_path / "out")
    report = check_solution(school, read_solution(tmp_path / "out", school))
    assert not report.hard_violations
    assert report.objective == pytest.approx(solution.objective)
