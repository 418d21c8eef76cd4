"""Reading a school workbook (.xlsx or a folder of CSV files) into a validated School.

The contract is ``docs/workbook.md``; its sheets and columns are
:mod:`scheduler.workbook.schema`. Reading happens in three layers, each of which
collects problems instead of stopping at the first one:

1. **raw**: every sheet becomes header + rows of cell values, remembering the
   spreadsheet row numbers (:func:`read_book`). Unreadable files, missing sheets and
   columns, unknown sheets and columns are found here.
2. **typed**: each row's cells are converted (:class:`RowReader`): ids, whole numbers,
   times, lists, slot references. A row with a wrongly typed cell is reported and left
   out; its id is remembered so that references to it are not reported a second time.
3. **domain**: the rows become :mod:`scheduler.model` objects; pathways and subject
   requests are expanded into requests, and :mod:`scheduler.workbook.validate` checks
   the whole school (values, references, data that can never be satisfied).

:func:`load_school` never raises anything but
:class:`~scheduler.workbook.problems.InputError`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import math
import os
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, overload

from scheduler.model import (
    MAIN_SITE,
    PAIR_RULES,
    RULE_KINDS,
    SEED_MAX,
    TIME_LIMIT_MAX_S,
    WEIGHT_MAX,
    WORKERS_MAX,
    Calendar,
    Course,
    LessonRef,
    Lock,
    Mode,
    Qualification,
    Request,
    RequestType,
    Room,
    School,
    Settings,
    Slot,
    Staff,
    Student,
    TimeRule,
    TutorGroup,
)
from scheduler.workbook.problems import InputError, Problem, Severity
from scheduler.workbook.schema import (
    DATE_KEYS,
    NEEDS_ROWS,
    REQUIRED_SHEETS,
    SCHEMA,
    SETTINGS_FIELDS,
    SHEET_BY_NORM,
    WEIGHT_KEYS,
    SheetSpec,
    norm_column,
    norm_sheet,
)
from scheduler.workbook.validate import (
    ANY_ID,
    MAX_RANK,
    MAX_SECTIONS,
    RANK_EXPECTED,
    PathwayRow,
    Sources,
    rank_problems,
    validate_school,
)

logger = logging.getLogger(__name__)

__all__ = ["RawRow", "RawSheet", "RowReader", "load_school", "read_book"]


_T = TypeVar("_T")

#: Cell values that are Excel's error results, not data.
EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
    }
)


# ---------------------------------------------------------------------------------------
# Layer 1: raw sheets
# ---------------------------------------------------------------------------------------


@dataclass
class RawRow:
    """One non-blank data row: its spreadsheet row number and its cells by column."""

    number: int
    cells: dict[str, Any]


@dataclass
class RawSheet:
    """A sheet of the contract as found in the file."""

    name: str  # the contract's name, e.g. "TutorGroups"
    title: str  # as spelt in the file
    columns: tuple[str, ...]  # contract columns present
    rows: list[RawRow] = field(default_factory=list)
    # False when the sheet lacks a required column or is empty: its rows are not read,
    # and references to it are not reported (the sheet's problem is).
    usable: bool = True


class _Log:
    """Collects problems in the order they are found."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add_error(
        self, sheet: str, row: int | None, column: str | None, message: str, expected: str = ""
    ) -> None:
        self.problems.append(Problem(Severity.ERROR, sheet, row, column, message, expected))

    def add_warning(
        self, sheet: str, row: int | None, column: str | None, message: str, expected: str = ""
    ) -> None:
        self.problems.append(Problem(Severity.WARNING, sheet, row, column, message, expected))


# A sheet straight from the file: its title and its rows (row number, values).
_Grid = tuple[str, list[tuple[int, list[Any]]]]


def _clean(value: Any) -> Any:
    """Blank strings become None; strings are trimmed."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


@dataclass(frozen=True)
class FormulaCell:
    """A formula cell with no saved value: the file was written by a program that does not
    calculate (a script, some exporters), so the cell's value is unknown, not blank."""

    formula: str | None

    def __str__(self) -> str:
        return f"={self.formula}" if self.formula else "a formula"


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _cell_position(ref: str | None, row: int, col: int) -> tuple[int, int]:
    """(row, column), 1-based, of a cell reference like ``E4``; counts on when it is absent."""
    if ref:
        m = re.fullmatch(r"([A-Za-z]{1,3})(\d{1,9})", ref)
        if m:
            n = 0
            for ch in m.group(1).upper():
                n = n * 26 + ord(ch) - 64
            return int(m.group(2)), n
    return row, col + 1


def _unsaved_formulas(xml: bytes) -> dict[tuple[int, int], str | None]:
    """Cells of a worksheet's XML holding a formula but no saved value: (row, col) -> formula.

    A formula whose saved value is empty text (``t="str"`` with an empty value) is a blank
    cell, not an unsaved one.
    """
    if not _FORMULA_TAG.search(xml):
        return {}
    from xml.etree.ElementTree import iterparse

    out: dict[tuple[int, int], str | None] = {}
    row = col = 0
    for event, el in iterparse(io.BytesIO(xml), events=("start", "end")):
        tag = _local(el.tag)
        if event == "start":
            if tag == "row":
                r = el.get("r")
                row = int(r) if r and r.isdigit() and len(r) < 10 else row + 1
                col = 0
            continue
        if tag != "c":
            if tag == "row":
                el.clear()
            continue
        row, col = _cell_position(el.get("r"), row, col)
        children = {_local(ch.tag): ch for ch in el}
        f = children.get("f")
        if f is not None:
            v = children.get("v")
            saved = (v is not None and bool(v.text)) or "is" in children or el.get("t") == "str"
            if not saved:
                out[row, col] = (f.text or "").strip() or None
        el.clear()
    return out


def file_label(path: Path) -> str:
    """A file or folder as messages name it: its name, shortened when very long."""
    name = path.name or str(path)
    return name if len(name) <= 60 else name[:57] + "..."


def _read_xlsx(path: Path, data: bytes, log: _Log) -> list[_Grid]:
    sheet = file_label(path)
    if data[:4] == b"\xd0\xcf\x11\xe0":
        log.add_error(
            sheet,
            None,
            None,
            "is an old-style .xls workbook or a password-protected workbook",
            "expected an unprotected .xlsx workbook (in Excel: Save As, Excel Workbook)",
        )
        return []
    if not zipfile.is_zipfile(io.BytesIO(data)):
        log.add_error(
            sheet,
            None,
            None,
            "is not an .xlsx workbook",
            "expected an .xlsx workbook or a folder of CSV files, one per sheet",
        )
        return []
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure of a corrupt file is a Problem
        log.add_error(
            sheet,
            None,
            None,
            f"could not be opened as an .xlsx workbook ({exc})",
            "expected a workbook that Excel or LibreOffice can open",
        )
        return []
    grids: list[_Grid] = []
    try:
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):
                continue  # a chart sheet
            try:
                if hasattr(ws, "reset_dimensions"):
                    # Some programs write wrong sheet dimensions; read every cell there is.
                    ws.reset_dimensions()
                rows = [
                    (i, [_clean(v) for v in values])
                    for i, values in enumerate(ws.iter_rows(min_row=1, values_only=True), 1)
                ]
                _mark_unsaved(rows, _sheet_formulas(ws, data))
            except Exception as exc:  # noqa: BLE001 - a sheet that cannot be parsed
                log.add_error(
                    ws.title,
                    None,
                    None,
                    f"sheet could not be read ({exc})",
                    "expected a sheet Excel or LibreOffice can open",
                )
                continue
            grids.append((ws.title, rows))
    finally:
        wb.close()
    return grids


