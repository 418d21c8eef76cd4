"""One ``pathways`` command as a child process, for the benchmarks that time solves
(bench/run_examples.py, bench/run_varied.py).

:func:`timed_solve` runs ``python -m scheduler.cli solve`` and reads that process's own
wall time and peak memory (``os.wait4``: ``RUSAGE_CHILDREN`` would give the largest of
every run so far, so a small run after a large one showed the large one's peak);
:func:`hard_violations` asks ``pathways check --json`` what the checker found.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path


def pathways(*args: str) -> list[str]:
    """The command line of ``pathways ARGS`` run by this Python."""
    return [sys.executable, "-m", "scheduler.cli", *args]


def timed_solve(
    book: Path,
    out: Path,
    limit: float,
    workers: int,
    seed: int,
    log: Path,
    kill_after: float | None = None,
    extra: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> tuple[float, float, int]:
    """Solve ``book`` into ``out`` in a child process, its stderr into ``log``; (wall s,
    peak MB, exit code). ``kill_after`` seconds: a solve still running then is stopped
    (and reported by its exit code) rather than left running. ``extra``: more options for
    the solve; ``env``: its environment (default: this process's)."""
    argv = pathways(
        "solve",
        str(book),
        "--out",
        str(out),
        "--time-limit",
        f"{limit:g}",
        "--workers",
        str(workers),
        "--seed",
        str(seed),
        "--quiet",
        *extra,
    )
    started = time.monotonic()
    with log.open("w") as err:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env)
        guard = threading.Timer(kill_after, proc.kill) if kill_after is not None else None
        if guard is not None:
            guard.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            if guard is not None:
                guard.cancel()
    return time.monotonic() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def hard_violations(book: Path, out: Path) -> int | str:
    """The checker's count of hard violations of the timetable in ``out`` ("?" when
    ``pathways check`` gave no report)."""
    proc = subprocess.run(
        pathways("check", str(book), str(out), "--json"),
        check=False,
        capture_output=True,
        text=True,
    )
    try:
        return int(json.loads(proc.stdout)["hard_violations"])
    except (json.JSONDecodeError, KeyError, TypeError, ValueError):
        return "?"
