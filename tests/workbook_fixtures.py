"""A tiny valid school as workbook tables, using every column of the workbook contract.

:func:`tiny_tables` returns a fresh :data:`~scheduler.tables.Tables` each call (mutate
it freely in a test). Write it with :func:`scheduler.tables.write_tables` and read it
with :func:`scheduler.workbook.load_school`. Keep it small and stable: other tests
assert exact values read from it. What it holds:

* **Calendar**: Mon, Tue, Wed, 4 periods each (12 slots): 09:00, 10:00, 11:15, 13:00,
  each an hour long (a break before period 3 and lunch before period 4).
* **Rooms**: R1 classroom (28), R2 classroom (24, unavailable Wed 4), LAB lab+classroom
  (20), HUB open-plan classroom+studio on site North (40 seats shared by up to 2 groups).
* **Staff**: T1 Maths stages 1-3 only (max 10 periods); T2 Maths (any stage) and
  Science, unavailable Tue 4; T3 Spanish and Art, part-time (not Wed), max 8 periods,
  site North; T4 Science, Art and Project.
* **Courses**: MA-3 / MA-4 Maths stages 3 and 4 (three singles, years 7,8); SC Science
  with a double (lessons 2,1) in a lab, taught only by T2 or T4; SP Spanish online
  (any year, kind tutorial); PRJ a team-taught project (one 3-period block, 2 staff,
  exactly 1 section, studio, year 8 only, kind project); AR Art option (one double,
  2 to 6 students).
* **Students**: S1-S6, years 7 and 8; S1 fixed in TG1; S3/S4 siblings (family F1);
  S5 learns from home on Wed and lives on site North; S5, S6 follow pathway SCI;
  houses Red and Blue.
* **Requests**: S1-S4 core Maths (S1, S2 by subject through Stages), core SC; options
  and an alternate with ranks; S3, S4 core PRJ; S5, S6 get theirs from the pathway;
  S6 also has an explicit SP option (which beats the pathway's SP core row).
* **Stages**: Maths stages (S1 3, S2 4, S5 3, S6 4).
* **Pathways**: SCI = Maths by subject (core), SC (core), SP (core), AR (option, rank 1).
* **TutorGroups**: TG1 vertical (T1, R1, 4 places, house Red, meets Mon 1, Wed 1); TG2
  (T4, LAB, 4 places, no house, meets Mon 1).
* **Travel**: Main to North 15 minutes.
* **Settings**: time_limit_s 10, seed 7, workers 1, weight_rank 20, term_start 2025-09-01.

Helpers: :func:`write` (tables -> CSV folder or .xlsx under a directory),
:func:`load_tables` (write and load) and :func:`problems_of` (write, load, and return
the error and warning texts).
"""

from __future__ import annotations

import itertools
from pathlib import Path

from scheduler.model import School
from scheduler.problems import InputError, Problem
from scheduler.tables import Tables, write_tables
from scheduler.workbook import load_school

__all__ = ["load_tables", "problems_of", "tiny_tables", "write"]


