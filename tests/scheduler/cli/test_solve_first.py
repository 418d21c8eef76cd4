"""``pathways solve --first``: the first timetable, written, and nothing after it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.cli.common import EXIT_INPUT
from tests.scheduler.cli.test_cli import assert_checked

runner = CliRunner()


@pytest.mark.parametrize("name, students", [("tiny", None), ("stage-not-age", 150)])
def test_first_writes_the_first_timetable_and_stops(tmp_path, name, students):
    book = tmp_path / "school.xlsx"
    args = ["example", name, "--out", str(book)]
    if students:
        args += ["--students", str(students)]
    assert runner.invoke(app, args).exit_code == 0
    out = tmp_path / "out"
    r = runner.invoke(
        app,
        ["solve", str(book), "--out", str(out), "--time-limit", "60", "--first", "--quiet"],
    )
    assert r.exit_code == 0, r.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "feasible"
    assert summary["stopped_at_first"] is True
    # One first timetable, then no round of the ladder and no polish.
    assert summary["first_samples"] == 1
    assert summary["rounds"] == 0
    assert "polished" not in summary
    assert_checked(book, out, summary)


def test_without_first_the_solve_goes_on(tmp_path):
    book = tmp_path / "tiny.xlsx"
    assert runner.invoke(app, ["example", "tiny", "--out", str(book)]).exit_code == 0
    out = tmp_path / "out"
    r = runner.invoke(app, ["solve", str(book), "--out", str(out), "--time-limit", "20", "--quiet"])
    assert r.exit_code == 0, r.output
    summary = json.loads((out / "summary.json").read_text())
    assert "stopped_at_first" not in summary
    assert summary["rounds"] >= 1


@pytest.mark.parametrize("extra", [["--portfolio", "2"], ["--from", "earlier"]])
def test_first_is_refused_with_from_or_portfolio(tmp_path, extra):
    book = tmp_path / "tiny.xlsx"
    assert runner.invoke(app, ["example", "tiny", "--out", str(book)]).exit_code == 0
    if extra[0] == "--from":
        extra = ["--from", str(tmp_path / "earlier")]
        assert (
            runner.invoke(
                app, ["solve", str(book), "--out", extra[1], "--time-limit", "10", "--quiet"]
            ).exit_code
            == 0
        )
    out = tmp_path / "out"
    r = runner.invoke(app, ["solve", str(book), "--out", str(out), "--first", "--quiet", *extra])
    assert r.exit_code == EXIT_INPUT, r.output
    assert "--first cannot be combined" in r.output
    assert not out.exists()
