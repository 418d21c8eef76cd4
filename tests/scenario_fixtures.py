"""The tiny what-if sweep the scenario tests run, and the independent check of its runs
(no tests here).

:data:`TINY_SWEEP` is two scenarios of the tiny example: one more period at the end of
every day, and History and Geography taught online; with the base, its comparison has
the runs :data:`TINY_RUNS`. :func:`sweep_file` writes a scenario file;
:func:`assert_checked` reads a run's workbook and timetable back from the files
(``--write-workbook``) and runs the checker on them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scheduler.checker import check_solution
from scheduler.outputs.read import read_solution
from scheduler.workbook.read import load_school

TINY_SWEEP = """
title: Tiny what-ifs
base: {example: tiny}
scenarios:
  - name: Evening period
    description: One more period at the end of every day.
    changes:
      - open_longer: {periods: 1, gap: 10}
  - name: History and Geography online
    changes:
      - online_courses: {where: {subject: [History, Geography]}}
"""

#: The scenarios of :data:`TINY_SWEEP`'s comparison, in order.
TINY_RUNS = ["base", "Evening period", "History and Geography online"]


def sweep_file(directory: Path, text: str = TINY_SWEEP, name: str = "tiny.yaml") -> Path:
    """A scenario file of ``text`` in ``directory``."""
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_checked(out: Path, run: dict[str, Any]) -> None:
    """The run's workbook and timetable, read back from the sweep's folder ``out``, pass
    the independent checker."""
    school, _ = load_school(out / "workbooks" / f"{run['folder']}.xlsx")
    report = check_solution(school, read_solution(out / run["folder"], school))
    assert report.hard_violations == []
