"""The Locks sheet (added by the project, docs/workbook.md "Locks"): read into
School.locks, and every bad row reported at once with its exact message."""

from __future__ import annotations

import pytest

from scheduler.model import Lock
from scheduler.workbook.problems import InputError
from tests.workbook_fixtures import load_tables, problems_of, tiny_tables


def lock_row(course, group, slots=None, room=None, staff=None, student=None) -> dict:
    return {
        "course": course,
        "group": group,
        "slots": slots,
        "room": room,
        "staff": staff,
        "student": student,
    }


def test_a_locks_sheet_is_read_into_the_school(tmp_path):
    tables = tiny_tables()
    tables["Locks"] = [
        lock_row("SC", "SC.1", "Mon 2, Mon 3; Tue 2", "lab", "T2", "S1"),
        lock_row("ar", 1, student="S2"),
    ]
    school, warnings = load_tables(tables, tmp_path)
    assert warnings == []
    assert school.locks == (
        Lock("SC", 1, frozenset({1, 2, 5}), "LAB", ("T2",), "S1", row=2),
        Lock("AR", 1, student="S2", row=3),
    )
    assert school.locks_of["SC.1"] == school.locks[:1]


def test_no_locks_sheet_means_no_locks(tmp_path):
    school, _ = load_tables(tiny_tables(), tmp_path)
    assert school.locks == ()


SLOT = "expected <day> <period> as in the Calendar sheet (e.g. Mon 1) or a day (e.g. Mon)"
GROUP = "expected a group number from 1, e.g. 2 (or the group's id, e.g. MA.2)"

BAD_ROWS = [
    lock_row("XX", 1, student="S1"),  # 2
    lock_row("PRJ", 2, student="S3"),  # 3
    lock_row("SC", 1, "Mon 1, Tue 1, Wed 1"),  # 4
    lock_row("SC", 1, "Fri 1"),  # 5
    lock_row("AR", 1, room="R9", staff="T9"),  # 6
    lock_row("AR", 1, student="S3"),  # 7
    lock_row("AR", 1, student="S99"),  # 8
    lock_row("SC", 1, room="R1", staff="T1"),  # 9
    lock_row("AR", 3),  # 10
    lock_row("AR", 0),  # 11
    lock_row("sc", "MA-3.1"),  # 12
    lock_row("PRJ", 1, staff="T3"),  # 13
    lock_row("SC", 1, "Mon 2, Mon 3, Tue 4", "LAB", "T2"),  # 14
    lock_row("SC", 1, "Mon 2, Mon 3, Wed 2", "LAB", "T4", "S1"),  # 15
    lock_row("SC", 1, "Mon 2, Mon 3, Tue 2", "LAB", "T4"),  # 16
    lock_row("SC", 2, student="S1"),  # 17
    lock_row("SP", 1, room="R1"),  # 18
]

BAD_ERRORS = [
    "Locks!2, course: XX is not on the Courses sheet; expected a course id from the Courses sheet",
    (
        "Locks!3, group: PRJ has 1 group(s) (its fixed sections); group 2 is beyond them; "
        "expected a group number from 1 to 1"
    ),
    (
        "Locks!4, slots: Mon 1, Tue 1, Wed 1 do not fit SC's lessons (2,1 periods, on different "
        "days); expected 3 slots that hold lessons of 2,1 periods, each on consecutive periods "
        "of one day"
    ),
    f"Locks!5, slots: 'Fri 1' is not a slot or day of the Calendar; {SLOT}",
    "Locks!6, room: R9 is not on the Rooms sheet; expected a room id from the Rooms sheet, or blank",
    "Locks!6, staff: T9 is not on the Staff sheet; expected staff ids from the Staff sheet",
    "Locks!7, student: S3 does not request AR; expected a student with a request for AR",
    (
        "Locks!8, student: S99 is not on the Students sheet; expected a student id from the "
        "Students sheet, or blank"
    ),
    "Locks!9, room: R1 is not a room SC may use (it needs a lab room); expected one of LAB",
    "Locks!9, staff: T1 may not teach SC; expected staff who may teach it: T2, T4",
    f"Locks!11, group: 0 is not a group number; {GROUP}; at most 1000",
    f"Locks!12, group: 'MA-3.1' is a group of MA-3, not of SC; {GROUP}",
    "Locks!13, staff: names 1 staff, but PRJ has 2 per group; expected 2 staff id(s)",
    "Locks!14, staff: T2 is unavailable at Tue 4; expected staff free at the locked slots",
    (
        "Locks!16, slots: SC.1 is locked to other slots on row 15; expected the same slots on "
        "every row that locks SC.1"
    ),
    "Locks!17, student: S1 is locked to SC.1 on row 15; expected one group of SC per student",
    "Locks!18, room: SP is an online course, which has no room; expected a blank room for an online course",
]

BAD_WARNINGS = [
    "Locks!10: locks nothing of AR.3; expected slots, a room, staff or a student",
    (
        "Locks!10, group: AR's requests need 1 group(s); AR.3 is beyond them and will be "
        "planned as well; expected a group number within the groups the course needs, or a "
        "group meant on top of them"
    ),
    (
        "Locks!17, group: SC's requests need 1 group(s); SC.2 is beyond them and will be "
        "planned as well; expected a group number within the groups the course needs, or a "
        "group meant on top of them"
    ),
]


def test_every_bad_locks_row_is_reported_at_once(tmp_path):
    tables = tiny_tables()
    tables["Locks"] = BAD_ROWS
    errors, warnings = problems_of(tables, tmp_path)
    assert errors == BAD_ERRORS
    assert warnings == BAD_WARNINGS


def test_a_bad_locks_row_stops_the_school_loading(tmp_path):
    tables = tiny_tables()
    tables["Locks"] = [lock_row("SC", 1, staff="T1")]
    with pytest.raises(InputError):
        load_tables(tables, tmp_path)


def test_a_teacher_or_student_locked_to_two_groups_at_once(tmp_path):
    """T4 may teach SC and AR, S1 takes both: SC.1 and AR.1 locked to the same Mon 3."""
    tables = tiny_tables()
    tables["Locks"] = [
        lock_row("SC", 1, "Mon 3, Mon 4, Tue 1", staff="T4", student="S1"),
        lock_row("AR", 1, "Mon 2, Mon 3", staff="T4"),
        lock_row("AR", 1, student="S1"),
    ]
    errors, _ = problems_of(tables, tmp_path)
    assert errors == [
        (
            "Locks!3, staff: T4 is locked to AR.1 and to SC.1 (row 2), both locked to Mon 3; "
            "expected staff locked to groups at different slots"
        ),
        (
            "Locks!4, student: S1 is locked to AR.1 and to SC.1 (row 2), both locked to Mon 3; "
            "expected student locked to groups at different slots"
        ),
    ]
