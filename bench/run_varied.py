"""Benchmark: solve many varied schools (bench/varied_schools.py), one at a time.

    python bench/run_varied.py --schools 20 --first-seed 0 [--kind K] [--time-limit auto|S]
        [--workers 2] [--students N | --max-students N] [--json rows.jsonl] [--dry-run]
        [--planted] [--mode default|reproducible|free-running] [--no-wall-guard]
        [--staff-load L] [--from BOOK]

For each seed the school is generated into a temporary folder, solved by a separate
``python -m scheduler.cli solve`` process (its own peak memory read with os.wait4) and
the result verified by ``python -m scheduler.cli check --json`` (both by
bench/solve_process.py). One Markdown row per school, then min / median / max of core %,
options % and time to the first timetable, how many schools got no timetable and how
many had check violations. ``--dry-run`` generates and validates only. ``--planted`` also checks the timetable each school was
built around (bench/varied_schools.py), which meets every core request and every first
choice: the proof that a perfect timetable exists. ``--staff-load L`` makes every school
with staff hired to about L of their periods (the regression schools' kind: 0.65).
``--from BOOK`` solves copies of BOOK's kind instead (bench/resample_school.py: BOOK
resampled with each seed, to ``--students`` or, by seed, to 600, 1,000, 1,500 and 3,000
students in turn): more schools of the kind of ../shared/schools/, of other sizes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from resample_school import resample
from resample_school import write as write_book
from solve_process import hard_violations, pathways, timed_solve
from varied_schools import KINDS, drawn_size, make_school

#: The sizes ``--from BOOK`` resamples to, by seed (the issue's sizes of school).
RESAMPLE_SIZES = (600, 1000, 1500, 3000)

COLUMNS = (
    "seed",
    "kind",
    "students",
    "sites",
    "cycle days",
    "limit s",
    "wall s",
    "first s",
    "core %",
    "options %",
    "peak MB",
    "check violations",
    "unplaced",
    "unstaffed",
    "rung",
    "note",
)


def auto_limit(students: int) -> float:
    """The issue's time targets: 120 s up to 1,800 students, 300 s above."""
    if students <= 1000:
        return 120.0
    if students <= 1800:
        return 120.0
    return 300.0


def _validate(book: Path) -> tuple[bool, int, int, list[str]]:
    proc = subprocess.run(
        pathways("validate", str(book), "--json"),
        check=False,
        capture_output=True,
        text=True,
    )
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return False, -1, 0, [proc.stderr.strip()[-300:]]
    problems = data.get("problems", [])
    errors = [p["text"] for p in problems if p["severity"] == "error"]
    warnings = [p for p in problems if p["severity"] == "warning"]
    return bool(data.get("ok")) and not errors, len(errors), len(warnings), errors[:5]


def run_one(
    seed: int,
    kind: str | None,
    students: int | None,
    max_students: int | None,
    limit_arg: str,
    workers: int,
    dry_run: bool,
    keep: Path | None,
    planted: bool = False,
    mode: tuple[str, ...] = (),
    staff_load: float | None = None,
    source: Path | None = None,
) -> dict[str, Any]:
    if source is not None:
        n = students or RESAMPLE_SIZES[seed % len(RESAMPLE_SIZES)]
        return _run_book(seed, source, n, limit_arg, workers, dry_run, keep, mode)
    n = drawn_size(seed, kind)[1]
    if students is not None:
        n = students
    elif max_students is not None:
        n = min(n, max_students)
    school = make_school(seed, n, kind, staff_load)
    info = school.info
    limit = auto_limit(info["students"]) if limit_arg == "auto" else float(limit_arg)
    row: dict[str, Any] = {
        "seed": seed,
        "kind": info["kind"],
        "students": info["students"],
        "sites": info["sites"],
        "cycle_days": info["cycle_days"],
        "limit_s": limit,
        "info": info,
    }
    with tempfile.TemporaryDirectory(prefix="varied-") as tmp:
        book = school.write(Path(tmp) / f"varied-{seed}.xlsx")
        ok, errors, warnings, first = _validate(book)
        row.update(valid=ok, validate_errors=errors, validate_warnings=warnings)
        if not ok:
            row["note"] = "INVALID: " + "; ".join(first)
            return row
        if planted:
            row["planted_violations"] = hard_violations(
                book, school.write_planted(Path(tmp) / "planted")
            )
        if dry_run:
            row["note"] = (
                f"valid ({warnings} warnings); {info['style']}, tutor groups "
                f"{info['tutor_groups']}, {info['staff']} staff at "
                f"{info['staff_load']:.0%}, {info['rooms']} rooms"
            )
            if planted:
                row["note"] += f"; planted timetable: {row['planted_violations']} violations"
            return row
        _solve_and_check(row, book, Path(tmp), limit, workers, mode, keep, f"varied-{seed}")
    return row


