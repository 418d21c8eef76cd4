"""Ten planted causes of infeasibility at 600 students, for ``pathways explain`` (issue 15).

Builds the 600-student all-through example (the federation example for travel between
sites), breaks it in ten ways that ``pathways validate`` accepts, runs ``pathways explain
--json`` on each (a subprocess under ``nice -n 19``, wall and CPU time measured; explain
solves the school and its best changes for real, ``--solve-changes N --solve-limit T``,
reproducible) and checks that a minimal set names the planted ids with a fact of the
planted kind. With ``--solve``, the top suggested change of that set is applied to the
workbook (read back from the broken .xlsx, as a timetabler's) as its scenario steps
(``scheduler.scenarios.trial.apply_steps``), and both the broken and the changed school
are solved again by ``pathways solve --reproducible --no-wall-guard`` with the options explain states;
the requests the change was measured on (the conflict's ``measured_on``) are counted in
both solves' requests.csv and compared with what explain claims it recovers.

    python bench/explain_planted.py OUTDIR [--only NAME ...] [--solve] [--time-limit 30]
        [--solve-changes 2] [--confirm-runs 1] [--reuse]
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from examples.generator import generate
from scheduler.scenarios.transforms import apply_change
from scheduler.scenarios.trial import apply_steps, workbook_tables
from scheduler.workbook.tables import Tables, write_tables

NICE = ["nice", "-n", "19"]
PATHWAYS = [sys.executable, "-m", "scheduler.cli"]


def _set(tables: Tables, sheet: str, where: dict[str, Any], values: dict[str, Any]) -> Tables:
    return apply_change(tables, "set", {"sheet": sheet, "where": where, "values": values})


def _team(t: Tables) -> Tables:
    """ZCL, one of the three staff PRJ-KS3 needs at once (one 3-period block), away at
    periods 3 and 6 of every day."""
    busy = ", ".join(f"{d} {p}" for d in ("Mon", "Tue", "Wed", "Thu", "Fri") for p in (3, 6))
    return _set(t, "Staff", {"staff": "ZCL"}, {"unavailable": busy})


def _hours(t: Tables) -> Tables:
    """ACH, the only Spanish teacher (SP10 and SP11: 3 periods a group), teaches at most 5
    periods: each group fits, both do not."""
    return _set(t, "Staff", {"staff": "ACH"}, {"max_periods": 5})


def _labs(t: Tables) -> Tables:
    """ART1, the only studio, open on Thursdays and Fridays only (12 periods): fewer than
    the art groups need (validation warns that some options cannot be met)."""
    return _set(t, "Rooms", {"room": "ART1"}, {"unavailable": "Mon,Tue,Wed"})


def _kind(t: Tables) -> Tables:
    """The only workshop (WS1) out of use all week: DT10/DT11 need a workshop (removing
    the room is caught by validation, closing it is only warned about)."""
    return _set(t, "Rooms", {"room": "WS1"}, {"unavailable": "Mon,Tue,Wed,Thu,Fri"})


def _part_timer(t: Tables) -> Tables:
    """ACH, the only Spanish teacher, works Thursdays and Fridays only; SP10 and SP11
    have 3 lessons each on different days."""
    return _set(t, "Staff", {"staff": "ACH"}, {"unavailable": "Mon,Tue,Wed"})


def _tutor(t: Tables) -> Tables:
    """TCH, the only Latin teacher (away on Wednesdays), tutors a new tutor group XT that
    meets all of Monday and Tuesday; Latin's 3 lessons fall on different days."""
    out = [dict(r) for r in t["TutorGroups"]]
    out.append(
        {
            "group": "XT",
            "tutor": "TCH",
            "room": None,
            "capacity": 25,
            "meets": "Mon,Tue",
            "house": None,
            "vertical": "no",
        }
    )
    return {**t, "TutorGroups": out}


def _home(t: Tables) -> Tables:
    """S0421 (year 10) learns at home on Monday and Tuesday: their core periods fit the
    other three days, but core Maths has 4 lessons on different days."""
    return _set(t, "Students", {"student": "S0421"}, {"home_days": "Mon,Tue"})


