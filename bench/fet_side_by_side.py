"""Pathways and FET side by side on FET's files (issue 13, item 4).

For each file under ``../shared/bench/fet/FET-*-official/`` (or ``--files``, or the first
``--limit N``; ``--complete`` keeps only the files whose every hard (100%) constraint the
importer carries over):

1. ``pathways import fet FILE --out school.xlsx``: activities and hard constraints
   carried over, from the import report;
2. ``pathways solve school.xlsx --out pathways --time-limit T --workers W``, then
   ``pathways check school.xlsx pathways --json``: status, time to the first timetable
   (summary.json ``time_to_first_s``), hard violations, soft cost (the objective the
   checker recomputes) and soft findings (soft Rules rows broken, unmet requests);
3. ``fet-cl --inputfile=FILE --outputdir=fet --timelimitseconds=T`` (FET 6.8.5's options;
   the file decompressed first): status (its ``logs/result.txt``) and wall time;
4. when FET wrote a timetable, ``pathways import fet FILE --out school.xlsx --timetable
   fet-timetable --fet-result fet`` and ``pathways check`` of it (issue 13, item 3).

Every command runs one at a time, as a child of this process (run the script itself under
``nice -n 19`` on a shared machine). ``fet-cl`` comes from Debian's ``fet`` package, which
the script installs with ``apt-get install -y fet`` when ``fet-cl`` is missing; it is
never a dependency of Pathways. The table is written to ``--table`` (Markdown) and
printed; ``--json`` writes the rows.

    nice -n 19 python bench/fet_side_by_side.py --complete --limit 12 --time-limit 60
    nice -n 19 python bench/fet_side_by_side.py --fet-only --time-limit 20  # item 3 only

``--first`` has Pathways stop at its first timetable (``pathways solve --first``), as
fet-cl stops at its: the issue's figures (a timetable with no hard violation within the
limit, the time to the first one) are the same, and a file Pathways solves no longer
takes the whole limit. The whole bench (139 official files, both solvers at 300 s) takes
about eleven hours without it (about nine with it), more than one sitting: ``--shard I/N``
runs every N-th file from the I-th (0-based), ``--resume`` skips the files already in
``--json`` (an interrupted run goes on where it stopped), and
``--merge A.json B.json ...`` writes the one table and summary of the shards' rows
without running anything (each file once; a file in two shards keeps its last row).

    nice -n 19 python bench/fet_side_by_side.py --shard 0/4 --json /tmp/sbs0.json --resume
    python bench/fet_side_by_side.py --merge /tmp/sbs*.json --table /tmp/sbs.md
"""

from __future__ import annotations

import argparse
import json
import lzma
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PATHWAYS = [sys.executable, "-m", "scheduler.cli"]


def ensure_fet_cl() -> str | None:
    """The path of ``fet-cl``, installing Debian's ``fet`` package when it is missing."""
    found = shutil.which("fet-cl")
    if found:
        return found
    print("fet-cl missing: apt-get install -y fet", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "fet"]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"{' '.join(cmd)} failed: {done.stderr.strip()[-300:]}", flush=True)
            return None
    return shutil.which("fet-cl")


def run(
    cmd: list[str], timeout: float, cwd: Path | None = None, stdout_only: bool = False
) -> tuple[int, str, float]:
    """Run a command; (exit code, its output, wall seconds). Killed after ``timeout``."""
    t0 = time.perf_counter()
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd, check=False
        )
        code = done.returncode
        text = done.stdout if stdout_only else done.stdout + done.stderr
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or b""
        code, text = -9, out.decode(errors="replace") if isinstance(out, bytes) else out
    return code, text, time.perf_counter() - t0


