"""``pathways import fet`` of the constraints the later Rules families carry (issue 13,
item 1): students' early beginnings, hours in a row and max hours daily, teachers' hours
in a row and min days, interval max days, min gaps, two activities consecutive or grouped, activities not
overlapping, ending the students' day, on the same day, occupying at most N of some
slots, subactivities' preferred time slots, home rooms and activity-tag rooms; imported,
validated, solved and checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.importers.fet import build_tables, parse_fet
from tests.fet_fixtures import (
    HOURS,
    activity,
    activity_ids,
    constraint,
    day_slots,
    fet_head,
    solve_tables,
)

#: Three days of four hours; a year Y7 of one group 7A, subgroups 7A-1 and 7A-2 (two
#: students each). Maths (1, 2: Ada, Y7, split), English (3: Bo, 7A-1; 4: Dee, 7A-2),
#: Science (5: Cy, 7A, tag Lab), Art (6: Eve, 7A-1).
FET = f"""{
    fet_head("Families FET school", ["Ada", "Bo", "Cy", "Dee", "Eve"])
}<Activity_Tags_List><Activity_Tag><Name>Lab</Name></Activity_Tag></Activity_Tags_List>
<Activities_List>
{activity(1, 1, "Ada", "Maths", "Y7")}
{activity(2, 1, "Ada", "Maths", "Y7")}
{activity(3, 0, "Bo", "English", "7A-1")}
{activity(4, 0, "Dee", "English", "7A-2")}
{activity(5, 0, "Cy", "Science", "7A", tag="Lab")}
{activity(6, 0, "Eve", "Art", "7A-1")}
</Activities_List>
<Buildings_List></Buildings_List>
<Rooms_List>
<Room><Name>R1</Name><Building></Building><Capacity>30</Capacity></Room>
<Room><Name>R2</Name><Building></Building><Capacity>30</Capacity></Room>
</Rooms_List>
<Time_Constraints_List>
{
    constraint(
        "TwoActivitiesGrouped",
        "<First_Activity_Id>1</First_Activity_Id><Second_Activity_Id>2</Second_Activity_Id>",
    )
}
{
    constraint(
        "SubactivitiesPreferredTimeSlots",
        "<Component_Number>2</Component_Number><Teacher_Name></Teacher_Name>"
        "<Students_Name></Students_Name><Subject_Name>Maths</Subject_Name>"
        "<Activity_Tag_Name></Activity_Tag_Name><Duration></Duration>"
        "<Number_of_Preferred_Time_Slots>4</Number_of_Preferred_Time_Slots>"
        + day_slots("Preferred_Time_Slot", "Preferred_", "Mon"),
    )
}
{
    constraint(
        "TwoActivitiesConsecutive",
        "<First_Activity_Id>3</First_Activity_Id><Second_Activity_Id>5</Second_Activity_Id>",
    )
}
{constraint("ActivitiesNotOverlapping", activity_ids(3, 4))}
{constraint("MinGapsBetweenActivities", activity_ids(3, 4) + "<MinGaps>1</MinGaps>")}
{constraint("ActivitiesSameStartingDay", activity_ids(4, 6))}
{constraint("ActivityEndsStudentsDay", "<Activity_Id>5</Activity_Id>")}
{
    constraint(
        "ActivitiesOccupyMaxTimeSlotsFromSelection",
        activity_ids(3, 4)
        + "<Number_of_Selected_Time_Slots>4</Number_of_Selected_Time_Slots>"
        + day_slots("Selected_Time_Slot", "Selected_", "Wed")
        + "<Max_Number_of_Occupied_Time_Slots>0</Max_Number_of_Occupied_Time_Slots>",
    )
}
{
    constraint(
        "StudentsEarlyMaxBeginningsAtSecondHour",
        "<Max_Beginnings_At_Second_Hour>3</Max_Beginnings_At_Second_Hour>",
    )
}
{
    constraint(
        "TeachersMaxHoursContinuously", "<Maximum_Hours_Continuously>2</Maximum_Hours_Continuously>"
    )
}
{
    constraint(
        "StudentsSetMaxHoursContinuously",
        "<Maximum_Hours_Continuously>3</Maximum_Hours_Continuously><Students>7A-1</Students>",
    )
}
{
    constraint(
        "StudentsSetMaxHoursDaily",
        "<Maximum_Hours_Daily>3</Maximum_Hours_Daily><Students>7A-2</Students>",
    )
}
{
    constraint(
        "TeacherMinDaysPerWeek",
        "<Teacher_Name>Ada</Teacher_Name><Minimum_Days_Per_Week>1</Minimum_Days_Per_Week>",
    )
}
{
    constraint(
        "TeachersMaxHoursContinuously",
        "<Maximum_Hours_Continuously>1</Maximum_Hours_Continuously>",
        60,
    )
}
{
    constraint(
        "TeacherIntervalMaxDaysPerWeek",
        f"<Teacher_Name>Cy</Teacher_Name><Interval_Start_Hour>{HOURS[2]}</Interval_Start_Hour>"
        "<Interval_End_Hour></Interval_End_Hour><Max_Days_Per_Week>1</Max_Days_Per_Week>",
    )
}
{
    constraint(
        "StudentsSetIntervalMaxDaysPerWeek",
        f"<Students>7A-2</Students><Interval_Start_Hour>{HOURS[0]}</Interval_Start_Hour>"
        f"<Interval_End_Hour>{HOURS[1]}</Interval_End_Hour>"
        "<Max_Days_Per_Week>3</Max_Days_Per_Week>",
    )
}
</Time_Constraints_List>
<Space_Constraints_List>
{constraint("TeacherHomeRoom", "<Teacher>Eve</Teacher><Room>R1</Room>")}
{constraint("StudentsSetHomeRoom", "<Students>7A-2</Students><Room>R1</Room>")}
{constraint("ActivityTagPreferredRoom", "<Activity_Tag>Lab</Activity_Tag><Room>R2</Room>")}
</Space_Constraints_List>
</fet>
"""


@pytest.fixture(scope="module")
def imported():
    return build_tables(parse_fet(FET.encode()), source="families.fet")


def test_every_constraint_is_carried_over(imported) -> None:
    tables, report = imported
    assert report.complete and report.hard_total == 18, report.text()
    assert "TeachersMaxHoursContinuously: 1 of weight 60% as soft rules" in report.text()
    # Maths' two activities are told apart (grouped, and a time slot for the second):
    # a course each.
    assert [c["course"] for c in tables["Courses"]] == ["A1", "A2", "A3", "A4", "A5", "A6"]
    rows = {(r["rule"], r["lessons"]) for r in tables["Rules"]}
    assert {
        ("grouped", "A1.1:1, A2.1:1"),
        ("within", "A2.1"),
        ("consecutive", "A3.1:1, A5.1:1"),
        ("not_overlapping", "A3.1, A4.1"),
        ("min_gap", "A3.1:1, A4.1:1"),
        ("same_day", "A4.1, A6.1"),
        ("ends_students_day", "A5.1"),
        ("lessons_max_slots", "A3.1, A4.1"),
    } <= rows
    kinds = {r["rule"] for r in tables["Rules"]}
    assert {
        "students_early_start",
        "staff_max_in_a_row",
        "students_max_in_a_row",
        "students_max_periods_day",
        "staff_min_days",
    } <= kinds
    # The intervals: Cy's hours 3-4 of every day; 7A-2's first hour.
    days_at = {r["rule"]: r for r in tables["Rules"] if r["rule"].endswith("_days_at")}
    assert days_at["staff_max_days_at"]["slots"] == "Mon 3, Mon 4, Tue 3, Tue 4, Wed 3, Wed 4"
    assert days_at["staff_max_days_at"]["staff"] == "Cy"
    assert days_at["students_max_days_at"]["slots"] == "Mon 1, Tue 1, Wed 1"
    # Home rooms and the tag's room: each course's rooms as a room_type.
    by_course = {c["course"]: c for c in tables["Courses"]}
    rooms = {r["room"]: set(r["type"].split(", ")) for r in tables["Rooms"]}
    for course, room in (("A4", "R1"), ("A6", "R1"), ("A5", "R2")):
        assert by_course[course]["room_type"] in rooms[room]
        assert not any(by_course[course]["room_type"] in t for r, t in rooms.items() if r != room)
    assert by_course["A3"]["room_type"] is None  # Bo has no home room


def test_the_imported_school_solves_and_checks(imported, tmp_path: Path) -> None:
    tables, _ = imported
    _, got = solve_tables(tables, tmp_path, "families")
    assert {"students_early", "in_a_row", "lesson_pairs", "same_day"} <= set(got["rules"])
