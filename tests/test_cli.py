"""The command line end to end: example -> validate -> solve -> check, and bad input."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from scheduler.cli import app

runner = CliRunner()


def test_example_solve_check_end_to_end(tmp_path):
    book = tmp_path / "tiny.xlsx"
    out = tmp_path / "out"
    r = runner.invoke(app, ["example", "tiny", "--out", str(book)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["validate", str(book)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["solve", str(book), "--out", str(out), "--time-limit", "20",
                            "--seed", "1", "--workers", "1", "--quiet"])
    assert r.exit_code == 0, r.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "feasible"
    assert summary["requests_core"] > 0
    for name in ("timetable.csv", "groups.csv", "requests.csv", "students.xlsx"):
        assert (out / name).exists(), name
    r = runner.invoke(app, ["check", str(book), str(out), "--json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["hard_violations"] == 0
    assert report["objective"] == summary["objective"]


def test_bad_input_exits_2_and_writes_nothing(tmp_path):
    folder = tmp_path / "school"
    folder.mkdir()
    (folder / "Calendar.csv").write_text("day,period,start,end\nMon,1,09:00,08:00\n")
    out = tmp_path / "out"
    r = runner.invoke(app, ["solve", str(folder), "--out", str(out)])
    assert r.exit_code == 2
    assert "Traceback" not in r.output
    assert not out.exists()


def test_unknown_example_is_an_error(tmp_path):
    r = runner.invoke(app, ["example", "nope", "--out", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 2


def test_ctrl_c_writes_the_best_timetable_so_far(tmp_path):
    """SIGINT during a long solve stops the search and writes what was found, checked."""
    import os
    import signal
    import subprocess
    import sys
    import time

    book = tmp_path / "tiny.xlsx"
    out = tmp_path / "out"
    assert runner.invoke(app, ["example", "tiny", "--out", str(book)]).exit_code == 0
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "scheduler.cli", "solve", str(book), "--out", str(out),
         "--time-limit", "600", "--workers", "1", "--seed", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    # Wait until a search is under way (the progress line says so), then press Ctrl-C.
    deadline = time.monotonic() + 60
    seen = ""
    while "placing" not in seen and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen += line
    time.sleep(2)
    proc.send_signal(signal.SIGINT)
    rest_out, rest_err = proc.communicate(timeout=120)
    assert proc.returncode == 0, seen + rest_err
    assert "interrupted" in (seen + rest_err)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["interrupted"] is True
    assert summary["requests_core_met"] > 0
    r = runner.invoke(app, ["check", str(book), str(out), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["hard_violations"] == 0


def test_reading_the_workbook_comes_out_of_the_time_limit(tmp_path, monkeypatch):
    """--time-limit bounds the whole command: the solve gets what is left after reading."""
    import time

    import scheduler.cli as cli
    import scheduler.solve as solve_module
    from scheduler.solution import Solution, Status

    book = tmp_path / "tiny.xlsx"
    assert runner.invoke(app, ["example", "tiny", "--out", str(book)]).exit_code == 0
    read = cli._load

    def slow_read(path):
        time.sleep(1.0)
        return read(path)

    seen = {}

    def fake_solve(school, opts, progress=True):
        seen["limit"] = opts.time_limit
        return Solution(groups=(), status=Status.UNKNOWN)

    monkeypatch.setattr(cli, "_load", slow_read)
    monkeypatch.setattr(solve_module, "solve_school", fake_solve)
    runner.invoke(app, ["solve", str(book), "--out", str(tmp_path / "out"), "--time-limit", "20",
                        "--quiet"])
    assert 0 < seen["limit"] <= 19.0
