"""Every validation error, shown by a small bad workbook with its exact message.

Each case changes the tiny school (tests/workbook_fixtures.py) in one way and lists
exactly the errors that must come out (nothing more: one mistake, one message).
Spreadsheet row = list index + 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workbook_fixtures import (
    Mutation,
    add_row,
    both,
    copy_row,
    del_row,
    drop_column,
    drop_sheet,
    problems_after,
    setc,
)

SLOT_EXPECTED = "expected <day> <period> as in the Calendar sheet (e.g. Mon 1) or a day (e.g. Mon)"

CASES: list[tuple[str, Mutation, list[str]]] = [
    # ---- structure ------------------------------------------------------------------
    (
        "missing sheet",
        drop_sheet("Rooms"),
        [
            (
                "Rooms: sheet is missing; expected a sheet named Rooms with columns room, capacity, "
                "type"
            )
        ],
    ),
    (
        "missing column",
        drop_column("Rooms", "capacity"),
        ["Rooms!1, capacity: column is missing; expected a column headed capacity"],
    ),
    (
        "requests need course or subject",
        both(drop_column("Requests", "course"), drop_column("Requests", "subject")),
        [
            (
                "Requests!1, course or subject: column is missing; expected a column headed course "
                "or subject"
            )
        ],
    ),
    (
        "Staff sheet without subjects: nothing else follows from it",
        drop_column("Staff", "subjects"),
        ["Staff!1, subjects: column is missing; expected a column headed subjects"],
    ),
    (
        "Courses sheet without lessons: requests for courses are not reported",
        drop_column("Courses", "lessons"),
        ["Courses!1, lessons: column is missing; expected a column headed lessons"],
    ),
    (
        "Pathways sheet without its pathway column",
        drop_column("Pathways", "pathway"),
        ["Pathways!1, pathway: column is missing; expected a column headed pathway"],
    ),
    (
        "students on a pathway but no Pathways sheet",
        drop_sheet("Pathways"),
        [
            (
                "Students!6, pathway: SCI is not on a Pathways sheet (there is none); expected a "
                "pathway id from the Pathways sheet, or blank"
            ),
            (
                "Students!7, pathway: SCI is not on a Pathways sheet (there is none); expected a "
                "pathway id from the Pathways sheet, or blank"
            ),
        ],
    ),
    (
        "duplicate column",
        lambda t: [r.update({"Capacity ": 3}) for r in t["Rooms"]] and None,
        ["Rooms!1, Capacity: column appears twice (also column B); expected each column once"],
    ),
    # ---- types ----------------------------------------------------------------------
    (
        "text for a number",
        setc("Rooms", 1, capacity="big"),
        ["Rooms!3, capacity: 'big' is not a whole number; expected a whole number of seats"],
    ),
    (
        "fraction for a whole number",
        setc("Rooms", 1, capacity=2.5),
        ["Rooms!3, capacity: 2.5 is not a whole number; expected a whole number of seats"],
    ),
    (
        "blank required cell",
        setc("Students", 0, year=None),
        ["Students!2, year: is blank; expected a year group, e.g. 9"],
    ),
    (
        "bad time",
        setc("Calendar", 0, start="9h"),
        ["Calendar!2, start: '9h' is not a time; expected a time HH:MM, e.g. 09:00"],
    ),
    (
        "bad list of ints",
        setc("Courses", 2, lessons="2,x"),
        [
            (
                "Courses!4, lessons: 'x' in '2,x' is not a whole number; expected lesson lengths in "
                "periods, e.g. 1,1,2"
            )
        ],
    ),
    (
        "bad mode",
        setc("Courses", 3, mode="hybrid"),
        ["Courses!5, mode: 'hybrid' is not a mode; expected school or online"],
    ),
    (
        "bad request type",
        setc("Requests", 0, type="maybe"),
        ["Requests!2, type: 'maybe' is not a request type; expected core, option or alternate"],
    ),
    (
        "bad pathway type",
        setc("Pathways", 3, type="extra"),
        ["Pathways!5, type: 'extra' is not a request type; expected core, option or alternate"],
    ),
    (
        "bad yes/no",
        setc("TutorGroups", 0, vertical="maybe"),
        ["TutorGroups!2, vertical: 'maybe' is not yes or no; expected yes or no"],
    ),
    (
        "bad qualification",
        setc("Staff", 0, subjects="Maths:x"),
        [
            (
                "Staff!2, subjects: 'Maths:x' has stages that are not whole numbers; expected a "
                "subject, optionally with stages, e.g. Maths or Maths:1-4"
            )
        ],
    ),
    (
        "unknown slot",
        setc("Rooms", 1, unavailable="Thu 4"),
        [f"Rooms!3, unavailable: 'Thu 4' is not a slot or day of the Calendar; {SLOT_EXPECTED}"],
    ),
    (
        "unknown home day",
        setc("Students", 4, home_days="Fri"),
        [
            (
                "Students!6, home_days: 'Fri' is not a day of the Calendar; expected a day as in the "
                "Calendar sheet, e.g. Mon"
            )
        ],
    ),
    (
        "spreadsheet error",
        setc("Courses", 0, max_size="#DIV/0!"),
        [
            (
                "Courses!2, max_size: holds the spreadsheet error #DIV/0!; expected a whole number "
                "(fix the formula)"
            )
        ],
    ),
    # ---- duplicates -----------------------------------------------------------------
    (
        "duplicate slot",
        setc("Calendar", 1, period="1", start="10:00"),
        ["Calendar!3, period: Mon 1 is already on row 2; expected each day and period once"],
    ),
    (
        "duplicate room",
        setc("Rooms", 1, room="R1"),
        ["Rooms!3, room: R1 is already used on row 2; expected a unique room id"],
    ),
    (
        "duplicate staff",
        copy_row("Staff", 3),
        ["Staff!6, staff: T4 is already used on row 5; expected a unique staff id"],
    ),
    (
        "duplicate course",
        copy_row("Courses", 5),
        ["Courses!8, course: AR is already used on row 7; expected a unique course id"],
    ),
    (
        "duplicate student",
        copy_row("Students", 1),
        ["Students!8, student: S2 is already used on row 3; expected a unique student id"],
    ),
    (
        "duplicate tutor group",
        copy_row("TutorGroups", 1, meets="Tue 1"),
        ["TutorGroups!4, group: TG2 is already used on row 3; expected a unique tutor group id"],
    ),
    (
        "duplicate request",
        copy_row("Requests", 1),
        [
            (
                "Requests!17, course: student S1 already requests SC on row 3; expected each course "
                "once per student"
            )
        ],
    ),
    (
        "conflicting stages",
        copy_row("Stages", 0, stage=4),
        [
            (
                "Stages!6, stage: student S1 already has Maths stage 3 on row 2; expected one stage "
                "per student and subject"
            )
        ],
    ),
    (
        "duplicate setting",
        add_row("Settings", key="seed", value=3),
        ["Settings!7, key: seed is already set on row 3; expected each setting once"],
    ),
    # ---- impossible values ----------------------------------------------------------
    (
        "end before start",
        setc("Calendar", 0, end="09:00"),
        [
            (
                "Calendar!2, end: 09:00 is not after start 09:00; expected an end time later than "
                "the start"
            )
        ],
    ),
    (
        "overlapping periods",
        setc("Calendar", 1, start="09:30"),
        [
            (
                "Calendar!3, start: Mon 2 starts at 09:30, before Mon 1 ends at 10:00; expected the "
                "periods of a day in time order, not overlapping"
            )
        ],
    ),
    (
        "room capacity 0",
        setc("Rooms", 1, capacity=0),
        ["Rooms!3, capacity: 0 is less than 1; expected at least 1 seat"],
    ),
    (
        "room capacity negative",
        setc("Rooms", 1, capacity=-4),
        ["Rooms!3, capacity: -4 is less than 1; expected at least 1 seat"],
    ),
    (
        "max_groups 0",
        setc("Rooms", 3, max_groups=0),
        ["Rooms!5, max_groups: 0 is less than 1; expected at least 1 group at once (blank = 1)"],
    ),
    (
        "max_periods negative",
        setc("Staff", 0, max_periods=-1),
        [
            (
                "Staff!2, max_periods: -1 is negative; expected a whole number of periods, 0 or more, "
                "or blank"
            )
        ],
    ),
    (
        "stage range backwards",
        setc("Staff", 0, subjects="Maths:3-1"),
        [
            (
                "Staff!2, subjects: the stages of Maths:3-1 run backwards; expected the lower stage "
                "first, e.g. Maths:1-3"
            )
        ],
    ),
    (
        "max_size below min_size",
        setc("Courses", 0, min_size=5, max_size=3),
        ["Courses!2, max_size: 3 is smaller than min_size 5; expected max_size >= min_size"],
    ),
    (
        "min_size 0",
        setc("Courses", 0, min_size=0),
        ["Courses!2, min_size: 0 is less than 1; expected min_size >= 1"],
    ),
    (
        "lesson longer than any day",
        setc("Courses", 2, lessons="5,1"),
        [
            (
                "Courses!4, lessons: a lesson of 5 periods is longer than any day of the Calendar "
                "(4 periods); expected lessons of at most 4 periods"
            )
        ],
    ),
    (
        "lesson of 0 periods",
        setc("Courses", 2, lessons="2,0"),
        [
            (
                "Courses!4, lessons: a lesson of 0 periods is impossible; expected lesson lengths of "
                "at least 1 period"
            )
        ],
    ),
    (
        "more periods than the cycle",
        setc("Courses", 5, lessons="4,4,4,1"),
        [
            (
                "Courses!7, lessons: its lessons need 13 periods but the cycle has 12 slots; expected "
                "at most 12 periods of lessons"
            )
        ],
    ),
    (
        "lessons cannot fall on different days",
        both(
            lambda t: t.__setitem__(
                "Calendar",
                [r for r in t["Calendar"] if r["day"] != "Wed" or r["period"] in ("1", "2")],
            ),
            setc("Rooms", 1, unavailable="Tue 4"),
            setc("Courses", 5, lessons="3,3,3"),
        ),
        [
            (
                "Courses!7, lessons: its 3 lessons of 3+ periods must fall on different days, but "
                "only 2 days of the Calendar have 3 periods or more; expected lessons that fit on "
                "different days of the Calendar"
            )
        ],
    ),
    (
        "staff_per_group 0",
        setc("Courses", 2, staff_per_group=0),
        [
            (
                "Courses!4, staff_per_group: 0 is less than 1; expected at least 1 staff member per "
                "group (blank = 1)"
            )
        ],
    ),
    (
        "sections 0",
        setc("Courses", 4, sections=0),
        [
            (
                "Courses!6, sections: 0 is less than 1; expected at least 1 group, or blank to let "
                "the solver decide"
            )
        ],
    ),
    (
        "tutor group capacity 0",
        both(setc("TutorGroups", 1, capacity=0), setc("TutorGroups", 0, capacity=6)),
        ["TutorGroups!3, capacity: 0 is less than 1; expected at least 1 student"],
    ),
    (
        "rank 0",
        setc("Requests", 2, rank=0),
        ["Requests!4, rank: 0 is less than 1; expected a rank from 1 to 1000 (1 = most wanted)"],
    ),
    (
        "pathway rank 0",
        setc("Pathways", 3, rank=0),
        ["Pathways!5, rank: 0 is less than 1; expected a rank from 1 to 1000 (1 = most wanted)"],
    ),
    (
        "negative travel",
        setc("Travel", 0, minutes=-5),
        ["Travel!2, minutes: -5 is negative; expected a whole number of minutes, 0 or more"],
    ),
    (
        "bad setting",
        setc("Settings", 2, value=0),
        ["Settings!4, value: workers 0 is less than 1; expected at least 1"],
    ),
    (
        "bad time limit",
        setc("Settings", 0, value="soon"),
        [
            (
                "Settings!2, value: 'soon' is not a number; expected a number of seconds above 0 and "
                "at most 604800 (a week)"
            )
        ],
    ),
    (
        "bad term date",
        add_row("Settings", key="term_end", value="next summer"),
        ["Settings!7, value: 'next summer' is not a date; expected a date YYYY-MM-DD"],
    ),
    (
        "term ends before it starts",
        add_row("Settings", key="term_end", value="2025-01-01"),
        [
            (
                "Settings!7, value: term_end 2025-01-01 is before term_start 2025-09-01; expected "
                "term_end on or after term_start"
            )
        ],
    ),
    # ---- unknown references ---------------------------------------------------------
    (
        "request for an unknown course",
        setc("Requests", 1, course="SCI"),
        [
            (
                "Requests!3, course: SCI is not on the Courses sheet; expected a course id from the "
                "Courses sheet"
            )
        ],
    ),
    (
        "request by an unknown student",
        setc("Requests", 0, student="S99"),
        [
            (
                "Requests!2, student: S99 is not on the Students sheet; expected a student id from "
                "the Students sheet"
            )
        ],
    ),
    (
        "request with neither course nor subject",
        setc("Requests", 1, course=None),
        [
            (
                "Requests!3, course: course and subject are both blank; expected a course id or a "
                "subject"
            )
        ],
    ),
    (
        "course and subject disagree",
        setc("Requests", 1, subject="Art"),
        [
            (
                "Requests!3, subject: SC is a Science course, not Art; expected the course's own "
                "subject, or a blank subject"
            )
        ],
    ),
    (
        "stages for an unknown student",
        add_row("Stages", student="S9", subject="Maths", stage=2),
        [
            (
                "Stages!6, student: S9 is not on the Students sheet; expected a student id from the "
                "Students sheet"
            )
        ],
    ),
    (
        "staff in Courses.staff not on Staff",
        setc("Courses", 2, staff="T2, T9"),
        [
            (
                "Courses!4, staff: T9 is not on the Staff sheet; expected staff ids from the Staff "
                "sheet"
            )
        ],
    ),
    (
        "tutor not on Staff",
        setc("TutorGroups", 1, tutor="T7"),
        [
            (
                "TutorGroups!3, tutor: T7 is not on the Staff sheet; expected a staff id from the "
                "Staff sheet"
            )
        ],
    ),
    (
        "unknown room in TutorGroups",
        setc("TutorGroups", 1, room="LAB2"),
        [
            (
                "TutorGroups!3, room: LAB2 is not on the Rooms sheet (did you mean LAB?); expected a "
                "room id from the Rooms sheet, or blank"
            )
        ],
    ),
    (
        "fixed tutor group not on TutorGroups",
        setc("Students", 0, tutor_group="TG9"),
        [
            (
                "Students!2, tutor_group: TG9 is not on the TutorGroups sheet; expected a group id "
                "from the TutorGroups sheet, or blank"
            )
        ],
    ),
    (
        "unknown pathway",
        setc("Students", 5, pathway="SCIENCE"),
        [
            (
                "Students!7, pathway: SCIENCE is not on the Pathways sheet; expected a pathway id "
                "from the Pathways sheet, or blank"
            )
        ],
    ),
    (
        "pathway names an unknown course",
        setc("Pathways", 1, course="SCX"),
        [
            (
                "Pathways!3, course: SCX is not on the Courses sheet; expected a course id from the "
                "Courses sheet"
            )
        ],
    ),
    (
        "pathway names an unknown subject",
        setc("Pathways", 0, subject="Math"),
        [
            (
                "Pathways!2, subject: no course has subject Math; expected a subject from the "
                "Courses sheet"
            )
        ],
    ),
    # ---- rule 8 -----------------------------------------------------------------------
    (
        "course not open to the student's year",
        setc("Requests", 1, course="PRJ"),
        [
            (
                "Requests!3, course: PRJ is not open to year 7 (student S1); expected a course whose "
                "years (8) include 7"
            )
        ],
    ),
    (
        "subject request with no Stages row",
        del_row("Stages", 1),
        [
            (
                "Requests!6, subject: no Stages row for student S2 in Maths; expected a Stages row "
                "(student, subject, stage) or a course id"
            )
        ],
    ),
    (
        "subject request with no Stages sheet",
        both(
            drop_sheet("Stages"),
            setc("Students", 4, pathway=None),
            setc("Students", 5, pathway=None),
            setc("Requests", 0, subject=None, course="MA-3"),
        ),
        [
            (
                "Requests!6, subject: Maths is requested by subject but there is no Stages sheet; "
                "expected a Stages sheet giving each student's stage"
            )
        ],
    ),
    (
        "no course at the student's stage",
        setc("Stages", 1, stage=9),
        [
            (
                "Requests!6, subject: no Maths course at stage 9, the stage of student S2 on the "
                "Stages sheet; expected a Courses row with subject Maths and stage 9"
            )
        ],
    ),
    (
        "subject course closed to the year",
        both(setc("Courses", 1, years="9"), setc("Requests", 7, course="MA-3")),
        [
            (
                "Requests!6, subject: Maths stage 4 (MA-4) is not open to year 7 (student S2); "
                "expected a Maths stage 4 course whose years include 7"
            ),
            (
                "Pathways!2, subject: Maths stage 4 (MA-4) is not open to year 8 (student S6); "
                "expected a Maths stage 4 course whose years include 8"
            ),
        ],
    ),
    (
        "two courses could be meant",
        copy_row("Courses", 0, course="MA-3B"),
        [
            (
                "Requests!2, subject: Maths stage 3 could be any of MA-3, MA-3B for student S1; "
                "expected one course per subject and stage, or name the course in the course column"
            ),
            (
                "Pathways!2, subject: Maths stage 3 could be any of MA-3, MA-3B for student S5; "
                "expected one course per subject and stage, or name the course in the course column"
            ),
        ],
    ),
    (
        "pathway course not open to a student's year",
        add_row("Pathways", pathway="SCI", course="PRJ", subject=None, type="core", rank=None),
        [
            (
                "Pathways!6, course: PRJ is not open to year 7 (student S5); expected a course "
                "whose years (8) include 7"
            )
        ],
    ),
    (
        "pathway row twice",
        copy_row("Pathways", 1),
        [
            (
                "Pathways!6, course: SC is already on row 3 of pathway SCI (for students S5, S6); "
                "expected "
                "each course once per pathway"
            )
        ],
    ),
    # ---- can never be satisfied -------------------------------------------------------
    (
        "no room of the type",
        setc("Courses", 5, room_type="theatre"),
        [
            (
                "Courses!7, room_type: no room has type theatre; expected a room of type theatre on "
                "the Rooms sheet"
            )
        ],
    ),
    (
        "rooms too small",
        setc("Courses", 2, min_size=21, max_size=30),
        [
            (
                "Courses!4, min_size: every lab room seats fewer than min_size 21 (largest: LAB, 20 "
                "seats); expected a lab room seating at least 21"
            )
        ],
    ),
    (
        "no qualified staff",
        setc("Courses", 5, subject="Music"),
        [
            (
                "Courses!7, subject: no staff can teach Music; expected a Staff row whose subjects "
                "include Music"
            )
        ],
    ),
    (
        "no staff at the stage",
        setc("Staff", 1, subjects="Maths:1-3, Science"),
        [
            (
                "Courses!3, subject: no staff can teach Maths at stage 4; expected a Staff row whose "
                "subjects include Maths at stage 4"
            )
        ],
    ),
    (
        "no course at the stage of pathway students",
        both(setc("Stages", 2, stage=5), setc("Stages", 3, stage=5)),
        [
            (
                "Pathways!2, subject: no Maths course at stage 5, the stage of students S5, S6 on the "
                "Stages sheet; expected a Courses row with subject Maths and stage 5"
            )
        ],
    ),
    (
        "fewer staff than staff_per_group",
        setc("Courses", 4, staff="T3"),
        [
            (
                "Courses!6, staff_per_group: 2 staff per group but only 1 can teach PRJ (T3); "
                "expected at least 2 staff who can teach it"
            )
        ],
    ),
    (
        "staff not free for a whole group",
        setc("Staff", 2, max_periods=1),
        [
            (
                "Courses!5, subject: a group of SP needs 2 periods but T3 is not free for that many "
                "(unavailable, tutor time or max_periods); expected 1 eligible staff free for 2 "
                "periods"
            ),
            # T3 is also one of the two staff every PRJ group needs.
            (
                "Courses!6, staff: a group of PRJ needs 3 periods but T3 is not free for that many "
                "(unavailable, tutor time or max_periods); expected 2 eligible staff free for 3 "
                "periods"
            ),
        ],
    ),
    (
        "core courses do not fit in the cycle",
        both(
            setc("Courses", 0, lessons="1,1,2"),
            setc("Requests", 2, type="core"),
            setc("Requests", 3, type="core"),
        ),
        [
            (
                "Students!2, student: student S1's core courses need 11 periods but only 10 of the "
                "cycle's 12 slots are free (tutor time takes 2); expected core courses that fit in "
                "the cycle"
            )
        ],
    ),
    (
        "core courses do not fit around home days",
        setc("Students", 4, home_days="Tue, Wed"),
        [
            (
                "Students!6, home_days: student S5's core courses in school need 6 periods but only "
                "3 slots are free outside home-learning days (tutor time takes 1); expected fewer "
                "home days or fewer core courses taught in school"
            )
        ],
    ),
    (
        "room type over-demanded",
        both(setc("Courses", 2, min_size=1, max_size=1), setc("Rooms", 2, unavailable="Tue")),
        [
            (
                "Courses, room_type: core requests need a lab room for 12 periods per cycle (SC 4 "
                "groups x 3 periods) but the lab rooms offer 8; expected more rooms or fewer lessons "
                "needing a lab room"
            )
        ],
    ),
    (
        "subject staff over-demanded",
        both(
            setc("Courses", 2, min_size=1, max_size=1, staff="T2"), setc("Staff", 1, max_periods=8)
        ),
        [
            (
                "Staff, subjects: core requests need 12 periods of Science teaching (SC 4 groups x 3 "
                "periods) but the staff who can teach Science (T2) have 8 free periods; expected "
                "more Science staff time or fewer Science groups"
            )
        ],
    ),
    (
        "fixed sections cannot reach min_size",
        setc("Courses", 4, sections=2),
        [
            (
                "Courses!6, sections: 2 groups of at least 2 need 4 students but only 2 request PRJ; "
                "expected sections x min_size no more than the requests"
            )
        ],
    ),
    (
        "fixed sections too small for core",
        setc("Courses", 4, min_size=1, max_size=1),
        [
            (
                "Courses!6, sections: 2 students need PRJ as core but 1 group of at most 1 hold 1; "
                "expected sections x max_size at least the core requests"
            )
        ],
    ),
    (
        "too few tutor places",
        setc("TutorGroups", 1, capacity=1),
        [
            (
                "TutorGroups, capacity: 6 students need a tutor group but the tutor groups hold 5; "
                "expected tutor group capacities adding up to the number of students"
            ),
            # S2 and S6 of house Blue can only join TG2 (TG1 is Red's).
            (
                "TutorGroups, house: 2 students of house Blue need a tutor group but the groups open "
                "to house Blue hold 1; expected more tutor group places for house Blue"
            ),
        ],
    ),
    (
        "too few places for a house",
        both(setc("TutorGroups", 1, house="Blue", capacity=6), setc("TutorGroups", 0, capacity=2)),
        [
            (
                "TutorGroups, house: 3 students of house Red need a tutor group but the groups open "
                "to house Red hold 2; expected more tutor group places for house Red"
            )
        ],
    ),
    (
        "fixed group over capacity",
        both(
            setc("Students", 2, tutor_group="TG1"),
            setc("Students", 3, tutor_group="TG1"),
            setc("TutorGroups", 0, capacity=2),
        ),
        [
            (
                "TutorGroups!2, capacity: 3 students are placed in TG1 but it holds 2; expected a "
                "capacity of at least the students placed in it"
            )
        ],
    ),
    (
        "fixed group of another house",
        setc("Students", 1, tutor_group="TG1"),
        [
            (
                "Students!3, tutor_group: TG1 belongs to house Red, student S2 to house Blue; "
                "expected a tutor group of the student's house"
            )
        ],
    ),
    (
        # A house is compared as written (TutorGroup.takes_house), as the checker does
        # (and a warning says that red and Red differ only in capitals).
        "fixed group of a house spelt in another case",
        both(setc("Students", 1, tutor_group="TG1"), setc("Students", 1, house="red")),
        [
            (
                "Students!3, tutor_group: TG1 belongs to house Red, student S2 to house red; "
                "expected a tutor group of the student's house"
            )
        ],
    ),
    (
        "family split between fixed groups",
        both(setc("Students", 2, tutor_group="TG1"), setc("Students", 3, tutor_group="TG2")),
        [
            (
                "Students!5, tutor_group: student S4 is in TG2 but S3 of the same family F1 is in "
                "TG1; expected a family in one tutor group"
            )
        ],
    ),
    (
        "family larger than any tutor group",
        both(
            setc("Students", 1, family="F1", house="Red"),
            setc("Students", 0, family="F1"),
            setc("TutorGroups", 0, capacity=3),
            setc("TutorGroups", 1, capacity=3),
            setc("Students", 0, tutor_group=None),
        ),
        [
            (
                "Students!2, family: family F1 has 4 students but the largest tutor group they can "
                "share holds 3; expected a tutor group that holds the whole family"
            )
        ],
    ),
]


@pytest.mark.parametrize(
    "mutate,expected", [(m, e) for _, m, e in CASES], ids=[name for name, _, _ in CASES]
)
def test_bad_workbook_gives_exactly_its_errors(
    tmp_path: Path, mutate: Mutation, expected: list[str]
) -> None:
    errors, _ = problems_after(mutate, tmp_path)
    assert errors == expected


WARNING_CASES: list[tuple[str, Mutation, list[str]]] = [
    (
        "course below min_size",
        setc("Courses", 5, min_size=6),
        [
            (
                "Courses!7, min_size: only 5 students request AR, fewer than its min_size 6: it "
                "cannot run; expected at least 6 requests, or a smaller min_size"
            )
        ],
    ),
    (
        "student with no requests",
        add_row("Students", student="S7", year=7),
        [
            (
                "Students!8, student: student S7 has no requests; expected Requests rows or a pathway "
                "for every student"
            )
        ],
    ),
    (
        "unknown travel site",
        setc("Travel", 0, to_site="Nort"),
        [
            (
                "Travel!2, to_site: site Nort is not the site of any room (did you mean North?); "
                "expected Main or a site from the Rooms sheet"
            )
        ],
    ),
    (
        "alternates but no options",
        both(setc("Requests", 2, type="core")),
        [
            (
                "Students!2, student: student S1 has alternates but no options, so the alternates "
                "are never used; expected option requests for alternates to stand in for"
            )
        ],
    ),
    (
        "same rank twice",
        setc("Requests", 13, rank=2),
        [
            (
                "Requests!15, rank: student S4 also gives rank 2 to AR; expected different ranks "
                "(equal ranks keep the sheet order)"
            )
        ],
    ),
    (
        "online course with a room type",
        setc("Courses", 3, room_type="ict"),
        [
            (
                "Courses!5, room_type: online course SP needs no room; room_type ict is ignored; "
                "expected a blank room_type for online courses"
            )
        ],
    ),
    (
        "options over-demand a room type",
        both(setc("Courses", 5, min_size=1, max_size=1), setc("Rooms", 3, unavailable="Mon, Tue")),
        [
            (
                "Courses, room_type: core and option requests need a studio room for 13 periods per "
                "cycle (PRJ 1 group x 3 periods, AR 5 groups x 2 periods) but the studio rooms offer "
                "8: some options cannot be met; expected more rooms or fewer lessons needing a "
                "studio room"
            )
        ],
    ),
    (
        "travel pair given twice",
        add_row("Travel", from_site="Main", to_site="North", minutes=20),
        [
            (
                "Travel!3, minutes: Main to North is also given as 15 minutes on row 2; the larger "
                "is used; expected each pair of sites once"
            )
        ],
    ),
    (
        "tutor double-booked",
        setc("TutorGroups", 1, tutor="T1"),
        [
            (
                "TutorGroups!3, tutor: T1 also tutors TG1 on Mon 1; expected a tutor's groups to meet "
                "at different times"
            )
        ],
    ),
    (
        "tutor room double-booked",
        setc("TutorGroups", 1, room="R1"),
        [
            (
                "TutorGroups!3, room: R1 also holds TG1 on Mon 1 and takes 1 group(s) at once; "
                "expected tutor groups sharing a room to meet at different times"
            )
        ],
    ),
    (
        "tutor unavailable when the group meets",
        setc("Staff", 3, unavailable="Mon 1"),
        [
            (
                "TutorGroups!3, meets: tutor T4 is unavailable on Mon 1; expected meets when the "
                "tutor is available"
            )
        ],
    ),
    (
        "tutor room unavailable when the group meets",
        setc("Rooms", 2, unavailable="Mon 1"),
        [
            (
                "TutorGroups!3, meets: room LAB is unavailable on Mon 1; expected meets when the room "
                "can be used"
            )
        ],
    ),
    (
        "ids differing only in capitals",
        setc("Rooms", 1, room="r1"),
        [
            (
                "Rooms!3, room: r1 and R1 (row 2) differ only in capitals; they are different ids; "
                "expected clearly different room ids"
            )
        ],
    ),
    (
        # Houses are compared as written (TutorGroup.takes_house): RED is not Red's house.
        "houses differing only in capitals",
        both(setc("Students", 2, house="RED"), setc("Students", 3, house="RED")),
        [
            (
                "Students!4, house: house RED and house Red (TutorGroups!2) differ only in "
                "capitals; they are different houses; expected one spelling of each house"
            )
        ],
    ),
    ("empty optional sheet", lambda t: t.__setitem__("Travel", []), []),
]


@pytest.mark.parametrize(
    "mutate,expected",
    [(m, e) for _, m, e in WARNING_CASES],
    ids=[name for name, _, _ in WARNING_CASES],
)
def test_suspicious_workbook_gives_exactly_its_warnings(
    tmp_path: Path, mutate: Mutation, expected: list[str]
) -> None:
    errors, warnings = problems_after(mutate, tmp_path)
    assert errors == []
    assert warnings == expected
