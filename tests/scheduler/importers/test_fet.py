"""``pathways import fet``: a hand-written FET file imported, validated, solved and
checked; bad files refused in one line; the official FET files of ../shared/bench/fet/
import and validate (skipped when that folder is missing)."""

from __future__ import annotations

import csv
import json
import lzma
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.cli.importer import report_path
from scheduler.importers.fet import hour_times, import_fet
from scheduler.workbook.read import load_school
from scheduler.workbook.tables import write_tables
from tests.fet_fixtures import HOURS, activity, solve_and_check

runner = CliRunner()

BENCH = Path(__file__).resolve().parents[4] / "shared" / "bench" / "fet"

#: Three days of four hours, three teachers, a year of one group with two subgroups (3 and
#: 2 students), a split activity (a single and a double), activities of one subgroup, of
#: two subgroups, and of two teachers; a locked double in a preferred room; a teacher off
#: on Monday; a subgroup away one hour; a break; a room off for one hour; a soft MinDays
#: over the split activity (which FET lets share a day, so it is taken apart: a soft Rules
#: row); a TeachersMaxGapsPerWeek (a Rules row) and a
#: StudentsMinGapsBetweenOrderedPairOfActivityTags (not carried over).
FET = f"""<?xml version="1.0" encoding="UTF-8"?>
<fet version="6.0.4">
<Institution_Name>Tiny FET school</Institution_Name>
<Days_List><Number_of_Days>3</Number_of_Days>
<Day><Name>Mon</Name></Day><Day><Name>Tue</Name></Day><Day><Name>Wed</Name></Day>
</Days_List>
<Hours_List><Number_of_Hours>4</Number_of_Hours>
{"".join(f"<Hour><Name>{h}</Name></Hour>" for h in HOURS)}
</Hours_List>
<Subjects_List><Subject><Name>Maths</Name></Subject><Subject><Name>English</Name></Subject>
<Subject><Name>Science</Name></Subject></Subjects_List>
<Activity_Tags_List></Activity_Tags_List>
<Teachers_List><Teacher><Name>Ada</Name></Teacher><Teacher><Name>Bo</Name></Teacher>
<Teacher><Name>Cy</Name></Teacher></Teachers_List>
<Students_List>
<Year><Name>Y7</Name><Number_of_Students>5</Number_of_Students>
<Group><Name>7A</Name><Number_of_Students>5</Number_of_Students>
<Subgroup><Name>7A-1</Name><Number_of_Students>3</Number_of_Students></Subgroup>
<Subgroup><Name>7A-2</Name><Number_of_Students>2</Number_of_Students></Subgroup>
</Group></Year>
</Students_List>
<Activities_List>
{activity(1, 1, ["Ada"], "Maths", ["Y7"], 1)}
{activity(2, 1, ["Ada"], "Maths", ["Y7"], 2)}
{activity(3, 0, ["Bo"], "English", ["7A-1"], 1)}
{activity(4, 0, ["Bo"], "English", ["7A-2"], 1)}
{activity(5, 0, ["Cy"], "Science", ["7A-1", "7A-2"], 2)}
{activity(6, 0, ["Ada", "Cy"], "Science", ["7A"], 1)}
</Activities_List>
<Buildings_List><Building><Name>North</Name></Building></Buildings_List>
<Rooms_List>
<Room><Name>Lab</Name><Building>North</Building><Capacity>30</Capacity>
<Virtual>false</Virtual></Room>
<Room><Name>R2</Name><Building></Building><Capacity>30000</Capacity>
<Virtual>false</Virtual></Room>
</Rooms_List>
<Time_Constraints_List>
<ConstraintBasicCompulsoryTime><Weight_Percentage>100</Weight_Percentage>
<Active>true</Active></ConstraintBasicCompulsoryTime>
<ConstraintMinDaysBetweenActivities><Weight_Percentage>95</Weight_Percentage>
<Consecutive_If_Same_Day>true</Consecutive_If_Same_Day>
<Number_of_Activities>2</Number_of_Activities><Activity_Id>1</Activity_Id>
<Activity_Id>2</Activity_Id><MinDays>1</MinDays><Active>true</Active>
</ConstraintMinDaysBetweenActivities>
<ConstraintTeacherNotAvailableTimes><Weight_Percentage>100</Weight_Percentage>
<Teacher>Bo</Teacher><Number_of_Not_Available_Times>4</Number_of_Not_Available_Times>
{"".join(f"<Not_Available_Time><Day>Mon</Day><Hour>{h}</Hour></Not_Available_Time>" for h in HOURS)}
<Active>true</Active></ConstraintTeacherNotAvailableTimes>
<ConstraintStudentsSetNotAvailableTimes><Weight_Percentage>100</Weight_Percentage>
<Students>7A-2</Students><Number_of_Not_Available_Times>1</Number_of_Not_Available_Times>
<Not_Available_Time><Day>Wed</Day><Hour>{HOURS[0]}</Hour></Not_Available_Time>
<Active>true</Active></ConstraintStudentsSetNotAvailableTimes>
<ConstraintBreakTimes><Weight_Percentage>100</Weight_Percentage>
<Number_of_Break_Times>1</Number_of_Break_Times>
<Break_Time><Day>Wed</Day><Hour>{HOURS[3]}</Hour></Break_Time>
<Active>true</Active></ConstraintBreakTimes>
<ConstraintActivityPreferredStartingTime><Weight_Percentage>100</Weight_Percentage>
<Activity_Id>5</Activity_Id><Preferred_Day>Tue</Preferred_Day>
<Preferred_Hour>{HOURS[2]}</Preferred_Hour><Permanently_Locked>true</Permanently_Locked>
<Active>true</Active></ConstraintActivityPreferredStartingTime>
<ConstraintTeachersMaxGapsPerWeek><Weight_Percentage>100</Weight_Percentage>
<Max_Gaps>0</Max_Gaps><Active>true</Active></ConstraintTeachersMaxGapsPerWeek>
<ConstraintStudentsMinGapsBetweenOrderedPairOfActivityTags>
<Weight_Percentage>100</Weight_Percentage><First_Activity_Tag>A</First_Activity_Tag>
<Second_Activity_Tag>B</Second_Activity_Tag><MinGaps>1</MinGaps><Active>true</Active>
</ConstraintStudentsMinGapsBetweenOrderedPairOfActivityTags>
<ConstraintTeacherMaxDaysPerWeek><Weight_Percentage>100</Weight_Percentage>
<Teacher_Name>Ada</Teacher_Name><Max_Days_Per_Week>3</Max_Days_Per_Week>
<Active>false</Active></ConstraintTeacherMaxDaysPerWeek>
</Time_Constraints_List>
<Space_Constraints_List>
<ConstraintBasicCompulsorySpace><Weight_Percentage>100</Weight_Percentage>
<Active>true</Active></ConstraintBasicCompulsorySpace>
<ConstraintActivityPreferredRoom><Weight_Percentage>100</Weight_Percentage>
<Activity_Id>5</Activity_Id><Room>Lab</Room><Permanently_Locked>true</Permanently_Locked>
<Active>true</Active></ConstraintActivityPreferredRoom>
<ConstraintRoomNotAvailableTimes><Weight_Percentage>100</Weight_Percentage>
<Room>Lab</Room><Number_of_Not_Available_Times>1</Number_of_Not_Available_Times>
<Not_Available_Time><Day>Mon</Day><Hour>{HOURS[0]}</Hour></Not_Available_Time>
<Active>true</Active></ConstraintRoomNotAvailableTimes>
</Space_Constraints_List>
</fet>
"""


