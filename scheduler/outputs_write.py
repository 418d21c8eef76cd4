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
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Self

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
    cal = school.calendar
    known = {p[0] for p in people}
    # Ids in the timetable but not in the school (should not happen) still get a sheet.
    people = people + [(i, "", "") for i in sorted(by_id) if i not in known]
    # "History" is reserved by Excel.
    names = _sheet_names((p[0] for p in people), reserved=["Index", "History"])
    # Row labels: the period label and times of the longest day at each position.
    longest = max(cal.day_slots.values(), key=len, default=())
    row_labels = [f"{cal.slots[i].period} ({hhmm(cal.slots[i].start)}-{hhmm(cal.slots[i].end)})"
                  for i in longest]

    with _Xlsx(path) as book:
        index: list[list[Any]] = [[_Bold(h) for h in (what, "name", "details", "periods", "sheet")]]
        for pid, name, details in people:
            occupied = len({e.slot for e in by_id.get(pid, ())})
            index.append([pid, name, details, occupied, names[pid]])
        book.sheet("Index", index, widths=[16, 24, 24, 10, 16])
        for pid, name, details in people:
            cells: dict[int, list[str]] = defaultdict(list)
            for e in by_id.get(pid, ()):
                cells[e.slot].append(e.cell())
            rows: list[list[Any]] = [
                [_Bold(" ".join(x for x in (pid, name, details) if x))],
                [None, *(_Bold(d) for d in cal.days)],
            ]
            for pos, label in enumerate(row_labels):
                row: list[Any] = [_Bold(label)]
                for day in cal.days:
                    day_slots = cal.day_slots[day]
                    text = "\n".join(cells.get(day_slots[pos], ())) if pos < len(day_slots) else ""
                    row.append(_Wrap(text) if text else None)
                rows.append(row)
            book.sheet(names[pid], rows, widths=[16] + [26] * cal.num_days)


# A minimal SpreadsheetML writer. openpyxl (even in write-only mode) takes about 8 s
# for 1,200 small sheets on a modest machine; writing the few XML parts directly takes
# well under one. Only what the week grids need: inline text, whole numbers, bold and
# wrapped cells, column widths.


class _Bold(str):
    """A cell text shown in bold."""


class _Wrap(str):
    """A cell text wrapped over lines, aligned to the top."""


_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_STYLES = (
    f'{_XML_HEAD}<styleSheet xmlns="{_MAIN_NS}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
# Characters XML 1.0 cannot carry at all (a stray control character in a name).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _esc(text: str) -> str:
    text = _NOT_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _col_name(n: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


class _Xlsx:
    """Write an .xlsx workbook sheet by sheet; the parts are streamed into the zip."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.names: list[str] = []

    def __enter__(self) -> Self:
        self.zip = zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        try:
            if exc_type is None:
                self._finish()
        finally:
            self.zip.close()

    def sheet(self, name: str, rows: list[list[Any]], widths: list[int]) -> None:
        """Add a sheet: rows of cells (None, text, a whole number, _Bold or _Wrap text)."""
        self.names.append(name)
        parts = [f'{_XML_HEAD}<worksheet xmlns="{_MAIN_NS}">']
        if widths:  # an empty <cols/> is invalid
            parts.append("<cols>")
            parts += [f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                      for i, w in enumerate(widths, start=1)]
            parts.append("</cols>")
        parts.append("<sheetData>")
        for r, row in enumerate(rows, start=1):
            parts.append(f'<row r="{r}">')
            for c, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                ref = f"{_col_name(c)}{r}"
                if isinstance(value, int) and not isinstance(value, bool):
                    parts.append(f'<c r="{ref}"><v>{value}</v></c>')
                    continue
                style = ' s="1"' if isinstance(value, _Bold) else ' s="2"' if isinstance(
                    value, _Wrap) else ""
                parts.append(f'<c r="{ref}" t="inlineStr"{style}><is>'
                             f'<t xml:space="preserve">{_esc(str(value))}</t></is></c>')
            parts.append("</row>")
        parts.append("</sheetData></worksheet>")
        self.zip.writestr(f"xl/worksheets/sheet{len(self.names)}.xml", "".join(parts))

    def _finish(self) -> None:
        n = len(self.names)
        sheets = "".join(f'<sheet name="{_esc(name)}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, name in enumerate(self.names, start=1))
        self.zip.writestr("xl/workbook.xml", f'{_XML_HEAD}<workbook xmlns="{_MAIN_NS}" '
                          f'xmlns:r="{_REL_NS}"><sheets>{sheets}</sheets></workbook>')
        rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" '
                       f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
        rels += f'<Relationship Id="rId{n + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
        self.zip.writestr("xl/_rels/workbook.xml.rels",
                          f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">{rels}</Relationships>')
        self.zip.writestr("xl/styles.xml", _STYLES)
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            f'ContentType="{_CT}.worksheet+xml"/>' for i in range(1, n + 1))
        self.zip.writestr("[Content_Types].xml", (
            f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
            f"{overrides}</Types>"))
        self.zip.writestr("_rels/.rels", (
            f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}"><Relationship Id="rId1" '
            f'Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
