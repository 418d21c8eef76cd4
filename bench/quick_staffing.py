"""Time a first timetable's quick staffing on one workbook at several limits.

    python bench/quick_staffing.py BOOK [--limits 2.4 6 8 10] [--seed 1]

Plans the groups as the solve does (``plan.choose_slack``) and runs
``assign_staff(..., quick=True)`` on the wall clock, two workers, once per limit: whether
it answered or was cut short (the solve then staffs again with the whole time), its wall
seconds, and the groups left unstaffed (needed ones: not spare). The measurement behind
``TimePolicy.first_staffing_s_per_group`` (BENCHMARKS.md, thirty-eighth session).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scheduler.api import load_school
from scheduler.plan import choose_slack, plan_groups
from scheduler.solver.staffing import assign_staff


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("book")
    ap.add_argument("--limits", type=float, nargs="+", default=[2.4, 6.0, 8.0, 10.0])
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    school = load_school(args.book)
    planned = plan_groups(school, choose_slack(school))
    spare = {g.id for g in planned if g.spare}
    print(f"{args.book}: {len(planned)} planned groups, {len(spare)} spare")
    for limit in args.limits:
        began = time.monotonic()
        staffing = assign_staff(school, planned, limit, args.seed, 2, None, quick=True)
        wall = time.monotonic() - began
        if staffing.timed_out:
            print(f"  {limit:5.1f} s: cut short after {wall:.1f} s")
            continue
        needed = [g for g in staffing.unstaffed if g not in spare]
        print(
            f"  {limit:5.1f} s: answered in {wall:.1f} s, {len(staffing.unstaffed)} groups "
            f"unstaffed ({len(needed)} needed)"
        )


if __name__ == "__main__":
    main()