def import_report(report: Path) -> dict[str, Any]:
    """Activities and hard constraints carried over, read from an import report."""
    text = report.read_text(encoding="utf-8")
    acts = re.search(r"(\d+) activities", text)
    hard = re.search(r"hard \(100%\) constraints carried over: (\d+) of (\d+)", text)
    return {
        "activities": int(acts.group(1)) if acts else None,
        "hard_carried": int(hard.group(1)) if hard else None,
        "hard_total": int(hard.group(2)) if hard else None,
    }


def check(book: Path, folder: Path) -> dict[str, Any]:
    cmd = [*PATHWAYS, "check", str(book), str(folder), "--json"]
    code, text, _ = run(cmd, 600, stdout_only=True)
    try:
        report = json.loads(text)
    except ValueError:
        return {"check": f"error (exit {code})"}
    hard_rules: dict[str, int] = {}
    for v in report["violations"]:
        if v["hard"]:
            hard_rules[v["rule"]] = hard_rules.get(v["rule"], 0) + 1
    return {
        "hard_violations": report["hard_violations"],
        "hard_by_rule": hard_rules,
        "soft_findings": report["soft_violations"],
        "soft_cost": report["objective"],
    }


def _pathways(row: dict[str, Any], book: Path, out: Path, args: argparse.Namespace) -> None:
    """Solve the imported workbook with Pathways and check it, into ``row``."""
    t = args.time_limit
    cmd = [*PATHWAYS, "solve", str(book), "--out", str(out), "--quiet"]
    cmd += ["--time-limit", str(t), "--workers", str(args.workers)]
    if args.first:
        cmd.append("--first")
    code, text, secs = run(cmd, 3 * t + 300)
    row["pathways_wall_s"] = round(secs, 1)
    summary = out / "summary.json"
    if summary.exists():
        s = json.loads(summary.read_text())
        row["pathways_status"] = s.get("status")
        row["pathways_first_s"] = s.get("time_to_first_s")
        row.update({f"pathways_{k}": v for k, v in check(book, out).items()})
    else:
        row["pathways_status"] = "no timetable" if code != -9 else "killed"
        tail = text.strip().splitlines()[-1:] if text.strip() else []
        row["pathways_note"] = tail[0][:200] if tail else ""


def one_file(
    path: Path, name: str, work: Path, args: argparse.Namespace, fet_cl: str | None
) -> dict[str, Any]:
    row: dict[str, Any] = {"file": name}
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    book = work / "school.xlsx"
    code, text, secs = run([*PATHWAYS, "import", "fet", str(path), "--out", str(book)], 600)
    if code != 0:
        row["error"] = "import: " + text.strip().splitlines()[-1]
        return row
    row.update(import_report(work / "school.import-report.txt"))
    row["import_s"] = round(secs, 1)

    # Pathways.
    t = args.time_limit
    if args.fet_only:
        row["pathways_status"] = "not run"
    else:
        _pathways(row, book, work / "pathways", args)

    # FET.
    if fet_cl is None:
        row["fet_status"] = "not run (no fet-cl)"
        return row
    plain = work / "input.fet"
    if path.suffix.lower() == ".xz":
        with lzma.open(path) as fh:
            plain.write_bytes(fh.read())
    else:
        shutil.copyfile(path, plain)
    fet_out = work / "fet"
    cmd = [fet_cl, f"--inputfile={plain}", f"--outputdir={fet_out}"]
    cmd += [f"--timelimitseconds={int(t)}", "--htmllevel=0"]
    code, text, secs = run(cmd, t + 300, cwd=work)
    row["fet_wall_s"] = round(secs, 2)
    result = fet_out / "logs" / "result.txt"
    said = result.read_text(encoding="utf-8", errors="replace") if result.exists() else text
    activities_xml = list(fet_out.glob("timetables/*/*_activities.xml"))
    if "Simulation successful" in said and activities_xml:
        row["fet_status"] = "solved"
    elif code == -9:
        row["fet_status"] = "killed"
    elif re.search(r"time exceeded|timeout|Time limit", said, re.IGNORECASE):
        row["fet_status"] = "time limit"
    else:
        lines = [x for x in said.strip().splitlines() if x.strip()]
        row["fet_status"] = "failed"
        row["fet_note"] = (lines[-1] if lines else f"exit {code}")[:200]
    if row["fet_status"] != "solved":
        return row
    fet_book, fet_sol = work / "school-fet.xlsx", work / "fet-timetable"
    cmd = [*PATHWAYS, "import", "fet", str(path), "--out", str(fet_book)]
    cmd += ["--timetable", str(fet_sol), "--fet-result", str(fet_out)]
    code, text, _ = run(cmd, 600)
    if code != 0:
        row["fet_check"] = "import error: " + text.strip().splitlines()[-1][:200]
        return row
    placed = re.search(r"FET's timetable: (\d+) of (\d+) activities placed", text)
    if placed:
        row["fet_placed"] = f"{placed.group(1)}/{placed.group(2)}"
    row.update({f"fet_{k}": v for k, v in check(fet_book, fet_sol).items()})
    return row