def _sheet_formulas(ws: Any, data: bytes) -> dict[tuple[int, int], str | None]:
    """Formula cells without a saved value of one worksheet (empty when there are none)."""
    part = getattr(ws, "_worksheet_path", None)
    if not part:
        return {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return _unsaved_formulas(z.read(str(part).lstrip("/")))


def _mark_unsaved(
    rows: list[tuple[int, list[Any]]], formulas: dict[tuple[int, int], str | None]
) -> None:
    """Put a :class:`FormulaCell` where a formula's value was read as blank."""
    if not formulas:
        return
    by_row = {n: vals for n, vals in rows}
    for (n, col), formula in formulas.items():
        vals = by_row.get(n)
        if vals is None:
            continue
        if col > len(vals):
            vals.extend([None] * (col - len(vals)))
        if vals[col - 1] is None:
            vals[col - 1] = FormulaCell(formula)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page; latin-1 never fails.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _read_csv(title: str, data: bytes, log: _Log) -> _Grid | None:
    text = _decode(data).replace("\x00", "")
    first = text.split("\n", 1)[0]
    # Excel in many European locales writes CSV with ";" between cells.
    delimiter = ";" if ";" in first and "," not in first else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        log.add_error(
            f"{title}.csv",
            None,
            None,
            f"could not be read as CSV ({exc})",
            "expected a comma-separated file with a header row",
        )
        return None
    return title, [(i, [_clean(v) for v in rec]) for i, rec in enumerate(records, 1)]


def _read_folder(path: Path, log: _Log) -> tuple[list[_Grid], str]:
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    digest = hashlib.sha256()
    grids: list[_Grid] = []
    if not files:
        log.add_error(
            file_label(path),
            None,
            None,
            "folder holds no CSV files",
            "expected one CSV file per sheet, e.g. Calendar.csv, Rooms.csv",
        )
    for f in files:
        data = f.read_bytes()
        digest.update(data)
        grid = _read_csv(f.stem.strip(), data, log)
        if grid is not None:
            grids.append(grid)
    return grids, digest.hexdigest()


def _column_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    letter: str = get_column_letter(i + 1)  # openpyxl has no type hints
    return letter


def _header_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _to_sheet(
    spec: SheetSpec, title: str, rows: list[tuple[int, list[Any]]], log: _Log
) -> RawSheet | None:
    """Match a grid's header to the contract's columns; keep the non-blank rows."""
    rows = [(n, vals) for n, vals in rows if any(v is not None for v in vals)]
    if not rows:
        if spec.name in REQUIRED_SHEETS:
            log.add_error(
                spec.name,
                None,
                None,
                "sheet is empty",
                f"expected a header row with columns {', '.join(spec.required)}",
            )
            return RawSheet(spec.name, title, (), usable=False)
        return None  # an empty optional sheet is as good as none
    header_row, header = rows[0]
    aliases = dict(spec.aliases)
    known = set(spec.columns) | set(aliases.values())
    positions: dict[str, int] = {}
    for i, cell in enumerate(header):
        if cell is None:
            if any(i < len(vals) and vals[i] is not None for _, vals in rows[1:]):
                log.add_warning(
                    spec.name,
                    header_row,
                    f"column {_column_letter(i)}",
                    "column has values but no heading, ignored",
                    f"expected a heading, one of: {', '.join(spec.columns)}",
                )
            continue
        text = _header_text(cell)
        norm = norm_column(text)
        col = aliases.get(norm, norm)
        if col not in known:
            log.add_warning(
                spec.name,
                header_row,
                text,
                "unknown column, ignored",
                f"expected one of: {', '.join(spec.columns)}",
            )
            continue
        if col in positions:
            log.add_error(
                spec.name,
                header_row,
                text,
                f"column appears twice (also column {_column_letter(positions[col])})",
                "expected each column once",
            )
            continue
        positions[col] = i
    ok = True
    for col in spec.required:
        if col not in positions:
            log.add_error(
                spec.name, header_row, col, "column is missing", f"expected a column headed {col}"
            )
            ok = False
    for group in spec.one_of:
        if not any(c in positions for c in group):
            shown = " or ".join(c for c in group if c in spec.columns)
            log.add_error(
                spec.name,
                header_row,
                shown,
                "column is missing",
                f"expected a column headed {shown}",
            )
            ok = False
    if not ok:
        return RawSheet(spec.name, title, tuple(positions), usable=False)
    out = RawSheet(spec.name, title, tuple(positions))
    for n, vals in rows[1:]:
        cells = {c: (vals[i] if i < len(vals) else None) for c, i in positions.items()}
        if all(v is None for v in cells.values()):
            continue  # only ignored columns hold values
        out.rows.append(RawRow(n, cells))
    if not out.rows and spec.name in NEEDS_ROWS:
        # Reported once here; the sheet is then unusable, so that references into it are
        # not reported one by one (a header-only Courses sheet is not 2,000 errors).
        log.add_error(spec.name, None, None, "has no rows", NEEDS_ROWS[spec.name])
        out.usable = False
    return out


def read_book(path: str | Path) -> tuple[dict[str, RawSheet], str, list[Problem]]:
    """Read a workbook or CSV folder into raw sheets keyed by the contract's sheet name.

    Returns ``(sheets, sha256, problems)``. A sheet that lacks a required column is
    there with ``usable=False``; a missing sheet is absent (both are reported when
    required).
    """
    path = Path(path)
    log = _Log()
    sha = ""
    grids: list[_Grid] = []
    where = file_label(path)
    is_dir = False
    try:
        is_dir = path.is_dir()
        if is_dir:
            grids, sha = _read_folder(path, log)
        elif not path.exists():
            log.add_error(
                where,
                None,
                None,
                "file not found",
                "expected an .xlsx workbook or a folder of CSV files",
            )
        elif not path.is_file():
            log.add_error(
                where,
                None,
                None,
                "is not a file or a folder (a device or a pipe)",
                "expected an .xlsx workbook or a folder of CSV files",
            )
        elif path.suffix.lower() == ".csv":
            log.add_error(
                where,
                None,
                None,
                "is a single CSV file",
                "expected an .xlsx workbook or a folder with one CSV file per sheet",
            )
        else:
            data = path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            grids = _read_xlsx(path, data, log)
    except (OSError, ValueError) as exc:  # ValueError: a path with a NUL character
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        log.add_error(
            where,
            None,
            None,
            f"could not be read ({reason})",
            "expected a readable .xlsx workbook or folder of CSV files",
        )
    sheets: dict[str, RawSheet] = {}
    titles: dict[str, str] = {}
    for title, rows in grids:
        name = SHEET_BY_NORM.get(norm_sheet(title))
        if name is None:
            log.add_warning(
                title, None, None, "unknown sheet, ignored", f"expected one of: {', '.join(SCHEMA)}"
            )
            continue
        if name in titles:
            log.add_error(
                title,
                None,
                None,
                f"sheet {name} appears twice (also {titles[name]!r})",
                "expected each sheet once",
            )
            continue
        titles[name] = title
        sheet = _to_sheet(SCHEMA[name], title, rows, log)
        if sheet is not None:
            sheets[name] = sheet
    if grids or is_dir:
        for name in REQUIRED_SHEETS:
            if name not in titles:
                spec = SCHEMA[name]
                log.add_error(
                    name,
                    None,
                    None,
                    "sheet is missing",
                    f"expected a sheet named {name} with columns {', '.join(spec.required)}",
                )
    return sheets, sha, log.problems


# ---------------------------------------------------------------------------------------
# Layer 2: typed cells
# ---------------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be converted: what is wrong and what was expected."""

    def __init__(self, message: str, expected: str):
        super().__init__(message)
        self.message = message
        self.expected = expected


#: Longest text quoted whole in a message.
SHOW_TEXT = 40


def show(value: Any) -> str:
    """A cell value as a timetabler would recognise it in a message."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)) and math.isfinite(value) and abs(value) >= 10**15:
        return f"{float(value):.3g}"  # 1e+308, not 309 digits
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, str):
        if len(value) > SHOW_TEXT:
            value = value[: SHOW_TEXT - 3] + "..."
        return f"'{value}'"
    return str(value)


def to_text(value: Any) -> str:
    """Any non-blank cell as text: ``7.0`` -> ``"7"``, a date -> ``"2025-09-01"``."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return show(value)
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


WHOLE = "expected a whole number"


def to_int(value: Any, expected: str = WHOLE) -> int:
    """A whole number: ``3``, ``3.0`` or ``"3"``; ``3.5`` and text are errors."""
    if isinstance(value, (bool, datetime, date, time, timedelta)):
        raise CellError(f"{show(value)} is not a whole number", expected)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        raise CellError(f"{show(value)} is not a whole number", expected)
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d+(?:\.0*)?", text) and len(text.split(".")[0].lstrip("+-")) > 18:
        raise CellError(f"{show(text)} is too large a number", expected)
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"[+-]?\d+\.0*", text):
        return int(text.split(".")[0])
    if re.fullmatch(r"[+-]?\d*\.\d+", text) and len(text) <= SHOW_TEXT:
        raise CellError(f"{text} is not a whole number", expected)
    raise CellError(f"{show(text)} is not a whole number", expected)


LESSONS = "expected lessons: COURSE, COURSE.N (group N) or COURSE.N:L (its L-th lesson)"
RULE_VALUE = "expected a whole number from 0 to 1000 (days, or gaps)"
RULE_WEIGHT = "expected blank (a hard rule) or a whole number from 1 to 1,000,000 (soft)"
RULE_NEEDS = {
    "lessons": LESSONS,
    "slots": "expected a slot list, e.g. Mon 1, Tue 2, Wed",
    "value": RULE_VALUE,
}
MAX_RULE_VALUE = 1000

GROUP = "expected a group number from 1, e.g. 2 (or the group's id, e.g. MA.2)"


def to_group(value: Any, course: str | None) -> int:
    """A group number within its course: ``2``, or the group's id ``MA.2`` (as in
    groups.csv) when it names the row's course."""
    text = to_text(value) if isinstance(value, str) else None
    if text is not None and "." in text and not re.fullmatch(r"[+-]?\d*\.\d*", text):
        prefix, _, number = text.rpartition(".")
        if course is not None and prefix.casefold() != course.casefold():
            raise CellError(f"{show(text)} is a group of {prefix}, not of {course}", GROUP)
        value = number
    n = to_int(value, GROUP)
    if n < 1 or n > MAX_SECTIONS:
        raise CellError(f"{n} is not a group number", GROUP + f"; at most {MAX_SECTIONS}")
    return n


