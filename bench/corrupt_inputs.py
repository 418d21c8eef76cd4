"""Benchmark: corrupt inputs end in a clear message or a checked timetable, never a traceback.

    python bench/corrupt_inputs.py --workbooks 2000 --command-lines 500

Workbooks: the tiny school of tests/workbook_fixtures.py with one to four random
corruptions each (seeds 0..N-1, written as CSV or .xlsx, one in twelve files damaged
too), through ``pathways validate`` (``--json`` for even seeds: every error must name
its sheet, row and column and say what was expected); a workbook that validates is
solved (``--time-limit 5 --workers 1``) and its timetable must pass ``pathways check``.
Command lines: ``solve``, ``validate``, ``check`` and ``example`` with wrong time
limits, workers, seeds, paths and flags now and then; each must end in a message or a
checked timetable and leave the school's workbook as it was.

Everything runs in this process through typer's CliRunner, so an exception anywhere is
caught and counted. Prints the counts as Markdown for BENCHMARKS.md; exits 1 when any
run failed.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.workbook_fixtures import (
    Failure,
    corrupt_command_line,
    corrupt_workbook,
    judge_command_line,
    judge_solve,
    judge_validate,
    tiny_tables,
    write,
)


def workbooks(n: int, first: int, base: Path) -> tuple[Counter[str], list[str]]:
    counts: Counter[str] = Counter()
    failures: list[str] = []
    for seed in range(first, first + n):
        with tempfile.TemporaryDirectory(dir=base) as tmp:
            path, done = corrupt_workbook(random.Random(seed), Path(tmp))
            try:
                outcome = judge_validate(path, as_json=seed % 2 == 0)
                if outcome == "valid":
                    outcome = judge_solve(path, Path(tmp) / "out")
            except Failure as exc:
                outcome = "failure"
                failures.append(f"workbook seed {seed} ({'; '.join(done)}): {exc}")
        counts[outcome] += 1
    return counts, failures


def command_lines(n: int, first: int, base: Path) -> tuple[Counter[str], list[str]]:
    counts: Counter[str] = Counter()
    failures: list[str] = []
    school = write(tiny_tables(), base, "xlsx")
    solved = base / "solved"
    judge_solve(school, solved)
    for seed in range(first, first + n):
        work = base / f"work{seed}"
        work.mkdir()
        argv = corrupt_command_line(random.Random(seed), school, solved, work)
        try:
            outcome = judge_command_line(argv, school)
        except Failure as exc:
            outcome = "failure"
            failures.append(f"command line seed {seed} (pathways {' '.join(argv)[:300]}): {exc}")
            school = write(tiny_tables(), base, "xlsx")  # in case it was damaged
        counts[outcome] += 1
    return counts, failures


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workbooks", type=int, default=2000)
    ap.add_argument("--command-lines", type=int, default=500)
    ap.add_argument("--first-seed", type=int, default=0)
    args = ap.parse_args()
    failures: list[str] = []
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
        # (An --out or a school of "" is the current folder: a scratch one here.)
        base = Path(tmp)
        for what, n, run in (
            ("workbooks", args.workbooks, workbooks),
            ("command lines", args.command_lines, command_lines),
        ):
            if n <= 0:
                continue
            started = time.monotonic()
            counts, failed = run(n, args.first_seed, base)
            wall = time.monotonic() - started
            failures += failed
            messages = counts["message"]
            rows.append(
                f"| {what} | {n} | {counts['failure']} | {messages} | "
                f"{counts['timetable']} | {counts['no timetable']} | "
                f"{counts['done']} | {wall:.0f} s |"
            )
    print(
        "| corrupt | runs | tracebacks or unclear | message (exit 1/2) | checked timetable "
        "| no timetable (message) | other command done | wall |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    for f in failures[:20]:
        print("\nFAILED " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
