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
