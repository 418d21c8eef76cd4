"""Fifteen mistakes of fifteen kinds, planted at once, are all reported in one run.

Mistakes that make a row unreadable (a bad number, a bad time, a duplicate id, ...) sit
next to mistakes found by reference checks (an unknown slot, room type, member of staff,
tutor group, site, ...). A row left out for its own mistake must not hide the mistakes
of the other rows: each reference is checked against every row that was read, and is
only let through when it names a row that was left out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.workbook.tables import Tables
from tests.workbook_fixtures import Mutation, problems_after, problems_of, setc, tiny_tables

# (kind, mutation, the exact message). Spreadsheet row = list index + 2.
PLANTED: list[tuple[str, Mutation, str]] = [
    (
        "bad time",
        setc("Calendar", 10, start="11h15"),
        "Calendar!12, start: '11h15' is not a time; expected a time HH:MM, e.g. 09:00",
    ),
    (
        "duplicate id",
        setc("Rooms", 3, room="LAB"),
        "Rooms!5, room: LAB is already used on row 4; expected a unique room id",
    ),
    (
        "unknown slot",
        setc("Staff", 1, unavailable="Tue 9"),
        (
            "Staff!3, unavailable: 'Tue 9' is not a slot or day of the Calendar; expected <day> "
            "<period> as in the Calendar sheet (e.g. Mon 1) or a day (e.g. Mon)"
        ),
    ),
    (
        "bad whole number",
        setc("Staff", 0, max_periods="ten"),
        "Staff!2, max_periods: 'ten' is not a whole number; expected a whole number",
    ),
    (
        "unknown staff in a course's staff list",
        setc("Courses", 2, staff="T2, T9"),
        "Courses!4, staff: T9 is not on the Staff sheet; expected staff ids from the Staff sheet",
    ),
    (
        "min_size above max_size",
        setc("Courses", 1, min_size=11),
        "Courses!3, max_size: 10 is smaller than min_size 11; expected max_size >= min_size",
    ),
    (
        "unknown room type",
        setc("Courses", 5, room_type="studoi"),
        (
            "Courses!7, room_type: no room has type studoi (did you mean studio?); expected a room "
            "of type studoi on the Rooms sheet"
        ),
    ),
    (
        "unknown tutor group",
        setc("Students", 0, tutor_group="TG9"),
        (
            "Students!2, tutor_group: TG9 is not on the TutorGroups sheet; expected a group id from "
            "the TutorGroups sheet, or blank"
        ),
    ),
    (
        "unknown home day",
        setc("Students", 4, home_days="Wednes"),
        (
            "Students!6, home_days: 'Wednes' is not a day of the Calendar; expected a day as in the "
            "Calendar sheet, e.g. Mon"
        ),
    ),
    (
        "bad request type",
        setc("Requests", 2, type="maybe"),
        "Requests!4, type: 'maybe' is not a request type; expected core, option or alternate",
    ),
    (
        "unknown course",
        setc("Requests", 8, course="PRJX"),
        (
            "Requests!10, course: PRJX is not on the Courses sheet; expected a course id from the "
            "Courses sheet"
        ),
    ),
    (
        "subject without a Stages row",
        lambda t: t["Requests"][7].update(course=None, subject="Maths"),
        (
            "Requests!9, subject: no Stages row for student S3 in Maths; expected a Stages row "
            "(student, subject, stage) or a course id"
        ),
    ),
    (
        "stage that is not a whole number",
        setc("Stages", 3, stage="four"),
        "Stages!5, stage: 'four' is not a whole number; expected a whole-number stage",
    ),
    (
        "bad yes/no",
        setc("TutorGroups", 1, vertical="maybe"),
        "TutorGroups!3, vertical: 'maybe' is not yes or no; expected yes or no",
    ),
    (
        "seed out of range",
        setc("Settings", 1, value=10**12),
        (
            "Settings!3, value: seed 1000000000000 is more than 2147483647; expected a whole-number "
            "seed from 0 to 2147483647"
        ),
    ),
]
# A Travel site no room is on is a warning (the row is still used), planted as well.
TRAVEL = (
    "unknown Travel site",
    setc("Travel", 0, to_site="Nort"),
    (
        "Travel!2, to_site: site Nort is not the site of any room (did you mean North?); "
        "expected Main or a site from the Rooms sheet"
    ),
)


def planted() -> Tables:
    t = tiny_tables()
    for _, mutate, _ in [*PLANTED, TRAVEL]:
        mutate(t)
    return t


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_fifteen_mistakes_of_fifteen_kinds_in_one_run(tmp_path: Path, fmt: str) -> None:
    assert len(PLANTED) == 15 and len({kind for kind, *_ in PLANTED}) == 15
    errors, warnings = problems_of(planted(), tmp_path, fmt)
    assert sorted(errors) == sorted(message for *_, message in PLANTED)
    assert TRAVEL[2] in warnings


def test_each_planted_mistake_alone_gives_its_own_message(tmp_path: Path) -> None:
    """Each mistake gives the same message alone as in the crowd, and nothing else."""
    for kind, mutate, message in [*PLANTED, TRAVEL]:
        errors, warnings = problems_after(mutate, tmp_path)
        assert message in errors + warnings, kind
        assert len(errors) == (0 if kind == TRAVEL[0] else 1), (kind, errors)


@pytest.mark.parametrize(
    ("sheet", "i", "column", "referenced_by"),
    [
        ("Staff", 1, "staff", ("Courses", 2, "staff", "T2, T9")),
        ("Rooms", 3, "room", ("TutorGroups", 0, "room", "R9")),
        ("Calendar", 5, "day", ("Staff", 1, "unavailable", "Fri 2")),
    ],
)
def test_a_row_whose_id_cannot_be_read_hides_references_into_its_sheet(
    tmp_path: Path, sheet: str, i: int, column: str, referenced_by: tuple[str, int, str, str]
) -> None:
    """When a row's id (a Calendar row's day) cannot be read, any reference may mean that
    row: references into its sheet are not reported, only the row itself is."""
    t = tiny_tables()
    t[sheet][i][column] = "#REF!"
    ref_sheet, j, ref_column, value = referenced_by
    t[ref_sheet][j][ref_column] = value
    errors, _ = problems_of(t, tmp_path)
    assert [e.split(":")[0] for e in errors] == [f"{sheet}!{i + 2}, {column}"]
