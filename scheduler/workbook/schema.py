"""The workbook contract's shape: its sheets, their columns, and the Settings keys.

What docs/workbook.md lays out, as data: which sheets there are and which are required,
each sheet's required and optional columns and the header spellings accepted for them,
and how sheet names and column headers are matched (case-insensitively, spaces and
underscores alike). :mod:`scheduler.workbook.read` reads a workbook against it; the
scenario changes (:mod:`scheduler.scenarios.tables_ops`) take the contract's sheet names
from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scheduler.model import WEIGHT_KEYS

__all__ = [
    "DATE_KEYS",
    "NEEDS_ROWS",
    "REQUIRED_SHEETS",
    "SCHEMA",
    "SETTINGS_FIELDS",
    "SHEET_BY_NORM",
    "WEIGHT_KEYS",
    "SheetSpec",
    "norm_column",
    "norm_sheet",
]


@dataclass(frozen=True)
class SheetSpec:
    """The columns of one sheet of the contract."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    # Header spellings accepted for a column, besides its own name (normalised).
    aliases: tuple[tuple[str, str], ...] = ()
    # Groups of columns of which at least one must be present.
    one_of: tuple[tuple[str, ...], ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


SCHEMA: dict[str, SheetSpec] = {
    s.name: s
    for s in (
        SheetSpec("Calendar", ("day", "period", "start", "end")),
        SheetSpec("Rooms", ("room", "capacity", "type"), ("site", "max_groups", "unavailable")),
        SheetSpec("Staff", ("staff", "subjects"), ("name", "max_periods", "unavailable", "site")),
        SheetSpec(
            "Courses",
            ("course", "subject", "lessons", "min_size", "max_size"),
            ("stage", "room_type", "staff", "staff_per_group", "sections", "years", "mode", "kind"),
        ),
        SheetSpec(
            "Students",
            ("student", "year"),
            (
                "name",
                "tutor_group",
                "house",
                "family",
                "pathway",
                "home_days",
                "site",
                "unavailable",
            ),
        ),
        SheetSpec(
            "Requests",
            ("student", "type"),
            ("course", "subject", "rank"),
            aliases=(("course_or_subject", "course"), ("course/subject", "course")),
            one_of=(("course", "subject"),),
        ),
        SheetSpec("Stages", ("student", "subject", "stage")),
        SheetSpec(
            "Pathways",
            ("pathway", "type"),
            ("course", "subject", "rank"),
            # The contract heads this column "course or subject": a course id or a subject.
            aliases=(
                ("course_or_subject", "course_or_subject"),
                ("course/subject", "course_or_subject"),
            ),
            one_of=(("course", "subject", "course_or_subject"),),
        ),
        SheetSpec(
            "TutorGroups",
            ("group", "tutor", "capacity", "meets"),
            ("room", "house", "vertical"),
        ),
        SheetSpec("Travel", ("from_site", "to_site", "minutes")),
        SheetSpec("Settings", ("key", "value")),
        # Added by the project (docs/workbook.md, "Locks"): what a group must keep.
        SheetSpec("Locks", ("course", "group"), ("slots", "room", "staff", "student")),
        # Added by the project (docs/workbook.md, "Rules"): rules on lessons' times and
        # staff members' days (issue 13).
        SheetSpec(
            "Rules",
            ("rule",),
            ("lessons", "staff", "slots", "value", "weight", "students", "consecutive_if_same_day"),
        ),
    )
}
REQUIRED_SHEETS = ("Calendar", "Rooms", "Staff", "Courses", "Students", "Requests")
#: Required sheets that cannot be empty below their header, and what they should hold.
#: (Rooms may be empty when every course is online; Requests when pathways give them.)
NEEDS_ROWS = {
    "Calendar": "expected one row per teaching period of the cycle below the header",
    "Staff": "expected one row per member of staff below the header",
    "Courses": "expected one row per course below the header",
    "Students": "expected one row per student below the header",
}

#: Settings keys that become :class:`~scheduler.model.Settings` fields.
SETTINGS_FIELDS = ("time_limit_s", "seed", "workers")
#: Other recognised Settings keys, kept in :attr:`~scheduler.model.Settings.extra`.
#: (The objective's weights: their keys are the domain model's, scheduler.model.Weights.)
DATE_KEYS = ("term_start", "term_end")


def norm_sheet(name: str) -> str:
    return re.sub(r"[\s_]+", "", name).casefold()


def norm_column(name: str) -> str:
    return re.sub(r"[\s_]+", "_", name.strip()).casefold()


#: Contract sheet name by its normalised spelling.
SHEET_BY_NORM = {norm_sheet(n): n for n in SCHEMA}
