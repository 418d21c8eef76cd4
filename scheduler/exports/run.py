"""Export a finished solve's timetables in the formats people use, without solving again.

:func:`export` reads an output folder of ``pathways solve`` (``timetable.csv``,
``groups.csv`` and ``context.json``; or, for a folder written before ``context.json``
existed, the school workbook given as ``context``) and writes, under one folder
(``OUTDIR/exports`` unless told otherwise)::

    xlsx/students.xlsx, staff.xlsx, rooms.xlsx   week grids
    ics/students/<id>.ics, ics/staff/<id>.ics, ics/rooms/<id>.ics
    html/index.html (+ style.css, app.js, data.js)
    csv/students.csv, staff.csv, rooms.csv

Everything is written into a temporary folder first and moved into place only when all
of it is complete (:func:`scheduler.files.atomic.atomic_dir`).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

from scheduler.exports import csvfiles, html, ics, xlsx
from scheduler.exports.grid import (
    CONTEXT_FILE,
    KINDS,
    Context,
    ExportData,
    ExportError,
    build,
)
from scheduler.files.atomic import atomic_dir
from scheduler.files.columns import (
    CHANGES_COLUMNS,
    GROUPS_COLUMNS,
    ONLINE,
    TIMETABLE_COLUMNS,
    split_items,
)
from scheduler.files.csvrows import CsvUnreadable, read_rows

log = logging.getLogger(__name__)

FORMATS = ("xlsx", "ics", "html", "csv")
_KIND_WORDS = {"student": "student", "staff": "member of staff", "room": "room"}


@dataclass
class ExportResult:
    """What an export wrote."""

    folder: Path
    files: dict[str, int] = field(default_factory=dict)  # format -> files written
    people: dict[str, int] = field(default_factory=dict)  # kind -> timetables exported
    notes: list[str] = field(default_factory=list)  # assumptions, in a timetabler's words
    seconds: float = 0.0


def load(outdir: str | Path, context: Context | None = None) -> tuple[ExportData, list[str]]:
    """Every timetable of an output folder, and notes about what was assumed.

    ``context`` (made from the school workbook) replaces the folder's ``context.json``;
    without either, :class:`ExportError` says what to do.
    """
    outdir = Path(outdir)
    notes: list[str] = []
    if not outdir.is_dir():
        raise ExportError(
            [(f"{outdir} is not a folder; give the folder `pathways solve` wrote (its --out)")]
        )
    missing = [n for n in ("timetable.csv", "groups.csv") if not (outdir / n).is_file()]
    if missing:
        raise ExportError(
            [
                (
                    f"{outdir} has no {' or '.join(missing)}: is it a folder written "
                    "by `pathways solve`?"
                )
            ]
        )
    if context is None:
        path = outdir / CONTEXT_FILE
        if not path.is_file():
            raise ExportError(
                [
                    (
                        f"{outdir} has no {CONTEXT_FILE} (it was written by an older "
                        "version of Pathways): give the school workbook with --school"
                    )
                ]
            )
        context = Context.from_json(path.read_text(encoding="utf-8"), where=str(path))
    else:
        sha = _input_sha256(outdir)
        if sha and context.input_sha256 and sha != context.input_sha256:
            notes.append(
                "the school workbook given is not the one this timetable was made "
                "from (its contents differ): names, subjects and term dates are "
                "taken from it anyway"
            )
        # The timetable was written when its files were, not when the workbook is read:
        # calendars exported twice from one folder are then the same.
        mtime = datetime.fromtimestamp((outdir / "timetable.csv").stat().st_mtime, UTC)
        context = replace(context, written_at=mtime.replace(microsecond=0).isoformat())
    trows = _read_csv(outdir / "timetable.csv", TIMETABLE_COLUMNS)
    grows = _read_csv(outdir / "groups.csv", GROUPS_COLUMNS)
    data = build(context, trows, grows)
    if (outdir / "changes.csv").is_file():
        crows = _read_csv(outdir / "changes.csv", CHANGES_COLUMNS)
        data = replace(data, changes=changes_by_person(crows, grows))
    return data, notes


def changes_by_person(
    rows: list[list[str]], group_rows: list[list[str]]
) -> dict[str, dict[str, list[str]]]:
    """A re-solve's changes.csv rows as lines per student, member of staff and room: a
    student's own row; for staff, the groups they teach (before or after) whose lessons
    moved, changed room or changed staff; for rooms, the lessons that left or came."""
    # Dicts, not sets: the order people come in is the order they are written in (a set
    # of strings would follow PYTHONHASHSEED, and data.js with it).
    staff_of: dict[str, dict[str, None]] = {}
    for g in group_rows:
        group, staff = g[GROUPS_COLUMNS.index("group")], g[GROUPS_COLUMNS.index("staff")]
        staff_of.setdefault(group, {}).update(dict.fromkeys(split_items(staff)))
    out: dict[str, dict[str, list[str]]] = {"student": {}, "staff": {}, "room": {}}

    def add(kind: str, who: str, line: str) -> None:
        if who:
            out[kind].setdefault(who, []).append(line)

    for kind, group, _course, student, before, after in rows:
        if kind == "student":
            parts = [
                f"left {', '.join(split_items(before))}" if before else "",
                f"joined {', '.join(split_items(after))}" if after else "",
            ]
            add("student", student, "; ".join(p for p in parts if p))
            continue
        if kind == "group_staff":
            was, now = split_items(before), split_items(after)
            line = f"{group}: staff {', '.join(was)} -> {', '.join(now)}"
            for p in dict.fromkeys((*was, *now)):
                add("staff", p, line)
            continue
        what = {
            "lesson_time": "moved",
            "lesson_room": "changed room",
            "group_added": "new group",
            "group_removed": "no longer runs",
        }.get(kind, kind)
        line = f"{group} {what}: {before or '-'} -> {after or '-'}"
        for p in staff_of.get(group, ()):
            add("staff", p, line)
        for text in (before, after):
            room = (
                text.rsplit(" ", 1)[-1] if kind in ("lesson_time", "lesson_room") and text else ""
            )
            if room and room != ONLINE:
                add("room", room, line)
    return {k: v for k, v in out.items() if v}


def known_formats(formats: Iterable[str]) -> list[str]:
    """``formats`` without repeats, in order; :class:`ExportError` for one not in
    :data:`FORMATS`."""
    formats = list(dict.fromkeys(formats))
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ExportError(
            [(f"no export format called {bad[0]!r}; choose from {', '.join(FORMATS)}")]
        )
    return formats


def export(
    outdir: str | os.PathLike[str],
    formats: Iterable[str] = FORMATS,
    dest: str | os.PathLike[str] | None = None,
    *,
    students: Sequence[str] | None = None,
    staff: Sequence[str] | None = None,
    rooms: Sequence[str] | None = None,
    context: Context | None = None,
    term_start: date | None = None,
    term_end: date | None = None,
) -> ExportResult:
    """Write the chosen formats of a finished solve into ``dest`` (``outdir/exports``).

    ``students``, ``staff`` and ``rooms`` name the timetables to export; when any of
    them is given, only the named ones are (a kind not named is left out); when none
    is, every timetable is. Ids are the school's own, exactly as in the workbook.
    Raises :class:`ExportError` for an unknown format or id, or a folder that cannot
    be read.
    """
    started = time.perf_counter()
    formats = known_formats(formats)
    outdir = Path(outdir)
    dest = Path(dest) if dest is not None else outdir / "exports"
    data, notes = load(outdir, context)

    wanted = {"student": students, "staff": staff, "room": rooms}
    if any(v is not None for v in wanted.values()):
        problems = []
        for kind, ids in wanted.items():
            known = {t.person.id for t in data.timetables[kind]}
            for i in ids or ():
                if i not in known:
                    problems.append(
                        f"there is no {_KIND_WORDS[kind]} {i} in this timetable" + _hint(i, known)
                    )
        if problems:
            raise ExportError(problems)
        data = data.only({k: v for k, v in wanted.items() if v is not None})
    else:
        data = data.only(dict.fromkeys(KINDS))

    term = None
    if "ics" in formats:
        try:
            term = ics.resolve_term(data.context, term_start, term_end)
        except ValueError as exc:
            raise ExportError([str(exc)]) from None
        notes += term.notes

    result = ExportResult(dest, notes=notes, people={k: len(v) for k, v in data.timetables.items()})
    with atomic_dir(dest) as tmp:
        for fmt in formats:
            folder = tmp / fmt
            folder.mkdir(parents=True, exist_ok=True)
            t0 = time.perf_counter()
            if fmt == "xlsx":
                written = xlsx.write_workbooks(data, folder)
            elif fmt == "ics":
                assert term is not None
                written = ics.write_calendars(data, folder, term)
            elif fmt == "html":
                written = html.write_site(data, folder)
            else:
                written = csvfiles.write_csvs(data, folder)
            result.files[fmt] = len(written)
            log.info("%s: %d files in %.2f s", fmt, len(written), time.perf_counter() - t0)
    result.seconds = time.perf_counter() - started
    return result


def _hint(wanted: str, known: set[str]) -> str:
    """``(did you mean S0001?)`` when the id differs only in capitals or spaces."""
    key = wanted.strip().casefold()
    for k in sorted(known):
        if k.casefold() == key:
            return f" (did you mean {k}?)"
    return ""


def _input_sha256(outdir: Path) -> str:
    try:
        return str(json.loads((outdir / "summary.json").read_text()).get("input_sha256") or "")
    except (OSError, ValueError, AttributeError):
        return ""


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[list[str]]:
    """The rows of an output CSV file, its columns in contract order (read as the checker
    reads them, :func:`scheduler.files.csvrows.read_rows`); a short row is refused."""
    solve_wrote = "is it a file written by `pathways solve`?"
    try:
        table = read_rows(path, columns)
    except CsvUnreadable as exc:
        if exc.missing:
            raise ExportError([f"{path} has no column {exc.missing[0]!r}: {solve_wrote}"]) from None
        why = "is empty" if exc.empty else f"cannot be read as a UTF-8 CSV file ({exc.reason})"
        raise ExportError([f"{path} {why}: {solve_wrote}"]) from None
    for row in table.rows:
        if row.cells < table.width:
            raise ExportError(
                [f"{path} line {row.line}: {row.cells} columns where the header has {table.width}"]
            )
    return [row.ordered(columns) for row in table.rows]
