"""Schools and solve folders for the export tests (no tests here).

* :func:`one_week_folder`: the checker's tiny school and its valid timetable, as
  ``pathways solve`` writes them (see tests/checker_fixtures.py for who is where),
  with a term from Mon 1 Sep 2025 to Fri 19 Dec 2025 in Settings.
* :func:`two_week_folder`: the same school on a two-week cycle (``Wk1 Mon``, ``Wk1 Tue``,
  ``Wk2 Mon``, ``Wk2 Tue``, five periods each: slots 0-9 are week 1, 10-19 week 2).
  MA-3.1 meets on Wk1 Mon 2 and Wk2 Tue 2 (slot 16); every other group as in the
  one-week timetable (all in week 1); TG-A meets Wk1 Mon 1 and Wk2 Mon 1.

Both are written with a fixed ``written_at`` (2025-08-20 12:00 UTC) so calendars are
the same on every run.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from scheduler.exports.grid import CONTEXT_FILE, Context
from scheduler.model import Calendar, School
from scheduler.outputs.write import write_outputs
from scheduler.solution import Solution
from tests.checker_fixtures import calendar, group, tiny_school, valid_groups, valid_solution

WRITTEN_AT = datetime(2025, 8, 20, 12, 0, tzinfo=UTC)
TERM = (("term_start", "2025-09-01"), ("term_end", "2025-12-19"))
WK2_TUE_2 = 16  # slot index of "Wk2 Tue 2"
#: S1's week in the one-week folder: (slot label, group) in time order, tutor time first.
S1_WEEK = [
    ("Mon 1", "TG-A"),
    ("Mon 2", "MA-3.1"),
    ("Mon 3", "AR.1"),
    ("Tue 2", "MA-3.1"),
    ("Tue 3", "SC.1"),
    ("Tue 4", "SC.1"),
]


def termed(school: School, extra: tuple[tuple[str, str], ...] = TERM) -> School:
    """The school with term dates (or other extra settings) in Settings."""
    return replace(school, settings=replace(school.settings, extra=extra))


def write_folder(folder: Path, school: School, solution: Solution) -> Path:
    """Write a solve's files like `pathways solve`, with a fixed ``written_at``."""
    write_outputs(school, solution, folder)
    ctx = Context.from_school(school, written_at=WRITTEN_AT)
    (folder / CONTEXT_FILE).write_text(ctx.to_json(), encoding="utf-8")
    return folder


def one_week_folder(
    tmp_path: Path, school: School | None = None, solution: Solution | None = None
) -> Path:
    return write_folder(
        tmp_path / "out", school or termed(tiny_school()), solution or valid_solution()
    )


def two_week_calendar() -> Calendar:
    return calendar(("Wk1 Mon", "Wk1 Tue", "Wk2 Mon", "Wk2 Tue"))


def two_week_school() -> School:
    school = termed(tiny_school(calendar=two_week_calendar()))
    tgs = tuple(
        replace(tg, meets=frozenset({0, 10})) if tg.id == "TG-A" else tg
        for tg in school.tutor_groups
    )
    # S3's home day "Tue" names no day of this calendar: S3 has no home days here.
    return replace(school, tutor_groups=tgs)


def two_week_solution() -> Solution:
    groups = tuple(
        group("MA-3.1", ("T1",), {"S1", "S2", "S4"}, ((1,), "R1"), ((WK2_TUE_2,), "R1"))
        if g.id == "MA-3.1"
        else g
        for g in valid_groups()
    )
    return replace(valid_solution(), groups=groups)


def two_week_folder(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "out2", two_week_school(), two_week_solution())