def _solve_and_check(
    row: dict[str, Any],
    book: Path,
    tmp: Path,
    limit: float,
    workers: int,
    mode: tuple[str, ...],
    keep: Path | None,
    name: str,
) -> None:
    """Solve ``book`` in a process of its own, check the timetable, fill in ``row``."""
    out = tmp / "out"
    # A solve far over its limit is stopped (and reported) rather than left running.
    wall, peak, code = timed_solve(
        book,
        out,
        limit,
        workers,
        0,
        tmp / "stderr.txt",
        kill_after=limit * 2 + 120,
        extra=mode,
    )
    row.update(wall_s=round(wall, 1), peak_mb=round(peak), exit_code=code)
    summary_path = out / "summary.json"
    if not summary_path.exists():
        tail = (tmp / "stderr.txt").read_text(errors="replace").strip()
        tail = " ".join(tail.split())[-200:]
        row.update(timetable=False, note=f"NO TIMETABLE (exit {code}): {tail}")
        return
    s = json.loads(summary_path.read_text())
    placed = s.get("requests_core_met", 0) > 0 or s.get("requests_option_met", 0) > 0
    row.update(
        timetable=placed,
        status=s.get("status"),
        time_to_first_s=s.get("time_to_first_s"),
        core_met_pct=s.get("core_met_pct"),
        options_met_pct=s.get("options_met_pct"),
        first_choice_met_pct=s.get("first_choice_met_pct"),
        groups=s.get("groups"),
        groups_unplaced=len(s.get("groups_unplaced") or []),
        groups_unstaffed=len(s.get("groups_unstaffed") or []),
        tentative_strictness=s.get("tentative_strictness"),
        skipped_to_last_rung=s.get("skipped_to_last_rung", False),
    )
    row["check_violations"] = hard_violations(book, out)
    if not placed:
        row["note"] = f"NO TIMETABLE ({s.get('status')})"
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / f"{name}-summary.json").write_text(json.dumps(s, indent=1))


def _run_book(
    seed: int,
    source: Path,
    students: int,
    limit_arg: str,
    workers: int,
    dry_run: bool,
    keep: Path | None,
    mode: tuple[str, ...],
) -> dict[str, Any]:
    """One copy of ``source``'s kind (bench/resample_school.py), validated and solved."""
    sheets = resample(source, students, seed)
    sites = {str(r.get("site") or "Main") for r in sheets["Rooms"][1]}  # blank: the main site
    days = {str(r.get("day")) for r in sheets["Calendar"][1]}
    limit = auto_limit(students) if limit_arg == "auto" else float(limit_arg)
    row: dict[str, Any] = {
        "seed": seed,
        "kind": f"copy of {source.stem}",
        "students": students,
        "sites": len(sites),
        "cycle_days": len(days),
        "limit_s": limit,
    }
    with tempfile.TemporaryDirectory(prefix="resampled-") as tmp:
        book = Path(tmp) / f"resampled-{seed}.xlsx"
        write_book(sheets, book)
        ok, errors, warnings, first = _validate(book)
        row.update(valid=ok, validate_errors=errors, validate_warnings=warnings)
        if not ok:
            row["note"] = "INVALID: " + "; ".join(first)
        elif dry_run:
            row["note"] = (
                f"valid ({warnings} warnings); {len(sheets['Staff'][1])} staff, "
                f"{len(sheets['Rooms'][1])} rooms"
            )
        else:
            _solve_and_check(row, book, Path(tmp), limit, workers, mode, keep, f"resampled-{seed}")
    return row


def _fmt(v: Any, digits: int = 1) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def markdown_row(r: dict[str, Any]) -> str:
    cells = [
        r["seed"],
        r["kind"],
        r["students"],
        r["sites"],
        r["cycle_days"],
        _fmt(r["limit_s"], 0),
        _fmt(r.get("wall_s"), 0),
        _fmt(r.get("time_to_first_s")),
        _fmt(r.get("core_met_pct")),
        _fmt(r.get("options_met_pct")),
        _fmt(r.get("peak_mb")),
        _fmt(r.get("check_violations")),
        _fmt(r.get("groups_unplaced")),
        _fmt(r.get("groups_unstaffed")),
        _fmt(r.get("tentative_strictness")),
        r.get("note", ""),
    ]
    return "| " + " | ".join(" ".join(str(c).split()).replace("|", "/") for c in cells) + " |"


