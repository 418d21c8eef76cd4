"""The solve's counted clock (scheduler/solver/budget.py): the count decides, and the wall
only guards the limit, saying when it did."""

from __future__ import annotations

import time

from scheduler.solver.budget import WALL_GRACE, Clock


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

    def __init__(self, det: float, wall: float, det_limit: float, wall_limit: float) -> None:
        self.deterministic_time = det
        self.wall_time = wall
        self.parameters = type(
            "P", (), {"max_deterministic_time": det_limit, "max_time_in_seconds": wall_limit}
        )()


def test_a_search_stopped_by_its_wall_limit_says_the_wall_decided():
    """A search that its wall limit stopped before its work limit may end elsewhere on
    another run: the clock says so (summary.json's clock_wall_decided)."""
    clock = Clock(100.0)
    clock.charge_solver(_Solver(det=1.0, wall=5.0, det_limit=4.0, wall_limit=5.0))
    assert clock.wall_decided


def test_a_search_ended_by_its_work_limit_or_done_leaves_the_count_deciding():
    clock = Clock(100.0, started=time.monotonic())
    clock.charge_solver(_Solver(det=4.0, wall=5.0, det_limit=4.0, wall_limit=5.0))
    clock.charge_solver(_Solver(det=0.5, wall=0.7, det_limit=4.0, wall_limit=5.0))
    assert not clock.wall_decided
    assert clock.counted > 0
