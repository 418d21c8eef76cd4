"""``pathways check``: verify a solved timetable, independently of the solver."""

# ruff: noqa: B008  (typer declares options as argument defaults)

from __future__ import annotations

import json
from pathlib import Path

import typer

from scheduler.cli.common import EXIT_CHECK, out, read_school, read_timetable


def check(
    school: Path = typer.Argument(..., help="The school workbook the timetable was made for."),
    outdir: Path = typer.Argument(..., help="Folder written by `pathways solve`."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    published: Path | None = typer.Option(
        None,
        "--from",
        help="Also say how far the timetable is from this one (e.g. the published timetable "
        "it was re-solved from): lessons moved, staff and rooms changed, students changed.",
    ),
) -> None:
    """Verify a solved timetable against every rule of the workbook, independently of the solver."""
    from scheduler.checker import check_solution, render_report

    loaded, _ = read_school(school)
    solution = read_timetable(outdir, loaded)
    report = check_solution(loaded, solution)
    changes = None
    if published is not None:
        from scheduler.changes import compare

        changes = compare(loaded, read_timetable(published, loaded, "--from "), solution)
    if as_json:
        shown = report.as_dict()
        if changes is not None:
            shown["changes"] = changes.counts()
        out.print_json(json.dumps(shown))
    else:
        render_report(report, out)
        if changes is not None:
            out.print(changes.line(), highlight=False)
    if report.hard_violations:
        raise typer.Exit(EXIT_CHECK)


def register(app: typer.Typer) -> None:
    """Add ``pathways check`` to the ``pathways`` app."""
    app.command()(check)
