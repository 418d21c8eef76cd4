"""The ``pathways`` command line.

Every command turns bad input into messages a timetabler understands and a non-zero
exit code (2 for input problems, 1 for a failed check), never a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from dataclasses import replace
from pathlib import Path

import typer
from rich.console import Console

from scheduler.problems import InputError, Problem, Severity

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Pathways: a personalised timetable for every student, from the school's workbook.",
)
console = Console(stderr=True)
out = Console()

EXIT_INPUT = 2
EXIT_CHECK = 1


def _print_problems(problems: list[Problem]) -> None:
    for p in problems:
        style = "red" if p.severity is Severity.ERROR else "yellow"
        label = "error" if p.severity is Severity.ERROR else "warning"
        console.print(f"[{style}]{label}[/{style}] {p}", markup=True, highlight=False)


def _load(school: Path):  # -> School
    from scheduler.workbook import load_school

    try:
        loaded, warnings = load_school(school)
    except InputError as exc:
        _print_problems(exc.problems)
        errors = len(exc.errors)
        console.print(f"[red]{errors} error(s)[/red] in {school}; nothing was solved or written.")
        raise typer.Exit(EXIT_INPUT) from None
    _print_problems(warnings)
    return loaded, warnings


@app.command()
def validate(
    school: Path = typer.Argument(..., help="School workbook (.xlsx) or folder of CSV sheets."),
    as_json: bool = typer.Option(False, "--json", help="Print problems or summary as JSON."),
) -> None:
    """Check a school workbook and summarise it, or list every problem in it."""
    from scheduler.summary import render_summary, school_summary
    from scheduler.workbook import load_school

    try:
        loaded, warnings = load_school(school)
    except InputError as exc:
        if as_json:
            out.print_json(json.dumps({"ok": False, "problems": [p.as_dict() for p in exc.problems]}))
        else:
            _print_problems(exc.problems)
            console.print(f"[red]{len(exc.errors)} error(s)[/red], {len(exc.warnings)} warning(s) in {school}")
        raise typer.Exit(EXIT_INPUT) from None
    summary = school_summary(loaded)
    if as_json:
        payload = {"ok": True, "problems": [p.as_dict() for p in warnings], "summary": summary}
        out.print_json(json.dumps(payload))
        return
    _print_problems(warnings)
    render_summary(summary, out)


@app.command()
def check(
    school: Path = typer.Argument(..., help="The school workbook the timetable was made for."),
    outdir: Path = typer.Argument(..., help="Folder written by `pathways solve`."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Verify a solved timetable against every rule of the workbook, independently of the solver."""
    from scheduler.checker import check_solution, render_report
    from scheduler.outputs_read import OutputError, read_solution

    loaded, _ = _load(school)
    try:
        solution = read_solution(outdir, loaded)
    except OutputError as exc:
        for msg in exc.messages:
            console.print(f"[red]error[/red] {msg}", highlight=False)
        raise typer.Exit(EXIT_INPUT) from None
    report = check_solution(loaded, solution)
    if as_json:
        out.print_json(json.dumps(report.as_dict()))
    else:
        render_report(report, out)
    if report.hard_violations:
        raise typer.Exit(EXIT_CHECK)


@app.command()
def example(
    name: str = typer.Argument(..., help="tiny, stage-not-age, all-through or federation."),
    out_path: Path = typer.Option(Path("school.xlsx"), "--out", help="Workbook (.xlsx) or CSV folder to write."),
    students: int | None = typer.Option(None, "--students", help="Scale to about this many students."),
    seed: int = typer.Option(0, "--seed", help="Random seed of the generator."),
) -> None:
    """Write one of the bundled example schools as a workbook."""
    from examples.generator import EXAMPLES, generate
    from scheduler.tables import write_tables

    if name not in EXAMPLES:
        console.print(f"[red]error[/red] no example called {name!r}; choose one of: {', '.join(EXAMPLES)}")
        raise typer.Exit(EXIT_INPUT)
    if students is not None and students < 1:
        console.print("[red]error[/red] --students must be at least 1")
        raise typer.Exit(EXIT_INPUT)
    tables = generate(name, students=students, seed=seed)
    write_tables(tables, out_path)
    n = len(tables.get("Students", []))
    console.print(f"wrote {out_path} ({name}, {n} students)")


@app.command()
def solve(
    school: Path = typer.Argument(..., help="School workbook (.xlsx) or folder of CSV sheets."),
    outdir: Path = typer.Option(..., "--out", help="Folder to write the timetable into."),
    time_limit: float | None = typer.Option(None, "--time-limit", help="Seconds (default: Settings, else 60)."),
    seed: int | None = typer.Option(None, "--seed", help="Random seed (default: Settings, else 0)."),
    workers: int | None = typer.Option(None, "--workers", help="Solver threads (default: Settings, else 2)."),
    quiet: bool = typer.Option(False, "--quiet", help="No live progress line."),
) -> None:
    """Build and solve the timetable: every group's times, room and staff; every student's groups."""
    from scheduler.outputs_write import write_outputs
    from scheduler.solve import SolveOptions, solve_school

    began = time.monotonic()
    loaded, _ = _load(school)
    opts = SolveOptions.from_settings(loaded.settings, time_limit=time_limit, seed=seed, workers=workers)
    # The time limit is the whole command's: reading the workbook (3 s for 2,000 students)
    # comes out of it.
    opts = replace(opts, time_limit=max(1.0, opts.time_limit - (time.monotonic() - began)))
    try:
        solution = solve_school(loaded, opts, progress=not quiet)
    except KeyboardInterrupt:
        # Ctrl-C outside a search (while a model was being built): nothing to keep yet.
        console.print("interrupted before any timetable was found; nothing was written")
        raise typer.Exit(130) from None
    write_outputs(loaded, solution, outdir)
    summary = json.loads((outdir / "summary.json").read_text())
    line = (
        f"{summary['status']}: core {summary['requests_core_met']}/{summary['requests_core']}, "
        f"options {summary['requests_option_met']}/{summary['requests_option']}, "
        f"first choices {summary['first_choice_met']}, {summary['groups']} groups, "
        f"{summary['wall_s']:.1f}s -> {outdir}"
    )
    if solution.interrupted:
        line = "interrupted; wrote the best timetable found so far. " + line
    console.print(line, highlight=False)
    if summary["status"] in ("infeasible", "unknown") and not solution.groups:
        raise typer.Exit(EXIT_CHECK)


# Commands that live in their own modules register themselves here.
from scheduler import cli_export, cli_scenario  # noqa: E402

cli_export.register(app)
cli_scenario.register(app)


def main() -> None:  # pragma: no cover - entry point
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
