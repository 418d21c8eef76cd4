"""The solve pipeline: plan groups, staff them, place lessons, section students.

Phases (docs/solver.md):
1. plan: how many groups per course (domain code, :mod:`scheduler.plan`);
2. staffing: who teaches each group (small CP-SAT model, :mod:`scheduler.solver.staffing`);
3. timetable: every lesson's slots (CP-SAT, rule families' ``timetable`` hooks);
4. section: every student's groups, every lesson's room, tutor groups (CP-SAT, the rule
   families' ``section`` hooks; its objective is docs/objective.md exactly);
5. extract: the one place where solver values become a domain :class:`Solution`.

Solver types stay inside this module and ``constraints/``.
"""

from __future__ import annotations

import logging
import math
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Self

from ortools.sat.python import cp_model
from rich.console import Console
from rich.live import Live

from constraints.base import (
    Rule,
    SectionModel,
    Strictness,
    Term,
    TimedGroup,
    TimedLesson,
    TimetableModel,
)
from constraints.registry import rules as make_rules
from constraints.travel import multi_site, travel_on_sites
from scheduler.bounds import bounds
from scheduler.checker import RULES, rule_violations
from scheduler.model import RequestType, School, Settings
from scheduler.plan import choose_slack, group_id, plan_groups, tentative_sections
from scheduler.reasons import outcomes
from scheduler.score import has_soft_rules, idle_periods, objective_terms, soft_rules_term
from scheduler.solution import Group, Lesson, Solution, SolveStats, Status
from scheduler.solver.blocking import Blocking, block_options
from scheduler.solver.budget import (
    EXTRACT_S_PER_STUDENT,
    GREEDY_LESSON_S_PER_GROUP,
    GREEDY_NODES_PER_SECOND,
    POLICY,
    Clock,
    search_in_thread,
    set_limits,
    solve_keeping_sigint,
)
from scheduler.solver.lesson_greedy import SWEEPS, greedy_lessons, improve_lessons
from scheduler.solver.neighbourhoods import improve_sections
from scheduler.solver.section_greedy import (
    greedy_sections,
    hint_placement,
    seat_rooms_and_tutors,
)
from scheduler.solver.staffing import assign_staff

log = logging.getLogger(__name__)

#: Above this many student-slots, idle periods are counted after sectioning rather than
#: modelled in it (the exact idle model adds ~3 variables per student-slot, and on
#: 1,000 students CP-SAT's presolve alone took the whole time limit).
IDLE_MODEL_LIMIT = 15_000

#: The most constraints the students' travel may add to the students' model (one per pair
#: of lessons a student may take that are too close on two sites, counted first): above
#: it, each lesson keeps the site of its greedy room and the students' travel is exact on
#: those sites, about 40 constraints a student (``travel.travel_on_sites``). A
#: 3,000-student copy of the 1,500-student regression federation takes 7.7 million and ran
#: out of 24 GB building them; the federation itself takes 0.96 million (17 s to build),
#: and on it and on a 1,500-student copy the search on sites did better in less memory
#: (reproducible, seed 1: objective 511,559 -> 461,538 and 401,961 -> 371,871, peaks 2.5
#: -> 1.1 GB and 2.4 -> 1.1 GB; BENCHMARKS.md, thirty-seventh session). The federation
#: example at 2,000 students, whose courses are each on one site, takes 3,382: exact.
TRAVEL_MODEL_LIMIT = 100_000

#: Rule families the first timetable's students' model leaves out: its greedy placement
#: keeps them by construction, and the checker's rule of the same name then judges it
#: (the travel rule's part of the model took 20-50 s to build on a 1,500-student
#: federation, most of the time to a first timetable).
FIRST_UNMODELLED = ("travel",)
#: Between the seeds of a solve's first timetables (a prime far above any portfolio's
#: width: ``--seed 1`` and ``--seed 2`` then try disjoint seeds).
SAMPLE_SEED_STEP = 1_000_003
#: The checker's hard rules, which judge a greedy placement kept as it stands.
HARD_RULES = tuple(r.name for r in RULES if r.hard)

#: From this many students on, student placements are improved a neighbourhood at a time
#: (:mod:`scheduler.solver.neighbourhoods`) rather than by one search over the whole section
#: model, which on large schools finds nothing better than the greedy start.
NEIGHBOURHOODS_FROM = 150

#: How strictly the timetable keeps each student's provisional groups apart, tried in
#: turn until a complete placement is found: (which groups never overlap, whether option
#: blocks meet together). "year" keeps apart as a rule only the core groups of courses
#: taken by a single year (the rest at a heavy cost per student); "soft" keeps all core
#: groups apart at that cost rather than as a rule; the last rung only estimates clashes
#: course by course.
LADDER: tuple[tuple[Strictness | None, bool], ...] = (
    (Strictness.ALL, True),
    (Strictness.CORE, True),
    (Strictness.CORE, False),
    (Strictness.YEAR, False),
    (Strictness.SOFT, False),
    (None, False),
)


#: The rungs that keep every student's provisional core groups apart as a rule.
STRICT_RUNGS = (Strictness.ALL, Strictness.CORE)


def _rung_name(strictness: Strictness | None) -> str:
    """A rung as summary.json names it: its strictness, "none" for the last rung."""
    return "none" if strictness is None else strictness.value


@dataclass(frozen=True)
class SolveOptions:
    """Time limit (whole solve), seed and threads. Precedence: CLI, Settings, defaults."""

    time_limit: float = 60.0
    seed: int = 0
    workers: int = 2
    #: Plan each course's groups to seat its demand at this share of ``max_size``
    #: (``plan.groups_needed``). None (the default): by the staff's spare periods,
    #: ``plan.choose_slack``.
    group_slack: float | None = None
    #: True: phases decide by a counted clock (scheduler.solver.budget), not the wall, and
    #: with several workers CP-SAT interleaves its subsolvers in fixed batches, so that the
    #: same seed gives the same timetable (``pathways solve --reproducible``). False: the
    #: wall clock decides and CP-SAT's threads share solutions as they come (not
    #: repeatable). None (the default): True with one worker, False with several.
    deterministic: bool | None = None
    #: With the counted clock: whether the wall may still decide when the machine falls
    #: far behind the count (keeping the solve near its limit; summary.json's
    #: ``clock_wall_decided``). False: never (``--no-wall-guard``; explain's trial solves,
    #: whose claims must repeat).
    wall_guard: bool = True
    #: True: stop at the first timetable (``pathways solve --first``: a quick draft, and
    #: what a feasibility timetabler such as FET gives): one sample, no ladder, no search
    #: for a better one. summary.json says ``stopped_at_first``.
    first_only: bool = False
    #: True (``pathways explain``): where the first timetable's placement is incomplete,
    #: say which of the Rules sheet's hard rows stand in the way
    #: (:func:`rules_in_the_way`, ``rules_in_the_way`` in the stats) and stop there.
    diagnose_rules: bool = False

    def slack_for(self, school: School) -> float:
        """``group_slack``, or where it is None the one ``plan.choose_slack`` takes."""
        return choose_slack(school) if self.group_slack is None else self.group_slack

    @property
    def counted(self) -> bool:
        """Whether the phases decide by the counted clock (``deterministic``, resolved)."""
        return self.workers == 1 if self.deterministic is None else self.deterministic

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        time_limit: float | None = None,
        seed: int | None = None,
        workers: int | None = None,
    ) -> SolveOptions:
        return cls(
            time_limit=float(time_limit if time_limit is not None else settings.time_limit_s),
            seed=int(seed if seed is not None else settings.seed),
            workers=max(1, int(workers if workers is not None else settings.workers)),
        )


class Progress:
    """The live progress line: phase, elapsed time, best objective, bound, % met (of the
    core and option requests, ``requests``)."""

    def __init__(self, enabled: bool, started: float, requests: int) -> None:
        self.enabled = enabled
        self.started = started
        self.requests = max(1, requests)
        self.phase = "planning"
        self.objective: float | None = None
        self.bound: float | None = None
        self.met: int | None = None
        self.console = Console(stderr=True)
        self._live: Live | None = None
        self._last_print = 0.0

    def line(self) -> str:
        parts = [f"[{time.monotonic() - self.started:6.1f}s] {self.phase}"]
        if self.objective is not None:
            parts.append(f"best {self.objective:,.0f}")
        if self.bound is not None:
            # Every term of the objective is a penalty (docs/objective.md): no timetable
            # scores below 0, whatever weaker bound the search has proved so far.
            parts.append(f"bound {max(0.0, self.bound):,.0f}")
        if self.met is not None:
            parts.append(f"requests met {100.0 * self.met / self.requests:.1f}%")
        return "  ".join(parts)

    def __enter__(self) -> Self:
        if self.enabled and self.console.is_terminal:
            self._live = Live(
                self.line(), console=self.console, refresh_per_second=4, transient=False
            )
            self._live.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._live is not None:
            self._live.update(self.line())
            self._live.__exit__(*exc)

    def update(self, **kw) -> None:
        for k, v in kw.items():
            setattr(self, k, v)
        if not self.enabled:
            return
        if self._live is not None:
            self._live.update(self.line())
        elif time.monotonic() - self._last_print > 5:
            self._last_print = time.monotonic()
            self.console.print(self.line(), highlight=False)


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: Progress, met: list | None) -> None:
        super().__init__()
        self.progress = progress
        self.met_vars = met
        self.solutions = 0
        self.first_at: float | None = None

    def on_solution_callback(self) -> None:
        self.solutions += 1
        if self.first_at is None:
            self.first_at = self.wall_time
        met = None
        if self.met_vars is not None:
            met = sum(self.value(v) for v in self.met_vars)
        self.progress.update(
            objective=self.objective_value, bound=self.best_objective_bound, met=met
        )


#: The running solve's clock (scheduler.solver.budget): every phase's decisions read it.
CLOCK = [Clock(float("inf"), deterministic=False)]


def clock_now() -> float:
    """The solve's present moment: counted in deterministic mode, else the wall's."""
    return CLOCK[0].now()


def run_search(
    model: cp_model.CpModel,
    limit: float,
    opts: SolveOptions,
    callback: _Callback | None,
    interrupted: list[bool],
    ticker: Callable[[], None],
    presolve: bool = True,
    kind: str = "timetable",
) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
    """Solve in a worker thread so Ctrl-C in the main thread can stop the search cleanly.

    ``presolve=False`` for the many short searches on a mostly fixed model, where presolving
    the whole model would take most of each search's time.
    """
    if interrupted[0]:
        limit = min(limit, POLICY.interrupted_search_s)  # after Ctrl-C: finish quickly
    solver = cp_model.CpSolver()
    size = len(model.proto.variables) + len(model.proto.constraints)
    set_limits(solver.parameters, max(0.5, limit), CLOCK[0], kind, size, not model.has_objective())
    solver.parameters.random_seed = opts.seed
    solver.parameters.num_workers = opts.workers
    solver.parameters.cp_model_presolve = presolve
    # Ctrl-C is Python's to handle (below), not CP-SAT's own handler's.
    solver.parameters.catch_sigint_signal = False

    def on_ctrl_c(signum, frame) -> None:
        interrupted[0] = True
        log.warning("interrupted: stopping the search and keeping the best timetable so far")
        solver.stop_search()

    # Our own handler, installed for each search: the OR-Tools library may leave SIGINT at
    # its default (which would kill the process without writing anything). Needed even
    # with solve_school's handler in place: without it, Ctrl-C during a search killed the
    # process (tests/scheduler/cli/test_cli.py::test_ctrl_c_writes_the_best_timetable_so_far).
    status = search_in_thread(
        solver, lambda: solver.solve(model, callback), on_ctrl_c, lambda: interrupted[0], ticker
    )
    CLOCK[0].charge_solver(solver, kind, size)
    return solver, status


