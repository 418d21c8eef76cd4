"""The public Python API (scheduler.api, re-exported by scheduler): load_school, solve,
check, export, on the tiny example school. Every solution these tests accept passes the
independent checker."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import scheduler
from examples.generator import generate
from scheduler import (
    CheckReport,
    ExportError,
    Problem,
    School,
    Solution,
    Status,
    WorkbookError,
    check,
    export,
    load_school,
    solve,
)
from scheduler.workbook.problems import InputError
from scheduler.workbook.tables import write_tables
from tests.workbook_fixtures import tiny_tables

TIME_LIMIT = 5  # the tiny example solves in about a second


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> tuple[Path, School, Solution]:
    """The tiny example as a workbook, loaded, and solved (one worker, a fixed seed)."""
    book = write_tables(generate("tiny"), tmp_path_factory.mktemp("api") / "tiny.xlsx")
    school = load_school(book)
    solution = solve(school, time_limit=TIME_LIMIT, seed=1, workers=1)
    assert solution.status in (Status.OPTIMAL, Status.FEASIBLE) and solution.groups
    report = check(school, solution)
    assert report.ok, [v.message for v in report.hard_violations]
    return book, school, solution


# ---- load_school ------------------------------------------------------------------------


def test_load_school_gives_the_school_and_its_warnings(tiny) -> None:
    book, school, _ = tiny
    assert isinstance(school, School) and school.students and school.requests
    warnings: list[Problem] = []
    again = load_school(str(book), warnings=warnings)  # a str path does as well as a Path
    assert again.source_sha256 == school.source_sha256
    assert all(w.severity.value == "warning" for w in warnings)


def test_a_workbook_with_errors_raises_one_exception_carrying_every_problem(tmp_path) -> None:
    tables = tiny_tables()
    tables["Rooms"][0]["capacity"] = "lots"
    tables["Staff"][0]["max_periods"] = -3
    book = write_tables(tables, tmp_path / "school")
    with pytest.raises(WorkbookError) as err:
        load_school(book)
    exc = err.value
    assert isinstance(exc, InputError)  # what the command line catches
    assert exc.path == book
    assert [str(p) for p in exc.errors] == [
        "Rooms!2, capacity: 'lots' is not a whole number; expected a whole number of seats",
        (
            "Staff!2, max_periods: -3 is negative; expected a whole number of periods, 0 or "
            "more, or blank"
        ),
    ]
    text = str(exc)
    assert text.startswith(f"2 error(s) in {book}")
    assert all(str(p) in text for p in exc.errors)
    assert [p.as_dict()["sheet"] for p in exc.errors] == ["Rooms", "Staff"]


def test_a_missing_workbook_is_a_workbook_error_too(tmp_path) -> None:
    with pytest.raises(WorkbookError) as err:
        load_school(tmp_path / "nowhere.xlsx")
    assert err.value.errors


# ---- solve ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"time_limit": 0}, "time_limit 0 is not a time limit"),
        ({"time_limit": float("nan")}, "time_limit nan is not a time limit"),
        ({"seed": -1}, "seed -1 is out of range"),
        ({"workers": 0}, "workers 0 is out of range"),
        ({"workers": 65}, "workers 65 is out of range"),
    ],
)
def test_solve_refuses_numbers_out_of_range(tiny, kwargs, words) -> None:
    with pytest.raises(ValueError, match=words):
        solve(tiny[1], **kwargs)


def _options_used(monkeypatch, school: School, **kwargs):
    """The SolveOptions solve() hands the engine (which is not run)."""
    from scheduler.solver import engine

    seen = []
    monkeypatch.setattr(
        engine, "solve_school", lambda school, opts, progress=True: seen.append((opts, progress))
    )
    solve(school, **kwargs)
    return seen[0]


def test_arguments_then_settings_then_defaults(tiny, monkeypatch) -> None:
    school = tiny[1]
    settings = replace(school.settings, time_limit_s=30.0, seed=4, workers=3)
    with_settings = replace(school, settings=settings)
    opts, progress = _options_used(monkeypatch, with_settings)
    assert (opts.time_limit, opts.seed, opts.workers, progress) == (30.0, 4, 3, False)
    opts, _ = _options_used(monkeypatch, with_settings, time_limit=2, seed=9, workers=1)
    assert (opts.time_limit, opts.seed, opts.workers) == (2.0, 9, 1)
    bad = replace(school, settings=replace(settings, workers=99))
    with pytest.raises(ValueError, match="Settings workers 99 is out of range"):
        solve(bad)


def test_the_same_seed_and_one_worker_give_the_same_timetable(tiny) -> None:
    _, school, solution = tiny
    again = solve(school, time_limit=TIME_LIMIT, seed=1, workers=1)
    assert check(school, again).ok
    assert again.groups == solution.groups


def test_solve_stays_the_function_once_the_engine_is_imported(tiny) -> None:
    """The engine lives in scheduler/solver/engine.py: importing it leaves the package's
    ``solve`` the API's function."""
    from scheduler import solve as again
    from scheduler.solver import engine

    assert engine.solve_school
    assert again is solve and scheduler.solve is solve


