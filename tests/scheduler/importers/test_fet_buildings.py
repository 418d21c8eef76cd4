"""``pathways import fet`` of teachers' building changes (max per day, min gaps between):
Rules ``staff_max_site_changes_day`` / ``staff_min_gap_site_change`` rows when each
course's rooms are in one building or several; held always without buildings; reported
when only some rooms are in one; and of activities occupying at most N different rooms
(Rules ``lessons_max_rooms``), the same room if consecutive (``same_room_if_consecutive``)
and max days between activities (``max_days_apart``); the imported school solved and
checked."""

from __future__ import annotations

from pathlib import Path

from scheduler.importers.fet import build_tables, parse_fet
from tests.fet_fixtures import activity, activity_ids, constraint, fet_head, solve_tables


def fet(maths_rooms: str = "<Room>R2</Room>", a: str = "A", b: str = "B") -> str:
    """Three days of four hours; Ada teaches Maths (1, 2: split, Y7) and English (3, 7A-1),
    Bo English (4, 7A-2). Maths in R2 (building B), English in R1 (building A)."""
    n = maths_rooms.count("<Room>")
    return f"""{fet_head("Buildings FET school", ["Ada", "Bo"])}<Activities_List>
{activity(1, 1, "Ada", "Maths", "Y7")}
{activity(2, 1, "Ada", "Maths", "Y7")}
{activity(3, 0, "Ada", "English", "7A-1")}
{activity(4, 0, "Bo", "English", "7A-2")}
</Activities_List>
<Buildings_List></Buildings_List>
<Rooms_List>
<Room><Name>R1</Name><Building>{a}</Building><Capacity>30</Capacity></Room>
<Room><Name>R2</Name><Building>{b}</Building><Capacity>30</Capacity></Room>
</Rooms_List>
<Time_Constraints_List></Time_Constraints_List>
<Space_Constraints_List>
{constraint("SubjectPreferredRooms", f"<Subject>Maths</Subject><Number_of_Preferred_Rooms>{n}</Number_of_Preferred_Rooms>{maths_rooms}")}
{constraint("SubjectPreferredRoom", "<Subject>English</Subject><Room>R1</Room>")}
{constraint("ActivitiesSameRoomIfConsecutive", activity_ids(3, 4))}
{constraint("StudentsMaxBuildingChangesPerDay", "<Max_Building_Changes_Per_Day>1</Max_Building_Changes_Per_Day>")}
{constraint("TeachersMaxBuildingChangesPerWeek", "<Max_Building_Changes_Per_Week>3</Max_Building_Changes_Per_Week>")}
{constraint("MaxDaysBetweenActivities", activity_ids(1, 2) + "<MaxDays>1</MaxDays>")}
{constraint("ActivitiesOccupyMaxDifferentRooms", activity_ids(3, 4) + "<Max_Number_of_Different_Rooms>1</Max_Number_of_Different_Rooms>")}
{constraint("TeachersMinGapsBetweenBuildingChanges", "<Min_Gaps_Between_Building_Changes>1</Min_Gaps_Between_Building_Changes>")}
{constraint("TeacherMaxBuildingChangesPerDay", "<Teacher>Ada</Teacher><Max_Building_Changes_Per_Day>0</Max_Building_Changes_Per_Day>")}
</Space_Constraints_List>
</fet>
"""


def test_building_changes_as_rules_rows(tmp_path: Path) -> None:
    tables, report = build_tables(parse_fet(fet().encode()), source="buildings.fet")
    assert report.complete and report.hard_total == 9, report.text()
    rows = [(r["rule"], r["lessons"], r["staff"], r["value"]) for r in tables["Rules"]]
    assert rows == [
        ("same_room_if_consecutive", "A3.1, A4.1", None, None),
        ("max_days_apart", "A1.1, A2.1", None, 1),  # no MinDays: a course per activity
        ("lessons_max_rooms", "A3.1, A4.1", None, 1),
        ("students_max_site_changes_day", None, None, 1),
        ("staff_max_site_changes_week", None, "Ada, Bo", 3),
        ("staff_min_gap_site_change", None, "Ada, Bo", 1),
        ("staff_max_site_changes_day", None, "Ada", 0),
    ]
    _, got = solve_tables(tables, tmp_path, "buildings")
    assert {"site_changes", "lessons_max_rooms", "max_days_apart"} <= set(got["rules"])
    assert "same_room_if_consecutive" in got["rules"]


def test_no_building_no_change() -> None:
    tables, report = build_tables(parse_fet(fet(a="", b="").encode()), source="b.fet")
    assert report.complete, report.text()
    assert not any("site" in r["rule"] for r in tables.get("Rules", []))


def test_a_course_in_two_buildings_and_rooms_in_none() -> None:
    both = "<Room>R1</Room><Room>R2</Room>"
    tables, report = build_tables(parse_fet(fet(maths_rooms=both).encode()), source="b.fet")
    assert report.complete, report.text()  # kept while rooms are chosen
    assert {r["rule"] for r in tables["Rules"]} >= {"staff_max_site_changes_day"}
    _, mixed = build_tables(parse_fet(fet(b="").encode()), source="b.fet")
    assert "some rooms are in no building" in mixed.text()
