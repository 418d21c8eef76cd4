"""The solve's clock: one seed gives one timetable, whatever the machine and its load.

A solve's phases decide things by the time they have left: how long a search may run,
whether a stricter rung is worth trying, whether another round fits. Read from the wall
clock, those decisions change with the machine and its load, and so does the timetable
(measured: the same 150-student school, seed and one worker gave three different
timetables in three runs). In deterministic mode, the default, they read a counted
clock instead:

* a CP-SAT search is limited by CP-SAT's deterministic time (``max_deterministic_time``,
  a count of the work it did) and charges what it reports using;
* building a model charges an estimate made from the model's size, the greedy student
  placement its count of search nodes, and turning an answer into a timetable an
  estimate per student: never a measurement;
* the wall clock only guards the user's ``--time-limit``: on a machine far slower than
  the one the rates below were measured on, the guard may stop a search before its
  counted limit, and only then can the same seed give another timetable.

With one worker CP-SAT's search is itself deterministic, so ``--workers 1`` gives the
same timetable on any machine, and that is when the counted clock is used by default.
With several workers CP-SAT's parallel portfolio shares solutions between threads as
they come, so its searches differ from run to run whatever the clock: there the wall
clock decides, which keeps the time limit exact (``SolveOptions.deterministic`` forces
either). The command line also fixes Python's string hashing (scheduler.cli), whose
per-process order of sets once changed the timetable.

This module holds no solver: :mod:`scheduler.solve` applies its limits.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field

#: CP-SAT deterministic time per wall second of a one-worker search, measured on the
#: reference machine (2 cores, PATHWAYS_CLOCK_TRACE=1 on a 150-student example and the
#: 600-student regression school while other work shared the machine: 0.17 to 0.5).
DTIME_PER_SECOND = 0.35

#: Counted seconds per model variable and per constraint for building a model (measured:
#: a 600-student timetable model of 60,000 variables built in 0.9 s; a 1,500-student
#: federation's students' model with travel, 25 s for about 1.2 million).
BUILD_S_PER_VARIABLE = 2e-5
BUILD_S_PER_CONSTRAINT = 2e-5

#: Counted seconds per model variable and constraint for loading a model into a search
#: (CP-SAT reports no deterministic time for it: a 1,500-student students' model took
#: 5.5 s of wall time to load for a search of 0 deterministic time).
LOAD_S_PER_ITEM = 4e-6

#: How far the wall may run ahead of the counted clock (share of the time limit) before
#: it is the wall that decides: the guard that keeps a slow machine within its limit.
WALL_GRACE = 0.1

#: Search nodes of the greedy student placement per second (measured: about 150,000).
GREEDY_NODES_PER_SECOND = 150_000

#: Counted seconds per group for the greedy lesson placement (measured: about 2 s for
#: 400 groups).
GREEDY_LESSON_S_PER_GROUP = 5e-3

#: Counted seconds per student for turning a solution into a timetable (extraction and
#: reasons; measured about 1 s per 1,000 students).
EXTRACT_S_PER_STUDENT = 1e-3


@dataclass
class Clock:
    """Seconds since the solve began: counted (deterministic) or measured (wall)."""

    limit: float
    deterministic: bool = True
    started: float = field(default_factory=time.monotonic)
    counted: float = 0.0

    def now(self) -> float:
        """The present moment, on the scale of ``started`` (seconds). Deterministic: the
        counted time, unless the wall has run more than ``WALL_GRACE`` of the limit
        ahead of it (a machine much slower than the reference): then the wall, less that
        grace, so that the solve still ends near its limit."""
        wall = time.monotonic()
        if self.deterministic:
            return max(self.started + self.counted, wall - WALL_GRACE * self.limit)
        return wall

    def charge(self, seconds: float) -> None:
        """Count work done outside a search (an estimate, never a measurement)."""
        self.counted += max(0.0, seconds)
        self._trace("charge", seconds)

    def _trace(self, what: str, seconds: float) -> None:
        """PATHWAYS_CLOCK_TRACE=1: every charge and the wall beside it, for calibrating."""
        if os.environ.get("PATHWAYS_CLOCK_TRACE"):
            print(f"CLOCK {what} +{seconds:.2f} counted={self.counted:.1f} "
                  f"wall={time.monotonic() - self.started:.1f}", file=sys.stderr)

    def search_seconds(self, deterministic_time: float, wall_time: float) -> float:
        """What a finished search counts for."""
        if self.deterministic:
            return max(0.0, deterministic_time) / DTIME_PER_SECOND
        return wall_time

    def charge_search(self, deterministic_time: float, wall_time: float = 0.0,
                      size: int = 0) -> float:
        """Count a finished CP-SAT search (``size``: its model's variables and constraints,
        for loading it); returns what it counted for."""
        spent = self.search_seconds(deterministic_time, wall_time)
        if self.deterministic:
            spent += LOAD_S_PER_ITEM * size
        self._trace(f"search (wall {wall_time:.2f}, det {deterministic_time:.2f}, "
                    f"size {size})", spent)
        if self.deterministic:
            self.counted += spent
        return spent

    def charge_build(self, variables: int, constraints: int) -> None:
        self.charge(BUILD_S_PER_VARIABLE * variables + BUILD_S_PER_CONSTRAINT * constraints)

    def wall_left(self) -> float:
        """Wall seconds left before the user's time limit (the guard)."""
        return self.started + self.limit - time.monotonic()

    def limits(self, seconds: float) -> tuple[float, float | None]:
        """(wall seconds, deterministic time) for a search meant to take ``seconds``.

        Deterministic: the work limit decides, and the wall limit is only the guard
        (three times the share, and never far past the user's time limit)."""
        if not self.deterministic:
            return seconds, None
        guard = max(1.0, min(3.0 * seconds + 2.0, self.wall_left() + 2.0))
        return guard, max(0.05, seconds) * DTIME_PER_SECOND

    def greedy_nodes(self, seconds: float) -> int:
        return int(seconds * GREEDY_NODES_PER_SECOND)


def set_limits(parameters, seconds: float, clock: Clock | None) -> None:
    """Set a CP-SAT search's limits (``parameters``: its SatParameters) for ``seconds``:
    counted by ``clock`` in deterministic mode, else wall seconds."""
    wall, work = (seconds, None) if clock is None else clock.limits(seconds)
    parameters.max_time_in_seconds = wall
    if work is not None:
        parameters.max_deterministic_time = work


def wall_clock(limit: float) -> Clock:
    """A clock that reads the wall (for callers outside a solve, e.g. tests of a phase)."""
    return Clock(limit, deterministic=False)
