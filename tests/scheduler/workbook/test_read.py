"""Reading the workbook contract: every sheet and column becomes the right domain value."""

from __future__ import annotations

import hashlib
from datetime import datetime, time
from pathlib import Path

import pytest
from openpyxl import Workbook

from scheduler.model import MAIN_SITE, Mode, Qualification, RequestType, School
from scheduler.workbook.problems import InputError
from scheduler.workbook.read import load_school
from tests.workbook_fixtures import load_tables, problems_of, tiny_tables, write


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> School:
    school, warnings = load_tables(tiny_tables(), tmp_path_factory.mktemp("tiny"), "xlsx")
    assert warnings == []
    return school


def test_calendar(tiny: School) -> None:
    cal = tiny.calendar
    assert cal.days == ("Mon", "Tue", "Wed")
    assert cal.num_slots == 12
    s = cal.slots[6]
    assert (s.index, s.day, s.period, s.start, s.end, s.day_index, s.position) == (
        6,
        "Tue",
        "3",
        11 * 60 + 15,
        12 * 60 + 15,
        1,
        2,
    )
    assert cal.slots[3].label == "Mon 4"


def test_rooms(tiny: School) -> None:
    r1, r2, lab, hub = tiny.rooms
    assert (r1.id, r1.capacity, r1.types, r1.site, r1.max_groups, r1.unavailable) == (
        "R1",
        28,
        frozenset({"classroom"}),
        MAIN_SITE,
        1,
        frozenset(),
    )
    assert r2.unavailable == frozenset({11})  # Wed 4
    assert lab.types == frozenset({"lab", "classroom"})
    assert (hub.site, hub.max_groups, hub.types) == ("North", 2, frozenset({"classroom", "studio"}))


def test_staff(tiny: School) -> None:
    t1, t2, t3, t4 = tiny.staff
    assert (t1.id, t1.name, t1.qualifications, t1.max_periods, t1.site) == (
        "T1",
        "Ann Archer",
        (Qualification("Maths", 1, 3),),
        10,
        MAIN_SITE,
    )
    assert t2.qualifications == (Qualification("Maths"), Qualification("Science"))
    assert t2.unavailable == frozenset({7})  # Tue 4
    assert t2.max_periods is None
    assert t3.unavailable == frozenset({8, 9, 10, 11})  # the whole of Wed
    assert (t3.site, t3.max_periods) == ("North", 8)
    assert [q.subject for q in t4.qualifications] == ["Science", "Art", "Project"]
    assert t1.can_teach("Maths", 3) and not t1.can_teach("Maths", 4)


def test_courses(tiny: School) -> None:
    c = tiny.course_by_id
    ma3 = c["MA-3"]
    assert (
        ma3.subject,
        ma3.stage,
        ma3.lessons,
        ma3.min_size,
        ma3.max_size,
        ma3.room_type,
        ma3.staff,
        ma3.staff_per_group,
        ma3.sections,
        ma3.years,
        ma3.mode,
        ma3.kind,
    ) == (
        "Maths",
        3,
        (1, 1, 1),
        1,
        10,
        "classroom",
        (),
        1,
        None,
        frozenset({7, 8}),
        Mode.SCHOOL,
        "lesson",
    )
    sc = c["SC"]
    assert (sc.lessons, sc.room_type, sc.staff, sc.stage, sc.years) == (
        (2, 1),
        "lab",
        ("T2", "T4"),
        None,
        None,
    )
    sp = c["SP"]
    assert (sp.mode, sp.kind, sp.room_type) == (Mode.ONLINE, "tutorial", None)
    prj = c["PRJ"]
    assert (prj.lessons, prj.staff, prj.staff_per_group, prj.sections, prj.years, prj.kind) == (
        (3,),
        ("T3", "T4"),
        2,
        1,
        frozenset({8}),
        "project",
    )
    assert tiny.eligible_staff(c["MA-4"]) == ("T2",)  # T1 only teaches Maths stages 1-3
    assert tiny.eligible_rooms(c["AR"]) == ("HUB",)


