"""Mid-year changes (issue 14): ``pathways solve --from PUBLISHED`` keeps the published
timetable as far as the rules allow, and changes.csv / ``pathways diff`` say what moved.

Every figure is taken from the written files (read back and compared by
:mod:`scheduler.changes`) and every result passes the independent checker.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from scheduler.api import load_school
from scheduler.changes import compare
from scheduler.checker import check_solution
from scheduler.cli import app
from scheduler.outputs.read import read_solution
from scheduler.solution import Group, Lesson, Solution

runner = CliRunner()
SOLVE = ["--time-limit", "8", "--seed", "1", "--workers", "1", "--quiet"]


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Path]:
    """The tiny example and a timetable solved for it (the published one)."""
    root = tmp_path_factory.mktemp("published")
    book, out = root / "tiny.xlsx", root / "published"
    assert runner.invoke(app, ["example", "tiny", "--out", str(book)]).exit_code == 0
    r = runner.invoke(app, ["solve", str(book), "--out", str(out), *SOLVE])
    assert r.exit_code == 0, r.output
    return book, out


def resolve(book: Path, pub: Path, out: Path, *extra: str):
    r = runner.invoke(
        app, ["solve", str(book), "--out", str(out), "--from", str(pub), *SOLVE, *extra]
    )
    assert r.exit_code == 0, r.output
    school = load_school(book)
    after = read_solution(out, school)
    report = check_solution(school, after)
    assert report.ok and not report.hard_violations, report.as_dict()
    return r, school, compare(school, read_solution(pub, school), after), after


def edit(book: Path, to: Path, sheet: str, change) -> Path:
    wb = openpyxl.load_workbook(book)
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    change(ws, header)
    wb.save(to)
    return to


def test_nothing_changed_changes_nothing(published, tmp_path):
    book, pub = published
    r, _, changes, _ = resolve(book, pub, tmp_path / "same")
    assert changes.counts() == dict.fromkeys(changes.counts(), 0)
    for name in ("timetable.csv", "groups.csv", "requests.csv", "tutor_groups.csv"):
        assert (tmp_path / "same" / name).read_bytes() == (pub / name).read_bytes(), name
    rows = list(csv.reader((tmp_path / "same" / "changes.csv").open()))
    assert rows == [["kind", "group", "course", "student", "before", "after"]]
    summary = json.loads((tmp_path / "same" / "summary.json").read_text())
    assert summary["lessons_moved"] == 0 and summary["students_changed"] == 0
    assert "0 lesson(s) moved" in r.output


def test_an_option_swap_moves_no_lesson_and_no_other_student(published, tmp_path):
    book, pub = published

    def swap(ws, header):
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "S0001" and row[1].value == "HI":
                row[1].value = "GE"  # S0001 now wants Geography, not History

    edited = edit(book, tmp_path / "swap.xlsx", "Requests", swap)
    _, _school, changes, after = resolve(edited, pub, tmp_path / "swap")
    assert changes.lessons_moved == 0 and changes.groups_staff_changed == 0
    changed = {c.student for c in changes.rows if c.kind == "student"}
    assert changed <= {"S0001"}
    mine = {g.course for g in after.student_groups["S0001"]}
    assert "HI" not in mine
    # The web timetable lists the change above the student's grid.
    r = runner.invoke(app, ["export", str(tmp_path / "swap"), "--format", "html"])
    assert r.exit_code == 0, r.output
    site = next((tmp_path / "swap" / "exports").rglob("data.js")).read_text()
    data = json.loads(site.split("=", 1)[1].rstrip().rstrip(";"))
    assert list(data["changes"]["student"]) == ["S0001"]
    assert data["changes"]["student"]["S0001"][0].startswith("left HI.")
    assert (
        "Changed since the published timetable"
        in next((tmp_path / "swap" / "exports").rglob("app.js")).read_text()
    )


def test_new_students_take_free_seats_and_move_nobody(published, tmp_path):
    book, pub = published

    def add(ws, header):
        first = [c.value for c in ws[2]]
        for k in (1, 2):
            row = list(first)
            row[header.index("student")] = f"NEW{k}"
            row[header.index("tutor_group")] = None
            ws.append(row)

    edited = edit(book, tmp_path / "new.xlsx", "Students", add)
    wb = openpyxl.load_workbook(edited)
    requests = wb["Requests"]
    for row in [r for r in requests.iter_rows(min_row=2, values_only=True) if r[0] == "S0001"]:
        for k in (1, 2):
            requests.append([f"NEW{k}", *row[1:]])
    wb.save(edited)
    _, _school, changes, after = resolve(edited, pub, tmp_path / "new")
    assert changes.lessons_moved == 0 and changes.groups_added == 0
    changed = {c.student for c in changes.rows if c.kind == "student"}
    assert changed <= {"NEW1", "NEW2"}
    assert after.student_groups.get("NEW1")  # placed where there was room


def test_a_teacher_off_a_day_moves_their_lessons_off_it(published, tmp_path):
    book, pub = published
    school = load_school(book)
    before = read_solution(pub, school)
    cal = school.calendar
    # The Maths teacher (busy Thursdays) also becomes unavailable on the day of one of
    # their lessons.
    lesson = next(g for g in before.groups if "PWA" in g.staff).lessons[0]
    day = cal.slots[lesson.slots[0]].day

    def off(ws, header):
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "PWA":
                row[header.index("unavailable")].value = f"Thu,{day}"

    edited = edit(book, tmp_path / "off.xlsx", "Staff", off)
    _, school2, changes, after = resolve(edited, pub, tmp_path / "off")
    taught_that_day = sum(
        1
        for g in before.groups
        if "PWA" in g.staff
        for x in g.lessons
        if cal.slots[x.slots[0]].day == day
    )
    assert 1 <= changes.lessons_moved <= 2 * taught_that_day
    for g in after.groups:
        if "PWA" in g.staff:
            assert all(cal.slots[x.slots[0]].day != day for x in g.lessons)
    # --keep times: only the lessons the new rule forbids may move; when they have
    # nowhere to go with every other lesson kept, that is said and nothing is written.
    r = runner.invoke(
        app,
        [
            "solve",
            str(edited),
            "--out",
            str(tmp_path / "kept"),
            "--from",
            str(pub),
            *SOLVE,
            "--keep",
            "times",
        ],
    )
    if r.exit_code == 0:
        kept = compare(
            school2, read_solution(pub, school2), read_solution(tmp_path / "kept", school2)
        )
        assert 1 <= kept.lessons_moved <= taught_that_day
    else:
        assert r.exit_code == 1 and "with --keep times no timetable exists" in r.output
        assert not (tmp_path / "kept").exists()


def test_a_group_nobody_can_teach_now_is_named_with_why(published, tmp_path):
    """The History teacher may now teach only 2 periods: one of the two published History
    groups cannot be staffed. The re-solve says so by course, with why, in summary.json
    and on the terminal, as a solve from nothing does."""
    book, pub = published
    before = read_solution(pub, load_school(book))
    assert sum(g.course == "HI" for g in before.groups) == 2

    def part_time(ws, header):
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "YSI":
                row[header.index("max_periods")].value = 2

    edited = edit(book, tmp_path / "part.xlsx", "Staff", part_time)
    r, _, _, after = resolve(edited, pub, tmp_path / "part")
    assert sum(g.course == "HI" for g in after.groups) == 1
    summary = json.loads((tmp_path / "part" / "summary.json").read_text())
    (row,) = summary["groups_unstaffed_why"]
    assert (row["course"], row["groups"], row["of"]) == ("HI", 1, 2), row
    assert row["reason"].startswith("History (HI) could not be staffed"), row
    assert len(summary["groups_unstaffed"]) == 1 and summary["groups_unplaced"] == []
    assert f"{row['reason']} (1 of 2 groups)" in " ".join(r.output.split())


def test_keep_times_and_from_are_checked(published, tmp_path):
    book, pub = published
    r = runner.invoke(app, ["solve", str(book), "--out", str(tmp_path / "x"), "--keep", "times"])
    assert r.exit_code != 0 and "--keep needs --from" in r.output
    r = runner.invoke(
        app,
        ["solve", str(book), "--out", str(tmp_path / "x"), "--from", str(pub), "--keep", "days"],
    )
    assert r.exit_code == 2 and "expected `times`, `staff` or `rooms`" in r.output
    r = runner.invoke(
        app, ["solve", str(book), "--out", str(tmp_path / "x"), "--from", str(tmp_path)]
    )
    assert r.exit_code != 0 and "no groups.csv there" in r.output
    assert not (tmp_path / "x").exists()


def test_diff_and_check_from_say_how_far_two_solves_are(published, tmp_path):
    book, pub = published
    r = runner.invoke(app, ["diff", str(book), str(pub), str(pub)])
    assert r.exit_code == 0, r.output
    assert "0 lesson(s) moved" in r.output
    other = tmp_path / "other"
    r = runner.invoke(
        app,
        [
            "solve",
            str(book),
            "--out",
            str(other),
            *SOLVE[:2],
            "--seed",
            "7",
            "--workers",
            "1",
            "--quiet",
        ],
    )
    assert r.exit_code == 0, r.output
    school = load_school(book)
    expected = compare(school, read_solution(pub, school), read_solution(other, school))
    r = runner.invoke(
        app, ["diff", str(book), str(pub), str(other), "--out", str(tmp_path / "c.csv")]
    )
    assert r.exit_code == 0 and expected.line() in r.output
    rows = list(csv.reader((tmp_path / "c.csv").open()))
    assert len(rows) == 1 + len(expected.rows)
    r = runner.invoke(app, ["check", str(book), str(other), "--from", str(pub), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["changes"] == expected.counts()


def test_compare_names_every_kind_of_change():
    school = load_school_tiny()
    a = Solution(
        groups=(
            Group(
                "MA.1",
                "MA",
                1,
                (Lesson((0,), "R1"), Lesson((5,), "R1")),
                ("PWA",),
                frozenset({"S0001"}),
            ),
            Group("EN.1", "EN", 1, (Lesson((1,), "R1"),), ("KWA",), frozenset({"S0001"})),
        ),
        tutor_of={"S0001": "T1"},
    )
    b = Solution(
        groups=(
            Group(
                "MA.1",
                "MA",
                1,
                (Lesson((0,), "R2"), Lesson((6,), "R1")),
                ("KWA",),
                frozenset({"S0001"}),
            ),
            Group("SC.1", "SC", 1, (Lesson((2,), "R1"),), ("HBR",), frozenset({"S0001"})),
        ),
        tutor_of={"S0001": "T1"},
    )
    c = compare(school, a, b)
    assert c.counts() == {
        "lessons_moved": 1,
        "lessons_room_changed": 1,
        "groups_staff_changed": 1,
        "groups_added": 1,
        "groups_removed": 1,
        "students_changed": 1,
    }
    student = next(x for x in c.rows if x.kind == "student")
    assert student.before == "EN.1" and student.after == "SC.1;MA.1 (new times)"


_TINY: list = []


def load_school_tiny():
    if not _TINY:
        import tempfile

        book = Path(tempfile.mkdtemp()) / "tiny.xlsx"
        assert runner.invoke(app, ["example", "tiny", "--out", str(book)]).exit_code == 0
        _TINY.append(load_school(book))
    return _TINY[0]


def test_max_changed_caps_the_students_not_asked_to_change(published, tmp_path):
    from scheduler.changes import asked_to_change

    book, pub = published
    school = load_school(book)
    assert asked_to_change(school, read_solution(pub, school)) == set()

    def swap(ws, header):
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "S0001" and row[1].value == "HI":
                row[1].value = "GE"

    edited = edit(book, tmp_path / "swap.xlsx", "Requests", swap)
    swapped = load_school(edited)
    assert asked_to_change(swapped, read_solution(pub, swapped)) == {"S0001"}
    # S0001 asked: a cap of 0 others holds.
    _, _, changes, _ = resolve(edited, pub, tmp_path / "swap", "--max-changed", "0")
    assert {c.student for c in changes.rows if c.kind == "student"} <= {"S0001"}
    summary = json.loads((tmp_path / "swap" / "summary.json").read_text())
    assert summary["students_not_asked_changed"] == 0

    # A teacher off a whole day moves lessons of students who asked for nothing: with a
    # cap of 0 that cannot be done, and nothing is written.
    def off(ws, header):
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "PWA":
                row[header.index("unavailable")].value = "Thu,Tue,Wed"

    edited = edit(book, tmp_path / "off.xlsx", "Staff", off)
    r = runner.invoke(
        app,
        [
            "solve",
            str(edited),
            "--out",
            str(tmp_path / "off"),
            "--from",
            str(pub),
            *SOLVE,
            "--max-changed",
            "0",
        ],
    )
    if r.exit_code == 0:  # only if PWA taught nothing on those days
        school2 = load_school(edited)
        after = compare(
            school2, read_solution(pub, school2), read_solution(tmp_path / "off", school2)
        )
        assert not [c for c in after.rows if c.kind == "student"]
    else:
        assert r.exit_code == 1 and "--max-changed 0" in r.output, r.output
        assert not (tmp_path / "off").exists()
    r = runner.invoke(app, ["solve", str(book), "--out", str(tmp_path / "x"), "--max-changed", "3"])
    assert r.exit_code == 2 and "--max-changed needs --from" in r.output


def test_keep_staff_and_rooms(published, tmp_path):
    """--keep staff and --keep rooms: no group changes staff and no lesson that kept its
    time changes room, while the lessons a new rule forbids move (or the re-solve says
    it cannot and writes nothing)."""
    book, pub = published
    school = load_school(book)
    before = read_solution(pub, school)
    lesson = next(g for g in before.groups if "PWA" in g.staff).lessons[0]
    day = school.calendar.slots[lesson.slots[0]].day

    def off(ws, header):
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "PWA":
                row[header.index("unavailable")].value = f"Thu,{day}"

    edited = edit(book, tmp_path / "off.xlsx", "Staff", off)
    out = tmp_path / "kept"
    r = runner.invoke(
        app,
        [
            "solve",
            str(edited),
            "--out",
            str(out),
            "--from",
            str(pub),
            *SOLVE,
            "--keep",
            "staff",
            "--keep",
            "rooms",
        ],
    )
    if r.exit_code == 0:
        school2 = load_school(edited)
        after = read_solution(out, school2)
        changes = compare(school2, read_solution(pub, school2), after)
        assert changes.lessons_moved >= 1  # PWA's lesson on that day had to move
        assert changes.groups_staff_changed == 0 and changes.lessons_room_changed == 0
        assert check_solution(school2, after).ok
    else:
        assert r.exit_code == 1 and "--keep staff" in r.output, r.output
        assert not out.exists()
