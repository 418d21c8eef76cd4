"""FET's own timetables read as Pathways solutions (issue 13, item 3): a tiny FET file
with a timetable (as FET writes ``..._data_and_timetable.fet``: locked starting times
and rooms) imports with ``--timetable DIR`` as output files that ``pathways check``
passes; hand-broken timetables fail the check with the rule they break; FET's
``..._activities.xml`` and a folder as fet-cl writes it are read too. No fet-cl needed."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.cli.common import EXIT_CHECK
from scheduler.importers.fet import ImportIds, build_tables, parse_fet
from scheduler.importers.fet_timetable import fet_solution, placements_from_fet, read_placements
from scheduler.outputs.read import read_solution
from scheduler.workbook.read import load_school
from scheduler.workbook.tables import write_tables
from tests.fet_fixtures import HOURS, activity, constraint

runner = CliRunner()


#: Where FET put each activity: (day, hour 1-based, room).
GOOD: dict[int, tuple[str, int, str | None]] = {
    1: ("Mon", 1, None),  # Ada, Maths, 7A
    2: ("Mon", 2, None),  # Ada, Maths, 7B
    3: ("Tue", 1, "Lab"),  # Bo, English, all of Y7, a double in the Lab
    4: ("Mon", 2, None),  # Bo, Art, 7A (split with 5; Bo is off on Mon 1)
    5: ("Tue", 3, None),  # Bo, Art, 7A
}


def fet_file(placed: dict[int, tuple[str, int, str | None]]) -> str:
    """Two days of four hours; Y7 of groups 7A and 7B (2 students each); Ada and Bo; Bo
    off on Mon 1; no gaps for teachers; the English double in the Lab; Art split over two
    days (MinDays 1); then the timetable, as FET writes it, as locked constraints."""
    locks = "".join(
        constraint(
            "ActivityPreferredStartingTime",
            f"<Activity_Id>{a}</Activity_Id><Preferred_Day>{d}</Preferred_Day>"
            f"<Preferred_Hour>{HOURS[h - 1]}</Preferred_Hour>"
            "<Permanently_Locked>false</Permanently_Locked>",
        )
        for a, (d, h, _) in placed.items()
    )
    rooms = "".join(
        constraint(
            "ActivityPreferredRoom",
            f"<Activity_Id>{a}</Activity_Id><Room>{r}</Room>"
            "<Permanently_Locked>false</Permanently_Locked>",
        )
        for a, (_, _, r) in placed.items()
        if r is not None
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<fet version="6.8.5">
<Institution_Name>FET timetable test</Institution_Name>
<Days_List><Number_of_Days>2</Number_of_Days>
<Day><Name>Mon</Name></Day><Day><Name>Tue</Name></Day></Days_List>
<Hours_List><Number_of_Hours>4</Number_of_Hours>
{"".join(f"<Hour><Name>{h}</Name></Hour>" for h in HOURS)}</Hours_List>
<Subjects_List><Subject><Name>Maths</Name></Subject><Subject><Name>English</Name></Subject>
<Subject><Name>Art</Name></Subject></Subjects_List>
<Teachers_List><Teacher><Name>Ada</Name></Teacher><Teacher><Name>Bo</Name></Teacher>
</Teachers_List>
<Students_List><Year><Name>Y7</Name><Number_of_Students>4</Number_of_Students>
<Group><Name>7A</Name><Number_of_Students>2</Number_of_Students></Group>
<Group><Name>7B</Name><Number_of_Students>2</Number_of_Students></Group>
</Year></Students_List>
<Activities_List>
{activity(1, 0, "Ada", "Maths", "7A", 1)}
{activity(2, 0, "Ada", "Maths", "7B", 1)}
{activity(3, 0, "Bo", "English", "Y7", 2)}
{activity(4, 4, "Bo", "Art", "7A", 1)}
{activity(5, 4, "Bo", "Art", "7A", 1)}
</Activities_List>
<Rooms_List><Room><Name>Lab</Name><Building></Building><Capacity>30</Capacity>
<Virtual>false</Virtual></Room></Rooms_List>
<Time_Constraints_List>
{constraint("BasicCompulsoryTime", "")}
{
        constraint(
            "TeacherNotAvailableTimes",
            "<Teacher>Bo</Teacher><Number_of_Not_Available_Times>1"
            f"</Number_of_Not_Available_Times><Not_Available_Time><Day>Mon</Day><Hour>{HOURS[0]}"
            "</Hour></Not_Available_Time>",
        )
    }
{constraint("TeachersMaxGapsPerDay", "<Max_Gaps>0</Max_Gaps>")}
{
        constraint(
            "MinDaysBetweenActivities",
            "<Consecutive_If_Same_Day>true</Consecutive_If_Same_Day>"
            "<Number_of_Activities>2</Number_of_Activities><Activity_Id>4</Activity_Id>"
            "<Activity_Id>5</Activity_Id><MinDays>1</MinDays>",
        )
    }
{locks}
</Time_Constraints_List>
<Space_Constraints_List>
{constraint("BasicCompulsorySpace", "")}
{rooms}
</Space_Constraints_List>
</fet>
"""