def test_students(tiny: School) -> None:
    s = tiny.student_by_id
    assert (s["S1"].name, s["S1"].year, s["S1"].tutor_group, s["S1"].house) == (
        "Ada",
        7,
        "TG1",
        "Red",
    )
    assert (s["S2"].tutor_group, s["S2"].family, s["S2"].pathway) == (None, None, None)
    assert s["S3"].family == s["S4"].family == "F1"
    s5 = s["S5"]
    assert (s5.pathway, s5.home_days, s5.site, s5.house) == (
        "SCI",
        frozenset({"Wed"}),
        "North",
        None,
    )
    assert s["S2"].site == MAIN_SITE


def _reqs(school: School, student: str) -> list[tuple[str, str, int | None, str]]:
    return [(r.course, r.type.value, r.rank, r.origin) for r in school.student_requests[student]]


def test_requests_by_course_and_by_subject(tiny: School) -> None:
    assert _reqs(tiny, "S1") == [
        ("MA-3", "core", None, "Requests!2"),  # subject Maths at stage 3 (Stages)
        ("SC", "core", None, "Requests!3"),
        ("AR", "option", 1, "Requests!4"),
        ("SP", "alternate", 2, "Requests!5"),
    ]
    assert _reqs(tiny, "S2")[0] == ("MA-4", "core", None, "Requests!6")  # stage 4
    assert _reqs(tiny, "S4")[0] == ("MA-3", "core", None, "Requests!12")  # course + subject


def test_pathways_expand_and_explicit_requests_win(tiny: School) -> None:
    assert _reqs(tiny, "S5") == [
        ("MA-3", "core", None, "Pathways!2 (pathway SCI)"),
        ("SC", "core", None, "Pathways!3 (pathway SCI)"),
        ("SP", "core", None, "Pathways!4 (pathway SCI)"),
        ("AR", "option", 1, "Pathways!5 (pathway SCI)"),
    ]
    # S6's explicit SP option (Requests!16) beats the pathway's SP core row.
    assert _reqs(tiny, "S6") == [
        ("SP", "option", 2, "Requests!16"),
        ("MA-4", "core", None, "Pathways!2 (pathway SCI)"),
        ("SC", "core", None, "Pathways!3 (pathway SCI)"),
        ("AR", "option", 1, "Pathways!5 (pathway SCI)"),
    ]
    # Requests sheet rows first, then pathway rows (docs/objective.md choice order).
    origins = [r.origin for r in tiny.requests]
    assert origins.index("Requests!16") < origins.index("Pathways!2 (pathway SCI)")


def test_tutor_groups_travel_settings(tiny: School) -> None:
    tg1, tg2 = tiny.tutor_groups
    assert (tg1.id, tg1.tutor, tg1.room, tg1.capacity, tg1.meets, tg1.house, tg1.vertical) == (
        "TG1",
        "T1",
        "R1",
        4,
        frozenset({0, 8}),
        "Red",
        True,
    )
    assert (tg2.house, tg2.vertical, tg2.meets) == (None, False, frozenset({0}))
    assert tiny.travel == (("Main", "North", 15),)
    assert tiny.travel_minutes("North", "Main") == 15
    st = tiny.settings
    assert (st.time_limit_s, st.seed, st.workers) == (10.0, 7, 1)
    assert st.extra == (("weight_rank", "20"), ("term_start", "2025-09-01"))


def test_name_and_sha256_of_xlsx(tmp_path: Path) -> None:
    path = write(tiny_tables(), tmp_path, "xlsx")
    school, _ = load_school(path)
    assert school.name == path.stem
    assert school.source_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_sha256_of_csv_folder_is_of_the_files_in_name_order(tmp_path: Path) -> None:
    path = write(tiny_tables(), tmp_path, "csv")
    (path / "notes.txt").write_text("not a sheet")
    school, _ = load_school(path)
    digest = hashlib.sha256()
    for f in sorted(path.glob("*.csv")):
        digest.update(f.read_bytes())
    assert school.source_sha256 == digest.hexdigest()
    assert school.name == path.name


def test_csv_folder_and_xlsx_give_the_same_school(tmp_path: Path) -> None:
    a, _ = load_tables(tiny_tables(), tmp_path, "csv")
    b, _ = load_tables(tiny_tables(), tmp_path, "xlsx")
    strip = {"name": "x", "source_sha256": ""}
    from dataclasses import replace

    assert replace(a, **strip) == replace(b, **strip)


