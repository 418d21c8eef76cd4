"""The shared model behind every export: who is where, when, as week grids.

Every export (xlsx week grids, iCalendar, the web timetable, CSV) is drawn from one
:class:`ExportData`, built in one place (:func:`build`) from

- a :class:`Context`: what the exports need to know about the school that the solve's
  CSV files do not say (the whole Calendar, names, each course's subject, tutor groups,
  term dates). ``pathways solve`` saves it as ``context.json`` beside the timetable, so
  an output folder alone is enough to export again; it can also be made from the
  school workbook (:meth:`Context.from_school`);
- the rows of ``timetable.csv`` (what each student has in each slot) and ``groups.csv``
  (what each group has in each slot: the staff and room views).

Because ``pathways solve`` builds its students/staff/rooms.xlsx from the very rows it
writes to those files, a re-export from the folder gives the same grids as the solve.
"""

from __future__ import annotations

import colorsys
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from scheduler.files.columns import ONLINE, TUTOR, split_items
from scheduler.model import ByDay, hhmm

if TYPE_CHECKING:
    from scheduler.model import School

KINDS = ("student", "staff", "room")
CONTEXT_FILE = "context.json"
CONTEXT_VERSION = 1


#: Pale fills, one per subject (subjects sorted by name take them in turn): light enough
#: for black text, far enough apart to tell neighbouring lessons apart, and printable.
PALETTE = (
    "#CFE2F3",
    "#FCE5CD",
    "#D9EAD3",
    "#F4CCCC",
    "#D9D2E9",
    "#FFF2CC",
    "#D0E0E3",
    "#EAD1DC",
    "#C9DAF8",
    "#E6B8AF",
    "#B6D7A8",
    "#FFE599",
    "#A2C4C9",
    "#B4A7D6",
    "#F9CB9C",
    "#D5A6BD",
    "#9FC5E8",
    "#C6E0B4",
    "#F8CBAD",
    "#DDEBF7",
)
TUTOR_COLOUR = "#EEEEEE"

_WEEKDAYS = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "weds": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}
_WEEK_PREFIX = re.compile(r"^(?:wk|week)\s*(\d+)\s+(.+)$", re.IGNORECASE)


def subject_colour(n: int) -> str:
    """The fill of the ``n``-th subject: the palette, then pale hues a golden angle apart
    (so a school with more subjects than the palette still gets a colour for each)."""
    if n < len(PALETTE):
        return PALETTE[n]
    hue = ((n - len(PALETTE)) * 137.508 + 15) % 360 / 360
    r, g, b = colorsys.hls_to_rgb(hue, 0.86, 0.6)
    return f"#{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"


class ExportError(Exception):
    """The files to export from cannot be used; ``messages`` say why, in plain words."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


# --------------------------------------------------------------------------------------
# What exports need to know about the school
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SlotInfo:
    """One Calendar row: its day and period labels and its times as HH:MM."""

    index: int
    day: str
    period: str
    start: str
    end: str

    @property
    def label(self) -> str:
        return f"{self.day} {self.period}"


@dataclass(frozen=True, slots=True)
class Person:
    """A student, member of staff or room as the exports name it."""

    id: str
    name: str = ""
    details: str = ""  # e.g. "year 7", "North, capacity 30"

    @property
    def title(self) -> str:
        """``S0001 Sam Smith year 7``: the heading of this person's timetable."""
        return " ".join(x for x in (self.id, self.name, self.details) if x)


@dataclass(frozen=True, slots=True)
class TutorInfo:
    """A tutor group: who leads it, where, and the slots it meets."""

    id: str
    tutor: str
    room: str | None
    meets: tuple[int, ...]


