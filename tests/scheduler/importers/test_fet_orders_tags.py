"""``pathways import fet`` of same starting hours, ordered activities, three activities
grouped, activity tags' max hours (teachers' and students', daily and continuously) and
activities' max simultaneous in selected time slots, and resting hours: imported onto the
Rules families ``same_hour``, ``ordered``, ``ordered_if_same_day``, ``grouped`` (of
three), ``lessons_max_periods_day`` / ``lessons_max_in_a_row``, ``lessons_max_at_once``
and ``staff_min_rest`` / ``students_min_rest``, validated, solved and checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.importers.fet import MAX_BUILDS, build_tables, parse_fet
from tests.fet_fixtures import (
    activity,
    activity_ids,
    constraint,
    day_slots,
    fet_head,
    solve_tables,
)


def _pair(tag: str, *ids: int) -> str:
    names = ("First", "Second", "Third")
    return constraint(
        tag, "".join(f"<{n}_Activity_Id>{i}</{n}_Activity_Id>" for n, i in zip(names, ids))
    )


#: Three days of four hours; Y7 of one group 7A, subgroups 7A-1 and 7A-2. Maths (1, 2:
#: Ada, Y7, tag Lab), English (3: Bo, 7A-1; 4: Dee, 7A-2), Science (5: Cy, 7A, tag Lab),
#: Art (6: Eve, 7A-1; 7: Eve, 7A-2).
FET = f"""{
    fet_head("Orders and tags FET school", ["Ada", "Bo", "Cy", "Dee", "Eve"])
}<Activity_Tags_List><Activity_Tag><Name>Lab</Name></Activity_Tag></Activity_Tags_List>
<Activities_List>
{activity(1, 0, "Ada", "Maths", "Y7", tag="Lab")}
{activity(2, 0, "Ada", "Maths", "Y7", tag="Lab")}
{activity(3, 0, "Bo", "English", "7A-1")}
{activity(4, 0, "Dee", "English", "7A-2")}
{activity(5, 0, "Cy", "Science", "7A", tag="Lab")}
{activity(6, 0, "Eve", "Art", "7A-1")}
{activity(7, 0, "Eve", "Art", "7A-2")}
</Activities_List>
<Buildings_List></Buildings_List>
<Rooms_List><Room><Name>R1</Name><Building></Building><Capacity>30</Capacity></Room></Rooms_List>
<Time_Constraints_List>
{constraint("ActivitiesSameStartingHour", activity_ids(3, 4))}
{
    constraint(
        "ActivitiesMaxSimultaneousInSelectedTimeSlots",
        activity_ids(3, 4)
        + "<Number_of_Selected_Time_Slots>4</Number_of_Selected_Time_Slots>"
        + day_slots("Selected_Time_Slot", "Selected_", "Wed")
        + "<Max_Number_of_Simultaneous_Activities>1</Max_Number_of_Simultaneous_Activities>",
    )
}
{_pair("TwoActivitiesOrdered", 1, 5)}
{_pair("TwoActivitiesOrderedIfSameDay", 6, 3)}
{_pair("ThreeActivitiesGrouped", 5, 6, 7)}
{
    constraint(
        "TeacherActivityTagMaxHoursDaily",
        "<Teacher_Name>Ada</Teacher_Name><Activity_Tag_Name>Lab</Activity_Tag_Name>"
        "<Maximum_Hours_Daily>1</Maximum_Hours_Daily>",
    )
}
{
    constraint(
        "TeachersActivityTagMaxHoursDaily",
        "<Activity_Tag_Name>Lab</Activity_Tag_Name><Maximum_Hours_Daily>5</Maximum_Hours_Daily>",
    )
}
{
    constraint(
        "StudentsActivityTagMaxHoursContinuously",
        "<Activity_Tag>Lab</Activity_Tag><Maximum_Hours_Continuously>1</Maximum_Hours_Continuously>",
    )
}
{
    constraint(
        "StudentsSetActivityTagMaxHoursDaily",
        "<Students>7A-1</Students><Activity_Tag>Lab</Activity_Tag>"
        "<Maximum_Hours_Daily>2</Maximum_Hours_Daily>",
        80,
    )
}
{
    constraint(
        "TeacherMinRestingHours",
        "<Teacher_Name>Ada</Teacher_Name><Minimum_Resting_Hours>1</Minimum_Resting_Hours>"
        "<Circular>false</Circular>",
    )
}
{
    constraint(
        "StudentsSetMinRestingHours",
        "<Students>7A-2</Students><Minimum_Resting_Hours>1</Minimum_Resting_Hours>"
        "<Circular>false</Circular>",
        90,
    )
}
</Time_Constraints_List>
<Space_Constraints_List></Space_Constraints_List>
</fet>
"""


@pytest.fixture(scope="module")
def imported():
    return build_tables(parse_fet(FET.encode()), source="orders.fet")


def test_every_constraint_is_carried_over(imported) -> None:
    tables, report = imported
    assert report.complete and report.hard_total == 9, report.text()
    assert "StudentsSetActivityTagMaxHoursDaily: 1 of weight 80% as soft rules" in report.text()
    rows = {(r["rule"], r["lessons"], r["value"], r["weight"]) for r in tables["Rules"]}
    at_once = next(r for r in tables["Rules"] if r["rule"] == "lessons_max_at_once")
    assert at_once["slots"] == "Wed 1, Wed 2, Wed 3, Wed 4"
    assert rows == {
        ("same_hour", "A3.1, A4.1", None, None),
        ("lessons_max_at_once", "A3.1, A4.1", 1, None),
        ("ordered", "A1.1:1, A5.1:1", None, None),
        ("ordered_if_same_day", "A6.1:1, A3.1:1", None, None),
        ("grouped", "A5.1:1, A6.1:1, A7.1:1", None, None),
        # Ada's lab lessons; Teachers' max of 5 holds always (no row).
        ("lessons_max_periods_day", "A1.1, A2.1", 1, None),
        # Every subgroup's lab lessons (7A-1's and 7A-2's are the same: one row).
        ("lessons_max_in_a_row", "A1.1, A2.1, A5.1", 1, None),
        ("lessons_max_periods_day", "A1.1, A2.1, A5.1", 2, 80),
        ("staff_min_rest", None, 1, None),
        ("students_min_rest", None, 1, 90),
    }
    rest = {r["rule"]: r for r in tables["Rules"] if r["rule"].endswith("_min_rest")}
    assert rest["staff_min_rest"]["staff"] == "Ada"
    assert rest["students_min_rest"]["students"]  # 7A-2's students


def test_circular_resting_hours_and_max_span() -> None:
    circular = FET.replace("<Circular>false</Circular>", "<Circular>true</Circular>").replace(
        "</Time_Constraints_List>",
        constraint("TeachersMaxSpanPerDay", "<Max_Span>3</Max_Span>")
        + constraint(
            "StudentsMaxSpanPerDay",
            "<Max_Span>3</Max_Span>"
            "<Allow_One_Day_Exception_of_Plus_One>true</Allow_One_Day_Exception_of_Plus_One>",
        )
        + "</Time_Constraints_List>",
    )
    tables, report = build_tables(parse_fet(circular.encode()), source="orders.fet")
    kinds = {r["rule"] for r in tables["Rules"]}
    assert {"staff_min_rest_cycle", "students_min_rest_cycle", "staff_max_span_day"} <= kinds
    assert not report.complete  # the students' span allows one day one period more
    assert "one day allowed one period more: no Pathways rule yet" in report.text()


def test_a_tag_on_one_lesson_of_a_split_activity_takes_it_apart() -> None:
    # Maths split in two (on different days, a 100% MinDays), only the first with the
    # tag: a row on the tag's lessons would name one of two interchangeable lessons, so
    # the split activity is taken apart.
    min_days = constraint("MinDaysBetweenActivities", activity_ids(1, 2) + "<MinDays>1</MinDays>")
    fet = (
        FET.replace(
            activity(1, 0, "Ada", "Maths", "Y7", tag="Lab"),
            activity(1, 1, "Ada", "Maths", "Y7", tag="Lab"),
        )
        .replace(
            activity(2, 0, "Ada", "Maths", "Y7", tag="Lab"), activity(2, 1, "Ada", "Maths", "Y7")
        )
        .replace("<Time_Constraints_List>", "<Time_Constraints_List>" + min_days)
    )
    parsed = parse_fet(fet.encode())
    _, first = build_tables(parsed, source="orders.fet", builds=MAX_BUILDS)
    assert not first.complete
    assert "only some of a course's lessons of one length" in first.text()
    tables, report = build_tables(parsed, source="orders.fet")
    assert report.complete, report.text()
    assert {"A1", "A2"} <= {c["course"] for c in tables["Courses"]}
    rows = {(r["rule"], r["lessons"]) for r in tables["Rules"]}
    assert ("lessons_max_in_a_row", "A1.1, A5.1") in rows
    assert ("min_days_apart", "A1.1, A2.1") in rows
    assert "1: hard constraints tell their activities apart" in report.text()


def test_the_imported_school_solves_and_checks(imported, tmp_path: Path) -> None:
    tables, _ = imported
    _, got = solve_tables(tables, tmp_path, "orders")
    assert {
        "same_hour",
        "ordered",
        "lesson_pairs",
        "lesson_load",
        "lessons_max_at_once",
        "min_rest",
    } <= set(got["rules"])


def test_an_inactive_activity_is_left_out_of_a_constraint() -> None:
    # As FET does (fet-cl 6.8.5 keeps a MinDays over two active activities and an
    # inactive one as over the two): the same starting hour of 3, 4 and inactive 8.
    inactive = activity(8, 0, "Bo", "English", "7A-2").replace(
        "<Active>true</Active>", "<Active>false</Active>"
    )
    fet = FET.replace("</Activities_List>", inactive + "</Activities_List>").replace(
        constraint("ActivitiesSameStartingHour", activity_ids(3, 4)),
        constraint("ActivitiesSameStartingHour", activity_ids(3, 4, 8)),
    )
    tables, report = build_tables(parse_fet(fet.encode()), source="orders.fet")
    assert report.complete, report.text()
    assert {"A3.1, A4.1"} == {r["lessons"] for r in tables["Rules"] if r["rule"] == "same_hour"}