def _import(tmp: Path, text: str, *more: str) -> tuple[Path, Path, str]:
    src = tmp / "school_data_and_timetable.fet"
    src.write_text(text, encoding="utf-8")
    book, out = tmp / "school.xlsx", tmp / "fet-timetable"
    r = runner.invoke(
        app, ["import", "fet", str(src), "--out", str(book), "--timetable", str(out), *more]
    )
    assert r.exit_code == 0, r.output
    return book, out, r.output


def _check(book: Path, out: Path) -> tuple[int, dict[str, object]]:
    r = runner.invoke(app, ["check", str(book), str(out), "--json"])
    return r.exit_code, json.loads(r.stdout)


def _hard_rules(report: dict[str, object]) -> set[str]:
    found = report["violations"]
    assert isinstance(found, list)
    return {v["rule"] for v in found if v["hard"]}


def test_fets_timetable_imports_as_a_solution_that_passes_the_check(tmp_path: Path) -> None:
    book, out, output = _import(tmp_path, fet_file(GOOD))
    assert "5 of 5 activities placed; 4 of 4 courses run" in output
    assert "hard (100%) constraints carried over: 9 of 9 (all)" in output
    code, report = _check(book, out)
    assert code == 0, report["violations"]
    assert report["ok"] is True
    figures = report["figures"]
    assert isinstance(figures, dict)
    assert figures["requests_core_met"] == figures["requests_core"] == 2 + 2 + 4 + 2
    school, _ = load_school(book)
    sol = read_solution(out, school)
    groups = {g.id: g for g in sol.groups}
    assert set(groups) == {"A1.1", "A2.1", "A3.1", "A4.1"}
    labels = {s.index: s.label for s in school.calendar.slots}
    english = groups["A3.1"]
    assert [([labels[i] for i in x.slots], x.room) for x in english.lessons] == [
        (["Tue 1", "Tue 2"], "Lab")
    ]
    assert len(english.students) == 4 and english.staff == ("Bo",)
    art = groups["A4.1"]
    assert sorted(labels[i] for i in art.slots) == ["Mon 2", "Tue 3"]
    assert all(x.room is None for x in art.lessons)  # online: FET gave it no room
    assert {len(groups[g].students) for g in ("A1.1", "A2.1", "A4.1")} == {2}


def test_two_lessons_of_one_teacher_at_once_fail_the_check(tmp_path: Path) -> None:
    broken = dict(GOOD)
    broken[2] = ("Mon", 1, None)  # Ada's two Maths activities both at Mon 1
    book, out, _ = _import(tmp_path, fet_file(broken))
    code, report = _check(book, out)
    assert code == EXIT_CHECK
    assert _hard_rules(report) == {"staff_clash"}
    messages = [v["message"] for v in report["violations"]]  # type: ignore[attr-defined]
    assert any("Ada" in m and "Mon 1" in m for m in messages), messages


