"""``pathways solve SCHOOL --portfolio N [--cluster ADDRESS]``: N solves of one school
with different seeds on Dask, each checked, the best checked timetable written
(:mod:`scheduler.scenarios.portfolio`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from scheduler.cli.common import EXIT_INPUT, EXIT_INTERRUPTED, console, refuse

if TYPE_CHECKING:
    from scheduler.model import School
    from scheduler.scenarios.cluster import Progress
    from scheduler.scenarios.portfolio import Entry
    from scheduler.solution import Solution
    from scheduler.solver.engine import SolveOptions

#: At most this many solves in one portfolio.
PORTFOLIO_MAX = 64


def portfolio_problems(portfolio: int | None, cluster: str | None) -> list[str]:
    """What is wrong with --portfolio and --cluster, in a timetabler's words."""
    if portfolio is None:
        return ["--cluster needs --portfolio N (N solves of the school)"] if cluster else []
    if not 1 <= portfolio <= PORTFOLIO_MAX:
        return [f"--portfolio should be a number of solves from 1 to {PORTFOLIO_MAX}"]
    return []


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v:.1f}%"


def _line(e: Entry) -> str:
    if not e.usable:
        return f"seed {e.seed}: [red]{escape(e.error or 'no timetable')}[/red]"
    check = "check passes" if e.hard_violations == 0 else f"{e.hard_violations} rule(s) broken"
    return (
        f"seed {e.seed}: {e.status}, core {_pct(e.core_met_pct)}, options "
        f"{_pct(e.options_met_pct)}, score {e.score:,.0f}, {e.wall_s:.0f}s, {check}"
    )


def best_of(
    school: School, opts: SolveOptions, portfolio: int, cluster: str | None, quiet: bool
) -> Solution:
    """Run the portfolio, print each solve and the table, and return the kept timetable
    (exits when there is none)."""
    from scheduler.scenarios.cluster import ClusterError
    from scheduler.scenarios.portfolio import solve_portfolio

    where = f"on the Dask cluster at {cluster}" if cluster else "on this machine's cores"
    console.print(
        f"{portfolio} solves of {opts.time_limit:.0f}s each (seeds {opts.seed} to "
        f"{opts.seed + portfolio - 1}), {escape(where)}; the best checked timetable is kept.",
        highlight=False,
    )

    def entry(e: Entry) -> None:
        console.print(_line(e), highlight=False)

    def progress(p: Progress) -> None:
        if not quiet:
            console.print(f"solves: {p}", highlight=False, style="dim")

    try:
        result = solve_portfolio(
            school,
            portfolio,
            opts.time_limit,
            opts.seed,
            workers=opts.workers,
            cluster=cluster,
            on_entry=entry,
            on_progress=progress,
        )
    except ClusterError as exc:
        refuse([str(exc)])
        raise typer.Exit(EXIT_INPUT) from None  # refuse exits; for the type checker
    table = Table(title="Portfolio", header_style="bold")
    for heading in ("Seed", "Status", "Core", "Options", "1st choice", "Score", "Check", "Kept"):
        table.add_column(heading)
    for e in result.entries:
        table.add_row(
            str(e.seed),
            e.status or "-",
            _pct(e.core_met_pct),
            _pct(e.options_met_pct),
            _pct(e.first_choice_met_pct),
            "-" if e.score is None else f"{e.score:,.0f}",
            "-" if not e.usable else ("passes" if e.hard_violations == 0 else "broken"),
            "yes" if e is result.kept else "",
        )
    console.print(table)
    if result.kept is None or result.solution is None:
        what = "interrupted before any timetable was found" if result.interrupted else ""
        console.print(
            f"{what or 'no solve found a timetable'}; nothing was written", highlight=False
        )
        raise typer.Exit(EXIT_INTERRUPTED if result.interrupted else 1)
    if result.interrupted:
        console.print("interrupted: keeping the best of the solves finished.", highlight=False)
    console.print(f"kept seed {result.kept.seed}.", highlight=False)
    return result.solution
