"""A school made infeasible on purpose, for timing ``pathways explain`` (BENCHMARKS.md).

The all-through example (600 students by default) with ZCL, one of the three staff the
key-stage-3 project (PRJ-KS3: 3 staff at once, one 3-period block) needs, unavailable at
periods 3 and 6 of every day, so that the three are never free for 3 periods in a row.
`pathways validate` accepts it; the solve can place neither PRJ-KS3 group.

    python bench/break_for_explain.py OUT.xlsx [--students N]
    pathways explain OUT.xlsx
"""

from __future__ import annotations

import argparse

from examples.generator import generate
from scheduler.scenarios.transforms import apply_change
from scheduler.workbook.tables import write_tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--students", type=int, default=600)
    args = parser.parse_args()
    tables = generate("all-through", students=args.students, seed=0)
    busy = ", ".join(f"{d} {p}" for d in ("Mon", "Tue", "Wed", "Thu", "Fri") for p in (3, 6))
    tables = apply_change(
        tables,
        "set",
        {"sheet": "Staff", "where": {"staff": "ZCL"}, "values": {"unavailable": busy}},
    )
    print(write_tables(tables, args.out))


if __name__ == "__main__":
    main()
