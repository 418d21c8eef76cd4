"""``pathways solve``: build and solve the timetable, and write it without ever losing the
result already in the output folder."""

# ruff: noqa: B008  (typer declares options as argument defaults)

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from scheduler.cli.common import (
    EXIT_CHECK,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    console,
    number_problems,
    read_school,
    read_timetable,
    recover_folder,
    refuse,
)
from scheduler.files.atomic import not_own_folder

if TYPE_CHECKING:  # imported where used, when the solve runs
    from scheduler.model import School
    from scheduler.solution import Solution


def solve(
    school: Path = typer.Argument(..., help="School workbook (.xlsx) or folder of CSV sheets."),
    outdir: Path = typer.Option(..., "--out", help="Folder to write the timetable into."),
    time_limit: float | None = typer.Option(
        None, "--time-limit", help="Seconds (default: Settings, else 60)."
    ),
    seed: int | None = typer.Option(
        None, "--seed", help="Random seed (default: Settings, else 0)."
    ),
    workers: int | None = typer.Option(
        None, "--workers", help="Solver threads (default: Settings, else 2)."
    ),
    quiet: bool = typer.Option(False, "--quiet", help="No live progress line."),
    reproducible: bool = typer.Option(
        False,
        "--reproducible/--free-running",
        help="--reproducible: the same workbook, seed and options give the same timetable, "
        "run after run, with any --workers (the solve counts CP-SAT's deterministic time "
        "instead of reading the clock, and several threads take turns), unless the wall "
        "clock had to decide to end near the limit (summary.json: clock_wall_decided); how "
        "near its limit it ends depends on the machine's speed (add --no-wall-guard to "
        "repeat on a slow machine, which then runs longer). --free-running (the default): "
        "the wall clock decides and the threads share solutions as they come; with "
        "--workers 1 it is reproducible too.",
    ),
    wall_guard: bool = typer.Option(
        True,
        "--wall-guard/--no-wall-guard",
        help="With --reproducible: --no-wall-guard lets the count alone decide, never the "
        "wall clock, so that a busy or slow machine still gives the same timetable (and "
        "runs past the time limit by as much as it is slower).",
    ),
    first: bool = typer.Option(
        False,
        "--first",
        help="Stop at the first complete timetable (a quick draft, made in the first "
        "seconds): no search for a better one. summary.json: stopped_at_first.",
    ),
    portfolio: int | None = typer.Option(
        None,
        "--portfolio",
        help="N solves with seeds SEED to SEED+N-1 on Dask (this machine's cores, or "
        "--cluster); each is checked and the best checked timetable written.",
    ),
    cluster: str | None = typer.Option(
        None, "--cluster", help="With --portfolio: a Dask scheduler's address (tcp://HOST:8786)."
    ),
    published: Path | None = typer.Option(
        None,
        "--from",
        help="A folder an earlier solve wrote (the published timetable): keep it as far as "
        "the rules allow (lessons' times, then staff, then rooms, then students' groups) "
        "and write changes.csv with everything that changed.",
    ),
    keep: list[str] = typer.Option(
        [],
        "--keep",
        help="With --from, repeatable: `times` moves no lesson, `staff` changes no group's "
        "staff, `rooms` moves no lesson that keeps its time to another room, wherever the "
        "rules let it stay.",
    ),
    max_changed: int | None = typer.Option(
        None,
        "--max-changed",
        help="With --from: at most this many students who asked for no change may see "
        "their timetable change (new students and changed requests do not count).",
    ),
) -> None:
    """Build and solve the timetable: every group's times, room and staff; every student's groups.

    An existing result in the output folder is replaced only by a complete new timetable,
    switched in at once. Without a timetable (infeasible, none found in the time, Ctrl-C
    too early) nothing is written and the exit code is 1 (130 after Ctrl-C).
    """
    from scheduler.api import solve_options
    from scheduler.solver.budget import POLICY
    from scheduler.solver.engine import solve_school

    began = time.monotonic()
    refuse(number_problems(time_limit, seed, workers))
    from scheduler.cli.portfolio import best_of, portfolio_problems

    refuse(portfolio_problems(portfolio, cluster))
    refuse(_from_problems(published, keep, portfolio, max_changed))
    if first and (published is not None or portfolio is not None):
        refuse(["--first cannot be combined with --from or --portfolio: leave one out"])
    _check_out(outdir, school)
    loaded, _ = read_school(school)
    # The published timetable, read for the (edited) workbook.
    before = (
        read_timetable(published, loaded, "--from ", "nothing was solved or written")
        if published is not None
        else None
    )
    # Precedence: the command line, Settings, the defaults; Settings' values meet the same
    # bounds.
    opts = solve_options(loaded.settings, time_limit, seed, workers, refuse)
    # The time limit is the whole command's: reading the workbook (3 s for 2,000 students)
    # comes out of it, counted by the school's size where the timetable must repeat (the
    # measured time differs run to run, and so would every share of the limit).
    opts = replace(
        opts,
        deterministic=True if reproducible else None,
        wall_guard=wall_guard,
        first_only=first,
    )
    reading = POLICY.reading(len(loaded.students)) if opts.counted else time.monotonic() - began
    opts = replace(opts, time_limit=max(1.0, opts.time_limit - reading))
    if portfolio is not None:
        _write_solution(loaded, best_of(loaded, opts, portfolio, cluster, quiet), outdir)
        return
    try:
        solution = solve_school(
            loaded,
            opts,
            progress=not quiet,
            published=before,
            keep=frozenset(keep),
            max_changed=max_changed,
        )
    except KeyboardInterrupt:
        # Ctrl-C outside a search (while a model was being built): nothing to keep yet.
        console.print(
            f"interrupted before any timetable was found; nothing was written{_kept_note(outdir)}",
            highlight=False,
        )
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if before is None:
        _write_solution(loaded, solution, outdir)
        return
    from scheduler.changes import asked_to_change, compare, write_changes

    changes = compare(loaded, before, solution)
    asked = asked_to_change(loaded, before)
    bystanders = sum(1 for c in changes.rows if c.kind == "student" and c.student not in asked)
    if max_changed is not None and bystanders > max_changed and solution.groups:
        console.print(
            f"the re-solve changes the timetable of {bystanders} students who asked for no "
            f"change (--max-changed {max_changed}); nothing was written{_kept_note(outdir)}",
            highlight=False,
        )
        raise typer.Exit(EXIT_CHECK)
    solution = solution.with_stats({"students_not_asked_changed": bystanders, **changes.counts()})
    _write_solution(
        loaded, solution, outdir, also=lambda folder: write_changes(changes, folder / "changes.csv")
    )
    console.print(changes.line() + f" (see {outdir / 'changes.csv'})", highlight=False)


