"""One seed, one timetable: the same workbook and seed give a byte-identical
timetable.csv, run after run, with ``--workers 1`` and with ``--reproducible`` at the
default two workers (CP-SAT interleaves its subsolvers and the phases count deterministic
time; issues 12 and 18; scheduler/solver/budget.py says how and why that is not the
default).

Each solve is its own process, as a user runs it, with a different PYTHONHASHSEED each
time (Python's per-process order of sets of strings once changed the timetable), on a
school large enough that its phases decide by the time they have left.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def _run(*args: str, hash_seed: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.run(
        [sys.executable, "-m", "scheduler.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize(
    "workers",
    [("--workers", "1"), ("--reproducible",), ("--reproducible", "--no-wall-guard")],
    ids=["one worker", "two workers reproducible", "two workers, no wall guard"],
)
def test_same_seed_gives_the_same_timetable(tmp_path: Path, workers: tuple[str, ...]) -> None:
    book = tmp_path / "school.xlsx"
    made = _run(
        "example",
        "stage-not-age",
        "--students",
        "150",
        "--seed",
        "2",
        "--out",
        str(book),
        hash_seed="0",
    )
    assert made.returncode == 0, made.stderr
    digests = []
    decided = False
    # The wall-guarded case at 12 s skipped itself (the wall decided) in 3 of 6 CI runs,
    # at 20 s in none seen: it keeps 20 s (BENCHMARKS.md, twenty-third session).
    limit = "20" if workers == ("--reproducible",) else "12"
    for k, hash_seed in enumerate(("1", "2")):
        out = tmp_path / f"out{k}"
        solved = _run(
            "solve",
            str(book),
            "--out",
            str(out),
            "--time-limit",
            limit,
            *workers,
            "--seed",
            "5",
            "--quiet",
            hash_seed=hash_seed,
        )
        assert solved.returncode == 0, solved.stderr
        checked = _run("check", str(book), str(out), hash_seed="0")
        assert checked.returncode == 0, checked.stdout
        digests.append(hashlib.sha256((out / "timetable.csv").read_bytes()).hexdigest())
        # The solve reports whether the wall guard ever decided (it may, on a loaded
        # machine, without changing the timetable).
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        assert isinstance(summary["clock_wall_decided"], bool)
        decided = decided or summary["clock_wall_decided"]
    if "--no-wall-guard" in workers:
        assert not decided  # the count alone decided, however busy the machine
    elif decided and digests[0] != digests[1]:
        # The solve says so itself: the machine was too busy for the count to keep up.
        pytest.skip("the wall clock decided (machine far busier than the reference)")
    assert digests[0] == digests[1]


def test_free_running_solves_and_says_the_wall_decided(tmp_path: Path) -> None:
    """``--free-running`` (the default with several workers, said outright: the wall clock
    decides, the threads share solutions) writes a checked timetable; its summary has no
    ``clock_wall_decided`` (every decision was the wall's)."""
    book = tmp_path / "school.xlsx"
    assert _run("example", "tiny", "--out", str(book), hash_seed="0").returncode == 0
    out = tmp_path / "out"
    solved = _run(
        "solve",
        str(book),
        "--out",
        str(out),
        "--time-limit",
        "10",
        "--free-running",
        "--quiet",
        hash_seed="0",
    )
    assert solved.returncode == 0, solved.stderr
    assert _run("check", str(book), str(out), hash_seed="0").returncode == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert "clock_wall_decided" not in summary
