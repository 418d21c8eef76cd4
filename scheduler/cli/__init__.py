"""The ``pathways`` command line.

Every command turns bad input into messages a timetabler understands and a non-zero
exit code (2 for input problems, 1 for a failed check), never a traceback.
"""

# ruff: noqa: B008  (typer declares options as argument defaults)

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import typer
from rich.console import Console

from scheduler.model import number_problems as model_number_problems
from scheduler.outputs.atomic import not_own_folder
from scheduler.problems import InputError, Problem, Severity

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Pathways: a personalised timetable for every student, from the school's workbook.",
)


def message_console() -> Console:
    """Messages on stderr. Written to a file or a pipe, a line is never broken (rich
    would break it at 80 columns, in the middle of a path)."""
    c = Console(stderr=True)
    return c if c.is_terminal else Console(stderr=True, soft_wrap=True)


console = message_console()
out = Console()

EXIT_INPUT = 2
EXIT_CHECK = 1
EXIT_INTERRUPTED = 130


def number_problems(time_limit: float | None = None, seed: int | None = None,
                    workers: int | None = None, jobs: int | None = None,
                    names: dict[str, str] | None = None) -> list[str]:
    """What is wrong with the solve's numbers (None: not given), in a timetabler's words.

    :func:`scheduler.model.number_problems` holds the bounds and the words; here each
    number is named by its command-line option unless ``names`` says otherwise.
    """
    return model_number_problems(time_limit, seed, workers, jobs, names={
        "time_limit": "--time-limit", "seed": "--seed", "workers": "--workers",
        "jobs": "--jobs", **(names or {})})


def _refuse(problems: list[str], what: str = "nothing was solved or written") -> None:
    if problems:
        for msg in problems:
            console.print(f"[red]error[/red] {msg}", highlight=False)
        console.print(what + ".", highlight=False)
        raise typer.Exit(EXIT_INPUT)


def _print_problems(problems: list[Problem]) -> None:
    for p in problems:
        style = "red" if p.severity is Severity.ERROR else "yellow"
        label = "error" if p.severity is Severity.ERROR else "warning"
        console.print(f"[{style}]{label}[/{style}] {p}", markup=True, highlight=False)


def _recover(outdir: Path) -> None:
    """Finish or undo an earlier write of ``outdir`` that was stopped part way."""
    from scheduler.outputs.atomic import recover

    try:
        restored = recover(outdir)
    except OSError as exc:
        console.print(f"[red]error[/red] {outdir}: {exc.strerror or exc}", highlight=False)
        raise typer.Exit(EXIT_INPUT) from None
    if restored:
        console.print(f"[yellow]note[/yellow] an earlier write of {outdir} was stopped part "
                      f"way; it now holds {restored}", highlight=False)


def _load(school: Path):  # -> School
    from scheduler.workbook import load_school

    try:
        loaded, warnings = load_school(school)
    except InputError as exc:
        _print_problems(exc.problems)
        errors = len(exc.errors)
        console.print(f"[red]{errors} error(s)[/red] in {school}; nothing was solved or written.")
        raise typer.Exit(EXIT_INPUT) from None
    _print_problems(warnings)
    return loaded, warnings


@app.command()
def validate(
    school: Path = typer.Argument(..., help="School workbook (.xlsx) or folder of CSV sheets."),
    as_json: bool = typer.Option(False, "--json", help="Print problems or summary as JSON."),
) -> None:
    """Check a school workbook and summarise it, or list every problem in it."""
    from scheduler.summary import render_summary, school_summary
    from scheduler.workbook import load_school

    try:
        loaded, warnings = load_school(school)
    except InputError as exc:
        if as_json:
            out.print_json(json.dumps({"ok": False, "problems": [p.as_dict() for p in exc.problems]}))
        else:
            _print_problems(exc.problems)
            console.print(f"[red]{len(exc.errors)} error(s)[/red], {len(exc.warnings)} warning(s) in {school}")
        raise typer.Exit(EXIT_INPUT) from None
    summary = school_summary(loaded)
    if as_json:
        payload = {"ok": True, "problems": [p.as_dict() for p in warnings], "summary": summary}
        out.print_json(json.dumps(payload))
        return
    _print_problems(warnings)
    render_summary(summary, out)


