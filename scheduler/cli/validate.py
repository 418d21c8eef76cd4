"""``pathways validate``: check a school workbook and summarise it."""

# ruff: noqa: B008  (typer declares options as argument defaults)

from __future__ import annotations

import json
from pathlib import Path

import typer

from scheduler.cli.common import EXIT_INPUT, console, out, print_problems
from scheduler.workbook.problems import InputError


def validate(
    school: Path = typer.Argument(..., help="School workbook (.xlsx) or folder of CSV sheets."),
    as_json: bool = typer.Option(False, "--json", help="Print problems or summary as JSON."),
) -> None:
    """Check a school workbook and summarise it, or list every problem in it."""
    from scheduler.workbook.read import load_school
    from scheduler.workbook.summary import render_summary, school_summary

    try:
        loaded, warnings = load_school(school)
    except InputError as exc:
        if as_json:
            out.print_json(
                json.dumps({"ok": False, "problems": [p.as_dict() for p in exc.problems]})
            )
        else:
            print_problems(exc.problems)
            console.print(
                f"[red]{len(exc.errors)} error(s)[/red], {len(exc.warnings)} warning(s) in {school}"
            )
        raise typer.Exit(EXIT_INPUT) from None
    summary = school_summary(loaded)
    if as_json:
        payload = {"ok": True, "problems": [p.as_dict() for p in warnings], "summary": summary}
        out.print_json(json.dumps(payload))
        return
    print_problems(warnings)
    render_summary(summary, out)


def register(app: typer.Typer) -> None:
    """Add ``pathways validate`` to the ``pathways`` app."""
    app.command()(validate)