def _from_problems(
    published: Path | None, keep: list[str], portfolio: int | None, max_changed: int | None
) -> list[str]:
    out = [
        f"--keep {k}: expected `times`, `staff` or `rooms`"
        for k in keep
        if k not in ("times", "staff", "rooms")
    ]
    if keep and published is None:
        out.append("--keep needs --from PUBLISHED (the timetable to keep)")
    if max_changed is not None and published is None:
        out.append("--max-changed needs --from PUBLISHED (the timetable to keep)")
    if max_changed is not None and max_changed < 0:
        out.append(f"--max-changed {max_changed}: expected a whole number 0 or more")
    if published is not None and portfolio is not None:
        out.append("--from and --portfolio cannot be used together")
    if published is not None and not (published / "groups.csv").is_file():
        out.append(f"--from {published}: no groups.csv there; give a folder `pathways solve` wrote")
    return out


def _check_out(outdir: Path, school: Path) -> None:
    """Refuse an output folder that cannot be written before spending the time to solve."""
    if os.path.lexists(outdir) and not outdir.is_dir():
        refuse([f"--out {outdir} is a file, not a folder; give a folder for the timetable"])
    why = not_own_folder(outdir, school)
    if why:
        msg = (
            f"--out {why}; give a folder of its own for the timetable (a new result "
            "replaces the folder as a whole)"
        )
        refuse([msg])
    recover_folder(outdir)
    ancestor = outdir.absolute()
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir() or not os.access(ancestor, os.W_OK | os.X_OK):
        refuse([f"--out {outdir}: cannot write into {ancestor}"])


#: Files whose presence means the folder holds a result of an earlier solve.
_RESULT_FILES = ("summary.json", "timetable.csv", "groups.csv")


def _has_result(outdir: Path) -> bool:
    return any((outdir / name).exists() for name in _RESULT_FILES)


def _kept_note(outdir: Path) -> str:
    return f"; {outdir} keeps its previous timetable" if _has_result(outdir) else ""