def _value(solver: cp_model.CpSolver, expr) -> float:
    if isinstance(expr, (int, float)):
        return float(expr)
    return float(solver.value(expr))


def set_objective(model: cp_model.CpModel, terms: list[Term]) -> None:
    model.minimize(sum(t.weight * t.expr for t in terms))


def failed_solution(school: School, status: Status, reasons: list[str], started: float) -> Solution:
    return Solution(
        groups=(),
        status=status,
        wall_s=time.monotonic() - started,
        stats=SolveStats(explanation=reasons),
    )


#: Set when Ctrl-C came before a solve began (see :func:`stop_requested_early`): the solve
#: then finishes as quickly as it can.
_STOP_REQUESTED = [False]


def stop_requested_early(signum=None, frame=None) -> None:
    """A SIGINT handler for worker processes: a Ctrl-C outside any solve makes the next
    solve finish quickly instead of raising KeyboardInterrupt in the middle of its work."""
    _STOP_REQUESTED[0] = True


def solve_school(
    school: School,
    opts: SolveOptions,
    progress: bool = True,
    published: Solution | None = None,
    keep: frozenset[str] = frozenset(),
    max_changed: int | None = None,
) -> Solution:
    """Solve a school: every group's lessons, rooms and staff; every student's groups.

    ``published``: a timetable published earlier for (an earlier version of) this school,
    to keep as far as the rules allow (:mod:`scheduler.solver.resolve`); ``keep`` (of
    ``times``, ``staff``, ``rooms``) forbids those changes wherever the rules allow, and
    ``max_changed`` caps the students not asked to change whose lessons may move."""
    clock = Clock(
        opts.time_limit,
        opts.counted,
        interleave=opts.counted and opts.workers > 1,
        guard=opts.wall_guard,
    )
    CLOCK[0] = clock
    started = clock.started
    # Leave time to write the outputs (about 1.5 s per 1,000 students) within the limit.
    reserve = POLICY.reserve(opts.time_limit, len(school.students))
    deadline = started + opts.time_limit - reserve
    interrupted = [_STOP_REQUESTED[0]]
    # Requests that can be met: core and options (an alternate only fills an option's
    # place), as summary.json counts them; alternates counted too made a run that met
    # everything show 83% throughout.
    can_meet = sum(1 for r in school.requests if r.type is not RequestType.ALTERNATE)
    prog = Progress(progress, started, can_meet)

    def on_ctrl_c(signum, frame) -> None:
        # Between searches (building models, the greedy placement): note it, and every
        # later phase finishes quickly with what it has. During a search, ``run_search``'s own
        # handler also stops the search.
        interrupted[0] = True
        log.warning("interrupted: finishing quickly with the best timetable so far")

    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, on_ctrl_c) if in_main else None
    try:
        with prog:
            if published is None:
                solution = _solve(school, opts, prog, started, deadline, interrupted)
            else:
                from scheduler.solver.resolve import resolve

                solution = resolve(
                    school,
                    published,
                    keep,
                    opts,
                    prog,
                    started,
                    deadline,
                    interrupted,
                    max_changed,
                )
    finally:
        if in_main:
            signal.signal(signal.SIGINT, previous)
    # What no timetable can beat (scheduler.bounds), for "met X of at most Y".
    return solution.with_stats(bounds(school).as_dict())


def _solve(school, opts, prog, started, deadline, interrupted) -> Solution:
    stats = SolveStats()
    slack = opts.slack_for(school)
    all_planned = plan_groups(school, slack)
    stats["groups_planned"] = len(all_planned)
    stats["group_slack"] = slack
    # A core course taken by several years (stage-not-age sets, a project across a key
    # stage) planned with groups for each year cohort (plan.cohort_chunks): each
    # provisional group then ties one year's timetable, not two or three. First
    # timetables alternate between the two plans (the ladder starts from the first).
    by_cohort = plan_groups(school, slack, by_cohort=True)
    plans = (all_planned,) if by_cohort == all_planned else (all_planned, by_cohort)
    travel = multi_site(school)
    run = Run(school, opts, prog, started, deadline, interrupted, travel)
    t_prep = clock_now()
    prepared = _prepare(run, plans, opts.seed, stats, with_students=True)
    if isinstance(prepared, Solution):
        return prepared
    prep_s = clock_now() - t_prep
    staffing, planned, unstaffed_reason, blocking, tentative, best, seating = prepared
    first = best
    restaffed = 0
    if opts.diagnose_rules and best is None:
        return failed_solution(school, Status.UNKNOWN, [], started).with_stats(stats)

    # Rounds: place lessons, place students; then learn which groups' overlaps cost
    # requests, penalise those overlaps, and place again while time remains.
    learned: dict[tuple[str, str], int] = {}
    hint: dict[str, tuple[tuple[int, ...], ...]] = {}
    rounds = stale = 0
    lost = False  # the ladder lost to the first timetable, or found none
    level = 0
    soft_fallback = False
    stats["tentative_strictness"] = _rung_name(LADDER[0][0])
    stop_at_first = opts.first_only and best is not None
    # No first timetable: the ladder's first complete placement is seated as it is
    # (unless no student placement fits it: then optimised), and, without ``--first``,
    # optimised in the next round from there.
    draft = True
    if stop_at_first:
        stats["stopped_at_first"] = True
    while not stop_at_first:
        rounds += 1
        drafted = False
        remaining = deadline - clock_now()
        share = POLICY.round_share(rounds)
        placed = None
        while placed is None:
            strictness, use_blocks = LADDER[level]
            if use_blocks and not blocking.blocks:
                level += 1  # no blocks: the rung is the same as the next one
                continue
            if strictness is not None and not _any_choice(planned) and not soft_fallback:
                # Every course one group: no provisional choice, so the strict rungs ask
                # the last rung's question again (an imported school of fixed classes
                # spent its whole limit on four identical searches). The "soft" rung
                # differs (students' groups apart at a cost): it comes after, below.
                level = len(LADDER) - 1
                stats["skipped_to_last_rung"] = True
                continue
            # Every strict rung failed, and a first timetable is in hand: the provisional
            # groups cannot all be kept apart (stage sets across years, a week too full).
            # Then the "year" rung gets a short look only, and the ladder stops there
            # (no "soft" or last rung): where those looser rungs took long to find a
            # placement, their timetables lost to the first one and took most of the
            # limit, which more first timetables and the polish use better (below;
            # BENCHMARKS.md, nineteenth session).
            beside_first = (
                strictness not in STRICT_RUNGS
                and rounds == 1
                and best is not None
                and _any_choice(planned)
                and not soft_fallback
            )
            if beside_first and strictness is not Strictness.YEAR:
                stats["ladder_stopped"] = _rung_name(strictness)
                break
            if (
                strictness in (Strictness.YEAR, Strictness.SOFT)
                and not soft_fallback
                and skip_to_last(
                    strictness, deadline - clock_now(), share, len(school.students), travel
                )
            ):
                level = len(LADDER) - 1
                stats["skipped_to_last_rung"] = True
                continue
            # (The first timetable's placement is no start for the loosest rung: that rung
            # keeps rules the first one's model leaves out, e.g. a student's single-group
            # core courses apart, so forcing it made the rung infeasible.)
            # Not on the "soft" fallback: its placement keeps students apart only at a
            # cost, which the optimisation is there to lower.
            drafted = draft and best is None and not soft_fallback
            placed = _timetable_round(
                school,
                planned,
                staffing.staff_of,
                learned,
                hint,
                opts,
                prog,
                (deadline - clock_now()) * share,
                interrupted,
                stats,
                rounds,
                tentative if strictness else None,
                strictness,
                blocking.blocks if use_blocks else (),
                deadline - POLICY.section_need(len(school.students), travel),
                beside_first,
                drafted,
            )
            if (
                isinstance(placed, Solution)
                and strictness is None
                and best is None
                and placed.status is Status.UNKNOWN
                and not soft_fallback
                and not _any_choice(planned)
                and not interrupted[0]
            ):
                # Fixed classes, no timetable with every student's classes apart in the
                # time: one where a few students miss a class beats none (FET's Van Rhyn
                # got a timetable only so, at 96% of core requests).
                soft_fallback = True
                level = _at_rung(LADDER.index((Strictness.SOFT, False)), stats)
                stats["soft_fallback"] = True
                placed = None
                continue
            if (
                placed is None
                and strictness is Strictness.CORE
                and not use_blocks
                and not restaffed
                and deadline - clock_now() - prep_s > POLICY.restaff_if_left_share * opts.time_limit
            ):
                # Whether the core groups fit depends much on who teaches what, and
                # staffings that are equally good by load differ here (measured on the
                # 1,000-student all-through example: a complete placement in 2-4 s for
                # two staffings in three, none in 40 s for the third). Staff once more,
                # while half the limit would be left after it (at 1,000 students and
                # 60 s, staffing again took a quarter of the time and the "year" rung
                # then had too little).
                restaffed = 1
                stats["restaffed"] = True
                # Plan again too: a core course taken by several years gets groups for
                # each year cohort, which ties each provisional group to one year's
                # timetable (stage-not-age sets cut across years made the "core" rung
                # infeasible on a 600-student school).
                if by_cohort != all_planned:
                    all_planned = by_cohort
                    stats["planned_by_cohort"] = True
                    stats["groups_planned"] = len(all_planned)
                prepared = _prepare(
                    run, (all_planned,), (opts.seed + 1) % 2**31, stats, with_students=False
                )
                if isinstance(prepared, Solution):
                    return prepared
                staffing, planned, unstaffed_reason, blocking, tentative, _, _ = prepared
                continue
            if placed is None:
                # No complete placement keeps those provisional groups apart: relax.
                level = _at_rung(level + 1, stats)
        if placed is None:
            lost = True  # the ladder stopped before its looser rungs
            break
        if isinstance(placed, Solution):
            if best is not None:
                lost = True  # no timetable from the ladder in its time
                break
            return replace(placed, wall_s=round(time.monotonic() - started, 2))
        timed, not_run = placed
        not_run = {**unstaffed_reason, **not_run}
        remaining = deadline - clock_now()
        if interrupted[0]:
            remaining = min(remaining, POLICY.interrupted_finish_s)  # finish quickly
        prefer = (tentative if LADDER[level][0] else None) or {}
        result = section_round(
            school,
            timed,
            planned,
            not_run,
            prefer,
            opts,
            prog,
            max(1.0, remaining * POLICY.section_share(rounds)),
            interrupted,
            stats,
            started,
            deadline,
            # Both with students placed greedily: the lesson times compared alone.
            to_beat=best if best is first else None,
        )
        if drafted and not result.groups and not interrupted[0]:
            # The unoptimised placement seats no timetable: this rung again, optimised
            # from that placement (on FET's NamutuniPSY16T2a the rung's search for it
            # took most of the limit; done again, it left no time to seat anyone).
            draft = False
            hint = _lesson_times(timed)
            stats.pop("timetable_from", None)
            stats["first_draft_unseated"] = True
            continue
        if (
            not result.groups
            and result.stats.section_times_infeasible
            and not interrupted[0]
            and level < len(LADDER) - 1
            and deadline - clock_now() >= _round_cost(stats, opts)
        ):
            # No student placement on these lesson times: the next rung's timetable.
            level = _at_rung(level + 1, stats)
            hint = {}
            continue
        if best is None or (bool(result.groups) and _better(result, best)):
            best, stale = result, 0
            seating = Seating(timed, planned, not_run, prefer, opts.seed, staffing.unstaffed)
        else:
            stale += 1
        stats["rounds"] = rounds
        if stats.pop("section_abandoned", False):
            # The ladder's lesson times, students placed greedily, lost to the first
            # timetable's: more first timetables instead (below), with the time left.
            stats["ladder_lost"] = rounds
            lost = True
            break
        if (
            drafted
            and best.groups
            and not interrupted[0]
            and not opts.first_only
            and deadline - clock_now() >= _round_cost(stats, opts)
        ):
            # The draft is a timetable in hand; now its lesson times are optimised (the
            # rules' soft costs too, which "every request met" below would leave alone).
            draft = False
            stats.pop("timetable_from", None)
            stats["first_draft"] = True
            hint = _lesson_times(timed)
            continue
        if (
            interrupted[0]
            or opts.first_only
            or not best.groups
            or deadline - clock_now() < _round_cost(stats, opts)
            or stale >= 5
            or _all_met(best)
        ):
            break
        if not _learn(school, result, timed, learned):
            break
        hint = _lesson_times(timed)
    if best is first and lost and seating is not None and not interrupted[0]:
        best, seating = _resample(run, plans, best, seating, stats)
    if seating is not None and best.groups and not interrupted[0] and not opts.first_only:
        best = _polish(run, best, seating, stats)
    final = SolveStats({**stats, **best.stats})
    final["rounds"] = rounds
    if seating is not None and best.groups:
        # Under the kept timetable's staffing (each first timetable staffs afresh).
        by_id = {g.id: g for plan in (*plans, all_planned) for g in plan}
        unstaffed = [by_id[i] for i in seating.unstaffed if i in by_id]  # never a crash here
        report_not_run(final, seating.planned, seating.timed, unstaffed, seating.not_run)
    # How the counted clock kept up with the wall (scheduler.solver.budget's rates).
    final["clock_counted_s"] = round(CLOCK[0].counted, 1)
    final["clock_wall_s"] = round(time.monotonic() - started, 1)
    if CLOCK[0].deterministic:
        # The wall guard decided at some point: this seed may give another timetable.
        final["clock_wall_decided"] = CLOCK[0].wall_decided
    # Ctrl-C after the best timetable was made still says the solve was interrupted.
    return replace(
        best,
        wall_s=round(time.monotonic() - started, 2),
        stats=final,
        interrupted=best.interrupted or interrupted[0],
    )


