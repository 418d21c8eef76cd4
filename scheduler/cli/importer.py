"""``pathways import fet``: a FET file as a school workbook, with a report of what was
not carried over. (The module is not called ``import``: that is a Python keyword.)"""

# ruff: noqa: B008  (typer declares options as argument defaults)

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from scheduler.cli.common import console, fail
from scheduler.files.atomic import not_own_folder

if TYPE_CHECKING:
    from scheduler.importers.fet import ImportIds
    from scheduler.importers.fet_timetable import FetPlacement

import_app = typer.Typer(
    no_args_is_help=True,
    help="Import another timetabler's file as a school workbook.",
)


def report_path(out: Path) -> Path:
    """Where the import report goes: next to the workbook, ``SCHOOL.import-report.txt``."""
    stem = out.stem if out.suffix.lower() == ".xlsx" else out.name
    return out.with_name(f"{stem}.import-report.txt")


@import_app.command("fet")
def fet(
    source: Path = typer.Argument(..., help="A FET file (.fet, or .fet.xz)."),
    out_path: Path = typer.Option(
        ..., "--out", help="Workbook (.xlsx) or CSV folder to write (replaced if it exists)."
    ),
    timetable: Path | None = typer.Option(
        None,
        "--timetable",
        help="Also write FET's timetable of the file as a solve's output folder here, for "
        "`pathways check SCHOOL FOLDER`.",
    ),
    fet_result: Path | None = typer.Option(
        None,
        "--fet-result",
        help="Where FET's timetable is (with --timetable): a ..._data_and_timetable.fet, a "
        "..._activities.xml, or the folder fet-cl wrote. Default: the FET file itself.",
    ),
) -> None:
    """Import a FET file (FET 5 or 6) as a school workbook.

    Writes the workbook and, next to it, SCHOOL.import-report.txt: what was carried over
    and every FET constraint that was not (type, count, weight). With --timetable, also
    FET's timetable as a Pathways solution (see docs/fet.md).
    """
    from scheduler.importers.fet import FetError, ImportIds, import_fet
    from scheduler.workbook.tables import write_tables

    if out_path.suffix.lower() != ".xlsx":
        why = not_own_folder(out_path)
        if why:
            fail([f"--out {why}; give a new .xlsx file or a folder of its own for the CSV sheets"])
    if fet_result is not None and timetable is None:
        fail(["--fet-result needs --timetable (the folder to write FET's timetable to)"])
    placements = None
    if timetable is not None:
        why = not_own_folder(timetable, out_path, source)
        if why:
            fail([f"--timetable {why}; give a folder of its own"])
        from scheduler.importers.fet_timetable import read_placements

        try:
            placements = read_placements(fet_result if fet_result is not None else source)
        except FetError as exc:
            fail([f"{exc}; nothing was written"])
    ids = ImportIds()
    try:
        tables, report = import_fet(source, ids)
    except FetError as exc:
        fail([f"{exc}; nothing was written"])
    except RecursionError:  # pragma: no cover - absurdly nested XML
        fail([f"{source}: not a FET file (too deeply nested); nothing was written"])
    rpath = report_path(out_path)
    try:
        write_tables(tables, out_path)
        rpath.write_text(report.text(), encoding="utf-8")
    except OSError as exc:
        fail([f"could not write {out_path}: {exc.strerror or exc}"])
    for line in report.lines():
        console.print(line, highlight=False, markup=False)
    console.print(f"wrote {out_path} and {rpath}", highlight=False, markup=False)
    if timetable is not None and placements is not None:
        _write_fet_timetable(out_path, ids, placements, timetable)


def _write_fet_timetable(
    book: Path,
    ids: ImportIds,
    placements: tuple[dict[int, FetPlacement], list[str], Path],
    folder: Path,
) -> None:
    """FET's timetable onto the workbook just written, as a solve's output folder."""
    from scheduler.cli.common import read_school
    from scheduler.importers.fet_timetable import fet_solution
    from scheduler.outputs.write import write_outputs

    school, _ = read_school(book)
    where, notes = placements[2], placements[1]
    result = fet_solution(school, ids, placements[0])
    result.notes[:0] = notes
    try:
        write_outputs(school, result.solution, folder)
    except OSError as exc:
        fail([f"could not write {folder}: {exc.strerror or exc}"])
    console.print(f"FET's timetable read from {where}", highlight=False, markup=False)
    for line in result.lines():
        console.print(line, highlight=False, markup=False)
    console.print(
        f"wrote {folder}: check it with `pathways check {book} {folder}`",
        highlight=False,
        markup=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``pathways import`` (with its sub-command ``fet``) to the ``pathways`` app."""
    app.add_typer(import_app, name="import")
