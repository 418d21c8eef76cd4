"""`pathways export`: every format from a solve folder, filters, errors, atomic writing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.exports.grid import CONTEXT_FILE
from scheduler.outputs.write import write_outputs
from scheduler.solution import Group, Lesson, Solution
from scheduler.workbook.read import load_school
from tests.export_fixtures import one_week_folder
from tests.workbook_fixtures import tiny_tables, write

runner = CliRunner()


class Run:
    """The exit code and output of one `pathways export`, lines re-joined (rich wraps)."""

    def __init__(self, *args: str) -> None:
        r = runner.invoke(app, ["export", *args])
        self.exit_code = r.exit_code
        self.output = " ".join(r.output.split())


run = Run


def files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_export_writes_every_format(tmp_path: Path) -> None:
    folder = one_week_folder(tmp_path)
    r = run(str(folder))
    assert r.exit_code == 0, r.output
    assert "exported 5 students, 6 staff, 4 rooms" in r.output
    out = folder / "exports"
    assert files(out) == sorted(
        [
            "csv/rooms.csv",
            "csv/staff.csv",
            "csv/students.csv",
            "html/app.js",
            "html/data.js",
            "html/index.html",
            "html/style.css",
            *(f"ics/students/S{n}.ics" for n in range(1, 6)),
            *(f"ics/staff/T{n}.ics" for n in range(1, 7)),
            *(f"ics/rooms/{r}.ics" for r in ("HALL", "LAB", "N1", "R1")),
            "xlsx/rooms.xlsx",
            "xlsx/staff.xlsx",
            "xlsx/students.xlsx",
        ]
    )
    assert not [p for p in tmp_path.rglob(".*") if p.name.startswith(".exports")]  # no temp


def test_csv_has_a_row_per_person_per_slot_with_names_and_subjects(tmp_path: Path) -> None:
    folder = one_week_folder(tmp_path)
    assert run(str(folder), "--format", "csv").exit_code == 0
    rows = list(csv.DictReader((folder / "exports/csv/students.csv").open(newline="")))
    s1 = [r for r in rows if r["student"] == "S1"]
    assert len(s1) == 6
    assert s1[1] == {
        "student": "S1",
        "name": "Sam",
        "week": "1",
        "day": "Mon",
        "period": "2",
        "start": "10:00",
        "end": "11:00",
        "course": "MA-3",
        "subject": "Maths",
        "group": "MA-3.1",
        "room": "R1",
        "staff": "T1",
        "staff_names": "Ann",
        "size": "3",
    }
    assert s1[0]["subject"] == "Tutor time" and s1[0]["size"] == ""
    staff = list(csv.DictReader((folder / "exports/csv/staff.csv").open(newline="")))
    assert [
        (r["staff"], r["day"], r["period"], r["group"]) for r in staff if r["staff"] == "T4"
    ] == [("T4", "Mon", "1", "TG-A"), ("T4", "Mon", "3", "AR.2")]


def test_only_the_people_named(tmp_path: Path) -> None:
    folder = one_week_folder(tmp_path)
    r = run(
        str(folder),
        "--student",
        "S1",
        "--student",
        "S3",
        "--staff",
        "T2",
        "--format",
        "ics,xlsx",
        "--out",
        str(tmp_path / "mine"),
    )
    assert r.exit_code == 0, r.output
    assert files(tmp_path / "mine") == [
        "ics/staff/T2.ics",
        "ics/students/S1.ics",
        "ics/students/S3.ics",
        "xlsx/staff.xlsx",
        "xlsx/students.xlsx",
    ]
    assert "exported 2 students, 1 staff (ics: 3 calendars, xlsx: 2 workbooks)" in r.output


def test_unknown_ids_and_formats_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    folder = one_week_folder(tmp_path)
    r = run(str(folder), "--student", "s1", "--room", "GYM")
    assert r.exit_code == 2
    assert "there is no student s1 in this timetable (did you mean S1?)" in r.output
    assert "there is no room GYM in this timetable" in r.output
    assert "Traceback" not in r.output
    r = run(str(folder), "--format", "pdf")
    assert r.exit_code == 2 and "no export format called 'pdf'" in r.output
    r = run(str(folder), "--term-start", "1st Sept")
    assert r.exit_code == 2 and "--term-start '1st Sept' is not a date" in r.output
    r = run(str(folder), "--term-start", "2025-09-10", "--term-end", "2025-09-01")
    assert r.exit_code == 2 and "before it starts" in r.output
    assert not (folder / "exports").exists()
    r = run(str(tmp_path / "nowhere"))
    assert r.exit_code == 2 and "is not a folder" in r.output


def test_a_folder_without_context_needs_the_school_workbook(tmp_path: Path) -> None:
    book = write(tiny_tables(), tmp_path / "book")
    school, _ = load_school(book)
    ma = Group("MA-3.1", "MA-3", 1, (Lesson((1,), "R1"),), ("T1",), frozenset({"S1"}))
    folder = tmp_path / "out"
    write_outputs(school, Solution(groups=(ma,), tutor_of={"S1": "TG1"}), folder)
    (folder / CONTEXT_FILE).unlink()  # as written before context.json existed
    r = run(str(folder), "--format", "ics")
    assert r.exit_code == 2 and "give the school workbook with --school" in r.output
    r = run(str(folder), "--format", "ics", "--school", str(book))
    assert r.exit_code == 0, r.output
    # The workbook's Settings give term_start only: the end is assumed, and said so.
    assert "note Settings has no term_end: calendars end on Sun 23 Nov 2025" in r.output
    assert "term_start:" not in r.output
    ics = (folder / "exports/ics/students/S1.ics").read_text()
    assert "DTSTART:20250901T100000" in ics  # Mon 2 in the term starting Mon 1 Sep 2025
    r = run(str(folder), "--format", "ics", "--school", str(tmp_path / "missing.xlsx"))
    assert r.exit_code == 2 and "nothing was exported" in r.output


def test_re_export_replaces_files_and_keeps_the_users_own(tmp_path: Path) -> None:
    folder = one_week_folder(tmp_path)
    assert run(str(folder), "--format", "html").exit_code == 0
    mine = folder / "exports" / "html" / "notes.txt"
    mine.write_text("keep me")
    (folder / "exports/html/data.js").write_text("stale")
    assert run(str(folder), "--format", "html").exit_code == 0
    assert mine.read_text() == "keep me"
    assert (folder / "exports/html/data.js").read_text().startswith("window.PATHWAYS_DATA")


def test_a_failed_export_leaves_the_previous_one_untouched(tmp_path: Path, monkeypatch) -> None:
    from scheduler.exports import ics
    from scheduler.exports.run import export

    folder = one_week_folder(tmp_path)
    export(folder, ["ics", "csv"])
    before = {f: (folder / "exports" / f).read_bytes() for f in files(folder / "exports")}

    def broken(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(ics, "write_calendars", broken)
    with pytest.raises(OSError, match="disk full"):
        export(folder, ["csv", "ics"])
    after = {f: (folder / "exports" / f).read_bytes() for f in files(folder / "exports")}
    assert after == before  # the new CSV files were not swapped in either
    assert [p.name for p in folder.iterdir() if p.name.startswith(".exports")] == []