def _write_solution(
    loaded: School,
    solution: Solution,
    outdir: Path,
    also: Callable[[Path], None] | None = None,
) -> None:
    from scheduler.solution import Status

    status = solution.status.value
    if not solution.groups or solution.status not in (Status.OPTIMAL, Status.FEASIBLE):
        # No timetable: nothing to write, and above all nothing to write over a result
        # that is there (an empty timetable would replace it).
        for reason in solution.stats.explanation:
            console.print(f"  {reason}", highlight=False)
        what = (
            "interrupted before any timetable was found"
            if solution.interrupted
            else "no timetable was found"
        )
        console.print(
            f"{what} ({status}); nothing was written{_kept_note(outdir)}", highlight=False
        )
        raise typer.Exit(EXIT_INTERRUPTED if solution.interrupted else EXIT_CHECK)
    stop = _write_without_interruption(loaded, solution, outdir, also)
    summary = json.loads((outdir / "summary.json").read_text())
    line = (
        f"{summary['status']}: core {summary['requests_core_met']}/{summary['requests_core']}, "
        f"options {summary['requests_option_met']}/{summary['requests_option']}, "
        f"first choices {summary['first_choice_met']}, {summary['groups']} groups, "
        f"{summary['wall_s']:.1f}s -> {outdir}"
    )
    if solution.interrupted:
        line = "interrupted; wrote the best timetable found so far. " + line
    console.print(line, highlight=False)
    bounded = _bounds_line(summary)
    if bounded:
        console.print(bounded, highlight=False)
    for line in not_run_lines(summary):
        console.print(line, highlight=False)
    if stop:
        console.print(
            "interrupted while writing: the timetable was written first.", highlight=False
        )
        raise typer.Exit(EXIT_INTERRUPTED)


def not_run_lines(summary: dict[str, Any], most: int = 10) -> list[str]:
    """What the terminal says of planned groups that do not run (summary.json's
    ``groups_unstaffed_why``: nobody could teach them; ``groups_unplaced_why``: no times),
    by course with why: at most ``most`` courses each, then how many more; then how many
    spare groups nobody could teach (``groups_spare_unstaffed``)."""
    proven = len(summary.get("groups_impossible") or [])
    kinds = (
        ("groups_unstaffed_why", "could not be staffed"),
        (
            "groups_unplaced_why",
            "got no times"
            + (f" ({proven} cannot be placed under the hard rules at all)" if proven else ""),
        ),
    )
    lines: list[str] = []
    for key, what in kinds:
        rows = summary.get(key) or []
        if not rows:
            continue
        n = sum(int(r["groups"]) for r in rows)
        lines.append(
            f"{n} planned group(s) {what}; their students were placed in other groups "
            "where they fit (requests.csv gives each unmet request's reason):"
        )
        lines += [f"  {r['reason']} ({r['groups']} of {r['of']} groups)" for r in rows[:most]]
        if len(rows) > most:
            lines.append(f"  ... and {len(rows) - most} more course(s): see summary.json")
    spare = len(summary.get("groups_spare_unstaffed") or [])
    if spare:
        lines.append(
            f"{spare} spare group(s), planned beyond the seats the requests need to give "
            "more choice of times, had nobody free to teach them and do not run."
        )
    return lines


def _write_without_interruption(
    loaded: School,
    solution: Solution,
    outdir: Path,
    also: Callable[[Path], None] | None = None,
) -> bool:
    """Write the outputs, holding Ctrl-C until they are complete (a few seconds): the solve
    they come from took far longer. Returns whether Ctrl-C was pressed meanwhile."""
    from scheduler.outputs.write import write_outputs

    pressed: list[int] = []
    main = threading.current_thread() is threading.main_thread()
    previous = (
        signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum)) if main else None
    )
    had_exports = (outdir / "exports").is_dir()
    try:
        write_outputs(loaded, solution, outdir, also)
    except OSError as exc:
        console.print(
            f"[red]error[/red] could not write {outdir}: {exc.strerror or exc}; "
            f"nothing was written{_kept_note(outdir)}",
            highlight=False,
        )
        raise typer.Exit(EXIT_INPUT) from None
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)
    if had_exports:
        console.print(
            f"[yellow]note[/yellow] the old {outdir / 'exports'} (made from the "
            f"previous timetable) was removed; run `pathways export {outdir}` for "
            "this one",
            highlight=False,
        )
    return bool(pressed)


def register(app: typer.Typer) -> None:
    """Add ``pathways solve`` to the ``pathways`` app."""
    app.command()(solve)


def _gap(met: int, most: int) -> str:
    return "0%" if most <= 0 else f"{100.0 * (most - met) / most:.1f}%"


def _bounds_line(summary: dict[str, Any]) -> str | None:
    """ "met X of at most Y (gap Z%)" from summary.json's proven bounds (scheduler.bounds)."""
    keys = ("core_met_at_most", "options_met_at_most", "first_choices_met_at_most")
    if not all(isinstance(summary.get(k), int) for k in keys):
        return None
    parts = []
    for label, met, most in (
        ("core", summary["requests_core_met"], summary["core_met_at_most"]),
        ("options", summary["requests_option_met"], summary["options_met_at_most"]),
        ("first choices", summary["first_choice_met"], summary["first_choices_met_at_most"]),
    ):
        parts.append(f"{label} met {met} of at most {most} (gap {_gap(met, most)})")
    return "proven bounds: " + "; ".join(parts)
