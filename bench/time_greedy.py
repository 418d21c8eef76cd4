"""Time the greedy lesson placement (with its sweeps) on one workbook, and fingerprint it.

    python bench/time_greedy.py BOOK [--repeat 2]

Plans the groups, staffs them (one worker, 10 s), builds the first timetable's model of
the hard rules and times ``greedy_lessons`` with ``SWEEPS`` sweeps. Run it in two
worktrees to compare commits: the fingerprint (a hash of the placement) says whether
they place the same. The staffing is wall-clock limited, so compare within one machine
and check that both print the same number of groups placed.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scheduler.plan import plan_groups, tentative_sections
from scheduler.solver.lesson_greedy import SWEEPS, greedy_lessons
from scheduler.solver.staffing import assign_staff
from scheduler.workbook.read import load_school
from tests.solver_schools import timetable_model


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("book")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    school, _ = load_school(args.book)
    planned = plan_groups(school, 0.9)
    staffing = assign_staff(school, planned, 10, 1, 1)
    planned = tuple(g for g in planned if g.id in staffing.staff_of)
    tm = timetable_model(school, planned, staffing.staff_of, tentative={})
    tentative = tentative_sections(school, planned)
    for _ in range(args.repeat):
        began = time.perf_counter()
        runs = greedy_lessons(tm, tentative, sweeps=SWEEPS)
        took = time.perf_counter() - began
        mark = hashlib.sha256(repr(sorted(runs.items())).encode()).hexdigest()[:12]
        print(f"{took:.2f} s, {len(runs)} of {len(planned)} groups placed, placement {mark}")


if __name__ == "__main__":
    main()
