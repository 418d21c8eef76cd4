"""``pathways diff``: what changed between two timetables of one school."""

# ruff: noqa: B008  (typer declares options as argument defaults)

from __future__ import annotations

from pathlib import Path

import typer

from scheduler.cli.common import console, read_school, read_timetable


def diff(
    school: Path = typer.Argument(..., help="The school workbook both timetables are for."),
    old: Path = typer.Argument(
        ..., help="Folder of the earlier timetable (e.g. the published one)."
    ),
    new: Path = typer.Argument(..., help="Folder of the later timetable."),
    out: Path | None = typer.Option(
        None, "--out", help="Write every change to this CSV file (the columns of changes.csv)."
    ),
) -> None:
    """Every lesson whose time, room or staff changed, every group added or removed, every
    student whose timetable changed, from OLD to NEW (groups matched by id)."""
    from scheduler.changes import compare, write_changes

    loaded, _ = read_school(school)
    changes = compare(loaded, read_timetable(old, loaded), read_timetable(new, loaded))
    for c in changes.rows[:20]:
        who = c.group or c.student
        console.print(f"  {c.kind:14} {who:12} {c.before} -> {c.after}", highlight=False)
    if len(changes.rows) > 20:
        console.print(f"  ... and {len(changes.rows) - 20} more", highlight=False)
    console.print(changes.line(), highlight=False)
    if out is not None:
        write_changes(changes, out)


def register(app: typer.Typer) -> None:
    """Add ``pathways diff`` to the ``pathways`` app."""
    app.command()(diff)
