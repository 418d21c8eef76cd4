"""When no round beats the first timetable (its students placed greedily only), the
solve places its students again on its lesson times with the search before it ends
(scheduler/solver/engine.py, ``TimePolicy.polish_share``): on a 1,732-student federation
at 120 s every round's lesson search ran out of time and the greedy placement was the
answer."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.solver.engine import SolveOptions
from tests.scheduler.solver.test_solve import solve_checked
from tests.solver_schools import two_courses

#: Short: the students' search on 40 students is proven optimal in well under a second.
OPTS = SolveOptions(time_limit=8, seed=1, workers=1)


def _lesson_times(solution) -> dict[str, tuple]:
    return {g.id: tuple(sorted(lesson.slots for lesson in g.lessons)) for g in solution.groups}


def test_the_first_timetable_gets_its_students_placed_again_when_no_round_beats_it(
    monkeypatch, tmp_path
):
    from scheduler.solver import engine

    real_students, real_search, real_complete = (
        engine.section_round,
        engine.run_search,
        engine.place_everything,
    )
    firsts: list = []
    calls: list[str] = []

    def students(*args, **kwargs):
        made = real_students(*args, **kwargs)
        calls.append("greedy" if kwargs.get("quick") else "search")
        if kwargs.get("quick"):
            firsts.append(made)
        return made

    def no_complete(*args, **kwargs):
        # Every round's lesson placement finds nothing once a first timetable exists.
        return {} if firsts else real_complete(*args, **kwargs)

    def search(model, limit, opts, callback, interrupted, ticker, presolve=True, kind="timetable"):
        if firsts and kind == "timetable":
            solver = cp_model.CpSolver()
            solver.solve(cp_model.CpModel())
            return solver, cp_model.UNKNOWN  # out of time
        return real_search(model, limit, opts, callback, interrupted, ticker, presolve, kind)

    monkeypatch.setattr(engine, "section_round", students)
    monkeypatch.setattr(engine, "run_search", search)
    monkeypatch.setattr(engine, "place_everything", no_complete)
    sol, _, _ = solve_checked(two_courses(students=40), tmp_path, OPTS)
    assert sol.stats.get("polished") is True
    assert calls[-1] == "search", calls  # the students placed again, with the search
    first = min(firsts, key=lambda s: s.objective)
    assert sol.objective <= first.objective
    # Only the students moved: the lessons are where the first timetable put them.
    assert _lesson_times(sol) in [_lesson_times(f) for f in firsts]


def test_a_round_that_beats_the_first_timetable_is_not_polished(tmp_path):
    sol, _, _ = solve_checked(two_courses(students=40), tmp_path, OPTS)
    assert sol.stats.get("timetable_status") in ("OPTIMAL", "FEASIBLE")
    assert "polished" not in sol.stats