def _travel(t: Tables) -> Tables:
    """Federation (a two-week cycle): LWO teaches A-level Geography at Riverside (A-GE12
    and A-GE13: 5 lessons each on different days) and now RE10 at Main too (3 lessons on
    different days), and is away for four days of the second week; travel between the
    sites takes 400 minutes, so no day can hold both sites: 8 days needed, 6 free."""
    t = _set(t, "Courses", {"course": "RE10"}, {"staff": "LWO"})
    t = _set(t, "Staff", {"staff": "LWO"}, {"unavailable": "Wk2 Mon,Wk2 Tue,Wk2 Wed,Wk2 Thu"})
    return _set(t, "Travel", {"from_site": "Main"}, {"minutes": 400})


def _locks(t: Tables) -> Tables:
    """PRJ-KS3.1 and PRJ-KS3.2 (both need DKH, GTA and ZCL at once) locked to the same
    three periods."""
    rows = [
        {"course": "PRJ-KS3", "group": n, "slots": "Mon 1,Mon 2,Mon 3", "room": None, "staff": None}
        for n in (1, 2)
    ]
    return {**t, "Locks": rows}


def _lessons(t: Tables) -> Tables:
    """Latin (TCH, away on Wednesdays, now at most 10 periods) given 5 single lessons:
    more than TCH's 4 days."""
    t = _set(t, "Staff", {"staff": "TCH"}, {"max_periods": 10})
    return _set(t, "Courses", {"course": "LAT-ON"}, {"lessons": "1,1,1,1,1"})


@dataclass(frozen=True)
class Break:
    name: str
    example: str
    make: Callable[[Tables], Tables]
    ids: frozenset[str]  # ids the minimal set must name
    kind: str  # a fact of this kind must be in it


BREAKS = [
    Break("team-taught course's staff", "all-through", _team, frozenset({"ZCL"}), "availability"),
    Break("too few staff hours", "all-through", _hours, frozenset({"ACH"}), "max_periods"),
    Break("too few rooms of a kind", "all-through", _labs, frozenset({"ART1"}), "rooms"),
    Break("a room kind removed", "all-through", _kind, frozenset({"WS1"}), "rooms"),
    Break("part-timer's days", "all-through", _part_timer, frozenset({"ACH"}), "availability"),
    Break("tutor time", "all-through", _tutor, frozenset({"TCH"}), "tutor"),
    Break("home days", "all-through", _home, frozenset({"S0421"}), "home"),
    Break("travel between sites", "federation", _travel, frozenset({"LWO"}), "travel"),
    Break("contradicting locks", "all-through", _locks, frozenset({"PRJ-KS3.1"}), "lock"),
    Break("more lessons than free days", "all-through", _lessons, frozenset({"TCH"}), "days"),
]


def names(conflict: dict[str, Any]) -> set[str]:
    out = set(conflict["same_for_groups"])
    for f in conflict["facts"]:
        for key in ("staff", "rooms", "groups", "courses", "students"):
            out.update(f[key])
    return out


def run(cmd: list[str], **kw: Any) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """The command's result, its wall seconds and its CPU seconds (user and system: on a
    loaded machine the wall time stretches, the CPU time much less)."""
    started = time.monotonic()
    was = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(NICE + cmd, check=False, capture_output=True, text=True, **kw)
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (now.ru_utime - was.ru_utime) + (now.ru_stime - was.ru_stime)
    return done, time.monotonic() - started, cpu


def met(folder: Path) -> int | None:
    """Requests met in a solve's summary.json (core and options together)."""
    path = folder / "summary.json"
    if not path.exists():
        return 0  # the solve found no timetable (it wrote nothing): nothing met
    s = json.loads(path.read_text())
    return int(s.get("requests_core_met") or 0) + int(s.get("requests_option_met") or 0)


def _met(folder: Path, which: Callable[[dict[str, str]], bool]) -> int:
    """How many of the requests ``which`` picks (rows of requests.csv) a solve met; 0
    when it wrote no timetable."""
    if not (folder / "requests.csv").exists():
        return 0
    with (folder / "requests.csv").open(newline="") as fh:
        return sum(1 for r in csv.DictReader(fh) if which(r) and r["status"] == "met")