# ---- spellings a real spreadsheet has ----------------------------------------------------


def test_names_and_headers_match_case_insensitively_after_trimming(tmp_path: Path) -> None:
    t = tiny_tables()
    t["  rooms "] = [{f" {k.upper()} ": v for k, v in r.items()} for r in t.pop("Rooms")]
    t["tutor groups"] = [
        {k.replace("_", " ").title(): v for k, v in r.items()} for r in t.pop("TutorGroups")
    ]
    school, warnings = load_tables(t, tmp_path)
    assert warnings == []
    assert [r.id for r in school.rooms] == ["R1", "R2", "LAB", "HUB"]
    assert school.tutor_groups[0].vertical is True


def test_excel_types_are_accepted(tmp_path: Path) -> None:
    """Time and datetime cells, 3.0 for 3, ids typed as numbers, TRUE/FALSE cells."""
    t = tiny_tables()
    t["Calendar"][0]["start"] = time(9, 0)
    t["Calendar"][0]["end"] = datetime(2025, 9, 1, 10, 0)
    t["Calendar"][1]["start"] = "10:00"
    t["Calendar"][1]["end"] = "11:00:00"
    t["Calendar"][2]["start"] = "11.15"
    t["Rooms"][0]["capacity"] = 28.0
    t["Students"][1]["student"] = 1002
    t["Requests"][4]["student"] = 1002.0
    t["Requests"][5]["student"] = "1002"
    t["Requests"][6]["student"] = 1002
    t["Stages"][1]["student"] = 1002.0
    t["TutorGroups"][0]["vertical"] = True
    t["TutorGroups"][1]["vertical"] = 0
    t["Courses"][0]["lessons"] = 1  # a single number is a one-item list
    t["Courses"][4]["years"] = 8.0
    school, _ = load_tables(t, tmp_path, "xlsx")
    s = school.calendar.slots
    assert (s[0].start, s[0].end, s[1].end, s[2].start) == (540, 600, 660, 675)
    assert school.rooms[0].capacity == 28
    assert [r.student for r in school.requests if r.student == "1002"] == ["1002"] * 3
    assert [g.vertical for g in school.tutor_groups] == [True, False]
    assert school.course_by_id["MA-3"].lessons == (1,)
    assert school.course_by_id["PRJ"].years == frozenset({8})


def test_year_groups_written_the_school_way(tmp_path: Path) -> None:
    t = tiny_tables()
    t["Students"][0]["year"] = "Y7"
    t["Students"][2]["year"] = "Year 8"
    t["Courses"][0]["years"] = "Yr7; y8"
    school, _ = load_tables(t, tmp_path)
    assert (school.students[0].year, school.students[2].year) == (7, 8)
    assert school.course_by_id["MA-3"].years == frozenset({7, 8})


def test_time_written_as_9_colon_00(tmp_path: Path) -> None:
    t = tiny_tables()
    t["Calendar"][0]["start"] = "9:00"
    school, _ = load_tables(t, tmp_path)
    assert school.calendar.slots[0].start == 540


@pytest.mark.parametrize(
    "text,expected",
    [
        ("yes", True),
        ("No", False),
        ("TRUE", True),
        ("false", False),
        ("1", True),
        ("0", False),
        (None, False),
    ],
)
def test_vertical_values(tmp_path: Path, text: str | None, expected: bool) -> None:
    t = tiny_tables()
    t["TutorGroups"][0]["vertical"] = text
    school, _ = load_tables(t, tmp_path)
    assert school.tutor_groups[0].vertical is expected


def test_lists_split_on_commas_and_semicolons(tmp_path: Path) -> None:
    t = tiny_tables()
    t["Staff"][1]["subjects"] = "Maths ;Science,  Art"
    t["Courses"][0]["lessons"] = "1; 1,1"
    school, _ = load_tables(t, tmp_path)
    assert [q.subject for q in school.staff[1].qualifications] == ["Maths", "Science", "Art"]
    assert school.course_by_id["MA-3"].lessons == (1, 1, 1)