def _first_timetable(
    run: Run, planned, staff_of, not_run, opts, stats, with_students, unstaffed=()
):
    """The solve's first timetable, soon: every group that the hard rules allow placed
    (the loosest rung: no provisional groups kept apart), then students placed greedily.

    When the hard rules alone leave groups without times (staff, rooms and days that
    cannot hold together), those groups are dropped with their reason before the
    stricter rungs, which otherwise each fail at once for want of a complete placement.
    It comes before option blocking (which the stricter rungs need, not this one).
    Returns (first timetable and the seating it was made on, or None; and the groups and
    reasons the ladder then works with).
    """
    school, prog, deadline, interrupted = run.school, run.prog, run.deadline, run.interrupted
    started, travel, sampling = run.started, run.travel, run.sampling
    prog.update(phase="first timetable", objective=None, bound=None, met=None)
    left = deadline - clock_now()
    students = len(school.students)
    # The hard rules only: an empty provisional placement keeps no students apart and
    # estimates no clashes (the students' rule's part is most of the full model).
    tm, _ = timetable_model(school, planned, staff_of, {}, {}, Strictness.CORE, (), stats)
    tentative = tentative_sections(school, planned)  # whom each group will probably seat
    t0, wall0 = clock_now(), time.monotonic()
    look = POLICY.first_look(left, students)
    # A greedy placement first (seconds, whatever the school), checked by the model.
    passes, sweeps = [0], [0]
    lesson_rooms: dict = {}  # the rooms the greedy gave its runs (so they can move again)
    greedy = greedy_lessons(
        tm,
        tentative,
        passes_run=passes,
        sweeps=SWEEPS,
        sweeps_run=sweeps,
        rooms_out=lesson_rooms,
    )
    CLOCK[0].charge(
        GREEDY_LESSON_S_PER_GROUP * len(planned) * (passes[0] + sweeps[0]), "greedy_lessons"
    )
    # A placement without a group that must run (a fixed sections count) cannot hold by
    # itself: it is only a start for CP-SAT to complete, and without a completion there is
    # no first timetable (required_out below). Checked alone, it always failed: on a
    # FET school of 84 groups, each a course's one required section, 78 placed greedily
    # were thrown away and CP-SAT started from nothing.
    partial = any(g.required and g.id not in greedy for g in planned)
    if greedy and not partial and not holds(tm, greedy, opts, interrupted, prog):
        # Not the timetabler's concern (CP-SAT places the lessons instead; summary.json's
        # first_greedy_placed says "0/N"): a rule the greedy does not read, such as a
        # FET file's students' gaps. A warning here read as if the solve had gone wrong.
        log.info("the greedy lesson placement broke a rule of the timetable model")
        greedy = {}
    stats["first_greedy_placed"] = f"{len(greedy)}/{len(planned)}"
    stats["first_greedy_passes"] = passes[0]

    seat_s = [0.0]  # what placing the students last cost (counted seconds)

    def students_on(
        placement: dict[str, tuple], mend: bool = True
    ) -> tuple[Solution, Seating] | None:
        began = clock_now()
        timed, missing = timed_from_runs(school, planned, staff_of, tm, placement, stats)
        seating = Seating(timed, planned, {**not_run, **missing}, tentative, opts.seed, unstaffed)
        broke_before = stats.get("greedy_students_broke", 0)

        def seat(quick: bool) -> Solution:
            return section_round(
                school,
                timed,
                planned,
                seating.not_run,
                tentative,
                opts,
                prog,
                POLICY.section_need(students, travel),
                interrupted,
                stats,
                started,
                deadline,
                quick=quick,
            )

        made = seat(quick=True)
        if (
            mend
            and not made.groups
            and stats.get("greedy_students_broke", 0) > broke_before
            and not interrupted[0]
        ):
            # The greedy students' placement broke a rule it does not read (a FET file's
            # same room if consecutive: 49 times on MED_2019-20-1, whose first timetable
            # then came at 226 s of 300): the students' model places them instead, on the
            # same lesson times (1.8 s there).
            stats["first_students_searched"] = stats.get("first_students_searched", 0) + 1
            made = seat(quick=False)  # judged by the checker, as the greedy one was
        seat_s[0] = clock_now() - began
        return (made, seating) if made.groups else None

    early = None
    if with_students and greedy and not partial and len(greedy) < len(planned):
        # Anytime: a first timetable from what the greedy placed, before CP-SAT looks for
        # the rest (on a 2,791-student school it looked 45 s for the last two groups).
        early = students_on(greedy)
    runs = greedy
    proven = False
    skip = early is not None and sampling.skip_completion()
    sampling.completions_skipped += skip
    completing = len(greedy) < len(planned) and not interrupted[0] and not skip
    if completing:
        # Fixed classes (no course with a choice of group): the greedy's partial placement
        # is a corner the search does not leave where the classes' weeks are full (FET's
        # KPS, 21 classes of 49 periods in 49 slots: 62.6 s to a first timetable with it
        # as the hint, 6.4 s without; NamutuniPSY16T2a 39 -> 10.3 s; one run each).
        if opts.diagnose_rules and school.hard_rules:
            stats["rules_in_the_way"] = rules_in_the_way(
                tm, opts, max(1.0, deadline - clock_now()), interrupted, prog, greedy
            )
            return None, planned, not_run
        start = greedy if _any_choice(planned) else None
        runs = place_everything(tm, opts, look, interrupted, prog, start) or greedy
        proven = tm.proven_incomplete
        if proven:
            # None complete exists: as many groups as the hard rules allow.
            rest = look - (clock_now() - t0)
            runs = _place_most(tm, opts, max(1.0, rest), interrupted, prog, greedy) or greedy
    if tm.found_with_gaps_counted:
        stats["first_gaps_counted"] = True
    stats["first_placement_s"] = round(time.monotonic() - wall0, 1)
    if not runs:
        return None, planned, not_run
    # A group of a fixed sections count must run: without it there is no timetable here,
    # and what cannot place it is for the ladder (and its diagnosis) to say.
    required_out = any(g.required and g.id not in runs for g in planned)
    first = early
    if with_students and not required_out and not (early is not None and runs is greedy):
        # Students on the placement CP-SAT completed (or on the greedy's, if complete).
        first = students_on(runs)
        if _better(early[0] if early else None, first[0] if first else None):
            first = early
    if early is not None and completing:
        # What the completion gave (nothing found in its time counts as lost).
        if first is early:
            sampling.completions_lost += 1
        else:
            sampling.completions_won += 1
    first_runs = greedy if first is early else runs
    objective = first[0].objective if first is not None else None
    if (
        with_students
        and first is not None
        and objective is not None
        and objective <= sampling.raw_best
    ):
        # The best greedy timetable so far: its lessons moved for the students as
        # seated, while placing them again is cheap against the limit.
        sampling.raw_best = objective
        affordable = int(POLICY.reseat_share * opts.time_limit / max(seat_s[0], 1e-9))
        for _ in range(min(POLICY.reseats, affordable)):
            if interrupted[0]:
                break
            seated = _seated(first[0], tentative)
            moved = improve_lessons(tm, seated, first_runs, SWEEPS, sweeps, lesson_rooms)
            CLOCK[0].charge(GREEDY_LESSON_S_PER_GROUP * len(planned) * sweeps[0], "greedy_lessons")
            sweeps[0] = 0
            if moved is None:
                break
            again = students_on(moved, mend=False)  # a reseat only if the greedy holds
            if again is None or not _better(again[0], first[0]):
                break
            first, first_runs = again, moved
            stats["first_reseated"] = stats.get("first_reseated", 0) + 1
    if len(runs) < len(planned) and proven and not required_out:
        # What the hard rules cannot place: not run, with its reason, from here on.
        stats["groups_impossible"] = sorted(g.id for g in planned if g.id not in runs)
        not_run = {
            **not_run,
            **{
                g.course: unplaced_reason(school, g, tm, staff_of[g.id])
                for g in planned
                if g.id not in runs
            },
        }
        planned = tuple(g for g in planned if g.id in runs)
    return first, planned, not_run


def _lesson_times(timed) -> dict[str, tuple[tuple[int, ...], ...]]:
    """Each timed group's lesson slots: the next round's start (``hint``)."""
    return {g.id: tuple(lesson.slots for lesson in g.lessons) for g in timed}


