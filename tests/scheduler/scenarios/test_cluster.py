"""Scenario sweeps on Dask (issue 17): the same timetables as solving one by one, and
Ctrl-C keeps every finished solve and cancels the rest.

Small on purpose (CI has two cores, shared): the tiny example, a few seconds per solve,
one solver thread each, so that every solve is deterministic (docs/solver.md).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.scenarios.cluster import Progress, lost_message
from scheduler.scenarios.runner import RunOptions, RunResult, prepare_runs, solve_runs
from scheduler.scenarios.spec import load_scenario_file
from tests.scenario_fixtures import TINY_SWEEP, scenario_file

runner = CliRunner()

MORE = """
  - name: Two evening periods
    changes:
      - open_longer: {periods: 2, gap: 10}
"""

#: The files of a timetable; equal bytes, equal timetables.
FILES = ("timetable.csv", "groups.csv", "requests.csv")


def _run(scen: Path, out: Path, *more: str) -> dict[str, object]:
    args = ["scenario", "run", str(scen), "--out", str(out), "--time-limit", "3"]
    r = runner.invoke(app, [*args, "--workers", "1", "--seed", "1", *more])
    assert r.exit_code == 0, r.output
    data: dict[str, object] = json.loads((out / "comparison.json").read_text())
    return data


def _figures(data: dict[str, object]) -> list[dict[str, object]]:
    runs = data["runs"]
    assert isinstance(runs, list)
    return [{k: v for k, v in run.items() if k != "wall_s"} for run in runs]


def test_a_local_cluster_makes_the_timetables_of_solving_one_by_one(tmp_path: Path) -> None:
    """Two worker processes (a LocalCluster) and one solve after another in the command's
    own process give byte-identical timetables and the same figures at the same seed."""
    scen = scenario_file(tmp_path)
    dask_data = _run(scen, tmp_path / "dask", "--jobs", "2")
    here_data = _run(scen, tmp_path / "here", "--jobs", "1")
    assert _figures(dask_data) == _figures(here_data)
    folders = [run["folder"] for run in dask_data["runs"]]  # type: ignore[attr-defined]
    assert folders == ["base", "evening-period", "history-and-geography-online"]
    for folder in folders:
        for name in FILES:
            made = (tmp_path / "dask" / folder / name).read_bytes()
            assert made == (tmp_path / "here" / folder / name).read_bytes(), (folder, name)
        check = json.loads((tmp_path / "dask" / folder / "check.json").read_text())
        assert check["hard_violations"] == 0


def test_ctrl_c_keeps_the_finished_solves_and_cancels_the_rest(tmp_path: Path) -> None:
    """Ctrl-C (a KeyboardInterrupt where the command waits) after the first timetable is
    written: it is kept; the solves not finished are cancelled, none is written later."""
    scen = scenario_file(tmp_path, TINY_SWEEP + MORE)
    out = tmp_path / "out"
    runs = prepare_runs([load_scenario_file(scen)], out, RunOptions(time_limit=3, seed=1))
    assert len(runs) == 4
    seen: list[Progress] = []
    pressed: list[float] = []

    def done(res: RunResult, finished: int, total: int) -> None:
        if not pressed:
            pressed.append(time.monotonic())
            raise KeyboardInterrupt

    results, interrupted = solve_runs(
        runs, out, jobs=2, on_done=done, workers=1, on_progress=seen.append
    )
    assert interrupted
    assert time.monotonic() - pressed[0] < 20  # the running solves were not waited for
    assert 1 <= len(results) < 4
    assert len({r.slug for r in results}) == len(results)
    for res in results:
        assert res.ok, res
        assert (out / res.slug / "check.json").exists()
    time.sleep(4)  # a cancelled solve would have finished by now: nothing more is written
    written = sorted(p.name for p in out.iterdir() if (p / "summary.json").exists())
    assert written == sorted(r.slug for r in results)
    # Progress: done / running / queued, adding up to every solve.
    assert seen and all(p.done + p.running + p.queued == 4 for p in seen)
    assert seen[0].done == 0


@pytest.mark.parametrize(
    ("name", "says"),
    [("KilledWorker", "workers running it died"), ("ModuleNotFoundError", "failed on its worker")],
)
def test_a_lost_solve_becomes_its_scenarios_error(name: str, says: str) -> None:
    exc = type(name, (Exception,), {})("pathways-solve-0")
    assert says in lost_message(exc) and "pathways-solve-0" in lost_message(exc)


SCHOOLS = """
title: Two schools
base: [{example: tiny, seed: 1}, {example: tiny, students: 30}]
scenarios:
  - name: Evening period
    changes:
      - open_longer: {periods: 1, gap: 10}
