"""How many groups to plan (issue 12): whole solves at several ``group_slack`` values.

The plan gives a course without a fixed ``sections`` count enough groups to seat its
demand at ``group_slack`` of ``max_size`` (``scheduler.plan.groups_needed``; the solve's
default is ``SolveOptions.group_slack``). A lower slack plans more groups: students get
more choice of times, staffing drops the ones nobody has time for. This script solves
each workbook once per (seed, slack), reproducible and count-decided (the same figures
on a busy machine, so several can run at once), and prints one JSON line each:

    PYTHONHASHSEED=0 python bench/group_slack.py BOOK... --slack 0.9 0.8 --seeds 1 2 \\
        --time-limit 120 > rows.jsonl

Every timetable is judged by the independent checker (``hard`` is its count of hard
violations; it must be 0). ``peak_mb`` is the process's peak so far: give one book, seed
and slack per run for each solve's own peak.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scheduler.api import load_school
from scheduler.checker import check_solution
from scheduler.score import figures
from scheduler.solver.engine import SolveOptions, solve_school


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("books", nargs="+")
    ap.add_argument("--slack", type=float, nargs="+", default=[0.9, 0.8])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1])
    ap.add_argument("--time-limit", type=float, default=120.0)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    for book in args.books:
        school = load_school(book)
        for seed in args.seeds:
            for slack in args.slack:
                opts = SolveOptions(
                    time_limit=args.time_limit,
                    seed=seed,
                    workers=args.workers,
                    deterministic=True,
                    wall_guard=False,
                    group_slack=slack,
                )
                solution = solve_school(school, opts, progress=False)
                row = {"book": Path(book).name, "seed": seed, "slack": slack}
                if solution.groups:
                    f = figures(school, solution).as_dict()
                    row.update(
                        objective=solution.objective,
                        core=f["core_met_pct"],
                        options=f["options_met_pct"],
                        hard=len(check_solution(school, solution).hard_violations),
                    )
                row.update(
                    status=solution.status.value,
                    planned=solution.stats.get("groups_planned"),
                    unstaffed=len(solution.stats.get("groups_unstaffed") or ()),
                    first_s=solution.stats.get("time_to_first_s"),
                    wall_s=solution.wall_s,
                    peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                )
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
