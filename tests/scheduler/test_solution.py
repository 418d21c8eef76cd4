"""scheduler/solution.py: a solve's figures (SolveStats) and the planned ids of its groups."""

from __future__ import annotations

from dataclasses import replace

from scheduler.solution import Group, Lesson, Solution, SolveStats, Status


def _solution(**kw) -> Solution:
    group = Group(
        id="MA.1",
        course="MA",
        number=1,
        lessons=(Lesson((0,), "R1"),),
        staff=("T1",),
        students=frozenset({"S1"}),
    )
    return Solution(groups=(group,), status=Status.FEASIBLE, **kw)


def test_any_mapping_of_figures_is_kept_as_solve_stats():
    sol = _solution(stats={"first_samples": 3, "clock_wall_decided": True})
    assert isinstance(sol.stats, SolveStats)
    assert sol.stats.first_samples == 3
    assert sol.stats.clock_wall_decided is True
    # replace() keeps the same figures (one object), typed.
    again = replace(sol, objective=5.0)
    assert again.stats is sol.stats


def test_typed_reads_have_their_defaults_when_the_figure_is_missing():
    stats = SolveStats()
    assert stats.explanation == []
    assert stats.clock_wall_decided is False
    assert stats.time_to_first_s is None
    assert stats.first_samples == 1
    assert stats.build_s == 0.0
    assert stats.section_times_infeasible is False


def test_explanation_and_build_seconds_read_as_their_types():
    stats = SolveStats(
        explanation=["T1 teaches 30 periods", 7],
        timetable_build_s=1.5,
        section_build_s=2,
        time_to_first_s=4,
    )
    assert stats.explanation == ["T1 teaches 30 periods", "7"]
    assert stats.build_s == 3.5
    assert stats.time_to_first_s == 4.0


def test_with_stats_adds_figures_without_touching_the_original():
    sol = _solution(stats={"rounds": 1, "polished": False})
    more = sol.with_stats({"polished": True, "resamples": 2})
    assert dict(more.stats) == {"rounds": 1, "polished": True, "resamples": 2}
    assert dict(sol.stats) == {"rounds": 1, "polished": False}
    assert isinstance(more.stats, SolveStats)


def test_planned_id_is_the_solvers_id_where_known_else_the_groups_own():
    sol = _solution(planned_ids={"MA.1": "MA.3"})
    assert sol.planned_id("MA.1") == "MA.3"
    assert sol.planned_id("EN.2") == "EN.2"
    # Not a figure: summary.json never sees it, and two solutions with the same
    # timetable are equal whatever the solver called their groups.
    assert "planned_ids" not in sol.stats
    assert sol == replace(sol, planned_ids={})
