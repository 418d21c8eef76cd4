"""Pathways from Python: read a school, solve it, check the timetable, write it out.

A thin, typed façade over what the ``pathways`` commands do, for a school's own scripts,
notebooks and information systems::

    from scheduler import load_school, solve, check, export

    school = load_school("school.xlsx")          # WorkbookError lists every problem
    solution = solve(school, time_limit=60, seed=1, workers=2)
    report = check(school, solution)             # the independent checker
    if report.ok:
        export(school, solution, "timetable")    # the solve's files + xlsx, ics, html, csv

Each function is the same code path as its command (``validate``, ``solve``, ``check``,
``export``), without the terminal: problems are raised as exceptions carrying every
message instead of being printed, and nothing is written to stdout or stderr.

Importing this module is cheap: OR-Tools is imported only when :func:`solve` runs, and
the checker and the exports only when :func:`check` and :func:`export` do.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from scheduler.model import SETTINGS_NAMES, School, Settings, number_problems
from scheduler.solution import Solution, Status
from scheduler.workbook.problems import InputError, Problem, Severity

if TYPE_CHECKING:
    from datetime import date

    from scheduler.checker import CheckReport
    from scheduler.exports.run import ExportResult
    from scheduler.solver.engine import SolveOptions

__all__ = ["WorkbookError", "check", "export", "load_school", "solve"]

PathLike = str | os.PathLike[str]


class WorkbookError(InputError):
    """A workbook with errors: nothing can be solved from it.

    ``problems`` holds every problem found (errors and warnings, in workbook order),
    ``errors`` and ``warnings`` each kind; each
    :class:`~scheduler.workbook.problems.Problem` names its sheet, row and column
    (``as_dict()`` gives them as JSON). ``str()`` of the exception lists every error, one
    a line. A subclass of :class:`~scheduler.workbook.problems.InputError`, which the
    command line catches.
    """

    def __init__(self, path: PathLike, problems: list[Problem]):
        super().__init__(problems)
        self.path = Path(path)

    def __str__(self) -> str:
        errors = self.errors
        head = f"{len(errors)} error(s) in {self.path}; nothing can be solved from it"
        return "\n".join([head, *(f"  {p}" for p in errors)])


def load_school(path: PathLike, *, warnings: list[Problem] | None = None) -> School:
    """Read and validate a school workbook (``.xlsx``) or folder of CSV sheets.

    The contract is ``docs/workbook.md``; this is ``pathways validate``. Raises
    :class:`WorkbookError` carrying every problem when the workbook has any error, and
    nothing else whatever the file holds. Warnings (suspicious but usable data) do not
    stop the reading: pass a list as ``warnings`` to receive them.
    """
    from scheduler.workbook.read import load_school as read_workbook

    try:
        school, found = read_workbook(path)
    except InputError as exc:
        raise WorkbookError(path, exc.problems) from None
    if warnings is not None:
        warnings.extend(p for p in found if p.severity is Severity.WARNING)
    return school


def solve(
    school: School,
    *,
    time_limit: float | None = None,
    seed: int | None = None,
    workers: int | None = None,
    progress: bool = False,
) -> Solution:
    """Build and solve the timetable: every group's times, room and staff; every student's
    groups. This is ``pathways solve`` without writing anything.

    ``time_limit`` (seconds, at most a week), ``seed`` (0 to 2^31-1) and ``workers``
    (solver threads, 1 to 64) default to the workbook's Settings, else 60 s, 0 and 2;
    a number out of range raises :class:`ValueError`. ``progress`` shows the live
    progress line on stderr.

    Never raises for a school that has no timetable: the solution's ``status`` says how
    the solve ended (:class:`~scheduler.solution.Status`; a timetable only when
    ``OPTIMAL`` or ``FEASIBLE``), ``interrupted`` whether Ctrl-C cut it short, and
    ``stats["explanation"]`` why there is none when there is none.

    The same school, seed and ``workers=1`` give the same timetable, from one process to
    the next when Python's string hashing is fixed (``PYTHONHASHSEED=0`` in the
    environment, which the command line sets for itself).
    """
    _refuse(number_problems(time_limit, seed, workers))
    opts = solve_options(school.settings, time_limit, seed, workers, _refuse)
    from scheduler.solver.engine import solve_school  # OR-Tools: only from here on

    return solve_school(school, opts, progress=progress)


def solve_options(
    settings: Settings,
    time_limit: float | None,
    seed: int | None,
    workers: int | None,
    refuse: Callable[[list[str]], None],
) -> SolveOptions:
    """The solve's options: each number as given, else the Settings sheet's, else the
    default. The numbers given are checked by the caller first; what comes from Settings
    meets the same bounds, named by its Settings key, else ``refuse`` is called with what
    is wrong (and must not return). :func:`solve` and ``pathways solve`` both use it."""
    from scheduler.solver.engine import SolveOptions  # OR-Tools: only from here on

    opts = SolveOptions.from_settings(settings, time_limit=time_limit, seed=seed, workers=workers)
    problems = number_problems(opts.time_limit, opts.seed, opts.workers, names=SETTINGS_NAMES)
    if problems:
        refuse(problems)
    return opts


def check(school: School, solution: Solution | PathLike) -> CheckReport:
    """Verify a timetable against every rule of the workbook, independently of the solver.

    ``solution`` is a :class:`~scheduler.solution.Solution` (from :func:`solve`) or a
    folder written by :func:`export` or ``pathways solve``, read back file by file as
    ``pathways check`` does (a write of it stopped part way is finished or undone
    first; files that cannot be read raise
    :class:`~scheduler.outputs.read.OutputError`). Returns the checker's report:
    ``ok`` (no hard rule broken), ``violations`` (each with its ``rule``, ``message`` and
    ``hard``), ``figures`` and the objective recomputed term by term; ``as_dict()`` is
    ``pathways check --json``.
    """
    from scheduler.checker import check_solution

    if not isinstance(solution, Solution):
        from scheduler.files.atomic import recover
        from scheduler.outputs.read import read_solution

        recover(solution)
        solution = read_solution(solution, school)
    return check_solution(school, solution)


def export(
    school: School,
    solution: Solution,
    folder: PathLike,
    formats: Iterable[str] | None = None,
    *,
    students: Sequence[str] | None = None,
    staff: Sequence[str] | None = None,
    rooms: Sequence[str] | None = None,
    term_start: date | None = None,
    term_end: date | None = None,
) -> ExportResult:
    """Write a timetable into ``folder``, then export it in the formats people use.

    First the solve's own files (``timetable.csv``, ``groups.csv``, ``requests.csv``,
    ``summary.json``, the week grids...: ``docs/outputs.md``), exactly as
    ``pathways solve --out folder`` writes them; then ``formats`` (``xlsx``, ``ics``,
    ``html``, ``csv``; default all four, ``()`` none) under ``folder/exports``, as
    ``pathways export folder`` does (``docs/exports.md``). ``students``, ``staff`` and
    ``rooms`` export only the timetables named; ``term_start`` and ``term_end`` bound
    the calendars (default: Settings ``term_start`` and ``term_end``).

    Each folder is replaced as a whole, only once complete; your own files in
    ``folder`` are kept. Raises :class:`ValueError` for a solution without a timetable
    (nothing is written, so a previous result stays) or a folder that is (or holds) the
    current folder, :class:`~scheduler.exports.grid.ExportError` for an unknown format or
    id (the solve's files are written by then) and :class:`OSError` when the folder
    cannot be written. Returns what the exports wrote (``files`` per format, ``notes``
    on what was assumed); its ``folder`` is ``folder/exports``, or ``folder`` when no
    format was asked.
    """
    from scheduler.exports.run import FORMATS, ExportResult, known_formats
    from scheduler.exports.run import export as export_formats
    from scheduler.files.atomic import not_own_folder
    from scheduler.outputs.write import write_outputs

    if not solution.groups or solution.status not in (Status.OPTIMAL, Status.FEASIBLE):
        raise ValueError(
            f"the solution holds no timetable (status {solution.status.value}); nothing was written"
        )
    why = not_own_folder(folder)
    if why:
        raise ValueError(
            f"{why}; give a folder of its own for the timetable (it is replaced as a whole)"
        )
    wanted = known_formats(
        FORMATS
        if formats is None
        # before writing anything
        else [formats]
        if isinstance(formats, str)
        else formats
    )
    write_outputs(school, solution, folder)
    if not wanted:
        return ExportResult(Path(folder))
    return export_formats(
        folder,
        wanted,
        students=students,
        staff=staff,
        rooms=rooms,
        term_start=term_start,
        term_end=term_end,
    )


def _refuse(problems: list[str]) -> None:
    if problems:
        raise ValueError("; ".join(problems))
