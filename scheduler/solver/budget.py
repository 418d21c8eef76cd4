"""The solve's clock: one seed gives one timetable, whatever the machine and its load.

A solve's phases decide things by the time they have left: how long a search may run,
whether a stricter rung is worth trying, whether another round fits. Read from the wall
clock, those decisions change with the machine and its load, and so does the timetable
(measured: the same 150-student school, seed and one worker gave three different
timetables in three runs). In deterministic mode (one worker, or ``--reproducible``) they
read a counted clock instead:

* a CP-SAT search is limited by CP-SAT's deterministic time (``max_deterministic_time``,
  a count of the work it did) and charges what it reports using;
* building a model charges an estimate made from the model's size, the greedy student
  placement its count of search nodes, and turning an answer into a timetable an
  estimate per student: never a measurement;
* the wall clock only guards the user's ``--time-limit``: on a machine far slower than
  the one the rates below were measured on, the guard may stop a search before its
  counted limit, and only then can the same seed give another timetable.

With one worker CP-SAT's search is itself deterministic. With several, CP-SAT's parallel
portfolio shares solutions between threads as they come, so its searches differ from run
to run whatever the clock; in deterministic mode they run with ``interleave_search``
instead (the subsolvers in fixed batches over the threads, which repeats exactly).
Deterministic mode is ``SolveOptions.deterministic=True`` (``pathways solve
--reproducible``; always with one worker). Each kind of work is counted at its own
rate, measured by bench/clock_calibration.py, searches by their model's size, and an
interleaved search runs the one full-problem subsolver a free two-worker search runs
(2.0 GB at 2,791 students; eight, CP-SAT's interleaved default, held 4.4), two when the
model has no objective (:data:`INTERLEAVED_FEASIBILITY_SUBSOLVERS`). It is still
not the default with several workers: a search's deterministic time per wall second
differs by a third either way from school to school around the rates, so the count runs
ahead of the wall on some schools (they end early) and behind on others (the wall then
decides), and the machine's own pace moves all of it: the same rates ran 30-50 s ahead
of the wall in one session and 5-113 s behind it in another (120 s limits; BENCHMARKS.md,
seventeenth and nineteenth sessions). On 20 varied schools it met fewer requests than
free-running (BENCHMARKS.md, seventeenth session). By default, several workers run free:
the wall clock decides and the threads share solutions as they come, not repeatable. The
command line also fixes Python's string hashing (scheduler.cli), whose per-process order
of sets once changed the timetable.

This module holds no solver: :mod:`scheduler.solver.engine` applies its limits.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from constraints.base import Strictness

#: CP-SAT deterministic time per wall second of a one-worker search, measured on the
#: reference machine (2 cores, PATHWAYS_CLOCK_TRACE=1 on a 150-student example and the
#: 600-student regression school while other work shared the machine: 0.17 to 0.5).
DTIME_PER_SECOND = 0.35

#: The same with two workers interleaving their subsolvers (``interleave_search``, with
#: --reproducible): deterministic time adds up over the threads. Measured with
#: PATHWAYS_CLOCK_TRACE=1 at 120 s on a quiet machine: the 600-student regression school,
#: 49 deterministic seconds in 57.5 wall seconds of search (0.85; one search from 0.45 to
#: 1.34); the 1,500-student federation, 63.4 in 86.5 (0.73; 0.43 to 1.45). 1.2 was used
#: before: the federation's 120 s runs then took 140-152 s and the wall guard decided.
DTIME_PER_SECOND_INTERLEAVED = 0.75

#: The full-problem subsolvers of an interleaved (reproducible) search: those CP-SAT runs
#: free with two workers (its log: one full-problem subsolver, default_lp, beside first
#: solution and neighbourhood subsolvers), where interleaving alone runs eight.
INTERLEAVED_SUBSOLVERS = ["default_lp"]

#: ... and of an interleaved search for any placement at all (a model with no objective):
#: with no solution yet there is no neighbourhood to search, and with ``default_lp``
#: alone the second thread idles once the first-solution heuristic gives up (FET's
#: dgspro200809, reproducible: 62 s of CPU in 59 s of wall on two cores). A second
#: full-problem subsolver takes its turns. Reproducible seed 1, ``--first``, 120 s
#: (BENCHMARKS.md, thirty-fourth session): FET's NamutuniPSY16T2a a first timetable at
#: 4.1 counted s (none before), KPS at 33.6 (40.0); the 600-student regression school's
#: timetable unchanged. With no_lp in every interleaved search (searches with an
#: objective too) the regression schools gained and varied schools 6 and 13 lost: not
#: kept.
INTERLEAVED_FEASIBILITY_SUBSOLVERS = ["default_lp", "no_lp"]

#: Interleaved searches (two workers, ``--reproducible``): deterministic time per wall
#: second by kind of search, at a model of RATE_REF_SIZE variables and constraints, and
#: how it falls with the model's size (rate = at_ref * (RATE_REF_SIZE / size) ** exponent,
#: within RATE_BOUNDS; kinds whose searches report no size: the flat rate). Measured with
#: bench/clock_calibration.py (twelfth session, BENCHMARKS.md; CP-SAT's own searches'
#: wall time) on the two regression schools and varied schools 1, 6 and 11:
#: lesson placement 1.29 at 29,600 items, 1.05-1.13 at 42,000-51,000, 0.76-0.78 at
#: 121,000-142,000; the students' neighbourhoods 0.68 at 62,000, 0.43-0.5 at
#: 160,000-184,000, 0.41 at 748,000, 0.17 at 1,024,000; staffing 0.87-1.74; option
#: blocking 0.58-1.18. A flat rate of 0.75 let the count run 40-60 s ahead of the wall on
#: the schools of 400-600 students (their solves ended at 62-75 s of 120) and behind it
#: on the largest.
RATE_REF_SIZE = 60_000
RATE_BOUNDS = (0.15, 2.0)
RATES_INTERLEAVED: dict[str, tuple[float, float]] = {
    "timetable": (1.0, 0.34),
    "neighbourhood": (0.69, 0.35),
    "staffing": (1.2, 0.0),
    "blocking": (0.8, 0.0),
}

#: Counted seconds per model variable and per constraint for building a model. Measured
#: by bench/clock_calibration.py (the wall since the last charge, per counted second, at
#: 2e-5 each): lesson-placement models 0.38-0.49, students' models 0.16-0.69 (the
#: 1,500-student federation's, with travel, the highest).
BUILD_S_PER_VARIABLE = 8e-6
BUILD_S_PER_CONSTRAINT = 8e-6

#: Counted seconds per model variable and constraint for loading a model into a search
#: (CP-SAT reports no deterministic time for it: a 1,500-student students' model took
#: 5.5 s of wall time to load for a search of 0 deterministic time; a 2,791-student
#: one's check, every variable fixed, 5.3 s for 0.3 deterministic s at 748,748 items).
LOAD_S_PER_ITEM = 1e-6
#: ... and for checking a placement, every variable fixed one by one before the search
#: (bench/clock_calibration.py: 2.8e-6 to 4.8e-6 s per item outside the search).
LOAD_S_PER_ITEM_CHECK = 4e-6

#: How far the wall may run ahead of the counted clock (share of the time limit) before
#: it is the wall that decides: the guard that keeps a slow machine within its limit.
WALL_GRACE = 0.1
#: ... but never less than this many seconds (a quarter of the limit at most): at 20 s on
#: a loaded CI machine, 2 s of grace let the wall decide on a 150-student school and the
#: run did not repeat.
WALL_GRACE_MIN_S = 5.0

#: Search nodes of the greedy student placement per second (bench/clock_calibration.py
#: at 150,000: 0.29-0.58 wall seconds per counted second on six schools; at 350,000, 0.66).
GREEDY_NODES_PER_SECOND = 500_000

#: Counted seconds per group and pass for the greedy lesson placement
#: (bench/clock_calibration.py at 5e-3: 0.06-0.32 wall seconds per counted second, 0.1
#: on most; a 600-student school's first timetable counted 8.1 s for 2.1 wall seconds,
#: 2.3 of them this, and so made fewer first timetables than free-running).
GREEDY_LESSON_S_PER_GROUP = 5e-4

#: Counted seconds per student for turning a solution into a timetable (extraction and
#: reasons; bench/clock_calibration.py at 1e-3: 0.05-0.2 wall seconds per counted second).
EXTRACT_S_PER_STUDENT = 1.5e-4


@dataclass
class Clock:
    """Seconds since the solve began: counted (deterministic) or measured (wall)."""

    limit: float
    deterministic: bool = True
    started: float = field(default_factory=time.monotonic)
    counted: float = 0.0
    #: Several workers in deterministic mode: CP-SAT interleaves its subsolvers in fixed
    #: batches over the threads (``interleave_search``), which makes a parallel search
    #: repeatable.
    interleave: bool = False
    #: Whether the wall guard ever decided (deterministic mode): then the same seed may
    #: give another timetable (summary.json's ``clock_wall_decided``).
    wall_decided: bool = False
    #: False (``pathways solve --reproducible --no-wall-guard``, and explain's trial
    #: solves): the count alone decides and the wall never does, so that a busy machine
    #: runs past the limit but still gives the same timetable for the same seed.
    guard: bool = True

    def now(self) -> float:
        """The present moment, on the scale of ``started`` (seconds). Deterministic: the
        counted time, unless the wall has run more than :attr:`grace` ahead of it (a
        machine much slower or busier than the reference): then the wall, less that
        grace, so that the solve still ends near its limit (never without :attr:`guard`)."""
        if not self.deterministic:
            return time.monotonic()
        counted = self.started + self.counted
        guarded = time.monotonic() - self.grace if self.guard else counted
        if guarded > counted:
            self.wall_decided = True
            return guarded
        return counted

    @property
    def grace(self) -> float:
        """How far the wall may run ahead of the count before it decides (seconds)."""
        return max(WALL_GRACE * self.limit, min(WALL_GRACE_MIN_S, 0.25 * self.limit))

    def charge(self, seconds: float, kind: str = "work") -> None:
        """Count work done outside a search (an estimate, never a measurement)."""
        self.counted += max(0.0, seconds)
        self._trace(kind, seconds)

    def _trace(self, kind: str, seconds: float, detail: str = "") -> None:
        """PATHWAYS_CLOCK_TRACE=1: every charge, its kind and the wall beside it, one line
        each (read by bench/clock_calibration.py)."""
        if os.environ.get("PATHWAYS_CLOCK_TRACE"):
            print(
                f"CLOCK kind={kind} charged={seconds:.3f} counted={self.counted:.3f} "
                f"wall={time.monotonic() - self.started:.3f}{detail}",
                file=sys.stderr,
            )

    def rate(self, kind: str = "search", size: int = 0) -> float:
        """Deterministic time per reference-machine second for this clock's searches of
        this kind on a model of ``size`` variables and constraints (0: not known)."""
        if not self.interleave:
            return DTIME_PER_SECOND
        at_ref, exponent = RATES_INTERLEAVED.get(kind, (DTIME_PER_SECOND_INTERLEAVED, 0.0))
        if size <= 0 or exponent == 0.0:
            return at_ref
        low, high = RATE_BOUNDS
        return min(high, max(low, at_ref * (RATE_REF_SIZE / size) ** exponent))

    def search_seconds(
        self, deterministic_time: float, wall_time: float, kind: str = "search", size: int = 0
    ) -> float:
        """What a finished search counts for."""
        if self.deterministic:
            return max(0.0, deterministic_time) / self.rate(kind, size)
        return wall_time

    def charge_solver(self, solver, kind: str = "search", size: int = 0) -> float:
        """Count a finished CP-SAT search from its solver (``solver``: a CpSolver whose
        limits :func:`set_limits` set): what it reports using, at most its deterministic
        limit.

        In deterministic mode, a search that stopped unfinished (neither optimal nor
        proven infeasible) before its work limit was stopped by the wall: it marks the
        clock :attr:`wall_decided`, since its result, and so the timetable, may differ
        run to run. CP-SAT stops before its wall limit too: it ends a search once the
        longest stretch between two of its checks of the clock would carry it past the
        limit (OR-Tools' TimeLimit), so a search's ``wall_time`` below its wall limit does
        not show that the wall did not decide (a CI run gave two timetables that way, a
        150-student school's search stopped at 5.4 of its 10.1 wall seconds; the same
        model given 30 s searched on to its work limit and found another timetable)."""
        work_limit = solver.parameters.max_deterministic_time
        status = solver.response_proto.status
        if (
            self.deterministic
            and status not in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
            and solver.deterministic_time < work_limit
        ):
            self.wall_decided = True
        return self.charge_search(
            solver.deterministic_time,
            solver.wall_time,
            size,
            work_limit,
            kind,
            f" status={status.name} work_limit={work_limit:.3f}"
            f" wall_limit={solver.parameters.max_time_in_seconds:.3f}",
        )

    def charge_search(
        self,
        deterministic_time: float,
        wall_time: float = 0.0,
        size: int = 0,
        work_limit: float | None = None,
        kind: str = "search",
        detail: str = "",
    ) -> float:
        """Count a finished CP-SAT search (``size``: its model's variables and constraints,
        for loading it; ``work_limit``: the deterministic time it was given; ``detail``:
        more for its trace line); returns what
        it counted for. A search counts at most its limit: interleaved searches overshoot
        it (one on the 600-student regression school, given 24.3, reported 70.0 in 40 wall
        seconds, and so counted for 93 s, which ended the solve 37 s early)."""
        if work_limit is not None:
            deterministic_time = min(deterministic_time, work_limit)
        spent = self.search_seconds(deterministic_time, wall_time, kind, size)
        if self.deterministic:
            spent += (LOAD_S_PER_ITEM_CHECK if kind == "check" else LOAD_S_PER_ITEM) * size
        self._trace(
            kind,
            spent,
            f" det={deterministic_time:.3f} search_wall={wall_time:.3f} size={size}{detail}",
        )
        if self.deterministic:
            self.counted += spent
        return spent

    def charge_build(self, variables: int, constraints: int, kind: str = "build") -> None:
        self.charge(BUILD_S_PER_VARIABLE * variables + BUILD_S_PER_CONSTRAINT * constraints, kind)

    def wall_left(self) -> float:
        """Wall seconds left before the user's time limit (the guard)."""
        return self.started + self.limit - time.monotonic()

    def limits(
        self, seconds: float, kind: str = "search", size: int = 0
    ) -> tuple[float, float | None]:
        """(wall seconds, deterministic time) for a search meant to take ``seconds``.

        Deterministic: the work limit decides, and the wall limit is only the guard:
        three times the share, and never more than :attr:`grace` past the user's time
        limit (the wall may run that far ahead of the count before :meth:`now` lets it
        decide). CP-SAT ends a search early when its longest stretch between two checks
        of the clock would carry it past the wall limit (see :meth:`charge_solver`), so
        the guard must leave room for about twice the search: ``wall_left() + 2`` did not,
        and near the end of a run the wall decided on a quiet machine."""
        if not self.deterministic:
            return seconds, None
        work = max(0.05, seconds) * self.rate(kind, size)
        if not self.guard:
            # Distant: only a machine ten times slower than the reference reaches it.
            return 10.0 * seconds + 60.0, work
        return max(1.0, min(3.0 * seconds + 2.0, self.wall_left() + self.grace + 2.0)), work

    def greedy_nodes(self, seconds: float) -> int:
        return int(seconds * GREEDY_NODES_PER_SECOND)


def set_limits(
    parameters,
    seconds: float,
    clock: Clock | None,
    kind: str = "search",
    size: int = 0,
    feasibility: bool = False,
) -> None:
    """Set a CP-SAT search's limits (``parameters``: its SatParameters) for ``seconds`` of
    a search of this kind on a model of ``size`` variables and constraints: counted by
    ``clock`` in deterministic mode, else wall seconds. ``feasibility``: the model has no
    objective (any placement will do)."""
    wall, work = (seconds, None) if clock is None else clock.limits(seconds, kind, size)
    parameters.max_time_in_seconds = wall
    if work is not None:
        parameters.max_deterministic_time = work
        if clock is not None and clock.interleave:
            parameters.interleave_search = True
            # The full-problem subsolvers of a free-running search with two workers
            # (default_lp; the rest of the threads' turns go to neighbourhoods and first
            # solution heuristics), two with no objective. Left to itself the interleaved
            # search runs eight, each with its own copy of the model: 4.4 GB at 2,791
            # students, 2.0-2.2 with one.
            parameters.subsolvers.clear()
            parameters.subsolvers.extend(
                INTERLEAVED_FEASIBILITY_SUBSOLVERS if feasibility else INTERLEAVED_SUBSOLVERS
            )


def search_in_thread(
    solver: cp_model.CpSolver,
    search: Callable[[], cp_model.CpSolverStatus],
    on_ctrl_c: Callable[[int, Any], None],
    stop_now: Callable[[], bool],
    ticker: Callable[[], None] | None = None,
) -> cp_model.CpSolverStatus:
    """``search()`` (a CP-SAT search of ``solver``) in a worker thread, so that Python's
    Ctrl-C handler runs while it does: ``on_ctrl_c`` is SIGINT's handler meanwhile (in
    the main thread), and the one before is put back after. Every quarter second,
    ``solver.stop_search()`` when ``stop_now()`` (it only works once the search has
    begun), then ``ticker()``."""
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, on_ctrl_c) if in_main else None
    result: dict[str, cp_model.CpSolverStatus] = {}

    def work() -> None:
        result["status"] = search()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.25)
            if stop_now():
                solver.stop_search()
            if ticker is not None:
                ticker()
    finally:
        if in_main:
            signal.signal(signal.SIGINT, previous)
    return result.get("status", cp_model.UNKNOWN)