def _rows(book: Path, sheet: str) -> list[dict[str, object]]:
    ws = load_workbook(book, read_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("fet")
    src = tmp / "tiny.fet"
    src.write_text(FET, encoding="utf-8")
    book = tmp / "tiny.xlsx"
    r = runner.invoke(app, ["import", "fet", str(src), "--out", str(book)])
    assert r.exit_code == 0, r.output
    return book, r.output


def test_the_workbook_holds_the_fet_school(imported: tuple[Path, str]) -> None:
    book, _ = imported
    cal = _rows(book, "Calendar")
    assert len(cal) == 12
    assert cal[0] == {"day": "Mon", "period": 1, "start": "08:00", "end": "08:50"}
    assert cal[-1] == {"day": "Wed", "period": 4, "start": "11:00", "end": "11:50"}
    staff = {r["staff"]: r for r in _rows(book, "Staff")}
    wed4 = "Wed 4"
    assert staff["Ada"]["subjects"] == "Maths, Science"
    assert staff["Ada"]["max_periods"] == 4
    assert staff["Ada"]["unavailable"] == wed4
    assert staff["Bo"]["subjects"] == "English"
    assert staff["Bo"]["max_periods"] == 2
    assert staff["Bo"]["unavailable"] == "Mon 1, Mon 2, Mon 3, Mon 4, Wed 4"
    assert staff["Cy"]["max_periods"] == 3
    courses = {r["course"]: r for r in _rows(book, "Courses")}
    # Maths' split activity, under a soft MinDays only, is a course per activity.
    assert set(courses) == {"A1", "A2", "A3", "A4", "A5", "A6"}
    assert (courses["A1"]["lessons"], courses["A2"]["lessons"]) == ("1", "2")
    assert courses["A2"]["staff"] == "Ada"
    assert courses["A1"]["staff"] == "Ada"
    assert courses["A1"]["max_size"] == 5
    assert courses["A1"]["sections"] == 1
    assert courses["A1"]["mode"] == "online"
    assert courses["A3"]["max_size"] == 3
    assert courses["A4"]["max_size"] == 2
    assert courses["A5"]["lessons"] == "2"
    assert courses["A5"]["max_size"] == 5
    assert courses["A5"]["mode"] == "school"
    assert courses["A5"]["room_type"] == "fet1"
    assert courses["A6"]["staff"] == "Ada, Cy"
    assert courses["A6"]["staff_per_group"] == 2
    students = _rows(book, "Students")
    assert [s["student"] for s in students] == ["7A-1-1", "7A-1-2", "7A-1-3", "7A-2-1", "7A-2-2"]
    assert {s["name"] for s in students} == {"7A-1", "7A-2"}
    assert {s["year"] for s in students} == {1}
    assert [s["unavailable"] for s in students] == [None, None, None, "Wed 1", "Wed 1"]
    requests = {(r["student"], r["course"]) for r in _rows(book, "Requests")}
    assert len(requests) == 5 * 4 + 3 + 2  # A1, A2, A5, A6 for all; A3, A4 for one subgroup
    assert [
        (r["rule"], r["lessons"], r["value"], r["weight"])
        for r in _rows(book, "Rules")
        if r["rule"] == "min_days_apart"
    ] == [("min_days_apart", "A1.1, A2.1", 1, 95)]
    assert ("7A-1-1", "A3") in requests and ("7A-1-1", "A4") not in requests
    assert ("7A-2-2", "A4") in requests
    rooms = {r["room"]: r for r in _rows(book, "Rooms")}
    assert rooms["Lab"] == {
        "room": "Lab",
        "capacity": 30,
        "type": "classroom, fet1",
        "site": "North",
        "unavailable": "Mon 1",
    }
    assert rooms["R2"]["capacity"] == 10_000
    assert _rows(book, "Locks") == [{"course": "A5", "group": 1, "slots": "Tue 3, Tue 4"}]


def test_the_report_lists_what_was_not_carried_over(imported: tuple[Path, str]) -> None:
    book, output = imported
    text = report_path(book).read_text(encoding="utf-8")
    assert report_path(book).name == "tiny.import-report.txt"
    assert "hard (100%) constraints carried over: 7 of 8" in text
    assert (
        "  StudentsMinGapsBetweenOrderedPairOfActivityTags: 1 of weight 100%: no Pathways rule yet"
        in text
    )
    assert "  MinDaysBetweenActivities: 1 of weight 95% as soft rules (Rules weight 95)" in text
    assert "1 split activit(y/ies) imported as one course per activity (2 courses)" in text
    assert (
        "  1: FET may put two of their lessons on one day: their MinDaysBetweenActivities" in text
    )
    assert "1 MinDaysBetweenActivities below 100% carried as soft min_days_apart rows say" in text
    for line in (
        "  ActivityPreferredRoom: 1",
        "  ActivityPreferredStartingTime: 1",
        "  BreakTimes: 1",
        "  RoomNotAvailableTimes: 1",
        "  TeacherNotAvailableTimes: 1",
        "  TeachersMaxGapsPerWeek: 1",
    ):
        assert line in text.splitlines()
    assert "Inactive in the FET file (ignored, as FET does):\n  TeacherMaxDaysPerWeek: 1" in text
    # The terminal says the same.
    assert (
        "StudentsMinGapsBetweenOrderedPairOfActivityTags: 1 of weight 100%: no Pathways rule yet"
        in output
    )


def test_the_imported_school_validates_solves_and_checks(
    imported: tuple[Path, str], tmp_path: Path
) -> None:
    book, _ = imported
    r = runner.invoke(app, ["validate", str(book), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["ok"] is True
    out = tmp_path / "out"
    solve_and_check(book, out)
    assert json.loads((out / "summary.json").read_text())["requests_core"] == 25
    # Subgroup 7A-2 is away on Wednesday's first hour (StudentsSetNotAvailableTimes).
    with (out / "timetable.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert not [
        r
        for r in rows
        if r["student"].startswith("7A-2") and (r["day"], r["period"]) == ("Wed", "1")
    ]
    assert [r for r in rows if r["student"].startswith("7A-1") and r["day"] == "Wed"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<fet version='6'><Days_List/></fet", "the XML cannot be read"),
        (b"<school/>", "its root element is <school>, expected <fet>"),
        (b"<fet version='6'></fet>", "it has no days or no hours"),
    ],
)
def test_a_bad_file_is_one_line_and_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    src = tmp_path / "bad.fet"
    src.write_bytes(content)
    book = tmp_path / "bad.xlsx"
    r = runner.invoke(app, ["import", "fet", str(src), "--out", str(book)])
    assert r.exit_code == 2
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert message in r.output
    assert "Traceback" not in r.output
    assert not book.exists()


def test_a_missing_or_broken_xz_file_is_exit_2(tmp_path: Path) -> None:
    book = tmp_path / "x.xlsx"
    r = runner.invoke(app, ["import", "fet", str(tmp_path / "nope.fet"), "--out", str(book)])
    assert r.exit_code == 2 and "No such file" in r.output
    broken = tmp_path / "broken.fet.xz"
    broken.write_bytes(b"not xz at all")
    r = runner.invoke(app, ["import", "fet", str(broken), "--out", str(book)])
    assert r.exit_code == 2 and "cannot be decompressed" in r.output
    good = tmp_path / "good.fet.xz"
    good.write_bytes(lzma.compress(FET.encode()))
    tables, report = import_fet(good)
    assert len(tables["Courses"]) == 6 and report.hard_total == 8


def test_hour_names_become_times_or_synthetic_ones() -> None:
    assert hour_times(("13.30 - 14.30", "14.40 - 15.40")) == ([(810, 870), (880, 940)], True)
    assert hour_times(("8:00", "8:45")) == ([(480, 525), (525, 570)], True)
    assert hour_times(("1", "2")) == ([(480, 540), (540, 600)], False)
    # Times out of order are not believed.
    assert hour_times(("09:00", "08:00"))[1] is False


def _official() -> list[Path]:
    return sorted(BENCH.glob("FET-*-official/**/*.fet*"))


def test_the_first_official_fet_files_import_and_validate(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    files = [p for p in _official() if p.suffix in (".fet", ".xz")][:10]
    if not files:
        pytest.skip(f"no FET files under {BENCH}/FET-*-official (the shared bench is absent)")
    carried = {}
    for path in files:
        tables, report = import_fet(path)
        book = tmp_path / "school.xlsx"
        write_tables(tables, book)
        school, _ = load_school(book)  # raises InputError if it does not validate
        assert len(school.courses) == len(tables["Courses"])
        carried[path.name] = (report.hard_carried, report.hard_total)
    print("hard constraints carried over:", carried)
    record_property("hard_constraints_carried_over", carried)
    assert sum(c for c, _ in carried.values()) > 0