def tiny_tables() -> Tables:
    """A small valid school using every sheet and column of the contract (see module doc)."""
    periods = [("1", "09:00", "10:00"), ("2", "10:00", "11:00"), ("3", "11:15", "12:15"),
               ("4", "13:00", "14:00")]
    calendar = [
        {"day": day, "period": p, "start": start, "end": end}
        for day in ("Mon", "Tue", "Wed")
        for p, start, end in periods
    ]
    return {
        "Settings": [
            {"key": "time_limit_s", "value": 10},
            {"key": "seed", "value": 7},
            {"key": "workers", "value": 1},
            {"key": "weight_rank", "value": 20},
            {"key": "term_start", "value": "2025-09-01"},
        ],
        "Calendar": calendar,
        "Rooms": [
            {"room": "R1", "capacity": 28, "type": "classroom", "site": None,
             "max_groups": None, "unavailable": None},
            {"room": "R2", "capacity": 24, "type": "classroom", "site": None,
             "max_groups": None, "unavailable": "Wed 4"},
            {"room": "LAB", "capacity": 20, "type": "lab, classroom", "site": None,
             "max_groups": None, "unavailable": None},
            {"room": "HUB", "capacity": 40, "type": "classroom; studio", "site": "North",
             "max_groups": 2, "unavailable": None},
        ],
        "Staff": [
            {"staff": "T1", "name": "Ann Archer", "subjects": "Maths:1-3", "max_periods": 10,
             "unavailable": None, "site": None},
            {"staff": "T2", "name": "Ben Brook", "subjects": "Maths, Science", "max_periods": None,
             "unavailable": "Tue 4", "site": None},
            {"staff": "T3", "name": "Cat Cole", "subjects": "Spanish; Art", "max_periods": 8,
             "unavailable": "Wed", "site": "North"},
            {"staff": "T4", "name": "Dev Dale", "subjects": "Science, Art, Project",
             "max_periods": None, "unavailable": None, "site": None},
        ],
        "Courses": [
            {"course": "MA-3", "subject": "Maths", "stage": 3, "lessons": "1,1,1", "min_size": 1,
             "max_size": 10, "room_type": "classroom", "staff": None, "staff_per_group": None,
             "sections": None, "years": "7,8", "mode": None, "kind": None},
            {"course": "MA-4", "subject": "Maths", "stage": 4, "lessons": "1,1,1", "min_size": 1,
             "max_size": 10, "room_type": "classroom", "staff": None, "staff_per_group": None,
             "sections": None, "years": "7,8", "mode": None, "kind": None},
            {"course": "SC", "subject": "Science", "stage": None, "lessons": "2,1", "min_size": 2,
             "max_size": 12, "room_type": "lab", "staff": "T2, T4", "staff_per_group": 1,
             "sections": None, "years": None, "mode": "school", "kind": "lesson"},
            {"course": "SP", "subject": "Spanish", "stage": None, "lessons": "1,1", "min_size": 1,
             "max_size": 8, "room_type": None, "staff": None, "staff_per_group": None,
             "sections": None, "years": None, "mode": "online", "kind": "tutorial"},
            {"course": "PRJ", "subject": "Project", "stage": None, "lessons": "3", "min_size": 2,
             "max_size": 20, "room_type": "studio", "staff": "T3;T4", "staff_per_group": 2,
             "sections": 1, "years": "8", "mode": "school", "kind": "project"},
            {"course": "AR", "subject": "Art", "stage": None, "lessons": "2", "min_size": 2,
             "max_size": 6, "room_type": "studio", "staff": None, "staff_per_group": None,
             "sections": None, "years": None, "mode": None, "kind": None},
        ],
        "Students": [
            {"student": "S1", "name": "Ada", "year": 7, "tutor_group": "TG1", "house": "Red",
             "family": None, "pathway": None, "home_days": None, "site": None},
            {"student": "S2", "name": "Bo", "year": 7, "tutor_group": None, "house": "Blue",
             "family": None, "pathway": None, "home_days": None, "site": None},
            {"student": "S3", "name": "Cy", "year": 8, "tutor_group": None, "house": "Red",
             "family": "F1", "pathway": None, "home_days": None, "site": None},
            {"student": "S4", "name": "Di", "year": 8, "tutor_group": None, "house": "Red",
             "family": "F1", "pathway": None, "home_days": None, "site": None},
            {"student": "S5", "name": "Ed", "year": 7, "tutor_group": None, "house": None,
             "family": None, "pathway": "SCI", "home_days": "Wed", "site": "North"},
            {"student": "S6", "name": "Flo", "year": 8, "tutor_group": None, "house": "Blue",
             "family": None, "pathway": "SCI", "home_days": None, "site": None},
        ],
        "Requests": [
            {"student": "S1", "course": None, "subject": "Maths", "type": "core", "rank": None},
            {"student": "S1", "course": "SC", "subject": None, "type": "core", "rank": None},
            {"student": "S1", "course": "AR", "subject": None, "type": "option", "rank": 1},
            {"student": "S1", "course": "SP", "subject": None, "type": "alternate", "rank": 2},
            {"student": "S2", "course": None, "subject": "Maths", "type": "core", "rank": None},
            {"student": "S2", "course": "SC", "subject": None, "type": "core", "rank": None},
            {"student": "S2", "course": "AR", "subject": None, "type": "option", "rank": 1},
            {"student": "S3", "course": "MA-4", "subject": None, "type": "core", "rank": None},
            {"student": "S3", "course": "PRJ", "subject": None, "type": "core", "rank": None},
            {"student": "S3", "course": "SP", "subject": None, "type": "option", "rank": 1},
            {"student": "S4", "course": "MA-3", "subject": "Maths", "type": "core", "rank": None},
            {"student": "S4", "course": "PRJ", "subject": None, "type": "core", "rank": None},
            {"student": "S4", "course": "AR", "subject": None, "type": "option", "rank": 2},
            {"student": "S4", "course": "SP", "subject": None, "type": "option", "rank": 1},
            {"student": "S6", "course": "SP", "subject": None, "type": "option", "rank": 2},
        ],
        "Stages": [
            {"student": "S1", "subject": "Maths", "stage": 3},
            {"student": "S2", "subject": "Maths", "stage": 4},
            {"student": "S5", "subject": "Maths", "stage": 3},
            {"student": "S6", "subject": "Maths", "stage": 4},
        ],
        "Pathways": [
            {"pathway": "SCI", "course": None, "subject": "Maths", "type": "core", "rank": None},
            {"pathway": "SCI", "course": "SC", "subject": None, "type": "core", "rank": None},
            {"pathway": "SCI", "course": "SP", "subject": None, "type": "core", "rank": None},
            {"pathway": "SCI", "course": "AR", "subject": None, "type": "option", "rank": 1},
        ],
        "TutorGroups": [
            {"group": "TG1", "tutor": "T1", "room": "R1", "capacity": 4, "meets": "Mon 1, Wed 1",
             "house": "Red", "vertical": "yes"},
            {"group": "TG2", "tutor": "T4", "room": "LAB", "capacity": 4, "meets": "Mon 1",
             "house": None, "vertical": "no"},
        ],
        "Travel": [
            {"from_site": "Main", "to_site": "North", "minutes": 15},
        ],
    }


# ---- helpers for tests that write tables and read them back -------------------------

_counter = itertools.count()


def write(tables: Tables, directory: Path, fmt: str = "csv") -> Path:
    """Write tables under ``directory`` as a CSV folder (``fmt="csv"``) or an .xlsx file."""
    n = next(_counter)
    path = directory / (f"school{n}.xlsx" if fmt == "xlsx" else f"school{n}")
    return write_tables(tables, path)


def load_tables(tables: Tables, directory: Path, fmt: str = "csv") -> tuple[School, list[Problem]]:
    """Write tables and load them with :func:`load_school` (raises InputError on errors)."""
    return load_school(write(tables, directory, fmt))


def problems_of(tables: Tables, directory: Path, fmt: str = "csv") -> tuple[list[str], list[str]]:
    """(errors, warnings) as text for tables written and loaded; both empty lists if clean."""
    try:
        _, warnings = load_tables(tables, directory, fmt)
    except InputError as exc:
        return [str(p) for p in exc.errors], [str(p) for p in exc.warnings]
    return [], [str(p) for p in warnings]