def _seated(solution: Solution, tentative: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Each student's groups in ``solution`` (planned ids, by course), and their
    provisional group for each course they did not get."""
    seated: dict[str, dict[str, str]] = {s: dict(row) for s, row in tentative.items()}
    for g in solution.groups:
        gid = solution.planned_id(g.id)
        for s in g.students:
            seated.setdefault(s, {})[g.course] = gid
    return seated


def skip_to_last(
    strictness: Strictness, left: float, share: float, students: int, travel: bool = False
) -> bool:
    """Whether a "year" or "soft" rung would leave the last rung (no provisional groups)
    too little time to find any timetable (``TimePolicy.last_rung_need``; at 1,000
    students and 60 s the stricter rungs took it all and no timetable came out, where the
    last rung alone found one in 10 s)."""
    look = POLICY.look(strictness, False, share * left, students)  # the rung's own look
    return left - look - POLICY.section_need(students, travel) < POLICY.last_rung_need(students)


def _at_rung(level: int, stats: dict) -> int:
    """Move the ladder to ``level``; summary.json says which rung and whether with blocks."""
    stats["tentative_strictness"] = _rung_name(LADDER[level][0])
    stats["option_blocks_used"] = LADDER[level][1]
    return level


def _any_choice(planned) -> bool:
    """Whether some course has several groups, so that students' groups are a choice."""
    courses = [g.course for g in planned]
    return len(set(courses)) < len(courses)


def _round_cost(stats: SolveStats, opts: SolveOptions) -> float:
    """Seconds another round must have to be worth starting (``TimePolicy.round_cost``)."""
    build = stats.build_s
    return POLICY.round_cost(build, opts.time_limit)


@dataclass(frozen=True)
class Seating:
    """The lesson times a first timetable's students were placed on (greedily only), kept
    so that its students can be placed again with the search when no later round beats
    it (:func:`_polish`)."""

    timed: tuple
    planned: tuple
    not_run: dict
    prefer: dict
    #: The seed its students were placed with (the polish places them again with it).
    seed: int
    #: The planned groups nobody could teach under its staffing (ids): not run.
    unstaffed: tuple[str, ...] = ()


@dataclass
class Sampling:
    """What first timetables tell the next ones: the best objective before its lessons
    were moved for its students as seated (only a sample that beats it is moved: each
    move places every student again), and the counted seconds a sample took."""

    raw_best: float = math.inf
    each: float = 0.0
    #: Samples whose greedy placement left groups out: how often CP-SAT's completion of
    #: it (every group, or the most the hard rules allow) then gave the better timetable,
    #: and how often the greedy's own placement did.
    completions_won: int = 0
    completions_lost: int = 0
    #: Set by :func:`_resample`: its samples only give a timetable (no ladder follows).
    resampling: bool = False
    completions_skipped: int = 0

    def skip_completion(self) -> bool:
        """Whether a resample takes its greedy placement as it is, without CP-SAT's
        completion: every completion so far lost to its own greedy placement. A
        completion moves lessons with no thought for the students (on the 600-student
        regression school, 2.7 million against the greedy's 1.6) and took half of each
        sample's time there (BENCHMARKS.md, thirty-eighth session)."""
        return self.resampling and self.completions_lost > 0 and not self.completions_won


@dataclass(frozen=True)
class Run:
    """What every phase of one solve shares: the school, the options, the progress line,
    when it started and must end (counted clock), the Ctrl-C flag, whether staff travel
    between sites, and what its first timetables tell the next ones."""

    school: School
    opts: SolveOptions
    prog: Progress
    started: float
    deadline: float
    interrupted: list[bool]
    travel: bool
    sampling: Sampling = field(default_factory=Sampling)


def _prepare(run: Run, plans, seed: int, stats: SolveStats, with_students: bool):
    """Staff the planned groups (``plans``: one or more plans of them), make the first
    timetable (with students placed when ``with_students``), block options: (staffing,
    groups the ladder places, reasons for groups not run, blocking, provisional
    placement, first timetable or None, and its :class:`Seating`), or a failed Solution.

    With students, several first timetables are made while they fit in
    ``POLICY.first_samples_share`` of the limit (at most ``POLICY.first_samples``), each
    from its own seed (staffing, students' greedy), and the best is kept with its
    staffing, which the ladder then places: how good a first timetable is varies much
    with the seed (the 1,500-student regression federation: 221 to 301 core requests
    unmet over three seeds), and on that school no later phase ever beat it.

    The samples take ``plans`` in turn, and the best first timetable of all is kept,
    while the ladder starts from the best sample of the first plan. Planning by year cohort gave the better first timetables on every school
    whose stage sets cross years (the 600-student regression school: median objective
    over six seeds 2.83M -> 2.35M), but the ladder, where it wins, did better from the
    plain plan (a varied stage school: options 93.6% -> 85.1%; BENCHMARKS.md, fifteenth
    session)."""
    school, opts, prog, started = run.school, run.opts, run.prog, run.started
    prog.update(phase="staffing")
    planned = plans[0]
    sampled = 0
    began = clock_now()
    chosen = None  # the ladder's start: the best sample of ``planned``
    best_first = None  # the best first timetable of every plan, its seating and number
    base = SolveStats(stats)
    kept_stats = stats
    first_at = None
    index = 0  # the sample's seed (a quick staffing's timetable and the next share one)
    full_first = None  # the first seed's staffing with the whole time, once made
    while True:
        mine = SolveStats(base)
        if first_at is not None:
            mine["time_to_first_s"] = first_at  # the first timetable of all
        plan = plans[index % len(plans)]
        # Anytime: the first timetable of all on a quick staffing, then the same seed
        # staffed with the whole time, and so on (a quick staffing's timetable is one
        # more sample: on a 482-student school, the best of them all was the first
        # full staffing's, 557,289 against the quick one's 966,038).
        quick = with_students and sampled == 0
        staffing, sample = _sample(run, plan, seed, index, mine, with_students, quick)
        # A quick staffing cut short was done again with the whole time: that staffing
        # is the seed's full one, not to be made again for the ladder.
        quick = quick and not mine.get("first_staffing_redone")
        if sample is None:
            if chosen is not None:
                break
            status = Status.UNKNOWN if staffing.timed_out else Status.INFEASIBLE
            return failed_solution(school, status, list(staffing.problems), started)
        made, staffed, unstaffed_reason = sample
        first, seating = made if made else (None, None)
        sampled += 1
        first_at = first_at or mine.get("time_to_first_s")
        if plan is planned and (chosen is None or _better(first, chosen[0])):
            chosen = (first, staffing, staffed, unstaffed_reason, seating, quick)
            kept_stats = mine
        if not quick:
            if index == 0:
                full_first = (staffing, staffed, unstaffed_reason)
            index += 1
        if best_first is None or _better(first, best_first[0]):
            best_first = (first, seating, sampled, plan is not planned)
        each = run.sampling.each = (clock_now() - began) / sampled
        if (
            not with_students
            or run.interrupted[0]
            or (opts.first_only and first is not None)
            or "rules_in_the_way" in mine
            or index >= POLICY.first_samples
            or (first is not None and _all_met(first))
            or clock_now() + each > started + POLICY.first_samples_share * opts.time_limit
        ):
            break
    stats.clear()
    stats.update(kept_stats)
    if first_at is not None:
        stats["time_to_first_s"] = first_at
    assert chosen is not None  # the first sample either made one or returned above
    _, staffing, planned, unstaffed_reason, _, quick = chosen
    stop = opts.first_only and best_first is not None and best_first[0] is not None
    stop = stop or "rules_in_the_way" in stats
    if quick and not run.interrupted[0] and not stop:
        # The ladder's staffing gets the whole time: the same seed's (made above, or now;
        # not after Ctrl-C, which keeps the best timetable so far at once).
        if full_first is None:
            prog.update(phase="staffing")
            full, _, staffed, reasons = _staff(run, plans[0], seed, 0)
            if not full.problems:
                full_first = (full, staffed, reasons)
        if full_first is not None:
            staffing, planned, unstaffed_reason = full_first
    first, seating, kept, by_cohort = best_first or (None, None, 0, False)
    if with_students:
        stats["first_samples"] = sampled
        # The seeds sampled (the quick staffing's shares the first): resamples go on after.
        stats["first_sample_seeds"] = index
        stats["first_sample_kept"] = kept
        if by_cohort:
            stats["first_planned_by_cohort"] = True
    if stop:  # --first: no ladder to block options for
        return staffing, planned, unstaffed_reason, Blocking(), {}, first, seating
    prog.update(phase="blocking options")
    blocking = block_options(
        school,
        planned,
        staffing.staff_of,
        POLICY.blocking(opts.time_limit),
        seed,
        opts.workers,
        CLOCK[0],
    )
    stats["option_blocks"] = len(blocking.blocks)
    stats["options_blocked"] = f"{blocking.given}/{blocking.asked}"
    tentative = tentative_sections(school, planned, blocking.placement)
    return staffing, planned, unstaffed_reason, blocking, tentative, first, seating


def _staff(run: Run, planned, seed: int, index: int, quick: bool = False, stats=None):
    """The planned groups staffed for the ``index``-th first timetable, from its own seed:
    (staffing, the sample's options, the groups staffed, reasons for groups not run).
    ``quick``: with ``POLICY.first_staffing`` (the solve's first timetable), else the
    whole staffing time; a quick staffing cut short (``assign_staff``'s ``quick``) is
    done again with the whole time, and ``stats`` then says ``first_staffing_redone``."""
    school = run.school
    # Spread apart, so that nearby seeds (a portfolio's 7, 8, 9...) share no sample.
    opts = replace(run.opts, seed=(seed + index * SAMPLE_SEED_STEP) % 2**31)
    # Staffing gets at least a few seconds: a staffing cut short is no timetable.
    limits = [POLICY.staffing(opts.time_limit)]
    if quick:
        limits.insert(0, POLICY.first_staffing(opts.time_limit, len(planned)))
    for i, limit in enumerate(limits):
        last = i == len(limits) - 1
        staffing = assign_staff(
            school, planned, limit, opts.seed, opts.workers, CLOCK[0], quick=not last
        )
        if not staffing.timed_out:
            break
        if stats is not None and not last:
            stats["first_staffing_redone"] = True
    if staffing.problems:
        return staffing, opts, planned, {}
    # Groups nobody can teach are not run; their students are placed elsewhere or
    # their requests get a reason.
    unstaffed_reason = unstaffed_reasons(school, planned, staffing)
    staffed = planned
    if staffing.unstaffed:
        staffed = tuple(g for g in planned if g.id in staffing.staff_of)
    return staffing, opts, staffed, unstaffed_reason


def _sample(
    run: Run,
    planned,
    seed: int,
    index: int,
    stats: SolveStats,
    with_students: bool,
    quick: bool = False,
):
    """The solve's ``index``-th first timetable (0: the first), from its own seed: the
    planned groups staffed (:func:`_staff`, ``quick`` or not), then
    :func:`_first_timetable`. Returns (staffing, None) when staffing found problems, else
    (staffing, (first timetable and its Seating or None, groups run, reasons for groups
    not run))."""
    staffing, opts, staffed, unstaffed_reason = _staff(run, planned, seed, index, quick, stats)
    if staffing.problems:
        return staffing, None
    # Anytime: a first timetable before the stricter searches (and before blocking).
    return staffing, _first_timetable(
        run,
        staffed,
        staffing.staff_of,
        unstaffed_reason,
        opts,
        stats,
        with_students,
        staffing.unstaffed,
    )


def _resample(
    run: Run, plans, first: Solution, seating: Seating, stats: SolveStats
) -> tuple[Solution, Seating]:
    """The ladder lost to the best first timetable, or found none: make more first
    timetables, from the seeds after those already sampled (taking ``plans`` in turn, as
    :func:`_prepare` does), while the next one is
    expected to end before the time :func:`_polish` needs and until
    ``POLICY.resample_stale`` in a row beat none, and keep the best with its
    :class:`Seating`. On schools where
    the ladder's timetables lose to the greedy first ones (the 600-student regression
    school, whose stage sets cross years), the best of many first timetables is the
    better answer: 39 samples met 3,400 core requests where the best of 4 met 3,347
    (BENCHMARKS.md, fourteenth session)."""
    done = int(stats.get("first_sample_seeds", stats.first_samples))
    began, made, stale = clock_now(), 0, 0
    run.sampling.resampling = True
    reserve = max(POLICY.polish_min_s, POLICY.polish_share * run.opts.time_limit)
    while not run.interrupted[0] and not _all_met(first):
        each = (clock_now() - began) / made if made else run.sampling.each
        if clock_now() + each > run.deadline - reserve:
            break
        # The solve's first timetable stays the first, whichever is kept.
        mine = SolveStats({k: v for k, v in stats.items() if k == "time_to_first_s"})
        _, sample = _sample(
            run, plans[(done + made) % len(plans)], run.opts.seed, done + made, mine, True
        )
        made += 1
        stale += 1
        if sample is None or sample[0] is None:
            continue
        again, again_seating = sample[0]
        if _better(again, first):
            first, seating, stale = again, again_seating, 0
            stats["resample_kept"] = done + made
        if stale >= POLICY.resample_stale:
            break
    stats["resamples"] = made
    if run.sampling.completions_skipped:
        stats["resample_completions_skipped"] = run.sampling.completions_skipped
    return first, seating


def _polish(run: Run, first: Solution, seating: Seating, stats: SolveStats) -> Solution:
    """The best timetable (a first one, whose students were placed greedily only, or a
    round's): place its students again on its lesson times with the search
    (neighbourhoods), in the time left, and keep whichever is better: the rounds' lesson
    searches ran out of time on a 1,732-student federation at 120 s, and its greedy
    placement was the answer, with 10 s left unused. The search starts from the
    timetable's own placement (and its seed): from a new greedy placement with the run's
    seed, the 600-student regression school's polish started 3% worse than the first
    timetable kept and never caught up (objective 1,397,573 against 1,356,171).
    (Reserving 15% of the limit for this, taken from the lesson searches, was tried on six
    schools: better on some, worse on others, within the run-to-run spread; BENCHMARKS.md,
    thirteenth session.)"""
    left = run.deadline - clock_now()
    if left < POLICY.polish_min_s:
        return first
    stats["polished"] = True
    placed = {s: set(row.values()) for s, row in _seated(first, {}).items()}
    again = section_round(
        run.school,
        seating.timed,
        seating.planned,
        seating.not_run,
        seating.prefer,
        replace(run.opts, seed=seating.seed),
        run.prog,
        left,
        run.interrupted,
        stats,
        run.started,
        deadline=run.deadline,
        start=placed,
        optional=True,
    )
    return again if again.groups and _better(again, first) else first


def _better(new: Solution | None, old: Solution | None) -> bool:
    """Whether ``new`` is a timetable to keep over ``old`` (None: no timetable): a lower
    objective, or any timetable over none."""
    return new is not None and (old is None or (new.objective or 0) < (old.objective or 0))


def _all_met(solution: Solution) -> bool:
    """Every core request met and every option quota filled: nothing left to improve but
    ranks and idle periods."""
    terms = solution.objective_terms or {}
    return terms.get("core_unmet", 0) == 0 and terms.get("option_shortfall", 0) == 0


def unstaffed_reasons(school: School, planned, staffing) -> dict[str, str]:
    """Course id -> why a group of it could not be staffed, in the school's words."""
    course_of = {g.id: g.course for g in planned}
    out: dict[str, str] = {}
    for gid in staffing.unstaffed:
        course = school.course_by_id[course_of[gid]]
        who = ", ".join(school.eligible_staff(course))
        out[course.id] = (
            f"{course.label} could not be staffed: the staff who may teach it ({who}) "
            + (
                f"are not free on {len(course.lessons)} different days for its lessons"
                if gid in staffing.unfit
                else "have no free periods left within their max_periods and availability"
            )
        )
    return out


def _learn(school: School, result: Solution, timed, learned: dict[tuple[str, str], int]) -> bool:
    """Raise the cost of overlaps that left requests unmet. True if anything was learnt.

    For every unmet request, each placed group of that course (running or not) that
    overlaps one of the student's groups makes that pair of groups dearer to overlap in
    the next round.
    """
    slots_of = {g.id: g.slots for g in timed}
    by_course: dict[str, list[str]] = {}
    for g in timed:
        by_course.setdefault(g.course, []).append(g.id)
    mine: dict[str, list[str]] = {}
    for g in result.groups:
        for st in g.students:
            mine.setdefault(st, []).append(result.planned_id(g.id))
    weight_of = {"core": 10, "option": 3, "alternate": 1}
    changed = False
    for o in result.outcomes:
        if o.status.value != "unmet":
            continue
        for gid in by_course.get(o.course, []):
            for other in mine.get(o.student, []):
                if other in slots_of and slots_of[other] & slots_of[gid]:
                    key = (min(gid, other), max(gid, other))
                    learned[key] = learned.get(key, 0) + weight_of.get(o.type, 1)
                    changed = True
    return changed


def timetable_model(
    school,
    planned,
    staff_of,
    learned,
    tentative,
    strictness,
    blocks,
    stats,
) -> tuple[TimetableModel, list[Term]]:
    """The timetable phase's model: every rule family's part and objective terms."""
    build0 = time.monotonic()
    family = make_rules()
    tm = TimetableModel(school, planned, staff_of)
    tm.learned = learned
    tm.tentative = tentative
    tm.tentative_hard = strictness or Strictness.CORE
    tm.blocks = [list(b) for b in blocks]
    for rule in family:
        rule.restrict_timetable(tm)
    tm.make_variables()
    t_terms: list[Term] = []
    for rule in family:
        t_terms.extend(rule.timetable(tm))
    set_objective(tm.model, t_terms)
    stats["timetable_build_s"] = round(time.monotonic() - build0, 2)
    CLOCK[0].charge_build(
        len(tm.model.proto.variables), len(tm.model.proto.constraints), "build_timetable"
    )
    return tm, t_terms


def _timetable_round(
    school,
    planned,
    staff_of,
    learned,
    hint,
    opts,
    prog,
    budget,
    interrupted,
    stats,
    rounds,
    tentative,
    strictness=None,
    blocks=(),
    optimise_until=None,
    beside_first=False,
    draft=False,
):
    """Place every planned group's lessons. Returns (timed groups, reasons), a failed
    Solution, or None when no complete placement keeps the provisional placement's
    students clash-free (the caller then retries without it). ``beside_first``: a first
    timetable is in hand and the strict rungs failed (``TimePolicy.look``). ``draft``:
    no timetable yet: a complete placement is returned as it is, to be seated at once,
    not optimised first."""
    tm, t_terms = timetable_model(
        school, planned, staff_of, learned, tentative, strictness, blocks, stats
    )
    prog.update(phase=f"placing lessons (round {rounds})", objective=None, bound=None, met=None)
    spent = clock_now()
    look = POLICY.look(strictness, bool(blocks), budget, len(school.students), beside_first)
    if not hint:
        t0 = time.monotonic()
        hint = place_everything(tm, opts, look, interrupted, prog)
        key = f"feasibility_{strictness or 'estimate'}{'_blocks' if blocks else ''}_s"
        stats[key] = round(time.monotonic() - t0, 1)
        stats["timetable_all_placed"] = bool(hint)
        if not hint and (tentative is not None or blocks) and not interrupted[0]:
            return None
    if hint and draft:
        # No timetable yet: the students are placed on this placement at once (FET's
        # TelPolytech_even spent 83 s optimising its soft rules before any student was
        # placed); without --first, the next round optimises it.
        stats["timetable_from"] = "complete placement (no timetable yet: not optimised)"
        return timed_from_runs(school, planned, staff_of, tm, hint, stats)
    if hint:
        # Every group could be placed: keep it so, and start from that placement.
        for gid, runs in hint.items():
            tm.model.add(tm.placed[gid] == 1)
            for per_lesson, run in zip(tm.place.get(gid, []), runs):
                if run in per_lesson:
                    tm.model.add_hint(per_lesson[run], 1)
    cb = _Callback(prog, None)
    rest = budget - (clock_now() - spent)
    if optimise_until is not None and hint:
        # A complete placement is in hand: improving it yields to the students' phase.
        rest = min(rest, optimise_until - clock_now())
    if beside_first and hint:
        # The "year" rung's placement beside a first timetable: a short optimisation.
        rest = min(rest, POLICY.optimise_beside_first(look))
        stats["optimised_beside_first_s"] = round(max(1.0, rest), 1)
    rest = max(1.0, rest)
    solver, status = run_search(tm.model, rest, opts, cb, interrupted, lambda: prog.update())
    stats["timetable_status"] = solver.status_name(status)
    stats["timetable_s"] = round(stats.get("timetable_s", 0) + solver.wall_time, 2)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if status == cp_model.INFEASIBLE:
            why = diagnose_timetable(school, planned, staff_of, opts)
            return failed_solution(school, Status.INFEASIBLE, why, time.monotonic())
        if hint:
            # The optimising search found nothing in its time (seen with one thread on
            # 300 students: the complete placement came in 1.7 s, then nothing in 19 s),
            # but the complete placement it started from is a timetable: keep it.
            stats["timetable_from"] = (
                "complete placement (the optimising search found nothing better in time)"
            )
            return timed_from_runs(school, planned, staff_of, tm, hint, stats)
        if interrupted[0]:
            return replace(
                failed_solution(
                    school,
                    Status.UNKNOWN,
                    ["stopped (Ctrl-C) before any timetable was found"],
                    time.monotonic(),
                ),
                interrupted=True,
            )
        reason = "no timetable was found within the time limit; try a longer --time-limit"
        if school.hard_rules:
            reason += (
                ", or `pathways explain` on the workbook for the hard Rules rows that "
                "stand in the way"
            )
        return failed_solution(school, Status.UNKNOWN, [reason], time.monotonic())
    runs = runs_of(tm, tm.model, solver)
    timed, not_run = timed_from_runs(school, planned, staff_of, tm, runs, stats)
    for t in t_terms:
        stats[f"timetable_{t.name}"] = _value(solver, t.expr)
    return timed, not_run


def timed_from_runs(school, planned, staff_of, tm, runs, stats):
    """Timed groups from known runs per group (a complete placement); groups without
    runs are not run, with their reason."""
    not_run = {
        g.course: unplaced_reason(school, g, tm, staff_of[g.id])
        for g in planned
        if g.id not in runs
    }
    timed = tuple(
        TimedGroup(
            id=g.id,
            course=g.course,
            number=g.number,
            lessons=tuple(TimedLesson(run) for run in runs[g.id]),
            staff=staff_of[g.id],
            required=g.required,
        )
        for g in planned
        if g.id in runs
    )
    return timed, not_run


def _hint_runs(tm: TimetableModel, trial: cp_model.CpModel, runs: dict[str, tuple]) -> None:
    """Hint a (partial) placement to a clone of ``tm.model``."""
    for gid, chosen in runs.items():
        trial.add_hint(trial.get_bool_var_from_proto_index(tm.placed[gid].index), 1)
        for per, run in zip(tm.place[gid], chosen):
            for r, v in per.items():
                trial.add_hint(trial.get_bool_var_from_proto_index(v.index), r == run)


def fix_value(variable, value: int) -> bool:
    """Fix a model variable (its proto) to ``value`` in place, if its domain allows it;
    False (and unchanged) otherwise. Cheaper than a constraint: no presolve needed."""
    d = variable.domain
    if not any(d[k] <= value <= d[k + 1] for k in range(0, len(d), 2)):
        return False
    d.clear()
    d.extend([value, value])
    return True


def holds(
    tm: TimetableModel,
    runs: dict[str, tuple],
    opts: SolveOptions,
    interrupted: list[bool],
    prog: Progress,
) -> bool:
    """Whether a placement (groups not in it unplaced) keeps every rule of ``tm.model``:
    every placement variable fixed, the rest is propagation (no presolve)."""
    trial = _fixed_placement(tm, runs)
    if trial is None:
        return False
    _, status = run_search(
        trial,
        POLICY.holds_check(len(tm.groups)),
        opts,
        None,
        interrupted,
        lambda: prog.update(),
        presolve=False,
        kind="check",
    )
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _fixed_placement(tm: TimetableModel, runs: dict[str, tuple]) -> cp_model.CpModel | None:
    """A clone of ``tm.model`` without its objective, every placement variable fixed to
    ``runs`` (groups not in it unplaced); None where a variable's domain forbids it."""
    trial = tm.model.clone()
    trial.clear_objective()
    variables = trial.proto.variables
    for g in tm.groups:
        chosen = runs.get(g.id)
        if not fix_value(variables[tm.placed[g.id].index], int(chosen is not None)):
            return None
        for li, per in enumerate(tm.place[g.id]):
            for run, v in per.items():
                if not fix_value(variables[v.index], int(chosen is not None and chosen[li] == run)):
                    return None
    return trial


def _every_group_placed(tm: TimetableModel) -> cp_model.CpModel:
    """A clone of ``tm.model`` without its objective, every group placed."""
    trial = tm.model.clone()
    trial.clear_objective()
    for v in tm.placed.values():
        trial.add(trial.get_bool_var_from_proto_index(v.index) == 1)
    return trial


def _with_rows(tm: TimetableModel, rows) -> tuple[TimetableModel, list[Term]]:
    """``tm``'s model (its groups, staffing, provisional placement and blocks) built again
    with these Rules rows in place of the school's."""
    return timetable_model(
        replace(tm.school, time_rules=rows),
        tm.groups,
        tm.staff_of,
        tm.learned,
        tm.tentative,
        tm.tentative_hard,
        tm.blocks,
        {},
    )


def place_everything(
    tm: TimetableModel,
    opts: SolveOptions,
    budget: float,
    interrupted: list[bool],
    prog: Progress,
    hint: dict[str, tuple] | None = None,
) -> dict[str, tuple]:
    """Look for a placement of every planned group, ignoring the objective.

    With the objective's heavy penalties for unplaced groups, CP-SAT's search first
    wanders among partial timetables; a pure feasibility search finds a complete one far
    sooner (measured: 2.7 s against none in 27 s on the 300-student all-through example).
    Where staff gaps are ruled hard, a share of the time first goes to a placement with
    the gaps counted instead (``_gaps_last``; ``tm.found_with_gaps_counted`` when that
    gives the answer). Returns the runs of each group's lessons, or {} if none was found
    in time.
    """
    began = clock_now()
    if _hard_gap_rows(tm.school):
        found, near = _gaps_last(tm, opts, budget * POLICY.gaps_last_share, interrupted, prog, hint)
        if found:
            tm.found_with_gaps_counted = True
            return found
        hint = near or hint  # complete, a few gaps over: a better start than a partial one
        budget = max(0.5, budget - (clock_now() - began))
    trial = _every_group_placed(tm)
    if hint:
        _hint_runs(tm, trial, hint)
    solver, status = run_search(
        trial, budget, opts, _Callback(prog, None), interrupted, lambda: prog.update()
    )
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        tm.proven_incomplete = status == cp_model.INFEASIBLE
        return {}
    return runs_of(tm, trial, solver)


#: Rows whose hard limit a complete placement is searched without first (``_gaps_last``).
GAP_KINDS = ("staff_max_gaps_week", "staff_max_gaps_day")


def _hard_gap_rows(school: School) -> bool:
    return any(r.hard for r in school.rules_of(*GAP_KINDS))


def _gaps_last(
    tm: TimetableModel,
    opts: SolveOptions,
    budget: float,
    interrupted: list[bool],
    prog: Progress,
    hint: dict[str, tuple] | None,
) -> tuple[dict[str, tuple], dict[str, tuple]]:
    """A complete placement with staff gaps counted, not ruled: the same model with the
    school's hard staff-gap rows soft (weight 1; its soft ones left out, they are no part
    of a placement's feasibility), every group placed, the gaps over the limits minimised.
    At none over, it keeps every rule of ``tm`` (checked). Returns (that placement or {},
    the best complete placement found, gaps over or not, or {}).

    Where teachers may have few gaps, the search for a placement that keeps them from the
    start wanders long: on FET's dgspro200809 (26 teachers' max gaps a week) CP-SAT
    completed a greedy placement in 24-42 s, and with the gaps counted it reached none
    over in 2.7 s; on Vartholomio 2008-2009 (max gaps 1 a day and 3 a week) none of three
    seeds completed in 40 s, counted: none over at 21.7 s.
    """
    school = tm.school
    rows = tuple(
        replace(r, weight=1) if r.kind in GAP_KINDS else r
        for r in school.time_rules
        if r.kind not in GAP_KINDS or r.hard
    )
    counted, terms = _with_rows(tm, rows)
    names = {f"rule_{k}" for k in GAP_KINDS}  # the objective terms of those rows
    over = [t.expr for t in terms if t.name in names]
    if not over:
        return {}, {}
    trial = _every_group_placed(counted)
    trial.minimize(sum(over))
    if hint:
        _hint_runs(counted, trial, hint)
    solver, status = run_search(
        trial, budget, opts, _Callback(prog, None), interrupted, lambda: prog.update()
    )
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}, {}
    runs = runs_of(counted, trial, solver)
    if solver.objective_value == 0 and holds(tm, runs, opts, interrupted, prog):
        return runs, runs
    return {}, runs