@app.command()
def check(
    school: Path = typer.Argument(..., help="The school workbook the timetable was made for."),
    outdir: Path = typer.Argument(..., help="Folder written by `pathways solve`."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Verify a solved timetable against every rule of the workbook, independently of the solver."""
    from scheduler.checker import check_solution, render_report
    from scheduler.outputs.read import OutputError, read_solution

    loaded, _ = _load(school)
    _recover(outdir)
    try:
        solution = read_solution(outdir, loaded)
    except OutputError as exc:
        for msg in exc.messages:
            console.print(f"[red]error[/red] {msg}", highlight=False)
        raise typer.Exit(EXIT_INPUT) from None
    report = check_solution(loaded, solution)
    if as_json:
        out.print_json(json.dumps(report.as_dict()))
    else:
        render_report(report, out)
    if report.hard_violations:
        raise typer.Exit(EXIT_CHECK)


DEFAULT_EXAMPLE = Path("school.xlsx")


@app.command()
def example(
    name: str = typer.Argument(..., help="tiny, stage-not-age, all-through or federation."),
    out_path: Path | None = typer.Option(
        None, "--out", help="Workbook (.xlsx) or CSV folder to write (replaced if it exists). "
        "Default: ./school.xlsx, which is never replaced without --force."),
    students: int | None = typer.Option(None, "--students", help="Scale to about this many students."),
    seed: int = typer.Option(0, "--seed", help="Random seed of the generator."),
    force: bool = typer.Option(False, "--force", help="Replace ./school.xlsx when --out is not given."),
) -> None:
    """Write one of the bundled example schools as a workbook."""
    from examples.generator import EXAMPLES, MAX_STUDENTS, generate
    from scheduler.tables import write_tables

    if name not in EXAMPLES:
        console.print(f"[red]error[/red] no example called {name!r}; choose one of: {', '.join(EXAMPLES)}")
        raise typer.Exit(EXIT_INPUT)
    if students is not None and not 1 <= students <= MAX_STUDENTS:
        console.print(f"[red]error[/red] --students {students} is out of range; expected a whole "
                      f"number from 1 to {MAX_STUDENTS}", highlight=False)
        raise typer.Exit(EXIT_INPUT)
    target = DEFAULT_EXAMPLE if out_path is None else out_path
    existed = os.path.lexists(target)
    why = None if target.suffix.lower() == ".xlsx" else not_own_folder(target)
    if why:
        console.print(f"[red]error[/red] --out {why}; give a new .xlsx file or a folder of its "
                      "own for the CSV sheets", highlight=False)
        raise typer.Exit(EXIT_INPUT)
    if out_path is None and existed and not force:
        console.print(f"[red]error[/red] {target} already exists and was left as it is; give "
                      "--out FILE to write the example elsewhere, or --force to replace it",
                      highlight=False)
        raise typer.Exit(EXIT_INPUT)
    tables = generate(name, students=students, seed=seed)
    try:
        write_tables(tables, target)
    except OSError as exc:
        console.print(f"[red]error[/red] could not write {target}: {exc.strerror or exc}; "
                      "nothing was written", highlight=False)
        raise typer.Exit(EXIT_INPUT) from None
    n = len(tables.get("Students", []))
    replaced = "; it replaced the one that was there" if existed else ""
    console.print(f"wrote {target} ({name}, {n} students{replaced})", highlight=False)


@app.command()
def solve(
    school: Path = typer.Argument(..., help="School workbook (.xlsx) or folder of CSV sheets."),
    outdir: Path = typer.Option(..., "--out", help="Folder to write the timetable into."),
    time_limit: float | None = typer.Option(None, "--time-limit", help="Seconds (default: Settings, else 60)."),
    seed: int | None = typer.Option(None, "--seed", help="Random seed (default: Settings, else 0)."),
    workers: int | None = typer.Option(None, "--workers", help="Solver threads (default: Settings, else 2)."),
    quiet: bool = typer.Option(False, "--quiet", help="No live progress line."),
    reproducible: bool = typer.Option(
        False, "--reproducible",
        help="The same workbook and seed give the same timetable, run after run, with any "
             "--workers (several threads then take turns: on the 600-student regression "
             "school about 10 points fewer options met in 120 s). Without it, --workers 1 "
             "is reproducible and several workers are faster but may differ run to run."),
) -> None:
    """Build and solve the timetable: every group's times, room and staff; every student's groups.

    An existing result in the output folder is replaced only by a complete new timetable,
    switched in at once. Without a timetable (infeasible, none found in the time, Ctrl-C
    too early) nothing is written and the exit code is 1 (130 after Ctrl-C).
    """
    from scheduler.solver.engine import SolveOptions, solve_school

    began = time.monotonic()
    _refuse(number_problems(time_limit, seed, workers))
    _check_out(outdir, school)
    loaded, _ = _load(school)
    opts = SolveOptions.from_settings(loaded.settings, time_limit=time_limit, seed=seed, workers=workers)
    # Values from the Settings sheet meet the same bounds (precedence: CLI, Settings, defaults).
    _refuse(number_problems(opts.time_limit, opts.seed, opts.workers, names={
        "time_limit": "Settings time_limit_s", "seed": "Settings seed",
        "workers": "Settings workers"}))
    # The time limit is the whole command's: reading the workbook (3 s for 2,000 students)
    # comes out of it.
    opts = replace(opts, time_limit=max(1.0, opts.time_limit - (time.monotonic() - began)),
                   deterministic=True if reproducible else None)
    try:
        solution = solve_school(loaded, opts, progress=not quiet)
    except KeyboardInterrupt:
        # Ctrl-C outside a search (while a model was being built): nothing to keep yet.
        console.print(f"interrupted before any timetable was found; nothing was written"
                      f"{_kept_note(outdir)}", highlight=False)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    _write_solution(loaded, solution, outdir)


def _check_out(outdir: Path, school: Path) -> None:
    """Refuse an output folder that cannot be written before spending the time to solve."""
    if os.path.lexists(outdir) and not outdir.is_dir():
        _refuse([f"--out {outdir} is a file, not a folder; give a folder for the timetable"])
    why = not_own_folder(outdir, school)
    if why:
        msg = (f"--out {why}; give a folder of its own for the timetable (a new result "
               "replaces the folder as a whole)")
        _refuse([msg])
    _recover(outdir)
    ancestor = outdir.absolute()
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir() or not os.access(ancestor, os.W_OK | os.X_OK):
        _refuse([f"--out {outdir}: cannot write into {ancestor}"])


#: Files whose presence means the folder holds a result of an earlier solve.
_RESULT_FILES = ("summary.json", "timetable.csv", "groups.csv")


def _has_result(outdir: Path) -> bool:
    return any((outdir / name).exists() for name in _RESULT_FILES)


def _kept_note(outdir: Path) -> str:
    return f"; {outdir} keeps its previous timetable" if _has_result(outdir) else ""


def _write_solution(loaded, solution, outdir: Path) -> None:  # School, Solution
    from scheduler.solution import Status

    status = solution.status.value
    if not solution.groups or solution.status not in (Status.OPTIMAL, Status.FEASIBLE):
        # No timetable: nothing to write, and above all nothing to write over a result
        # that is there (an empty timetable would replace it).
        reasons = solution.stats.get("explanation") if isinstance(solution.stats, dict) else None
        for reason in reasons if isinstance(reasons, list) else ():
            console.print(f"  {reason}", highlight=False)
        what = ("interrupted before any timetable was found" if solution.interrupted
                else "no timetable was found")
        console.print(f"{what} ({status}); nothing was written{_kept_note(outdir)}",
                      highlight=False)
        raise typer.Exit(EXIT_INTERRUPTED if solution.interrupted else EXIT_CHECK)
    stop = _write_without_interruption(loaded, solution, outdir)
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
    if stop:
        console.print("interrupted while writing: the timetable was written first.",
                      highlight=False)
        raise typer.Exit(EXIT_INTERRUPTED)


def _write_without_interruption(loaded, solution, outdir: Path) -> bool:
    """Write the outputs, holding Ctrl-C until they are complete (a few seconds): the solve
    they come from took far longer. Returns whether Ctrl-C was pressed meanwhile."""
    from scheduler.outputs.write import write_outputs

    pressed: list[int] = []
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum)) \
        if main else None
    had_exports = (outdir / "exports").is_dir()
    try:
        write_outputs(loaded, solution, outdir)
    except OSError as exc:
        console.print(f"[red]error[/red] could not write {outdir}: {exc.strerror or exc}; "
                      f"nothing was written{_kept_note(outdir)}", highlight=False)
        raise typer.Exit(EXIT_INPUT) from None
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)
    if had_exports:
        console.print(f"[yellow]note[/yellow] the old {outdir / 'exports'} (made from the "
                      f"previous timetable) was removed; run `pathways export {outdir}` for "
                      "this one", highlight=False)
    return bool(pressed)


# Commands that live in their own modules register themselves here.
from scheduler.cli import export, scenario

export.register(app)
scenario.register(app)


def _pin_hash_seed() -> None:  # pragma: no cover - re-executes the process
    """Run with Python's string hashing fixed (PYTHONHASHSEED=0).

    Python orders sets of strings differently in every process unless PYTHONHASHSEED is
    set, and the solve builds parts of its models in such orders; CP-SAT's search follows
    the model's order, so the same seed gave different timetables from one run to the
    next (measured on a 150-student example with one worker). Fixed once here, at the
    command line's entry, for every command.
    """
    if os.environ.get("PYTHONHASHSEED") == "0" or getattr(sys, "frozen", False):
        return
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    try:
        os.execve(sys.executable, [sys.executable, "-m", "scheduler.cli", *sys.argv[1:]], env)
    except OSError:
        return  # cannot re-execute here: run on, only less reproducibly


def main() -> None:  # pragma: no cover - entry point
    _pin_hash_seed()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()

