"""The varied-school generator (bench/varied_schools.py): every school it makes is a valid
workbook, the same seed makes the same school, and the timetable each school is built
around passes the independent checker (so a perfect timetable exists)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler.checker import check_solution
from scheduler.outputs.read import read_solution
from scheduler.workbook.read import load_school
from tests.bench_fixtures import bench_module

vs = bench_module("varied_schools")

# (seed, kind, students): every kind, one- and two-week cycles, one to three sites, each
# curriculum style and tutor-group arrangement, home learning, pathways.
CASES = [
    (0, "small", 150),
    (3, "secondary", 200),
    (1, "federation", 240),
    (3, "stage", 180),
    (4, "large", 200),
    (5, "small", 160),
    (12, "secondary", 170),
    (14, "federation", 200),
    (22, "stage", 150),
    (31, "large", 190),
]


def _cells(path: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(path, read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[tuple[int, str], tuple[object, Path]]:
    out = {}
    for seed, kind, n in CASES:
        school = vs.make_school(seed, n, kind)
        folder = tmp_path_factory.mktemp(f"{kind}{seed}")
        out[seed, kind] = (school, school.write(folder / "school.xlsx"))
    return out


@pytest.mark.parametrize("seed,kind,students", CASES)
def test_workbook_loads_without_problems(books, seed, kind, students):
    school, path = books[seed, kind]
    loaded, warnings = load_school(path)  # raises InputError on any error
    assert warnings == []
    assert len(loaded.students) == students == school.info["students"]
    assert school.info["kind"] == kind
    assert 0.84 <= school.info["staff_load"] <= 0.95


def test_same_seed_same_sheets(books, tmp_path):
    for seed, kind, n in CASES[1:3]:
        school, _ = books[seed, kind]
        again = vs.make_school(seed, n, kind)
        assert again.contents() == school.contents()
    seed, kind, n = CASES[0]
    again = vs.make_school(seed, n, kind).write(tmp_path / "again.xlsx")
    assert _cells(again) == _cells(books[seed, kind][1])
    assert vs.make_school(7, 150).contents() != vs.make_school(8, 150).contents()


def test_kind_and_size_drawn_from_the_seed():
    for seed in range(12):
        kind, n = vs.drawn_size(seed)
        lo, hi = vs.KINDS[kind]
        assert lo <= n <= hi
        assert vs.drawn_size(seed) == (kind, n)
    assert vs.drawn_size(3, "stage")[0] == "stage"
    # The seed's own kind, or its size, given or not: the same school.
    kind, n = vs.drawn_size(12)
    same = vs.make_school(12).contents()
    assert vs.make_school(12, n, kind).contents() == same


def test_schools_vary(books):
    infos = [school.info for school, _ in books.values()]
    assert {i["cycle_days"] for i in infos} == {5, 10}
    assert {i["sites"] for i in infos} == {1, 2, 3}
    assert {i["style"] for i in infos} == {"year", "mixed", "stage"}
    assert {i["tutor_groups"] for i in infos} == {"none", "vertical", "horizontal"}
    assert any(i["home_learning"] for i in infos) and any(i["pathways"] for i in infos)
    sheets = {name for school, _ in books.values() for name in school.tables}
    assert {"Stages", "TutorGroups", "Travel", "Pathways", "Settings"} <= sheets
    courses = [row for school, _ in books.values() for row in school.tables["Courses"]]
    value = [{k.lower(): v for k, v in row.items()} for row in courses]
    assert any(
        (r["staff_per_group"] or 1) >= 2 and r["room_type"].endswith("hall")
        for r in value
        if r["kind"] == "project"
    )
    assert any(r["mode"] == "online" and r["room_type"] is None for r in value)
    assert any(r["kind"] == "tutorial" and r["max_size"] <= 4 for r in value)
    assert any(r["kind"] == "assessment" for r in value)


@pytest.mark.parametrize("seed,kind", [(3, "secondary"), (1, "federation")])
def test_planted_timetable_passes_the_checker(books, seed, kind, tmp_path):
    school, path = books[seed, kind]
    loaded, _ = load_school(path)
    report = check_solution(loaded, read_solution(school.write_planted(tmp_path / "out"), loaded))
    assert report.hard_violations == []
    f = report.figures
    assert f.requests_core_met == f.requests_core
    assert f.requests_option_met == f.requests_option


def test_staff_load_hires_staff_with_periods_to_spare(tmp_path):
    """``staff_load`` (``--staff-load``): staff hired to about that share of their
    periods; the calendar, the requests and the planted groups stay the seed's (draws
    after the hiring, such as houses and header spellings, may differ), and the planted
    timetable still passes the checker with the staff hired for it."""
    default = vs.make_school(7, 150)
    spare = vs.make_school(7, 150, staff_load=0.65)
    assert 0.84 <= default.info["staff_load"] <= 0.95
    assert 0.6 <= spare.info["staff_load"] <= 0.7
    assert spare.info["staff"] > default.info["staff"]
    assert spare.info["planted_groups"] == default.info["planted_groups"]

    def cells(school, sheet):
        return [{k.lower(): v for k, v in row.items()} for row in school.tables[sheet]]

    for sheet in ("Calendar", "Requests"):
        assert cells(spare, sheet) == cells(default, sheet), sheet
    book = spare.write(tmp_path / "spare.xlsx")
    school, _ = load_school(book)
    planted = spare.write_planted(tmp_path / "planted")
    assert check_solution(school, read_solution(planted, school)).hard_violations == []