def rules_in_the_way(
    tm: TimetableModel,
    opts: SolveOptions,
    budget: float,
    interrupted: list[bool],
    prog: Progress,
    hint: dict[str, tuple] | None = None,
) -> dict:
    """Which of the Rules sheet's hard rows stand in the way of a complete placement
    (``pathways explain``; issue 12's "never stuck silently" where no timetable comes in
    time). Three searches on ``tm``'s groups, each part of ``budget``:

    1. every group placed under every hard rule but the Rules sheet's rows (``core``);
    2. that placement completed to every variable of the model with the hard rows made
       soft (weight 1): a whole start, which CP-SAT takes at once (given only the
       placement as a hint, it found no start in 60 s on FET's Bethlen-2008-2009);
    3. from there, the rows' excess minimised: the nearest placement found.

    Returns a JSON-ready dict: ``core_placed`` (step 1 found one), ``core_s``,
    ``searched_s``, ``over_total`` (the nearest placement's excess, summed; 0: it keeps
    every row) and ``rows``: each row it breaks (``index`` in ``school.time_rules``,
    ``row``, ``where``, ``kind``, ``over``: by how much; ``whom``: [person, how much]
    where the row's excess is a person's), most broken first. On FET's
    Bethlen-2008-2009 (521 groups, 242 hard rows), the first timetable's model: a
    placement without the rows in 0.9-20 s, the nearest one with them 3 over after 80 s
    (liceo-scientifico: 1 over at 116 s; 8th-highschool 21).
    """
    began = clock_now()
    school = tm.school
    # Numbered by position, so that every row's terms are told apart (rows built in code
    # have no sheet row); the soft rows left out of every model here: none is part of
    # feasibility.
    rows = {i: r for i, r in enumerate(school.time_rules) if r.hard}
    out: dict = {"rows_hard": len(rows), "core_placed": False, "rows": []}

    def search(model: cp_model.CpModel, seconds: float):
        return run_search(
            model, max(0.5, seconds), opts, _Callback(prog, None), interrupted, prog.update
        )

    core, _ = _with_rows(tm, ())
    trial = _every_group_placed(core)
    if hint:
        _hint_runs(core, trial, hint)
    solver, status = search(trial, budget * POLICY.rules_core_share)
    out["core_s"] = round(clock_now() - began, 1)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        out["core_proven_impossible"] = status == cp_model.INFEASIBLE
        return out
    out["core_placed"] = True
    placement = runs_of(core, trial, solver)
    counted, terms = _with_rows(tm, tuple(replace(r, weight=1, row=i) for i, r in rows.items()))
    fixed = _fixed_placement(counted, placement)
    if fixed is None:
        return out  # a run the rows' model does not have (not met so far)
    left = budget - (clock_now() - began)
    solver, status = search(fixed, left * POLICY.rules_complete_share)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return out  # the placement's other variables not found in time
    start = [
        solver.value(fixed.get_int_var_from_proto_index(i))
        for i in range(len(fixed.proto.variables))
    ]
    mine = [t for t in terms if t.row in rows and t.name.startswith("rule_")]
    trial = _every_group_placed(counted)
    trial.minimize(sum(t.expr for t in mine))
    for i, value in enumerate(start):
        trial.add_hint(trial.get_int_var_from_proto_index(i), value)
    solver, status = search(trial, budget - (clock_now() - began))
    out["searched_s"] = round(clock_now() - began, 1)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return out
    over: Counter[int] = Counter()
    whom: dict[int, Counter[str]] = {}
    for t in mine:
        assert t.row is not None
        n = int(solver.value(t.expr))
        over[t.row] += n
        if n and t.who:
            whom.setdefault(t.row, Counter())[t.who] += n
    out["over_total"] = sum(over.values())
    out["rows"] = [
        {
            "index": i,
            "row": rows[i].row,
            "where": rows[i].where,
            "kind": rows[i].kind,
            "over": n,
            "whom": sorted(whom.get(i, {}).items(), key=lambda x: (-x[1], x[0])),
        }
        for i, n in sorted(over.items(), key=lambda x: (-x[1], x[0]))
        if n > 0
    ]
    return out


