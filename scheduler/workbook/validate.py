"""Whole-school validation: every problem of a school, found in one run.

:func:`validate_school` runs the checks of :data:`CHECKS` in order on a :class:`Draft`
(the school as read, plus where each thing came from in the workbook) and returns
every problem found. A check is a small function ``Draft -> Iterable[Problem]``;
adding one is adding a function to :data:`CHECKS` (and a test with its exact message).

Three families, in this order:

* **values**: impossible numbers on one row (``max_size`` below ``min_size``, a lesson
  longer than any day, capacity 0, a stage range that runs backwards, ...);
* **references**: ids that point nowhere (staff in ``Courses.staff``, tutors, rooms,
  fixed tutor groups, pathways, Travel sites);
* **capacity**: data that can never be satisfied, whatever the timetable (no room or
  staff for a course, a student whose core courses do not fit in the cycle, more
  demand for a room type or a subject's staff than there is, fixed sections that
  cannot fill, too few tutor-group places), and warnings about data that will leave
  requests unmet.

Capacity checks only count what is certain: courses with impossible values are left
out of them (their mistake is already reported), and a capacity check is skipped when
a sheet it counts supply from lost rows to errors, so one mistake is reported once.
"""

from __future__ import annotations

import difflib
import itertools
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from scheduler.model import (
    Calendar,
    Course,
    Lock,
    RequestType,
    School,
    Student,
    hhmm,
)
from scheduler.workbook.problems import Problem, Severity

__all__ = [
    "CHECKS",
    "Draft",
    "PathwayRow",
    "Sources",
    "groups_to_seat",
    "room_type_demand",
    "staff_capacities",
    "subject_staff_demand",
    "validate_school",
]


# ---------------------------------------------------------------------------------------
# Where things came from
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PathwayRow:
    """One row of the Pathways sheet: a course (or subject) of a pathway."""

    pathway: str
    row: int
    type: RequestType
    rank: int | None = None
    course: str | None = None  # a course id, when the row names a course
    subject: str | None = None  # a subject, resolved per student through Stages


@dataclass(frozen=True)
class Sources:
    """Where each part of a school came from in its workbook, for messages."""

    sheets: frozenset[str] = frozenset()  # sheets present in the workbook
    rows: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # sheet -> id -> row
    slot_rows: tuple[int, ...] = ()  # Calendar row of each slot
    travel_rows: tuple[int, ...] = ()  # Travel row of each School.travel entry
    request_where: tuple[tuple[str, int], ...] = ()  # (sheet, row) of each School.request
    pathway_rows: tuple[PathwayRow, ...] = ()
    # Pathway ids of every Pathways row, also rows left out for other errors (casefolded);
    # None when the Pathways sheet could not be read at all.
    pathway_ids: frozenset[str] | None = frozenset()
    # Sheets some rows of which were left out because of errors (already reported).
    incomplete: frozenset[str] = frozenset()
    # Sheets of ids that are missing or could not be read as a whole (already reported):
    # references into them are not checked.
    unusable: frozenset[str] = frozenset()
    # Ids of rows left out because of errors, by sheet (casefolded; ANY_ID for a row whose
    # id could not be read): a reference to one of them is not reported a second time;
    # every other unknown reference is.
    dropped: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Room types and sites of Rooms rows left out because of errors (casefolded types);
    # None when one of those rows' cells could not be read, so any type or site may be there.
    dropped_room_types: frozenset[str] | None = frozenset()
    dropped_room_sites: frozenset[str] | None = frozenset()

    def row(self, sheet: str, ident: str) -> int | None:
        return self.rows.get(sheet, {}).get(ident)


#: In :attr:`Sources.dropped`: a row was left out whose id could not be read either.
ANY_ID = "\x00any id"


def _error(sheet: str, row: int | None, column: str | None, message: str, expected: str) -> Problem:
    return Problem(Severity.ERROR, sheet, row, column, message, expected)


def _warning(
    sheet: str, row: int | None, column: str | None, message: str, expected: str
) -> Problem:
    return Problem(Severity.WARNING, sheet, row, column, message, expected)


