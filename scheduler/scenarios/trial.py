"""A school and changed copies of it, each solved as ``pathways solve --reproducible
--no-wall-guard`` would, so that what a change recovers is measured, and measured again
the same (issue 15: ``pathways explain``'s suggested changes checked by a real solve).

A change is a list of scenario steps (``{"change": name, **settings}``, a transformation
of :mod:`scheduler.scenarios.transforms`, or ``{"change": "remove_row", "sheet": ...,
"row": n}`` for a workbook row to delete). :func:`changed_school` applies them to the
workbook's tables, writes the changed workbook and reads it back, as a scenario run does
(so it is validated like any workbook); :func:`solve_reproducibly` solves a school with
the options of ``pathways solve BOOK --reproducible --time-limit T --seed S --workers W``
(reading the workbook counted by the school's size, the phases by CP-SAT's
deterministic time), so the same workbook and options give the same timetable in this
process and in that command (which fixes Python's string hashing for itself; run from
``pathways``, so does this).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scheduler.model import School
from scheduler.workbook.tables import Tables, write_tables

if TYPE_CHECKING:
    from scheduler.solution import RequestOutcome, Solution

__all__ = [
    "Measured",
    "TrialOptions",
    "apply_steps",
    "changed_school",
    "measure",
    "solve_reproducibly",
    "workbook_tables",
]


@dataclass(frozen=True)
class TrialOptions:
    """The options every solve of one comparison shares (``pathways solve`` flags)."""

    time_limit: float = 60.0
    seed: int = 0
    workers: int = 2

    def command(self, book: str = "BOOK", out: str = "DIR") -> str:
        """The command that gives the same timetable."""
        return (
            f"pathways solve {book} --out {out} --reproducible --no-wall-guard --time-limit "
            f"{self.time_limit:g} --seed {self.seed} --workers {self.workers}"
        )


def workbook_tables(path: str | os.PathLike[str]) -> Tables:
    """A workbook's (``.xlsx`` or folder of CSVs) sheets as tables, as a scenario file's
    base workbook is read (:meth:`scheduler.scenarios.spec.BaseSpec.tables`)."""
    from scheduler.scenarios.spec import BaseSpec

    return BaseSpec(path=Path(path)).tables()


def apply_steps(tables: Tables, steps: Iterable[Mapping[str, Any]]) -> Tables:
    """Scenario steps applied in order to the tables (new tables; ``tables`` untouched).
    ``remove_row`` deletes a row by its workbook row number (row 1 is the header)."""
    from scheduler.scenarios.transforms import apply_change

    for step in steps:
        settings = dict(step)
        name = settings.pop("change")
        if name == "remove_row":
            rows = list(tables[settings["sheet"]])
            del rows[int(settings["row"]) - 2]
            tables = {**tables, settings["sheet"]: rows}
        else:
            tables = apply_change(tables, name, settings)
    return tables


def changed_school(
    tables: Tables, steps: Iterable[Mapping[str, Any]], book: str | os.PathLike[str]
) -> School:
    """The school the steps make of these tables: written as the workbook ``book``
    (``.xlsx``) and read back, so that it is the school ``pathways solve book`` reads.
    Raises :class:`~scheduler.workbook.problems.InputError` when the changed workbook has
    errors."""
    from scheduler.workbook.read import load_school

    write_tables(apply_steps(tables, steps), book)
    school, _ = load_school(book)
    return school


def solve_reproducibly(school: School, opts: TrialOptions) -> Solution:
    """Solve as ``pathways solve --reproducible --no-wall-guard`` with these options does
    (the count alone decides, never the wall): the limit is the whole command's, less the
    reading counted by the school's size."""
    from scheduler.solver.budget import POLICY
    from scheduler.solver.engine import SolveOptions, solve_school

    solve_opts = SolveOptions.from_settings(
        school.settings, time_limit=opts.time_limit, seed=opts.seed, workers=opts.workers
    )
    # The count alone decides (no wall guard): a claim must repeat on a busy machine too.
    solve_opts = replace(solve_opts, deterministic=True, wall_guard=False)
    reading = POLICY.reading(len(school.students))
    solve_opts = replace(solve_opts, time_limit=max(1.0, solve_opts.time_limit - reading))
    return solve_school(school, solve_opts, progress=False)


@dataclass(frozen=True)
class Measured:
    """What one solve met: of the requests asked about, and of all requests."""

    met: int  # of the requests asked about (their requests.csv rows with status met)
    all_met: int  # every request met, core and options (summary.json's two counts)
    timetable: bool  # whether the solve found a timetable at all
    wall_decided: bool  # the wall, not the count, ended a phase: it may not repeat
    seconds: float
    #: ``met`` by course: (course, requests met), in course order.
    by_course: tuple[tuple[str, int], ...] = ()


def measure(
    school: School,
    solution: Solution,
    which: Callable[[RequestOutcome], bool],
    seconds: float = 0.0,
) -> Measured:
    """Count the met requests ``which`` picks (as ``requests.csv`` rows: status met), and
    every request met (as summary.json: core and options, alternates among options)."""
    from scheduler.score import figures
    from scheduler.solution import RequestStatus, Status

    timetable = bool(solution.groups) and solution.status in (Status.OPTIMAL, Status.FEASIBLE)
    outcomes = solution.outcomes if timetable else ()
    every = 0
    if timetable:
        f = figures(school, solution)
        every = f.requests_core_met + f.requests_option_met
    picked: dict[str, int] = {}
    for o in outcomes:
        if which(o):
            picked[o.course] = picked.get(o.course, 0) + (o.status is RequestStatus.MET)
    return Measured(
        met=sum(picked.values()),
        all_met=every,
        timetable=timetable,
        wall_decided=solution.stats.clock_wall_decided,
        seconds=round(seconds, 1),
        by_course=tuple(sorted(picked.items())),
    )