def runs_of(
    tm: TimetableModel,
    trial: cp_model.CpModel,
    solver: cp_model.CpSolver,
) -> dict[str, tuple]:
    """The runs of every placed group's lessons in a solved ``tm.model`` or a clone of
    it (``trial``)."""

    def on(v) -> bool:
        return solver.boolean_value(trial.get_bool_var_from_proto_index(v.index))

    return {
        gid: tuple(next(run for run, v in per.items() if on(v)) for per in lessons)
        for gid, lessons in tm.place.items()
        if on(tm.placed[gid])
    }


def _place_most(
    tm: TimetableModel,
    opts: SolveOptions,
    budget: float,
    interrupted: list[bool],
    prog: Progress,
    hint: dict[str, tuple] | None = None,
) -> dict[str, tuple]:
    """When the hard rules alone leave some groups without times: place as many as they
    allow (a course's first group worth most), ignoring every other objective.

    On a 600-student school whose part-time Maths staff could not hold three groups'
    lessons, every rung's search for a complete placement failed in under a second and
    the solve fell to its loosest rung (86% of core requests met); placing the others
    and keeping students' groups apart among them is what the ladder needs.
    """
    trial = tm.model.clone()
    trial.clear_objective()
    placed = [
        (10**g.priority, trial.get_bool_var_from_proto_index(tm.placed[g.id].index))
        for g in tm.groups
    ]
    trial.maximize(sum(w * v for w, v in placed))
    if hint:
        _hint_runs(tm, trial, hint)
    solver, status = run_search(
        trial, budget, opts, _Callback(prog, None), interrupted, lambda: prog.update()
    )
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}
    return runs_of(tm, trial, solver)


