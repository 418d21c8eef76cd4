"""FET import over the official FET files (issue 13, item 2).

Imports every file under ``../shared/bench/fet/FET-*-official`` (read in place, never
copied), writes each as a workbook and reads it back with ``load_school`` (what
``pathways validate`` does), and prints per file: activities, hard (100%) constraints
carried over / total, whether it validates; then how many files import with every hard
constraint carried over, and which constraint types were most often left out.

    python bench/fet_import.py [--bench ../shared/bench/fet] [--json /tmp/fet_import.json]
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

from scheduler.importers.fet import FetError, import_fet
from scheduler.workbook.problems import InputError
from scheduler.workbook.read import load_school
from scheduler.workbook.tables import write_tables


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "fet")
    ap.add_argument("--json", type=Path, help="write the per-file results here")
    args = ap.parse_args()
    files = sorted(args.bench.glob("FET-*-official/**/*.fet*"))
    files = [p for p in files if p.name.endswith((".fet", ".fet.xz"))]
    if not files:
        print(f"no FET files under {args.bench}/FET-*-official", file=sys.stderr)
        return 2
    results = []
    missing: Counter[str] = Counter()  # hard constraint type -> files where not carried
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "school.xlsx"
        for path in files:
            rel = str(path.relative_to(args.bench))
            t0 = time.perf_counter()
            row: dict[str, object] = {"file": rel}
            try:
                tables, report = import_fet(path)
            except FetError as exc:
                row.update(error=str(exc))
                results.append(row)
                print(f"{rel}: import error: {exc}", flush=True)
                continue
            write_tables(tables, book)
            try:
                load_school(book)
                valid, errors = True, []
            except InputError as exc:
                valid, errors = False, [str(p) for p in exc.errors[:3]]
            kinds = {k for (k, w, _), _n in report.not_carried.items() if w >= 100}
            missing.update(kinds)
            row.update(
                activities=report.figures["activities"],
                students=report.figures["students"],
                hard_carried=report.hard_carried,
                hard_total=report.hard_total,
                complete=report.complete,
                valid=valid,
                errors=errors,
                missing=sorted(kinds),
                seconds=round(time.perf_counter() - t0, 1),
            )
            results.append(row)
            print(
                f"{rel}: {row['activities']} activities, hard constraints carried over "
                f"{report.hard_carried}/{report.hard_total}, validates "
                f"{'yes' if valid else 'no: ' + '; '.join(errors)} ({row['seconds']} s)",
                flush=True,
            )
    n = len(results)
    complete = sum(1 for r in results if r.get("complete"))
    valid = sum(1 for r in results if r.get("valid"))
    both = sum(1 for r in results if r.get("complete") and r.get("valid"))
    hc = sum(int(str(r.get("hard_carried", 0))) for r in results)
    ht = sum(int(str(r.get("hard_total", 0))) for r in results)
    print()
    print(f"files: {n}; validate: {valid}; every hard constraint carried over: {complete}")
    print(f"both: {both}; hard constraints carried over in all: {hc} of {ht}")
    print("hard constraint types not carried over, by files:")
    for kind, k in missing.most_common(15):
        print(f"  {kind}: {k}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
