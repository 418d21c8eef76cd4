"""FET's own timetables checked by Pathways (issue 13, item 3).

For each FET file with a timetable (``*_data_and_timetable.fet[.xz]`` under
``../shared/bench/fet/``, or the files given), does what
``pathways import fet FILE --out SCHOOL.xlsx --timetable DIR`` then
``pathways check SCHOOL.xlsx DIR`` do: imports the file as a workbook, reads FET's
timetable (the file's locked starting times and rooms) onto it as a solution, writes the
solution files, reads them back and checks them. Prints per file: activities, hard (100%)
constraints carried over, activities placed, and the checker's hard violations by rule
(and the number of soft findings); with ``--json``, writes them.

    python bench/fet_own_timetables.py [FILE ...] [--bench ../shared/bench/fet] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scheduler.api import check
from scheduler.importers.fet import FetError, ImportIds, import_fet
from scheduler.importers.fet_timetable import fet_solution, read_placements
from scheduler.outputs.write import write_outputs
from scheduler.workbook.problems import InputError
from scheduler.workbook.read import load_school
from scheduler.workbook.tables import write_tables


def check_fet_timetable(path: Path, result: Path | None, tmp: Path) -> dict[str, object]:
    """Import ``path``, read FET's timetable (from ``result``, else ``path``) onto it and
    check it; the figures of one row."""
    t0 = time.perf_counter()
    ids = ImportIds()
    tables, report = import_fet(path, ids)
    placements, notes, _where = read_placements(result if result is not None else path)
    book, out = tmp / "school.xlsx", tmp / "fet-timetable"
    write_tables(tables, book)
    school, _ = load_school(book)
    got = fet_solution(school, ids, placements)
    write_outputs(school, got.solution, out)
    checked = check(school, out)
    hard = Counter(v.rule for v in checked.hard_violations)
    return {
        "activities": got.activities,
        "placed": got.placed,
        "hard_carried": report.hard_carried,
        "hard_total": report.hard_total,
        "complete": report.complete,
        "ok": checked.ok,
        "hard_violations": sum(hard.values()),
        "hard_by_rule": dict(hard.most_common()),
        "soft_findings": len(checked.soft_violations),
        "first_hard": [v.message for v in checked.hard_violations[:3]],
        "notes": notes + got.notes,
        "seconds": round(time.perf_counter() - t0, 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "fet")
    ap.add_argument("--json", type=Path, help="write the per-file results here")
    args = ap.parse_args()
    files = args.files or sorted(args.bench.rglob("*_data_and_timetable.fet*"))
    files = [p for p in files if p.name.endswith((".fet", ".fet.xz"))]
    if not files:
        print("no FET files with a timetable", file=sys.stderr)
        return 2
    rows = []
    for path in files:
        name = str(path.relative_to(args.bench)) if path.is_relative_to(args.bench) else str(path)
        row: dict[str, object] = {"file": name}
        with tempfile.TemporaryDirectory() as tmp:
            try:
                row.update(check_fet_timetable(path, None, Path(tmp)))
            except (FetError, InputError) as exc:
                row["error"] = str(exc).splitlines()[0]
        rows.append(row)
        if "error" in row:
            print(f"{name}: error: {row['error']}", flush=True)
            continue
        by_rule = ", ".join(f"{k} {n}" for k, n in dict(row["hard_by_rule"]).items())  # type: ignore[call-overload]
        print(
            f"{name}: {row['activities']} activities, {row['placed']} placed; hard "
            f"constraints carried over {row['hard_carried']}/{row['hard_total']}; check: "
            f"{'no hard violations' if row['ok'] else by_rule}; "
            f"{row['soft_findings']} soft finding(s) ({row['seconds']} s)",
            flush=True,
        )
    ok = sum(1 for r in rows if r.get("ok"))
    print(f"\n{ok} of {len(rows)} FET timetables pass `pathways check` (no hard violation)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
