"""Every value checked against what it means: numbers within sensible bounds, days that
are days, formula cells without a saved value, sheets with only their header.

Each case changes the tiny school (tests/workbook_fixtures.py) and lists exactly the
errors that must come out. Spreadsheet row = list index + 2.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime, time
from pathlib import Path

import pytest

from scheduler.model import Settings
from scheduler.workbook.problems import InputError
from scheduler.workbook.read import load_school
from scheduler.workbook.tables import Tables
from tests.workbook_fixtures import (
    Mutation,
    header_only,
    load_tables,
    problems_after,
    setc,
    tiny_tables,
    write,
)


def add_day(day: object) -> Mutation:
    """A Calendar row after the others, on a day given by ``day``."""
    return lambda t: t["Calendar"].append(
        {"day": day, "period": "1", "start": "15:00", "end": "16:00"}
    )


DAY = "expected a day label with letters, e.g. Mon, Day 1 or Wk1 Mon"

# (name, mutation, exact errors) checked as CSV and as .xlsx.
CASES: list[tuple[str, Mutation, list[str] | dict[str, list[str]]]] = [
    # ---- numbers within sensible bounds ----
    (
        "huge room capacity",
        setc("Rooms", 0, capacity=10**12),
        [
            (
                "Rooms!2, capacity: 1000000000000 is more than 10000; expected a number of seats from 1 "
                "to 10000"
            )
        ],
    ),
    (
        "huge max_groups",
        setc("Rooms", 3, max_groups=5000),
        [
            (
                "Rooms!5, max_groups: 5000 is more than 1000; expected from 1 to 1000 groups at once "
                "(blank = 1)"
            )
        ],
    ),
    (
        "huge max_periods",
        setc("Staff", 0, max_periods=10**6),
        [
            (
                "Staff!2, max_periods: 1000000 is more than 10000; expected a whole number of periods "
                "from 0 to 10000, or blank"
            )
        ],
    ),
    (
        "max_size of 1e308",
        setc("Courses", 0, max_size=1e308),
        {
            # A number cell holding 1e308 is a whole number; in a CSV file it is text.
            "xlsx": [
                (
                    "Courses!2, max_size: 1e+308 is more than 10000; expected a max_size of at "
                    "most 10000 students"
                )
            ],
            "csv": [
                ("Courses!2, max_size: '1e+308' is not a whole number; expected a whole number")
            ],
        },
    ),
    (
        "huge staff_per_group",
        setc("Courses", 4, staff_per_group=500),
        [
            (
                "Courses!6, staff_per_group: 500 is more than 100; expected from 1 to 100 staff per "
                "group (blank = 1)"
            )
        ],
    ),
    (
        "huge sections",
        setc("Courses", 4, sections=10**5),
        [
            (
                "Courses!6, sections: 100000 is more than 1000; expected from 1 to 1000 groups, or blank "
                "to let the solver decide"
            )
        ],
    ),
    (
        "huge lesson",
        setc("Courses", 5, lessons=str(10**20)),
        [
            (
                "Courses!7, lessons: '100000000000000000000' is not a whole number; expected lesson "
                "lengths in periods, e.g. 1,1,2"
            )
        ],
    ),
    (
        "huge rank",
        setc("Requests", 2, rank=10**6),
        [
            (
                "Requests!4, rank: 1000000 is more than 1000; expected a rank from 1 to 1000 (1 = most "
                "wanted)"
            )
        ],
    ),
    (
        "huge pathway rank",
        setc("Pathways", 3, rank=5000),
        [
            (
                "Pathways!5, rank: 5000 is more than 1000; expected a rank from 1 to 1000 (1 = most "
                "wanted)"
            )
        ],
    ),
    (
        "rank of inf",
        setc("Requests", 2, rank=float("inf")),
        [
            (
                "Requests!4, rank: 'inf' is not a whole number; expected a rank from 1 to 1000 (1 = most "
                "wanted)"
            )
        ],
    ),
    (
        "huge tutor group",
        setc("TutorGroups", 0, capacity=10**5),
        ["TutorGroups!2, capacity: 100000 is more than 10000; expected from 1 to 10000 students"],
    ),
    (
        "travel longer than a day",
        setc("Travel", 0, minutes=2000),
        [
            (
                "Travel!2, minutes: 2000 is more than 1440; expected a whole number of minutes from 0 to "
                "1440 (a day)"
            )
        ],
    ),
    (
        "seed of 10^12",
        setc("Settings", 1, value=10**12),
        [
            (
                "Settings!3, value: seed 1000000000000 is more than 2147483647; expected a whole-number "
                "seed from 0 to 2147483647"
            )
        ],
    ),
    ("a seed just in range", setc("Settings", 1, value=2**31 - 1), []),
    (
        "workers of 10^12",
        setc("Settings", 2, value=10**12),
        [
            (
                "Settings!4, value: workers 1000000000000 is more than 64; expected a whole number of "
                "solver threads from 1 to 64"
            )
        ],
    ),
    (
        "time limit nan",
        setc("Settings", 0, value="nan"),
        [
            (
                "Settings!2, value: 'nan' is not a number; expected a number of seconds above 0 and at "
                "most 604800 (a week)"
            )
        ],
    ),
    (
        "time limit inf",
        setc("Settings", 0, value=float("inf")),
        [
            (
                "Settings!2, value: 'inf' is not a number; expected a number of seconds above 0 and at "
                "most 604800 (a week)"
            )
        ],
    ),
    (
        "time limit zero",
        setc("Settings", 0, value=0),
        [
            (
                "Settings!2, value: time_limit_s 0 is not positive; expected a number of seconds above 0 "
                "and at most 604800 (a week)"
            )
        ],
    ),
    (
        "time limit of a year",
        setc("Settings", 0, value=3.2e7),
        [
            (
                "Settings!2, value: time_limit_s 32000000 is more than 604800; expected a number of "
                "seconds above 0 and at most 604800 (a week)"
            )
        ],
    ),
    (
        "huge weight",
        setc("Settings", 3, value=10**9),
        [
            (
                "Settings!5, value: weight_rank 1000000000 is more than 1000000; expected a whole-number "
                "weight from 0 to 1000000"
            )
        ],
    ),
    (
        "a year that is 400 digits",
        setc("Students", 0, year="9" * 400),
        [
            (
                "Students!2, year: '9999999999999999999999999999999999999...' is too large a number; "
                "expected a year group, e.g. 9"
            )
        ],
    ),
    # ---- days that are days ----
    (
        "day FALSE",
        add_day(False),
        [f"Calendar!14, day: {{FALSE}} is TRUE/FALSE, not a day label; {DAY}"],
    ),
    (
        "day 1e308",
        add_day(1e308),
        [f"Calendar!14, day: {{1e+308}} is a number, not a day label; {DAY}"],
    ),
    (
        "day 09:50",
        add_day(time(9, 50)),
        [f"Calendar!14, day: {{09:50:00}} is a {{time}}, not a day label; {DAY}"],
    ),
    ("day 3", add_day(3), [f"Calendar!14, day: {{3}} is a number, not a day label; {DAY}"]),
    (
        "day as a date",
        add_day(datetime(2025, 9, 1)),
        {
            "xlsx": [f"Calendar!14, day: 2025-09-01 is a date or time, not a day label; {DAY}"],
            "csv": [
                (
                    "Calendar!14, day: '2025-09-01 00:00:00' has no letters, so it is not a day "
                    f"label; {DAY}"
                )
            ],
        },
    ),
    (
        "day 12-1",
        add_day("12-1"),
        [f"Calendar!14, day: '12-1' has no letters, so it is not a day label; {DAY}"],
    ),
    ("day 'Day 4' is a day", add_day("Day 4"), []),
    # ---- an empty sheet is reported once ----
    (
        "Courses with only its header",
        header_only("Courses"),
        ["Courses: has no rows; expected one row per course below the header"],
    ),
    (
        "Students with only its header",
        header_only("Students"),
        ["Students: has no rows; expected one row per student below the header"],
    ),
    (
        "Staff with only its header",
        header_only("Staff"),
        ["Staff: has no rows; expected one row per member of staff below the header"],
    ),
    (
        "Calendar with only its header",
        header_only("Calendar"),
        [
            (
                "Calendar: has no rows; expected one row per teaching period of the cycle below the "
                "header"
            )
        ],
    ),
]


def _expected(errors: list[str] | dict[str, list[str]], fmt: str) -> list[str]:
    """Messages whose shown value depends on the format: ``{x}`` is x as a cell shows it.

    A CSV cell is text, quoted in messages; an .xlsx cell keeps its type ("date or time"
    covers both in an .xlsx cell, where a time may carry a date).
    """

    def sub(m: re.Match[str]) -> str:
        text = m.group(1)
        if text in ("time", "date"):
            return text if fmt == "csv" else "date or time"
        return f"'{'False' if text == 'FALSE' else text}'" if fmt == "csv" else text

    if isinstance(errors, dict):
        errors = errors[fmt]
    return [re.sub(r"\{([^{}]*)\}", sub, e) for e in errors]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("name", "mutate", "errors"), CASES, ids=[c[0] for c in CASES])
def test_value_gives_exactly_its_errors(
    tmp_path: Path, fmt: str, name: str, mutate: Mutation, errors: list[str] | dict[str, list[str]]
) -> None:
    got, _ = problems_after(mutate, tmp_path, fmt)
    assert got == _expected(errors, fmt)


def test_settings_at_their_bounds_are_read(tmp_path: Path) -> None:
    t = tiny_tables()
    t["Settings"][0]["value"] = 604800
    t["Settings"][1]["value"] = 0
    t["Settings"][2]["value"] = 64
    school, _ = load_tables(t, tmp_path)
    assert school.settings == Settings(604800.0, 0, 64, school.settings.extra)


# ---- formula cells -------------------------------------------------------------------


def _patched(tmp_path: Path, t: Tables, ref: str, cell_xml: str) -> Path:
    """``t`` as .xlsx with cell ``ref`` of the one sheet holding a formula replaced by
    ``cell_xml`` (openpyxl writes formulas without a saved value; Excel saves one)."""
    path = write(t, tmp_path, "xlsx")
    out = path.with_name("patched.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if b"<f>" in data:
                data, n = re.subn(
                    rf'<c r="{ref}"[^>]*><f>.*?</c>'.encode(), cell_xml.encode(), data
                )
                assert n == 1
            dst.writestr(item, data)
    return out


def _capacity_formula(tmp_path: Path, cell_xml: str) -> Path:
    t = tiny_tables()
    t["Rooms"][0]["capacity"] = "=20+8"  # R1's capacity, Rooms!B2
    return _patched(tmp_path, t, "B2", cell_xml)


def test_formula_with_a_saved_value_is_read_as_that_value(tmp_path: Path) -> None:
    path = _capacity_formula(tmp_path, '<c r="B2"><f>20+8</f><v>28</v></c>')
    school, _ = load_school(path)
    assert school.room_by_id["R1"].capacity == 28


def test_formula_without_a_saved_value_is_reported(tmp_path: Path) -> None:
    for cell in ('<c r="B2"><f>20+8</f></c>', '<c r="B2"><f>20+8</f><v></v></c>'):
        with pytest.raises(InputError) as exc:
            load_school(_capacity_formula(tmp_path, cell))
        assert [str(p) for p in exc.value.errors] == [
            (
                "Rooms!2, capacity: holds the formula =20+8 with no saved value; expected a whole "
                "number of seats (open the workbook in Excel or LibreOffice and save it, so the "
                "formula's value is saved, or type the value)"
            )
        ]


def test_formula_whose_value_is_empty_text_is_a_blank_cell(tmp_path: Path) -> None:
    """``=IF(...,"",...)`` as Excel saves it: an empty text value, read as a blank."""
    t = tiny_tables()
    t["Students"][0]["tutor_group"] = "=TG"  # S1's tutor group, Students!D2
    path = _patched(tmp_path, t, "D2", '<c r="D2" t="str"><f>IF(1,"","TG1")</f><v></v></c>')
    school, _ = load_school(path)
    assert school.student_by_id["S1"].tutor_group is None
