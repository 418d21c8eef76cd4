"""A tiny valid school as workbook tables, using every column of the workbook contract.

:func:`tiny_tables` returns a fresh :data:`~scheduler.workbook.tables.Tables` each call
(mutate it freely in a test). Write it with :func:`scheduler.workbook.tables.write_tables`
and read it with :func:`scheduler.workbook.read.load_school`. Keep it small and stable:
other tests assert exact values read from it. What it holds:

* **Calendar**: Mon, Tue, Wed, 4 periods each (12 slots): 09:00, 10:00, 11:15, 13:00,
  each an hour long (a break before period 3 and lunch before period 4).
* **Rooms**: R1 classroom (28), R2 classroom (24, unavailable Wed 4), LAB lab+classroom
  (20), HUB open-plan classroom+studio on site North (40 seats shared by up to 2 groups).
* **Staff**: T1 Maths stages 1-3 only (max 10 periods); T2 Maths (any stage) and
  Science, unavailable Tue 4; T3 Spanish and Art, part-time (not Wed), max 8 periods,
  site North; T4 Science, Art and Project.
* **Courses**: MA-3 / MA-4 Maths stages 3 and 4 (three singles, years 7,8); SC Science
  with a double (lessons 2,1) in a lab, taught only by T2 or T4; SP Spanish online
  (any year, kind tutorial); PRJ a team-taught project (one 3-period block, 2 staff,
  exactly 1 section, studio, year 8 only, kind project); AR Art option (one double,
  2 to 6 students).
* **Students**: S1-S6, years 7 and 8; S1 fixed in TG1; S3/S4 siblings (family F1);
  S5 learns from home on Wed and lives on site North; S5, S6 follow pathway SCI;
  houses Red and Blue.
* **Requests**: S1-S4 core Maths (S1, S2 by subject through Stages), core SC; options
  and an alternate with ranks; S3, S4 core PRJ; S5, S6 get theirs from the pathway;
  S6 also has an explicit SP option (which beats the pathway's SP core row).
* **Stages**: Maths stages (S1 3, S2 4, S5 3, S6 4).
* **Pathways**: SCI = Maths by subject (core), SC (core), SP (core), AR (option, rank 1).
* **TutorGroups**: TG1 vertical (T1, R1, 4 places, house Red, meets Mon 1, Wed 1); TG2
  (T4, LAB, 4 places, no house, meets Mon 1).
* **Travel**: Main to North 15 minutes.
* **Settings**: time_limit_s 10, seed 7, workers 1, weight_rank 20, term_start 2025-09-01.

Helpers: :func:`write` (tables -> CSV folder or .xlsx under a directory),
:func:`load_tables` (write and load) and :func:`problems_of` (write, load, and return
the error and warning texts); the validation tests' changes to the tiny school
(:data:`Mutation`: :func:`setc`, :func:`both`, :func:`add_row`, ...) and
:func:`problems_after` (the problems of the tiny school after one).

Corrupt inputs (tests/scheduler/workbook/test_corrupt_inputs.py, bench/corrupt_inputs.py):
:func:`corrupt_workbook` (the tiny school with random changes, written, maybe damaged),
:func:`corrupt_command_line` (a ``pathways`` command line with wrong parts), and the
judges that run the command line in-process and raise :class:`Failure` on a traceback,
an unclear message, a school that validates but is not sound (:func:`assert_sound`), or a
timetable that fails ``pathways check``.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path
from typing import Any

from scheduler.model import School
from scheduler.workbook.problems import InputError, Problem
from scheduler.workbook.read import load_school
from scheduler.workbook.schema import SCHEMA
from scheduler.workbook.tables import Tables, write_tables

__all__ = [
    "Failure",
    "Mutation",
    "add_row",
    "assert_sound",
    "both",
    "copy_row",
    "corrupt_command_line",
    "corrupt_workbook",
    "del_row",
    "drop_column",
    "drop_sheet",
    "header_only",
    "judge_command_line",
    "judge_solve",
    "judge_validate",
    "load_tables",
    "problems_after",
    "problems_of",
    "setc",
    "tiny_tables",
    "write",
]


def tiny_tables() -> Tables:
    """A small valid school using every sheet and column of the contract (see module doc)."""
    periods = [
        ("1", "09:00", "10:00"),
        ("2", "10:00", "11:00"),
        ("3", "11:15", "12:15"),
        ("4", "13:00", "14:00"),
    ]
    calendar = [
        {"day": day, "period": p, "start": start, "end": end}
        for day in ("Mon", "Tue", "Wed")
        for p, start, end in periods
    ]
    return {
        "Settings": [
            {"key": "time_limit_s", "value": 10},
            {"key": "seed", "value": 7},
            {"key": "workers", "value": 1},
            {"key": "weight_rank", "value": 20},
            {"key": "term_start", "value": "2025-09-01"},
        ],
        "Calendar": calendar,
        "Rooms": [
            {
                "room": "R1",
                "capacity": 28,
                "type": "classroom",
                "site": None,
                "max_groups": None,
                "unavailable": None,
            },
            {
                "room": "R2",
                "capacity": 24,
                "type": "classroom",
                "site": None,
                "max_groups": None,
                "unavailable": "Wed 4",
            },
            {
                "room": "LAB",
                "capacity": 20,
                "type": "lab, classroom",
                "site": None,
                "max_groups": None,
                "unavailable": None,
            },
            {
                "room": "HUB",
                "capacity": 40,
                "type": "classroom; studio",
                "site": "North",
                "max_groups": 2,
                "unavailable": None,
            },
        ],
        "Staff": [
            {
                "staff": "T1",
                "name": "Ann Archer",
                "subjects": "Maths:1-3",
                "max_periods": 10,
                "unavailable": None,
                "site": None,
            },
            {
                "staff": "T2",
                "name": "Ben Brook",
                "subjects": "Maths, Science",
                "max_periods": None,
                "unavailable": "Tue 4",
                "site": None,
            },
            {
                "staff": "T3",
                "name": "Cat Cole",
                "subjects": "Spanish; Art",
                "max_periods": 8,
                "unavailable": "Wed",
                "site": "North",
            },
            {
                "staff": "T4",
                "name": "Dev Dale",
                "subjects": "Science, Art, Project",
                "max_periods": None,
                "unavailable": None,
                "site": None,
            },
        ],
        "Courses": [
            *(
                {
                    "course": f"MA-{stage}",
                    "subject": "Maths",
                    "stage": stage,
                    "lessons": "1,1,1",
                    "min_size": 1,
                    "max_size": 10,
                    "room_type": "classroom",
                    "staff": None,
                    "staff_per_group": None,
                    "sections": None,
                    "years": "7,8",
                    "mode": None,
                    "kind": None,
                }
                for stage in (3, 4)
            ),
            {
                "course": "SC",
                "subject": "Science",
                "stage": None,
                "lessons": "2,1",
                "min_size": 2,
                "max_size": 12,
                "room_type": "lab",
                "staff": "T2, T4",
                "staff_per_group": 1,
                "sections": None,
                "years": None,
                "mode": "school",
                "kind": "lesson",
            },
            {
                "course": "SP",
                "subject": "Spanish",
                "stage": None,
                "lessons": "1,1",
                "min_size": 1,
                "max_size": 8,
                "room_type": None,
                "staff": None,
                "staff_per_group": None,
                "sections": None,
                "years": None,
                "mode": "online",
                "kind": "tutorial",
            },
            {
                "course": "PRJ",
                "subject": "Project",
                "stage": None,
                "lessons": "3",
                "min_size": 2,
                "max_size": 20,
                "room_type": "studio",
                "staff": "T3;T4",
                "staff_per_group": 2,
                "sections": 1,
                "years": "8",
                "mode": "school",
                "kind": "project",
            },
            {
                "course": "AR",
                "subject": "Art",
                "stage": None,
                "lessons": "2",
                "min_size": 2,
                "max_size": 6,
                "room_type": "studio",
                "staff": None,
                "staff_per_group": None,
                "sections": None,
                "years": None,
                "mode": None,
                "kind": None,
            },
        ],
        "Students": [
            {
                "student": "S1",
                "name": "Ada",
                "year": 7,
                "tutor_group": "TG1",
                "house": "Red",
                "family": None,
                "pathway": None,
                "home_days": None,
                "site": None,
            },
            {
                "student": "S2",
                "name": "Bo",
                "year": 7,
                "tutor_group": None,
                "house": "Blue",
                "family": None,
                "pathway": None,
                "home_days": None,
                "site": None,
            },
            {
                "student": "S3",
                "name": "Cy",
                "year": 8,
                "tutor_group": None,
                "house": "Red",
                "family": "F1",
                "pathway": None,
                "home_days": None,
                "site": None,
            },
            {
                "student": "S4",
                "name": "Di",
                "year": 8,
                "tutor_group": None,
                "house": "Red",
                "family": "F1",
                "pathway": None,
                "home_days": None,
                "site": None,
            },
            {
                "student": "S5",
                "name": "Ed",
                "year": 7,
                "tutor_group": None,
                "house": None,
                "family": None,
                "pathway": "SCI",
                "home_days": "Wed",
                "site": "North",
            },
            {
                "student": "S6",
                "name": "Flo",
                "year": 8,
                "tutor_group": None,
                "house": "Blue",
                "family": None,
                "pathway": "SCI",
                "home_days": None,
                "site": None,
            },
        ],
        "Requests": [
            {"student": "S1", "course": None, "subject": "Maths", "type": "core", "rank": None},
            {"student": "S1", "course": "SC", "subject": None, "type": "core", "rank": None},
            {"student": "S1", "course": "AR", "subject": None, "type": "option", "rank": 1},
            {"student": "S1", "course": "SP", "subject": None, "type": "alternate", "rank": 2},
            {"student": "S2", "course": None, "subject": "Maths", "type": "core", "rank": None},
            {"student": "S2", "course": "SC", "subject": None, "type": "core", "rank": None},
            {"student": "S2", "course": "AR", "subject": None, "type": "option", "rank": 1},
            {"student": "S3", "course": "MA-4", "subject": None, "type": "core", "rank": None},
            {"student": "S3", "course": "PRJ", "subject": None, "type": "core", "rank": None},
            {"student": "S3", "course": "SP", "subject": None, "type": "option", "rank": 1},
            {"student": "S4", "course": "MA-3", "subject": "Maths", "type": "core", "rank": None},
            {"student": "S4", "course": "PRJ", "subject": None, "type": "core", "rank": None},
            {"student": "S4", "course": "AR", "subject": None, "type": "option", "rank": 2},
            {"student": "S4", "course": "SP", "subject": None, "type": "option", "rank": 1},
            {"student": "S6", "course": "SP", "subject": None, "type": "option", "rank": 2},
        ],
        "Stages": [
            {"student": "S1", "subject": "Maths", "stage": 3},
            {"student": "S2", "subject": "Maths", "stage": 4},
            {"student": "S5", "subject": "Maths", "stage": 3},
            {"student": "S6", "subject": "Maths", "stage": 4},
        ],
        "Pathways": [
            {"pathway": "SCI", "course": None, "subject": "Maths", "type": "core", "rank": None},
            {"pathway": "SCI", "course": "SC", "subject": None, "type": "core", "rank": None},
            {"pathway": "SCI", "course": "SP", "subject": None, "type": "core", "rank": None},
            {"pathway": "SCI", "course": "AR", "subject": None, "type": "option", "rank": 1},
        ],
        "TutorGroups": [
            {
                "group": "TG1",
                "tutor": "T1",
                "room": "R1",
                "capacity": 4,
                "meets": "Mon 1, Wed 1",
                "house": "Red",
                "vertical": "yes",
            },
            {
                "group": "TG2",
                "tutor": "T4",
                "room": "LAB",
                "capacity": 4,
                "meets": "Mon 1",
                "house": None,
                "vertical": "no",
            },
        ],
        "Travel": [
            {"from_site": "Main", "to_site": "North", "minutes": 15},
        ],
    }


# ---- helpers for tests that write tables and read them back -------------------------

_counter = itertools.count()


def write(tables: Tables, directory: Path, fmt: str = "csv") -> Path:
    """Write tables under ``directory`` as a CSV folder (``fmt="csv"``) or an .xlsx file."""
    n = next(_counter)
    path = directory / (f"school{n}.xlsx" if fmt == "xlsx" else f"school{n}")
    return write_tables(tables, path)


def load_tables(tables: Tables, directory: Path, fmt: str = "csv") -> tuple[School, list[Problem]]:
    """Write tables and load them with :func:`load_school` (raises InputError on errors)."""
    return load_school(write(tables, directory, fmt))


def problems_of(tables: Tables, directory: Path, fmt: str = "csv") -> tuple[list[str], list[str]]:
    """(errors, warnings) as text for tables written and loaded; both empty lists if clean."""
    try:
        _, warnings = load_tables(tables, directory, fmt)
    except InputError as exc:
        return [str(p) for p in exc.errors], [str(p) for p in exc.warnings]
    return [], [str(p) for p in warnings]


def rules_rows(*rows: dict[str, object]) -> list[dict[str, object]]:
    """Rows of the Rules sheet: every column of it (``SCHEMA``), blank but those given."""
    return [dict.fromkeys(SCHEMA["Rules"].columns) | row for row in rows]


def rules_errors(directory: Path, *rows: dict[str, object]) -> list[str]:
    """The errors on the Rules sheet of the tiny school given these Rules rows."""
    t = tiny_tables()
    t["Rules"] = rules_rows(*rows)
    errors, _ = problems_of(t, directory)
    return [e for e in errors if e.startswith("Rules!")]


# ---- changes to the tiny school (the validation tests' cases) ------------------------

#: One change to tables, made in place.
Mutation = Callable[[Tables], None]


def setc(sheet: str, i: int, **values: object) -> Mutation:
    """Set cells of row i (0-based) of a sheet."""

    def apply(t: Tables) -> None:
        t[sheet][i].update(values)

    return apply


def both(*ms: Mutation) -> Mutation:
    """Each change in turn."""

    def apply(t: Tables) -> None:
        for m in ms:
            m(t)

    return apply


def drop_sheet(sheet: str) -> Mutation:
    return lambda t: t.pop(sheet) and None


def drop_column(sheet: str, column: str) -> Mutation:
    def apply(t: Tables) -> None:
        for r in t[sheet]:
            r.pop(column, None)

    return apply


def add_row(sheet: str, **values: object) -> Mutation:
    return lambda t: t[sheet].append(dict(values))


def copy_row(sheet: str, i: int, **values: object) -> Mutation:
    """A copy of row i after the others, with some cells changed."""
    return lambda t: t[sheet].append({**t[sheet][i], **values})


def del_row(sheet: str, i: int) -> Mutation:
    return lambda t: t[sheet].pop(i) and None


def header_only(sheet: str) -> Mutation:
    """The sheet keeps its header and loses every row."""

    def apply(t: Tables) -> None:
        t[sheet] = [dict.fromkeys(t[sheet][0])]

    return apply


def problems_after(
    mutate: Mutation, directory: Path, fmt: str = "csv"
) -> tuple[list[str], list[str]]:
    """:func:`problems_of` the tiny school changed by ``mutate``."""
    t = tiny_tables()
    mutate(t)
    return problems_of(t, directory, fmt)


# ---- corrupt inputs (tests/scheduler/workbook/test_corrupt_inputs.py, bench/corrupt_inputs.py) ---
#
# A corrupt workbook is the tiny school with one to four random changes of the kinds a
# person or a program makes to a spreadsheet (a value typed in the wrong cell, a row or
# column deleted, a sheet renamed, a formula never calculated, a file cut short...).
# Everything is drawn from ``rng``, so a seed (or hypothesis) reproduces a case.

#: Cell values that mean something somewhere in the contract, or nothing anywhere.
ODD_TEXT = (
    "",
    " ",
    "x",
    "Mon",
    "Mon 1",
    "Wk1 Mon",
    "Mon 99",
    "Sun",
    "Wed",
    "yes",
    "no",
    "core",
    "option",
    "alternate",
    "maybe",
    "school",
    "online",
    "Maths",
    "Maths:2-1",
    "Maths:1-99",
    "Maths:1-9999999999",
    "1,1,2",
    "2,x",
    "0",
    "-1",
    "1.5",
    "3.0",
    "1e308",
    "-1e308",
    "inf",
    "nan",
    "-0",
    "#REF!",
    "#N/A",
    "#DIV/0!",
    "=1+1",
    "=A1",
    "=SUM(B:B)",
    "09:50",
    "25:00",
    "9.30",
    "2025-09-01",
    "TRUE",
    "FALSE",
    "Y9",
    "Year 13",
    "T1",
    "T9",
    "S1",
    "S99",
    "TG1",
    "TG9",
    "R1",
    "MA-3",
    "PRJ",
    "LAB",
    "North",
    "Main",
    "studio",
    "SCI",
    "é",
    "日本語",
    "\u200b",
    "x" * 300,
    "1" * 25,
    "9" * 400,
    "a,b;c",
    ";",
    ",,",
    "Mon 1; Tue 2, Wed",
)
ODD_NUMBERS = (
    0,
    1,
    -1,
    2,
    7,
    99,
    10**4,
    10**5,
    10**12,
    2**31,
    2**63,
    -(10**12),
    0.5,
    1.5,
    3.0,
    -0.0,
    1e308,
    -1e308,
    1e-300,
    float("inf"),
    float("-inf"),
    float("nan"),
)
ODD_MOMENTS = (
    time(9, 50),
    time(0, 0),
    datetime(2025, 9, 1),
    datetime(2025, 9, 1, 10, 0),
    datetime(1999, 12, 31, 23, 59),
)


def odd_value(rng: random.Random, tables: Tables) -> Any:
    """A cell value a spreadsheet could hold where it does not belong."""
    kind = rng.randrange(7)
    if kind == 0:
        return rng.choice(ODD_TEXT)
    if kind == 1:
        return rng.choice(ODD_NUMBERS)
    if kind == 2:
        return rng.choice((True, False))
    if kind == 3:
        return rng.choice(ODD_MOMENTS)
    if kind == 4:
        alphabet = "aZ09 ,;:-_.!#=é\t"
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 12)))
    if kind == 5:  # a value from elsewhere in the workbook: an id in the wrong place
        cells = [v for rows in tables.values() for r in rows for v in r.values() if v is not None]
        return rng.choice(cells) if cells else None
    return None


def _sheet_variant(rng: random.Random, name: str) -> str:
    """Another spelling of a sheet name: some still match the contract, some do not."""
    return rng.choice(
        (
            name.lower(),
            name.upper(),
            f" {name} ",
            name[:-1],
            name + "s",
            name.replace("s", "z"),
            f"{name} (2)",
            "Sheet1",
        )
    )


def corrupt_tables(rng: random.Random, tables: Tables) -> str:
    """Change ``tables`` in one random way; returns what was done, for messages."""
    kinds = [
        "drop_sheet",
        "drop_column",
        "drop_row",
        "blank",
        "value",
        "value",
        "value",
        "value",
        "duplicate_row",
        "new_column",
        "rename_sheet",
        "rename_column",
        "header_only",
        "swap",
        "random_row",
        "shuffle",
        "empty_sheet",
    ]
    kind = rng.choice(kinds)
    if not tables:
        return "nothing left to corrupt"
    sheet = rng.choice(sorted(tables))
    rows = tables[sheet]
    if kind == "drop_sheet":
        del tables[sheet]
        return f"dropped sheet {sheet}"
    if kind == "empty_sheet":
        tables[sheet] = []
        return f"emptied sheet {sheet} (no header)"
    if kind == "rename_sheet":
        new = _sheet_variant(rng, sheet)
        if new not in tables:
            tables[new] = tables.pop(sheet)
        return f"renamed sheet {sheet} to {new!r}"
    if not rows:
        return f"sheet {sheet} has no rows to corrupt"
    columns = list(dict.fromkeys(c for r in rows for c in r))
    i = rng.randrange(len(rows))
    column = rng.choice(columns)
    if kind == "drop_column":
        for r in rows:
            r.pop(column, None)
        return f"dropped column {sheet}.{column}"
    if kind == "rename_column":
        new = rng.choice(
            (
                column.upper(),
                f" {column} ",
                column.replace("_", " "),
                column[:-1],
                column + "2",
                "",
                "1",
            )
        )
        for r in rows:
            if column in r:
                r[new] = r.pop(column)
        return f"renamed column {sheet}.{column} to {new!r}"
    if kind == "drop_row":
        rows.pop(i)
        return f"dropped row {i + 2} of {sheet}"
    if kind == "header_only":
        tables[sheet] = [dict.fromkeys(columns)]
        return f"left {sheet} with only its header"
    if kind == "duplicate_row":
        rows.insert(rng.randrange(len(rows) + 1), dict(rows[i]))
        return f"duplicated row {i + 2} of {sheet}"
    if kind == "new_column":
        name = rng.choice(("notes", "Room", "course ", "x", "2025", "day"))
        rows[i][name] = odd_value(rng, tables)
        return f"added column {name!r} to {sheet}"
    if kind == "swap":
        j = rng.randrange(len(rows))
        rows[i][column], rows[j][column] = rows[j].get(column), rows[i].get(column)
        return f"swapped {sheet}.{column} of rows {i + 2} and {j + 2}"
    if kind == "random_row":
        rows.append({c: odd_value(rng, tables) for c in columns})
        return f"added a row of odd values to {sheet}"
    if kind == "shuffle":
        rng.shuffle(rows)
        return f"shuffled the rows of {sheet}"
    value = None if kind == "blank" else odd_value(rng, tables)
    rows[i][column] = value
    return f"set {sheet}!{i + 2} {column} to {value!r}"[:160]


def _xlsx_writable(tables: Tables) -> None:
    """What an .xlsx file cannot store (control characters) is left out, as Excel would."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    for rows in tables.values():
        for r in rows:
            for k, v in list(r.items()):
                if isinstance(v, str):
                    r[k] = ILLEGAL_CHARACTERS_RE.sub("", v)
                    if r[k].startswith("=") and len(r[k]) > 1 and not r[k][1:2].isalnum():
                        r[k] = " " + r[k]  # not a formula openpyxl would choke on