def _hint(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean X?)`` for a likely typo, else empty."""
    options = sorted(set(candidates))
    if word.casefold() in {c.casefold() for c in options}:
        return ""
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.75)
    return f" (did you mean {close[0]}?)" if close else ""


# Sensible bounds of the numbers of a workbook. The contract gives lower bounds; these upper
# bounds are far above any school's figures and far below what would overflow the solver's
# 64-bit arithmetic (a max_size of 1e308 read from a spreadsheet is a whole number too).
MAX_SEATS = 10_000  # room and tutor-group capacity, course max_size
MAX_GROUPS_AT_ONCE = 1_000  # a room's max_groups
MAX_PERIODS = 10_000  # a member of staff's max_periods
MAX_STAFF_PER_GROUP = 100
MAX_SECTIONS = 1_000
MAX_RANK = 1_000
MAX_TRAVEL_MINUTES = 24 * 60


def _n(value: int) -> str:
    """A whole number for a message; a huge one in short (``1e+308``, not 309 digits)."""
    return f"{float(value):.3g}" if abs(value) >= 10**15 else str(value)


def _too_big(
    sheet: str, row: int | None, column: str, value: int, limit: int, expected: str
) -> Problem:
    return _error(sheet, row, column, f"{_n(value)} is more than {limit}", expected)


def _out_of_range(
    sheet: str,
    row: int | None,
    column: str,
    value: int | None,
    low: int,
    high: int,
    expected: str,
    expected_high: str | None = None,
) -> Iterator[Problem]:
    """A number below ``low`` (0 or 1) or above ``high`` (None, a blank cell, is fine);
    ``expected_high`` words the upper bound where it differs from ``expected``."""
    if value is None:
        return
    if value < low:
        below = "is negative" if low == 0 else f"is less than {low}"
        yield _error(sheet, row, column, f"{_n(value)} {below}", expected)
    elif value > high:
        yield _too_big(sheet, row, column, value, high, expected_high or expected)


def _names(items: Iterable[str], limit: int = 5) -> str:
    items = list(items)
    shown = ", ".join(items[:limit])
    if len(items) > limit:
        shown += f" and {len(items) - limit} more"
    return shown


# ---------------------------------------------------------------------------------------
# Demand and supply (shared with scheduler.workbook.summary)
# ---------------------------------------------------------------------------------------

CORE = frozenset({RequestType.CORE})
WANTED = frozenset({RequestType.CORE, RequestType.OPTION})


def num_requests(school: School, course: Course, types: frozenset[RequestType] = WANTED) -> int:
    """Requests for a course of the given types."""
    return sum(1 for r in school.course_requests.get(course.id, ()) if r.type in types)


def groups_to_seat(school: School, course: Course, types: frozenset[RequestType] = WANTED) -> int:
    """The fewest groups that seat a course's requests: its fixed sections, else
    ceil(requests / max_size), for validation's supply-and-demand checks.

    By default core and option requests count (alternates only stand in for options).
    Not the number the solve plans (:func:`scheduler.plan.groups_needed`, which adds
    slack so sectioning has room to manoeuvre).
    """
    if course.sections is not None:
        return max(course.sections, 0)
    n = num_requests(school, course, types)
    if n == 0 or course.max_size < 1:
        return 0
    return math.ceil(n / course.max_size)


def staff_capacities(school: School) -> dict[str, int]:
    """Periods each member of staff can teach per cycle, by id (School.staff_capacity)."""
    return {s.id: school.staff_capacity(s.id) for s in school.staff}


def room_type_demand(
    school: School,
    types: frozenset[RequestType] = WANTED,
    courses: Iterable[Course] | None = None,
) -> dict[str, tuple[int, int, list[str]]]:
    """Per room type (``"any room"`` for all): (periods demanded, periods offered, detail).

    Demand is groups needed x periods of every school-mode course needing that type;
    ``"any room"`` counts every school-mode course against every room.
    """
    courses = [c for c in (school.courses if courses is None else courses) if not c.online]
    out: dict[str, tuple[int, int, list[str]]] = {}
    typed: dict[str, list[Course]] = {}
    for c in courses:
        if c.room_type is not None:
            typed.setdefault(c.room_type.casefold(), []).append(c)
    for key, cs in sorted(typed.items()):
        supply = sum(school.room_supply(r) for r in school.rooms if key in r.types)
        out[key] = _demand(school, cs, types, supply, 1)
    if courses:
        supply = sum(school.room_supply(r) for r in school.rooms)
        out["any room"] = _demand(school, courses, types, supply, 1)
    return out


def _demand(
    school: School,
    courses: Iterable[Course],
    types: frozenset[RequestType],
    supply: int,
    per_group: int | None,
) -> tuple[int, int, list[str]]:
    total = 0
    detail: list[str] = []
    for c in courses:
        g = groups_to_seat(school, c, types)
        staff = c.staff_per_group if per_group is None else per_group
        if g:
            total += g * c.periods * max(staff, 0)
            times = f" x {staff} staff" if staff > 1 else ""
            detail.append(f"{c.id} {g} group{'s' if g > 1 else ''} x {c.periods} periods{times}")
    return total, supply, detail


def subject_staff_demand(
    school: School,
    types: frozenset[RequestType] = WANTED,
    courses: Iterable[Course] | None = None,
) -> dict[str, tuple[int, int, list[str], list[str]]]:
    """Per subject: (staff periods demanded, offered, detail, staff who can teach it).

    Demand is groups x periods x staff_per_group; supply is the summed capacity of
    every member of staff eligible for at least one course of the subject.
    """
    courses = list(school.courses if courses is None else courses)
    capacity = staff_capacities(school)
    by_subject: dict[str, list[Course]] = {}
    for c in courses:
        by_subject.setdefault(c.subject, []).append(c)
    out: dict[str, tuple[int, int, list[str], list[str]]] = {}
    for subject, cs in sorted(by_subject.items(), key=lambda kv: kv[0].casefold()):
        teachers: dict[str, None] = {}
        for c in cs:
            for sid in school.eligible_staff(c):
                if sid in school.staff_by_id:
                    teachers[sid] = None
        supply = sum(capacity[s] for s in teachers)
        demand, _, detail = _demand(school, cs, types, supply, None)
        out[subject] = (demand, supply, detail, list(teachers))
    return out


# ---------------------------------------------------------------------------------------
# The draft under validation
# ---------------------------------------------------------------------------------------


class Draft:
    """A school being validated, with where its parts came from."""

    def __init__(self, school: School, sources: Sources | None = None):
        self.school = school
        # A school built by hand (not read from a workbook) has no rows to point at.
        self.from_workbook = sources is not None
        self.unsound: set[str] = set()  # sheets with value or reference errors
        self.sources = (
            sources
            if sources is not None
            else Sources(
                sheets=frozenset({"Calendar", "Rooms", "Staff", "Courses", "Students", "Requests"})
            )
        )

    def row(self, sheet: str, ident: str) -> int | None:
        return self.sources.row(sheet, ident)

    def complete(self, *sheets: str) -> bool:
        """True when none of these sheets lost rows to errors or holds a wrong value."""
        return not any(s in self.sources.incomplete or s in self.unsound for s in sheets)

    @cached_property
    def staff_capacity(self) -> dict[str, int]:
        """Periods each member of staff can teach (see :func:`staff_capacity`)."""
        return staff_capacities(self.school)

    @cached_property
    def sound_courses(self) -> tuple[Course, ...]:
        """Courses whose own values are possible (the others are reported already)."""
        return tuple(
            c
            for c in self.school.courses
            if not any(True for rule in COURSE_RULES for _ in rule(self, c))
        )

    def travel_row(self, index: int) -> int | None:
        """The Travel row of ``School.travel[index]`` (None for a hand-built school)."""
        rows = self.sources.travel_rows
        return rows[index] if index < len(rows) else None

    def request_where(self, index: int) -> tuple[str, int | None]:
        where = self.sources.request_where
        if index < len(where):
            return where[index]
        return "Requests", None


Check = Callable[[Draft], Iterable[Problem]]

#: The sheets each capacity check needs whole (:func:`capacity_check`), by check.
NEEDS: dict[Check, tuple[str, ...]] = {}


def capacity_check(*needs: str) -> Callable[[Check], Check]:
    """Mark a capacity check: it runs only when these sheets lost no rows to errors.

    Supply (slots, rooms, staff, tutor places) must be complete for "can never be
    satisfied" to be true; missing demand only makes a check more lenient.
    """

    def mark(fn: Check) -> Check:
        NEEDS[fn] = ("Calendar", *needs)
        return fn

    return mark


# ---------------------------------------------------------------------------------------
# Values: one row at a time
# ---------------------------------------------------------------------------------------


def check_slot_times(d: Draft) -> Iterator[Problem]:
    """A slot ends after it starts."""
    for s in d.school.calendar.slots:
        if s.end <= s.start:
            yield _error(
                "Calendar",
                _slot_row(d, s.index),
                "end",
                f"{hhmm(s.end)} is not after start {hhmm(s.start)}",
                "expected an end time later than the start",
            )


def check_day_order(d: Draft) -> Iterator[Problem]:
    """The periods of a day follow each other in time without overlapping."""
    cal = d.school.calendar
    for day in cal.days:
        idx = cal.day_slots[day]
        for a, b in itertools.pairwise(idx):
            sa, sb = cal.slots[a], cal.slots[b]
            if sa.end > sa.start and sb.end > sb.start and sb.start < sa.end:
                yield _error(
                    "Calendar",
                    _slot_row(d, b),
                    "start",
                    f"{sb.label} starts at {hhmm(sb.start)}, before {sa.label} "
                    f"ends at {hhmm(sa.end)}",
                    "expected the periods of a day in time order, not overlapping",
                )


def _slot_row(d: Draft, index: int) -> int | None:
    rows = d.sources.slot_rows
    return rows[index] if index < len(rows) else None


def check_rooms(d: Draft) -> Iterator[Problem]:
    """Capacity and max_groups are at least 1 and not absurdly large."""
    for r in d.school.rooms:
        row = d.row("Rooms", r.id)
        yield from _out_of_range(
            "Rooms",
            row,
            "capacity",
            r.capacity,
            1,
            MAX_SEATS,
            "expected at least 1 seat",
            f"expected a number of seats from 1 to {MAX_SEATS}",
        )
        yield from _out_of_range(
            "Rooms",
            row,
            "max_groups",
            r.max_groups,
            1,
            MAX_GROUPS_AT_ONCE,
            "expected at least 1 group at once (blank = 1)",
            f"expected from 1 to {MAX_GROUPS_AT_ONCE} groups at once (blank = 1)",
        )


def check_staff_values(d: Draft) -> Iterator[Problem]:
    """max_periods is not negative; stage ranges run from low to high."""
    for s in d.school.staff:
        row = d.row("Staff", s.id)
        yield from _out_of_range(
            "Staff",
            row,
            "max_periods",
            s.max_periods,
            0,
            MAX_PERIODS,
            "expected a whole number of periods, 0 or more, or blank",
            f"expected a whole number of periods from 0 to {MAX_PERIODS}, or blank",
        )
        for q in s.qualifications:
            if q.min_stage is not None and q.max_stage is not None and q.min_stage > q.max_stage:
                yield _error(
                    "Staff",
                    row,
                    "subjects",
                    f"the stages of {q} run backwards",
                    f"expected the lower stage first, e.g. {q.subject}:{q.max_stage}-{q.min_stage}",
                )


# Course rules: each yields the problems of one course's own values. A course with any
# of these problems is left out of capacity checks (see Draft.sound_courses).
CourseRule = Callable[[Draft, Course], Iterable[Problem]]


def _course_sizes(d: Draft, c: Course) -> Iterator[Problem]:
    row = d.row("Courses", c.id)
    if c.min_size < 1:
        yield _error(
            "Courses", row, "min_size", f"{_n(c.min_size)} is less than 1", "expected min_size >= 1"
        )
    if c.max_size > MAX_SEATS:
        yield _too_big(
            "Courses",
            row,
            "max_size",
            c.max_size,
            MAX_SEATS,
            f"expected a max_size of at most {MAX_SEATS} students",
        )
    elif c.max_size < c.min_size:
        yield _error(
            "Courses",
            row,
            "max_size",
            f"{_n(c.max_size)} is smaller than min_size {_n(c.min_size)}",
            "expected max_size >= min_size",
        )


def _course_lessons(d: Draft, c: Course) -> Iterator[Problem]:
    row = d.row("Courses", c.id)
    longest = d.school.calendar.longest_day
    for n in dict.fromkeys(c.lessons):
        if n < 1:
            yield _error(
                "Courses",
                row,
                "lessons",
                f"a lesson of {_n(n)} periods is impossible",
                "expected lesson lengths of at least 1 period",
            )
        elif longest and n > longest:
            yield _error(
                "Courses",
                row,
                "lessons",
                f"a lesson of {_n(n)} periods is longer than any day of the Calendar "
                f"({longest} periods)",
                f"expected lessons of at most {longest} periods",
            )


def _course_days(d: Draft, c: Course) -> Iterator[Problem]:
    """Rule 4: a group's lessons fall on different days unless there are more than days."""
    cal = d.school.calendar
    if not cal.num_slots or any(n < 1 or n > cal.longest_day for n in c.lessons):
        return
    row = d.row("Courses", c.id)
    if len(c.lessons) > cal.num_days:
        if c.periods > cal.num_slots:
            yield _error(
                "Courses",
                row,
                "lessons",
                f"its lessons need {c.periods} periods but the cycle has {cal.num_slots} slots",
                f"expected at most {cal.num_slots} periods of lessons",
            )
        return
    # Longest lessons on the longest days: if that fails, nothing fits.
    lengths = sorted((len(v) for v in cal.day_slots.values()), reverse=True)
    for n, day_len in zip(sorted(c.lessons, reverse=True), lengths, strict=False):
        if n > day_len:
            k = sum(1 for x in lengths if x >= n)
            need = sum(1 for x in c.lessons if x >= n)
            yield _error(
                "Courses",
                row,
                "lessons",
                f"its {need} lessons of {n}+ periods must fall on different days, "
                f"but only {k} day{'s' if k != 1 else ''} of the Calendar "
                f"{'have' if k != 1 else 'has'} {n} periods or more",
                "expected lessons that fit on different days of the Calendar",
            )
            return


