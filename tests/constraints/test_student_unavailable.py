"""Students.unavailable (added by the project): slots a student can attend no lesson at,
in school or online. Kept by the solve (students' blocked slots), judged by the checker's
``student_unavailable`` rule, counted by the proven bounds, and read with every bad cell
reported."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from scheduler.api import load_school
from scheduler.bounds import bounds
from scheduler.checker import check_solution
from scheduler.cli import app
from scheduler.outputs.read import read_solution

runner = CliRunner()
SOLVE = ["--time-limit", "8", "--seed", "1", "--workers", "1", "--quiet"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    book = tmp_path_factory.mktemp("away") / "tiny.xlsx"
    assert runner.invoke(app, ["example", "tiny", "--out", str(book)]).exit_code == 0
    return book


def away(book: Path, to: Path, student: str, slots: str) -> Path:
    wb = openpyxl.load_workbook(book)
    ws = wb["Students"]
    header = [c.value for c in ws[1]]
    if "unavailable" not in header:
        ws.cell(row=1, column=len(header) + 1, value="unavailable")
        header.append("unavailable")
    col = header.index("unavailable") + 1
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == student:
            ws.cell(r, col, value=slots)
    wb.save(to)
    return to


def test_a_student_away_gets_no_lesson_then(tiny, tmp_path):
    book = away(tiny, tmp_path / "away.xlsx", "S0001", "Tue, Wed")
    out = tmp_path / "out"
    r = runner.invoke(app, ["solve", str(book), "--out", str(out), *SOLVE])
    assert r.exit_code == 0, r.output
    school = load_school(book)
    assert school.student_by_id["S0001"].unavailable == frozenset(
        set(school.calendar.day_slots["Tue"]) | set(school.calendar.day_slots["Wed"])
    )
    sol = read_solution(out, school)
    report = check_solution(school, sol)
    assert report.ok, report.as_dict()
    mine = set().union(*(g.slots for g in sol.student_groups.get("S0001", ())))
    assert mine and not mine & school.student_by_id["S0001"].unavailable


def test_the_checker_flags_a_lesson_when_the_student_is_away(tiny, tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["solve", str(tiny), "--out", str(out), *SOLVE]).exit_code == 0
    school = load_school(tiny)
    sol = read_solution(out, school)
    group = sol.student_groups["S0001"][0]
    slot = min(group.slots)
    label = school.calendar.slots[slot].label
    stricter = load_school(away(tiny, tmp_path / "away.xlsx", "S0001", label))
    broken = [
        v for v in check_solution(stricter, sol).violations if v.rule == "student_unavailable"
    ]
    assert [v.message for v in broken] == [
        f"Student S0001 has {group.id} at {label}, when they are unavailable"
    ]


def test_the_bounds_count_the_week_a_student_has(tiny, tmp_path):
    school = load_school(tiny)
    whole = ", ".join(sorted(school.calendar.day_slots))  # every day
    gone = load_school(away(tiny, tmp_path / "gone.xlsx", "S0001", whole))
    core = sum(1 for r in school.requests if r.student == "S0001" and r.type.value == "core")
    assert core > 0
    assert bounds(gone).core == bounds(school).core - core


def test_bad_unavailable_cells_are_reported_with_the_others(tiny, tmp_path):
    book = away(tiny, tmp_path / "bad.xlsx", "S0001", "Sun 9")
    book = away(book, tmp_path / "bad2.xlsx", "S0002", "Mon 99")
    r = runner.invoke(app, ["validate", str(book)])
    assert r.exit_code == 2
    assert "Students!2, unavailable" in r.output and "Students!3, unavailable" in r.output