def to_year(value: Any, expected: str = "expected a year group, e.g. 9") -> int:
    """A year group: ``9``, or as schools often write it, ``Y9``, ``Yr 9`` or ``Year 9``."""
    if isinstance(value, str):
        m = re.fullmatch(r"(?:y|yr|year)\s*(\d{1,9})", value.strip(), flags=re.IGNORECASE)
        if m:
            return int(m.group(1))
    return to_int(value, expected)


def to_number(value: Any, expected: str = "expected a number") -> float:
    """A finite number from a number cell or text."""
    if isinstance(value, (bool, datetime, date, time, timedelta)):
        raise CellError(f"{show(value)} is not a number", expected)
    if isinstance(value, (int, float)):
        out = float(value)
    else:
        try:
            out = float(str(value).strip())
        except ValueError:
            raise CellError(f"{show(value)} is not a number", expected) from None
    if not math.isfinite(out):
        raise CellError(f"{show(value)} is not a number", expected)
    return out


TIME = "expected a time HH:MM, e.g. 09:00"


def to_minutes(value: Any) -> int:
    """A time of day as minutes after midnight, from text (``9:00``) or an Excel time cell."""
    if isinstance(value, datetime):
        return value.hour * 60 + value.minute
    if isinstance(value, time):
        return value.hour * 60 + value.minute
    if isinstance(value, timedelta):
        minutes = round(value.total_seconds() / 60)
        if 0 <= minutes <= 24 * 60:
            return minutes
        raise CellError(f"{show(str(value))} is not a time of day", TIME)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # An Excel time is a fraction of a day when the cell has no time format.
        if math.isfinite(value) and 0 <= value < 1:
            return round(value * 24 * 60)
        raise CellError(f"{show(value)} is not a time", TIME)
    text = str(value).strip()
    m = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?", text)
    if m:
        h, mi = int(m.group(1)), int(m.group(2))
        if h < 24 and mi < 60:
            return h * 60 + mi
    raise CellError(f"{show(text)} is not a time", TIME)


DAY = "expected a day label with letters, e.g. Mon, Day 1 or Wk1 Mon"
_NUMBER_TEXT = re.compile(
    r"[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|[+-]?(?:inf|infinity|nan)", flags=re.IGNORECASE
)


def to_day(value: Any) -> str:
    """A Calendar day label: text with letters, not a number, a time, a date or TRUE/FALSE.

    A day cell of ``1``, ``09:50`` or ``FALSE`` is almost always a value typed into the
    wrong column, which would silently add a day to the cycle; a label that is a number
    would also make slot references like ``1 3`` ambiguous. Numbered days are written
    ``Day 1``.
    """
    if isinstance(value, bool):
        raise CellError(f"{show(value)} is TRUE/FALSE, not a day label", DAY)
    if isinstance(value, (datetime, date, time, timedelta)):
        raise CellError(f"{show(value)} is a date or time, not a day label", DAY)
    if isinstance(value, (int, float)):
        raise CellError(f"{show(value)} is a number, not a day label", DAY)
    text = to_text(value)
    if _NUMBER_TEXT.fullmatch(text):
        raise CellError(f"{show(text)} is a number, not a day label", DAY)
    if re.fullmatch(r"\d{1,2}[:.]\d{2}(?::\d{2})?", text):
        raise CellError(f"{show(text)} is a time, not a day label", DAY)
    if text.casefold() in ("true", "false"):
        raise CellError(f"{show(text)} is TRUE/FALSE, not a day label", DAY)
    if not any(ch.isalpha() for ch in text):
        raise CellError(f"{show(text)} has no letters, so it is not a day label", DAY)
    return text


#: What a yes/no cell may say, in any case (the scenarios' filters read cells the same way).
YES_WORDS = frozenset({"yes", "y", "true", "1", "x"})
NO_WORDS = frozenset({"no", "n", "false", "0"})


def to_bool(value: Any) -> bool:
    """yes/no, true/false, 1/0 (any case) or an Excel TRUE/FALSE cell."""
    if isinstance(value, bool):
        return value
    text = to_text(value).casefold()
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise CellError(f"{show(value)} is not yes or no", "expected yes or no")


