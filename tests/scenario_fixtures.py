"""The scenario tests' school, their tiny what-if sweep and the independent check of its
runs (no tests here).

:func:`school_tables` is a hand-made school of four students as workbook tables (the
scenario changes' tests, tests/scheduler/scenarios/test_transforms.py, give its exact
tables after each change); :func:`course_row` one of its Courses rows.
:data:`TINY_SWEEP` is two scenarios of the tiny example: one more period at the end of
every day, and History and Geography taught online; with the base, its comparison has
the runs :data:`TINY_RUNS`. :func:`scenario_file` writes a scenario file;
:func:`assert_checked` reads a run's workbook and timetable back from the files
(``--write-workbook``) and runs the checker on them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scheduler.checker import check_solution
from scheduler.outputs.read import read_solution
from scheduler.workbook.read import load_school
from scheduler.workbook.tables import Tables

TINY_SWEEP = """
title: Tiny what-ifs
base: {example: tiny}
scenarios:
  - name: Evening period
    description: One more period at the end of every day.
    changes:
      - open_longer: {periods: 1, gap: 10}
  - name: History and Geography online
    changes:
      - online_courses: {where: {subject: [History, Geography]}}
"""

#: The scenarios of :data:`TINY_SWEEP`'s comparison, in order.
TINY_RUNS = ["base", "Evening period", "History and Geography online"]


def scenario_file(directory: Path, text: str = TINY_SWEEP, name: str = "what-if.yaml") -> Path:
    """A scenario file of ``text`` in ``directory``."""
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_checked(out: Path, run: dict[str, Any]) -> None:
    """The run's workbook and timetable, read back from the sweep's folder ``out``, pass
    the independent checker."""
    school, _ = load_school(out / "workbooks" / f"{run['folder']}.xlsx")
    report = check_solution(school, read_solution(out / run["folder"], school))
    assert report.hard_violations == []


def course_row(
    cid: str, subject: str, lessons: str, years: str | None, room: str = "classroom", **kw: Any
) -> dict[str, Any]:
    """A Courses row of :func:`school_tables`'s kind; ``kw`` sets other columns."""
    row = {
        "course": cid,
        "subject": subject,
        "stage": None,
        "lessons": lessons,
        "min_size": 1,
        "max_size": 30,
        "room_type": room,
        "staff": None,
        "sections": None,
        "years": years,
        "mode": None,
        "kind": "lesson",
    }
    row.update(kw)
    return row


def school_tables() -> Tables:
    """Four students in years 7 and 8; two days of three periods; tutor time Mon 1.

    S1 (year 7): MA7 core, HI7 option 1, GE7 alternate 2, English by stage (3).
    S2 (year 7): MA7, HI7 core; English stage 1 (no English request).
    S3 (year 8): HI8 core, MA8 through pathway CORE8; English stage 3.
    S4 (year 8): MA8 core, HI8 option 1; no Stages row.
    """
    cal = [
        {"day": d, "period": str(p), "start": s, "end": e}
        for d in ("Mon", "Tue")
        for p, s, e in ((1, "09:00", "10:00"), (2, "10:00", "11:00"), (3, "11:00", "12:00"))
    ]
    return {
        "Settings": [{"key": "time_limit_s", "value": 5}],
        "Calendar": cal,
        "Rooms": [
            {"room": "C1", "capacity": 30, "type": "classroom"},
            {"room": "C2", "capacity": 30, "type": "classroom"},
            {"room": "LAB1", "capacity": 24, "type": "lab"},
        ],
        "Staff": [
            {"staff": "T1", "subjects": "Maths", "max_periods": 6},
            {"staff": "T2", "subjects": "History", "max_periods": 6},
            {"staff": "T3", "subjects": "History,Geography", "max_periods": 6},
            {"staff": "T4", "subjects": "Maths:1-2,English", "max_periods": 6},
        ],
        "Courses": [
            course_row("MA7", "Maths", "1,1", "7"),
            course_row("MA8", "Maths", "1,1", "8", sections=1),
            course_row("HI7", "History", "1", "7"),
            course_row("HI8", "History", "1", "8"),
            course_row("GE7", "Geography", "1", "7"),
            course_row("EN-1", "English", "1", None, stage=1),
            course_row("EN-3", "English", "1", None, stage=3),
        ],
        "Students": [
            {"student": "S1", "year": 7, "tutor_group": "7A", "pathway": None},
            {"student": "S2", "year": 7, "tutor_group": "7A", "pathway": None},
            {"student": "S3", "year": 8, "tutor_group": "8A", "pathway": "CORE8"},
            {"student": "S4", "year": 8, "tutor_group": "8A", "pathway": None},
        ],
        "Requests": [
            {"student": "S1", "course": "MA7", "subject": None, "type": "core", "rank": None},
            {"student": "S1", "course": "HI7", "subject": None, "type": "option", "rank": 1},
            {"student": "S1", "course": "GE7", "subject": None, "type": "alternate", "rank": 2},
            {"student": "S1", "course": None, "subject": "English", "type": "core", "rank": None},
            {"student": "S2", "course": "MA7", "subject": None, "type": "core", "rank": None},
            {"student": "S2", "course": "HI7", "subject": None, "type": "core", "rank": None},
            {"student": "S3", "course": "HI8", "subject": None, "type": "core", "rank": None},
            {"student": "S4", "course": "MA8", "subject": None, "type": "core", "rank": None},
            {"student": "S4", "course": "HI8", "subject": None, "type": "option", "rank": 1},
        ],
        "Stages": [
            {"student": "S1", "subject": "English", "stage": 3},
            {"student": "S2", "subject": "English", "stage": 1},
            {"student": "S3", "subject": "English", "stage": 3},
        ],
        "Pathways": [
            {"pathway": "CORE8", "course": "MA8", "subject": None, "type": "core", "rank": None}
        ],
        "TutorGroups": [
            {
                "group": "7A",
                "tutor": "T1",
                "room": "C1",
                "capacity": 10,
                "meets": "Mon 1",
                "vertical": "no",
            },
            {
                "group": "8A",
                "tutor": "T2",
                "room": "C2",
                "capacity": 10,
                "meets": "Mon 1",
                "vertical": "no",
            },
        ],
    }