def met_requests(folder: Path, wanted: set[tuple[str, ...]]) -> int:
    """How many of these (student, course) requests a solve met."""
    return _met(folder, lambda r: (r["student"], r["course"]) in wanted)


def core_met(folder: Path, students: set[str]) -> int:
    """How many core requests of these students a solve met."""
    return _met(folder, lambda r: r["student"] in students and r["type"] == "core")


def solve(workbook: Path, folder: Path, limit: int, reuse: bool) -> tuple[int | None, float]:
    """Solve as explain's checks did: reproducible with no wall guard, seed 0, 2 workers."""
    if reuse and (folder.with_suffix(".done")).exists():
        return met(folder), 0.0
    cmd = [
        *PATHWAYS,
        "solve",
        str(workbook),
        "--out",
        str(folder),
        "--reproducible",
        "--no-wall-guard",
    ]
    done, secs, _cpu = run([*cmd, "--time-limit", str(limit), "--seed", "0", "--workers", "2"])
    if done.returncode not in (0, 1):
        print(done.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"pathways solve {workbook} failed ({done.returncode})")
    # What it said (why it wrote nothing, when it did not).
    folder.with_suffix(".done").write_text(done.stdout[-4000:] + done.stderr[-4000:])
    return met(folder), secs


def wall_decided(folder: Path) -> bool:
    path = folder / "summary.json"
    return path.exists() and bool(json.loads(path.read_text()).get("clock_wall_decided"))


