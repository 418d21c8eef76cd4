"""iCalendar (RFC 5545) files: one per student, member of staff and room.

Each lesson of the cycle becomes one weekly recurring event from the term's start to
its end; in a cycle of several weeks (``Wk1 Mon`` .. ``Wk2 Fri``) it recurs every two
(or more) weeks, week 1 being the week the term starts in. Consecutive periods of the
same group in the same room (a double lesson) are one event.

Times are *floating* local times (no time zone): a lesson at 09:00 is at 09:00 on the
school's clocks all year, across daylight-saving changes, which is what a timetable
means; calendar programs show floating times in the device's own zone.

Every event has a UID made of the owner, the course and the lesson's number within the
owner's lessons of that course (``student/S0001/MA-6/2@pathways``), so importing the
calendar of a newer solve updates the events in place (a lesson that moved keeps its
UID) instead of adding copies. SEQUENCE and DTSTAMP come from the time the timetable was
written, so a newer solve's events win and exporting the same solve twice gives the
same files.

Files are written by hand rather than through a library: the format is small, the
output is deterministic, and 1,200 calendars take well under a second. Tests parse
every file with the ``icalendar`` library.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from scheduler.exports.grid import Context, Entry, ExportData, Timetable, file_names
from scheduler.files.columns import TUTOR

log = logging.getLogger(__name__)

#: Folder of each kind's calendars.
FOLDERS = {"student": "students", "staff": "staff", "room": "rooms"}
#: A term is this long when Settings gives only one of its ends, or neither.
DEFAULT_TERM_WEEKS = 12
PRODID = "-//Pathways//School timetable//EN"
_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Term:
    """The dates lessons recur between (both included), and how they were chosen."""

    start: date
    end: date
    notes: tuple[str, ...] = ()  # what was assumed, in a timetabler's words


def resolve_term(
    ctx: Context, term_start: date | None = None, term_end: date | None = None
) -> Term:
    """The term: the given dates, else Settings ``term_start``/``term_end``, else defaults.

    With no start, calendars start on the first Monday on or after the day the timetable
    was written; with no end, the term lasts :data:`DEFAULT_TERM_WEEKS` weeks. Each
    assumption is stated in :attr:`Term.notes`.
    """
    notes: list[str] = []
    start = term_start or (date.fromisoformat(ctx.term_start) if ctx.term_start else None)
    end = term_end or (date.fromisoformat(ctx.term_end) if ctx.term_end else None)
    span = timedelta(weeks=DEFAULT_TERM_WEEKS) - timedelta(days=1)
    if start is None and end is not None:
        start = end - span
        notes.append(
            f"Settings has no term_start: calendars start on {_day(start)}, "
            f"{DEFAULT_TERM_WEEKS} weeks before term_end"
        )
    elif start is None:
        written = _written_at(ctx).date()
        start = written + timedelta(days=(7 - written.weekday()) % 7)
        notes.append(
            f"Settings has no term_start: calendars start on {_day(start)}, the "
            "first Monday on or after the day the timetable was written"
        )
    if end is None:
        end = start + span
        notes.append(
            f"Settings has no term_end: calendars end on {_day(end)}, "
            f"{DEFAULT_TERM_WEEKS} weeks after term_start"
        )
    if end < start:
        raise ValueError(f"the term ends ({_day(end)}) before it starts ({_day(start)})")
    if notes:
        notes.append(
            "set term_start and term_end in the Settings sheet "
            "(or give --term-start and --term-end) to choose the dates"
        )
    return Term(start, end, tuple(notes))


def write_calendars(data: ExportData, folder: Path, term: Term) -> list[Path]:
    """Write one ``.ics`` per person or room of ``data`` under ``folder/<kind>/``."""
    written = []
    for kind, timetables in data.timetables.items():
        sub = folder / FOLDERS[kind]
        sub.mkdir(parents=True, exist_ok=True)
        names = file_names((t.person.id for t in timetables), ".ics")
        for t in timetables:
            path = sub / names[t.person.id]
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write(calendar_text(data, t, term))
            written.append(path)
    return written


@dataclass(frozen=True, slots=True)
class _Run:
    """One event: an entry over consecutive periods of one day."""

    entry: Entry
    first: int  # slot index
    last: int


def _runs(ctx: Context, t: Timetable) -> list[_Run]:
    """The person's entries with a group's consecutive periods in one room merged."""
    runs: list[_Run] = []
    open_runs: dict[tuple[str, str, str | None, str], int] = {}  # key -> index in runs
    for e in t.entries:
        slot = ctx.slots[e.slot]
        key = (e.course, e.group, e.room, slot.day)
        n = open_runs.get(key)
        if n is not None and ctx.position[e.slot] == ctx.position[runs[n].last] + 1:
            runs[n] = _Run(runs[n].entry, runs[n].first, e.slot)
        else:
            open_runs[key] = len(runs)
            runs.append(_Run(e, e.slot, e.slot))
    return runs


def calendar_text(data: ExportData, t: Timetable, term: Term) -> str:
    """The whole ``.ics`` text of one timetable."""
    ctx = data.context
    cycle = ctx.cycle
    written = _written_at(ctx)
    stamp = written.strftime("%Y%m%dT%H%M%SZ")
    sequence = max(0, int((written - _SEQUENCE_EPOCH).total_seconds() // 60))
    week1 = term.start - timedelta(days=term.start.weekday())  # Monday of week 1
    until = term.end.strftime("%Y%m%dT235959")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        _prop("X-WR-CALNAME", f"{ctx.school_name}: {t.person.title}"),
        _prop(
            "X-WR-CALDESC",
            f"Timetable of {t.kind} {t.person.title}, {_day(term.start)} to {_day(term.end)}",
        ),
    ]
    counts: dict[str, int] = {}
    for run in _runs(ctx, t):
        e = run.entry
        first, last = ctx.slots[run.first], ctx.slots[run.last]
        week, weekday = cycle.place[first.day]
        day = week1 + timedelta(days=7 * week + weekday)
        while day < term.start:  # the first such day of the term
            day += timedelta(weeks=cycle.weeks)
        if day > term.end:
            continue  # the term is too short for this lesson to happen
        counts[e.course] = counts.get(e.course, 0) + 1
        uid = f"{t.kind}/{_uid_part(t.person.id)}/{_uid_part(e.course)}/{counts[e.course]}@pathways"
        subject = ctx.subject(e.course)
        summary = f"{subject} ({e.group})"
        staff = ", ".join(_staff_label(data, s) for s in e.staff)
        details = [
            f"Course {e.course}, group {e.group}"
            if e.course != TUTOR
            else f"Tutor group {e.group}",
            f"Room: {e.where}" if e.room or e.course != TUTOR else "",
            f"Staff: {staff}" if staff else "",
            f"{data.group_sizes[e.group]} students"
            if t.kind != "student" and e.group in data.group_sizes
            else "",
            f"{first.label} to {last.label}" if run.last != run.first else first.label,
        ]
        rrule = "RRULE:FREQ=WEEKLY"
        if cycle.weeks > 1:
            rrule += f";INTERVAL={cycle.weeks}"
        lines += [
            "BEGIN:VEVENT",
            _prop("UID", uid),
            f"DTSTAMP:{stamp}",
            f"LAST-MODIFIED:{stamp}",
            f"SEQUENCE:{sequence}",
            f"DTSTART:{_local(day, first.start)}",
            f"DTEND:{_local(day, last.end)}",
            f"{rrule};UNTIL={until}",
            _prop("SUMMARY", summary),
        ]
        if e.room or e.course != TUTOR:
            lines.append(_prop("LOCATION", e.room or "Online"))
        lines += [
            _prop("DESCRIPTION", "\n".join(x for x in details if x)),
            _prop("CATEGORIES", subject),
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _staff_label(data: ExportData, staff_id: str) -> str:
    name = data.staff_names.get(staff_id)
    return f"{staff_id} ({name})" if name else staff_id


def _written_at(ctx: Context) -> datetime:
    """When the timetable was written (UTC); the Unix epoch if the context does not say."""
    try:
        when = datetime.fromisoformat(ctx.written_at)
    except ValueError:
        log.debug("context has no written_at; using 1970-01-01")
        return datetime(1970, 1, 1, tzinfo=UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def _local(day: date, hhmm: str) -> str:
    """A floating local date-time: ``20250901T090000``."""
    h, m = hhmm.split(":")
    return f"{day:%Y%m%d}T{int(h):02d}{int(m):02d}00"


def _day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def _uid_part(text: str) -> str:
    """Text safe inside a UID between ``/``: ASCII letters, digits and ``.-_``; anything
    else as ``%XX``, so two different (owner, course) pairs never give the same UID."""
    return "".join(
        c
        if c.isascii() and (c.isalnum() or c in ".-_")
        else "".join(f"%{b:02X}" for b in c.encode())
        for c in text
    )


def _escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _prop(name: str, text: str) -> str:
    return f"{name}:{_escape(text)}"


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts: list[str] = []
    start, limit = 0, 75
    while start < len(raw):
        end = min(start + limit, len(raw))
        while end < len(raw) and (raw[end] & 0xC0) == 0x80:  # a continuation byte
            end -= 1
        parts.append(raw[start:end].decode())
        start, limit = end, 74  # continuation lines begin with a space
    return "\r\n ".join(parts)