"""


def test_several_schools_in_one_run_are_compared_school_by_school(tmp_path: Path) -> None:
    """`base: [A, B]`: every scenario is made of each school, solved on the cluster, and
    compared with its own school's base; the comparison keeps each school's runs together."""
    scen = scenario_file(tmp_path, SCHOOLS)
    loaded = load_scenario_file(scen)
    assert [(b.seed, b.students) for b in loaded.bases] == [(1, None), (0, 30)]
    data = _run(scen, tmp_path / "out", "--jobs", "2")
    runs = data["runs"]
    assert isinstance(runs, list)
    assert [(r["scenario"], r["base"]) for r in runs] == [
        ("base (tiny example, seed 1)", "base (tiny example, seed 1)"),
        ("Evening period (tiny example, seed 1)", "base (tiny example, seed 1)"),
        ("base (tiny example, 30 students)", "base (tiny example, 30 students)"),
        ("Evening period (tiny example, 30 students)", "base (tiny example, 30 students)"),
    ]
    assert all(r["check_passes"] for r in runs)
    # Each school's evening is its own school's week and five more periods.
    assert runs[1]["slots"] == runs[0]["slots"] + 5 and runs[3]["slots"] == runs[2]["slots"] + 5
    assert (runs[0]["students"], runs[2]["students"]) == (40, 30)


def test_a_school_named_twice_is_a_mistake(tmp_path: Path) -> None:
    from scheduler.scenarios.spec import ScenarioError

    scen = scenario_file(tmp_path, SCHOOLS.replace("students: 30", "seed: 1"))
    with pytest.raises(ScenarioError, match="a school is named twice"):
        load_scenario_file(scen)


def test_the_portfolio_keeps_the_best_checked_timetable(tmp_path: Path) -> None:
    """`pathways solve --portfolio 2`: two seeds on a LocalCluster, each checked; the
    kept one is written, and it is the best by the checker's score."""
    from scheduler.checker import check_solution
    from scheduler.outputs.read import read_solution
    from scheduler.workbook.read import load_school

    book = tmp_path / "tiny.xlsx"
    assert runner.invoke(app, ["example", "tiny", "--out", str(book)]).exit_code == 0
    out = tmp_path / "out"
    args = ["solve", str(book), "--out", str(out), "--portfolio", "2", "--seed", "4"]
    r = runner.invoke(app, [*args, "--time-limit", "3", "--workers", "1", "--quiet"])
    assert r.exit_code == 0, r.output
    assert "seed 4:" in r.output and "seed 5:" in r.output and "kept seed" in r.output
    school, _ = load_school(book)
    report = check_solution(school, read_solution(out, school))
    assert report.ok
    scores = [float(s.replace(",", "")) for s in re.findall(r"score ([\d,.]+)", r.output)]
    assert len(scores) == 2 and report.objective == pytest.approx(min(scores), abs=1)


def test_which_timetable_the_portfolio_keeps() -> None:
    from scheduler.scenarios.portfolio import Entry, better

    sound, cheaper_broken = Entry(1, score=900.0), Entry(2, score=100.0, hard_violations=1)
    assert better(sound, cheaper_broken) and not better(cheaper_broken, sound)
    assert better(Entry(3, score=500.0), sound)  # then the lower score
    assert better(Entry(0, score=900.0), sound)  # then the first seed


def test_cluster_without_portfolio_is_refused(tmp_path: Path) -> None:
    r = runner.invoke(
        app, ["solve", "x.xlsx", "--out", str(tmp_path / "o"), "--cluster", "tcp://h:8786"]
    )
    assert r.exit_code == 2 and "--cluster needs --portfolio" in r.output
