"""Calibrate the counted clock (scheduler/solver/budget.py) against the wall, by kind of work.

    python bench/clock_calibration.py SCHOOL.xlsx ... [--varied 2 6 11] [--time-limit auto|S]
        [--workers 2] [--no-wall-guard] [--out DIR]

Each school is solved with ``--reproducible`` (the counted clock decides) and
``PATHWAYS_CLOCK_TRACE=1``, which prints one line per charge: its kind, what it counted,
and the wall since the solve began. The wall a charge stands for is the wall since the
line before it (work the clock does not count, such as planning or the checker, is so
put on the next charge: the count must keep up with all of the wall, not only with what
it names). Per kind: how many, counted s, wall s, wall per counted s (1.0 is right;
above 1 the count runs behind the wall, below it runs ahead and the solve ends early and
makes fewer first timetables), and for searches the deterministic time per wall second
(from CP-SAT's own wall time for its searches; budget.RATES_INTERLEAVED should hold it,
by model size). Then per school: counted and wall at the last charge, the solve's wall
and peak memory.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_varied import auto_limit
from solve_process import timed_solve
from varied_schools import make_school

LINE = re.compile(
    r"CLOCK kind=(?P<kind>\S+) charged=(?P<charged>[\d.]+) counted=(?P<counted>[\d.]+) "
    r"wall=(?P<wall>[\d.]+)(?: det=(?P<det>[\d.]+) search_wall=(?P<sw>[\d.]+) size=(?P<size>\d+))?"
)


def parse(trace: str) -> list[dict[str, float | str]]:
    """The trace's charges in order, each with the wall since the one before."""
    rows: list[dict[str, float | str]] = []
    last_wall = 0.0
    for line in trace.splitlines():
        m = LINE.search(line)
        if not m:
            continue
        wall = float(m["wall"])
        rows.append(
            {
                "kind": m["kind"],
                "charged": float(m["charged"]),
                "counted": float(m["counted"]),
                "wall": wall,
                "delta": wall - last_wall,
                "det": float(m["det"]) if m["det"] else -1.0,
                "search_wall": float(m["sw"]) if m["sw"] else 0.0,
                "size": int(m["size"]) if m["size"] else 0,
            }
        )
        last_wall = wall
    return rows


def by_kind(rows: list[dict[str, float | str]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for r in rows:
        k = out[str(r["kind"])]
        k["n"] += 1
        k["charged"] += float(r["charged"])
        k["wall"] += float(r["delta"])
        if float(r["det"]) >= 0:
            k["det"] += float(r["det"])
            k["search_wall"] += float(r["search_wall"])
    return out


def table(kinds: dict[str, dict[str, float]]) -> list[str]:
    lines = [
        "| kind | charges | counted s | wall s | wall per counted s | det per wall s |",
        "|---|---|---|---|---|---|",
    ]
    for kind, k in sorted(kinds.items(), key=lambda kv: -kv[1]["wall"]):
        ratio = k["wall"] / k["charged"] if k["charged"] > 0 else float("nan")
        sw = k["search_wall"]
        rate = f"{k['det'] / sw:.2f}" if k["det"] > 0 and sw > 0 else ""
        lines.append(
            f"| {kind} | {k['n']:.0f} | {k['charged']:.1f} | {k['wall']:.1f} | {ratio:.2f} | {rate} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("schools", nargs="*", type=Path)
    ap.add_argument("--varied", nargs="*", type=int, default=[], help="varied-school seeds")
    ap.add_argument("--time-limit", default="auto")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=None, help="keep the traces and results here")
    ap.add_argument(
        "--no-wall-guard",
        action="store_true",
        help="the count alone decides (the wall guard would cut a count running behind)",
    )
    args = ap.parse_args(argv)
    work = args.out or Path(tempfile.mkdtemp(prefix="clock-"))
    work.mkdir(parents=True, exist_ok=True)
    books: list[tuple[str, Path]] = [(p.stem, p) for p in args.schools]
    for seed in args.varied:
        book = work / f"varied-{seed}.xlsx"
        school = make_school(seed)
        school.write(book)
        books.append((f"varied-{seed}", book))
    every: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    summary = [
        "| school | limit s | counted s at the end | wall s at the end | solve wall s | peak MB |",
        "|---|---|---|---|---|---|",
    ]
    env = {**os.environ, "PATHWAYS_CLOCK_TRACE": "1"}
    for name, book in books:
        students = _students(book)
        limit = auto_limit(students) if args.time_limit == "auto" else float(args.time_limit)
        log = work / f"{name}.trace"
        wall, peak, code = timed_solve(
            book,
            work / name,
            limit,
            args.workers,
            0,
            log,
            extra=("--reproducible", *(("--no-wall-guard",) if args.no_wall_guard else ())),
            env=env,
        )
        rows = parse(log.read_text())
        kinds = by_kind(rows)
        print(f"\n{name} ({students} students, {limit:g} s, exit {code})", flush=True)
        print("\n".join(table(kinds)), flush=True)
        for kind, k in kinds.items():
            for key, v in k.items():
                every[kind][key] += v
        end = rows[-1] if rows else {"counted": 0.0, "wall": 0.0}
        summary.append(
            f"| {name} | {limit:g} | {float(end['counted']):.1f} | {float(end['wall']):.1f} "
            f"| {wall:.1f} | {peak:.0f} |"
        )
    print("\nAll schools together")
    print("\n".join(table(every)))
    print()
    print("\n".join(summary))
    return 0


def _students(book: Path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(book, read_only=True)
    n = sum(1 for row in wb["Students"].iter_rows(min_row=2, values_only=True) if any(row))
    wb.close()
    return n


if __name__ == "__main__":
    raise SystemExit(main())
