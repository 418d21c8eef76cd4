"""The output contract's CSV files and their columns (docs/outputs.md), in one place for
the writer (:mod:`scheduler.outputs.write`), the reader the checker uses
(:mod:`scheduler.outputs.read`), which otherwise know nothing of each other, and the
exports (:mod:`scheduler.exports`), which read the files the writer wrote."""

from __future__ import annotations

from collections.abc import Iterable

#: The course of tutor-group time in timetable.csv.
TUTOR = "TUTOR"
#: Where a lesson without a room is, in words: changes.csv's before/after (``Mon 2
#: online``) and the exports' cells (the CSV files' ``room`` is blank instead).
ONLINE = "online"

TIMETABLE_COLUMNS = ("student", "day", "period", "start", "end", "course", "group", "room", "staff")
GROUPS_COLUMNS = ("group", "course", "day", "period", "start", "end", "room", "staff", "size")
REQUESTS_COLUMNS = ("student", "course", "type", "rank", "status", "group", "reason")
TUTOR_GROUPS_COLUMNS = ("student", "group", "tutor", "year")
#: changes.csv, written by a re-solve (``solve --from``) and ``pathways diff --out``.
CHANGES_COLUMNS = ("kind", "group", "course", "student", "before", "after")

#: What separates several items in one cell: a group's staff ids in timetable.csv and
#: groups.csv (docs/outputs.md: "staff ids, ``;``-separated"), and changes.csv's lists.
ITEM_SEPARATOR = ";"


def join_items(items: Iterable[str]) -> str:
    """Several items (staff ids, groups) as one cell: ``T1;T2``."""
    return ITEM_SEPARATOR.join(items)


def split_items(cell: str) -> tuple[str, ...]:
    """The items of a cell :func:`join_items` wrote, trimmed, blanks dropped; a ``,``
    (a cell edited by hand) separates them too."""
    return tuple(
        t.strip() for t in cell.replace(",", ITEM_SEPARATOR).split(ITEM_SEPARATOR) if t.strip()
    )
