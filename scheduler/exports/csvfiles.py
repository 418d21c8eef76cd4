"""CSV timetables for a school's information system or a spreadsheet.

One file per kind, ``students.csv``, ``staff.csv`` and ``rooms.csv``, one row per person
(or room) per lesson slot, in the school's order and slot order, with names, the week of
the cycle and the course's subject added to what ``timetable.csv`` says:

``<kind>, name, week, day, period, start, end, course, subject, group, room, staff,
staff_names, size``

``<kind>`` is ``student``, ``staff`` or ``room``; ``week`` is 1 for a one-week cycle;
``room`` is blank for online lessons; ``staff`` and ``staff_names`` are ``;``-separated;
``size`` is the number of students in the group (blank for tutor time).
"""

from __future__ import annotations

from pathlib import Path

from scheduler.exports.grid import ExportData
from scheduler.files.columns import join_items
from scheduler.files.csvrows import write_rows

#: File of each kind.
FILES = {"student": "students.csv", "staff": "staff.csv", "room": "rooms.csv"}
COLUMNS = (
    "name",
    "week",
    "day",
    "period",
    "start",
    "end",
    "course",
    "subject",
    "group",
    "room",
    "staff",
    "staff_names",
    "size",
)


def write_csvs(data: ExportData, folder: Path) -> list[Path]:
    """Write the CSV file of every kind in ``data`` into ``folder``; return the paths."""
    ctx = data.context
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, timetables in data.timetables.items():
        path = folder / FILES[kind]
        rows = []
        for t in timetables:
            for e in t.entries:
                s = ctx.slots[e.slot]
                size = data.group_sizes.get(e.group)
                rows.append(
                    (
                        t.person.id,
                        t.person.name,
                        ctx.cycle.place[s.day][0] + 1,
                        s.day,
                        s.period,
                        s.start,
                        s.end,
                        e.course,
                        ctx.subject(e.course),
                        e.group,
                        e.room or "",
                        join_items(e.staff),
                        join_items(data.staff_names.get(x, "") for x in e.staff),
                        "" if size is None else size,
                    )
                )
        write_rows(path, (kind, *COLUMNS), rows)
        written.append(path)
    return written
