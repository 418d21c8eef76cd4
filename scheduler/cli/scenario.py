"""The `pathways scenario` command(s), registered on the main CLI by `register`.

``pathways scenario run SCENARIOS.yaml [MORE.yaml ...] --out DIR`` solves the base
school and every scenario side by side and writes the comparison
(``comparison.html``, ``comparison.xlsx``, ``comparison.json``) into DIR.
``pathways scenario changes`` lists the changes a scenario file may use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from scheduler.cli.common import (
    EXIT_CHECK,
    EXIT_INTERRUPTED,
    console,
    fail,
    number_problems,
    out,
    refuse,
)


def _run(
    scenarios: Annotated[
        list[Path],
        typer.Argument(
            help="Scenario file(s) (YAML); files with the same base share one base solve."
        ),
    ],
    outdir: Annotated[
        Path, typer.Option("--out", help="Folder for the timetables and the comparison.")
    ],
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit",
            help="Seconds per solve (default: the scenario file, else the school's Settings).",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            help="Solves at once: the local Dask cluster's worker processes (default: one "
            "per core; 1: one after another in this process).",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            help="Solver threads per solve (default: the cores shared between the jobs, at least 2).",
        ),
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed of every solve.")] = None,
    write_workbook: Annotated[
        bool,
        typer.Option(
            "--write-workbook",
            help="Also write each scenario's school as a workbook (DIR/workbooks/NAME.xlsx).",
        ),
    ] = False,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            help="Solve on an existing Dask scheduler and its workers (tcp://HOST:8786; "
            "workers started with `dask worker ADDRESS --nthreads 1`) instead of this "
            "machine's cores; timetables are written here.",
        ),
    ] = None,
) -> None:
    """Solve a school and its what-if scenarios side by side, and compare them."""
    from scheduler.scenarios.cluster import ClusterError, Progress
    from scheduler.scenarios.report import render_comparison
    from scheduler.scenarios.runner import PreparedRun, RunOptions, RunResult, run_files
    from scheduler.scenarios.spec import ScenarioError

    refuse(number_problems(time_limit, seed, workers, jobs), "Nothing was solved")

    def prepared(runs: list[PreparedRun]) -> None:
        total = sum(r.time_limit for r in runs)
        amount = f"{total / 60:.0f} minutes" if total >= 120 else f"{total:.0f} seconds"
        where = f"on the Dask cluster at {cluster}" if cluster else "shared between the cores"
        console.print(
            f"{len(runs)} timetables to make ({', '.join(escape(r.name) for r in runs)}): "
            f"up to {amount} of solving in all, {escape(where)}.",
            highlight=False,
        )

    best: list[RunResult] = []  # the sound timetable with the most core, then options met

    def progress(p: Progress) -> None:
        line = f"solves: {p}"
        if best and best[0].figures is not None:
            b = best[0].figures
            line += (
                f"; best so far {escape(best[0].name)}: core {b.core_met_pct}%, "
                f"options {b.options_met_pct}%"
            )
        console.print(line, highlight=False, style="dim")

    def rank(r: RunResult) -> tuple[float, float]:
        f = r.figures
        assert f is not None
        return (f.core_met_pct or 0.0, f.options_met_pct or 0.0)

    def done(r: RunResult, finished: int, total: int) -> None:
        if r.ok and (not best or rank(r) > rank(best[0])):
            best[:] = [r]
        f = r.figures
        if f is None or r.error:
            line = f"[red]{escape(r.error or 'failed')}[/red]"
        else:
            line = (
                f"{f.status}, core {f.core_met_pct if f.core_met_pct is not None else '-'}%, "
                f"options {f.options_met_pct if f.options_met_pct is not None else '-'}%, "
                f"{f.groups} groups, {f.wall_s:.0f}s"
            )
            line += (
                ", check passes"
                if f.hard_violations == 0
                else f", [red]{f.hard_violations} rule(s) broken[/red]"
            )
        console.print(f"[{finished}/{total}] {escape(r.name)}: {line}", highlight=False)

    opts = RunOptions(
        time_limit=time_limit,
        seed=seed,
        jobs=jobs,
        write_workbook=write_workbook,
        workers=workers,
        cluster=cluster,
    )
    try:
        results, interrupted, seconds = run_files(
            scenarios, outdir, opts, on_done=done, on_prepared=prepared, on_progress=progress
        )
    except ScenarioError as exc:
        fail(exc.messages, "Nothing was solved: fix the scenario file(s) and run again")
    except ClusterError as exc:
        fail([str(exc)], "Nothing was solved")
    except KeyboardInterrupt:
        console.print("stopped.")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    # Written to a file or a pipe, the table gets room instead of the 80 columns of a
    # console that is not there.
    render_comparison(results, out if out.is_terminal else Console(width=170))
    console.print(
        f"{len(results)} timetables in {seconds / 60:.1f} minutes; comparison written to "
        f"{outdir / 'comparison.html'} and {outdir / 'comparison.xlsx'}",
        highlight=False,
    )
    if interrupted:
        console.print(
            "[yellow]stopped early[/yellow]: the comparison holds the scenarios finished so far."
        )
    if any(not r.ok for r in results):
        raise typer.Exit(EXIT_CHECK)


def _changes() -> None:
    """List the changes a scenario file may use, with their settings."""
    from scheduler.scenarios.transforms import TRANSFORMATIONS

    for t in TRANSFORMATIONS.values():
        settings = ", ".join(t.settings) or "any Settings keys"
        out.print(
            f"[bold]{t.name}[/bold] ({escape(settings)})\n    {escape(t.summary)}", highlight=False
        )


def register(app: typer.Typer) -> None:
    """Add `pathways scenario run` and `pathways scenario changes` to the `pathways` app."""
    scenario = typer.Typer(
        no_args_is_help=True, help="What if? Compare whole-school futures side by side."
    )
    scenario.command("run")(_run)
    scenario.command("changes")(_changes)
    app.add_typer(scenario, name="scenario")