# ---- check ------------------------------------------------------------------------------


def test_check_reports_a_broken_timetable_in_words(tiny) -> None:
    _, school, solution = tiny
    first = next(g for g in solution.groups if g.students)
    broken = replace(
        solution, groups=tuple(replace(g, staff=()) if g is first else g for g in solution.groups)
    )
    report = check(school, broken)
    assert isinstance(report, CheckReport) and not report.ok
    assert any(first.id in v.message for v in report.hard_violations)
    assert json.loads(json.dumps(report.as_dict()))["ok"] is False


# ---- export -----------------------------------------------------------------------------


def test_export_writes_the_timetable_and_every_format_and_check_reads_it_back(
    tiny, tmp_path
) -> None:
    _, school, solution = tiny
    folder = tmp_path / "timetable"
    result = export(school, solution, folder)
    for name in (
        "timetable.csv",
        "groups.csv",
        "requests.csv",
        "summary.json",
        "students.xlsx",
        "context.json",
    ):
        assert (folder / name).is_file(), name
    assert result.folder == folder / "exports"
    assert sorted(result.files) == ["csv", "html", "ics", "xlsx"]
    assert all(n > 0 for n in result.files.values())
    assert (folder / "exports" / "html" / "index.html").is_file()
    # The folder, read back file by file, passes the checker with the same figures.
    from_files = check(school, folder)
    assert from_files.ok, [v.message for v in from_files.hard_violations]
    assert from_files.figures == check(school, solution).figures


def test_export_of_some_formats_and_people_only(tiny, tmp_path) -> None:
    _, school, solution = tiny
    student = min(solution.student_groups)
    result = export(school, solution, tmp_path / "t", formats=["ics"], students=[student])
    assert result.files == {"ics": 1} and result.people == {"student": 1}
    only = export(school, solution, tmp_path / "u", formats=())
    assert only.folder == tmp_path / "u" and only.files == {}
    assert (tmp_path / "u" / "timetable.csv").is_file()
    assert not (tmp_path / "u" / "exports").exists()


def test_export_refuses_before_writing_anything(tiny, tmp_path, monkeypatch) -> None:
    _, school, solution = tiny
    folder = tmp_path / "t"
    with pytest.raises(ExportError, match="no export format called 'pdf'"):
        export(school, solution, folder, formats=["csv", "pdf"])
    none = replace(solution, groups=(), status=Status.INFEASIBLE)
    with pytest.raises(ValueError, match="no timetable .status infeasible."):
        export(school, none, folder)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="is or holds the current folder"):
        export(school, solution, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# ---- the README's example ---------------------------------------------------------------


def test_the_readme_example_runs(tiny, tmp_path, monkeypatch) -> None:
    """README.md "Use from Python", run as written on the tiny example (5 s, not 120)."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use from Python", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert "time_limit=120" in code and '"school.xlsx"' in code
    monkeypatch.chdir(tmp_path)
    (tmp_path / "school.xlsx").write_bytes(tiny[0].read_bytes())
    code = code.replace("time_limit=120", f"time_limit={TIME_LIMIT}")
    exec(compile(code, "README.md", "exec"), {})  # noqa: S102 (the project's own README)
    assert check(tiny[1], tmp_path / "timetable").ok
    assert (tmp_path / "timetable" / "exports" / "html" / "index.html").is_file()