def test_a_gap_a_carried_rule_forbids_fails_the_check_with_that_rule(tmp_path: Path) -> None:
    broken = dict(GOOD)
    broken[5] = ("Tue", 4, None)  # Bo: English Tue 1-2, Art Tue 4: a gap at Tue 3
    book, out, _ = _import(tmp_path, fet_file(broken))
    code, report = _check(book, out)
    assert code == EXIT_CHECK
    assert _hard_rules(report) == {"staff_gaps"}


def test_an_activity_fet_did_not_place_leaves_its_course_without_a_group(tmp_path: Path) -> None:
    partial = {a: p for a, p in GOOD.items() if a != 5}
    book, out, output = _import(tmp_path, fet_file(partial))
    # Activity 4 alone of Art's two has a starting time: Art is a course per activity.
    assert "4 of 5 activities placed; 4 of 5 courses run" in output
    assert "1 split activit(y/ies) imported as one course per activity (2 courses)" in output
    assert "1 activit(y/ies) not placed in FET's timetable: 5" in output
    code, report = _check(book, out)
    # Art's second course (activity 5) runs no group: its fixed section does not run
    # (hard) and its 2 requests are unmet (soft findings).
    assert code == EXIT_CHECK
    assert _hard_rules(report) == {"sections"}
    unmet = [v for v in report["violations"] if v["rule"] == "core_unmet"]  # type: ignore[attr-defined]
    assert len(unmet) == 2


def test_fets_activities_xml_and_a_fet_cl_folder_are_read(tmp_path: Path) -> None:
    # The data alone (no locks), and FET's result as fet-cl writes it in its folder.
    data = tmp_path / "data.fet"
    data.write_text(fet_file({}), encoding="utf-8")
    folder = tmp_path / "fet-out" / "timetables" / "data"
    folder.mkdir(parents=True)
    rows = "".join(
        f"<Activity><Id>{a}</Id><Day>{d}</Day><Hour>{HOURS[h - 1]}</Hour>"
        f"<Room>{r or ''}</Room></Activity>"
        for a, (d, h, r) in GOOD.items()
    )
    (folder / "data_activities.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Activities_Timetable>{rows}'
        "</Activities_Timetable>",
        encoding="utf-8",
    )
    placements, notes, where = read_placements(tmp_path / "fet-out")
    assert where.name == "data_activities.xml" and not notes
    assert placements[3].room == "Lab" and placements[1].room is None
    assert (placements[4].day, placements[4].hour) == ("Mon", HOURS[1])
    book, out = tmp_path / "data.xlsx", tmp_path / "tt"
    r = runner.invoke(
        app,
        [
            *("import", "fet", str(data), "--out", str(book)),
            *("--timetable", str(out), "--fet-result", str(tmp_path / "fet-out")),
        ],
    )
    assert r.exit_code == 0, r.output
    code, report = _check(book, out)
    assert code == 0, report["violations"]


def test_the_locks_of_a_fet_file_are_its_timetable() -> None:
    fet = parse_fet(fet_file(GOOD).encode())
    placements, notes = placements_from_fet(fet)
    assert not notes
    assert {a: (p.day, HOURS.index(p.hour) + 1, p.room) for a, p in placements.items()} == GOOD
    # Two different starting times of one activity: left unplaced, and said so.
    text = fet_file(GOOD).replace(
        "</Time_Constraints_List>",
        constraint(
            "ActivityPreferredStartingTime",
            f"<Activity_Id>1</Activity_Id><Preferred_Day>Tue</Preferred_Day>"
            f"<Preferred_Hour>{HOURS[3]}</Preferred_Hour>",
        )
        + "</Time_Constraints_List>",
    )
    placements, notes = placements_from_fet(parse_fet(text.encode()))
    assert 1 not in placements and "two different locked starting times" in notes[0]