def test_single_stage_qualification(tmp_path: Path) -> None:
    t = tiny_tables()
    t["Staff"][0]["subjects"] = "Maths:3"
    school, _ = load_tables(t, tmp_path)
    assert school.staff[0].qualifications == (Qualification("Maths", 3, 3),)


def test_blank_rows_are_skipped_and_rows_numbered_as_in_the_sheet(tmp_path: Path) -> None:
    t = tiny_tables()
    t["Rooms"].insert(1, {})
    t["Rooms"][3]["capacity"] = "lots"  # LAB, now on spreadsheet row 5
    errors, _ = problems_of(t, tmp_path, "xlsx")
    assert errors == [
        "Rooms!5, capacity: 'lots' is not a whole number; expected a whole number of seats"
    ]


def test_two_week_cycle_bare_day_means_every_such_day(tmp_path: Path) -> None:
    t = tiny_tables()
    t["Calendar"] = [
        {"day": f"Wk{w} {d}", "period": p, "start": f"{8 + p}:00", "end": f"{9 + p}:00"}
        for w in (1, 2)
        for d in ("Mon", "Tue")
        for p in (1, 2, 3, 4)
    ]
    t["Rooms"][1]["unavailable"] = "Wk2 Tue 4"
    t["Staff"][2]["unavailable"] = "Tue"
    t["Students"][4]["home_days"] = "Tue"
    t["TutorGroups"][0]["meets"] = "Wk1 Mon 1; Wk2 Mon 1"
    t["TutorGroups"][1]["meets"] = "Wk1 Mon 1"
    school, _ = load_tables(t, tmp_path)
    cal = school.calendar
    assert cal.days == ("Wk1 Mon", "Wk1 Tue", "Wk2 Mon", "Wk2 Tue")
    assert school.rooms[1].unavailable == frozenset({15})
    assert school.staff[2].unavailable == frozenset({4, 5, 6, 7, 12, 13, 14, 15})
    assert school.student_by_id["S5"].home_days == frozenset({"Wk1 Tue", "Wk2 Tue"})
    assert school.tutor_groups[0].meets == frozenset({0, 8})
    # "Tue 4" in a two-week cycle: period 4 of every Tue
    assert school.staff[1].unavailable == frozenset({7, 15})


def test_pathways_with_a_course_or_subject_column(tmp_path: Path) -> None:
    t = tiny_tables()
    t["Pathways"] = [
        {
            "pathway": p["pathway"],
            "Course or Subject": p["course"] or p["subject"],
            "type": p["type"],
            "rank": p["rank"],
        }
        for p in t["Pathways"]
    ]
    school, warnings = load_tables(t, tmp_path)
    assert warnings == []
    assert [r.course for r in school.student_requests["S5"]] == ["MA-3", "SC", "SP", "AR"]


def test_subject_request_picks_the_course_open_to_the_year(tmp_path: Path) -> None:
    t = tiny_tables()
    # A second Maths stage 3 course for year 9 only: S1 (year 7) still gets MA-3.
    t["Courses"].append(dict(t["Courses"][0], course="MA-3Y9", years="9"))
    school, _ = load_tables(t, tmp_path)
    assert school.student_requests["S1"][0].course == "MA-3"


def test_references_match_ids_case_insensitively(tmp_path: Path) -> None:
    t = tiny_tables()
    t["Requests"][1]["course"] = "sc"
    t["Courses"][2]["staff"] = "t2, T4"
    t["TutorGroups"][1]["room"] = "lab"
    school, _ = load_tables(t, tmp_path)
    assert school.student_requests["S1"][1].course == "SC"
    assert school.course_by_id["SC"].staff == ("T2", "T4")
    assert school.tutor_groups[1].room == "LAB"