def corrupt_file(rng: random.Random, path: Path) -> str:
    """Damage a written workbook or CSV folder as a file system or a program might."""
    if path.is_dir():
        files = sorted(path.glob("*.csv"))
        f = rng.choice(files) if files else None
        kind = rng.randrange(5)
        if f is None:
            return "no CSV file to damage"
        if kind == 0:  # saved by Excel on Windows in its ANSI code page
            f.write_bytes(
                f.read_text(encoding="utf-8").replace("a", "é").encode("cp1252", "replace")
            )
            return f"{f.name} in cp1252 with accents"
        if kind == 1:
            data = f.read_bytes()
            f.write_bytes(data[: int(rng.random() * len(data))])
            return f"{f.name} cut short"
        if kind == 2:
            f.write_text(f.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
            return f"{f.name} with ';' between cells"
        if kind == 3:
            with f.open("a", encoding="utf-8") as fh:
                fh.write('"an, unclosed quote\n\x00,,,\n')
            return f"{f.name} with an unclosed quote and a NUL"
        f.unlink()
        return f"deleted {f.name}"
    # (Positions are drawn as fractions: an .xlsx file's length varies with the time it
    # was written, and hypothesis needs the same draws for the same case.)
    data = path.read_bytes()
    kind = rng.randrange(3)
    if kind == 0:
        path.write_bytes(data[: int(rng.random() * len(data))])
        return "workbook cut short"
    if kind == 1:
        b = bytearray(data)
        for _ in range(rng.randrange(1, 20)):
            b[int(rng.random() * len(b))] = rng.randrange(256)
        path.write_bytes(bytes(b))
        return "bytes of the workbook changed"
    path.write_bytes(b"")
    return "empty file"


def corrupt_workbook(
    rng: random.Random, directory: Path, changes: int | None = None, file_damage: float = 0.08
) -> tuple[Path, list[str]]:
    """The tiny school with ``changes`` (default: one to four) random corruptions, written
    as CSV or .xlsx under ``directory``, its file damaged with probability
    ``file_damage``; returns the path and what was done to it."""
    tables = tiny_tables()
    n = rng.randint(1, 4) if changes is None else changes
    done = [corrupt_tables(rng, tables) for _ in range(n)]
    fmt = rng.choice(("csv", "xlsx"))
    if fmt == "xlsx":
        _xlsx_writable(tables)
    path = write(tables, directory, fmt)
    done.append(f"written as {fmt}")
    if rng.random() < file_damage:
        done.append(corrupt_file(rng, path))
    return path, done


# ---- corrupt command lines ---------------------------------------------------------

#: Option values a person could type: (right, wrong).
TIME_LIMITS = (
    ("5", "2.5", "1", "3600"),
    (
        "0",
        "-5",
        "nan",
        "inf",
        "-inf",
        "1e309",
        "abc",
        "",
        "1e-300",
        "604801",
        "604800",
        "5s",
        " 5",
        "0x10",
        "1_0",
    ),
)
WORKERS = (("1", "2"), ("0", "-1", "65", "64", "1000000000000", "1.5", "x", "", "+1", "01"))
SEEDS = (("0", "7", "2147483647"), ("-1", "2147483648", "99999999999999999999", "abc", "1e3", ""))
STUDENTS = (("5", "30"), ("0", "-3", "1e9", "abc", "50001", ""))
FLAGS = ("--quiet", "--frobnicate", "--quiet=yes", "--help", "-h", "extra-argument", "--json")


def corrupt_command_line(
    rng: random.Random, school: Path, solved: Path, workdir: Path
) -> list[str]:
    """A ``pathways`` command line, each part of it wrong now and then, for ``school`` (a
    valid workbook; the command may be given it or something else), ``solved`` (an output
    folder of it) and fresh paths under ``workdir``. About one in ten is right as a whole;
    a run that gets past a wrong value solves the tiny school (in well under a second,
    whatever the time limit)."""
    n = len(list(workdir.iterdir()))
    text = workdir / "notes.txt"
    text.write_text("not a workbook\n")
    fresh = workdir / f"out{n}"

    def pick(right: tuple[str, ...], wrong: tuple[str, ...]) -> str:
        return rng.choice(right if rng.random() < 0.7 else wrong)

    def school_arg() -> str:
        return pick(
            (str(school),),
            (
                str(workdir / "missing.xlsx"),
                str(workdir),
                "",
                "-",
                str(text),
                "/dev/null",
                "x" * 300,
                str(workdir / "no such folder" / "school.xlsx"),
                str(solved),
            ),
        )

    def out_arg() -> str:
        return pick(
            (str(fresh),),
            (
                str(text),
                str(school),
                str(school.parent),
                "",
                "/proc/no/such/out",
                str(solved),
                str(fresh / "deeper" / "still"),
                "-",
            ),
        )

    command = rng.choice(["solve"] * 5 + ["validate", "check", "example"])
    options: list[list[str]] = []
    if command == "solve":
        argv = ["solve", school_arg()]
        if rng.random() < 0.95:
            options.append(["--out", out_arg()])
        for opt, values, p in (
            ("--time-limit", TIME_LIMITS, 0.8),
            ("--workers", WORKERS, 0.8),
            ("--seed", SEEDS, 0.5),
        ):
            if rng.random() < p:
                options.append([opt, pick(*values)])
        if rng.random() < 0.5:
            options.append(["--quiet"])
    elif command == "validate":
        argv = ["validate", school_arg()]
        if rng.random() < 0.3:
            options.append(["--json"])
    elif command == "check":
        argv = ["check", school_arg(), pick((str(solved),), (out_arg(),))]
        if rng.random() < 0.3:
            options.append(["--json"])
    else:
        argv = ["example", pick(("tiny",), ("nope", "", "TINY"))]
        options.append(
            [
                "--out",
                pick(
                    (str(workdir / f"example{n}.xlsx"), str(workdir / f"example{n}")),
                    (str(text), ""),
                ),
            ]
        )
        if rng.random() < 0.6:
            options.append(["--students", pick(*STUDENTS)])
        if rng.random() < 0.3:
            options.append(["--seed", pick(*SEEDS)])
    if rng.random() < 0.3:
        for _ in range(rng.choice((1, 1, 2))):
            options.append([rng.choice(FLAGS)])
    if rng.random() < 0.05:
        options.append(["--time-limit"])  # an option without its value, at the end
    rng.shuffle(options)
    return argv + [part for opt in options for part in opt]


# ---- running the command line and judging what came out ----------------------------


class Failure(AssertionError):
    """A run that ended in a traceback, an unclear message or a damaged output."""


def _invoke(argv: list[str]):  # -> click.testing.Result
    from typer.testing import CliRunner

    from scheduler.cli import app

    return CliRunner().invoke(app, argv)


def _no_traceback(result, argv: list[str]) -> None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        trace = "".join(traceback.format_exception(result.exception))
        raise Failure(f"pathways {' '.join(argv)[:300]} raised:\n{trace}")
    if "Traceback" in result.output or "internal error" in result.output:
        raise Failure(f"pathways {' '.join(argv)[:300]} printed:\n{result.output[-3000:]}")


# The bounds a school that validates keeps to (scheduler.workbook.validate and
# scheduler.model hold the same figures; written out here so that the test does not take
# them on trust).
MAX_SEATS, MAX_GROUPS_AT_ONCE, MAX_PERIODS, MAX_STAFF_PER_GROUP = 10_000, 1_000, 10_000, 100
MAX_SECTIONS, MAX_RANK, MAX_TRAVEL_MINUTES = 1_000, 1_000, 24 * 60
SEED_MAX, WORKERS_MAX, TIME_LIMIT_MAX_S, WEIGHT_MAX = 2**31 - 1, 64, 7 * 24 * 3600, 10**6


def assert_sound(school: School) -> None:
    """What a school that validates promises: every reference resolves and every number
    is within the bounds the rest of the program relies on (a seed of 10^12 or a max_size
    of 1e308 that validates crashes the solver)."""
    import math

    cal = school.calendar
    assert cal.num_slots > 0
    for day in cal.days:
        assert any(ch.isalpha() for ch in day) and day.casefold() not in ("true", "false"), day
    for s in cal.slots:
        assert 0 <= s.start < s.end <= 24 * 60, s
    for r in school.rooms:
        assert 1 <= r.capacity <= MAX_SEATS and 1 <= r.max_groups <= MAX_GROUPS_AT_ONCE, r
        assert r.unavailable <= set(range(cal.num_slots)), r
    for p in school.staff:
        assert p.max_periods is None or 0 <= p.max_periods <= MAX_PERIODS, p
    for c in school.courses:
        assert 1 <= c.min_size <= c.max_size <= MAX_SEATS, c
        assert c.lessons and all(1 <= n <= cal.longest_day for n in c.lessons), c
        assert 1 <= c.staff_per_group <= MAX_STAFF_PER_GROUP, c
        assert c.sections is None or 1 <= c.sections <= MAX_SECTIONS, c
        assert all(sid in school.staff_by_id for sid in c.staff), c
    for s in school.students:
        assert s.tutor_group is None or s.tutor_group in school.tutor_group_by_id, s
        assert s.home_days <= set(cal.days), s
    for q in school.requests:
        assert q.student in school.student_by_id and q.course in school.course_by_id, q
        assert q.rank is None or 1 <= q.rank <= MAX_RANK, q
    for g in school.tutor_groups:
        assert 1 <= g.capacity <= MAX_SEATS and g.tutor in school.staff_by_id, g
        assert g.meets <= set(range(cal.num_slots)), g
    for a, b, m in school.travel:
        assert 0 <= m <= MAX_TRAVEL_MINUTES, (a, b, m)
    st = school.settings
    assert math.isfinite(st.time_limit_s) and 0 < st.time_limit_s <= TIME_LIMIT_MAX_S, st
    assert 0 <= st.seed <= SEED_MAX and 1 <= st.workers <= WORKERS_MAX, st
    for key, value in st.extra:
        if key.startswith("weight_"):
            assert 0 <= int(value) <= WEIGHT_MAX, (key, value)


def judge_validate(path: Path, as_json: bool) -> str:
    """``pathways validate``: "valid", or "message" when every error names where it is
    (sheet; row and column for a cell) and what was expected. Raises :class:`Failure`."""
    import json

    argv = ["validate", *(["--json"] if as_json else []), str(path)]
    result = _invoke(argv)
    _no_traceback(result, argv)
    if result.exit_code not in (0, 2):
        raise Failure(f"validate exited {result.exit_code}:\n{result.output[-3000:]}")
    if result.exit_code == 0:
        school, _ = load_school(path)
        try:
            assert_sound(school)
        except AssertionError as exc:
            raise Failure(f"validates, but is not sound: {exc}") from None
    if not as_json:
        if result.exit_code == 2 and "error" not in result.output:
            raise Failure(f"validate exited 2 without an error:\n{result.output[-3000:]}")
        return "valid" if result.exit_code == 0 else "message"
    payload = json.loads(result.stdout)
    if payload["ok"] != (result.exit_code == 0):
        raise Failure(f"validate --json said ok={payload['ok']} but exited {result.exit_code}")
    errors = [p for p in payload["problems"] if p["severity"] == "error"]
    if payload["ok"]:
        if errors:
            raise Failure(f"valid, with errors: {errors[:3]}")
        return "valid"
    if not errors:
        raise Failure("exit 2 without an error")
    for p in errors:
        located = bool(p["sheet"]) and (p["row"] is None or (p["row"] >= 1 and p["column"]))
        if not (located and p["message"] and p["expected"]):
            raise Failure(f"an error that does not say where or what was expected: {p}")
    return "message"


def judge_solve(
    school: Path, out: Path, extra: tuple[str, ...] = ("--time-limit", "5", "--workers", "1")
) -> str:
    """``pathways solve`` of a valid workbook, then ``pathways check`` of what it wrote:
    "timetable" (checked, no hard violation) or "no timetable" (a message, nothing
    written). Raises :class:`Failure`."""
    argv = ["solve", str(school), "--out", str(out), *extra, "--quiet"]
    result = _invoke(argv)
    _no_traceback(result, argv)
    if result.exit_code == 0:
        return judge_check(school, out)
    if result.exit_code == 1:
        if out.exists() and any(out.iterdir()):
            raise Failure(f"solve found no timetable but wrote {sorted(out.iterdir())[:5]}")
        return "no timetable"
    raise Failure(f"solve of a valid workbook exited {result.exit_code}:\n{result.output[-3000:]}")


def judge_check(school: Path, out: Path) -> str:
    """``pathways check`` of a timetable just written: no hard violation."""
    import json

    argv = ["check", str(school), str(out), "--json"]
    result = _invoke(argv)
    _no_traceback(result, argv)
    if result.exit_code != 0:
        raise Failure(
            f"check of the timetable written exited {result.exit_code}:\n{result.output[-3000:]}"
        )
    if json.loads(result.stdout)["hard_violations"]:
        raise Failure("the timetable written has hard violations")
    return "timetable"


def judge_command_line(argv: list[str], school: Path) -> str:
    """Any command line: "timetable" (solve, then check passes), "done" (another command
    that succeeded), "no timetable", or "message" (a non-zero exit with an error or usage
    message, and no output folder left behind by a solve that did not write one).
    Raises :class:`Failure`."""
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv[:-1] else None
    existed = out is not None and out.exists()
    before = school.read_bytes() if school.is_file() else None
    result = _invoke(argv)
    _no_traceback(result, argv)
    if before is not None and (not school.is_file() or school.read_bytes() != before):
        raise Failure(f"pathways {' '.join(argv)[:300]} changed the school workbook")
    code = result.exit_code
    if code == 0:
        if argv[0] == "solve" and "--help" not in argv and "-h" not in argv:
            assert out is not None
            return judge_check(school if argv[1] == str(school) else Path(argv[1]), out)
        return "done"
    if code not in (1, 2):
        raise Failure(f"pathways {' '.join(argv)[:300]} exited {code}:\n{result.output[-2000:]}")
    if not result.output.strip():
        raise Failure(f"pathways {' '.join(argv)[:300]} exited {code} without a word")
    if (
        argv[0] == "solve"
        and out is not None
        and not existed
        and out.exists()
        and any(out.iterdir())
    ):
        raise Failure(f"pathways {' '.join(argv)[:300]} failed (exit {code}) but wrote {out}")
    return "no timetable" if code == 1 and argv[0] == "solve" else "message"