def _course_staffing_values(d: Draft, c: Course) -> Iterator[Problem]:
    row = d.row("Courses", c.id)
    yield from _out_of_range(
        "Courses",
        row,
        "staff_per_group",
        c.staff_per_group,
        1,
        MAX_STAFF_PER_GROUP,
        "expected at least 1 staff member per group (blank = 1)",
        f"expected from 1 to {MAX_STAFF_PER_GROUP} staff per group (blank = 1)",
    )
    yield from _out_of_range(
        "Courses",
        row,
        "sections",
        c.sections,
        1,
        MAX_SECTIONS,
        "expected at least 1 group, or blank to let the solver decide",
        f"expected from 1 to {MAX_SECTIONS} groups, or blank to let the solver decide",
    )


COURSE_RULES: list[CourseRule] = [
    _course_sizes,
    _course_lessons,
    _course_days,
    _course_staffing_values,
]


def check_courses(d: Draft) -> Iterator[Problem]:
    """Every course rule on every course."""
    for c in d.school.courses:
        for rule in COURSE_RULES:
            yield from rule(d, c)


def check_online_room_type(d: Draft) -> Iterator[Problem]:
    """An online course needs no room, so a room_type on it is ignored."""
    for c in d.school.courses:
        if c.online and c.room_type:
            yield _warning(
                "Courses",
                d.row("Courses", c.id),
                "room_type",
                f"online course {c.id} needs no room; room_type {c.room_type} is ignored",
                "expected a blank room_type for online courses",
            )


def check_tutor_group_values(d: Draft) -> Iterator[Problem]:
    """Tutor group capacity is at least 1."""
    for g in d.school.tutor_groups:
        yield from _out_of_range(
            "TutorGroups",
            d.row("TutorGroups", g.id),
            "capacity",
            g.capacity,
            1,
            MAX_SEATS,
            "expected at least 1 student",
            f"expected from 1 to {MAX_SEATS} students",
        )


def check_travel_values(d: Draft) -> Iterator[Problem]:
    """Travel minutes are not negative; the same pair of sites is given once."""
    seen: dict[tuple[str, str], tuple[int, int | None]] = {}
    for i, (a, b, m) in enumerate(d.school.travel):
        row = d.travel_row(i)
        yield from _out_of_range(
            "Travel",
            row,
            "minutes",
            m,
            0,
            MAX_TRAVEL_MINUTES,
            "expected a whole number of minutes, 0 or more",
            f"expected a whole number of minutes from 0 to {MAX_TRAVEL_MINUTES} (a day)",
        )
        if (a, b) in seen and seen[a, b][0] != m:
            yield _warning(
                "Travel",
                row,
                "minutes",
                f"{a} to {b} is also given as {seen[a, b][0]} minutes on row "
                f"{seen[a, b][1]}; the larger is used",
                "expected each pair of sites once",
            )
        seen.setdefault((a, b), (m, row))


