"""Time the greedy lesson placement (with its sweeps) on one workbook, and fingerprint it.

    python bench/time_greedy.py BOOK [BOOK ...] [--repeat 2]

For each workbook: plans the groups, staffs them (one worker, 10 counted seconds, so the
same staffing on any machine), builds the first timetable's model of
the hard rules and times ``greedy_lessons`` with ``SWEEPS`` sweeps. Run it in two
worktrees to compare commits: the fingerprint (a hash of the placement) says whether
they place the same.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scheduler.plan import plan_groups, tentative_sections
from scheduler.solver.budget import Clock
from scheduler.solver.lesson_greedy import SWEEPS, greedy_lessons
from scheduler.solver.staffing import assign_staff
from scheduler.workbook.read import load_school
from tests.solver_schools import timetable_model


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("book", nargs="+")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    for book in args.book:
        school, _ = load_school(book)
        planned = plan_groups(school, 0.9)
        clock = Clock(limit=10, deterministic=True, guard=False)
        staffing = assign_staff(school, planned, 10, 1, 1, clock=clock)
        planned = tuple(g for g in planned if g.id in staffing.staff_of)
        tm = timetable_model(school, planned, staffing.staff_of, tentative={})
        tentative = tentative_sections(school, planned)
        for _ in range(args.repeat):
            began = time.perf_counter()
            runs = greedy_lessons(tm, tentative, sweeps=SWEEPS)
            took = time.perf_counter() - began
            mark = hashlib.sha256(repr(sorted(runs.items())).encode()).hexdigest()[:12]
            print(
                f"{Path(book).name}: {took:.2f} s, {len(runs)} of {len(planned)} groups "
                f"placed, placement {mark}",
                flush=True,
            )


if __name__ == "__main__":
    main()