def section_round(
    school,
    timed,
    planned,
    not_run,
    prefer,
    opts,
    prog,
    budget,
    interrupted,
    stats,
    started,
    deadline=None,
    quick=False,
    start=None,
    previous=None,
    to_beat=None,
    optional=False,
) -> Solution:
    """Place students, rooms and tutor groups on fixed times; extract a Solution
    (:func:`_seat_students`), judged by the independent checker's hard rules: a search
    stopped short may leave students of fixed classes out of their groups, which breaks
    their rules that the lesson times kept (on FET's MED_2019-20-1 a 2.3 s search left
    276 requests unmet and 33 students' gaps broken, and the solve wrote it). Such a
    placement is no timetable (``students_search_broke`` in ``stats``); the greedy one
    (``quick``, or a re-solve's) is judged the same way where it is made."""
    found = _seat_students(
        school,
        timed,
        planned,
        not_run,
        prefer,
        opts,
        prog,
        budget,
        interrupted,
        stats,
        started,
        deadline,
        quick,
        start,
        previous,
        to_beat,
        optional,
    )
    if quick or not found.groups:
        return found
    broken = hard_broken(school, found)
    if not broken:
        return found
    stats["students_search_broke"] = stats.get("students_search_broke", 0) + 1
    log.info("a students' placement breaks %d rule(s) and is dropped", len(broken))
    why = [f"the students' placement found breaks a hard rule: {broken[0].message}"]
    return failed_solution(school, Status.UNKNOWN, why, started).with_stats(stats)


def hard_broken(school: School, solution: Solution) -> list:
    """The independent checker's hard violations of a placement (a soft Rules row of a
    hard family, with a weight, may be broken)."""
    return [v for v in rule_violations(school, solution, HARD_RULES) if v.hard]


def _seat_students(
    school,
    timed,
    planned,
    not_run,
    prefer,
    opts,
    prog,
    budget,
    interrupted,
    stats,
    started,
    deadline=None,
    quick=False,
    start=None,
    previous=None,
    to_beat=None,
    optional=False,
) -> Solution:
    """Place students, rooms and tutor groups on fixed times; extract a Solution.

    ``quick``: the greedy placement only (the solve's first timetable), no search.
    ``to_beat``: a timetable whose students were placed greedily too; when the greedy
    placement on these times is worse, the search is not run (``stats`` says
    ``section_abandoned``) and the greedy one is returned, leaving the time.
    ``start`` and ``previous`` (re-solving: students' published groups, and the
    published rooms and tutor groups, :class:`scheduler.solver.resolve.Published`): kept
    where they still fit, groups keep their ids, and only the greedy placement runs.
    ``optional`` (the polish of a timetable in hand): given up, with no timetable, when
    the build and greedy placement leave too little before ``deadline`` to score that
    placement and search from it (a 3,000-student school's polish, started 19.5 s before
    the end, built for 12.6 s and scored for 9.3, and the solve ended 5 s past its limit)."""
    build1, wall1 = clock_now(), time.monotonic()
    family = make_rules()
    sm = SectionModel(school, timed)
    sm.model_idle = len(school.students) * school.calendar.num_slots <= IDLE_MODEL_LIMIT
    sm.travel_limit = TRAVEL_MODEL_LIMIT  # (a quick build leaves travel out altogether)
    sm.variables_only = quick
    if previous is not None:
        sm.previous_rooms, sm.previous_tutors = previous.rooms, previous.tutors
        sm.asked_to_change = previous.asked
    for rule in family:
        rule.restrict_section(sm)
    sm.make_variables()
    s_terms: list[Term] = []
    for rule in family:
        if not (quick and rule.name in FIRST_UNMODELLED):
            s_terms.extend(rule.section(sm))
    if previous is not None and previous.keep_rooms:
        # --keep rooms: a lesson still at its published time keeps its published room.
        for key, room in previous.rooms.items():
            options = sm.room.get(key)
            if options and room in options:
                for r in [r for r in options if r != room]:
                    sm.model.add(options.pop(r) == 0)
    set_objective(sm.model, s_terms)
    clock = CLOCK[0]
    clock.charge_build(
        len(sm.model.proto.variables), len(sm.model.proto.constraints), "build_section"
    )
    students = len(school.students)
    greedy_s = POLICY.greedy_sections(students, budget)
    nodes = [0]
    greedy = greedy_sections(
        sm,
        opts.seed,
        prefer,
        greedy_s,
        clock.greedy_nodes(greedy_s) if clock.deterministic else None,
        nodes,
        start,
    )
    clock.charge(nodes[0] / GREEDY_NODES_PER_SECOND, "greedy_students")
    rooms, tutors = seat_rooms_and_tutors(
        sm, greedy, opts.seed, opts.workers, POLICY.room_hint(budget), clock
    )
    # Decided before the students' travel is added, which a polish given up never reads.
    give_up = (
        optional
        and deadline is not None
        and deadline - clock_now() < POLICY.baseline_check(students, 0.0) + POLICY.polish_min_s
    )
    if sm.travel_too_large and not give_up:
        # The students' travel, exact only with each lesson on its greedy room's site.
        travel_on_sites(sm, rooms)
        stats["students_travel_on_sites"] = True
    stats["section_build_s"] = round(time.monotonic() - wall1, 2)
    if give_up:
        stats["polish_given_up"] = True
        why = ["no time was left to place the students again"]
        return failed_solution(school, Status.UNKNOWN, why, started).with_stats(stats)
    if quick:
        return _greedy_timetable(
            school,
            sm,
            greedy,
            rooms,
            tutors,
            planned,
            not_run,
            stats,
            started,
            interrupted,
            previous,
        )
    hint_placement(sm, greedy, rooms, tutors)
    prog.update(phase="placing students", objective=None, bound=None)

    def left() -> float:
        return budget - (clock_now() - build1)

    # The greedy placement, scored exactly by the model itself: a baseline to beat, and the
    # solve's first timetable. Its check gets the time it needs even when the budget is
    # spent (on 2,000 students at 60 s, 1 s was left and no timetable came out at all).
    baseline = fixed_to_hint(
        sm.model, opts, interrupted, prog, POLICY.baseline_check(len(school.students), left())
    )
    baseline_solution = None
    extract_s = 0.0
    if baseline is not None:
        t0 = clock_now()
        baseline_solution = _extract(
            school,
            sm,
            baseline,
            s_terms,
            planned,
            not_run,
            SolveStats(stats),
            started,
            interrupted[0],
            stable_ids=previous is not None,
        )
        # Every decision was fixed: that search's bound says nothing of the whole problem.
        baseline_solution = replace(baseline_solution, bound=None)
        extract_s = clock_now() - t0
        stats["greedy_objective"] = baseline_solution.objective
        if "time_to_first_s" not in stats:
            stats["time_to_first_s"] = round(time.monotonic() - started, 2)
    if (
        to_beat is not None
        and baseline_solution is not None
        and _better(to_beat, baseline_solution)
    ):
        stats["section_abandoned"] = True
        return baseline_solution.with_stats(stats)
    # Keep time to turn the search's answer into a timetable, as long as the greedy's took.
    rest = left() - extract_s
    if deadline is not None:
        after = deadline - clock_now() - extract_s - rest
        if after < _round_cost(stats, opts):
            # No time for another round after this one: search with all that is left.
            rest += max(0.0, after)
    if baseline_solution is not None and rest < 1.0:
        return baseline_solution.with_stats(stats)
    rest = max(1.0, rest)
    if baseline is not None and len(school.students) >= NEIGHBOURHOODS_FROM:
        return _improve(
            school,
            sm,
            baseline,
            baseline_solution,
            s_terms,
            planned,
            not_run,
            opts,
            prog,
            rest,
            interrupted,
            stats,
            started,
        )
    cb = _Callback(prog, list(sm.met.values()))
    solver, status = run_search(
        sm.model, rest, opts, cb, interrupted, lambda: prog.update(), kind="section"
    )
    stats["section_status"] = solver.status_name(status)
    stats["section_s"] = round(stats.get("section_s", 0) + solver.wall_time, 2)
    if cb.first_at is not None and "time_to_first_s" not in stats:
        stats["time_to_first_s"] = round(
            time.monotonic() - started - solver.wall_time + cb.first_at, 2
        )
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if baseline_solution is not None:
            return baseline_solution.with_stats(stats)
        proven = status == cp_model.INFEASIBLE and _infeasible_at_any_times(
            school, timed, planned, opts, interrupted
        )
        if proven:
            why = [
                (
                    "students could not be placed: the fixed sections counts, group sizes "
                    "and tutor-group rules cannot all be met, whatever the lesson times"
                )
            ]
        elif status == cp_model.INFEASIBLE:
            # A verdict on these lesson times only: another timetable may seat everyone.
            stats["section_times_infeasible"] = True
            why = [
                (
                    "students could not be placed on the lesson times found: a fixed "
                    "sections count, group size or tutor-group rule cannot be met with them "
                    "(another timetable may allow it; a longer time limit gives more tries)"
                )
            ]
        else:
            why = ["students could not be placed: no placement was found within the time limit"]
        failed = failed_solution(
            school, Status.INFEASIBLE if proven else Status.UNKNOWN, why, started
        )
        return failed.with_stats(stats)
    found = _extract(
        school, sm, solver, s_terms, planned, not_run, SolveStats(stats), started, interrupted[0]
    )
    if baseline_solution is not None and (baseline_solution.objective or 0) < (
        found.objective or 0
    ):
        return baseline_solution.with_stats(stats)
    return found


#: The rule families of the students' phase that do not depend on lesson times.
TIME_FREE_RULES = ("tutor_groups", "requests", "group_sizes")


def _infeasible_at_any_times(school, timed, planned, opts, interrupted) -> bool:
    """Whether the students' phase is infeasible whatever the lesson times: its rules
    that do not read times (group sizes, fixed sections counts, tutor groups), for every
    planned group, already cannot hold together. A relaxation of the students' phase on
    any timetable of these groups, so INFEASIBLE here proves the school infeasible; a
    group the timetable left out, or an unproven search, proves nothing."""
    if {g.id for g in timed} != {g.id for g in planned}:
        return False
    family = [r for r in make_rules() if r.name in TIME_FREE_RULES]
    sm = SectionModel(school, timed)
    for rule in family:
        rule.restrict_section(sm)
    sm.make_variables()
    for rule in family:
        rule.section(sm)
    _, status = run_search(
        sm.model, POLICY.time_free_proof_s, opts, None, interrupted, lambda: None, kind="proof"
    )
    return status == cp_model.INFEASIBLE


def _greedy_timetable(
    school, sm, chosen, rooms, tutors, planned, not_run, stats, started, interrupted, previous
) -> Solution:
    """The greedy placement as it stands (the solve's first timetable, or a re-solve's
    students kept where they were): judged and scored by the independent checker rather
    than by the section model with every variable fixed (on 3,000 students hinting and
    checking that model took 5.6 s of a first timetable's 18). A placement that breaks a
    hard rule is no timetable."""
    members: dict[str, set[str]] = {g.id: set() for g in sm.groups}
    for student, gids in chosen.items():
        for gid in gids:
            members[gid].add(student)
    solution = _assemble(
        school,
        sm,
        members,
        rooms,
        tutors,
        None,
        planned,
        not_run,
        SolveStats(stats),
        started,
        interrupted[0],
        stable_ids=previous is not None,
    )
    broken = hard_broken(school, solution)
    if broken:
        stats["greedy_students_broke"] = stats.get("greedy_students_broke", 0) + 1
        # Not a warning: the solve drops this placement and goes on (a reseat's students
        # placed again can leave a fixed-sections group empty); without any timetable in
        # the end, the explanation says why.
        log.info(
            "a greedy student placement breaks %d rule(s) and is dropped, e.g. %s",
            len(broken),
            broken[0].message,
        )
        return failed_solution(school, Status.UNKNOWN, [broken[0].message], started)
    stats["greedy_objective"] = solution.objective
    if "time_to_first_s" not in stats:
        stats["time_to_first_s"] = round(time.monotonic() - started, 2)
    return solution.with_stats(stats)