def check_ranks(d: Draft) -> Iterator[Problem]:
    """Ranks run from 1 to MAX_RANK (a workbook's rows are checked as read; this covers
    built schools)."""
    for i, r in enumerate(d.school.requests):
        sheet, row = d.request_where(i)
        if sheet == "Requests":
            yield from rank_problems("Requests", row, r.rank)
    for p in d.sources.pathway_rows:
        yield from rank_problems("Pathways", p.row, p.rank)


#: What a rank cell must hold (also read by scheduler.workbook.read).
RANK_EXPECTED = f"expected a rank from 1 to {MAX_RANK} (1 = most wanted)"


def rank_problems(sheet: str, row: int | None, rank: int | None) -> Iterator[Problem]:
    return _out_of_range(sheet, row, "rank", rank, 1, MAX_RANK, RANK_EXPECTED)


# ---------------------------------------------------------------------------------------
# References
# ---------------------------------------------------------------------------------------


def _ids(d: Draft, sheet: str) -> Mapping[str, object]:
    """The ids of a sheet of ids, as read."""
    school = d.school
    indices: dict[str, Mapping[str, object]] = {
        "Staff": school.staff_by_id,
        "Rooms": school.room_by_id,
        "TutorGroups": school.tutor_group_by_id,
        "Students": school.student_by_id,
        "Courses": school.course_by_id,
    }
    return indices[sheet]


def _not_on(d: Draft, sheet: str, ident: str) -> str:
    """``X is not on the <sheet> sheet``, with a likely id it was meant to be."""
    return f"{ident} is not on the {sheet} sheet{_hint(ident, _ids(d, sheet))}"


def _unknown(d: Draft, sheet: str, ident: str) -> bool:
    """An id not found on its sheet, nor on a row of it left out because of errors (that
    row is reported), on a sheet that could be read."""
    dropped = d.sources.dropped.get(sheet, frozenset())
    return (
        ident not in _ids(d, sheet)
        and sheet not in d.sources.unusable
        and ident.casefold() not in dropped
        and ANY_ID not in dropped
    )


def check_course_staff_known(d: Draft) -> Iterator[Problem]:
    """Staff named in Courses.staff are on the Staff sheet."""
    for c in d.school.courses:
        for sid in c.staff:
            if _unknown(d, "Staff", sid):
                yield _error(
                    "Courses",
                    d.row("Courses", c.id),
                    "staff",
                    _not_on(d, "Staff", sid),
                    "expected staff ids from the Staff sheet",
                )


def check_tutor_group_refs(d: Draft) -> Iterator[Problem]:
    """Tutors are on the Staff sheet and tutor rooms on the Rooms sheet."""
    for g in d.school.tutor_groups:
        row = d.row("TutorGroups", g.id)
        if _unknown(d, "Staff", g.tutor):
            yield _error(
                "TutorGroups",
                row,
                "tutor",
                _not_on(d, "Staff", g.tutor),
                "expected a staff id from the Staff sheet",
            )
        if g.room is not None and _unknown(d, "Rooms", g.room):
            yield _error(
                "TutorGroups",
                row,
                "room",
                _not_on(d, "Rooms", g.room),
                "expected a room id from the Rooms sheet, or blank",
            )


def check_fixed_tutor_groups(d: Draft) -> Iterator[Problem]:
    """A student's fixed tutor group is on the TutorGroups sheet."""
    for s in d.school.students:
        if s.tutor_group is not None and _unknown(d, "TutorGroups", s.tutor_group):
            has_sheet = "TutorGroups" in d.sources.sheets or d.school.tutor_groups
            where = "the TutorGroups sheet" if has_sheet else "a TutorGroups sheet (there is none)"
            yield _error(
                "Students",
                d.row("Students", s.id),
                "tutor_group",
                f"{s.tutor_group} is not on {where}"
                f"{_hint(s.tutor_group, d.school.tutor_group_by_id)}",
                "expected a group id from the TutorGroups sheet, or blank",
            )


def check_house_spellings(d: Draft) -> Iterator[Problem]:
    """Houses are labels compared as written (TutorGroup.takes_house): a spelling that
    differs from an earlier one only in capitals is another house, rarely what is meant."""
    school = d.school
    if not school.tutor_groups:
        return
    first: dict[str, tuple[str, str, int | None]] = {}  # casefolded -> spelling, sheet, row
    warned: set[str] = set()
    rows: list[tuple[str, str, str | None]] = [
        ("TutorGroups", g.id, g.house) for g in school.tutor_groups
    ]
    rows += [("Students", s.id, s.house) for s in school.students]
    for sheet, ident, house in rows:
        if house is None:
            continue
        row = d.row(sheet, ident)
        spelling, where, at = first.setdefault(house.casefold(), (house, sheet, row))
        if house != spelling and house not in warned:
            warned.add(house)
            place = f"{where}!{at}" if at is not None else where
            yield _warning(
                sheet,
                row,
                "house",
                f"house {house} and house {spelling} ({place}) differ only in capitals; "
                "they are different houses",
                "expected one spelling of each house",
            )


def check_pathways_known(d: Draft) -> Iterator[Problem]:
    """A student's pathway is on the Pathways sheet."""
    if not d.from_workbook:
        return  # a hand-built school has its pathways already expanded into requests
    if d.sources.pathway_ids is None:
        return  # the Pathways sheet itself is reported
    known = d.sources.pathway_ids | {p.pathway.casefold() for p in d.sources.pathway_rows}
    names = {p.pathway for p in d.sources.pathway_rows}
    for s in d.school.students:
        if s.pathway is not None and s.pathway.casefold() not in known:
            where = (
                "the Pathways sheet"
                if "Pathways" in d.sources.sheets
                else "a Pathways sheet (there is none)"
            )
            yield _error(
                "Students",
                d.row("Students", s.id),
                "pathway",
                f"{s.pathway} is not on {where}{_hint(s.pathway, names)}",
                "expected a pathway id from the Pathways sheet, or blank",
            )


def check_room_types_known(d: Draft) -> Iterator[Problem]:
    """A school-mode course's room_type is a type of some room (a typo would leave it
    without a room)."""
    dropped = d.sources.dropped_room_types
    if dropped is None or "Rooms" in d.sources.unusable:
        return  # the type may be on a room left out for errors, or the sheet is unreadable
    if not d.school.rooms and not dropped and "Rooms" not in d.sources.incomplete:
        return  # no rooms at all: check_rooms_exist says so once
    types = {t for r in d.school.rooms for t in r.types} | dropped
    for c in d.school.courses:
        if c.online or c.room_type is None or c.room_type.casefold() in types:
            continue
        yield _error(
            "Courses",
            d.row("Courses", c.id),
            "room_type",
            f"no room has type {c.room_type}{_hint(c.room_type.casefold(), types)}",
            f"expected a room of type {c.room_type} on the Rooms sheet",
        )