def _cell(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _hard(row: dict[str, Any], who: str) -> str:
    n = row.get(f"{who}_hard_violations")
    if n is None:
        return "-"
    rules = row.get(f"{who}_hard_by_rule") or {}
    return str(n) + (" (" + ", ".join(f"{k} {c}" for k, c in rules.items()) + ")" if n else "")


def table(rows: list[dict[str, Any]]) -> list[str]:
    out = [
        (
            "| file | activities | hard rules carried | Pathways status | first timetable s | "
            "hard violations | soft cost | FET status | FET s | FET's timetable: hard violations |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if "error" in r:
            out.append(f"| {r['file']} | {r['error']} | | | | | | | | |")
            continue
        carried = f"{_cell(r.get('hard_carried'))}/{_cell(r.get('hard_total'))}"
        out.append(
            f"| {r['file']} | {_cell(r.get('activities'))} | {carried} | "
            f"{_cell(r.get('pathways_status'))} | {_cell(r.get('pathways_first_s'))} | "
            f"{_hard(r, 'pathways')} | {_cell(r.get('pathways_soft_cost'))} | "
            f"{_cell(r.get('fet_status'))} | {_cell(r.get('fet_wall_s'))} | {_hard(r, 'fet')} |"
        )
    return out


def summary(rows: list[dict[str, Any]], limit: float) -> list[str]:
    done = [r for r in rows if "error" not in r]
    ours = [r for r in done if r.get("pathways_hard_violations") == 0]
    theirs = [r for r in done if r.get("fet_status") == "solved"]
    passed = [r for r in theirs if r.get("fet_hard_violations") == 0]
    # Times to a first timetable; a file without one counts as the time limit (censored).
    p_first = [
        float(r["pathways_first_s"]) if r.get("pathways_first_s") is not None else limit
        for r in done
    ]
    f_first = [float(r["fet_wall_s"]) if r in theirs else limit for r in done]
    lines = [
        f"files: {len(rows)} ({len(rows) - len(done)} not imported)",
        f"Pathways: a timetable with no hard violation for {len(ours)} of {len(done)}",
        (
            f"FET: a timetable for {len(theirs)} of {len(done)}; of those, {len(passed)} pass "
            "`pathways check` (no hard violation)"
        ),
    ]
    if all(r.get("pathways_status") == "not run" for r in done):
        del lines[1]  # --fet-only
    elif done:
        lines.append(
            f"median time to a first timetable (a file without one counts as {limit:g} s): "
            f"Pathways {statistics.median(p_first):.1f} s, FET {statistics.median(f_first):.1f} s"
        )
    return lines


def shard(files: list[Path], spec: str) -> list[Path]:
    """Every N-th of ``files`` from the I-th (``spec`` "I/N", I from 0)."""
    i, _, n = spec.partition("/")
    k, count = int(i), int(n)
    if count < 1 or not 0 <= k < count:
        raise ValueError(f"--shard {spec}: expected I/N with 0 <= I < N")
    return files[k::count]


def merged(paths: list[Path]) -> list[dict[str, Any]]:
    """The rows of several runs' JSON files, one per file (the last one seen), in file
    order."""
    by_file: dict[str, dict[str, Any]] = {}
    for p in paths:
        for row in json.loads(p.read_text(encoding="utf-8")):
            by_file[row["file"]] = row
    return [by_file[f] for f in sorted(by_file)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "fet")
    ap.add_argument("--files", nargs="*", type=Path, help="these files instead")
    ap.add_argument("--limit", type=int, help="only the first N files")
    ap.add_argument(
        "--complete",
        action="store_true",
        help="only files whose every hard constraint is carried over",
    )
    ap.add_argument("--time-limit", type=float, default=300.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--first",
        action="store_true",
        help="Pathways stops at its first timetable (pathways solve --first), as fet-cl does",
    )
    ap.add_argument(
        "--fet-only", action="store_true", help="run fet-cl and check its timetable only"
    )
    ap.add_argument("--work", type=Path, default=Path("/tmp/fet_side_by_side"))
    ap.add_argument("--table", type=Path, help="Markdown table (default WORK/table.md)")
    ap.add_argument("--json", type=Path, help="write the rows here")
    ap.add_argument("--shard", help="I/N: every N-th file from the I-th (I from 0)")
    ap.add_argument(
        "--resume", action="store_true", help="keep the rows already in --json, skip their files"
    )
    ap.add_argument(
        "--merge", nargs="+", type=Path, help="no run: one table of these runs' JSON rows"
    )
    args = ap.parse_args()
    if args.merge:
        merged_rows = merged(args.merge)
        lines = table(merged_rows) + [""] + summary(merged_rows, args.time_limit)
        if args.table:
            args.table.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print("\n".join(lines))
        return 0
    args.bench = args.bench.resolve()
    if args.files:
        files = [p.resolve() for p in args.files]
    else:
        files = sorted(args.bench.glob("FET-*-official/**/*.fet*"))
        files = [p for p in files if p.name.endswith((".fet", ".fet.xz"))]
    if args.complete:
        from scheduler.importers.fet import FetError, import_fet

        kept = []
        for p in files:
            try:
                if import_fet(p)[1].complete:
                    kept.append(p)
            except FetError:
                continue
        files = kept
    if args.limit is not None:
        files = files[: args.limit]
    if args.shard:
        try:
            files = shard(files, args.shard)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
    rows: list[dict[str, Any]] = []
    if args.resume and args.json and args.json.exists():
        rows = merged([args.json])
    if not files:
        print("no FET files", file=sys.stderr)
        return 2
    done = {r["file"] for r in rows}
    names = {
        p: str(p.relative_to(args.bench)) if p.is_relative_to(args.bench) else str(p) for p in files
    }
    todo = [p for p in files if names[p] not in done]  # --resume: the rest
    fet_cl = ensure_fet_cl() if todo else None
    if fet_cl:
        version = run([fet_cl, "--version"], 60)[1].strip().splitlines()
        print(f"{fet_cl}: {version[0] if version else '?'}", flush=True)
    args.work.mkdir(parents=True, exist_ok=True)
    for k, path in enumerate(todo, start=1):
        name = names[path]
        print(f"[{k}/{len(todo)}] {name}", flush=True)
        # A folder per file, named after it: shards may share --work.
        work = args.work / re.sub(r"[^A-Za-z0-9._-]+", "_", name)
        row = one_file(path, name, work, args, fet_cl)
        rows.append(row)
        print("  " + json.dumps(row), flush=True)
        if args.json:
            # Whole or not at all: a run killed here still resumes from the last file.
            part = args.json.with_name(args.json.name + ".part")
            part.write_text(json.dumps(rows, indent=1))
            os.replace(part, args.json)
    lines = table(rows) + [""] + summary(rows, args.time_limit)
    out = args.table or args.work / "table.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
