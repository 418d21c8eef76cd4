"""The solve's first timetables alone, several seeds per school: how good a greedy first
timetable is (lessons placed greedily, then students), to compare commits without a
whole solve's timing moving what comes after.

    python bench/first_timetables.py BOOK [BOOK ...] [--samples 4] [--first-sample 0]
        [--time-limit 120]

For each workbook, the plain plan's first timetables of N sample indices from
``--first-sample`` (as the solve makes them: ``engine._sample`` with a full staffing, the
counted clock of ``--reproducible --no-wall-guard``, seed 1, two workers): each one's
objective, core and option requests unmet, and the groups its greedy placement left out;
then the median and minimum objective. The same on any machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from constraints.travel import multi_site
from scheduler.api import load_school
from scheduler.plan import plan_groups
from scheduler.solution import RequestStatus
from scheduler.solver import engine
from scheduler.solver.budget import Clock
from scheduler.solver.engine import Progress, Run, SolveOptions, SolveStats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("book", nargs="+")
    ap.add_argument("--samples", type=int, default=4)
    ap.add_argument("--first-sample", type=int, default=0)
    ap.add_argument("--time-limit", type=float, default=120.0)
    args = ap.parse_args()
    for book in args.book:
        school = load_school(book)
        opts = SolveOptions(
            time_limit=args.time_limit, seed=1, deterministic=True, wall_guard=False
        )
        planned = plan_groups(school, opts.slack_for(school))
        values = []
        for index in range(args.first_sample, args.first_sample + args.samples):
            clock = Clock(opts.time_limit, True, interleave=opts.workers > 1, guard=False)
            engine.CLOCK[0] = clock
            run = Run(
                school,
                opts,
                Progress(False, clock.started, 1),
                clock.started,
                clock.started + opts.time_limit,
                [False],
                multi_site(school),
            )
            stats = SolveStats()
            _, sample = engine._sample(run, planned, opts.seed, index, stats, True)
            first = sample[0][0] if sample and sample[0] else None
            if first is None:
                print(f"{Path(book).name} sample {index}: no first timetable", flush=True)
                continue
            values.append(first.objective)
            unmet = {"core": 0, "option": 0}
            for o in first.outcomes:
                if o.type in unmet and o.status is RequestStatus.UNMET:
                    unmet[o.type] += 1
            print(
                f"{Path(book).name} sample {index}: objective {first.objective:,.0f}, "
                f"unmet core {unmet['core']} options {unmet['option']}, "
                f"greedy placed {stats.get('first_greedy_placed')}, "
                f"counted {clock.counted:.1f} s",
                flush=True,
            )
        if values:
            print(
                f"{Path(book).name}: median {statistics.median(values):,.0f}, "
                f"min {min(values):,.0f} over {len(values)}",
                flush=True,
            )


if __name__ == "__main__":
    main()