def solve_keeping_sigint(
    solver: cp_model.CpSolver, model: cp_model.CpModel, stop: bool = True
) -> cp_model.CpSolverStatus:
    """``solver.solve(model)`` with Ctrl-C in Python's hands: the SIGINT handler in place
    before (the solve's own, which marks the solve interrupted) is called at once, the
    search stopped too unless ``stop`` is False, and that handler is in place after.

    CP-SAT's own Ctrl-C handler (``catch_sigint_signal``, its default) stopped the search
    but the solve went on as if nothing had been asked, and it left SIGINT at its default
    when the search ended: Ctrl-C between searches then killed the solve without writing
    anything. The search runs in a worker thread (:func:`search_in_thread`) so that the
    handler runs while it does."""
    solver.parameters.catch_sigint_signal = False
    if threading.current_thread() is not threading.main_thread():
        return solver.solve(model)
    previous = signal.getsignal(signal.SIGINT)
    asked = [False]

    def on_ctrl_c(signum, frame) -> None:
        asked[0] = stop
        if stop:
            solver.stop_search()
        if callable(previous):
            previous(signum, frame)
        elif previous == signal.SIG_DFL:
            raise KeyboardInterrupt

    return search_in_thread(solver, lambda: solver.solve(model), on_ctrl_c, lambda: asked[0])


