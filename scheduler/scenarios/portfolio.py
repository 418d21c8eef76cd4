"""A portfolio of solves of one school (``pathways solve SCHOOL --portfolio N``): N solves
with different seeds on Dask (:mod:`scheduler.scenarios.cluster`), each checked here by
the independent checker, and the best checked timetable kept.

Best: a timetable that breaks no hard rule before one that does, then the lowest score
the checker recomputes (docs/objective.md: the same weights for every seed, so the
scores compare), then the first seed. A solve without a timetable is never kept.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.model import School
    from scheduler.scenarios.cluster import Progress
    from scheduler.solution import Solution

__all__ = ["Entry", "PortfolioResult", "better", "solve_portfolio"]


@dataclass(frozen=True)
class Entry:
    """One solve of the portfolio: its seed, and what it gave (or why nothing)."""

    seed: int
    status: str = ""
    score: float | None = None  # the checker's objective; lower is better
    hard_violations: int = 0
    core_met_pct: float | None = None
    options_met_pct: float | None = None
    first_choice_met_pct: float | None = None
    wall_s: float | None = None
    error: str = ""

    @property
    def usable(self) -> bool:
        return self.score is not None and not self.error


@dataclass
class PortfolioResult:
    """Every solve, the one kept (``None``: none made a timetable) and its timetable."""

    entries: list[Entry]
    kept: Entry | None
    solution: Solution | None
    interrupted: bool


def _judge(school: School, seed: int, solved: Solution | str) -> Entry:
    from scheduler.checker import check_solution

    if isinstance(solved, str):
        return Entry(seed, error=solved)
    if not solved.groups:
        return Entry(seed, status=solved.status.value, wall_s=solved.wall_s, error="no timetable")
    report = check_solution(school, solved)
    f = report.figures
    return Entry(
        seed,
        status=solved.status.value,
        score=report.objective,
        hard_violations=len(report.hard_violations),
        core_met_pct=f.core_met_pct,
        options_met_pct=f.options_met_pct,
        first_choice_met_pct=f.first_choice_met_pct,
        wall_s=round(solved.wall_s, 1),
    )


def better(a: Entry, b: Entry) -> bool:
    """Whether ``a`` is a better timetable than ``b`` (both usable)."""
    assert a.score is not None and b.score is not None
    return (a.hard_violations > 0, a.score, a.seed) < (b.hard_violations > 0, b.score, b.seed)


def solve_portfolio(
    school: School,
    n: int,
    time_limit: float,
    seed: int,
    workers: int | None = None,
    cluster: str | None = None,
    jobs: int | None = None,
    on_entry: Callable[[Entry], None] | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> PortfolioResult:
    """Solve ``school`` ``n`` times, with seeds ``seed, seed + 1, ...``, on a LocalCluster
    of ``jobs`` workers (default: one per core, at most ``n``) or on the scheduler at
    ``cluster``; check each and keep the best. Ctrl-C keeps the best finished so far."""
    from scheduler.model import SEED_MAX
    from scheduler.scenarios.cluster import Task, open_client, run_tasks, solver_threads

    cores = os.cpu_count() or 1
    n_workers = max(1, min(jobs or cores, n))
    entries: list[Entry] = []
    best: list[tuple[Entry, Solution]] = []

    def on_result(task: Task, solved: Solution | str) -> None:
        entry = _judge(school, int(task.name), solved)
        entries.append(entry)
        usable = entry.usable and not isinstance(solved, str)
        if usable and (not best or better(entry, best[0][0])):
            assert not isinstance(solved, str)
            best[:] = [(entry, solved)]
        if on_entry is not None:
            on_entry(entry)

    with open_client(cluster, n_workers) as client:
        each = solver_threads(workers, n_workers, client if cluster is not None else None)
        seeds = [(seed + i) % (SEED_MAX + 1) for i in range(n)]
        tasks = [Task(str(s), school, time_limit, s, each) for s in seeds]
        interrupted = run_tasks(client, tasks, on_result, on_progress)
    entries.sort(key=lambda e: e.seed)
    kept, solution = best[0] if best else (None, None)
    return PortfolioResult(entries, kept, solution, interrupted)