def test_optional_sheets_and_columns_may_be_absent(tmp_path: Path) -> None:
    t = tiny_tables()
    for sheet in ("Stages", "Pathways", "TutorGroups", "Travel", "Settings"):
        del t[sheet]
    keep = {
        "Rooms": ("room", "capacity", "type"),
        "Staff": ("staff", "subjects"),
        "Courses": ("course", "subject", "lessons", "min_size", "max_size"),
        "Students": ("student", "year"),
        "Requests": ("student", "course", "type"),
    }
    for sheet, cols in keep.items():
        t[sheet] = [{c: r[c] for c in cols} for r in t[sheet]]
    t["Requests"] = [r for r in t["Requests"] if r["course"]]
    school, warnings = load_tables(t, tmp_path)
    assert school.tutor_groups == () and school.travel == ()
    assert school.settings.time_limit_s == 60.0
    assert school.course_by_id["SC"].staff_per_group == 1
    assert school.course_by_id["SC"].mode is Mode.SCHOOL
    assert school.course_by_id["SC"].kind == "lesson"
    assert school.rooms[3].max_groups == 1 and school.rooms[3].site == MAIN_SITE
    assert all(r.type is not None for r in school.requests)
    # S5 only had pathway requests, and the pathway column is gone.
    assert [str(w) for w in warnings] == [
        (
            "Students!6, student: student S5 has no requests; expected Requests rows or a pathway "
            "for every student"
        )
    ]
    assert RequestType.CORE in {r.type for r in school.requests}


def test_unknown_sheet_column_and_setting_are_warnings(tmp_path: Path) -> None:
    t = tiny_tables()
    t["Notes"] = [{"text": "hello"}]
    t["Rooms"][0]["colour"] = "blue"
    t["Settings"].append({"key": "colour", "value": "blue"})
    school, problems = load_tables(t, tmp_path)
    assert [str(p) for p in problems] == [
        (
            "Notes: unknown sheet, ignored; expected one of: Calendar, Rooms, Staff, Courses, "
            "Students, Requests, Stages, Pathways, TutorGroups, Travel, Settings, "
            "Locks, Rules"
        ),
        (
            "Rooms!1, colour: unknown column, ignored; expected one of: room, capacity, type, "
            "site, max_groups, unavailable"
        ),
        (
            "Settings!7, key: unknown setting colour, ignored; expected one of: time_limit_s, "
            "seed, workers, weight_core, weight_option, weight_rank, weight_balance, "
            "weight_idle_student, weight_idle_staff, term_start, term_end"
        ),
    ]
    assert school.rooms[0].id == "R1"


def test_blank_travel_site_is_main(tmp_path: Path) -> None:
    t = tiny_tables()
    t["Travel"][0]["from_site"] = None
    t["Travel"].append({"from_site": "North", "to_site": "", "minutes": 20})
    school, _ = load_tables(t, tmp_path)
    assert school.travel == (("Main", "North", 15), ("North", "Main", 20))


def test_all_recognised_settings(tmp_path: Path) -> None:
    t = tiny_tables()
    keys = [
        "weight_core",
        "weight_option",
        "weight_balance",
        "weight_idle_student",
        "weight_idle_staff",
    ]
    t["Settings"] += [{"key": k, "value": i} for i, k in enumerate(keys)]
    t["Settings"].append({"key": "Term End", "value": datetime(2026, 7, 20)})
    school, _ = load_tables(t, tmp_path, "xlsx")
    st = school.settings
    assert st.get("weight_core") == "0" and st.get("weight_idle_staff") == "4"
    assert st.get("term_end") == "2026-07-20"
    assert st.get("weight_rank") == "20"


# ---- files that are not workbooks ---------------------------------------------------------


def _only_error(path: Path) -> str:
    with pytest.raises(InputError) as exc:
        load_school(path)
    assert len(exc.value.problems) == 1
    return str(exc.value.problems[0])