def check_travel_sites(d: Draft) -> Iterator[Problem]:
    """Travel sites are Main or a site of some room (a typo would silently not apply)."""
    dropped = d.sources.dropped_room_sites
    if dropped is None or "Rooms" in d.sources.unusable:
        return  # the site may be on a room left out for errors, or the sheet is unreadable
    sites = {"Main"} | {r.site for r in d.school.rooms} | dropped
    for i, (a, b, _) in enumerate(d.school.travel):
        row = d.travel_row(i)
        for column, site in (("from_site", a), ("to_site", b)):
            if site not in sites:
                yield _warning(
                    "Travel",
                    row,
                    column,
                    f"site {site} is not the site of any room{_hint(site, sites)}",
                    "expected Main or a site from the Rooms sheet",
                )


# ---------------------------------------------------------------------------------------
# Capacity: data that can never be satisfied
# ---------------------------------------------------------------------------------------


@capacity_check("Rooms")
def check_rooms_exist(d: Draft) -> Iterator[Problem]:
    """School-mode courses need at least one room."""
    if not d.school.rooms and any(not c.online for c in d.school.courses):
        yield _error(
            "Rooms",
            None,
            None,
            "has no rooms, but some courses are taught in school",
            "expected at least one room",
        )


@capacity_check("Rooms")
def check_course_rooms(d: Draft) -> Iterator[Problem]:
    """A school-mode course has a room of its type seating at least min_size."""
    if not d.school.rooms:
        return
    for c in d.sound_courses:
        if c.online:
            continue
        row = d.row("Courses", c.id)
        rooms = [d.school.room_by_id[r] for r in d.school.eligible_rooms(c)]
        if not rooms:
            continue  # no room of its type: check_room_types_known
        big = max(rooms, key=lambda r: r.capacity, default=None)
        if big is not None and big.capacity < c.min_size:
            what = f"{c.room_type} room" if c.room_type else "room"
            yield _error(
                "Courses",
                row,
                "min_size",
                f"every {what} seats fewer than min_size {c.min_size} "
                f"(largest: {big.id}, {big.capacity} seats)",
                f"expected a {what} seating at least {c.min_size}",
            )


def _free_staff(d: Draft, c: Course) -> tuple[list[str], list[str]]:
    """Eligible staff of a course, and those of them free to teach one whole group."""
    eligible = [s for s in d.school.eligible_staff(c) if s in d.school.staff_by_id]
    free = [s for s in eligible if d.staff_capacity[s] >= c.periods]
    return eligible, free


@capacity_check("Staff", "TutorGroups")
def check_course_staff(d: Draft) -> Iterator[Problem]:
    """A course has at least staff_per_group eligible staff free for its periods."""
    for c in d.sound_courses:
        row = d.row("Courses", c.id)
        eligible, free = _free_staff(d, c)
        if c.staff and not eligible:
            continue  # every named member of staff is unknown: reported already
        column = "staff" if c.staff else "subject"
        stage = f" at stage {c.stage}" if c.stage is not None else ""
        if not eligible:
            subjects = {q.subject for s in d.school.staff for q in s.qualifications}
            yield _error(
                "Courses",
                row,
                column,
                f"no staff can teach {c.subject}{stage}{_hint(c.subject, subjects)}",
                f"expected a Staff row whose subjects include {c.subject}{stage}",
            )
        elif len(eligible) < c.staff_per_group:
            yield _error(
                "Courses",
                row,
                "staff_per_group",
                f"{c.staff_per_group} staff per group but only {len(eligible)} can "
                f"teach {c.id} ({_names(eligible)})",
                f"expected at least {c.staff_per_group} staff who can teach it",
            )
        elif len(free) < c.staff_per_group:
            busy = _names(s for s in eligible if s not in free)
            yield _error(
                "Courses",
                row,
                column,
                f"a group of {c.id} needs {c.periods} periods but {busy} "
                f"{'is' if len(eligible) - len(free) == 1 else 'are'} not free for "
                f"that many (unavailable, tutor time or max_periods)",
                f"expected {c.staff_per_group} eligible staff free for {c.periods} periods",
            )


def _tutor_slots(d: Draft, s: Student) -> frozenset[int]:
    """Tutor-time slots a student will certainly have, outside home days.

    Fixed tutor group: its meets. Otherwise the group they could join that meets least.
    """
    school = d.school
    if s.tutor_group is not None:
        return school.tutor_time(s, s.tutor_group)
    options = [school.tutor_time(s, g.id) for g in school.tutor_groups if g.open_to(s)]
    return min(options, key=len, default=frozenset())


@capacity_check("TutorGroups")
def check_student_core_time(d: Draft) -> Iterator[Problem]:
    """A student's core courses fit in the cycle around tutor time and home days."""
    school = d.school
    sound = {c.id for c in d.sound_courses}
    n = school.calendar.num_slots
    for s in school.students:
        core = [
            school.course_by_id[r.course]
            for r in school.student_requests.get(s.id, ())
            if r.type is RequestType.CORE and r.course in sound
        ]
        total = sum(c.periods for c in core)
        in_school = sum(c.periods for c in core if not c.online)
        tutor = len(_tutor_slots(d, s))
        home = len(school.home_slots(s))
        row = d.row("Students", s.id)
        tutor_note = f" (tutor time takes {tutor})" if tutor else ""
        if total > n - tutor:
            yield _error(
                "Students",
                row,
                "student",
                f"student {s.id}'s core courses need {total} periods but only "
                f"{n - tutor} of the cycle's {n} slots are free{tutor_note}",
                "expected core courses that fit in the cycle",
            )
        elif in_school > n - tutor - home:
            yield _error(
                "Students",
                row,
                "home_days",
                f"student {s.id}'s core courses in school need {in_school} periods "
                f"but only {n - tutor - home} slots are free outside home-learning "
                f"days{tutor_note}",
                "expected fewer home days or fewer core courses taught in school",
            )


@capacity_check("Rooms")
def check_room_demand(d: Draft) -> Iterator[Problem]:
    """Groups needing a room type fit in the rooms of that type (core: error; options: warning)."""
    core = room_type_demand(d.school, CORE, d.sound_courses)
    wanted = room_type_demand(d.school, WANTED, d.sound_courses)
    for key, (need, have, detail) in core.items():
        what = "any room" if key == "any room" else f"a {key} room"
        rooms = "all rooms" if key == "any room" else f"the {key} rooms"
        if need > have:
            yield _error(
                "Courses",
                None,
                "room_type",
                f"core requests need {what} for {need} periods per cycle "
                f"({_names(detail, 4)}) but {rooms} offer {have}",
                f"expected more rooms or fewer lessons needing {what}",
            )
            continue
        w_need, _, w_detail = wanted[key]
        if w_need > have:
            yield _warning(
                "Courses",
                None,
                "room_type",
                f"core and option requests need {what} for {w_need} periods per "
                f"cycle ({_names(w_detail, 4)}) but {rooms} offer {have}: some "
                "options cannot be met",
                f"expected more rooms or fewer lessons needing {what}",
            )


