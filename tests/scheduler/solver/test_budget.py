"""The solve's counted clock (scheduler/solver/budget.py): the count decides, and the wall
only guards the limit, saying when it did."""

from __future__ import annotations

import time

import pytest
from ortools.sat.python import cp_model

from constraints.base import Strictness
from scheduler.solver.budget import WALL_GRACE, Clock, TimePolicy


def test_the_count_decides_while_it_keeps_up_with_the_wall():
    clock = Clock(100.0, started=time.monotonic() - 5.0)
    clock.charge(5.0)
    assert clock.now() == clock.started + 5.0
    assert not clock.wall_decided


def test_the_wall_decides_when_it_runs_a_grace_ahead_and_says_so():
    ahead = WALL_GRACE * 100.0 + 5.0
    clock = Clock(100.0, started=time.monotonic() - ahead)
    assert clock.now() > clock.started + clock.counted
    assert clock.wall_decided


def test_the_grace_has_a_floor_for_short_limits():
    """10% of a 20 s limit is 2 s, which a loaded machine overran; the grace is 5 s there,
    a quarter of the limit for the shortest, 10% of long ones."""
    assert Clock(20.0).grace == 5.0
    assert Clock(4.0).grace == 1.0
    assert Clock(300.0).grace == 30.0
    clock = Clock(20.0, started=time.monotonic() - 4.0)  # 4 s ahead: within the floor
    assert clock.now() == clock.started
    assert not clock.wall_decided


def test_a_wall_clock_never_reports_the_guard():
    clock = Clock(100.0, deterministic=False, started=time.monotonic() - 50.0)
    clock.now()
    assert not clock.wall_decided


class _Solver:
    """What Clock.charge_solver reads of a finished CpSolver."""

    def __init__(
        self,
        det: float,
        wall: float,
        det_limit: float,
        wall_limit: float,
        status: cp_model.CpSolverStatus = cp_model.FEASIBLE,
    ) -> None:
        self.deterministic_time = det
        self.wall_time = wall
        self.response_proto = type("R", (), {"status": status})()
        self.parameters = type(
            "P", (), {"max_deterministic_time": det_limit, "max_time_in_seconds": wall_limit}
        )()


def test_a_search_stopped_by_its_wall_limit_says_the_wall_decided():
    """A search that its wall limit stopped before its work limit may end elsewhere on
    another run: the clock says so (summary.json's clock_wall_decided)."""
    clock = Clock(100.0)
    clock.charge_solver(_Solver(det=1.0, wall=5.0, det_limit=4.0, wall_limit=5.0))
    assert clock.wall_decided


def test_a_search_stopped_before_its_wall_limit_by_the_wall_says_so_too():
    """CP-SAT ends a search early when its longest stretch between two looks at the clock
    would carry it past the wall limit: unfinished, short of its work limit, and its wall
    time below the limit (a CI run: 5.4 of 10.1 s). The wall decided all the same."""
    clock = Clock(100.0)
    clock.charge_solver(_Solver(det=7.9, wall=5.4, det_limit=9.5, wall_limit=10.1))
    assert clock.wall_decided


def test_a_search_ended_by_its_work_limit_or_done_leaves_the_count_deciding():
    clock = Clock(100.0, started=time.monotonic())
    clock.charge_solver(_Solver(det=4.0, wall=5.0, det_limit=4.0, wall_limit=5.0))
    clock.charge_solver(
        _Solver(det=0.5, wall=0.7, det_limit=4.0, wall_limit=5.0, status=cp_model.OPTIMAL)
    )
    clock.charge_solver(
        _Solver(det=0.2, wall=0.3, det_limit=4.0, wall_limit=5.0, status=cp_model.INFEASIBLE)
    )
    assert not clock.wall_decided
    assert clock.counted > 0


def test_the_wall_guard_leaves_room_for_twice_the_search_near_the_end():
    """Near the end of a run the guard is capped by the user's limit, plus the grace the
    count has before the wall decides: room enough that CP-SAT's early stop (above) does
    not end a search the count would have let finish."""
    clock = Clock(20.0, started=time.monotonic() - 15.0)
    clock.counted = 15.0
    left = clock.wall_left()
    wall, work = clock.limits(5.0, "timetable", 15_000)
    assert work is not None
    assert wall >= 2 * 5.0
    assert wall <= left + clock.grace + 2.0


def test_without_the_wall_guard_the_count_alone_decides():
    """--no-wall-guard (explain's trial solves): the wall far ahead of the count never
    decides, and a search's wall limit is distant, so the same seed gives the same
    timetable on a busy machine too."""
    clock = Clock(100.0, started=time.monotonic() - 80.0, guard=False)
    clock.counted = 10.0
    assert clock.now() == clock.started + 10.0
    assert not clock.wall_decided
    wall, work = clock.limits(5.0, "timetable", 15_000)
    assert work is not None
    assert wall >= 10 * 5.0
    guarded = Clock(100.0, started=clock.started)
    guarded.counted = 10.0
    assert guarded.now() > guarded.started + 10.0  # with the guard, the wall decides
    assert guarded.wall_decided


