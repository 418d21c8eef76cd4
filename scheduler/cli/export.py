"""The `pathways export` command(s), registered on the main CLI by `register`."""

# ruff: noqa: B008  (typer declares options as argument defaults)

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from scheduler.cli.common import (
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    console,
    fail,
    print_errors,
    recover_folder,
)
from scheduler.workbook.problems import InputError


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        fail([f"{option} {value!r} is not a date; expected YYYY-MM-DD"])


def register(app: typer.Typer) -> None:
    """Add ``pathways export`` to the ``pathways`` app."""

    @app.command()
    def export(
        outdir: Path = typer.Argument(..., help="Folder written by `pathways solve`."),
        formats: list[str] = typer.Option(
            [],
            "--format",
            "-f",
            help="xlsx, ics, html or csv; repeat for several (default: all four).",
        ),
        students: list[str] = typer.Option([], "--student", help="Only this student (repeatable)."),
        staff: list[str] = typer.Option(
            [], "--staff", help="Only this member of staff (repeatable)."
        ),
        rooms: list[str] = typer.Option([], "--room", help="Only this room (repeatable)."),
        dest: Path | None = typer.Option(
            None, "--out", help="Folder to write into (default: OUTDIR/exports)."
        ),
        school: Path | None = typer.Option(
            None,
            "--school",
            help="The school workbook: names, subjects and term dates come "
            "from it instead of OUTDIR/context.json (needed for folders written before "
            "context.json existed).",
        ),
        term_start: str | None = typer.Option(
            None,
            "--term-start",
            help="First day of the calendars, YYYY-MM-DD (default: Settings term_start).",
        ),
        term_end: str | None = typer.Option(
            None,
            "--term-end",
            help="Last day of the calendars, YYYY-MM-DD (default: Settings term_end).",
        ),
    ) -> None:
        """Export a finished timetable as week-grid workbooks, calendars, a web page or CSV.

        Nothing is solved again: everything comes from the folder `pathways solve` wrote.
        With --student, --staff or --room, only the timetables named are exported.
        """
        from scheduler.exports.grid import Context, ExportError
        from scheduler.exports.run import FORMATS
        from scheduler.exports.run import export as run_export

        start, end = _date(term_start, "--term-start"), _date(term_end, "--term-end")
        fmts: list[str] = []
        for f in formats:  # "--format xlsx,ics" works too
            fmts += [x.strip().lower() for x in f.split(",") if x.strip()]
        context = None
        if school is not None:
            from scheduler.workbook.read import load_school

            try:
                loaded, _ = load_school(school)
            except InputError as exc:
                print_errors(str(p) for p in exc.errors[:20])
                console.print(
                    f"[red]{len(exc.errors)} error(s)[/red] in {school}; nothing was exported."
                )
                raise typer.Exit(EXIT_INPUT) from None
            context = Context.from_school(loaded)
        try:
            # A solve stopped while switching its folder in: finish or undo that first.
            recover_folder(outdir)
            result = run_export(
                outdir,
                fmts or FORMATS,
                dest,
                students=students or None,
                staff=staff or None,
                rooms=rooms or None,
                context=context,
                term_start=start,
                term_end=end,
            )
        except ExportError as exc:
            fail(exc.messages, "nothing was exported")
        except OSError as exc:
            where = f" {exc.filename}" if exc.filename else ""
            why = f"could not write{where}: {exc.strerror or exc}"
            fail([f"{why}; nothing was exported (the folder is as it was)."])
        except KeyboardInterrupt:
            console.print("interrupted; nothing was exported (the folder is as it was).")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        for note in result.notes:
            console.print(f"[yellow]note[/yellow] {note}", highlight=False)
        words = {
            "xlsx": "workbooks",
            "ics": "calendars",
            "html": "web page files",
            "csv": "CSV files",
        }
        made = ", ".join(f"{fmt}: {n} {words[fmt]}" for fmt, n in result.files.items())
        who = ", ".join(
            f"{n} {kind if kind == 'staff' else kind + 's'}" for kind, n in result.people.items()
        )
        console.print(
            f"exported {who} ({made}) in {result.seconds:.1f}s -> {result.folder}", highlight=False
        )
