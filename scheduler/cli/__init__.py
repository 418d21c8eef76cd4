"""The ``pathways`` command line.

Every command turns bad input into messages a timetabler understands and a non-zero
exit code (2 for input problems, 1 for a failed check), never a traceback.

One module per command, each adding itself to :data:`app` with its ``register``:
:mod:`~scheduler.cli.validate`, :mod:`~scheduler.cli.check`,
:mod:`~scheduler.cli.example`, :mod:`~scheduler.cli.solve`, :mod:`~scheduler.cli.export`,
:mod:`~scheduler.cli.scenario`, :mod:`~scheduler.cli.explain` and :mod:`~scheduler.cli.importer` (``pathways import``); what they share is in :mod:`scheduler.cli.common`.
:func:`main` is the ``pathways`` entry point (``python -m scheduler.cli`` runs it too).
"""

from __future__ import annotations

import logging
import os
import sys

import typer

from scheduler.cli import (
    check,
    diff,
    example,
    explain,
    export,
    importer,
    scenario,
    solve,
    validate,
)
from scheduler.cli.common import number_problems

__all__ = ["app", "main", "number_problems"]

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Pathways: a personalised timetable for every student, from the school's workbook.",
)

# The commands, in the order of `pathways --help`.
validate.register(app)
check.register(app)
example.register(app)
solve.register(app)
export.register(app)
diff.register(app)
explain.register(app)
scenario.register(app)
importer.register(app)


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
