"""Mid-year changes (issue 14): re-solve from a published timetable and measure what moved.

Solves an example school once (the published timetable), then makes the issue's changes
to its workbook, one at a time, and re-solves each with ``pathways solve --from``:

- ``none``: the same workbook (nothing may change);
- ``options``: 10 students each swap one option for another of their year's options;
- ``tuesday``: the teacher with the most Tuesday lessons becomes unavailable on Tuesdays;
- ``new``: 30 new students, copies of existing students' years and requests.

Each result is checked with ``pathways check`` (the files, not the solver's figures),
and compared with the published one by :mod:`scheduler.changes` from the files.

    python bench/resolve_changes.py --example all-through --students 1000 --time-limit 120 \
        --resolve-limit 60 --json /tmp/resolve.json
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scheduler.api import load_school
from scheduler.changes import compare
from scheduler.outputs.read import read_solution

CLI = [sys.executable, "-m", "scheduler.cli"]


def run(args: list[str]) -> tuple[int, float, str]:
    began = time.monotonic()
    done = subprocess.run(CLI + args, check=False, cwd=ROOT, capture_output=True, text=True)
    return done.returncode, time.monotonic() - began, done.stdout + done.stderr


def sheet(wb, name):
    ws = wb[name]
    rows = list(ws.iter_rows(values_only=True))
    return ws, list(rows[0]), rows[1:]


def change_options(src: Path, dst: Path, rng: random.Random, count: int = 10) -> list[str]:
    """``count`` students each swap one option request for an option of their year they
    did not choose."""
    wb = openpyxl.load_workbook(src)
    _, scols, students = sheet(wb, "Students")
    year = {r[scols.index("student")]: r[scols.index("year")] for r in students}
    ws, cols, rows = sheet(wb, "Requests")
    si, ci, ti = cols.index("student"), cols.index("course"), cols.index("type")
    by_year: dict[object, set[str]] = {}
    mine: dict[str, set[str]] = {}
    for r in rows:
        if r[ti] == "option" and r[ci]:
            by_year.setdefault(year.get(r[si]), set()).add(r[ci])
        if r[ci]:
            mine.setdefault(r[si], set()).add(r[ci])  # any request: a course once each
    chosen: list[str] = []
    for line, r in enumerate(rows, start=2):
        if len(chosen) == count:
            break
        sid = r[si]
        if r[ti] != "option" or not r[ci] or sid in chosen or rng.random() > 0.2:
            continue
        others = sorted(by_year.get(year.get(sid), set()) - mine[sid])
        if not others:
            continue
        ws.cell(row=line, column=ci + 1, value=rng.choice(others))
        chosen.append(sid)
    wb.save(dst)
    return chosen


def teacher_off_tuesday(src: Path, published: Path, dst: Path) -> tuple[str, int]:
    """The teacher with the most Tuesday lessons becomes unavailable on Tuesdays; returns
    (teacher, their Tuesday lessons in the published timetable)."""
    tuesday: Counter[str] = Counter()
    import csv

    seen = set()
    with (published / "groups.csv").open() as f:
        for row in csv.DictReader(f):
            if row["day"].endswith("Tue"):
                for p in row["staff"].split(";"):
                    key = (p, row["group"])  # a lesson a day per group (different days)
                    if key not in seen:
                        seen.add(key)
                        tuesday[p] += 1
    teacher, lessons = tuesday.most_common(1)[0]
    wb = openpyxl.load_workbook(src)
    ws, cols, rows = sheet(wb, "Staff")
    ui = cols.index("unavailable")
    for line, r in enumerate(rows, start=2):
        if r[cols.index("staff")] == teacher:
            old = r[ui]
            ws.cell(row=line, column=ui + 1, value=",".join(x for x in (old, "Tue") if x))
    wb.save(dst)
    return teacher, lessons


def new_students(src: Path, dst: Path, rng: random.Random, count: int = 30) -> list[str]:
    """``count`` new students, each a copy of an existing student's year, pathway and
    requests (no tutor group, house or family given: the solve finds a tutor group with
    room; a copied house could hold no more)."""
    wb = openpyxl.load_workbook(src)
    ws, cols, rows = sheet(wb, "Students")
    rq, rcols, rrows = sheet(wb, "Requests")
    si = cols.index("student")
    picks = rng.sample(rows, count)
    made = []
    for k, r in enumerate(picks, start=1):
        sid = f"NEW{k:03d}"
        row = list(r)
        row[si] = sid
        for column in ("tutor_group", "family", "house"):
            if column in cols:  # the solve finds them a tutor group with room
                row[cols.index(column)] = None
        ws.append(row)
        for q in rrows:
            if q[rcols.index("student")] == r[si]:
                copy = list(q)
                copy[rcols.index("student")] = sid
                rq.append(copy)
        made.append(sid)
    wb.save(dst)
    return made


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--example", default="all-through")
    ap.add_argument("--students", type=int, default=1000)
    ap.add_argument("--time-limit", type=float, default=120)
    ap.add_argument("--resolve-limit", type=float, default=60)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--changes", default="none,options,tuesday,new")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--work", type=Path)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="resolve-"))
    work.mkdir(parents=True, exist_ok=True)
    school = work / "school.xlsx"
    pub = work / "published"
    rng = random.Random(args.seed)
    if not school.is_file():
        code, _, text = run(
            ["example", args.example, "--students", str(args.students), "--out", str(school)]
        )
        assert code == 0, text
    if not (pub / "summary.json").is_file():  # a published timetable already there is kept
        code, wall, text = run(
            [
                "solve",
                str(school),
                "--out",
                str(pub),
                "--time-limit",
                str(args.time_limit),
                "--quiet",
            ]
        )
        assert code == 0, text
        print(f"published: {wall:.1f} s: {text.strip().splitlines()[0]}", flush=True)
    results = []
    for name in args.changes.split(","):
        edited = work / f"{name}.xlsx"
        info: dict[str, object] = {"change": name}
        if name == "none":
            edited = school
        elif name == "options":
            info["students_asked"] = change_options(school, edited, rng)
        elif name == "tuesday":
            teacher, lessons = teacher_off_tuesday(school, pub, edited)
            info.update(teacher=teacher, teacher_tuesday_lessons=lessons)
        elif name == "new":
            info["new_students"] = new_students(school, edited, rng)
        out = work / f"after-{name}"
        code, wall, text = run(
            [
                "solve",
                str(edited),
                "--out",
                str(out),
                "--from",
                str(pub),
                "--time-limit",
                str(args.resolve_limit),
                "--quiet",
            ]
        )
        info.update(exit=code, wall_s=round(wall, 1))
        if code == 0:
            _ccode, _, ctext = run(["check", str(edited), str(out)])
            info["check"] = ctext.strip().splitlines()[-1]
            loaded = load_school(edited)
            before = read_solution(pub, loaded)
            after = read_solution(out, loaded)
            changes = compare(loaded, before, after)
            info.update(changes.counts())
            changed = {c.student for c in changes.rows if c.kind == "student"}
            asked = set(info.get("students_asked", ())) | set(info.get("new_students", ()))
            info["other_students_changed"] = len(changed - asked)
            if name == "new":
                placed = {s for s in asked if after.student_groups.get(s)}
                info["new_students_placed"] = len(placed)
                met = sum(
                    1 for o in after.outcomes if o.student in asked and o.status.value == "met"
                )
                info["new_students_requests_met"] = met
                info["new_students_requests"] = sum(
                    1 for r in loaded.requests if r.student in asked
                )
        else:
            info["output"] = text[-500:]
        print(json.dumps(info, default=str), flush=True)
        results.append(info)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