@capacity_check("Staff", "TutorGroups")
def check_staff_demand(d: Draft) -> Iterator[Problem]:
    """Each subject's groups fit in the time of the staff who can teach it, and all in all."""
    core = subject_staff_demand(d.school, CORE, d.sound_courses)
    wanted = subject_staff_demand(d.school, WANTED, d.sound_courses)
    unstaffed = {
        c.subject for c in d.sound_courses if len(_free_staff(d, c)[1]) < c.staff_per_group
    }
    for subject, (need, have, detail, staff) in core.items():
        if not staff or subject in unstaffed:
            continue  # reported per course
        who = f"the staff who can teach {subject} ({_names(staff)})"
        if need > have:
            yield _error(
                "Staff",
                None,
                "subjects",
                f"core requests need {need} periods of {subject} teaching "
                f"({_names(detail, 4)}) but {who} have {have} free periods",
                f"expected more {subject} staff time or fewer {subject} groups",
            )
            continue
        w_need, _, w_detail, _ = wanted[subject]
        if w_need > have:
            yield _warning(
                "Staff",
                None,
                "subjects",
                f"core and option requests need {w_need} periods of {subject} "
                f"teaching ({_names(w_detail, 4)}) but {who} have {have} free "
                "periods: some options cannot be met",
                f"expected more {subject} staff time or fewer {subject} groups",
            )
    need = sum(v[0] for v in core.values())
    have = sum(d.staff_capacity.values())
    if need > have and all(need_s <= have_s for need_s, have_s, _, _ in core.values()):
        yield _error(
            "Staff",
            None,
            None,
            f"core requests need {need} periods of teaching but all staff together "
            f"have {have} free periods",
            "expected more staff time or fewer groups",
        )


@capacity_check("Requests", "Pathways", "Students", "Stages")
def check_fixed_sections(d: Draft) -> Iterator[Problem]:
    """A fixed sections count can be filled to min_size and holds every core request."""
    for c in d.sound_courses:
        if c.sections is None:
            continue
        row = d.row("Courses", c.id)
        n_all = num_requests(d.school, c, frozenset(RequestType))
        n_core = num_requests(d.school, c, CORE)
        if n_all < c.sections * c.min_size:
            yield _error(
                "Courses",
                row,
                "sections",
                f"{c.sections} group{'s' if c.sections != 1 else ''} of at least "
                f"{c.min_size} need "
                f"{c.sections * c.min_size} students but only {n_all} request {c.id}",
                "expected sections x min_size no more than the requests",
            )
        elif n_core > c.sections * c.max_size:
            yield _error(
                "Courses",
                row,
                "sections",
                f"{n_core} students need {c.id} as core but {c.sections} "
                f"group{'s' if c.sections != 1 else ''} of at most {c.max_size} "
                f"hold {c.sections * c.max_size}",
                "expected sections x max_size at least the core requests",
            )


@capacity_check("TutorGroups")
def check_tutor_places(d: Draft) -> Iterator[Problem]:
    """Enough tutor-group places overall, per house, and in every fixed group."""
    school = d.school
    groups = school.tutor_groups
    if not groups:
        return
    students = school.students
    total = sum(max(g.capacity, 0) for g in groups)
    if len(students) > total:
        yield _error(
            "TutorGroups",
            None,
            "capacity",
            f"{len(students)} students need a tutor group but the tutor groups hold {total}",
            "expected tutor group capacities adding up to the number of students",
        )
    for house in sorted({s.house for s in students if s.house is not None}):
        members = [s for s in students if s.house == house]
        places = sum(max(g.capacity, 0) for g in groups if g.takes_house(house))
        if len(members) > places:
            yield _error(
                "TutorGroups",
                None,
                "house",
                f"{len(members)} students of house {house} need a tutor group but "
                f"the groups open to house {house} hold {places}",
                f"expected more tutor group places for house {house}",
            )
    fixed = Counter(s.tutor_group for s in students if s.tutor_group is not None)
    for g in groups:
        if fixed[g.id] > g.capacity >= 1:
            yield _error(
                "TutorGroups",
                d.row("TutorGroups", g.id),
                "capacity",
                f"{fixed[g.id]} students are placed in {g.id} but it holds {g.capacity}",
                "expected a capacity of at least the students placed in it",
            )


@capacity_check("TutorGroups")
def check_tutor_houses(d: Draft) -> Iterator[Problem]:
    """A fixed tutor group belongs to the student's house where both are given."""
    school = d.school
    for s in school.students:
        g = school.tutor_group_by_id.get(s.tutor_group or "")
        if g is not None and not g.open_to(s):
            yield _error(
                "Students",
                d.row("Students", s.id),
                "tutor_group",
                f"{g.id} belongs to house {g.house}, student {s.id} to house {s.house}",
                "expected a tutor group of the student's house",
            )


@capacity_check("TutorGroups")
def check_families(d: Draft) -> Iterator[Problem]:
    """A family fits in one tutor group and is not split between fixed groups."""
    school = d.school
    if not school.tutor_groups:
        return
    families: dict[str, list[Student]] = {}
    for s in school.students:
        if s.family is not None:
            families.setdefault(s.family, []).append(s)
    for family, members in families.items():
        fixed = [s for s in members if s.tutor_group is not None]
        first = fixed[0] if fixed else None
        for s in fixed[1:]:
            if first is not None and s.tutor_group != first.tutor_group:
                yield _error(
                    "Students",
                    d.row("Students", s.id),
                    "tutor_group",
                    f"student {s.id} is in {s.tutor_group} but {first.id} of the "
                    f"same family {family} is in {first.tutor_group}",
                    "expected a family in one tutor group",
                )
        if len(members) < 2:
            continue
        largest = max(
            (g.capacity for g in school.tutor_groups if all(g.open_to(s) for s in members)),
            default=0,
        )
        if len(members) > largest:
            yield _error(
                "Students",
                d.row("Students", members[0].id),
                "family",
                f"family {family} has {len(members)} students but the largest tutor "
                f"group they can share holds {largest}",
                "expected a tutor group that holds the whole family",
            )


@capacity_check("TutorGroups", "Rooms", "Staff")
def check_tutor_meets(d: Draft) -> Iterator[Problem]:
    """Tutors and rooms are available and not double-booked when their groups meet.

    Warnings: the contract does not say in so many words that a tutor must be present
    or that a tutor group holds its room alone, but a timetabler almost never means it.
    """
    school = d.school
    cal = school.calendar
    tutor_at: dict[tuple[str, int], str] = {}
    room_at: dict[tuple[str, int], list[str]] = {}
    for g in school.tutor_groups:
        row = d.row("TutorGroups", g.id)
        staff = school.staff_by_id.get(g.tutor)
        room = school.room_by_id.get(g.room or "")
        for slot in sorted(g.meets):
            label = cal.slots[slot].label
            if staff is not None and slot in staff.unavailable:
                yield _warning(
                    "TutorGroups",
                    row,
                    "meets",
                    f"tutor {g.tutor} is unavailable on {label}",
                    "expected meets when the tutor is available",
                )
            if room is not None and slot in room.unavailable:
                yield _warning(
                    "TutorGroups",
                    row,
                    "meets",
                    f"room {room.id} is unavailable on {label}",
                    "expected meets when the room can be used",
                )
            other = tutor_at.setdefault((g.tutor, slot), g.id)
            if other != g.id:
                yield _warning(
                    "TutorGroups",
                    row,
                    "tutor",
                    f"{g.tutor} also tutors {other} on {label}",
                    "expected a tutor's groups to meet at different times",
                )
            if room is not None:
                there = room_at.setdefault((room.id, slot), [])
                if len(there) >= max(room.max_groups, 1):
                    yield _warning(
                        "TutorGroups",
                        row,
                        "room",
                        f"{room.id} also holds {_names(there)} on {label} and takes "
                        f"{max(room.max_groups, 1)} group(s) at once",
                        "expected tutor groups sharing a room to meet at different times",
                    )
                there.append(g.id)