def test_fet_solution_in_memory_matches_the_written_one(tmp_path: Path) -> None:
    fet = parse_fet(fet_file(GOOD).encode())
    ids = ImportIds()
    tables, _ = build_tables(fet, into=ids)
    assert ids.course_activities == {"A1": [1], "A2": [2], "A3": [3], "A4": [4, 5]}
    book = tmp_path / "s.xlsx"
    write_tables(tables, book)
    school, _ = load_school(book)
    got = fet_solution(school, ids, placements_from_fet(fet)[0])
    assert (got.activities, got.placed, got.courses, got.courses_run) == (5, 5, 4, 4)
    assert got.solution.objective == sum(got.solution.objective_terms.values())
    assert all(o.status.value == "met" for o in got.solution.outcomes)


def test_fet_result_without_timetable_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "x.fet"
    src.write_text(fet_file(GOOD), encoding="utf-8")
    r = runner.invoke(
        app,
        ["import", "fet", str(src), "--out", str(tmp_path / "x.xlsx"), "--fet-result", str(src)],
    )
    assert r.exit_code != 0 and "--fet-result needs --timetable" in r.output
    assert not (tmp_path / "x.xlsx").exists()


def test_a_hard_rule_on_every_student_leaves_out_the_placeholder_students(tmp_path: Path) -> None:
    # An activity without students (Cy's study period) gets a placeholder student, who has
    # one period in the cycle: FET's min hours daily of every student is not theirs.
    text = fet_file(GOOD).replace(
        "</Activities_List>",
        activity(6, 0, "Bo", "Study", "", 1).replace("<Students></Students>", "")
        + "</Activities_List>",
    )
    text = text.replace(
        "</Time_Constraints_List>",
        constraint(
            "StudentsMinHoursDaily",
            "<Minimum_Hours_Daily>1</Minimum_Hours_Daily><Allow_Empty_Days>true</Allow_Empty_Days>",
        )
        + constraint(
            "ActivityPreferredStartingTime",
            f"<Activity_Id>6</Activity_Id><Preferred_Day>Mon</Preferred_Day>"
            f"<Preferred_Hour>{HOURS[2]}</Preferred_Hour>",
        )
        + "</Time_Constraints_List>",
    )
    tables, _ = build_tables(parse_fet(text.encode()))
    row = next(r for r in tables["Rules"] if r["rule"] == "students_min_periods_day")
    assert row["students"] == "7A-1, 7A-2, 7B-1, 7B-2"
    book, out, _ = _import(tmp_path, text)
    code, report = _check(book, out)
    assert code == 0, report["violations"]


def test_mornings_afternoons_rules_counting_real_days_are_not_carried() -> None:
    text = fet_file(GOOD).replace(
        "<Institution_Name>", "<Mode>Mornings_Afternoons</Mode><Institution_Name>"
    )
    tables, report = build_tables(parse_fet(text.encode()))
    assert report.hard_carried == report.hard_total - 1
    assert [k for (k, _, _) in report.not_carried] == ["TeachersMaxGapsPerDay"]
    assert "real days" in next(iter(report.not_carried))[2]
    assert not any(r["rule"] == "staff_max_gaps_day" for r in tables.get("Rules", []))
    assert any("Mornings_Afternoons mode" in n for n in report.notes)
    # FET 5's mornings-afternoons builds say so in their version only.
    fet5 = fet_file(GOOD).replace('version="6.8.5"', 'version="5.27.3-morocco30"')
    assert parse_fet(fet5.encode()).mornings_afternoons
    assert not parse_fet(fet_file(GOOD).encode()).mornings_afternoons


def test_two_rooms_whose_names_differ_in_spaces_are_two_rooms() -> None:
    text = fet_file(GOOD).replace(
        "</Rooms_List>",
        "<Room><Name>Lab </Name><Building></Building><Capacity>10</Capacity>"
        "<Virtual>false</Virtual></Room></Rooms_List>",
    )
    ids = ImportIds()
    tables, _ = build_tables(parse_fet(text.encode()), into=ids)
    assert [(r["room"], r["capacity"]) for r in tables["Rooms"]] == [("Lab", 30), ("Lab ~2", 10)]
    assert ids.room_id == {"Lab": "Lab"}
