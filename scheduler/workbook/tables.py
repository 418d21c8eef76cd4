"""Raw workbook tables: sheets of rows as the spreadsheet holds them.

A *table set* is ``dict[sheet_name, list[dict[column, value]]]``. The example
generator and scenario transformations produce table sets; :func:`write_tables`
writes one as an ``.xlsx`` workbook or a folder of CSV files, atomically.
Rewriting a CSV folder leaves exactly the new sheets in it: a sheet of the earlier table
set that the new one does not have is not carried across (the reader would take its CSV
file for a sheet of the school); the folder's other files are kept.
Reading (with row numbers for messages) lives in :mod:`scheduler.workbook.read`.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from scheduler.files.atomic import atomic_dir, atomic_path
from scheduler.files.csvrows import write_rows

Tables = dict[str, list[dict[str, Any]]]

#: Sheet order when writing, then any other sheets in the order given.
SHEET_ORDER = (
    "Settings",
    "Calendar",
    "Rooms",
    "Staff",
    "Courses",
    "Students",
    "Requests",
    "Stages",
    "Pathways",
    "TutorGroups",
    "Travel",
)


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    cols: dict[str, None] = {}
    for r in rows:
        for k in r:
            cols.setdefault(k, None)
    return list(cols)


def _cell(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and not math.isfinite(v):
        # An .xlsx number cell cannot hold inf or nan (openpyxl writes an empty value,
        # which reads back as a blank): keep it as the text a reader will report.
        return str(v)
    if isinstance(v, (list, tuple, set, frozenset)):
        return ",".join(str(x) for x in v)
    return v


def _ordered(tables: Tables) -> list[str]:
    known = [s for s in SHEET_ORDER if s in tables]
    return known + [s for s in tables if s not in SHEET_ORDER]


def _not_a_sheet(rel: str) -> bool:
    """Whether an old folder's entry is kept by a rewrite: anything but a CSV file at the
    top (which :func:`scheduler.workbook.read.load_school` reads as a sheet, whatever its
    case)."""
    return "/" in rel or not rel.lower().endswith(".csv")


def write_tables(tables: Tables, path: str | os.PathLike[str]) -> Path:
    """Write a table set as ``.xlsx`` (path ends in .xlsx) or as a folder of CSVs.

    A folder is switched in as a whole (:func:`scheduler.files.atomic.atomic_dir`); its sheets
    are then exactly those of ``tables``."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        wb.remove(wb.active)
        for name in _ordered(tables):
            rows = tables[name]
            ws = wb.create_sheet(name)
            cols = _columns(rows)
            ws.append(cols)
            for c in ws[1]:
                c.font = Font(bold=True)
            for r in rows:
                ws.append([_cell(r.get(c)) for c in cols])
            ws.freeze_panes = "A2"
        with atomic_path(path) as tmp:
            wb.save(tmp)
        return path
    with atomic_dir(path, keep=_not_a_sheet) as tmp:
        for name in _ordered(tables):
            rows = tables[name]
            cols = _columns(rows)
            write_rows(
                tmp / f"{name}.csv",
                cols,
                (["" if _cell(r.get(c)) is None else _cell(r.get(c)) for c in cols] for r in rows),
            )
    return path
