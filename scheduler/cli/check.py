"""``pathways check``: verify a solved timetable, independently of the solver."""

# ruff: noqa: B008  (typer declares options as argument defaults)

from __future__ import annotations

import json
from pathlib import Path

import typer

from scheduler.cli.common import EXIT_CHECK, EXIT_INPUT, console, out, read_school, recover_folder


def check(
    school: Path = typer.Argument(..., help="The school workbook the timetable was made for."),
    outdir: Path = typer.Argument(..., help="Folder written by `pathways solve`."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Verify a solved timetable against every rule of the workbook, independently of the solver."""
    from scheduler.checker import check_solution, render_report
    from scheduler.outputs.read import OutputError, read_solution

    loaded, _ = read_school(school)
    recover_folder(outdir)
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


def register(app: typer.Typer) -> None:
    """Add ``pathways check`` to the ``pathways`` app."""
    app.command()(check)
