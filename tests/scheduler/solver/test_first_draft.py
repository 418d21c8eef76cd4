"""No first timetable: the ladder's first complete placement is seated as it is, not
optimised first (scheduler/solver/engine.py, ``draft``), and without ``--first`` its
lesson times are optimised in the next round. On FET's
TelPolytech_even the first timetable's placement could not be roomed, and the ladder then
optimised its soft rules for 83 s before any student was placed (first timetable at
116.7 s of 120; 33.7 s now: BENCHMARKS.md, thirty-second session)."""

from __future__ import annotations

from dataclasses import replace

from scheduler.solution import Status
from scheduler.solver.engine import SolveOptions
from tests.scheduler.solver.test_solve import solve_checked
from tests.solver_schools import options_school

FIRST = SolveOptions(time_limit=20, seed=1, workers=1, first_only=True)


def no_first_timetable(monkeypatch) -> list[str]:
    """The first timetable's greedy and complete placements find nothing (as on a FET
    school of full weeks), while the ladder's do: returns the students' phases run
    ("empty" for one made to seat nobody)."""
    from scheduler.solver import engine

    real_complete = engine.place_everything
    calls: list[str] = []

    def none_first(tm, *args, **kwargs):
        # The first timetables' model keeps no provisional groups apart (an empty
        # provisional placement); the ladder's rungs have one, or none at all.
        if tm.tentative == {}:
            return {}
        calls.append("placement")
        return real_complete(tm, *args, **kwargs)

    monkeypatch.setattr(engine, "greedy_lessons", lambda *a, **k: {})
    monkeypatch.setattr(engine, "place_everything", none_first)
    return calls


def test_first_timetable_from_the_ladder_is_not_optimised(monkeypatch, tmp_path) -> None:
    no_first_timetable(monkeypatch)
    solution, report, _ = solve_checked(options_school(), tmp_path, FIRST)
    assert solution.status is Status.FEASIBLE
    assert solution.groups
    assert "not optimised" in solution.stats["timetable_from"]
    assert report.figures.requests_option_met > 0


def test_a_draft_that_seats_nobody_is_optimised_instead(monkeypatch, tmp_path) -> None:
    from scheduler.solver import engine

    calls = no_first_timetable(monkeypatch)
    real_students = engine.section_round

    def students(school, *args, **kwargs):
        made = real_students(school, *args, **kwargs)
        if "empty" not in calls:
            calls.append("empty")
            return engine.failed_solution(school, Status.UNKNOWN, ["no rooms"], 0.0)
        calls.append("seated")
        return made

    monkeypatch.setattr(engine, "section_round", students)
    solution, _, _ = solve_checked(options_school(), tmp_path, FIRST)
    assert calls.count("empty") == 1 and "seated" in calls
    assert solution.groups
    assert "not optimised" not in solution.stats.get("timetable_from", "")
    assert solution.stats["first_draft_unseated"] is True


def test_without_first_the_draft_is_optimised_in_the_next_round(monkeypatch, tmp_path) -> None:
    from scheduler.solver import engine

    no_first_timetable(monkeypatch)
    real_students = engine.section_round
    seated: list[tuple[tuple[str, tuple], ...]] = []

    def students(school, timed, *args, **kwargs):
        seated.append(tuple(sorted((g.id, g.lessons[0].slots) for g in timed)))
        return real_students(school, timed, *args, **kwargs)

    monkeypatch.setattr(engine, "section_round", students)
    solution, _, _ = solve_checked(options_school(), tmp_path, replace(FIRST, first_only=False))
    assert solution.groups
    assert solution.stats["first_draft"] is True
    assert solution.stats["rounds"] >= 2  # the draft's round, then one from its times
    assert len(seated) >= 2
    assert "not optimised" not in solution.stats.get("timetable_from", "")