def test_an_interleaved_search_for_any_placement_gives_both_threads_a_full_subsolver():
    """With no objective there is no neighbourhood to search: a second full-problem
    subsolver takes the second thread's turns (FET's NamutuniPSY16T2a, reproducible, 120
    s: no timetable with one, a first at 4.1 counted s with two). A search with an
    objective keeps the one beside its neighbourhoods; a free-running one is CP-SAT's own
    portfolio."""
    from ortools.sat.python.cp_model import CpSolver

    from scheduler.solver.budget import set_limits

    def full(clock: Clock, feasibility: bool) -> list[str]:
        solver = CpSolver()
        set_limits(solver.parameters, 5.0, clock, "timetable", 15_000, feasibility)
        return list(solver.parameters.subsolvers)

    interleaved = Clock(100.0, interleave=True)
    assert full(interleaved, True) == ["default_lp", "no_lp"]
    assert full(interleaved, False) == ["default_lp"]
    assert full(Clock(100.0, deterministic=False), True) == []


def test_the_year_rung_beside_a_first_timetable_gets_a_short_look():
    """Strict rungs failed, a first timetable in hand: the "year" rung's feasibility
    search gets a tenth of the round (at least the "core" rung's seconds), not half."""
    policy = TimePolicy()
    assert policy.look(Strictness.YEAR, False, 100.0, 500) == 50.0
    assert policy.look(Strictness.YEAR, False, 100.0, 500, beside_first=True) == 10.0
    # At least 3 s + 3 s per 1,000 students, at most 30% of the round.
    assert policy.look(Strictness.YEAR, False, 20.0, 1000, beside_first=True) == 6.0
    assert policy.look(Strictness.YEAR, False, 10.0, 3000, beside_first=True) == 3.0


def test_the_first_staffing_grows_with_the_planned_groups():
    """A fifth of the staffing time, at least 0.006 s a group (a 3,000-student school's
    quick staffing of 6 s answered nothing and was done again in full), never more than
    the whole staffing time."""
    policy = TimePolicy()
    assert policy.staffing(300.0) == 30.0
    assert policy.first_staffing(300.0, 500) == 6.0
    assert policy.first_staffing(300.0, 1500) == pytest.approx(9.0)
    assert policy.first_staffing(120.0, 300) == pytest.approx(2.4)
    assert policy.first_staffing(120.0, 600) == pytest.approx(3.6)
    assert policy.first_staffing(60.0, 5000) == 10.0  # the whole staffing time


def golomb(marks: int = 11) -> cp_model.CpModel:
    """The shortest Golomb ruler of 11 marks: minutes of search for CP-SAT."""
    m = cp_model.CpModel()
    top = marks * marks
    x = [m.new_int_var(0, top, f"x{i}") for i in range(marks)]
    m.add(x[0] == 0)
    diffs = []
    for i in range(marks):
        for j in range(i + 1, marks):
            d = m.new_int_var(1, top, f"d{i}_{j}")
            m.add(d == x[j] - x[i])
            diffs.append(d)
    for i in range(marks - 1):
        m.add(x[i] < x[i + 1])
    m.add_all_different(diffs)
    m.minimize(x[-1])
    return m


@pytest.mark.parametrize("stops", [True, False])
def test_ctrl_c_during_a_phase_search_reaches_the_solves_handler(stops):
    """Ctrl-C during a phase's own search (staffing, blocking, rooms) calls the handler in
    place (the solve's, which marks it interrupted) at once, and stops the search unless
    told not to (the rooms' search); that handler is in place after. (CP-SAT's own handler
    stopped the search and the solve went on as if nothing had been asked.)"""
    import os
    import signal
    import threading

    from scheduler.solver.budget import solve_phase

    heard: list[int] = []

    def solves_handler(signum, frame) -> None:
        heard.append(signum)

    before = signal.signal(signal.SIGINT, solves_handler)
    try:
        kill = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))
        kill.start()
        limit = 120.0 if stops else 6.0
        solver, status = solve_phase(
            golomb(), limit, None, "staffing", 1, 2, python_sigint=not stops
        )
        kill.join()
        assert heard == [signal.SIGINT]
        if stops:
            assert solver.wall_time < limit / 2  # stopped, not run to its limit
        else:
            assert solver.wall_time > limit / 2  # ran on to its limit
        assert status != cp_model.OPTIMAL
        assert signal.getsignal(signal.SIGINT) is solves_handler
    finally:
        signal.signal(signal.SIGINT, before)
