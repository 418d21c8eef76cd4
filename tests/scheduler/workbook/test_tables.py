"""Writing table sets: a rewritten CSV folder holds exactly the new sheets."""

from __future__ import annotations

from pathlib import Path

from scheduler.workbook.read import load_school
from scheduler.workbook.tables import write_tables
from tests.scenario_fixtures import school_tables


def test_a_rewritten_csv_folder_holds_exactly_the_new_sheets(tmp_path: Path) -> None:
    folder = tmp_path / "school"
    tables = school_tables()
    assert "TutorGroups" in tables
    write_tables({**tables, "Extra": [{"a": 1}]}, folder)
    (folder / "notes.txt").write_text("mine")
    (folder / "OLD.CSV").write_text("x\n1\n")  # a sheet of another writer, any case
    (folder / "archive").mkdir()
    (folder / "archive" / "Rooms.csv").write_text("kept: not read as a sheet")
    del tables["TutorGroups"]
    for row in tables["Students"]:
        row.pop("tutor_group", None)
    write_tables(tables, folder)
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([f"{s}.csv" for s in tables] + ["notes.txt", "archive"])
    assert (folder / "archive" / "Rooms.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["school"]  # no temporary folder
    school, _ = load_school(folder)
    assert school.tutor_groups == ()
