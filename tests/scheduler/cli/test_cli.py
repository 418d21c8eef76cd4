"""The command line end to end: example -> validate -> solve -> check, and bad input."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
from dataclasses import replace
from pathlib import Path

import pytest
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
    r = runner.invoke(
        app,
        [
            "solve",
            str(book),
            "--out",
            str(out),
            "--time-limit",
            "20",
            "--seed",
            "1",
            "--workers",
            "1",
            "--quiet",
        ],
    )
    assert r.exit_code == 0, r.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "feasible"
    assert summary["requests_core"] > 0
    # The proven bounds (scheduler.bounds), in summary.json and in the terminal.
    assert summary["requests_core_met"] <= summary["core_met_at_most"] <= summary["requests_core"]
    assert (
        f"proven bounds: core met {summary['requests_core_met']} of at most "
        f"{summary['core_met_at_most']}"
    ) in r.output
    for name in ("timetable.csv", "groups.csv", "requests.csv", "students.xlsx"):
        assert (out / name).exists(), name
    assert_checked(book, out, summary)


def assert_checked(book: Path, out: Path, summary: dict) -> None:
    """``pathways check`` passes the solve in ``out`` and recomputes its objective."""
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
        [
            sys.executable,
            "-m",
            "scheduler.cli",
            "solve",
            str(book),
            "--out",
            str(out),
            "--time-limit",
            "600",
            "--workers",
            "1",
            "--seed",
            "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
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
    _, rest_err = proc.communicate(timeout=120)
    assert proc.returncode == 0, seen + rest_err
    assert "interrupted" in (seen + rest_err)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["interrupted"] is True
    assert summary["requests_core_met"] > 0
    r = runner.invoke(app, ["check", str(book), str(out), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["hard_violations"] == 0


@pytest.mark.parametrize("mode", ["--reproducible", "--free-running"])
def test_reading_the_workbook_comes_out_of_the_time_limit(tmp_path, monkeypatch, mode):
    """--time-limit bounds the whole command: the solve gets what is left after reading,
    measured when free-running (the default), counted by the school's size with
    --reproducible (a measured time would make the limit, and so the timetable, differ
    run to run)."""
    import time

    import scheduler.solver.engine as solve_module
    from scheduler.cli import solve as solve_command
    from scheduler.solution import Solution, Status
    from scheduler.solver.budget import POLICY

    book = tmp_path / "tiny.xlsx"
    assert runner.invoke(app, ["example", "tiny", "--out", str(book)]).exit_code == 0
    read = solve_command.read_school

    def slow_read(path):
        time.sleep(1.0)
        return read(path)

    seen = {}

    def fake_solve(school, opts, progress=True, **_):
        seen["limit"] = opts.time_limit
        seen["students"] = len(school.students)
        seen["deterministic"] = opts.deterministic
        return Solution(groups=(), status=Status.UNKNOWN)

    monkeypatch.setattr(solve_command, "read_school", slow_read)
    monkeypatch.setattr(solve_module, "solve_school", fake_solve)
    runner.invoke(
        app,
        ["solve", str(book), "--out", str(tmp_path / "out"), "--time-limit", "20", "--quiet", mode],
    )
    if mode == "--free-running":
        assert not seen["deterministic"]
        assert 0 < seen["limit"] <= 19.0
    else:
        assert seen["deterministic"] is True
        assert seen["limit"] == pytest.approx(20 - POLICY.reading(seen["students"]))


# --------------------------------------------------------------------------------------
# Nothing lost: no timetable never replaces one; a write is all or nothing
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """The tiny example, a real solution of it (1 s), and a folder holding that solution."""
    from scheduler.solver.engine import SolveOptions, solve_school
    from scheduler.workbook.read import load_school

    tmp = tmp_path_factory.mktemp("solved")
    book = tmp / "tiny.xlsx"
    assert runner.invoke(app, ["example", "tiny", "--out", str(book)]).exit_code == 0
    school, _ = load_school(book)
    solution = solve_school(school, SolveOptions(time_limit=1, seed=1, workers=1), progress=False)
    assert solution.groups
    out = tmp / "out"
    r = runner.invoke(
        app,
        [
            "solve",
            str(book),
            "--out",
            str(out),
            "--time-limit",
            "1",
            "--workers",
            "1",
            "--seed",
            "2",
            "--quiet",
        ],
    )
    assert r.exit_code == 0, r.output
    return book, solution, out


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _previous_result(solved, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(solved[2], out)
    return out


def _solve_returns(monkeypatch, result) -> None:
    import scheduler.solver.engine as solve_module

    def fake_solve(school, opts, progress=True, **_):
        if isinstance(result, BaseException):
            raise result
        return result

    monkeypatch.setattr(solve_module, "solve_school", fake_solve)


@pytest.mark.parametrize(
    "interrupted, status, code",
    [
        (True, "unknown", 130),  # Ctrl-C before the first timetable
        (False, "unknown", 1),  # none found in the time
        (False, "infeasible", 1),
    ],
)
def test_no_timetable_never_replaces_a_result(
    solved, tmp_path, monkeypatch, interrupted, status, code
):
    from scheduler.solution import Solution, Status

    out = _previous_result(solved, tmp_path)
    before = _hashes(out)
    _solve_returns(
        monkeypatch,
        Solution(
            groups=(),
            status=Status(status),
            interrupted=interrupted,
            stats={"explanation": ["Rooms: too few labs"]},
        ),
    )
    r = runner.invoke(app, ["solve", str(solved[0]), "--out", str(out), "--quiet"])
    assert r.exit_code == code, r.output
    assert "nothing was written" in r.output and "keeps its previous timetable" in r.output
    assert "too few labs" in r.output
    assert _hashes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_no_timetable_writes_no_folder(solved, tmp_path, monkeypatch):
    from scheduler.solution import Solution, Status

    _solve_returns(monkeypatch, Solution(groups=(), status=Status.INFEASIBLE))
    out = tmp_path / "out"
    r = runner.invoke(app, ["solve", str(solved[0]), "--out", str(out), "--quiet"])
    assert (
        r.exit_code == 1
        and "no timetable was found (infeasible); nothing was written"
        in r.output.replace("\n", " ")
    )
    assert not out.exists()


def test_ctrl_c_while_building_keeps_the_result(solved, tmp_path, monkeypatch):
    out = _previous_result(solved, tmp_path)
    before = _hashes(out)
    _solve_returns(monkeypatch, KeyboardInterrupt())
    r = runner.invoke(app, ["solve", str(solved[0]), "--out", str(out), "--quiet"])
    assert r.exit_code == 130, r.output
    assert "keeps its previous timetable" in r.output
    assert _hashes(out) == before


def test_ctrl_c_while_writing_lets_the_write_finish(solved, tmp_path, monkeypatch):
    """The solve took minutes; its write takes seconds: Ctrl-C waits for it, then stops."""
    from scheduler.outputs import write as outputs_write

    out = _previous_result(solved, tmp_path)
    before = _hashes(out)
    # Told apart from the previous result by its summary (the two solves' timetables may
    # be the same: each tries several seeds and keeps the best).
    _solve_returns(monkeypatch, replace(solved[1], stats={**solved[1].stats, "new_solve": 1}))
    real_write = outputs_write.write_outputs

    def write_with_ctrl_c(school, solution, outdir, *also):
        os.kill(os.getpid(), signal.SIGINT)
        real_write(school, solution, outdir, *also)

    monkeypatch.setattr(outputs_write, "write_outputs", write_with_ctrl_c)
    r = runner.invoke(app, ["solve", str(solved[0]), "--out", str(out), "--quiet"])
    assert r.exit_code == 130, r.output
    assert "the timetable was written first" in r.output
    after = _hashes(out)
    assert after.keys() == before.keys() and after["summary.json"] != before["summary.json"]
    r = runner.invoke(app, ["check", str(solved[0]), str(out)])
    assert r.exit_code == 0, r.output


def test_the_result_line_is_not_broken_when_not_a_terminal(solved, tmp_path, monkeypatch):
    out = tmp_path / ("a-folder-with-a-rather-long-name-" * 3) / "timetable-out"
    _solve_returns(monkeypatch, solved[1])
    r = runner.invoke(app, ["solve", str(solved[0]), "--out", str(out), "--quiet"])
    assert r.exit_code == 0, r.output
    line = next(x for x in r.output.splitlines() if x.startswith("feasible"))
    assert line.endswith(f"-> {out}"), r.output


def test_check_finishes_a_switch_stopped_between_its_renames(solved, tmp_path):
    """A kill between `DIR -> .DIR.old-*` and `.DIR.new-* -> DIR` left no DIR at all."""
    from scheduler.files.atomic import MARKER

    out = _previous_result(solved, tmp_path)
    before = _hashes(out)
    os.rename(out, tmp_path / ".out.old-0123abcd")
    new = tmp_path / ".out.new-0123abcd"
    shutil.copytree(solved[2], new)
    (new / MARKER).write_text("complete\n")
    r = runner.invoke(app, ["check", str(solved[0]), str(out)])
    assert r.exit_code == 0, r.output
    assert "was stopped part way" in r.output
    assert _hashes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_out_must_be_a_folder_of_its_own(solved, tmp_path, monkeypatch):
    _solve_returns(monkeypatch, AssertionError("must not solve"))
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    r = runner.invoke(app, ["solve", str(solved[0]), "--out", str(a_file)])
    assert r.exit_code == 2 and "is a file, not a folder" in r.output
    assert a_file.read_text() == "mine"
    monkeypatch.chdir(tmp_path)
    for here in (".", str(tmp_path.parent)):
        r = runner.invoke(app, ["solve", str(solved[0]), "--out", here])
        assert r.exit_code == 2 and "current folder" in r.output, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


# --------------------------------------------------------------------------------------
# Command-line values
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "option, value",
    [
        ("--time-limit", "0"),
        ("--time-limit", "-5"),
        ("--time-limit", "nan"),
        ("--time-limit", "inf"),
        ("--time-limit", "-inf"),
        ("--time-limit", "604801"),
        ("--workers", "0"),
        ("--workers", "65"),
        ("--workers", "1000000000000"),
        ("--seed", "-1"),
        ("--seed", "2147483648"),
    ],
)
def test_out_of_range_numbers_are_refused_before_anything_is_read(
    solved, tmp_path, monkeypatch, option, value
):
    from scheduler.cli import solve as solve_command

    _solve_returns(monkeypatch, AssertionError("must not solve"))
    monkeypatch.setattr(
        solve_command, "read_school", lambda school: pytest.fail("read the workbook")
    )
    out = tmp_path / "out"
    r = runner.invoke(app, ["solve", str(solved[0]), "--out", str(out), option, value])
    assert r.exit_code == 2, r.output
    assert f"error {option} {value}" in r.output and "expected" in r.output
    assert "Traceback" not in r.output and not out.exists()


def _settings_book(tmp_path: Path, **settings) -> Path:
    from tests.workbook_fixtures import tiny_tables, write

    tables = tiny_tables()
    tables["Settings"] = [{"key": k, "value": v} for k, v in settings.items()]
    if not settings:
        del tables["Settings"]
    return write(tables, tmp_path / "school")


def test_settings_numbers_out_of_range_end_in_a_message(tmp_path, monkeypatch):
    """Reading the workbook refuses them; the command line checks the merged values too."""
    _solve_returns(monkeypatch, AssertionError("must not solve"))
    book = _settings_book(tmp_path, workers=10**12, seed=10**12)
    r = runner.invoke(app, ["solve", str(book), "--out", str(tmp_path / "out")])
    assert r.exit_code == 2, r.output
    assert "workers" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "settings, cli_args, expected",
    [
        ({}, [], (60.0, 0, 2)),  # defaults
        ({"time_limit_s": 10, "seed": 7, "workers": 1}, [], (10.0, 7, 1)),  # Settings
        (
            {"time_limit_s": 10, "seed": 7, "workers": 1},
            ["--time-limit", "5", "--seed", "3", "--workers", "2"],
            (5.0, 3, 2),
        ),  # command line
    ],
)
def test_command_line_then_settings_then_defaults(
    tmp_path, monkeypatch, settings, cli_args, expected
):
    import scheduler.solver.engine as solve_module
    from scheduler.solution import Solution, Status

    seen = {}

    def fake_solve(school, opts, progress=True, **_):
        seen.update(limit=opts.time_limit, seed=opts.seed, workers=opts.workers)
        return Solution(groups=(), status=Status.UNKNOWN)

    monkeypatch.setattr(solve_module, "solve_school", fake_solve)
    book = _settings_book(tmp_path, **settings)
    runner.invoke(app, ["solve", str(book), "--out", str(tmp_path / "out"), *cli_args])
    limit, seed, workers = expected
    assert (seen["seed"], seen["workers"]) == (seed, workers)
    assert limit - 3 < seen["limit"] <= limit


def test_example_never_replaces_school_xlsx_unasked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["example", "tiny"])
    assert r.exit_code == 0 and (tmp_path / "school.xlsx").exists(), r.output
    (tmp_path / "school.xlsx").write_bytes(b"my own school")
    r = runner.invoke(app, ["example", "tiny"])
    assert r.exit_code == 2 and "already exists" in r.output and "--force" in r.output
    assert (tmp_path / "school.xlsx").read_bytes() == b"my own school"
    r = runner.invoke(app, ["example", "tiny", "--force"])
    assert r.exit_code == 0 and "replaced" in r.output
    assert (tmp_path / "school.xlsx").read_bytes() != b"my own school"
    r = runner.invoke(app, ["example", "tiny", "--students", "50001", "--out", "big.xlsx"])
    assert r.exit_code == 2 and not (tmp_path / "big.xlsx").exists()


@pytest.mark.parametrize(
    "option, value",
    [("--time-limit", "nan"), ("--time-limit", "inf"), ("--workers", "65"), ("--seed", "-1")],
)
def test_scenario_numbers_are_checked_alike(tmp_path, option, value):
    scen = tmp_path / "s.yaml"
    scen.write_text("base: {example: tiny}\nscenarios:\n  - name: X\n    changes: []\n")
    r = runner.invoke(
        app, ["scenario", "run", str(scen), "--out", str(tmp_path / "o"), option, value]
    )
    assert r.exit_code == 2 and f"{option} {value}" in r.output, r.output
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    "option, value",
    [
        ("--solve-limit", "0"),
        ("--solve-limit", "0.5"),
        ("--solve-limit", "nan"),
        ("--solve-limit", "inf"),
        ("--solve-limit", "1e9"),
        ("--workers", "0"),
        ("--seed", "-1"),
    ],
)
def test_explain_numbers_are_named_by_their_options(tmp_path, option, value):
    """explain's solve limit is --solve-limit, never the model's time_limit; every number is
    refused before the workbook is read (there is none here), with exit 2."""
    missing = tmp_path / "no-such-school.xlsx"
    r = runner.invoke(app, ["explain", str(missing), option, value])
    assert r.exit_code == 2, r.output
    assert option in r.output and "time_limit" not in r.output, r.output
    assert "Traceback" not in r.output and "no-such-school" not in r.output


@pytest.mark.parametrize(
    "key, option, bound",
    [
        ("time_limit_s", "time_limit", "TIME_LIMIT_MAX_S"),
        ("seed", "seed", "SEED_MAX"),
        ("workers", "workers", "WORKERS_MAX"),
    ],
)
def test_command_line_and_settings_share_one_set_of_bounds(tmp_path, key, option, bound):
    """The bounds live in scheduler.model: the command line's check and the Settings reader
    accept the same largest value and refuse the next one."""
    from scheduler import model
    from scheduler.cli import number_problems
    from scheduler.workbook.problems import InputError
    from scheduler.workbook.read import load_school

    top = getattr(model, bound)
    assert number_problems(**{option: top}) == []
    assert number_problems(**{option: top + 1})
    load_school(_settings_book(tmp_path / "in", **{key: top}))
    with pytest.raises(InputError) as err:
        load_school(_settings_book(tmp_path / "out", **{key: top + 1}))
    assert [f"{key} {top + 1} is more than {top}" in str(p) for p in err.value.problems] == [True]
    # jobs (solves at once) is bounded as workers are.
    assert number_problems(jobs=model.WORKERS_MAX) == [] and number_problems(
        jobs=model.WORKERS_MAX + 1
    )