def measured(folder: Path, on: dict[str, Any]) -> int:
    """The requests a conflict's changes were measured on, met in a solve's folder."""
    if on.get("students_core"):
        return core_met(folder, set(on["students_core"]))
    courses = set(on.get("courses", ()))
    return _met(folder, lambda r: r["course"] in courses)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--students", type=int, default=600)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument(
        "--solve", action="store_true", help="solve the top change again from the workbook"
    )
    parser.add_argument(
        "--time-limit", type=int, default=30, help="seconds of every solve (explain's too)"
    )
    parser.add_argument(
        "--solve-changes", type=int, default=2, help="explain's --solve-changes (0: model only)"
    )
    parser.add_argument(
        "--confirm-runs",
        type=int,
        default=1,
        help="explain's --confirm-runs (solves again a gain the wall decided; 0: never)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="reuse OUTDIR's explain answers of an earlier run"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    bases: dict[str, Tables] = {}
    rows = []
    for n, b in enumerate(BREAKS, start=1):
        if args.only and not any(o.casefold() in b.name.casefold() for o in args.only):
            continue
        if b.example not in bases:
            bases[b.example] = generate(b.example, students=args.students, seed=0)
        tables = b.make(bases[b.example])
        book = args.out / f"break{n:02d}.xlsx"
        write_tables(tables, book)
        valid, _, _ = run([*PATHWAYS, "validate", str(book)])
        row: dict[str, Any] = {"n": n, "cause": b.name, "validate": valid.returncode == 0}
        saved = args.out / f"break{n:02d}.explain.json"
        if args.reuse and saved.exists():
            data = json.loads(saved.read_text())
        else:
            flags = ["--solve-changes", str(args.solve_changes)]
            flags += ["--confirm-runs", str(args.confirm_runs)]
            flags += ["--solve-limit", str(args.time_limit), "--seed", "0", "--workers", "2"]
            done, secs, cpu = run([*PATHWAYS, "explain", str(book), "--json", *flags])
            try:
                data = json.loads(done.stdout[done.stdout.index("{") :])
            except ValueError:
                print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
                data = {"conflicts": []}
            data["command_seconds"], data["command_cpu_seconds"] = round(secs, 1), round(cpu, 1)
        # explain's own search (the conflicts, the model's checks), then the whole command
        # with its solves, wall and CPU.
        row["seconds"] = data.get("seconds")
        row["command_seconds"] = data.get("command_seconds")
        row["cpu_seconds"] = data.get("command_cpu_seconds")
        row["solves"] = (data.get("solving") or {}).get("solves")
        hit = next(
            (
                c
                for c in data["conflicts"]
                if b.ids <= names(c) and any(f["kind"] == b.kind for f in c["facts"])
            ),
            None,
        )
        row["named"] = hit is not None
        row["minimal"] = bool(hit and hit["minimal"])
        row["conflicts"] = len(data["conflicts"])
        row["top"] = hit["changes"][0] if hit and hit["changes"] else None
        row["without_gain"] = [c["change"] for c in hit["solved_without_gain"]] if hit else []
        saved.write_text(json.dumps(data, indent=2))
        top = row["top"]
        if top is not None and top.get("solved"):
            row["claim"] = top["solved"]["requests_recovered"]
            row["claim_figures"] = (top["solved"]["met_before"], top["solved"]["met_after"])
            row["claim_repeatable"] = top["solved"]["repeatable"]
            row["claim_confirmed"] = top["solved"].get("confirmed", top["solved"]["repeatable"])
            row["claim_runs"] = (
                top["solved"].get("runs_before", 1),
                top["solved"].get("runs_after", 1),
            )
        if hit is not None and not hit["changes"]:
            # Why none held: each solved change's requests met by course, before -> after.
            row["without_gain_by_course"] = {
                c["change"]: [x for x in c["solved"].get("by_course", []) if x[1] != x[2]]
                for c in hit["solved_without_gain"]
                if c.get("solved")
            }
        if args.solve and hit is not None and top is not None and top.get("solved"):
            before, after = (
                args.out / f"break{n:02d}-solve",
                args.out / f"break{n:02d}-changed-solve",
            )
            broken, _ = solve(book, before, args.time_limit, args.reuse)
            # The steps on the workbook as a timetabler has it: read back from the file.
            changed = apply_steps(workbook_tables(book), top.get("scenario", []))
            fixed_book = args.out / f"break{n:02d}-changed.xlsx"
            write_tables(changed, fixed_book)
            fixed, _ = solve(fixed_book, after, args.time_limit, args.reuse)
            row["met_broken"], row["met_changed"] = broken, fixed
            was, now = measured(before, hit["measured_on"]), measured(after, hit["measured_on"])
            row["measured"] = (was, now)
            row["gained"] = now - was
            row["holds"] = now - was >= row["claim"] > 0
            row["same"] = (was, now) == row["claim_figures"]
            row["wall_decided"] = wall_decided(before) or wall_decided(after)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print()
    print(
        "| # | cause | named | minimal | explain s | command s (cpu s), solves | top change "
        "| claim: requests recovered (met before -> after) | solved again: before -> after "
        "| holds | same figures | all requests met, broken -> changed |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        yes = {True: "yes", False: "no", None: "-"}
        top = r["top"]["change"] if r["top"] else "none recovered requests in a solve"
        if not r["top"] and r.get("without_gain_by_course"):
            top += (
                " ("
                + "; ".join(
                    f"{change}: " + ", ".join(f"{c} {b} -> {a}" for c, b, a in moved)
                    for change, moved in r["without_gain_by_course"].items()
                )
                + ")"
            )
        claim = (
            f"{r['claim']} ({r['claim_figures'][0]} -> {r['claim_figures'][1]})"
            + ("" if r["claim_repeatable"] else ", wall decided")
            + (
                ""
                if r["claim_runs"] == (1, 1)
                else f", worst of {r['claim_runs'][0]} and {r['claim_runs'][1]} runs"
            )
            + ("" if r["claim_confirmed"] else ", not confirmed")
            if "claim" in r
            else "-"
        )
        again = (
            f"{r['measured'][0]} -> {r['measured'][1]}"
            + (", wall decided" if r["wall_decided"] else "")
            if "measured" in r
            else "-"
        )
        print(
            f"| {r['n']} | {r['cause']} | {yes[r['named']]} | {yes[r['minimal']]} | "
            f"{r['seconds']} | {r['command_seconds']} ({r['cpu_seconds']}), {r['solves']} | "
            f"{top} | {claim} | {again} | {yes[r.get('holds')]} | {yes[r.get('same')]} | "
            f"{r.get('met_broken', '-')} -> {r.get('met_changed', '-')} |"
        )


if __name__ == "__main__":
    main()
