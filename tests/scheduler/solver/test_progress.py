"""The live progress line (scheduler/solver/engine.py, Progress): its % met is of the
requests that can be met (core and options; an alternate only fills an option's place),
and the bound it shows is never below 0 (every objective term is a penalty)."""

from __future__ import annotations

from scheduler.model import RequestType
from scheduler.solver import engine
from scheduler.solver.engine import Progress, SolveOptions, solve_school
from tests.solver_schools import options_school


def test_the_line_shows_met_of_what_can_be_met_and_a_bound_of_at_least_zero():
    prog = Progress(False, 0.0, 200)
    prog.update(phase="placing students", objective=517, bound=-2629, met=200)
    line = prog.line()
    assert "requests met 100.0%" in line
    assert "bound 0" in line and "-2,629" not in line
    prog.update(bound=312.4)
    assert "bound 312" in prog.line()


def test_a_solve_counts_core_and_options_not_alternates(monkeypatch):
    made: list[Progress] = []

    class Recording(Progress):
        def __init__(self, *args, **kw) -> None:
            super().__init__(*args, **kw)
            made.append(self)

    monkeypatch.setattr(engine, "Progress", Recording)
    school = options_school()
    alternates = sum(1 for r in school.requests if r.type is RequestType.ALTERNATE)
    assert alternates > 0
    solve_school(school, SolveOptions(time_limit=10, seed=1, workers=1), progress=False)
    assert made and made[0].requests == len(school.requests) - alternates