# ---------------------------------------------------------------------------------------
# Warnings about requests
# ---------------------------------------------------------------------------------------


def check_small_courses(d: Draft) -> Iterator[Problem]:
    """A course requested by some students but fewer than its min_size cannot run."""
    if not d.complete("Requests", "Pathways", "Students"):
        return
    for c in d.sound_courses:
        n = num_requests(d.school, c, frozenset(RequestType))
        if c.sections is None and 0 < n < c.min_size:
            yield _warning(
                "Courses",
                d.row("Courses", c.id),
                "min_size",
                f"only {n} student{'s' if n != 1 else ''} request {c.id}, fewer than "
                f"its min_size {c.min_size}: it cannot run",
                f"expected at least {c.min_size} requests, or a smaller min_size",
            )


def check_students_without_requests(d: Draft) -> Iterator[Problem]:
    """A student with no requests gets no lessons."""
    if not d.complete("Requests", "Pathways", "Courses"):
        return
    for s in d.school.students:
        if not d.school.student_requests.get(s.id):
            yield _warning(
                "Students",
                d.row("Students", s.id),
                "student",
                f"student {s.id} has no requests",
                "expected Requests rows or a pathway for every student",
            )


def check_alternates_without_options(d: Draft) -> Iterator[Problem]:
    """Alternates only stand in for options; with no options they are never used."""
    for s in d.school.students:
        reqs = d.school.student_requests.get(s.id, ())
        if any(r.type is RequestType.ALTERNATE for r in reqs) and not any(
            r.type is RequestType.OPTION for r in reqs
        ):
            yield _warning(
                "Students",
                d.row("Students", s.id),
                "student",
                f"student {s.id} has alternates but no options, so the alternates are never used",
                "expected option requests for alternates to stand in for",
            )


def check_duplicate_ranks(d: Draft) -> Iterator[Problem]:
    """Two of a student's options or alternates with the same rank are ordered by sheet order."""
    seen: dict[tuple[str, int], str] = {}
    for i, r in enumerate(d.school.requests):
        if r.type is RequestType.CORE or r.rank is None:
            continue
        other = seen.setdefault((r.student, r.rank), r.course)
        if other != r.course:
            sheet, row = d.request_where(i)
            yield _warning(
                sheet,
                row,
                "rank",
                f"student {r.student} also gives rank {r.rank} to {other}",
                "expected different ranks (equal ranks keep the sheet order)",
            )


# ---------------------------------------------------------------------------------------
# Locks (added by the project): what a group must keep
# ---------------------------------------------------------------------------------------


def lesson_runs(
    calendar: Calendar, lengths: tuple[int, ...], slots: frozenset[int]
) -> tuple[tuple[int, ...], ...] | None:
    """Runs of consecutive slots of one day, one per lesson length, that together are
    exactly ``slots``, with a group's lessons on different days (rule 4: at most
    ceil(lessons / days) a day); None when there are none."""
    if sum(lengths) != len(slots):
        return None
    per_day = calendar.lessons_a_day(len(lengths))
    day_of = {s.index: s.day for s in calendar.slots}
    order = sorted(lengths, reverse=True)

    def place(k: int, left: frozenset[int], used: Counter[str]) -> list[tuple[int, ...]] | None:
        if k == len(order):
            return []
        for run in calendar.runs(order[k]):
            day = day_of[run[0]]
            if used[day] < per_day and left.issuperset(run):
                used[day] += 1
                rest = place(k + 1, left - frozenset(run), used)
                used[day] -= 1
                if rest is not None:
                    return [run, *rest]
        return None

    runs = place(0, slots, Counter())
    return None if runs is None else tuple(runs)


def _slot_names(school: School, slots: Iterable[int]) -> str:
    return _names(school.calendar.labels(slots))


def _lock_parts(d: Draft, lock: Lock, course: Course) -> Iterator[Problem]:
    """One lock's cells against what they name (its course is known)."""
    school, row = d.school, lock.row
    if course.sections is not None and lock.group > course.sections:
        yield _error(
            "Locks",
            row,
            "group",
            f"{course.id} has {course.sections} group(s) (its fixed sections); "
            f"group {lock.group} is beyond them",
            f"expected a group number from 1 to {course.sections}",
        )
    elif course.sections is None and lock.group > max(1, groups_to_seat(school, course)):
        yield _warning(
            "Locks",
            row,
            "group",
            f"{course.id}'s requests need {groups_to_seat(school, course)} group(s); "
            f"{lock.group_id} is beyond them and will be planned as well",
            "expected a group number within the groups the course needs, or a group meant "
            "on top of them",
        )
    if lock.slots and lesson_runs(school.calendar, course.lessons, lock.slots) is None:
        lengths = ",".join(str(n) for n in course.lessons)
        yield _error(
            "Locks",
            row,
            "slots",
            f"{_slot_names(school, lock.slots)} do not fit {course.id}'s lessons "
            f"({lengths} periods, on different days)",
            f"expected {course.periods} slots that hold lessons of {lengths} periods, "
            "each on consecutive periods of one day",
        )
    if lock.room is not None:
        room = school.room_by_id.get(lock.room)
        if room is None:
            if _unknown(d, "Rooms", lock.room):
                yield _error(
                    "Locks",
                    row,
                    "room",
                    _not_on(d, "Rooms", lock.room),
                    "expected a room id from the Rooms sheet, or blank",
                )
        elif course.online:
            yield _error(
                "Locks",
                row,
                "room",
                f"{course.id} is an online course, which has no room",
                "expected a blank room for an online course",
            )
        elif lock.room not in school.eligible_rooms(course) or room.capacity < course.min_size:
            yield _error(
                "Locks",
                row,
                "room",
                f"{lock.room} is not a room {course.id} may use"
                + (f" (it needs a {course.room_type} room)" if course.room_type else "")
                + (
                    f" (it seats {room.capacity}, below min_size)"
                    if room.capacity < course.min_size
                    else ""
                ),
                f"expected one of {_names(school.eligible_rooms(course))}",
            )
        elif room.unavailable & lock.slots:
            yield _error(
                "Locks",
                row,
                "room",
                f"{lock.room} is unavailable at {_slot_names(school, room.unavailable & lock.slots)}",
                "expected a room free at the locked slots",
            )
    if lock.staff:
        eligible = school.eligible_staff(course)
        for p in lock.staff:
            person = school.staff_by_id.get(p)
            if person is None:
                if _unknown(d, "Staff", p):
                    yield _error(
                        "Locks",
                        row,
                        "staff",
                        _not_on(d, "Staff", p),
                        "expected staff ids from the Staff sheet",
                    )
            elif p not in eligible:
                yield _error(
                    "Locks",
                    row,
                    "staff",
                    f"{p} may not teach {course.id}",
                    f"expected staff who may teach it: {_names(eligible)}",
                )
            elif school.staff_busy(p) & lock.slots:
                yield _error(
                    "Locks",
                    row,
                    "staff",
                    f"{p} is unavailable at "
                    f"{_slot_names(school, school.staff_busy(p) & lock.slots)}",
                    "expected staff free at the locked slots",
                )
        if len(set(lock.staff)) != course.staff_per_group:
            yield _error(
                "Locks",
                row,
                "staff",
                f"names {len(set(lock.staff))} staff, but {course.id} has "
                f"{course.staff_per_group} per group",
                f"expected {course.staff_per_group} staff id(s)",
            )
    if lock.student is not None:
        if lock.student not in school.student_by_id:
            if _unknown(d, "Students", lock.student):
                yield _error(
                    "Locks",
                    row,
                    "student",
                    _not_on(d, "Students", lock.student),
                    "expected a student id from the Students sheet, or blank",
                )
        elif not any(r.course == course.id for r in school.student_requests.get(lock.student, ())):
            yield _error(
                "Locks",
                row,
                "student",
                f"{lock.student} does not request {course.id}",
                f"expected a student with a request for {course.id}",
            )