@dataclass(frozen=True)
class Context(ByDay):
    """What the exports need to know about the school (saved as ``context.json``)."""

    school_name: str
    slots: tuple[SlotInfo, ...]
    students: tuple[Person, ...] = ()
    staff: tuple[Person, ...] = ()
    rooms: tuple[Person, ...] = ()
    subjects: dict[str, str] = field(default_factory=dict)  # course id -> subject
    tutor_groups: tuple[TutorInfo, ...] = ()
    term_start: str | None = None  # YYYY-MM-DD, from Settings
    term_end: str | None = None
    input_sha256: str = ""
    written_at: str = ""  # ISO UTC time the timetable was written

    @classmethod
    def from_school(cls, school: School, written_at: datetime | None = None) -> Context:
        """The context of ``school``; ``written_at`` defaults to now."""
        when = (written_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        return cls(
            school_name=school.name,
            slots=tuple(
                SlotInfo(s.index, s.day, s.period, hhmm(s.start), hhmm(s.end))
                for s in school.calendar.slots
            ),
            students=tuple(Person(s.id, s.name, f"year {s.year}") for s in school.students),
            staff=tuple(Person(t.id, t.name, "") for t in school.staff),
            rooms=tuple(Person(r.id, "", f"{r.site}, capacity {r.capacity}") for r in school.rooms),
            subjects={c.id: c.subject for c in school.courses},
            tutor_groups=tuple(
                TutorInfo(tg.id, tg.tutor, tg.room, tuple(sorted(tg.meets)))
                for tg in school.tutor_groups
            ),
            term_start=school.settings.get("term_start"),
            term_end=school.settings.get("term_end"),
            input_sha256=school.source_sha256,
            written_at=when.isoformat(),
        )

    # ---- context.json --------------------------------------------------------------
    def to_json(self) -> str:
        """The context as the text of ``context.json``."""
        out: dict[str, Any] = {
            "version": CONTEXT_VERSION,
            "school": self.school_name,
            "written_at": self.written_at,
            "input_sha256": self.input_sha256,
            "term_start": self.term_start,
            "term_end": self.term_end,
            "calendar": [[s.day, s.period, s.start, s.end] for s in self.slots],
            "students": [[p.id, p.name, p.details] for p in self.students],
            "staff": [[p.id, p.name, p.details] for p in self.staff],
            "rooms": [[p.id, p.name, p.details] for p in self.rooms],
            "subjects": self.subjects,
            "tutor_groups": [
                [t.id, t.tutor, t.room, [self.slots[i].label for i in t.meets]]
                for t in self.tutor_groups
            ],
        }
        return json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n"

    @classmethod
    def from_json(cls, text: str, where: str = CONTEXT_FILE) -> Context:
        """Read ``context.json``; raises :class:`ExportError` naming what is wrong."""
        try:
            d = json.loads(text)
            slots = tuple(
                SlotInfo(i, str(day), str(period), str(start), str(end))
                for i, (day, period, start, end) in enumerate(d["calendar"])
            )
            by_label = {s.label: s.index for s in slots}

            def people(key: str) -> tuple[Person, ...]:
                return tuple(Person(str(i), str(n or ""), str(x or "")) for i, n, x in d[key])

            tutor_groups = []
            for tg_id, tutor, room, meets in d.get("tutor_groups", []):
                unknown = [m for m in meets if m not in by_label]
                if unknown:
                    raise ExportError(
                        [
                            (
                                f"{where}: tutor group {tg_id} meets at {unknown[0]}, "
                                "which is not in its calendar"
                            )
                        ]
                    )
                tutor_groups.append(
                    TutorInfo(
                        str(tg_id), str(tutor), room or None, tuple(by_label[m] for m in meets)
                    )
                )
            return cls(
                school_name=str(d.get("school") or "school"),
                slots=slots,
                students=people("students"),
                staff=people("staff"),
                rooms=people("rooms"),
                subjects={str(k): str(v) for k, v in d.get("subjects", {}).items()},
                tutor_groups=tuple(tutor_groups),
                term_start=d.get("term_start") or None,
                term_end=d.get("term_end") or None,
                input_sha256=str(d.get("input_sha256") or ""),
                written_at=str(d.get("written_at") or ""),
            )
        except ExportError:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            raise ExportError(
                [
                    (
                        f"{where} cannot be read ({exc.__class__.__name__}: {exc}); "
                        "export again with --school SCHOOL.xlsx"
                    )
                ]
            ) from None

    # ---- the Calendar --------------------------------------------------------------
    @cached_property
    def by_label(self) -> dict[tuple[str, str], int]:
        """(day, period) -> slot index."""
        return {(s.day, s.period): s.index for s in self.slots}

    @cached_property
    def position(self) -> dict[int, int]:
        """Slot index -> its position (0-based) within its day."""
        return {i: p for idxs in self.day_slots.values() for p, i in enumerate(idxs)}

    @cached_property
    def cycle(self) -> Cycle:
        return Cycle.of(self.days)

    @cached_property
    def layout(self) -> Layout:
        return Layout.of(self)

    @cached_property
    def colours(self) -> dict[str, str]:
        """Subject -> fill colour; subjects sorted by name take the palette in turn."""
        subjects = sorted(set(self.subjects.values()), key=str.casefold)
        return {s: subject_colour(n) for n, s in enumerate(subjects)}

    def subject(self, course: str) -> str:
        """The subject of a course (tutor time is "Tutor time"; an unknown course, its id)."""
        if course == TUTOR:
            return "Tutor time"
        return self.subjects.get(course, course)

    def colour(self, course: str) -> str:
        if course == TUTOR:
            return TUTOR_COLOUR
        subject = self.subjects.get(course)
        if subject is None:  # a course the context does not know: a stable colour anyway
            return PALETTE[sum(course.encode()) % len(PALETTE)]
        return self.colours[subject]

    def people(self, kind: str) -> tuple[Person, ...]:
        return {"student": self.students, "staff": self.staff, "room": self.rooms}[kind]


# --------------------------------------------------------------------------------------
# Days of the cycle as weekdays of calendar weeks
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cycle:
    """Where each Calendar day falls in real weeks.

    ``Mon`` .. ``Fri`` are weekdays of a one-week cycle; ``Wk1 Mon`` .. ``Wk2 Fri`` are
    weekdays of week 1 and week 2 of a two-week cycle (any number of weeks works the
    same way). Day labels that name no weekday (``Day 1`` .. ``Day 10``) are taken in
    order as Monday to Friday of successive weeks.
    """

    weeks: int
    place: dict[str, tuple[int, int]]  # day label -> (week 0-based, weekday 0=Mon)
    weekday_names: dict[str, str]  # day label -> its label without the week, e.g. "Mon"

    @classmethod
    def of(cls, days: Sequence[str]) -> Cycle:
        place: dict[str, tuple[int, int]] = {}
        names: dict[str, str] = {}
        for day in days:
            m = _WEEK_PREFIX.match(day.strip())
            week, rest = (int(m.group(1)) - 1, m.group(2)) if m else (0, day.strip())
            weekday = _WEEKDAYS.get(rest.split()[-1].casefold().rstrip(".")) if rest else None
            if weekday is None or week < 0:
                place.clear()
                break
            place[day] = (week, weekday)
            names[day] = rest
        if len(place) != len(days) or len(set(place.values())) != len(place):
            # No weekday names (or the same weekday twice in a week): five days a week.
            place = {d: (n // 5, n % 5) for n, d in enumerate(days)}
            names = {d: d for d in days}
        if place:  # weeks numbered from the first one used (Wk1, or Wk0 if so written)
            first = min(w for w, _ in place.values())
            place = {d: (w - first, wd) for d, (w, wd) in place.items()}
        weeks = max((w for w, _ in place.values()), default=0) + 1
        return cls(weeks, place, names)


@dataclass(frozen=True, slots=True)
class Week:
    """One grid of a timetable: some days across, the periods down."""

    title: str  # "Week 1", or "" for a one-week cycle
    days: tuple[str, ...]  # Calendar day labels
    headers: tuple[str, ...]  # column headings ("Mon", or the full label)
    rows: tuple[str, ...]  # row headings: "1 (09:00-10:00)"


@dataclass(frozen=True)
class Layout:
    """The grids every timetable of the school is drawn in: one per week of the cycle."""

    weeks: tuple[Week, ...]
    shared_header: bool  # every week has the same column headings

    @classmethod
    def of(cls, ctx: Context) -> Layout:
        cycle = ctx.cycle
        by_week: dict[int, list[str]] = defaultdict(list)
        for day in ctx.days:
            by_week[cycle.place[day][0]].append(day)
        multi = len(by_week) > 1
        weeks = []
        for w in sorted(by_week):
            days = tuple(by_week[w])
            # Row labels: the period label and times of the longest day at each position.
            longest = max((ctx.day_slots[d] for d in days), key=len, default=())
            rows = tuple(
                f"{ctx.slots[i].period} ({ctx.slots[i].start}-{ctx.slots[i].end})" for i in longest
            )
            headers = tuple(cycle.weekday_names[d] for d in days) if multi else days
            weeks.append(Week(f"Week {w + 1}" if multi else "", days, headers, rows))
        shared = len({wk.headers for wk in weeks}) <= 1 and len({len(wk.rows) for wk in weeks}) <= 1
        if multi and not shared:
            weeks = [Week(wk.title, wk.days, wk.days, wk.rows) for wk in weeks]
        return cls(tuple(weeks), shared)


# --------------------------------------------------------------------------------------
# Timetables
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """Something happening in one slot: a lesson of a group, or tutor-group time."""

    slot: int
    course: str
    group: str
    room: str | None  # None: online (or tutor time without a room)
    staff: tuple[str, ...]

    @property
    def where(self) -> str:
        """The room, ``online`` for an online lesson, ``-`` for tutor time without a room."""
        if self.room:
            return self.room
        return "-" if self.course == TUTOR else ONLINE

    def cell(self) -> str:
        """The week-grid cell text: ``course group / room / staff``."""
        return f"{self.course} {self.group} / {self.where} / {';'.join(self.staff)}"


def _entry(slot: int, course: str, group: str, room: str, staff: str) -> Entry:
    """A lesson slot from an output CSV row: a blank room is none, staff ids are
    separated by ``;``."""
    return Entry(slot, course, group, room or None, split_items(staff))


@dataclass(frozen=True)
class Timetable:
    """One person's (or room's) timetable: their entries in slot order."""

    kind: str  # student / staff / room
    person: Person
    entries: tuple[Entry, ...]

    @cached_property
    def by_slot(self) -> dict[int, tuple[Entry, ...]]:
        out: dict[int, list[Entry]] = defaultdict(list)
        for e in self.entries:
            out[e.slot].append(e)
        return {k: tuple(v) for k, v in out.items()}

    @property
    def periods(self) -> int:
        """Number of slots in which something happens."""
        return len(self.by_slot)


@dataclass(frozen=True)
class ExportData:
    """Every timetable of a solve, by kind, in the school's order."""

    context: Context
    timetables: dict[str, tuple[Timetable, ...]]  # kind -> timetables
    staff_names: dict[str, str] = field(default_factory=dict)
    group_sizes: dict[str, int] = field(default_factory=dict)  # from groups.csv
    #: A re-solve's changes.csv, per person: kind -> id -> lines ("what changed").
    changes: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def only(self, ids: dict[str, Sequence[str] | None]) -> ExportData:
        """Keep only the named people of each kind; a kind mapped to None is kept whole
        and a kind missing from ``ids`` is dropped."""
        out: dict[str, tuple[Timetable, ...]] = {}
        for kind, wanted in ids.items():
            tts = self.timetables.get(kind, ())
            if wanted is None:
                out[kind] = tts
            else:
                keep = set(wanted)
                out[kind] = tuple(t for t in tts if t.person.id in keep)
        return ExportData(self.context, out, self.staff_names, self.group_sizes, self.changes)


def _sort_key(e: Entry) -> tuple[int, bool, str]:
    return (e.slot, e.course == TUTOR, e.group)


def build(
    ctx: Context,
    timetable_rows: Iterable[Sequence[str]],
    group_rows: Iterable[Sequence[str]],
    *,
    where: tuple[str, str] = ("timetable.csv", "groups.csv"),
) -> ExportData:
    """Every timetable, from rows of timetable.csv and groups.csv (contract column order).

    Students' timetables come from timetable.csv; staff and room timetables from
    groups.csv plus the tutor groups of the context. Raises :class:`ExportError` listing
    rows whose slot is not in the Calendar.
    """
    by: dict[str, dict[str, list[Entry]]] = {k: defaultdict(list) for k in KINDS}
    problems: list[str] = []

    def slot_of(day: str, period: str, file: str, line: int) -> int | None:
        i = ctx.by_label.get((day, period))
        if i is None and len(problems) < 20:
            problems.append(f"{file} line {line}: {day} {period} is not a slot of the Calendar")
        return i

    group_sizes: dict[str, int] = {}
    cache: dict[tuple[Any, ...], Entry] = {}  # one Entry object per distinct lesson slot
    for line, r in enumerate(timetable_rows, start=2):
        student, day, period, _, _, course, group, room, staff = r[:9]
        i = slot_of(day, period, where[0], line)
        if i is None:
            continue
        key = (i, course, group, room, staff)
        e = cache.get(key)
        if e is None:
            e = cache[key] = _entry(i, course, group, room, staff)
        by["student"][student].append(e)

    for line, r in enumerate(group_rows, start=2):
        group, course, day, period, _, _, room, staff, size = r[:9]
        i = slot_of(day, period, where[1], line)
        if i is None:
            continue
        e = _entry(i, course, group, room, staff)
        if str(size).isdigit():
            group_sizes[group] = int(size)
        for t in e.staff:
            by["staff"][t].append(e)
        if e.room:
            by["room"][e.room].append(e)
    if problems:
        raise ExportError(problems)

    for tg in ctx.tutor_groups:
        for i in tg.meets:
            e = Entry(i, TUTOR, tg.id, tg.room, (tg.tutor,))
            by["staff"][tg.tutor].append(e)
            if tg.room:
                by["room"][tg.room].append(e)

    timetables: dict[str, tuple[Timetable, ...]] = {}
    for kind in KINDS:
        table = by[kind]
        people = list(ctx.people(kind))
        known = {p.id for p in people}
        # Ids in the timetable but not in the school (should not happen) still get one.
        people += [Person(i) for i in sorted(table) if i not in known]
        timetables[kind] = tuple(
            Timetable(kind, p, tuple(sorted(table.get(p.id, ()), key=_sort_key))) for p in people
        )
    staff_names = {p.id: p.name for p in ctx.staff if p.name}
    return ExportData(ctx, timetables, staff_names, group_sizes)


_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]")


def file_names(ids: Iterable[str], suffix: str) -> dict[str, str]:
    """A unique, portable file name for each id: the id itself where it is safe.

    Characters other than letters, digits, ``.``, ``_`` and ``-`` become ``_``; names
    that would clash (also on a case-insensitive file system) get ``~2``, ``~3``, ...
    """
    used: set[str] = set()
    out: dict[str, str] = {}
    for i in ids:
        base = _UNSAFE_FILE_CHARS.sub("_", i).strip(".") or "_"
        name, n = base, 1
        while name.casefold() in used:
            n += 1
            name = f"{base}~{n}"
        used.add(name.casefold())
        out[i] = name + suffix
    return out
