"""A workbook with twenty planted mistakes gets exactly twenty precise errors in one run."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.workbook.tables import Tables
from tests.workbook_fixtures import problems_of, tiny_tables

# (sheet, 0-based row, column, bad value, the exact error)
PLANTED: list[tuple[str, int, str, object, str]] = [
    (
        "Calendar",
        3,
        "end",
        "13:00",
        (
            "Calendar!5, end: 13:00 is not after start 13:00; expected an end time later than the "
            "start"
        ),
    ),
    (
        "Rooms",
        1,
        "capacity",
        "big",
        "Rooms!3, capacity: 'big' is not a whole number; expected a whole number of seats",
    ),
    (
        "Rooms",
        3,
        "max_groups",
        0,
        "Rooms!5, max_groups: 0 is less than 1; expected at least 1 group at once (blank = 1)",
    ),
    (
        "Staff",
        0,
        "subjects",
        "Maths:3-1",
        (
            "Staff!2, subjects: the stages of Maths:3-1 run backwards; expected the lower stage "
            "first, e.g. Maths:1-3"
        ),
    ),
    (
        "Staff",
        2,
        "max_periods",
        -2,
        (
            "Staff!4, max_periods: -2 is negative; expected a whole number of periods, 0 or more, or "
            "blank"
        ),
    ),
    (
        "Courses",
        0,
        "max_size",
        0,
        "Courses!2, max_size: 0 is smaller than min_size 1; expected max_size >= min_size",
    ),
    (
        "Courses",
        2,
        "staff",
        "T2, T9",
        "Courses!4, staff: T9 is not on the Staff sheet; expected staff ids from the Staff sheet",
    ),
    (
        "Courses",
        3,
        "mode",
        "hybrid",
        "Courses!5, mode: 'hybrid' is not a mode; expected school or online",
    ),
    (
        "Courses",
        5,
        "lessons",
        "2,x",
        (
            "Courses!7, lessons: 'x' in '2,x' is not a whole number; expected lesson lengths in "
            "periods, e.g. 1,1,2"
        ),
    ),
    (
        "Students",
        1,
        "year",
        "seven",
        "Students!3, year: 'seven' is not a whole number; expected a year group, e.g. 9",
    ),
    (
        "Students",
        2,
        "tutor_group",
        "TG9",
        (
            "Students!4, tutor_group: TG9 is not on the TutorGroups sheet; expected a group id from "
            "the TutorGroups sheet, or blank"
        ),
    ),
    (
        "Students",
        5,
        "pathway",
        "SCIENCE",
        (
            "Students!7, pathway: SCIENCE is not on the Pathways sheet; expected a pathway id from "
            "the Pathways sheet, or blank"
        ),
    ),
    (
        "Requests",
        2,
        "type",
        "maybe",
        "Requests!4, type: 'maybe' is not a request type; expected core, option or alternate",
    ),
    (
        "Requests",
        8,
        "course",
        "PRJX",
        (
            "Requests!10, course: PRJX is not on the Courses sheet; expected a course id from the "
            "Courses sheet"
        ),
    ),
    (
        "Requests",
        12,
        "rank",
        0,
        "Requests!14, rank: 0 is less than 1; expected a rank from 1 to 1000 (1 = most wanted)",
    ),
    (
        "Stages",
        3,
        "stage",
        "four",
        "Stages!5, stage: 'four' is not a whole number; expected a whole-number stage",
    ),
    (
        "TutorGroups",
        1,
        "tutor",
        "T7",
        (
            "TutorGroups!3, tutor: T7 is not on the Staff sheet; expected a staff id from the Staff "
            "sheet"
        ),
    ),
    (
        "TutorGroups",
        0,
        "capacity",
        -1,
        "TutorGroups!2, capacity: -1 is less than 1; expected at least 1 student",
    ),
    (
        "Travel",
        0,
        "minutes",
        -5,
        "Travel!2, minutes: -5 is negative; expected a whole number of minutes, 0 or more",
    ),
    ("Settings", 2, "value", 0, "Settings!4, value: workers 0 is less than 1; expected at least 1"),
]


def planted() -> Tables:
    t = tiny_tables()
    for sheet, i, column, value, _ in PLANTED:
        t[sheet][i][column] = value
    return t


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_twenty_mistakes_twenty_errors(tmp_path: Path, fmt: str) -> None:
    assert len(PLANTED) == 20
    errors, _ = problems_of(planted(), tmp_path, fmt)
    assert sorted(errors) == sorted(e for *_, e in PLANTED)


def test_each_planted_mistake_alone_gives_its_own_error(tmp_path: Path) -> None:
    """The twenty errors are not an accident of their mix: each one stands alone too."""
    for sheet, i, column, value, expected in PLANTED:
        t = tiny_tables()
        t[sheet][i][column] = value
        errors, _ = problems_of(t, tmp_path)
        assert errors == [expected], (sheet, i, column)