def to_date(value: Any) -> date:
    """A date from a date cell or ``YYYY-MM-DD`` text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(to_text(value))
    except ValueError:
        raise CellError(f"{show(value)} is not a date", "expected a date YYYY-MM-DD") from None


def split_list(value: Any) -> list[str]:
    """The items of a list cell, split on ``,`` or ``;``; blanks dropped."""
    if value is None:
        return []
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [to_text(value)]
    return [p.strip() for p in re.split(r"[,;]", to_text(value)) if p.strip()]


def parse_qualification(text: str) -> Qualification:
    """``Maths``, ``Maths:3`` (stage 3 only) or ``Maths:1-4`` (stages 1 to 4)."""
    expected = "expected a subject, optionally with stages, e.g. Maths or Maths:1-4"
    subject, sep, stages = text.partition(":")
    subject = subject.strip()
    if not subject:
        raise CellError(f"{show(text)} has no subject", expected)
    if not sep:
        return Qualification(subject)
    m = re.fullmatch(r"\s*(\d{1,9})\s*(?:-\s*(\d{1,9})\s*)?", stages)
    if not m:
        raise CellError(f"{show(text)} has stages that are not whole numbers", expected)
    lo = int(m.group(1))
    hi = int(m.group(2)) if m.group(2) is not None else lo
    return Qualification(subject, lo, hi)


class SlotResolver:
    """Turns slot references (``Mon 3``, ``Wk2 Fri 5``, ``Wed``) into slot indices.

    ``complete`` is False when the Calendar sheet is missing or unreadable as a whole:
    then no reference is reported (the sheet's problem is). ``dropped`` holds the (day,
    period) of Calendar rows left out because of errors (None for a cell that could not
    be read): a reference that may name one of those rows is left out silently, every
    other unknown reference is reported.
    """

    def __init__(
        self,
        calendar: Calendar,
        complete: bool = True,
        dropped: Iterable[tuple[str | None, str | None]] = (),
    ):
        self.calendar = calendar
        self.complete = complete
        self.dropped = tuple(
            (None if d is None else _norm_ref(d), None if p is None else _norm_ref(p))
            for d, p in dropped
        )
        self._labels = {_norm_ref(s.label): s.index for s in calendar.slots}

    def reports(self, token: str, whole_day: bool = False) -> bool:
        """Whether an unknown reference is reported (it cannot name a row left out)."""
        if not self.complete:
            return False
        words = _norm_ref(token).split()
        for day, period in self.dropped:
            if day is None and (period is None or whole_day):
                return False
            if day is not None and _same_day(words, day):
                return False  # a whole day of which a row was left out
            if whole_day or len(words) < 2:
                continue
            if (day is None or _same_day(words[:-1], day)) and period in (None, words[-1]):
                return False
        return True

    def slot(self, token: str) -> tuple[int, ...]:
        key = _norm_ref(token)
        if key in self._labels:
            return (self._labels[key],)
        days = self.calendar.day_matches(token) if token.strip() else ()
        if days:
            return tuple(i for d in days for i in self.calendar.day_slots[d])
        # "Tue 4" in a two-week cycle: period 4 of every Tue.
        day, _, period = " ".join(token.split()).rpartition(" ")
        if day:
            found = tuple(
                self._labels[k]
                for d in self.calendar.day_matches(day)
                if (k := _norm_ref(f"{d} {period}")) in self._labels
            )
            if found:
                return found
        raise CellError(
            f"{show(token)} is not a slot or day of the Calendar",
            "expected <day> <period> as in the Calendar sheet (e.g. Mon 1) or a day (e.g. Mon)",
        )

    def days(self, token: str) -> tuple[str, ...]:
        days = self.calendar.day_matches(token) if token.strip() else ()
        if days:
            return days
        raise CellError(
            f"{show(token)} is not a day of the Calendar",
            "expected a day as in the Calendar sheet, e.g. Mon",
        )


def _same_day(words: list[str], day: str) -> bool:
    """A day reference (as words) names ``day``: its label, or its last word (``Mon`` for
    ``Wk1 Mon``)."""
    name = " ".join(words)
    return bool(name) and (name == day or name == day.split()[-1])


def _norm_ref(text: str) -> str:
    return " ".join(text.split()).casefold()


class RowReader:
    """Typed access to one row's cells; every conversion failure becomes a Problem.

    ``ok`` turns False as soon as one cell of the row is wrong, so the caller can leave
    the row out (it has been reported).
    """

    def __init__(self, sheet: str, row: RawRow, log: _Log):
        self.sheet = sheet
        self.row = row
        self.log = log
        self.ok = True
        self.bad: set[str] = set()  # columns whose cell could not be read

    def error(self, column: str | None, message: str, expected: str = "") -> None:
        self.ok = False
        if column is not None:
            self.bad.add(column)
        self.log.add_error(self.sheet, self.row.number, column, message, expected)

    def warn(self, column: str | None, message: str, expected: str = "") -> None:
        self.log.add_warning(self.sheet, self.row.number, column, message, expected)

    def _get(self, column: str, required: bool, expected: str) -> Any:
        value = self.row.cells.get(column)
        if isinstance(value, str) and value in EXCEL_ERRORS:
            self.error(
                column, f"holds the spreadsheet error {value}", expected + " (fix the formula)"
            )
            return None
        if isinstance(value, FormulaCell):
            what = f"the formula {value}" if value.formula else "a formula"
            self.error(
                column,
                f"holds {what} with no saved value",
                expected + " (open the workbook in Excel or LibreOffice and save it, so "
                "the formula's value is saved, or type the value)",
            )
            return None
        if value is None and required:
            self.error(column, "is blank", expected)
        return value

    def convert(
        self, column: str, fn: Callable[[Any], _T], expected: str, required: bool = False
    ) -> _T | None:
        """``fn(cell)`` or None for a blank (reported when required) or wrong cell."""
        value = self._get(column, required, expected)
        if value is None:
            return None
        try:
            return fn(value)
        except CellError as exc:
            self.error(column, exc.message, exc.expected)
            return None

    def text(
        self, column: str, required: bool = False, expected: str = "expected text"
    ) -> str | None:
        return self.convert(column, to_text, expected, required)

    def ident(self, column: str, required: bool = True, what: str = "an id") -> str | None:
        return self.convert(column, to_text, f"expected {what}", required)

    def integer(self, column: str, required: bool = False, expected: str = WHOLE) -> int | None:
        return self.convert(column, lambda v: to_int(v, expected), expected, required)

    def number(
        self, column: str, required: bool = False, expected: str = "expected a number"
    ) -> float | None:
        return self.convert(column, lambda v: to_number(v, expected), expected, required)

    def rank(self, column: str = "rank") -> int | None:
        """A rank: a whole number from 1 (most wanted) to MAX_RANK, or blank."""
        value = self.integer(column, expected=RANK_EXPECTED)
        if value is not None and (value < 1 or value > MAX_RANK):
            for p in rank_problems(self.sheet, self.row.number, value):
                self.error(p.column, p.message, p.expected)
            return None
        return value

    def minutes(self, column: str, required: bool = True) -> int | None:
        return self.convert(column, to_minutes, TIME, required)

    def boolean(self, column: str) -> bool | None:
        return self.convert(column, to_bool, "expected yes or no")

    def items(self, column: str) -> list[str]:
        value = self._get(column, False, "expected a list")
        return split_list(value)

    def integers(
        self,
        column: str,
        required: bool = False,
        expected: str = "expected whole numbers separated by commas, e.g. 1,1,2",
        convert: Callable[[Any, str], int] = to_int,
    ) -> list[int] | None:
        value = self._get(column, required, expected)
        if value is None:
            return None
        out: list[int] = []
        for item in split_list(value):
            try:
                out.append(convert(item, expected))
            except CellError:
                shown = show(to_text(value))
                inner = f"{show(item)} in {shown}" if show(item) != shown else shown
                self.error(column, f"{inner} is not a whole number", expected)
                return None
        if not out and required:
            self.error(column, "is blank", expected)
            return None
        return out

    def choice(
        self, column: str, options: Iterable[str], what: str, required: bool = False
    ) -> str | None:
        opts = tuple(options)
        expected = f"expected {_or(opts)}"

        def pick(v: Any) -> str:
            text = to_text(v).casefold()
            if text in opts:
                return text
            raise CellError(f"{show(v)} is not a {what}", expected)

        return self.convert(column, pick, expected, required)

    def slots(self, column: str, resolver: SlotResolver) -> frozenset[int]:
        out: set[int] = set()
        for token in self.items(column):
            try:
                out.update(resolver.slot(token))
            except CellError as exc:
                if resolver.reports(token):
                    self.error(column, exc.message, exc.expected)
        return frozenset(out)

    def days(self, column: str, resolver: SlotResolver) -> frozenset[str]:
        out: set[str] = set()
        for token in self.items(column):
            try:
                out.update(resolver.days(token))
            except CellError as exc:
                if resolver.reports(token, whole_day=True):
                    self.error(column, exc.message, exc.expected)
        return frozenset(out)


def _or(options: tuple[str, ...]) -> str:
    if len(options) == 1:
        return options[0]
    return ", ".join(options[:-1]) + " or " + options[-1]


# ---------------------------------------------------------------------------------------
# Layer 3: domain objects
# ---------------------------------------------------------------------------------------


#: What a cell naming a student must hold.
_STUDENT_ID = "expected a student id from the Students sheet"


class _Ids:
    """Ids of one sheet: rows kept, and ids of rows left out because of errors."""

    def __init__(self, sheet: str, what: str):
        self.sheet = sheet
        self.what = what
        self.rows: dict[str, int] = {}
        self.dropped: set[str] = set()  # casefolded
        self._folded: dict[str, str | None] = {}
        self.unusable = False  # the whole sheet is missing or broken (reported)

    def claim(self, r: RowReader, column: str, ident: str | None) -> bool:
        """Register an id from a row; reports a duplicate. False when the id is unusable."""
        if ident is None:
            return False
        if ident in self.rows:
            r.error(
                column,
                f"{ident} is already used on row {self.rows[ident]}",
                f"expected a unique {self.what} id",
            )
            return False
        same = self._folded.get(ident.casefold())
        if same is not None:
            r.warn(
                column,
                f"{ident} and {same} (row {self.rows[same]}) differ only in "
                "capitals; they are different ids",
                f"expected clearly different {self.what} ids",
            )
        return True

    def keep(self, ident: str, row: int) -> None:
        self.rows[ident] = row
        key = ident.casefold()
        # A reference matches an id exactly, else case-insensitively when that is unique.
        self._folded[key] = None if key in self._folded else ident

    def drop(self, ident: str | None) -> None:
        if ident is None:
            # A row left out whose id could not be read: any reference may name it.
            self.dropped.add(ANY_ID)
        elif ident not in self.rows:
            self.dropped.add(ident.casefold())

    def find(self, ref: str) -> str | None:
        if ref in self.rows:
            return ref
        return self._folded.get(ref.casefold())

    @overload
    def spelt(self, ref: str) -> str: ...
    @overload
    def spelt(self, ref: str | None) -> str | None: ...
    def spelt(self, ref: str | None) -> str | None:
        """A reference spelt as the id it matches (as given when it matches none)."""
        return None if ref is None else self.find(ref) or ref

    def check(self, r: RowReader, column: str, ref: str, expected: str) -> str | None:
        """The id a reference matches; an error on the row when it matches no row of the
        sheet, nor a row left out because of errors (that row is reported already)."""
        found = self.find(ref)
        if found is None and not self.known_or_dropped(ref):
            r.error(column, f"{ref} is not on the {self.sheet} sheet", expected)
        return found

    def known_or_dropped(self, ref: str) -> bool:
        """True when a reference matches an id, or a row left out because of errors."""
        return (
            self.unusable
            or self.find(ref) is not None
            or ref.casefold() in self.dropped
            or ANY_ID in self.dropped
        )

    @property
    def incomplete(self) -> bool:
        return bool(self.dropped)


@dataclass
class _Stage:
    stage: int
    row: int


#: A cell of a row left out for errors that could not be read either.
_UNKNOWN = object()

#: Stands for the student(s) a request message is about, filled in when reported.
WHO = "\x00who\x00"


class _PathwayIssues:
    """Problems of pathway rows that concern many students, reported once per row."""

    def __init__(self) -> None:
        self._items: dict[tuple[int, str, str, str], list[str]] = {}

    def __bool__(self) -> bool:
        return bool(self._items)

    def add(self, row: int, column: str, message: str, expected: str, student: str) -> None:
        self._items.setdefault((row, column, message, expected), []).append(student)

    def report(self, log: _Log) -> None:
        for (row, column, message, expected), students in self._items.items():
            shown = ", ".join(students[:5])
            if len(students) > 5:
                shown += f" and {len(students) - 5} more"
            who = f"student{'s' if len(students) > 1 else ''} {shown}"
            log.add_error("Pathways", row, column, message.replace(WHO, who), expected)


class _Builder:
    """Turns raw sheets into domain objects and the sources validation needs."""

    def __init__(self, sheets: dict[str, RawSheet], log: _Log):
        self.present = frozenset(sheets)
        self.sheets = {k: v for k, v in sheets.items() if v.usable}
        self.log = log
        # Sheets that lost rows (or everything) to reported errors: references into them
        # and capacity checks counting them are not reported again.
        self.incomplete: set[str] = {k for k, v in sheets.items() if not v.usable}
        self.incomplete.update(s for s in REQUIRED_SHEETS if s not in sheets)
        self.calendar = Calendar(())
        self.slot_rows: list[int] = []
        self.resolver = SlotResolver(self.calendar, complete=False)
        self.rooms: list[Room] = []
        self.staff: list[Staff] = []
        self.courses: list[Course] = []
        self.course_by_id: dict[str, Course] = {}
        self.students: list[Student] = []
        self.tutor_groups: list[TutorGroup] = []
        self.travel: list[tuple[str, str, int]] = []
        self.locks: list[Lock] = []
        self.time_rules: list[TimeRule] = []
        self.travel_rows: list[int] = []
        self.settings = Settings()
        self.requests: list[Request] = []
        self.request_where: list[tuple[str, int]] = []
        self.pathway_rows: list[PathwayRow] = []
        self.pathway_ids: set[str] = set()
        # What rows left out because of errors held, so that a reference to them is not
        # reported a second time while every other reference is (None = unknown).
        self.dropped_room_types: frozenset[str] | None = frozenset()
        self.dropped_room_sites: frozenset[str] | None = frozenset()
        self.dropped_courses: set[tuple[str | None, int | None | object]] = set()
        self.dropped_stages: set[tuple[str | None, str | None]] = set()
        self.ids = {
            "Rooms": _Ids("Rooms", "room"),
            "Staff": _Ids("Staff", "staff"),
            "Courses": _Ids("Courses", "course"),
            "Students": _Ids("Students", "student"),
            "TutorGroups": _Ids("TutorGroups", "tutor group"),
        }
        for sheet, ids in self.ids.items():
            ids.unusable = sheet in self.incomplete
        self.sites: dict[str, str] = {MAIN_SITE.casefold(): MAIN_SITE}

    # ---- helpers ------------------------------------------------------------------
    def rows(self, sheet: str) -> Iterable[RowReader]:
        raw = self.sheets.get(sheet)
        if raw is None:
            return []
        return (RowReader(sheet, row, self.log) for row in raw.rows)

    def site(self, text: str | None) -> str:
        """A site name, spelt as first seen (blank = Main)."""
        if text is None:
            return MAIN_SITE
        return self.sites.setdefault(text.casefold(), text)

    def finish(self, r: RowReader, ids: _Ids | None = None, ident: str | None = None) -> bool:
        """True when the row is good; otherwise remember it was left out."""
        if r.ok:
            return True
        self.incomplete.add(r.sheet)
        if ids is not None:
            ids.drop(ident)
        return False

    # ---- sheets -------------------------------------------------------------------
    def read_calendar(self) -> None:
        entries: list[tuple[str, str, int, int, int]] = []
        seen: dict[tuple[str, str], int] = {}
        dropped: list[tuple[str | None, str | None]] = []
        for r in self.rows("Calendar"):
            day = r.convert("day", to_day, DAY, required=True)
            period = r.ident("period", what="a period label, e.g. 1")
            start = r.minutes("start")
            end = r.minutes("end")
            if day is not None and period is not None:
                key = (day.casefold(), period.casefold())
                if key in seen:
                    r.error(
                        "period",
                        f"{day} {period} is already on row {seen[key]}",
                        "expected each day and period once",
                    )
                else:
                    seen[key] = r.row.number
            if self.finish(r) and day and period and start is not None and end is not None:
                entries.append((day, period, start, end, r.row.number))
            elif not r.ok:
                dropped.append((day, period))
        days: dict[str, str] = {}  # casefold -> label as first spelt
        for e in entries:
            days.setdefault(e[0].casefold(), e[0])
        day_order = {k: i for i, k in enumerate(days)}
        position: dict[str, int] = {}
        slots: list[Slot] = []
        for day, period, start, end, row in entries:
            k = day.casefold()
            pos = position.get(k, 0)
            position[k] = pos + 1
            slots.append(Slot(len(slots), days[k], period, start, end, day_order[k], pos))
            self.slot_rows.append(row)
        if "Calendar" in self.sheets and not slots and "Calendar" not in self.incomplete:
            self.log.add_error(
                "Calendar",
                None,
                None,
                "has no slots",
                "expected one row per teaching period of the cycle",
            )
        self.calendar = Calendar(tuple(slots))
        complete = "Calendar" in self.sheets and bool(slots or dropped)
        self.resolver = SlotResolver(self.calendar, complete=complete, dropped=dropped)

    def read_rooms(self) -> None:
        ids = self.ids["Rooms"]
        for r in self.rows("Rooms"):
            rid = r.ident("room", what="a room id")
            ids.claim(r, "room", rid)
            capacity = r.integer(
                "capacity", required=True, expected="expected a whole number of seats"
            )
            types = frozenset(t.casefold() for t in r.items("type"))
            site = self.site(r.text("site"))
            max_groups = r.integer("max_groups")
            unavailable = r.slots("unavailable", self.resolver)
            if self.finish(r, ids, rid) and rid is not None and capacity is not None:
                ids.keep(rid, r.row.number)
                self.rooms.append(
                    Room(
                        rid,
                        capacity,
                        types,
                        site,
                        1 if max_groups is None else max_groups,
                        unavailable,
                    )
                )
            else:
                # A room left out for errors may be the one a course's room_type or a
                # Travel site refers to; None = its cell could not be read either.
                if self.dropped_room_types is not None:
                    self.dropped_room_types = (
                        None if "type" in r.bad else self.dropped_room_types | types
                    )
                if self.dropped_room_sites is not None:
                    self.dropped_room_sites = (
                        None if "site" in r.bad else self.dropped_room_sites | {site}
                    )

    def read_staff(self) -> None:
        ids = self.ids["Staff"]
        for r in self.rows("Staff"):
            sid = r.ident("staff", what="a staff id")
            ids.claim(r, "staff", sid)
            name = r.text("name") or ""
            quals: list[Qualification] = []
            for item in r.items("subjects"):
                try:
                    quals.append(parse_qualification(item))
                except CellError as exc:
                    r.error("subjects", exc.message, exc.expected)
            max_periods = r.integer("max_periods")
            unavailable = r.slots("unavailable", self.resolver)
            site = self.site(r.text("site"))
            if self.finish(r, ids, sid) and sid is not None:
                ids.keep(sid, r.row.number)
                self.staff.append(Staff(sid, name, tuple(quals), max_periods, unavailable, site))

    def read_courses(self) -> None:
        ids = self.ids["Courses"]
        for r in self.rows("Courses"):
            cid = r.ident("course", what="a course id, e.g. MA-6")
            ids.claim(r, "course", cid)
            subject = r.text("subject", required=True, expected="expected a subject, e.g. Maths")
            stage = r.integer("stage", expected="expected a whole-number stage, or blank")
            lessons = r.integers(
                "lessons", required=True, expected="expected lesson lengths in periods, e.g. 1,1,2"
            )
            min_size = r.integer("min_size", required=True)
            max_size = r.integer("max_size", required=True)
            room_type = r.text("room_type")
            staff_ids = self.ids["Staff"]
            staff = tuple(dict.fromkeys(staff_ids.spelt(x) for x in r.items("staff")))
            per_group = r.integer("staff_per_group")
            sections = r.integer("sections", expected="expected a whole number of groups, or blank")
            years = r.integers(
                "years", expected="expected year groups, e.g. 10,11, or blank", convert=to_year
            )
            mode = r.choice("mode", [m.value for m in Mode], "mode") or Mode.SCHOOL.value
            kind = r.text("kind") or "lesson"
            if not r.ok:
                # What a subject request may have meant to find here (None = unknown).
                self.dropped_courses.add(
                    (
                        None if subject is None else subject.casefold(),
                        _UNKNOWN if "stage" in r.bad else stage,
                    )
                )
            if (
                self.finish(r, ids, cid)
                and cid
                and subject
                and lessons is not None
                and min_size is not None
                and max_size is not None
            ):
                ids.keep(cid, r.row.number)
                course = Course(
                    cid,
                    subject,
                    tuple(lessons),
                    min_size,
                    max_size,
                    stage=stage,
                    room_type=room_type,
                    staff=staff,
                    staff_per_group=1 if per_group is None else per_group,
                    sections=sections,
                    years=frozenset(years) if years else None,
                    mode=Mode(mode),
                    kind=kind,
                )
                self.courses.append(course)
                self.course_by_id[cid] = course

    def read_students(self) -> None:
        ids = self.ids["Students"]
        for r in self.rows("Students"):
            sid = r.ident("student", what="a student id")
            ids.claim(r, "student", sid)
            name = r.text("name") or ""
            year = r.convert("year", to_year, "expected a year group, e.g. 9", required=True)
            tutor_group = self.ids["TutorGroups"].spelt(r.ident("tutor_group", required=False))
            house = r.text("house")
            family = r.text("family")
            pathway = r.ident("pathway", required=False)
            home_days = r.days("home_days", self.resolver)
            site = self.site(r.text("site"))
            unavailable = r.slots("unavailable", self.resolver)
            if self.finish(r, ids, sid) and sid is not None and year is not None:
                ids.keep(sid, r.row.number)
                self.students.append(
                    Student(
                        sid,
                        year,
                        name,
                        tutor_group,
                        house,
                        family,
                        pathway,
                        home_days,
                        site,
                        unavailable,
                    )
                )

    def read_tutor_groups(self) -> None:
        ids = self.ids["TutorGroups"]
        for r in self.rows("TutorGroups"):
            gid = r.ident("group", what="a tutor group id")
            ids.claim(r, "group", gid)
            tutor = self.ids["Staff"].spelt(r.ident("tutor", what="a staff id"))
            room = self.ids["Rooms"].spelt(r.ident("room", required=False))
            capacity = r.integer(
                "capacity", required=True, expected="expected a whole number of students"
            )
            meets = r.slots("meets", self.resolver)
            house = r.text("house")
            vertical = r.boolean("vertical")
            if self.finish(r, ids, gid) and gid and tutor and capacity is not None:
                ids.keep(gid, r.row.number)
                self.tutor_groups.append(
                    TutorGroup(gid, tutor, capacity, meets, room, house, bool(vertical))
                )

    def read_travel(self) -> None:
        for r in self.rows("Travel"):
            # A blank site is the main site (rule 1).
            a = self.site(r.text("from_site", expected="expected a site name, blank = Main"))
            b = self.site(r.text("to_site", expected="expected a site name, blank = Main"))
            minutes = r.integer(
                "minutes", required=True, expected="expected a whole number of minutes"
            )
            if self.finish(r) and minutes is not None:
                self.travel.append((a, b, minutes))
                self.travel_rows.append(r.row.number)

    def read_locks(self) -> None:
        """The Locks sheet (added by the project): cells are read here, what they name
        is checked by scheduler.workbook.validate (check_locks)."""
        for r in self.rows("Locks"):
            course = self.ids["Courses"].spelt(
                r.ident("course", what="a course id from the Courses sheet")
            )
            group = r.convert("group", partial(to_group, course=course), GROUP, required=True)
            slots = r.slots("slots", self.resolver)
            room = self.ids["Rooms"].spelt(r.ident("room", required=False))
            staff = tuple(self.ids["Staff"].spelt(p) for p in r.items("staff"))
            student = self.ids["Students"].spelt(r.ident("student", required=False))
            if self.finish(r) and course is not None and group is not None:
                self.locks.append(Lock(course, group, slots, room, staff, student, r.row.number))

    def read_rules(self) -> None:
        """The Rules sheet (added by the project): every cell and what it names checked
        here, each problem as ``Rules!row, column``."""
        kinds = tuple(RULE_KINDS)
        for r in self.rows("Rules"):
            kind = r.choice("rule", kinds, "rule of the Rules sheet", required=True)
            refs = [x for x in (self._lesson_ref(r, t) for t in r.items("lessons")) if x]
            staff = [
                self.ids["Staff"].check(r, "staff", p, "expected staff ids") or p
                for p in r.items("staff")
            ]
            students = [
                self.ids["Students"].check(r, "students", x, "expected student ids") or x
                for x in r.items("students")
            ]
            slots = r.slots("slots", self.resolver)
            value = r.integer("value", expected=RULE_VALUE)
            if value is not None and not 0 <= value <= MAX_RULE_VALUE:
                r.error("value", f"{value} is out of range", RULE_VALUE)
            weight = r.integer("weight", expected=RULE_WEIGHT)
            if weight is not None and not 1 <= weight <= WEIGHT_MAX:
                r.error("weight", f"{weight} is out of range", RULE_WEIGHT)
            together = r.boolean("consecutive_if_same_day")
            if together and kind is not None and kind != "min_days_apart":
                r.error(
                    "consecutive_if_same_day",
                    f"is yes on a {kind} rule; only a min_days_apart row takes it",
                    "blank or no",
                )
            if kind is not None:
                needs = RULE_KINDS[kind]
                given = {"lessons": r.items("lessons"), "slots": r.items("slots")}
                for column in needs:
                    blank = (value is None) if column == "value" else not given[column]
                    if blank and column not in r.bad:
                        r.error(column, f"is blank; a {kind} rule needs it", RULE_NEEDS[column])
                if kind.startswith("students_") and r.ok:
                    self._fixed_groups(r, students)
                if "lessons" not in needs and given["lessons"]:
                    r.error("lessons", f"a {kind} rule is not about lessons", "blank")
                whole = {x.lesson is None for x in refs}
                if (
                    kind == "same_start"
                    and refs
                    and r.ok
                    and (len(refs) < 2 or any(x.group is None for x in refs) or len(whole) > 1)
                ):
                    r.error(
                        "lessons",
                        "names fewer than two groups or lessons, a course without its group, "
                        "or whole groups together with single lessons",
                        "expected two or more groups (MA.1, EN.1: lesson by lesson) or "
                        "lessons (MA.1:1, EN.1:2)",
                    )
                if kind in PAIR_RULES and refs and r.ok:
                    self._one_lesson_each(r, kind, refs)
                if (
                    kind in ("not_overlapping", "same_day", "min_gap", "same_hour")
                    and refs
                    and r.ok
                    and len(refs) < 2
                ):
                    r.error(
                        "lessons",
                        f"names one reference; a {kind} rule ties lessons of different groups",
                        "expected two or more groups or lessons, e.g. MA.1, EN.1:2",
                    )
                if kind == "ends_students_day" and refs and r.ok:
                    # Kept in the timetable phase: the lessons' students, and every group
                    # of theirs, must be known then (one group a course).
                    named = {x.course for x in refs}
                    who = {q.student for q in self.requests if q.course in named}
                    if who:
                        self._fixed_groups(r, sorted(who), column="lessons")
                if kind == "min_days_apart" and value == 0:
                    r.error("value", "0 days apart holds always", "expected 1 or more days")
                if (
                    kind == "min_days_apart"
                    and len(refs) > 1
                    and any(x.group is None for x in refs)
                ):
                    r.error(
                        "lessons",
                        f"names a course without a group among several ({kind} ties the "
                        "lessons of groups together)",
                        "expected groups, e.g. MA.1, MA.1:2, or one course alone",
                    )
            if self.finish(r) and kind is not None:
                self.time_rules.append(
                    TimeRule(
                        kind,
                        tuple(refs),
                        tuple(staff),
                        slots,
                        value,
                        weight,
                        r.row.number,
                        tuple(students),
                        bool(together),
                    )
                )

    def _one_lesson_each(self, r: RowReader, kind: str, refs: list[LessonRef]) -> None:
        """A ``consecutive``, ``grouped``, ``ordered`` or ``ordered_if_same_day`` row names
        two lessons (a ``grouped`` row two or three), each one lesson of one group:
        ``COURSE.N:L``, or a group or course that has only one."""
        expected = "expected two lessons, e.g. MA.1:1, EN.1:2"
        if len(refs) != 2 and not (kind == "grouped" and len(refs) == 3):
            ties = "two or three" if kind == "grouped" else "two"
            r.error(
                "lessons", f"names {len(refs)} reference(s); a {kind} rule ties {ties}", expected
            )
            return
        for x in refs:
            spec = self.course_by_id[x.course]
            if (x.group is None and spec.sections != 1) or (
                x.lesson is None and len(spec.lessons) != 1
            ):
                r.error("lessons", f"{x} names more than one lesson", expected)

    def _fixed_groups(self, r: RowReader, students: list[str], column: str = "students") -> None:
        """A students' rule is kept in the timetable phase, so each student it names must
        have their groups fixed by the courses: every course they request has one group
        (``sections`` 1)."""
        named = set(students)
        for req in self.requests:
            if named and req.student not in named:
                continue
            course = self.course_by_id.get(req.course)
            if course is not None and course.sections != 1:
                r.error(
                    column if named else "rule",
                    f"student {req.student} requests {course.id}, whose groups are not fixed "
                    f"(sections {course.sections or 'blank'}); a students' rule needs every "
                    "course of its students to have sections 1",
                    "expected students whose every course has sections 1",
                )
                return

    def _lesson_ref(self, r: RowReader, token: str) -> LessonRef | None:
        """``COURSE``, ``COURSE.N`` or ``COURSE.N:L`` (reported when wrong)."""
        head, colon, tail = token.rpartition(":") if ":" in token else (token, "", "")
        lesson: int | None = None
        if colon:
            if not tail.strip().isdigit() or int(tail) < 1:
                r.error("lessons", f"{show(token)}: {show(tail)} is not a lesson number", LESSONS)
                return None
            lesson = int(tail)
        head = head.strip()
        courses = self.ids["Courses"]
        course, group = courses.find(head), None
        if course is None and "." in head:
            prefix, _, number = head.rpartition(".")
            if courses.find(prefix) is not None and number.strip().isdigit():
                course, group = courses.find(prefix), int(number)
        if course is None:
            prefix = head.rpartition(".")[0]
            if courses.known_or_dropped(head) or (prefix and courses.known_or_dropped(prefix)):
                r.ok = False  # a course left out for its own errors (reported there)
            else:
                r.error("lessons", f"{show(token)} names no course of the Courses sheet", LESSONS)
            return None
        spec = self.course_by_id.get(course)
        if spec is None:
            r.ok = False
            return None
        if group is not None and not 1 <= group <= (spec.sections or MAX_SECTIONS):
            r.error(
                "lessons",
                f"{show(token)}: {course} has no group {group}",
                f"expected a group from 1 to {spec.sections or MAX_SECTIONS}",
            )
            return None
        if lesson is not None and lesson > len(spec.lessons):
            r.error(
                "lessons",
                f"{show(token)}: {course} has {len(spec.lessons)} lesson(s) a cycle",
                f"expected a lesson number from 1 to {len(spec.lessons)}",
            )
            return None
        return LessonRef(course, group, lesson)

    def read_settings(self) -> None:
        values: dict[str, Any] = {}
        extra: list[tuple[str, str]] = []
        seen: dict[str, int] = {}
        known = SETTINGS_FIELDS + WEIGHT_KEYS + DATE_KEYS
        for r in self.rows("Settings"):
            key = r.ident("key", what="a setting name")
            if key is None:
                continue
            key = norm_column(key)
            if key in seen:
                r.error(
                    "key", f"{key} is already set on row {seen[key]}", "expected each setting once"
                )
                continue
            seen[key] = r.row.number
            if key not in known:
                r.warn(
                    "key", f"unknown setting {key}, ignored", f"expected one of: {', '.join(known)}"
                )
                continue
            if key == "time_limit_s":
                expected = (
                    f"expected a number of seconds above 0 and at most {TIME_LIMIT_MAX_S} (a week)"
                )
                v = r.number("value", required=True, expected=expected)
                if v is not None and v <= 0:
                    r.error("value", f"time_limit_s {show(v)} is not positive", expected)
                    v = None
                elif v is not None and v > TIME_LIMIT_MAX_S:
                    r.error(
                        "value", f"time_limit_s {show(v)} is more than {TIME_LIMIT_MAX_S}", expected
                    )
                    v = None
            elif key == "seed":
                expected = f"expected a whole-number seed from 0 to {SEED_MAX}"
                v = r.integer("value", required=True, expected=expected)
                if v is not None and v < 0:
                    r.error("value", f"seed {show(v)} is negative", expected)
                    v = None
                elif v is not None and v > SEED_MAX:
                    r.error("value", f"seed {show(v)} is more than {SEED_MAX}", expected)
                    v = None
            elif key == "workers":
                expected = f"expected a whole number of solver threads from 1 to {WORKERS_MAX}"
                v = r.integer("value", required=True, expected=expected)
                if v is not None and v < 1:
                    r.error("value", f"workers {show(v)} is less than 1", "expected at least 1")
                    v = None
                elif v is not None and v > WORKERS_MAX:
                    r.error("value", f"workers {show(v)} is more than {WORKERS_MAX}", expected)
                    v = None
            elif key in WEIGHT_KEYS:
                expected = f"expected a whole-number weight from 0 to {WEIGHT_MAX}"
                w = r.integer("value", required=True, expected=expected)
                if w is not None and w < 0:
                    r.error("value", f"{key} {show(w)} is negative", "expected a weight >= 0")
                elif w is not None and w > WEIGHT_MAX:
                    r.error("value", f"{key} {show(w)} is more than {WEIGHT_MAX}", expected)
                elif w is not None:
                    extra.append((key, str(w)))
                continue
            else:
                d = r.convert("value", to_date, "expected a date YYYY-MM-DD", required=True)
                if d is not None:
                    extra.append((key, d.isoformat()))
                continue
            if v is not None:
                values[key] = v
        dates = dict(extra)
        if dates.get("term_end", "9999") < dates.get("term_start", "0000"):
            self.log.add_error(
                "Settings",
                seen["term_end"],
                "value",
                f"term_end {dates['term_end']} is before term_start {dates['term_start']}",
                "expected term_end on or after term_start",
            )
        self.settings = Settings(
            time_limit_s=float(values.get("time_limit_s", Settings.time_limit_s)),
            seed=int(values.get("seed", Settings.seed)),
            workers=int(values.get("workers", Settings.workers)),
            extra=tuple(extra),
        )

    # ---- requests -----------------------------------------------------------------
    def read_stages(self) -> dict[tuple[str, str], _Stage]:
        stages: dict[tuple[str, str], _Stage] = {}
        students = self.ids["Students"]
        for r in self.rows("Stages"):
            ref = r.ident("student", what="a student id")
            subject = r.text("subject", required=True, expected="expected a subject, e.g. Maths")
            stage = r.integer("stage", required=True, expected="expected a whole-number stage")
            sid = students.check(r, "student", ref, _STUDENT_ID) if ref else None
            if subject and sid:
                key = (sid, subject.casefold())
                if key in stages and stage is not None and stages[key].stage != stage:
                    r.error(
                        "stage",
                        f"student {sid} already has {subject} stage "
                        f"{stages[key].stage} on row {stages[key].row}",
                        "expected one stage per student and subject",
                    )
            if self.finish(r) and sid and subject and stage is not None:
                stages.setdefault((sid, subject.casefold()), _Stage(stage, r.row.number))
            elif not r.ok:
                self.dropped_stages.add(
                    (sid or ref, None if subject is None else subject.casefold())
                )
        return stages

    def _subject_course(
        self, student: Student, subject: str, stages: dict[tuple[str, str], _Stage]
    ) -> tuple[str | None, str, str]:
        """The course a subject request means for a student: (course, message, expected).

        A message names the student as :data:`WHO`; an empty message means the request
        is left out silently because its cause was reported elsewhere.
        """
        subject_courses = [c for c in self.courses if c.subject.casefold() == subject.casefold()]
        if not subject_courses:
            if self._course_dropped(subject):
                return None, "", ""  # the course may be on a reported row
            return (
                None,
                f"no course has subject {subject}",
                "expected a subject from the Courses sheet",
            )
        st = stages.get((student.id, subject.casefold()))
        if st is None and self._stage_dropped(student.id, subject):
            return None, "", ""  # the Stages row may be a reported one
        if st is None:
            if "Stages" not in self.sheets:
                return (
                    None,
                    (f"{subject} is requested by subject but there is no Stages sheet"),
                    "expected a Stages sheet giving each student's stage",
                )
            return (
                None,
                f"no Stages row for {WHO} in {subject}",
                "expected a Stages row (student, subject, stage) or a course id",
            )
        at_stage = [c for c in subject_courses if c.stage == st.stage]
        if not at_stage and self._course_dropped(subject, st.stage):
            return None, "", ""
        if not at_stage:
            return (
                None,
                (
                    f"no {subject} course at stage {st.stage}, the stage of {WHO} on the "
                    "Stages sheet"
                ),
                f"expected a Courses row with subject {subject} and stage {st.stage}",
            )
        open_ = [c for c in at_stage if c.open_to(student.year)]
        if len(open_) == 1:
            return open_[0].id, "", ""
        names = ", ".join(c.id for c in (open_ or at_stage))
        if not open_:
            return (
                None,
                (
                    f"{subject} stage {st.stage} ({names}) is not open to year "
                    f"{student.year} ({WHO})"
                ),
                f"expected a {subject} stage {st.stage} course whose years include {student.year}",
            )
        return (
            None,
            f"{subject} stage {st.stage} could be any of {names} for {WHO}",
            "expected one course per subject and stage, or name the course in the course column",
        )

    def _course_dropped(self, subject: str, stage: int | None | object = _UNKNOWN) -> bool:
        """Whether a Courses row left out for errors (or a Courses sheet that could not be
        read) may hold a course of this subject (and stage)."""
        if "Courses" not in self.sheets:
            return True
        key = subject.casefold()
        return any(
            s in (None, key) and (stage is _UNKNOWN or st in (_UNKNOWN, stage))
            for s, st in self.dropped_courses
        )

    def _stage_dropped(self, student: str, subject: str) -> bool:
        """Whether a Stages row left out for errors (or an unreadable Stages sheet) may give
        this student's stage in this subject."""
        if "Stages" in self.present and "Stages" not in self.sheets:
            return True
        key = subject.casefold()
        return any(st in (None, student) and su in (None, key) for st, su in self.dropped_stages)

    def _open_to(self, course: Course, student: Student) -> tuple[str, str] | None:
        """Rule 8: (message naming :data:`WHO`, expected) when the course is closed to the year."""
        if course.years is None or student.year in course.years:
            return None
        years = ",".join(str(y) for y in sorted(course.years))
        return (
            f"{course.id} is not open to year {student.year} ({WHO})",
            f"expected a course whose years ({years}) include {student.year}",
        )

    def read_requests(self, stages: dict[tuple[str, str], _Stage]) -> None:
        students = self.ids["Students"]
        courses = self.ids["Courses"]
        by_student = {s.id: s for s in self.students}
        taken: dict[tuple[str, str], int] = {}
        types = [t.value for t in RequestType]
        for r in self.rows("Requests"):
            ref = r.ident("student", what="a student id")
            course_ref = r.ident("course", required=False)
            subject = r.text("subject")
            rtype = r.choice("type", types, "request type", required=True)
            rank = r.rank()
            sid = students.check(r, "student", ref, _STUDENT_ID) if ref else None
            course_id: str | None = None
            column = "course"
            if course_ref is None and subject is None and r.ok:
                r.error(
                    "course",
                    "course and subject are both blank",
                    "expected a course id or a subject",
                )
            elif course_ref is not None:
                course_id = self._course_ref(r, courses, course_ref, subject)
            student = by_student.get(sid) if sid else None
            if student is not None and course_ref is None and subject is not None and r.ok:
                column = "subject"
                course_id, message, expected = self._subject_course(student, subject, stages)
                if course_id is None and message:
                    r.error("subject", message.replace(WHO, f"student {student.id}"), expected)
                elif course_id is None:
                    r.ok = False  # left out silently: its cause is reported elsewhere
            course = self._course(course_id)
            if student is not None and course is not None:
                issue = self._open_to(course, student)
                if issue:
                    r.error(column, issue[0].replace(WHO, f"student {student.id}"), issue[1])
                elif (student.id, course.id) in taken:
                    r.error(
                        column,
                        f"student {student.id} already requests {course.id} on "
                        f"row {taken[student.id, course.id]}",
                        "expected each course once per student",
                    )
            if r.ok and not (student and course):
                # A student or course on a row left out for errors: already reported.
                r.ok = False
            if self.finish(r) and student and course and rtype:
                taken[student.id, course.id] = r.row.number
                self.requests.append(
                    Request(
                        student.id, course.id, RequestType(rtype), rank, f"Requests!{r.row.number}"
                    )
                )
                self.request_where.append(("Requests", r.row.number))
        self._expand_pathways(stages, taken)

    def _course(self, cid: str | None) -> Course | None:
        return self.course_by_id.get(cid) if cid is not None else None

    def _course_ref(self, r: RowReader, courses: _Ids, ref: str, subject: str | None) -> str | None:
        """A course id named on a request or pathway row, checked against the Courses sheet
        and against the row's subject when it gives one (Requests and Pathways alike)."""
        course_id = courses.check(r, "course", ref, "expected a course id from the Courses sheet")
        course = self._course(course_id)
        if course and subject and course.subject.casefold() != subject.casefold():
            r.error(
                "subject",
                f"{course.id} is a {course.subject} course, not {subject}",
                "expected the course's own subject, or a blank subject",
            )
        return course_id

    def read_pathways(self) -> None:
        courses = self.ids["Courses"]
        subjects = {c.subject.casefold() for c in self.courses}
        types = [t.value for t in RequestType]
        for r in self.rows("Pathways"):
            pathway = r.ident("pathway", what="a pathway id")
            if pathway is not None:
                self.pathway_ids.add(pathway.casefold())
            rtype = r.choice("type", types, "request type", required=True)
            rank = r.rank()
            course_id: str | None = None
            subject: str | None = None
            either = r.text("course_or_subject")
            course_ref = r.ident("course", required=False)
            subj = r.text("subject")
            if either is not None:
                course_id = courses.find(either)
                if course_id is None and either.casefold() in subjects:
                    subject = either
                elif (
                    course_id is None
                    and not courses.known_or_dropped(either)
                    and not self._course_dropped(either)
                ):
                    r.error(
                        "course or subject",
                        f"{either} is neither a course nor a subject of the Courses sheet",
                        "expected a course id or a subject from the Courses sheet",
                    )
            elif course_ref is not None:
                course_id = self._course_ref(r, courses, course_ref, subj)
            elif subj is not None:
                if subj.casefold() in subjects or self._course_dropped(subj):
                    subject = subj
                else:
                    r.error(
                        "subject",
                        f"no course has subject {subj}",
                        "expected a subject from the Courses sheet",
                    )
            elif r.ok:
                col = (
                    "course or subject"
                    if "course_or_subject" in self.sheets["Pathways"].columns
                    else "course"
                )
                r.error(
                    col, "course and subject are both blank", "expected a course id or a subject"
                )
            if r.ok and not (course_id or subject):
                r.ok = False  # a course on a row left out for errors: already reported
            if self.finish(r) and pathway and rtype and (course_id or subject):
                self.pathway_rows.append(
                    PathwayRow(pathway, r.row.number, RequestType(rtype), rank, course_id, subject)
                )

    def _expand_pathways(
        self, stages: dict[tuple[str, str], _Stage], taken: dict[tuple[str, str], int]
    ) -> None:
        """A student's pathway becomes requests; an explicit Requests row wins."""
        by_pathway: dict[str, list[PathwayRow]] = {}
        for p in self.pathway_rows:
            by_pathway.setdefault(p.pathway.casefold(), []).append(p)
        issues = _PathwayIssues()
        for student in self.students:
            if student.pathway is None:
                continue
            rows = by_pathway.get(student.pathway.casefold(), [])
            from_pathway: dict[str, int] = {}
            for p in rows:
                column = (
                    "course or subject"
                    if "course_or_subject" in self.sheets["Pathways"].columns
                    else ("course" if p.course else "subject")
                )
                course_id = p.course
                if course_id is None and p.subject is not None:
                    course_id, message, expected = self._subject_course(student, p.subject, stages)
                    if course_id is None and not message:
                        self.incomplete.add("Pathways")
                        continue
                    if course_id is None:
                        issues.add(p.row, column, message, expected, student.id)
                        continue
                course = self._course(course_id)
                if course is None:
                    continue
                issue = self._open_to(course, student)
                if issue:
                    issues.add(p.row, column, issue[0], issue[1], student.id)
                    continue
                if (student.id, course.id) in taken:
                    continue  # an explicit Requests row for the course wins
                if course.id in from_pathway:
                    issues.add(
                        p.row,
                        column,
                        f"{course.id} is already on row {from_pathway[course.id]} of "
                        f"pathway {p.pathway} (for {WHO})",
                        "expected each course once per pathway",
                        student.id,
                    )
                    continue
                from_pathway[course.id] = p.row
                self.requests.append(
                    Request(
                        student.id,
                        course.id,
                        p.type,
                        p.rank,
                        f"Pathways!{p.row} (pathway {p.pathway})",
                    )
                )
                self.request_where.append(("Pathways", p.row))
        if issues:
            self.incomplete.add("Pathways")
        issues.report(self.log)

    def build(self, name: str, sha: str) -> tuple[School, Sources]:
        self.read_calendar()
        self.read_rooms()
        self.read_staff()
        self.read_courses()
        self.read_tutor_groups()
        self.read_students()
        self.read_travel()
        self.read_settings()
        stages = self.read_stages()
        self.read_pathways()
        self.read_requests(stages)
        self.read_locks()
        self.read_rules()
        for sheet, ids in self.ids.items():
            if ids.incomplete:
                self.incomplete.add(sheet)
        school = School(
            calendar=self.calendar,
            rooms=tuple(self.rooms),
            staff=tuple(self.staff),
            courses=tuple(self.courses),
            students=tuple(self.students),
            requests=tuple(self.requests),
            tutor_groups=tuple(self.tutor_groups),
            travel=tuple(self.travel),
            settings=self.settings,
            name=name,
            source_sha256=sha,
            locks=tuple(self.locks),
            time_rules=tuple(self.time_rules),
        )
        sources = Sources(
            sheets=self.present,
            rows={k: dict(v.rows) for k, v in self.ids.items()},
            slot_rows=tuple(self.slot_rows),
            travel_rows=tuple(self.travel_rows),
            request_where=tuple(self.request_where),
            pathway_rows=tuple(self.pathway_rows),
            pathway_ids=(
                None
                if "Pathways" in self.present and "Pathways" not in self.sheets
                else frozenset(self.pathway_ids)
            ),
            incomplete=frozenset(self.incomplete),
            unusable=frozenset(s for s, ids in self.ids.items() if ids.unusable),
            dropped={s: frozenset(ids.dropped) for s, ids in self.ids.items()},
            dropped_room_types=self.dropped_room_types,
            dropped_room_sites=self.dropped_room_sites,
        )
        return school, sources


