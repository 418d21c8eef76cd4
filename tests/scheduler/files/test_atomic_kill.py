"""``kill -9`` a real ``pathways solve`` while it writes over an earlier result: the folder
always passes ``pathways check`` and is entirely the old result or entirely the new one.

The experiment is bench/kill_during_write.py's (50 moments on 1,000 students there, in
BENCHMARKS.md); here on the tiny example: a kill at every step of the write in turn (the
test hook kills the process itself with SIGKILL at its N-th step; one step in two while
the files are being written), and a few kills from outside at random moments. About 35 s: each moment is a solve of its own.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

from typer.testing import CliRunner

from scheduler.cli import app

runner = CliRunner()
BENCH = Path(__file__).resolve().parents[3] / "bench" / "kill_during_write.py"


def _bench():
    spec = importlib.util.spec_from_file_location("kill_during_write", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _check(book: Path, out: Path) -> tuple[int, str]:
    r = runner.invoke(app, ["check", str(book), str(out)])
    return r.exit_code, r.output


def test_kill_9_at_any_moment_of_the_write_leaves_the_old_or_the_new_result(tmp_path):
    kd = _bench()
    book = tmp_path / "tiny.xlsx"
    assert runner.invoke(app, ["example", "tiny", "--out", str(book)]).exit_code == 0
    common = ["--time-limit", "1", "--workers", "1"]
    exp = kd.prepare(book, tmp_path, [*common, "--seed", "1"], [*common, "--seed", "2"], pause=0.05)
    outcomes = []
    step = 1
    while step < 40:  # the steps of the write, until the last one
        o = kd.moment(exp, step, kill_at_step=step, check=_check)
        if o is None:
            break
        outcomes.append(o)
        if o.phase == "before or after the write":
            break  # killed after the last step
        # Every step of writing the files leaves the same state: one in two is enough.
        step += 2 if o.phase == "writing the new folder" else 1
    # And kill -9 from outside, at a random moment of a write that pauses at each step.
    rng = random.Random(7)
    for i in range(2):
        o = kd.moment(exp, 100 + i, delay=rng.uniform(0, exp.write_s), check=_check)
        if o is not None:
            outcomes.append(o)
    report = "\n".join(f"{o.how}: {o.phase} -> {o.state} (check {o.check})" for o in outcomes)
    assert all(kd.ok(o) for o in outcomes), report
    assert len(outcomes) >= 10, report
    phases = {o.phase for o in outcomes}
    for phase in (
        "writing the new folder",
        "new folder complete, not switched",
        "between the two renames",
        "new in place, old not yet deleted",
    ):
        assert phase in phases, report
    assert {o.state for o in outcomes} == {"old", "new"}, report
