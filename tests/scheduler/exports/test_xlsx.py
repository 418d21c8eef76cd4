"""Week-grid workbooks: colours, frozen headings, print setup, index links, two-week grids."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler.exports.grid import PALETTE
from tests.export_fixtures import one_week_folder, two_week_folder


def _fill(cell) -> str:
    return "#" + cell.fill.fgColor.rgb[-6:].upper()


def test_person_sheets_are_frozen_coloured_and_print_on_one_a4_landscape_page(
    tmp_path: Path,
) -> None:
    wb = load_workbook(one_week_folder(tmp_path) / "students.xlsx")
    ws = wb["S1"]
    assert ws.freeze_panes == "B3"  # period column and day headings stay in view
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws["A1"].value == "S1 Sam year 7" and ws["A1"].font.b
    # Colours: Maths (MA-3) on Mon 2 and Tue 2, Art on Mon 3, Science on Tue 3-4.
    maths, art, science = PALETTE[3], PALETTE[0], PALETTE[4]
    assert ws["B4"].value == "MA-3 MA-3.1 / R1 / T1"
    assert _fill(ws["B4"]) == _fill(ws["C4"]) == maths
    assert _fill(ws["B5"]) == art and _fill(ws["C5"]) == _fill(ws["C6"]) == science
    assert _fill(ws["B3"]) == "#EEEEEE"  # tutor time
    assert ws["B4"].alignment.wrap_text
    # The same subject has the same colour in another student's sheet.
    assert _fill(wb["S2"]["B4"]) == maths


def test_index_links_to_every_sheet_and_back(tmp_path: Path) -> None:
    wb = load_workbook(one_week_folder(tmp_path) / "staff.xlsx")
    index = wb["Index"]
    assert wb.sheetnames[0] == "Index" and index.freeze_panes == "A2"
    links = {
        index.cell(r, 5).value: index.cell(r, 5).hyperlink.location
        for r in range(2, index.max_row + 1)
        if index.cell(r, 5).value
    }
    assert links == {name: f"'{name}'!A1" for name in wb.sheetnames[1:]}
    assert index["G1"].value == "colour key" and index["G2"].value == "Tutor time"
    assert [index.cell(r, 7).value for r in range(3, 8)] == [
        "Art",
        "Computing",
        "Geography",
        "Maths",
        "Science",
    ]
    assert _fill(index["G6"]) == PALETTE[3]  # the key shows Maths in its colour
    back = wb["T1"]["D1"]  # right of the two day columns
    assert back.value == "Index" and back.hyperlink.location == "'Index'!A1"


def test_two_week_cycle_is_two_grids(tmp_path: Path) -> None:
    wb = load_workbook(two_week_folder(tmp_path) / "students.xlsx")
    rows = [tuple(c.value for c in row) for row in wb["S1"].iter_rows(max_col=3)]
    assert rows[1] == (None, "Mon", "Tue")  # one heading row, frozen, for both weeks
    assert rows[2][0] == "Week 1" and rows[3][:2] == ("1 (09:00-10:00)", "TUTOR TG-A / R1 / T4")
    week2 = rows.index(("Week 2", None, None))
    assert rows[week2 - 1] == (None, None, None)  # a blank row between the grids
    wk2 = {r[0]: r[1:] for r in rows[week2 + 1 : week2 + 6]}
    assert wk2["1 (09:00-10:00)"] == ("TUTOR TG-A / R1 / T4", None)
    assert wk2["2 (10:00-11:00)"] == (None, "MA-3 MA-3.1 / R1 / T1")
    assert wb["S1"].freeze_panes == "B3"
    assert (wb["S1"].page_setup.fitToWidth, wb["S1"].page_setup.fitToHeight) == (1, 1)


def test_names_with_markup_and_control_characters_are_written_as_text(tmp_path: Path) -> None:
    from dataclasses import replace

    from tests.checker_fixtures import tiny_school

    school = tiny_school()
    students = tuple(
        replace(s, name='<b>"A&B"</b>\x07') if s.id == "S1" else s for s in school.students
    )
    wb = load_workbook(
        one_week_folder(tmp_path, school=replace(school, students=students)) / "students.xlsx"
    )
    assert wb["S1"]["A1"].value == 'S1 <b>"A&B"</b> year 7'


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: the print check is skipped; "
    "see docs/exports.md for the manual check",
)
def test_libreoffice_prints_each_sheet_on_one_a4_landscape_page(tmp_path: Path) -> None:
    """Render rooms.xlsx to PDF (and the pages to PNG for a look) as a person would."""
    rooms = one_week_folder(tmp_path) / "rooms.xlsx"
    env = dict(os.environ, HOME=str(tmp_path))
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(rooms),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env=env,
    )
    pdf = (tmp_path / "rooms.pdf").read_bytes()
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
    assert len(pages) == 5  # the index and 4 rooms, one page each
    boxes = {
        tuple(round(float(x)) for x in m.split())
        for m in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+ [\d.]+)\s*\]", pdf)
    }
    assert boxes == {(842, 595)}  # A4 landscape, in points
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(tmp_path / "rooms.pdf"), str(tmp_path / "page")],
            check=True,
            timeout=60,
        )
        assert len(list(tmp_path.glob("page-*.png"))) == 5
