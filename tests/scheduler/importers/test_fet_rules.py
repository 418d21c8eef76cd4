"""``pathways import fet`` of the constraints that become Rules rows (issue 13, item 1):
MinDaysBetweenActivities of several days or across courses, preferred starting times and
time slots, same starting times, teachers' max days and gaps; hard at 100%, soft with
their weight below; split activities whose activities hard constraints tell apart
imported as a course per activity; what cannot be carried is reported, never dropped
silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.importers.fet import build_tables, import_fet, parse_fet
from tests.fet_fixtures import HOURS, activity, activity_ids, constraint, fet_head, solve_tables


def _starts(*slots: tuple[str, int]) -> str:
    return "".join(
        f"<Preferred_Starting_Time><Preferred_Starting_Day>{d}</Preferred_Starting_Day>"
        f"<Preferred_Starting_Hour>{HOURS[h - 1]}</Preferred_Starting_Hour>"
        "</Preferred_Starting_Time>"
        for d, h in slots
    )


#: Three days of four hours; a year 7A of subgroups 7A-1 (3 students) and 7A-2 (2).
#: Maths (1, 2: Ada, split), English (3: Bo, 7A-1; 4: Dee, 7A-2), Science (5: a double,
#: Cy), Music (6, 7: Eve, 7A-1, split) and Drama (8, 9: Fay, 7A-2, split), PE (10: Gus, no
#: students).
FET = f"""{
    fet_head("Rules FET school", ["Ada", "Bo", "Cy", "Dee", "Eve", "Fay", "Gus"], (3, 2))
}<Activities_List>
{activity(1, 1, "Ada", "Maths", ["Y7"])}
{activity(2, 1, "Ada", "Maths", ["Y7"])}
{activity(3, 0, "Bo", "English", ["7A-1"])}
{activity(4, 0, "Dee", "English", ["7A-2"])}
{activity(5, 0, "Cy", "Science", ["7A"], 2)}
{activity(6, 6, "Eve", "Music", ["7A-1"])}
{activity(7, 6, "Eve", "Music", ["7A-1"])}
{activity(8, 8, "Fay", "Drama", ["7A-2"])}
{activity(9, 8, "Fay", "Drama", ["7A-2"])}
{activity(10, 0, "Gus", "PE", [])}
</Activities_List>
<Rooms_List></Rooms_List>
<Time_Constraints_List>
{constraint("MinDaysBetweenActivities", activity_ids(1, 2) + "<MinDays>2</MinDays>")}
{constraint("MinDaysBetweenActivities", activity_ids(3, 4) + "<MinDays>1</MinDays>", weight=90)}
{
    constraint(
        "ActivitiesPreferredStartingTimes",
        "<Teacher_Name></Teacher_Name><Students_Name></Students_Name>"
        "<Subject_Name>English</Subject_Name><Activity_Tag_Name></Activity_Tag_Name>"
        "<Duration></Duration><Number_of_Preferred_Starting_Times>2"
        "</Number_of_Preferred_Starting_Times>" + _starts(("Tue", 1), ("Wed", 1)),
    )
}
{
    constraint(
        "ActivityPreferredTimeSlots",
        "<Activity_Id>5</Activity_Id><Number_of_Preferred_Time_Slots>4"
        "</Number_of_Preferred_Time_Slots>"
        + "".join(
            f"<Preferred_Time_Slot><Preferred_Day>Tue</Preferred_Day>"
            f"<Preferred_Hour>{h}</Preferred_Hour></Preferred_Time_Slot>"
            for h in HOURS
        ),
    )
}
{constraint("ActivitiesSameStartingTime", activity_ids(3, 4))}
{constraint("ActivitiesSameStartingTime", activity_ids(6, 8))}
{constraint("ActivitiesSameStartingTime", activity_ids(7, 9))}
{constraint("ActivitiesSameStartingTime", activity_ids(6, 10))}
{
    constraint(
        "ActivityPreferredStartingTimes",
        "<Activity_Id>7</Activity_Id><Number_of_Preferred_Starting_Times>1"
        "</Number_of_Preferred_Starting_Times>" + _starts(("Wed", 4)),
    )
}
{
    constraint(
        "TeacherMaxDaysPerWeek",
        "<Teacher_Name>Ada</Teacher_Name><Max_Days_Per_Week>2</Max_Days_Per_Week>",
    )
}
{
    constraint(
        "TeacherMaxDaysPerWeek",
        "<Teacher_Name>Fay</Teacher_Name><Max_Days_Per_Week>1</Max_Days_Per_Week>",
    )
}
{constraint("TeachersMaxGapsPerDay", "<Max_Gaps>1</Max_Gaps>")}
{constraint("TeacherMaxGapsPerWeek", "<Teacher_Name>Cy</Teacher_Name><Max_Gaps>0</Max_Gaps>", 50)}
{constraint("TeachersMaxHoursDaily", "<Maximum_Hours_Daily>3</Maximum_Hours_Daily>")}
{constraint("StudentsSetMaxGapsPerWeek", "<Students>7A-1</Students><Max_Gaps>2</Max_Gaps>")}
{constraint("StudentsMaxGapsPerDay", "<Max_Gaps>1</Max_Gaps>", weight=80)}
{
    constraint(
        "StudentsSetMinHoursDaily",
        "<Minimum_Hours_Daily>1</Minimum_Hours_Daily><Students>7A-2"
        "</Students><Allow_Empty_Days>true</Allow_Empty_Days>",
    )
}
{
    constraint(
        "StudentsMinHoursDaily",
        "<Minimum_Hours_Daily>1</Minimum_Hours_Daily><Allow_Empty_Days>false</Allow_Empty_Days>",
        weight=60,
    )
}
{
    constraint(
        "BreakTimes",
        "<Number_of_Break_Times>1</Number_of_Break_Times><Break_Time><Day>Mon</Day>"
        f"<Hour>{HOURS[3]}</Hour></Break_Time>",
    )
}
{
    constraint(
        "TeacherMinHoursDaily",
        "<Teacher_Name>Eve</Teacher_Name><Minimum_Hours_Daily>1"
        "</Minimum_Hours_Daily><Allow_Empty_Days>true</Allow_Empty_Days>",
    )
}
{
    constraint(
        "TeacherMinHoursDaily",
        "<Teacher_Name>Fay</Teacher_Name><Minimum_Hours_Daily>1"
        "</Minimum_Hours_Daily><Allow_Empty_Days>false</Allow_Empty_Days>",
    )
}
</Time_Constraints_List>
<Space_Constraints_List></Space_Constraints_List>
</fet>
"""


@pytest.fixture(scope="module")
def imported():
    return build_tables(parse_fet(FET.encode()), source="rules.fet")


def test_the_rules_rows(imported) -> None:
    tables, _ = imported
    rows = [{k: v for k, v in r.items() if v is not None} for r in tables["Rules"]]
    everyone = "Ada, Bo, Cy, Dee, Eve, Fay, Gus"
    # Music (6, 7) and Drama (8, 9) are a course per activity (below): 6-10 and activity
    # 7's own starting time tell Music's two lessons apart, and 6-8, 7-9 then Drama's.
    assert rows == [
        {"rule": "min_days_apart", "lessons": "A1.1", "value": 2},
        {"rule": "min_days_apart", "lessons": "A3.1, A4.1", "value": 1, "weight": 90},
        {"rule": "start_at", "lessons": "A3.1, A4.1", "slots": "Tue 1, Wed 1"},
        {"rule": "within", "lessons": "A5.1", "slots": "Tue 1, Tue 2, Tue 3, Tue 4"},
        {"rule": "start_at", "lessons": "A7.1", "slots": "Wed 4"},
        {"rule": "same_start", "lessons": "A3.1:1, A4.1:1"},
        {"rule": "same_start", "lessons": "A6.1:1, A8.1:1"},
        {"rule": "same_start", "lessons": "A7.1:1, A9.1:1"},
        {"rule": "same_start", "lessons": "A6.1:1, A10.1:1"},
        {
            "rule": "students_max_gaps_week",
            "students": "7A-1-1, 7A-1-2, 7A-1-3",
            "slots": "Mon 4",
            "value": 2,
        },
        {"rule": "students_max_gaps_day", "slots": "Mon 4", "value": 1, "weight": 80},
        {"rule": "students_min_periods_day", "students": "7A-2-1, 7A-2-2", "value": 1},
        {"rule": "students_min_periods_every_day", "value": 1, "weight": 60},
        {"rule": "staff_max_days", "staff": "Ada", "value": 2},
        {"rule": "staff_max_days", "staff": "Fay", "value": 1},
        {"rule": "staff_max_gaps_day", "staff": everyone, "value": 1},
        {"rule": "staff_max_gaps_week", "staff": "Cy", "value": 0, "weight": 50},
        {"rule": "staff_max_periods_day", "staff": everyone, "value": 3},
        {"rule": "staff_min_periods_day", "staff": "Eve", "value": 1},
    ]


def test_split_activities_told_apart_and_what_is_not_carried(imported) -> None:
    tables, report = imported
    text = report.text()
    # 6-10 ties one of Music's two lessons to PE, activity 7 alone of them has a starting
    # time, and Fay's one day leaves no room for rule 4 to spread Drama's two lessons:
    # Music and Drama are a course per activity, every constraint on them carried over.
    courses = [c["course"] for c in tables["Courses"]]
    assert courses == ["A1", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "A10"]
    assert "2 split activit(y/ies) imported as one course per activity (4 courses)" in text
    assert "  MinDaysBetweenActivities: 1 of weight 90% as soft rules (Rules weight 90)" in text
    assert "  TeacherMaxGapsPerWeek: 1 of weight 50% as soft rules (Rules weight 50)" in text
    assert "  TeacherMinHoursDaily: 1 of weight 100%: a day with no lessons not allowed" in text
    assert report.hard_total == 17 and report.hard_carried == 16
    for line in ("ActivitiesSameStartingTime: 4", "TeacherMaxDaysPerWeek: 2"):
        assert f"  {line}" in text.splitlines()


def test_the_imported_rules_validate_solve_and_check(imported, tmp_path: Path) -> None:
    tables, _ = imported
    school, got = solve_tables(tables, tmp_path, "rules")
    assert len(school.time_rules) == 19
    kinds = {"min_days_apart", "lesson_times", "same_start", "staff_max_days", "staff_gaps"}
    kinds |= {"staff_periods_day", "student_gaps", "student_periods_day"}
    assert kinds <= set(got["rules"])


def test_import_fet_reads_a_file(tmp_path: Path) -> None:
    src = tmp_path / "rules.fet"
    src.write_text(FET, encoding="utf-8")
    tables, report = import_fet(src)
    assert len(tables["Rules"]) == 19 and report.hard_carried == 16
