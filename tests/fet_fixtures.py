"""Tiny FET files for the importer's tests: the hours, the opening every test file shares
(three days of four hours, the teachers, a year Y7 of one group 7A in two subgroups), the
pieces constraints, activities and time slots are written with, and the imported school
solved and checked through the command line."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.model import School
from scheduler.workbook.read import load_school
from scheduler.workbook.tables import Tables, write_tables

runner = CliRunner()

HOURS = ("08:00-08:50", "09:00-09:50", "10:00-10:50", "11:00-11:50")


def fet_head(name: str, teachers: list[str], sizes: tuple[int, int] = (2, 2)) -> str:
    """From the XML declaration to the end of the students: ``sizes`` are 7A-1's and
    7A-2's numbers of students (Y7 and 7A hold both)."""
    one, two = sizes
    days = "".join(f"<Day><Name>{d}</Name></Day>" for d in ("Mon", "Tue", "Wed"))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<fet version="6.0.4">
<Institution_Name>{name}</Institution_Name>
<Days_List><Number_of_Days>3</Number_of_Days>
{days}
</Days_List>
<Hours_List><Number_of_Hours>4</Number_of_Hours>
{"".join(f"<Hour><Name>{h}</Name></Hour>" for h in HOURS)}
</Hours_List>
<Teachers_List>{"".join(f"<Teacher><Name>{t}</Name></Teacher>" for t in teachers)}</Teachers_List>
<Students_List>
<Year><Name>Y7</Name><Number_of_Students>{one + two}</Number_of_Students>
<Group><Name>7A</Name><Number_of_Students>{one + two}</Number_of_Students>
<Subgroup><Name>7A-1</Name><Number_of_Students>{one}</Number_of_Students></Subgroup>
<Subgroup><Name>7A-2</Name><Number_of_Students>{two}</Number_of_Students></Subgroup>
</Group></Year>
</Students_List>
"""


def constraint(tag: str, body: str, weight: int = 100) -> str:
    return (
        f"<Constraint{tag}><Weight_Percentage>{weight}</Weight_Percentage>{body}"
        f"<Active>true</Active></Constraint{tag}>"
    )


def activity_ids(*ids: int) -> str:
    return f"<Number_of_Activities>{len(ids)}</Number_of_Activities>" + "".join(
        f"<Activity_Id>{i}</Activity_Id>" for i in ids
    )


def activity(
    aid: int,
    group: int,
    teachers: str | Sequence[str],
    subject: str,
    students: str | Sequence[str],
    duration: int = 1,
    tag: str = "",
) -> str:
    """One FET activity: its teacher(s), subject, student set(s) (a name, or a list of
    them, none for an activity without students), tag, duration (its total duration the
    same), id and activity group (0: not split)."""
    t = "".join(f"<Teacher>{x}</Teacher>" for x in _names(teachers))
    s = "".join(f"<Students>{x}</Students>" for x in _names(students))
    tagged = f"<Activity_Tag>{tag}</Activity_Tag>" if tag else ""
    return (
        f"<Activity>{t}<Subject>{subject}</Subject>{s}{tagged}<Duration>{duration}</Duration>"
        f"<Total_Duration>{duration}</Total_Duration><Id>{aid}</Id>"
        f"<Activity_Group_Id>{group}</Activity_Group_Id><Active>true</Active></Activity>"
    )


def _names(names: str | Sequence[str]) -> Sequence[str]:
    return [names] if isinstance(names, str) else names


def day_slots(outer: str, leaf: str, day: str) -> str:
    """Every hour of a day as FET time slots: ``<outer><leaf>Day>…<leaf>Hour>…</outer>``."""
    return "".join(
        f"<{outer}><{leaf}Day>{day}</{leaf}Day><{leaf}Hour>{h}</{leaf}Hour></{outer}>"
        for h in HOURS
    )


def solve_and_check(book: Path, out: Path) -> dict[str, Any]:
    """``pathways solve`` an imported workbook into ``out`` (one worker, 20 s, seed 1),
    then ``pathways check`` it: both succeed, no hard rule is broken and every core
    request is met. The check's report (``--json``)."""
    args = ["solve", str(book), "--out", str(out), "--workers", "1", "--time-limit", "20"]
    r = runner.invoke(app, [*args, "--seed", "1", "--quiet"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["check", str(book), str(out), "--json"])
    assert r.exit_code == 0, r.output
    report: dict[str, Any] = json.loads(r.stdout)
    assert report["hard_violations"] == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["requests_core_met"] == summary["requests_core"]
    return report


def solve_tables(tables: Tables, tmp_path: Path, name: str) -> tuple[School, dict[str, Any]]:
    """The imported tables written as ``NAME.xlsx`` under ``tmp_path``, read back (they
    validate) and put through :func:`solve_and_check`: the school and the check's report."""
    book = tmp_path / f"{name}.xlsx"
    write_tables(tables, book)
    school, _ = load_school(book)
    return school, solve_and_check(book, tmp_path / "out")