def solve_phase(
    model: cp_model.CpModel,
    seconds: float,
    clock: Clock | None,
    kind: str,
    seed: int,
    workers: int,
    *,
    presolve: bool = True,
    gap: float | None = None,
    python_sigint: bool = False,
) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
    """One search of a phase's own small model (staffing, blocking, rooms): its limits
    (:func:`set_limits`), seed and workers, and what it did charged to ``clock``.
    ``gap``: a relative gap good enough to stop at; ``python_sigint``: Ctrl-C does not
    stop the search (the solve's handler is told at once either way)."""
    solver = cp_model.CpSolver()
    set_limits(solver.parameters, seconds, clock, kind)
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    solver.parameters.cp_model_presolve = presolve
    if gap is not None:
        solver.parameters.relative_gap_limit = gap
    status = solve_keeping_sigint(solver, model, stop=not python_sigint)
    if clock is not None:
        clock.charge_solver(solver, kind)
    return solver, status


def wall_clock(limit: float) -> Clock:
    """A clock that reads the wall (for callers outside a solve, e.g. tests of a phase)."""
    return Clock(limit, deterministic=False)


@dataclass(frozen=True)
class TimePolicy:
    """Every share of the time limit the solve's phases take, in one place, with the
    measurement behind it (seconds are the clock's: counted in deterministic mode).

    ``scheduler.solver.engine`` asks this object and holds no time literal of its own; a phase
    told ``seconds`` here gets them as a search limit (:func:`set_limits`)."""

    #: Staffing: 10% of the limit, at least 10 s (a large school needs ~5 s, and a
    #: staffing cut short is no timetable at all), at most 30 s. (5%, 6-20 s, was tried:
    #: a 2,791-student varied school's lessons then could not all be placed in 300 s.)
    staffing_share: float = 0.1
    staffing_min_s: float = 10.0
    staffing_max_s: float = 30.0
    #: The solve's first timetable is made on a staffing given this share of that time
    #: (the ladder's staffing then gets the whole time, from the same seed): on a
    #: 1,732-student federation the staffing's balance search ran its 6 s to improve the
    #: busiest load by 9% (10,326 at 0.6 s, 9,395 at 5.9 s), before any timetable.
    first_staffing_share: float = 0.2
    #: ... and at least this many seconds per planned group (never more than the whole
    #: staffing time): a 3,000-student copy of the 600-student regression school (1,478
    #: groups) needs 3.7 s to prove that not every group can be staffed and then the drop
    #: of spare groups; its quick staffing of 6 s (300 s limit) answered neither and was
    #: done again with the whole time, 4.5 + 18.6 s before its first timetable, where 8 s
    #: answers (9 s of wall; 500-650 groups answer in 1.4-2.0 s: BENCHMARKS.md,
    #: thirty-eighth session).
    first_staffing_s_per_group: float = 0.006
    #: When no round has beaten the first timetable (its students placed greedily only),
    #: they are placed again on its lesson times with the search in what is left, if at
    #: least this much is (``engine._polish``; a build and a greedy placement come first).
    polish_min_s: float = 5.0
    #: ... and what more first timetables leave it when no round beat the first one
    #: (``engine._resample``): 10% of the limit.
    polish_share: float = 0.1
    #: ... and they stop after this many in a row beat none before (on a small school
    #: every seed may give the same timetable).
    resample_stale: int = 10
    #: First timetables from different seeds (staffing, students' greedy), the best kept:
    #: while the next one is expected to end within this share of the limit, at most
    #: ``first_samples``. Measured over three seeds each: 221-301 core requests unmet on
    #: the 1,500-student regression federation (whose later phases never beat its first
    #: timetable), 248-298 on the 600-student one (~2 s each).
    first_samples_share: float = 0.25
    first_samples: int = 4
    #: A first timetable better than every one before it has its lessons moved for its
    #: students as seated and the students placed again (``engine._first_timetable``), up
    #: to ``reseats`` times, while that many placements of the students take at most this
    #: share of the limit: on the 1,500-student regression federation at 120 s (5 s each)
    #: they took the time its later search of the students made far more of.
    reseat_share: float = 0.05
    reseats: int = 2
    #: A search for a complete placement, where staff gaps are ruled hard, first spends
    #: this share of its time with the gaps counted instead (``engine._gaps_last``): on
    #: FET's dgspro200809 none over in 2.7 s against 24-42 s to a placement ruled from
    #: the start; on Vartholomio 2008-2009 21.7 s against none in 40 s (three seeds).
    gaps_last_share: float = 0.5
    #: ``engine.rules_in_the_way`` (``pathways explain``): at most this share of its time
    #: for a placement without the Rules sheet's hard rows (found in 0.8-10.5 s on 8 of 10
    #: FET files, none in 48 s on ConcordiaY15T1a and JMSS at a share of 0.4), then of the
    #: rest for completing it to a whole start (0.1-0.5 s); the minimising search gets
    #: what is left.
    rules_core_share: float = 0.8
    rules_complete_share: float = 0.2
    #: Option blocking: 8% of the limit, at most 15 s, shared by its cohorts.
    blocking_share: float = 0.08
    blocking_max_s: float = 15.0
    #: Share of what is left that a round's lesson placement may take (the first round
    #: most of it, later rounds half).
    first_round_share: float = 0.7
    later_round_share: float = 0.5
    #: Share of what is left for the students' phase of the first round (later rounds:
    #: all of it).
    first_section_share: float = 0.6
    #: Staff again after the "core" rung found nothing only while this share of the limit
    #: would be left after it (at 1,000 students and 60 s, staffing again took a quarter
    #: of the time and the "year" rung then had too little).
    restaff_if_left_share: float = 0.5
    #: Share of its round's budget each rung's feasibility search may take: stricter rungs
    #: get a short look, most of the time is for the rung that works; the last rung has
    #: no rung after it. A rung with option blocks at most ``blocks_look``.
    rung_look: tuple[tuple[Strictness | None, float], ...] = (
        (Strictness.ALL, 0.05),
        (Strictness.CORE, 0.15),
        (Strictness.YEAR, 0.5),
        (Strictness.SOFT, 0.5),
        (None, 0.8),
    )
    blocks_look: float = 0.1
    #: The "year" rung's look when the strict rungs failed beside a first timetable
    #: (:meth:`look`); the ladder stops after it.
    year_look_beside_first: float = 0.1
    #: After Ctrl-C: a search stops within this, and students are placed within
    #: ``interrupted_finish_s`` when it came while lessons were being placed.
    interrupted_search_s: float = 5.0
    interrupted_finish_s: float = 10.0
    #: When the students' phase is infeasible on a timetable: the search for a proof that
    #: it is so on every timetable (sizes, sections counts, tutor groups alone; a small
    #: model, proven in well under a second on the tests' tiny schools).
    time_free_proof_s: float = 10.0

    def reserve(self, limit: float, students: int) -> float:
        """Kept back for writing the outputs (about 1.5 s per 1,000 students), at most 5%
        of the limit."""
        return min(0.05 * limit, 1.0 + 1.5 * students / 1000)

    def reading(self, students: int) -> float:
        """What reading the workbook counts for in deterministic mode, where the measured
        time would make the limit (and so the timetable) differ run to run: 1.5 s per
        1,000 students (measured: 3 s for 2,000)."""
        return 1.5 * students / 1000

    def staffing(self, limit: float) -> float:
        return min(self.staffing_max_s, max(self.staffing_min_s, self.staffing_share * limit))

    def first_staffing(self, limit: float, groups: int) -> float:
        """The staffing of the solve's first timetable, of ``groups`` planned groups
        (``first_staffing_share`` of :meth:`staffing`, at least
        ``first_staffing_s_per_group`` a group, at most :meth:`staffing`)."""
        whole = self.staffing(limit)
        return min(
            whole, max(self.first_staffing_share * whole, self.first_staffing_s_per_group * groups)
        )

    def blocking(self, limit: float) -> float:
        return min(self.blocking_max_s, self.blocking_share * limit)

    def round_share(self, rounds: int) -> float:
        return self.first_round_share if rounds == 1 else self.later_round_share

    def section_share(self, rounds: int) -> float:
        return self.first_section_share if rounds == 1 else 1.0

    def first_look(self, left: float, students: int) -> float:
        """The first timetable's CP-SAT completion of the greedy placement: 15-40% of
        what is left, 4 s + 10 s per 1,000 students between."""
        return min(0.4 * left, max(0.15 * left, 4.0 + 10.0 * students / 1000))

    def look(
        self,
        strictness: Strictness | None,
        blocks: bool,
        budget: float,
        students: int,
        beside_first: bool = False,
    ) -> float:
        """A rung's feasibility search. The "core" rung needs some seconds whatever the
        limit (measured: a complete placement in 2-4 s on 1,000 students, 5.5-8 s on
        2,000, when there is one; 15% of a short limit cut it off before it could
        succeed): 3 s + 3 s per 1,000 students, at most 30% of the round.

        ``beside_first`` (the strict rungs failed and a first timetable is in hand): the
        "year" rung gets ``year_look_beside_first`` of the round, at least the "core"
        rung's seconds, at most 30%. Measured (reproducible, 120 s, BENCHMARKS.md
        nineteenth session): where its placement came in 2.1 s (433 students) its
        timetable beat the first one; where it took 12.6-61 s (482-840 students) its
        timetables lost and more first timetables with the polish did better."""
        short_year = beside_first and strictness is Strictness.YEAR
        share = self.year_look_beside_first if short_year else dict(self.rung_look)[strictness]
        if blocks:
            share = min(share, self.blocks_look)
        look = share * budget
        if (strictness is Strictness.CORE and not blocks) or short_year:
            look = min(0.3 * budget, max(look, 3.0 + 3.0 * students / 1000))
        return look

    def optimise_beside_first(self, look: float) -> float:
        """The optimisation of a placement the "year" rung found beside a first timetable
        (``look``: the time its feasibility search was given): at most as long again.
        Given the rest of the round, it took 48-98 s of 120 on a 1,000-student copy of the
        regression federation (two seeds) and a 433-student stage school, and one of the
        three timetables lost to the first ones anyway; capped, more first timetables and
        the polish had the time, and all three ended as good or better by the objective
        (BENCHMARKS.md, thirty-ninth session)."""
        return look

    def last_rung_need(self, students: int) -> float:
        """What the last rung needs to build and find a complete placement (measured on the
        federation example: 10 s on 1,000 students, 19 s on 2,000): 4 s + 10 s per 1,000
        students. The "year" and "soft" rungs are skipped when they would leave less."""
        return 4.0 + 10.0 * students / 1000

    def section_need(self, students: int, travel: bool = False) -> float:
        """The students' phase's build and greedy check (about 4 s per 1,000 students to
        build, 2 s + 2 s per 1,000 to check; with travel between sites the build is
        slower: the federation example took 10 s on 1,000 students, 27-34 s on 2,000, and
        the 1,500-student regression federation 23 s to build and 5 s to check and
        extract, so that at 12 s per 1,000 its solves ended 4-5 s past a 120 s limit)."""
        return 2.0 + (20.0 if travel else 6.0) * students / 1000

    def round_cost(self, build_s: float, limit: float) -> float:
        """Another round must have both models built again, a search in each, and time for
        the neighbourhood search (a second round squeezed into the last 40 s of 300 on
        2,000 students left it none, and its bare greedy placement was kept)."""
        return max(10 + build_s, 0.3 * limit)

    def holds_check(self, groups: int) -> float:
        """Checking a complete placement with every placement variable fixed."""
        return 5.0 + 2.0 * groups / 1000

    def greedy_sections(self, students: int, budget: float) -> float:
        """The greedy student placement: 15% of the phase, 1 s + 2 s per 1,000 students at
        least, at most 30 s."""
        return min(30.0, max(1.0 + 2.0 * students / 1000, 0.15 * budget))

    def room_hint(self, budget: float) -> float:
        """The exact rooms model behind the greedy rooms: 5% of the phase, 1-10 s."""
        return min(10.0, max(1.0, 0.05 * budget))

    def baseline_check(self, students: int, left: float) -> float:
        """Scoring the greedy student placement gets the time it needs even when the
        budget is spent (on 2,000 students at 60 s, 1 s was left and no timetable came
        out): 2 s + 2 s per 1,000 students at least, else what is left up to 20 s."""
        return max(2.0 + 2.0 * students / 1000, min(20.0, left))


#: The solve's time policy.
POLICY = TimePolicy()
