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
import subprocess
import tempfile
from pathlib import Path

from solve_process import hard_violations, pathways, timed_solve


def run(example: str, students: int, limit: float, workers: int, seed: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "school.xlsx"
        out = Path(tmp) / "out"
        subprocess.run(
            pathways(
                "example",
                example,
                "--out",
                str(book),
                "--students",
                str(students),
                "--seed",
                str(seed),
            ),
            check=True,
            capture_output=True,
        )
        err = Path(tmp) / "stderr.txt"
        wall, peak, _ = timed_solve(book, out, limit, workers, seed, err)
        if not (out / "summary.json").exists():
            return f"| {example} | {students} | {limit:.0f} | failed: {err.read_text().strip()[-200:]} |"
        s = json.loads((out / "summary.json").read_text())
        keep = Path(f"/tmp/bench-{example}-{students}-{limit:.0f}.json")
        keep.write_text(json.dumps(s, indent=1))  # the whole summary, for reading later
        violations = hard_violations(book, out)
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