# ---------------------------------------------------------------------------------------
# The entry point
# ---------------------------------------------------------------------------------------


def _school_name(path: Path) -> str:
    try:
        path = path.resolve()  # "." is the folder's own name
    except (OSError, ValueError, RuntimeError):
        pass  # an unreadable path: reported by read_book
    return path.stem if path.suffix else path.name


def load_school(path: str | os.PathLike[str]) -> tuple[School, list[Problem]]:
    """Read and validate a school workbook (.xlsx) or folder of CSV files.

    Returns ``(school, warnings)``. When there is any error, raises
    :class:`InputError` carrying every problem found (errors and warnings). Never
    raises anything else, whatever the input.
    """
    try:
        p = Path(path)
        sheets, sha, problems = read_book(p)
        book_log = _Log()
        book_log.problems = problems
        builder = _Builder(sheets, book_log)
        school, sources = builder.build(_school_name(p) or "school", sha)
        if any(s in sheets for s in REQUIRED_SHEETS):
            book_log.problems.extend(validate_school(school, sources))
    except Exception as exc:  # the promise: a Problem, never a traceback
        logger.exception("unexpected failure reading %s", path)
        name = file_label(Path(str(path)))
        raise InputError(
            [
                Problem(
                    Severity.ERROR,
                    name,
                    None,
                    None,
                    f"could not be read because of an internal error ({type(exc).__name__}: {exc})",
                    "expected a workbook Pathways can read; please report this with the file",
                )
            ]
        ) from None
    problems = _unique(book_log.problems)
    if any(x.severity is Severity.ERROR for x in problems):
        raise InputError(problems)
    return school, [x for x in problems if x.severity is Severity.WARNING]


def _unique(problems: list[Problem]) -> list[Problem]:
    """Problems without repeats, in workbook order: sheet by sheet, row by row.

    Problems about the file and unknown sheets come first; within one row, the order
    they were found in (reading, then the checks of :mod:`scheduler.workbook.validate`).
    """
    order = {name: i for i, name in enumerate(SCHEMA, 1)}

    def key(p: Problem) -> tuple[int, int]:
        return order.get(p.sheet, 0), p.row or 0

    return sorted(dict.fromkeys(problems), key=key)
