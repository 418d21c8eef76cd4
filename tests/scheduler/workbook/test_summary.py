"""The school summary of `pathways validate`: exact figures of the tiny school."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.model import School
from scheduler.workbook.summary import render_summary, school_summary
from tests.workbook_fixtures import load_tables, tiny_tables, write


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> School:
    return load_tables(tiny_tables(), tmp_path_factory.mktemp("summary"))[0]


def test_summary_figures(tiny: School) -> None:
    s = school_summary(tiny)
    assert json.loads(json.dumps(s)) == s  # JSON-serialisable as it is
    assert (
        s["days"],
        s["slots"],
        s["students"],
        s["courses"],
        s["rooms"],
        s["staff"],
        s["tutor_groups"],
    ) == (3, 12, 6, 6, 4, 4, 2)
    assert s["students_by_year"] == {"7": 3, "8": 3}
    assert s["requests_by_type"] == {"core": 13, "option": 8, "alternate": 1}
    # groups = sections, else ceil((core + option requests) / max_size)
    assert s["groups_needed"] == {"MA-3": 1, "MA-4": 1, "SC": 1, "SP": 1, "PRJ": 1, "AR": 1}
    assert s["groups_needed_total"] == 6


def test_room_type_demand_and_supply(tiny: School) -> None:
    rows = {
        r["room_type"]: (r["periods_demanded"], r["periods_available"])
        for r in school_summary(tiny)["room_types"]
    }
    # lab: SC 1 group x 3 periods; LAB has 12 free slots.
    # studio: PRJ 3 + AR 2; HUB 12 slots x 2 groups at once = 24.
    # classroom: MA-3 3 + MA-4 3; R1 12 + R2 11 (Wed 4 off) + LAB 12 + HUB 24 = 59.
    # any room: every school-mode course (SP is online) against every room.
    assert rows == {"classroom": (6, 59), "lab": (3, 12), "studio": (5, 24), "any room": (14, 59)}


def test_subject_staff_demand_and_supply(tiny: School) -> None:
    rows = {
        r["subject"]: (r["periods_demanded"], r["staff_periods_available"], r["staff"])
        for r in school_summary(tiny)["subjects"]
    }
    # Maths: T1 min(12 - 2 tutor meets, max 10) = 10 + T2 12 - 1 (Tue 4) = 11 -> 21.
    # Project: 1 group x 3 periods x 2 staff = 6; T3 min(12 - 4 (Wed), 8) = 8 + T4 12 - 1 = 11.
    assert rows == {
        "Art": (2, 19, ["T3", "T4"]),
        "Maths": (6, 21, ["T1", "T2"]),
        "Project": (6, 19, ["T3", "T4"]),
        "Science": (3, 22, ["T2", "T4"]),
        "Spanish": (2, 8, ["T3"]),
    }


def test_render_summary_prints_the_tables(tiny: School) -> None:
    console = Console(record=True, width=120)
    render_summary(school_summary(tiny), console)
    text = console.export_text()
    for title in (
        "Students by year",
        "Requests by type",
        "Groups needed per course",
        "Room periods per cycle",
        "Teaching periods per cycle",
    ):
        assert title in text
    assert "studio" in text and "Spanish" in text


def test_cli_validate_good_and_bad(tmp_path: Path) -> None:
    runner = CliRunner()
    good = write(tiny_tables(), tmp_path, "xlsx")
    result = runner.invoke(app, ["validate", str(good), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["ok"] is True and payload["summary"]["students"] == 6

    t = tiny_tables()
    t["Courses"][0]["max_size"] = 0
    bad = write(t, tmp_path, "csv")
    result = runner.invoke(app, ["validate", str(bad), "--json"])
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert [p["text"] for p in payload["problems"]] == [
        "Courses!2, max_size: 0 is smaller than min_size 1; expected max_size >= min_size"
    ]
