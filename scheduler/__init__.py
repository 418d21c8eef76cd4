"""Pathways: a personalised timetable for every student, from the school's workbook.

Use from Python (:mod:`scheduler.api`)::

    from scheduler import load_school, solve, check, export

    school = load_school("school.xlsx")
    solution = solve(school, time_limit=60, seed=1, workers=2)
    assert check(school, solution).ok
    export(school, solution, "timetable")

Importing the package is cheap: the names of ``__all__`` are loaded on first use, and
OR-Tools only when :func:`solve` runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scheduler.api import WorkbookError, check, export, load_school, solve
    from scheduler.checker import CheckReport, Violation
    from scheduler.exports.grid import ExportError
    from scheduler.exports.run import ExportResult
    from scheduler.model import School
    from scheduler.outputs.read import OutputError
    from scheduler.solution import Solution, Status
    from scheduler.workbook.problems import Problem, Severity

#: The public names, and the module each one comes from (imported on first use).
_PUBLIC = {
    "load_school": "scheduler.api",
    "solve": "scheduler.api",
    "check": "scheduler.api",
    "export": "scheduler.api",
    "WorkbookError": "scheduler.api",
    "School": "scheduler.model",
    "Problem": "scheduler.workbook.problems",
    "Severity": "scheduler.workbook.problems",
    "Solution": "scheduler.solution",
    "Status": "scheduler.solution",
    "CheckReport": "scheduler.checker",
    "Violation": "scheduler.checker",
    "OutputError": "scheduler.outputs.read",
    "ExportResult": "scheduler.exports.run",
    "ExportError": "scheduler.exports.grid",
}

__all__ = [
    "CheckReport",
    "ExportError",
    "ExportResult",
    "OutputError",
    "Problem",
    "School",
    "Severity",
    "Solution",
    "Status",
    "Violation",
    "WorkbookError",
    "check",
    "export",
    "load_school",
    "solve",
]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