def check_locks(d: Draft) -> Iterator[Problem]:
    """Every Locks row names a course, a group of it, and slots, a room, staff and a
    student that exist and can hold; two rows never lock one thing two ways."""
    school = d.school
    first: dict[tuple[str, str], tuple[object, int | None]] = {}  # (group, part) -> value, row
    student_group: dict[tuple[str, str], tuple[str, int | None]] = {}
    for lock in school.locks:
        course = school.course_by_id.get(lock.course)
        if course is None:
            if _unknown(d, "Courses", lock.course):
                yield _error(
                    "Locks",
                    lock.row,
                    "course",
                    _not_on(d, "Courses", lock.course),
                    "expected a course id from the Courses sheet",
                )
            continue
        if not (lock.slots or lock.room or lock.staff or lock.student):
            yield _warning(
                "Locks",
                lock.row,
                None,
                f"locks nothing of {lock.group_id}",
                "expected slots, a room, staff or a student",
            )
        wrong = list(_lock_parts(d, lock, course))
        yield from wrong
        if any(p.severity is Severity.ERROR for p in wrong):
            continue  # what it locks is wrong already: no second message about it
        parts: dict[str, tuple[object, str]] = {
            "slots": (lock.slots or None, "other slots"),
            "room": (lock.room, "another room"),
            "staff": (frozenset(lock.staff) or None, "other staff"),
        }
        for part, (value, other_part) in parts.items():
            if value is None:
                continue
            seen = first.setdefault((lock.group_id, part), (value, lock.row))
            if seen[0] != value:
                yield _error(
                    "Locks",
                    lock.row,
                    part,
                    f"{lock.group_id} is locked to {other_part} on row {seen[1]}",
                    f"expected the same {part} on every row that locks {lock.group_id}",
                )
        if lock.student is not None:
            key = (lock.student, course.id)
            other = student_group.setdefault(key, (lock.group_id, lock.row))
            if other[0] != lock.group_id:
                yield _error(
                    "Locks",
                    lock.row,
                    "student",
                    f"{lock.student} is locked to {other[0]} on row {other[1]}",
                    f"expected one group of {course.id} per student",
                )


def check_lock_clashes(d: Draft) -> Iterator[Problem]:
    """Nobody is locked to two groups that are locked to the same slot (locks whose
    own cells are wrong are left out: check_locks reports them)."""
    school = d.school
    sound = [
        lock
        for lock in school.locks
        if (course := school.course_by_id.get(lock.course)) is not None
        and not any(p.severity is Severity.ERROR for p in _lock_parts(d, lock, course))
    ]
    slots_of: dict[str, frozenset[int]] = {}
    for lock in sound:
        if lock.slots:
            slots_of.setdefault(lock.group_id, lock.slots)
    # (column, person) -> group -> the row locking the person to it, in sheet order
    people: dict[tuple[str, str], dict[str, int | None]] = {}
    for lock in sound:
        who = [("staff", p) for p in lock.staff]
        if lock.student is not None:
            who.append(("student", lock.student))
        for key in who:
            people.setdefault(key, {}).setdefault(lock.group_id, lock.row)
    for (column, person), groups in people.items():
        earlier: list[tuple[str, int | None]] = []
        for gid, row in groups.items():
            for other, other_row in earlier:
                both = slots_of.get(gid, frozenset()) & slots_of.get(other, frozenset())
                if both:
                    yield _error(
                        "Locks",
                        row,
                        column,
                        f"{person} is locked to {gid} and to {other} (row {other_row}), "
                        f"both locked to {_slot_names(school, both)}",
                        f"expected {column} locked to groups at different slots",
                    )
            earlier.append((gid, row))


# ---------------------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------------------

VALUE_CHECKS: list[Check] = [
    check_slot_times,
    check_day_order,
    check_rooms,
    check_staff_values,
    check_courses,
    check_online_room_type,
    check_tutor_group_values,
    check_travel_values,
    check_ranks,
]
REFERENCE_CHECKS: list[Check] = [
    check_course_staff_known,
    check_tutor_group_refs,
    check_fixed_tutor_groups,
    check_house_spellings,
    check_pathways_known,
    check_room_types_known,
    check_travel_sites,
    check_locks,
    check_lock_clashes,
]
CAPACITY_CHECKS: list[Check] = [
    check_rooms_exist,
    check_course_rooms,
    check_course_staff,
    check_student_core_time,
    check_room_demand,
    check_staff_demand,
    check_fixed_sections,
    check_tutor_places,
    check_tutor_houses,
    check_families,
    check_tutor_meets,
]
REQUEST_WARNINGS: list[Check] = [
    check_small_courses,
    check_students_without_requests,
    check_alternates_without_options,
    check_duplicate_ranks,
]
#: Every check, in the order its problems are reported.
CHECKS: list[Check] = VALUE_CHECKS + REFERENCE_CHECKS + CAPACITY_CHECKS + REQUEST_WARNINGS


def validate_school(school: School, sources: Sources | None = None) -> list[Problem]:
    """Every problem of a school, in the order of :data:`CHECKS`.

    ``sources`` says where things came from (for row numbers); without it, problems
    name sheets and columns but no rows.
    """
    d = Draft(school, sources)
    out: list[Problem] = []
    for check in CHECKS:
        if check is CAPACITY_CHECKS[0]:
            # A sheet with a wrong value or reference cannot be counted on for capacity:
            # its mistake is reported, and what follows from it would only repeat it.
            d.unsound.update(p.sheet for p in out if p.severity is Severity.ERROR)
        needs = NEEDS.get(check, ())
        if needs and (not d.complete(*needs) or not school.calendar.num_slots):
            continue
        out.extend(check(d))
    return out
