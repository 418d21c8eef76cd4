"""What the commands share: the message console, exit codes, the check of the solve's
numbers, and reading a workbook or an output folder with messages instead of tracebacks."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from scheduler.model import School
from scheduler.model import number_problems as model_number_problems
from scheduler.workbook.problems import InputError, Problem, Severity

if TYPE_CHECKING:
    from scheduler.solution import Solution


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


#: What the solve's numbers are called on the command line (their options).
OPTION_NAMES = {
    "time_limit": "--time-limit",
    "seed": "--seed",
    "workers": "--workers",
    "jobs": "--jobs",
}

#: What is wrong with the solve's numbers, each named by its command-line option:
#: :func:`scheduler.model.number_problems` (which holds the bounds and the words) with
#: :data:`OPTION_NAMES`.
number_problems = partial(model_number_problems, names=OPTION_NAMES)


def print_errors(messages: Iterable[str]) -> None:
    """Each message as an ``error`` line, as written (brackets in it are not markup)."""
    for msg in messages:
        console.print(f"[red]error[/red] {escape(msg)}", highlight=False)


def fail(messages: Iterable[str], what: str | None = None) -> NoReturn:
    """Print the messages as errors, then ``what`` (what was not done) when given, and
    exit with :data:`EXIT_INPUT`."""
    print_errors(messages)
    if what is not None:
        console.print(what + ".", highlight=False, markup=False)
    raise typer.Exit(EXIT_INPUT)


def refuse(problems: list[str], what: str = "nothing was solved or written") -> None:
    """Print the problems, if any, and exit with :data:`EXIT_INPUT` (:func:`fail`)."""
    if problems:
        fail(problems, what)


def print_problems(problems: list[Problem]) -> None:
    """Print a workbook's errors and warnings, one a line."""
    for p in problems:
        style = "red" if p.severity is Severity.ERROR else "yellow"
        label = "error" if p.severity is Severity.ERROR else "warning"
        console.print(f"[{style}]{label}[/{style}] {p}", markup=True, highlight=False)


def recover_folder(outdir: Path) -> None:
    """Finish or undo an earlier write of ``outdir`` that was stopped part way."""
    from scheduler.files.atomic import recover

    try:
        restored = recover(outdir)
    except OSError as exc:
        fail([f"{outdir}: {exc.strerror or exc}"])
    if restored:
        console.print(
            f"[yellow]note[/yellow] an earlier write of {outdir} was stopped part "
            f"way; it now holds {restored}",
            highlight=False,
        )


def read_timetable(
    folder: Path, school: School, label: str = "", what: str | None = None
) -> Solution:
    """Read an output folder (after finishing or undoing a stopped write of it); when it
    cannot be read, print every problem (each after ``label``, and then ``what`` when
    given) and exit with :data:`EXIT_INPUT`."""
    from scheduler.outputs.read import OutputError, read_solution

    recover_folder(folder)
    try:
        return read_solution(folder, school)
    except OutputError as exc:
        fail([f"{label}{m}" for m in exc.messages], what)


def read_school(school: Path) -> tuple[School, list[Problem]]:
    """Read the school workbook and print its warnings; with errors, print them and exit
    with :data:`EXIT_INPUT`."""
    from scheduler.workbook.read import load_school

    try:
        loaded, warnings = load_school(school)
    except InputError as exc:
        print_problems(exc.problems)
        errors = len(exc.errors)
        console.print(f"[red]{errors} error(s)[/red] in {school}; nothing was solved or written.")
        raise typer.Exit(EXIT_INPUT) from None
    print_problems(warnings)
    return loaded, warnings