def _spread(values: list[float]) -> str:
    if not values:
        return "-"
    return f"min {min(values):.1f} / median {statistics.median(values):.1f} / max {max(values):.1f}"


def summary_lines(rows: list[dict[str, Any]], dry_run: bool) -> list[str]:
    out = [f"schools: {len(rows)}"]
    invalid = [r["seed"] for r in rows if not r.get("valid")]
    out.append(f"invalid workbooks: {len(invalid)}" + (f" (seeds {invalid})" if invalid else ""))
    if any("planted_violations" in r for r in rows):
        bad = [r["seed"] for r in rows if r.get("planted_violations") not in (0, None)]
        out.append(
            f"planted timetables with check violations: {len(bad)}"
            + (f" (seeds {bad})" if bad else "")
        )
    if dry_run:
        return out
    solved = [r for r in rows if r.get("timetable")]
    for key, label in (
        ("core_met_pct", "core %"),
        ("options_met_pct", "options %"),
        ("time_to_first_s", "time to first timetable s"),
    ):
        vals = [float(r[key]) for r in solved if r.get(key) is not None]
        out.append(f"{label}: {_spread(vals)}")
    none = [r["seed"] for r in rows if r.get("valid") and not r.get("timetable")]
    out.append(f"no timetable: {len(none)}" + (f" (seeds {none})" if none else ""))
    bad = [r["seed"] for r in solved if r.get("check_violations") not in (0, None)]
    out.append(f"check violations: {len(bad)} school(s)" + (f" (seeds {bad})" if bad else ""))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Solve varied generated schools, one at a time.")
    ap.add_argument("--schools", type=int, default=20)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--kind", choices=sorted(KINDS), default=None)
    ap.add_argument("--students", type=int, default=None, help="every school this size")
    ap.add_argument(
        "--max-students",
        type=int,
        default=None,
        help="schools drawn bigger than this are made this size",
    )
    ap.add_argument("--time-limit", default="auto", help="auto (by size) or seconds")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None, help="write the rows as JSON lines")
    ap.add_argument(
        "--keep-summaries", type=Path, default=None, help="folder to keep each solve's summary.json"
    )
    ap.add_argument("--dry-run", action="store_true", help="generate and validate only")
    ap.add_argument(
        "--mode",
        choices=("default", "reproducible", "free-running"),
        default="default",
        help="the solve's clock: its default, or --reproducible / --free-running",
    )
    ap.add_argument(
        "--no-wall-guard",
        action="store_true",
        help="with --mode reproducible: the count alone decides (the same timetables on a "
        "busy machine, which then runs past the limits)",
    )
    ap.add_argument(
        "--staff-load",
        type=float,
        default=None,
        help="staff hired to about this share of their periods (default: 0.85-0.95)",
    )
    ap.add_argument(
        "--planted",
        action="store_true",
        help="also check the timetable each school was built around",
    )
    ap.add_argument(
        "--from",
        dest="source",
        type=Path,
        default=None,
        help="solve copies of this workbook's kind, resampled by seed (bench/resample_school.py)",
    )
    a = ap.parse_args(argv)
    if a.time_limit != "auto":
        float(a.time_limit)  # a wrong value fails here, before any school is made
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS), flush=True)
    rows: list[dict[str, Any]] = []
    sink = a.json.open("w") if a.json else None
    try:
        for seed in range(a.first_seed, a.first_seed + a.schools):
            r = run_one(
                seed,
                a.kind,
                a.students,
                a.max_students,
                a.time_limit,
                a.workers,
                a.dry_run,
                a.keep_summaries,
                a.planted,
                (() if a.mode == "default" else (f"--{a.mode}",))
                + (("--no-wall-guard",) if a.no_wall_guard else ()),
                a.staff_load,
                a.source,
            )
            rows.append(r)
            print(markdown_row(r), flush=True)
            if sink:
                sink.write(json.dumps(r) + "\n")
                sink.flush()
    finally:
        if sink:
            sink.close()
    print()
    for line in summary_lines(rows, a.dry_run):
        print(f"- {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