def _improve(
    school,
    sm,
    baseline,
    baseline_solution,
    s_terms,
    planned,
    not_run,
    opts,
    prog,
    budget,
    interrupted,
    stats,
    started,
) -> Solution:
    """Improve the greedy placement a neighbourhood at a time (:mod:`scheduler.solver.neighbourhoods`)."""
    prog.update(
        phase="improving student placements", objective=baseline.objective_value, bound=None
    )
    met = list(sm.met.values())

    def search(model, limit):
        # No progress callback: a neighbourhood's bound is not the placement's.
        return run_search(
            model,
            limit,
            opts,
            None,
            interrupted,
            lambda: prog.update(),
            presolve=False,
            kind="neighbourhood",
        )

    def on_better(solver):
        prog.update(objective=solver.objective_value, met=sum(solver.value(v) for v in met))

    t0 = time.monotonic()
    best, figures = improve_sections(
        sm, baseline, search, budget, opts.seed, lambda: interrupted[0], on_better, CLOCK[0]
    )
    stats.update(figures)
    stats["section_status"] = "FEASIBLE"
    stats["section_s"] = round(stats.get("section_s", 0) + time.monotonic() - t0, 2)
    if best is baseline:
        # Nothing better: the greedy placement, already extracted (2 s on 2,000 students).
        found = replace(baseline_solution.with_stats(stats), interrupted=interrupted[0])
    else:
        found = _extract(
            school, sm, best, s_terms, planned, not_run, SolveStats(stats), started, interrupted[0]
        )
    # A neighbourhood's bound says nothing about the whole placement: no bound is known.
    return replace(found, bound=None)


def fixed_to_hint(
    model: cp_model.CpModel,
    opts: SolveOptions,
    interrupted: list[bool],
    prog: Progress,
    limit: float = 20.0,
) -> cp_model.CpSolver | None:
    """Solve the model with every hinted variable fixed to its hint (fast: all propagation).

    Returns the solver holding that solution, or None if the hint breaks a rule.
    """
    fixed = model.clone()
    hint = fixed.proto.solution_hint
    variables = fixed.proto.variables
    for i, value in zip(hint.vars, hint.values):
        if not fix_value(variables[i], value):
            return None  # the hint lies outside what the model allows
    # Presolve off: every decision is fixed, so the search is propagation alone, while
    # presolving the whole model took over 15 s on a 1,500-student federation (travel).
    solver, status = run_search(
        fixed,
        limit,
        opts,
        _Callback(prog, None),
        interrupted,
        lambda: prog.update(),
        presolve=False,
        kind="check",
    )
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solver
    return None


def report_not_run(final: SolveStats, planned, timed, unstaffed, not_run: dict) -> None:
    """summary.json's account of the planned groups the kept timetable does not run:
    ``groups_unplaced(_why)`` (staffed, no times) and ``groups_unstaffed(_why)`` (nobody
    could teach them), ids and by course with why (``not_run``: reasons by course);
    ``groups_spare_unstaffed``: the ids of spare groups nobody could teach.

    Written once, where a solve keeps its timetable (the end of a solve or a re-solve):
    each placement tried wrote its own before, and which of interchangeable groups a
    placement leaves out is its choice (the first timetable proved one of two sciences
    impossible and left out Chemistry; the kept one left out Physics)."""
    ran = {t.id for t in timed}
    left = [g.id for g in planned if g.id not in ran]
    final["groups_unplaced"] = left
    final["groups_unplaced_why"] = not_placed(left, planned, not_run)
    # A spare group (PlannedGroup.spare) that nobody is free to teach is no shortage:
    # counted, not named as one.
    spare = [g.id for g in unstaffed if g.spare]
    short = [g for g in unstaffed if not g.spare]
    if short:
        ids = [g.id for g in short]
        final["groups_unstaffed"] = ids
        final["groups_unstaffed_why"] = not_placed(ids, (*planned, *short), not_run)
    if spare:
        final["groups_spare_unstaffed"] = spare


def not_placed(ids, planned, reasons: dict[str, str]) -> list[dict]:
    """The groups ``ids`` of ``planned`` that do not run, by course: how many of the
    course's planned groups, and why in the school's words (``reasons``, by course), for
    summary.json and the terminal (group ids are renumbered as they come out, so a
    planned id would name another group)."""
    out = set(ids)
    of = Counter(g.course for g in planned)
    left = Counter(g.course for g in planned if g.id in out)
    return [
        {
            "course": c,
            "groups": n,
            "of": of[c],
            "reason": reasons.get(c) or f"{c}: no times could be found for it",
        }
        for c, n in sorted(left.items())
    ]


def unplaced_reason(school: School, g, tm: TimetableModel, staff: tuple[str, ...]) -> str:
    """Why a planned group got no times, in the school's words."""
    course = school.course_by_id[g.course]
    empty = [li for li, opts_ in enumerate(tm.place[g.id]) if not opts_]
    who = ", ".join(staff)
    if empty:
        length = g.lessons[empty[0]].length
        return (
            f"{course.label} could not be timetabled: no run of {length} free period(s) "
            f"where its staff ({who}), a suitable room and its students are all free"
        )
    days = {school.calendar.slots[t].day for t in tm.slots_of(g.id)}
    if len(days) < len(g.lessons) <= school.calendar.num_days:
        return (
            f"{course.label} could not be timetabled: its {len(g.lessons)} lessons need "
            f"different days but its staff ({who}) and rooms are free together on only "
            f"{len(days)} day(s) ({', '.join(sorted(days))})"
        )
    # What holds of this timetable, not of the school: whether the hard rules could
    # place every group is said apart (``groups_impossible``).
    return (
        f"{course.label} got no times in this timetable: its staff ({who}) and suitable "
        f"rooms are taken by other groups whenever it could meet"
    )


def _extract(
    school, sm, solver, terms, planned, not_run, stats, started, interrupted, stable_ids=False
) -> Solution:
    """Turn the section phase's values into a domain Solution (the only place that reads
    them; :func:`_assemble` builds the Solution)."""
    members: dict[str, set[str]] = {g.id: set() for g in sm.groups}
    for student, row in sm.take.items():
        for gid, v in row.items():
            if solver.value(v):
                members[gid].add(student)
    rooms = {
        key: r for key, options in sm.room.items() for r, v in options.items() if solver.value(v)
    }
    tutor_of = {
        s: next(tg for tg, v in row.items() if solver.value(v))
        for s, row in sm.tutor.items()
        if row
    }
    terms_value: dict[str, float] = {}
    for t in terms:
        terms_value[t.name] = terms_value.get(t.name, 0.0) + t.weight * _value(solver, t.expr)
    stats["section_objective"] = solver.objective_value
    return _assemble(
        school,
        sm,
        members,
        rooms,
        tutor_of,
        terms_value,
        planned,
        not_run,
        stats,
        started,
        interrupted,
        stable_ids,
        bound=solver.best_objective_bound,
    )


def _assemble(
    school,
    sm,
    members: dict[str, set[str]],
    rooms: dict[tuple[str, int], str],
    tutor_of: dict[str, str],
    terms_value: dict[str, float] | None,
    planned,
    not_run,
    stats,
    started,
    interrupted,
    stable_ids=False,
    bound: float | None = None,
) -> Solution:
    """A domain Solution from a placement: each group's students, each lesson's room, each
    student's tutor group. ``terms_value``: the objective's terms as the section model
    valued them, or None for the checker's recomputation (``score.objective_terms``).

    Groups are numbered 1, 2, ... within their course in planned order, skipping groups
    without students; ``stable_ids`` (re-solving) keeps each group's planned id instead,
    so that a group is the same group before and after."""
    CLOCK[0].charge(EXTRACT_S_PER_STUDENT * len(school.students), "extract")
    groups: list[Group] = []
    numbering: dict[str, int] = {}
    locked = {lock.course for lock in school.locks}
    planned_of: dict[str, str] = {}
    for g in sm.groups:
        if not members.get(g.id):
            continue
        numbering[g.course] = numbering.get(g.course, 0) + 1
        # A course with locks keeps its planned numbers: the Locks sheet names them.
        number = g.number if stable_ids or g.course in locked else numbering[g.course]
        planned_of[group_id(g.course, number)] = g.id
        lessons = tuple(
            Lesson(lesson.slots, rooms.get((g.id, li))) for li, lesson in enumerate(g.lessons)
        )
        groups.append(
            Group(
                id=group_id(g.course, number),
                course=g.course,
                number=number,
                lessons=lessons,
                staff=g.staff,
                students=frozenset(members[g.id]),
            )
        )
    planned_count: dict[str, int] = {}
    for g in planned:
        planned_count[g.course] = planned_count.get(g.course, 0) + 1
    solution = Solution(
        groups=tuple(groups),
        tutor_of=tutor_of,
        outcomes=outcomes(school, tuple(groups), tutor_of, planned_count, not_run),
        # The decomposition cannot prove global optimality, so a solve is at best feasible.
        status=Status.FEASIBLE,
        objective=None,
        objective_terms={},
        bound=bound,
        wall_s=round(time.monotonic() - started, 2),
        interrupted=interrupted,
        stats=stats,
        planned_ids=planned_of,
    )
    if terms_value is None:
        terms_value = objective_terms(school, solution)
        if not sm.model_idle:
            solution.stats["idle_modelled"] = False
    else:
        if not sm.model_idle:
            # Not optimised on a school this large, but still counted in the objective.
            idle_s, idle_p = idle_periods(school, tuple(groups), tutor_of)
            terms_value["idle_student"] = school.settings.weights.idle_student * idle_s
            terms_value["idle_staff"] = school.settings.weights.idle_staff * idle_p
            solution.stats["idle_modelled"] = False
        if has_soft_rules(school):
            # Fixed with the lessons' times, so not in the students' model; counted so that
            # timetables are compared with it (the first one against the ladder's).
            terms_value["soft_rules"] = soft_rules_term(school, solution)
    return replace(solution, objective=sum(terms_value.values()), objective_terms=terms_value)


def diagnose_timetable(school, planned, staff_of, opts) -> list[str]:
    """Which rule families cannot hold together: re-solve with each family left out.

    A family whose removal makes the timetable possible is named, in the school's words.
    """
    family = make_rules()
    culprits = []
    for skip in family:
        tm = TimetableModel(school, planned, staff_of)
        for rule in family:
            if rule is not skip:
                rule.restrict_timetable(tm)
        tm.make_variables()
        if any(not o for g in planned for o in tm.place[g.id]):
            continue
        for rule in family:
            if rule is not skip:
                rule.timetable(tm)
        solver = cp_model.CpSolver()
        set_limits(solver.parameters, 5.0, CLOCK[0])
        solver.parameters.num_workers = opts.workers
        solver.parameters.random_seed = opts.seed
        if solve_keeping_sigint(solver, tm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            culprits.append(skip.title or skip.name)
    if culprits:
        return [f"the lessons cannot all be placed because of: {', '.join(culprits)}"]
    return [
        (
            "the lessons cannot all be placed: several rules conflict (staff, rooms and lesson "
            "lengths together); check staff availability and rooms per type in "
            "`pathways validate`"
        )
    ]


__all__ = ["Rule", "SolveOptions", "solve_school"]
