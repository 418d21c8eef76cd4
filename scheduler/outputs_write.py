"""Write a solved timetable as the files of /work/shared/spec/outputs.md.

Files: ``timetable.csv``, ``groups.csv``, ``requests.csv``, ``tutor_groups.csv`` (when
the school has tutor groups), ``summary.json`` and the week grids ``students.xlsx``,
``staff.xlsx`` and ``rooms.xlsx``. Conventions are in docs/outputs-conventions.md.

Everything is written into a temporary folder and swapped in by
:func:`scheduler.atomic.atomic_dir`, so a reader never sees a half-written result.
The writer writes what the solution says; it fixes nothing. The figures of
``summary.json`` come from :func:`scheduler.checker.figures`, the same function the
checker reports, so the two can never disagree.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scheduler.atomic import atomic_dir
from scheduler.checker import expected_outcomes, figures, hhmm, running_groups
from scheduler.model import School, Slot
from scheduler.solution import RequestOutcome, RequestStatus, Solution

log = logging.getLogger(__name__)

TUTOR = "TUTOR"  # course of tutor-group time in timetable.csv

TIMETABLE_COLUMNS = ("student", "day", "period", "start", "end", "course", "group", "room", "staff")
GROUPS_COLUMNS = ("group", "course", "day", "period", "start", "end", "room", "staff", "size")
REQUESTS_COLUMNS = ("student", "course", "type", "rank", "status", "group", "reason")
TUTOR_GROUPS_COLUMNS = ("student", "group", "tutor", "year")


def write_outputs(school: School, solution: Solution, outdir: str | Path) -> None:
    """Write every output file of a solve into ``outdir``, atomically."""
    outdir = Path(outdir)
    entries = _entries(school, solution)
    with atomic_dir(outdir) as tmp:
        _write_csv(tmp / "timetable.csv", TIMETABLE_COLUMNS, _timetable_rows(school, entries))
        _write_csv(tmp / "groups.csv", GROUPS_COLUMNS, _group_rows(school, solution))
        _write_csv(tmp / "requests.csv", REQUESTS_COLUMNS, _request_rows(school, solution))
        if school.tutor_groups:
            _write_csv(tmp / "tutor_groups.csv", TUTOR_GROUPS_COLUMNS,
                       _tutor_group_rows(school, solution))
        summary = summary_dict(school, solution)
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        _write_grids(tmp / "students.xlsx", school, "student", entries.by_student,
                     [(st.id, st.name, f"year {st.year}") for st in school.students])
        _write_grids(tmp / "staff.xlsx", school, "staff", entries.by_staff,
                     [(t.id, t.name, "") for t in school.staff])
        _write_grids(tmp / "rooms.xlsx", school, "room", entries.by_room,
                     [(r.id, "", f"{r.site}, capacity {r.capacity}") for r in school.rooms])
    log.info("wrote the timetable to %s", outdir)


def summary_dict(school: School, solution: Solution) -> dict[str, Any]:
    """The content of summary.json: the solve's figures, then ``solution.stats``."""
    out: dict[str, Any] = {
        "status": solution.status.value,
        "objective": solution.objective,
        "bound": solution.bound,
        "wall_s": solution.wall_s,
        "interrupted": solution.interrupted,
    }
    out.update(figures(school, solution).as_dict())
    out["objective_terms"] = dict(solution.objective_terms)
    out["input_sha256"] = school.source_sha256
    for key, value in solution.stats.items():
        # Figures counted from the timetable win over a stat of the same name.
        if key in out:
            if out[key] != value:
                log.debug("summary.json %s: keeping %r over solution.stats %r", key, out[key], value)
            continue
        out[key] = value
    return out


# --------------------------------------------------------------------------------------
# What happens in each slot, for whom
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    """Something happening in one slot: a lesson of a group, or tutor-group time."""

    slot: int
    course: str
    group: str
    room: str | None
    staff: tuple[str, ...]

    def cell(self) -> str:
        """The week-grid cell text: ``course group / room / staff``."""
        if self.room:
            room = self.room
        else:
            room = "-" if self.course == TUTOR else "online"
        return f"{self.course} {self.group} / {room} / {';'.join(self.staff)}"