def test_missing_file(tmp_path: Path) -> None:
    assert _only_error(tmp_path / "nowhere.xlsx") == (
        "nowhere.xlsx: file not found; expected an .xlsx workbook or a folder of CSV files"
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "school.xlsx",
            b"hello",
            (
                "school.xlsx: is not an .xlsx workbook; expected an .xlsx "
                "workbook or a folder of CSV files, one per sheet"
            ),
        ),
        (
            "school.xls",
            b"\xd0\xcf\x11\xe0" + b"\0" * 100,
            (
                "school.xls: is an old-style .xls workbook or a password-protected workbook; "
                "expected an unprotected .xlsx workbook (in Excel: Save As, Excel Workbook)"
            ),
        ),
        (
            "Rooms.csv",
            b"room,capacity,type\n",
            (
                "Rooms.csv: is a single CSV file; expected an .xlsx workbook "
                "or a folder with one CSV file per sheet"
            ),
        ),
    ],
    ids=["not a workbook", "old xls or protected", "single csv file"],
)
def test_a_file_that_is_not_a_workbook(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert _only_error(path) == message


def test_corrupt_xlsx(tmp_path: Path) -> None:
    good = write(tiny_tables(), tmp_path, "xlsx").read_bytes()
    path = tmp_path / "broken.xlsx"
    path.write_bytes(good[: len(good) // 2])  # a zip cut short
    text = _only_error(path)
    assert text.startswith("broken.xlsx: ")


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "school.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    assert _only_error(path).startswith("school.xlsx: could not be opened as an .xlsx workbook")


def test_empty_folder(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    with pytest.raises(InputError) as exc:
        load_school(folder)
    texts = [str(p) for p in exc.value.errors]
    assert texts[0] == (
        "empty: folder holds no CSV files; expected one CSV file per sheet, "
        "e.g. Calendar.csv, Rooms.csv"
    )
    assert (
        "Calendar: sheet is missing; expected a sheet named Calendar with columns day, "
        "period, start, end" in texts
    )
    assert len(texts) == 7  # the folder and the six required sheets


def test_csv_with_semicolons_and_windows_encoding(tmp_path: Path) -> None:
    path = write(tiny_tables(), tmp_path)
    rooms = path / "Rooms.csv"
    rooms.write_bytes(
        "room;capacity;type\nR1;28;classroom\nR2;24;classroom\n"
        "LAB;20;lab,classroom\nHUB;40;classroom,studio\n"
        "Salle é;10;classroom\n".encode("cp1252")
    )
    school, _ = load_school(path)
    assert [r.id for r in school.rooms][-1] == "Salle é"


def test_empty_required_sheet(tmp_path: Path) -> None:
    t = tiny_tables()
    t["Rooms"] = []
    errors, _ = problems_of(t, tmp_path, "xlsx")
    assert errors == [
        "Rooms: sheet is empty; expected a header row with columns room, capacity, type"
    ]


def test_merged_cells_and_formulas(tmp_path: Path) -> None:
    """A merged cell reads as blank below its first row; a formula without a saved value is
    reported as such (not read as a blank)."""
    path = write(tiny_tables(), tmp_path, "xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["Rooms"]
    ws.merge_cells("B2:B3")  # capacity of R1 and R2 merged: R2 loses its capacity
    ws["B5"] = "=20*2"  # a formula with no saved value (never opened in Excel)
    ws["A6"] = "#REF!"
    ws["B6"] = 5
    wb.save(path)
    with pytest.raises(InputError) as exc:
        load_school(path)
    assert [str(p) for p in exc.value.errors] == [
        "Rooms!3, capacity: is blank; expected a whole number of seats",
        (
            "Rooms!5, capacity: holds the formula =20*2 with no saved value; expected a whole "
            "number of seats (open the workbook in Excel or LibreOffice and save it, so the "
            "formula's value is saved, or type the value)"
        ),
        "Rooms!6, room: holds the spreadsheet error #REF!; expected a room id (fix the formula)",
    ]


def test_sheet_written_with_title_rows_and_numbers_as_headers(tmp_path: Path) -> None:
    """A header that is a number is text to us; a blank header with values is a warning."""
    path = tmp_path / "odd.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Travel"
    ws.append(["from_site", "to_site", "minutes", None, 2025])
    ws.append(["Main", "North", 15, "stray", 1])
    wb.save(path)
    from scheduler.workbook.read import read_book

    sheets, _, problems = read_book(path)
    assert [str(p) for p in problems][:2] == [
        (
            "Travel!1, column D: column has values but no heading, ignored; expected a heading, "
            "one of: from_site, to_site, minutes"
        ),
        "Travel!1, 2025: unknown column, ignored; expected one of: from_site, to_site, minutes",
    ]
    assert sheets["Travel"].rows[0].cells == {
        "from_site": "Main",
        "to_site": "North",
        "minutes": 15,
    }
