"""``pathways example``: write one of the bundled example schools as a workbook."""

# ruff: noqa: B008  (typer declares options as argument defaults)

from __future__ import annotations

import os
from pathlib import Path

import typer

from scheduler.cli.common import EXIT_INPUT, console
from scheduler.files.atomic import not_own_folder

DEFAULT_EXAMPLE = Path("school.xlsx")


def example(
    name: str = typer.Argument(..., help="tiny, stage-not-age, all-through or federation."),
    out_path: Path | None = typer.Option(
        None,
        "--out",
        help="Workbook (.xlsx) or CSV folder to write (replaced if it exists). "
        "Default: ./school.xlsx, which is never replaced without --force.",
    ),
    students: int | None = typer.Option(
        None, "--students", help="Scale to about this many students."
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed of the generator."),
    force: bool = typer.Option(
        False, "--force", help="Replace ./school.xlsx when --out is not given."
    ),
) -> None:
    """Write one of the bundled example schools as a workbook."""
    from examples.generator import EXAMPLES, MAX_STUDENTS, generate
    from scheduler.workbook.tables import write_tables

    if name not in EXAMPLES:
        console.print(
            f"[red]error[/red] no example called {name!r}; choose one of: {', '.join(EXAMPLES)}"
        )
        raise typer.Exit(EXIT_INPUT)
    if students is not None and not 1 <= students <= MAX_STUDENTS:
        console.print(
            f"[red]error[/red] --students {students} is out of range; expected a whole "
            f"number from 1 to {MAX_STUDENTS}",
            highlight=False,
        )
        raise typer.Exit(EXIT_INPUT)
    target = DEFAULT_EXAMPLE if out_path is None else out_path
    existed = os.path.lexists(target)
    why = None if target.suffix.lower() == ".xlsx" else not_own_folder(target)
    if why:
        console.print(
            f"[red]error[/red] --out {why}; give a new .xlsx file or a folder of its "
            "own for the CSV sheets",
            highlight=False,
        )
        raise typer.Exit(EXIT_INPUT)
    if out_path is None and existed and not force:
        console.print(
            f"[red]error[/red] {target} already exists and was left as it is; give "
            "--out FILE to write the example elsewhere, or --force to replace it",
            highlight=False,
        )
        raise typer.Exit(EXIT_INPUT)
    tables = generate(name, students=students, seed=seed)
    try:
        write_tables(tables, target)
    except OSError as exc:
        console.print(
            f"[red]error[/red] could not write {target}: {exc.strerror or exc}; "
            "nothing was written",
            highlight=False,
        )
        raise typer.Exit(EXIT_INPUT) from None
    n = len(tables.get("Students", []))
    replaced = "; it replaced the one that was there" if existed else ""
    console.print(f"wrote {target} ({name}, {n} students{replaced})", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``pathways example`` to the ``pathways`` app."""
    app.command()(example)
