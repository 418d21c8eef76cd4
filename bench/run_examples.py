"""Benchmark: solve the example schools at several sizes and record the figures.

    python bench/run_examples.py --example all-through --students 300 1000 --time-limit 60

Prints one Markdown table row per run (build time, time to first feasible, core met %,
options met %, first choices met %, students fully satisfied %, peak memory, checker
violations) for BENCHMARKS.md. Each run is a separate `pathways solve` process, so peak
memory is that process's own.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(example: str, students: int, limit: float, workers: int, seed: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "school.xlsx"
        out = Path(tmp) / "out"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "scheduler.cli",
                "example",
                example,
                "--out",
                str(book),
                "--students",
                str(students),
                "--seed",
                str(seed),
            ],
            check=True,
            capture_output=True,
        )
        started = time.monotonic()
        err = Path(tmp) / "stderr.txt"
        with err.open("w") as err_file:
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
                    str(limit),
                    "--workers",
                    str(workers),
                    "--seed",
                    str(seed),
                    "--quiet",
                ],
                stdout=subprocess.DEVNULL,
                stderr=err_file,
            )
            # This child's own peak memory (RUSAGE_CHILDREN would give the largest of every
            # run so far: a small run after a large one showed the large one's peak).
            _, _, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - started
        peak = usage.ru_maxrss / 1024
        if not (out / "summary.json").exists():
            return f"| {example} | {students} | {limit:.0f} | failed: {err.read_text().strip()[-200:]} |"
        s = json.loads((out / "summary.json").read_text())
        keep = Path(f"/tmp/bench-{example}-{students}-{limit:.0f}.json")
        keep.write_text(json.dumps(s, indent=1))  # the whole summary, for reading later
        check = subprocess.run(
            [sys.executable, "-m", "scheduler.cli", "check", str(book), str(out), "--json"],
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            violations = json.loads(check.stdout)["hard_violations"]
        except (json.JSONDecodeError, KeyError):
            violations = "?"
        build = s.get("timetable_build_s", 0) + s.get("section_build_s", 0)
        return (
            f"| {example} | {students} | {limit:.0f} | {wall:.0f} | {build:.1f} | "
            f"{s.get('time_to_first_s', '-')} | {s.get('core_met_pct', 0):.1f} | "
            f"{s.get('options_met_pct', 0) or 0:.1f} | {s.get('first_choice_met_pct', 0) or 0:.1f} | "
            f"{s.get('students_fully_satisfied_pct', 0) or 0:.1f} | {peak:.0f} | {violations} | "
            f"{s.get('timetable_status', '')}/{s.get('section_status', '')} |"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--example", default="all-through")
    ap.add_argument("--students", type=int, nargs="+", default=[300])
    ap.add_argument("--time-limit", type=float, nargs="+", default=[60])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    print(
        "| example | students | limit s | wall s | build s | first feasible s | core % | options % "
        "| first choice % | fully satisfied % | peak MB | check violations | phases |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in a.students:
        for limit in a.time_limit:
            print(run(a.example, n, limit, a.workers, a.seed), flush=True)


if __name__ == "__main__":
    main()