class _Entries:
    """Every entry of the timetable, indexed by student, staff and room."""

    def __init__(self) -> None:
        self.by_student: dict[str, list[_Entry]] = defaultdict(list)
        self.by_staff: dict[str, list[_Entry]] = defaultdict(list)
        self.by_room: dict[str, list[_Entry]] = defaultdict(list)


def _entries(school: School, solution: Solution) -> _Entries:
    out = _Entries()
    for g in running_groups(solution):
        for lesson in g.lessons:
            for i in lesson.slots:
                e = _Entry(i, g.course, g.id, lesson.room, g.staff)
                for s in g.students:
                    out.by_student[s].append(e)
                for t in g.staff:
                    out.by_staff[t].append(e)
                if lesson.room is not None:
                    out.by_room[lesson.room].append(e)
    members: dict[str, list[str]] = defaultdict(list)
    for s, tg_id in solution.tutor_of.items():
        members[tg_id].append(s)
    students = school.student_by_id
    for tg in school.tutor_groups:
        for i in sorted(tg.meets):
            e = _Entry(i, TUTOR, tg.id, tg.room, (tg.tutor,))
            out.by_staff[tg.tutor].append(e)
            if tg.room is not None:
                out.by_room[tg.room].append(e)
            for s in members.get(tg.id, ()):
                st = students.get(s)
                # Home-learning students have no tutor time on their home days (rule 6).
                if st is None or i not in school.home_slots(st):
                    out.by_student[s].append(e)
    for table in (out.by_student, out.by_staff, out.by_room):
        for lst in table.values():
            lst.sort(key=lambda e: (e.slot, e.course == TUTOR, e.group))
    return out


# --------------------------------------------------------------------------------------
# CSV files
# --------------------------------------------------------------------------------------


