"""Profile one solve with cProfile: where the solver's Python time goes.

    python bench/profile_solve.py BOOK --time-limit 30 --out solve.prof
    python -c "import pstats; pstats.Stats('solve.prof').sort_stats('cumulative').print_stats(40)"

Reproducible mode (the counted clock), so the same decisions are profiled on any
machine; profiled seconds are 2-3 times the unprofiled ones.
"""

from __future__ import annotations

import argparse
import cProfile
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scheduler.api import load_school
from scheduler.solver.engine import SolveOptions, solve_school


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("book")
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="solve.prof")
    args = ap.parse_args()
    school = load_school(args.book)
    opts = SolveOptions(
        time_limit=args.time_limit, seed=args.seed, deterministic=True, wall_guard=False
    )
    profile = cProfile.Profile()
    profile.enable()
    solution = solve_school(school, opts, progress=False)
    profile.disable()
    profile.dump_stats(args.out)
    print(
        f"{solution.status.value}: objective {solution.objective}, first timetable at "
        f"{solution.stats.get('time_to_first_s')} s -> {args.out}"
    )


if __name__ == "__main__":
    main()