def history_short_staffed(
    days: tuple[str, ...], periods: int, away: str, history: str, maths: str
) -> Tables:
    """Six students taking core History and Maths; T1, History's only teacher, is away on
    the ``away`` days (a Staff unavailable cell), T2 teaches Maths any time; two rooms.
    ``history`` and ``maths``: the courses' lessons cells. The explain tests break it by
    the days T1 is away."""
    students = [f"S{i}" for i in range(1, 7)]
    return {
        "Calendar": [
            {"day": d, "period": p, "start": f"{8 + p:02d}:00", "end": f"{9 + p:02d}:00"}
            for d in days
            for p in range(1, periods + 1)
        ],
        "Rooms": [
            {"room": "R1", "capacity": 30, "type": "classroom"},
            {"room": "R2", "capacity": 30, "type": "classroom"},
        ],
        "Staff": [
            {"staff": "T1", "subjects": "History", "unavailable": away},
            {"staff": "T2", "subjects": "Maths"},
        ],
        "Courses": [
            {
                "course": "HI",
                "subject": "History",
                "lessons": history,
                "min_size": 1,
                "max_size": 30,
            },
            {"course": "MA", "subject": "Maths", "lessons": maths, "min_size": 1, "max_size": 30},
        ],
        "Students": [{"student": s, "year": 9} for s in students],
        "Requests": [
            {"student": s, "course": c, "type": "core"} for s in students for c in ("HI", "MA")
        ],
    }


def explained_t1(tables: Tables, tmp_path: Path):
    """The school of ``tables`` written to a workbook and read back, ``pathways explain``'s
    answer on it, and its conflict naming T1: (workbook, school, answer, conflict)."""
    from scheduler.solver.explain import explain_school
    from scheduler.workbook.tables import write_tables

    book = tmp_path / "school.xlsx"
    write_tables(tables, book)
    school, _ = load_school(book)
    found = explain_school(school)
    conflict = next(c for c in found.conflicts if "T1" in c.names())
    return book, school, found, conflict


def solved_before_after(book: Path, scenario: list, tmp_path: Path) -> list[Path]:
    """The workbook and a copy changed by ``scenario`` (explain's change), each solved as
    explain's trials are (``--reproducible --no-wall-guard``, 4 s, seed 0, one worker) and
    checked: their output folders, before and after."""
    from typer.testing import CliRunner

    from scheduler.cli import app
    from scheduler.scenarios.trial import apply_steps, workbook_tables
    from scheduler.workbook.tables import write_tables

    runner = CliRunner()
    changed = tmp_path / "changed.xlsx"
    write_tables(apply_steps(workbook_tables(book), scenario), changed)
    solve = ["--reproducible", "--no-wall-guard", "--time-limit", "4", "--seed", "0"]
    outs = []
    for workbook, out in ((book, tmp_path / "before"), (changed, tmp_path / "after")):
        done = runner.invoke(
            app, ["solve", str(workbook), "--out", str(out), *solve, "--workers", "1"]
        )
        assert done.exit_code in (0, 1), done.output
        if (out / "timetable.csv").exists():
            checked = runner.invoke(app, ["check", str(workbook), str(out)])
            assert checked.exit_code == 0, checked.output
        outs.append(out)
    return outs


def requests_met(folder: Path, courses: set[str]) -> int:
    """Requests for these courses met, as requests.csv says (0 without a timetable)."""
    import csv

    path = folder / "requests.csv"
    if not path.exists():
        return 0
    with path.open(newline="") as fh:
        return sum(1 for r in csv.DictReader(fh) if r["course"] in courses and r["status"] == "met")


def explained_top_change(book: Path, args: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``pathways explain BOOK --json ARGS``: its first conflict with a change, and that
    conflict's top change."""
    import json

    from typer.testing import CliRunner

    from scheduler.cli import app

    result = CliRunner().invoke(app, ["explain", str(book), "--json", *args])
    assert result.exit_code == 0, result.output
    answer: dict[str, Any] = json.loads(result.stdout[result.stdout.index("{") :])
    conflict = next(c for c in answer["conflicts"] if c["changes"])
    return conflict, conflict["changes"][0]