def _write_csv(path: Path, columns: tuple[str, ...], rows: Iterable[Iterable[Any]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        w.writerows(rows)


def _slot_cells(slot: Slot) -> list[str]:
    return [slot.day, slot.period, hhmm(slot.start), hhmm(slot.end)]


def _slot_of(school: School, i: int) -> Slot:
    slots = school.calendar.slots
    if not 0 <= i < len(slots):
        raise ValueError(f"slot {i} is not in the Calendar ({len(slots)} slots)")
    return slots[i]


def _timetable_rows(school: School, entries: _Entries) -> Iterable[list[Any]]:
    order = {st.id: n for n, st in enumerate(school.students)}
    for s in sorted(entries.by_student, key=lambda s: (order.get(s, len(order)), s)):
        for e in entries.by_student[s]:
            yield [s, *_slot_cells(_slot_of(school, e.slot)), e.course, e.group, e.room or "",
                   ";".join(e.staff)]


def _group_rows(school: School, solution: Solution) -> Iterable[list[Any]]:
    for g in running_groups(solution):
        by_slot = sorted((i, lesson.room) for lesson in g.lessons for i in lesson.slots)
        for i, room in by_slot:
            yield [g.id, g.course, *_slot_cells(_slot_of(school, i)), room or "",
                   ";".join(g.staff), g.size]


def _request_rows(school: School, solution: Solution) -> Iterable[list[Any]]:
    outcomes: tuple[RequestOutcome, ...] = solution.outcomes
    if not outcomes and school.requests:
        # The solver gave no outcomes (e.g. no timetable was found): state what the
        # groups give, rule 7, so requests.csv still has one row per request.
        outcomes = tuple(_with_reason(o) for o in expected_outcomes(school, solution))
    for o in outcomes:
        yield [o.student, o.course, o.type, "" if o.rank is None else o.rank, o.status.value,
               o.group or "", o.reason]


def _with_reason(o: RequestOutcome) -> RequestOutcome:
    if o.status is not RequestStatus.UNMET:
        return o
    return replace(o, reason=f"not placed in a group of {o.course}")


def _tutor_group_rows(school: School, solution: Solution) -> Iterable[list[Any]]:
    tgs = school.tutor_group_by_id
    students = school.student_by_id
    order = {st.id: n for n, st in enumerate(school.students)}
    for s in sorted(solution.tutor_of, key=lambda s: (order.get(s, len(order)), s)):
        tg_id = solution.tutor_of[s]
        tg = tgs.get(tg_id)
        st = students.get(s)
        yield [s, tg_id, tg.tutor if tg else "", st.year if st else ""]


# --------------------------------------------------------------------------------------
# Week grids (xlsx)
# --------------------------------------------------------------------------------------

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_names(ids: Iterable[str], reserved: Iterable[str]) -> dict[str, str]:
    """A unique, valid Excel sheet name (<= 31 characters) for each id."""
    used = {r.casefold() for r in reserved}
    out: dict[str, str] = {}
    for i in ids:
        base = _BAD_SHEET_CHARS.sub("_", i).strip("'") or "_"
        name, n = base[:31], 1
        while name.casefold() in used:
            n += 1
            suffix = f"~{n}"
            name = base[: 31 - len(suffix)] + suffix
        used.add(name.casefold())
        out[i] = name
    return out


def _write_grids(path: Path, school: School, what: str, by_id: dict[str, list[_Entry]],
                 people: list[tuple[str, str, str]]) -> None:
    """One workbook: an index sheet, then one week grid per id (days across, periods down)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    cal = school.calendar
    known = {p[0] for p in people}
    # Ids in the timetable but not in the school (should not happen) still get a sheet.
    people = people + [(i, "", "") for i in sorted(by_id) if i not in known]
    names = _sheet_names((p[0] for p in people), reserved=["Index"])

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    index = wb.create_sheet("Index")
    index.column_dimensions["A"].width = 16
    index.column_dimensions["B"].width = 24
    index.column_dimensions["C"].width = 24
    index.column_dimensions["D"].width = 10
    index.column_dimensions["E"].width = 16
    index.append([_styled(WriteOnlyCell(index, h), bold)
                  for h in (what, "name", "details", "periods", "sheet")])
    for pid, name, details in people:
        occupied = len({e.slot for e in by_id.get(pid, ())})
        index.append([pid, name, details, occupied, names[pid]])
    index.close()  # frees its temporary file now: 1,200 open sheets would exhaust handles

    # Row labels: the period label and times of the longest day at each position.
    longest = max(cal.day_slots.values(), key=len, default=())
    row_labels = [f"{cal.slots[i].period} ({hhmm(cal.slots[i].start)}-{hhmm(cal.slots[i].end)})"
                  for i in longest]
    for pid, name, details in people:
        ws = wb.create_sheet(names[pid])
        ws.column_dimensions["A"].width = 16
        for col in range(cal.num_days):
            ws.column_dimensions[_col_letter(col + 2)].width = 26
        cells: dict[int, list[str]] = defaultdict(list)
        for e in by_id.get(pid, ()):
            cells[e.slot].append(e.cell())
        title = " ".join(x for x in (pid, name, details) if x)
        ws.append([_styled(WriteOnlyCell(ws, title), bold)])
        ws.append([None] + [_styled(WriteOnlyCell(ws, d), bold) for d in cal.days])
        for pos, label in enumerate(row_labels):
            row: list[Any] = [_styled(WriteOnlyCell(ws, label), bold)]
            for day in cal.days:
                day_slots = cal.day_slots[day]
                text = "\n".join(cells.get(day_slots[pos], ())) if pos < len(day_slots) else ""
                row.append(_styled(WriteOnlyCell(ws, text), alignment=wrap) if text else None)
            ws.append(row)
        ws.close()
    wb.save(path)


def _styled(cell: Any, font: Any = None, alignment: Any = None) -> Any:
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _col_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)
