"""The school as domain data: frozen dataclasses, validated once at the edge.

Everything here speaks the school's words (students, courses, groups, slots, rooms,
staff). Nothing here knows about the solver. Objects are built by
:mod:`scheduler.workbook` (or by hand in tests and by the example generator through
the workbook tables) and never mutated; a variant of a school is made with
:func:`dataclasses.replace`.

Slots are referred to by their index in :attr:`Calendar.slots` (``0..n-1``, in sheet
order). Days are referred to by their label exactly as in the Calendar sheet.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from enum import Enum
from functools import cached_property
from typing import Any, Protocol

MAIN_SITE = "Main"


class RequestType(str, Enum):
    """How much a student needs a course."""

    CORE = "core"
    OPTION = "option"
    ALTERNATE = "alternate"


class Mode(str, Enum):
    """Where a course's lessons happen."""

    SCHOOL = "school"
    ONLINE = "online"


def days_named(days: Sequence[str], name: str) -> tuple[str, ...]:
    """Days of a calendar's ``days`` meant by a day name, in any case: the exact label, or
    every ``Wk? Mon`` for ``Mon``. The workbook's day references and the scenarios'
    changes read day names this way."""
    key = name.strip().casefold()
    exact = tuple(d for d in days if d.casefold() == key)
    if exact:
        return exact
    return tuple(d for d in days if d.split()[-1].casefold() == key)


def hhmm(minutes: int) -> str:
    """Minutes after midnight as HH:MM."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def group_id(course: str, number: int) -> str:
    """The id of a course's n-th group, ``MA.2`` (docs/outputs-conventions.md)."""
    return f"{course}.{number}"


def group_number(gid: str, course: str) -> int | None:
    """The n of a group id :func:`group_id` made for ``course``; None for another id."""
    prefix = f"{course}."
    if gid.startswith(prefix) and gid[len(prefix) :].isdigit():
        return int(gid[len(prefix) :])
    return None


class DaySlot(Protocol):
    """What :class:`ByDay` reads of a slot (a :class:`Slot`, or an export's)."""

    @property
    def index(self) -> int: ...
    @property
    def day(self) -> str: ...


class ByDay:
    """The days of a class's ``slots`` (a :class:`Calendar`'s, or an export's calendar)."""

    slots: Sequence[DaySlot]

    @cached_property
    def days(self) -> tuple[str, ...]:
        """The days, in the order they first come."""
        return tuple(self.day_slots)

    @cached_property
    def day_slots(self) -> dict[str, tuple[int, ...]]:
        """Slot indices of each day, in period order."""
        out: dict[str, list[int]] = {}
        for s in self.slots:
            out.setdefault(s.day, []).append(s.index)
        return {d: tuple(v) for d, v in out.items()}


@dataclass(frozen=True, slots=True)
class Slot:
    """One teaching period of the cycle (one row of the Calendar sheet)."""

    index: int
    day: str
    period: str
    start: int  # minutes after midnight
    end: int  # minutes after midnight
    day_index: int  # position of the day in the cycle
    position: int  # position of the period within its day (0-based)

    @property
    def label(self) -> str:
        return f"{self.day} {self.period}"


@dataclass(frozen=True)
class Calendar(ByDay):
    """The cycle's teaching slots, in sheet order."""

    slots: tuple[Slot, ...]

    @cached_property
    def by_label(self) -> dict[str, int]:
        return {s.label: s.index for s in self.slots}

    def labels(self, slots: Iterable[int]) -> list[str]:
        """The labels (``Mon 3``) of slots, in time order."""
        return [self.slots[i].label for i in sorted(slots)]

    def run_label(self, slots: Sequence[int]) -> str:
        """A lesson's run of slots (in order, one day) in words: ``Mon 3``, or ``Mon 3-4``
        from its first slot to its last period."""
        first, last = self.slots[slots[0]], self.slots[slots[-1]]
        return first.label if len(slots) == 1 else f"{first.label}-{last.period}"

    @property
    def num_slots(self) -> int:
        return len(self.slots)

    @property
    def num_days(self) -> int:
        return len(self.days)

    def lessons_a_day(self, lessons: int) -> int:
        """The most lessons of one group on one day (rule 4): one while the cycle has a
        day for each, else ``ceil(lessons / days)``, the spread the solver keeps to."""
        return max(1, math.ceil(lessons / max(1, self.num_days)))

    @cached_property
    def longest_day(self) -> int:
        return max((len(v) for v in self.day_slots.values()), default=0)

    def runs(self, length: int) -> tuple[tuple[int, ...], ...]:
        """Every run of ``length`` consecutive slots within one day (start order)."""
        out: list[tuple[int, ...]] = []
        for day in self.days:
            idx = self.day_slots[day]
            for i in range(len(idx) - length + 1):
                out.append(tuple(idx[i : i + length]))
        return tuple(out)

    def day_matches(self, name: str) -> tuple[str, ...]:
        """Days meant by a day name (:func:`days_named`)."""
        return days_named(self.days, name)


@dataclass(frozen=True, slots=True)
class Room:
    """A learning space."""

    id: str
    capacity: int
    types: frozenset[str]
    site: str = MAIN_SITE
    max_groups: int = 1
    unavailable: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Qualification:
    """A subject a member of staff may teach, optionally limited to a stage range."""

    subject: str
    min_stage: int | None = None
    max_stage: int | None = None

    def covers(self, subject: str, stage: int | None) -> bool:
        if self.subject.casefold() != subject.casefold():
            return False
        if stage is None or (self.min_stage is None and self.max_stage is None):
            return True  # rule 9: a stage-limited qualification covers stage-less courses
        lo = self.min_stage if self.min_stage is not None else stage
        hi = self.max_stage if self.max_stage is not None else stage
        return lo <= stage <= hi

    def __str__(self) -> str:
        if self.min_stage is None and self.max_stage is None:
            return self.subject
        return f"{self.subject}:{self.min_stage}-{self.max_stage}"


@dataclass(frozen=True, slots=True)
class Staff:
    """A member of staff."""

    id: str
    name: str = ""
    qualifications: tuple[Qualification, ...] = ()
    max_periods: int | None = None
    unavailable: frozenset[int] = frozenset()
    site: str = MAIN_SITE

    def can_teach(self, subject: str, stage: int | None) -> bool:
        return any(q.covers(subject, stage) for q in self.qualifications)


@dataclass(frozen=True, slots=True)
class Course:
    """Something that can be taught: each of its groups has these lessons per cycle."""

    id: str
    subject: str
    lessons: tuple[int, ...]
    min_size: int
    max_size: int
    stage: int | None = None
    room_type: str | None = None
    staff: tuple[str, ...] = ()  # explicit eligible staff; empty = by qualification
    staff_per_group: int = 1
    sections: int | None = None
    years: frozenset[int] | None = None  # None = any year
    mode: Mode = Mode.SCHOOL
    kind: str = "lesson"

    @property
    def periods(self) -> int:
        """Periods per cycle that one group of this course occupies."""
        return sum(self.lessons)

    @property
    def online(self) -> bool:
        return self.mode is Mode.ONLINE

    def open_to(self, year: int) -> bool:
        """Whether students of this year may take the course (no ``years``: every year)."""
        return self.years is None or year in self.years

    @property
    def label(self) -> str:
        """The course in a timetabler's words, e.g. ``Maths stage 6 (MA-6)``."""
        if self.stage is None:
            return f"{self.subject} ({self.id})"
        return f"{self.subject} stage {self.stage} ({self.id})"


@dataclass(frozen=True, slots=True)
class Student:
    """A student and their circumstances."""

    id: str
    year: int
    name: str = ""
    tutor_group: str | None = None
    house: str | None = None
    family: str | None = None
    pathway: str | None = None
    home_days: frozenset[str] = frozenset()  # Calendar day labels
    site: str = MAIN_SITE
    #: Slots the student cannot attend any lesson, in school or online (added by the
    #: project; e.g. FET's student-set not-available times).
    unavailable: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Request:
    """A student's request for a course, after pathways and stages are resolved."""

    student: str
    course: str
    type: RequestType
    rank: int | None = None
    origin: str = ""  # where it came from, e.g. "Requests!7" or "Pathways!3 via pathway P1"


@dataclass(frozen=True, slots=True)
class TutorGroup:
    """A tutor (registration/mentoring) group."""

    id: str
    tutor: str
    capacity: int
    meets: frozenset[int]
    room: str | None = None
    house: str | None = None
    vertical: bool = False

    def takes_house(self, house: str | None) -> bool:
        """Whether a student of ``house`` may join it: it has no house, the student none,
        or the same. A house is a label compared as written, not an id looked up on a
        sheet (docs/workbook.md, "Values checked"): ``Red`` and ``red`` are two houses,
        for validation, the solve and the checker alike."""
        return self.house is None or house is None or self.house == house

    def open_to(self, student: Student) -> bool:
        """Whether a student may join it (:meth:`takes_house` of the student's house)."""
        return self.takes_house(student.house)


@dataclass(frozen=True, slots=True)
class Lock:
    """One row of the Locks sheet (added by the project): something of a course's
    ``group``-th group (its id ``COURSE.N``, as in groups.csv) that the timetable must
    keep. Every part is optional: ``slots`` (the group's lessons are exactly at these
    slots), ``room`` (every lesson there), ``staff`` (exactly these staff), ``student``
    (the student is in this group)."""

    course: str
    group: int
    slots: frozenset[int] = frozenset()
    room: str | None = None
    staff: tuple[str, ...] = ()
    student: str | None = None
    row: int | None = None  # the Locks sheet's row, for messages

    @property
    def group_id(self) -> str:
        """The locked group's id (:func:`group_id`)."""
        return group_id(self.course, self.group)

    @property
    def where(self) -> str:
        """The lock in a timetabler's words, e.g. ``Locks!3``."""
        return f"Locks!{self.row}" if self.row is not None else f"the lock on {self.group_id}"


#: The kinds of rule of the Rules sheet (docs/workbook.md, "Rules", added by the project),
#: with what each needs: ``lessons`` (lesson references), ``staff``, ``slots``, ``value``.
RULE_KINDS: dict[str, tuple[str, ...]] = {
    "min_days_apart": ("lessons", "value"),
    "start_at": ("lessons", "slots"),
    "within": ("lessons", "slots"),
    "same_start": ("lessons",),
    "staff_max_days": ("value",),
    "staff_max_gaps_week": ("value",),
    "staff_max_gaps_day": ("value",),
    "staff_max_periods_day": ("value",),
    "staff_min_periods_day": ("value",),
    "students_max_gaps_week": ("value",),
    "students_max_gaps_day": ("value",),
    "students_min_periods_day": ("value",),
    "students_min_periods_every_day": ("value",),
    "students_max_periods_day": ("value",),
    "students_early_start": ("value",),
    "staff_max_in_a_row": ("value",),
    "students_max_in_a_row": ("value",),
    "consecutive": ("lessons",),
    "grouped": ("lessons",),
    "not_overlapping": ("lessons",),
    "ends_students_day": ("lessons",),
    "lessons_max_slots": ("lessons", "slots", "value"),
    "same_day": ("lessons",),
    "staff_min_days": ("value",),
    "staff_max_days_at": ("slots", "value"),
    "students_max_days_at": ("slots", "value"),
    "min_gap": ("lessons", "value"),
    "same_hour": ("lessons",),
    "ordered": ("lessons",),
    "ordered_if_same_day": ("lessons",),
    "lessons_max_periods_day": ("lessons", "value"),
    "lessons_max_in_a_row": ("lessons", "value"),
    "lessons_max_at_once": ("lessons", "slots", "value"),
    "staff_max_site_changes_day": ("value",),
    "staff_min_gap_site_change": ("value",),
    "lessons_max_rooms": ("lessons", "value"),
    "staff_min_rest": ("value",),
    "students_min_rest": ("value",),
    "max_days_apart": ("lessons", "value"),
    "same_room_if_consecutive": ("lessons",),
    "staff_max_site_changes_week": ("value",),
    "students_max_site_changes_day": ("value",),
    "students_max_site_changes_week": ("value",),
    "students_min_gap_site_change": ("value",),
    "staff_min_rest_cycle": ("value",),
    "students_min_rest_cycle": ("value",),
    "staff_max_span_day": ("value",),
    "students_max_span_day": ("value",),
}

#: The Rules kinds of moving between sites (a person's site changes a day or a cycle, or
#: the periods between two lessons on different sites): the solve's ``site_changes``
#: family and the checker's twin both read these rows.
SITE_CHANGE_KINDS = (
    "staff_max_site_changes_day",
    "staff_max_site_changes_week",
    "staff_min_gap_site_change",
    "students_max_site_changes_day",
    "students_max_site_changes_week",
    "students_min_gap_site_change",
)

#: The Rules kinds of a student's periods a day (at least, on days with lessons or every
#: day; at most): the solve's ``student_periods_day`` family and the checker's twin both
#: read these rows.
STUDENT_PERIODS_DAY_KINDS = (
    "students_min_periods_day",
    "students_min_periods_every_day",
    "students_max_periods_day",
)

#: Rules kinds whose row names exactly two lessons, the first and the second (in order);
#: a ``grouped`` row may name three.
PAIR_RULES = frozenset({"consecutive", "grouped", "ordered", "ordered_if_same_day"})


@dataclass(frozen=True, slots=True)
class LessonRef:
    """A reference to lessons in a Rules row: ``COURSE`` (every lesson of every group),
    ``COURSE.N`` (every lesson of group N) or ``COURSE.N:L`` (its L-th lesson). The L-th
    lesson of a course of lessons ``1,1,2`` is one of its lengths; among lessons of one
    length, the k-th of that length in the course's list is the k-th of them in time
    order (so a reference needs no lesson ids in the outputs)."""

    course: str
    group: int | None = None
    lesson: int | None = None  # 1-based position in the course's ``lessons``

    def __str__(self) -> str:
        out = self.course if self.group is None else group_id(self.course, self.group)
        return out if self.lesson is None else f"{out}:{self.lesson}"


@dataclass(frozen=True, slots=True)
class TimeRule:
    """One row of the Rules sheet (added by the project): a rule on lessons' times or on
    staff members' days. ``weight`` None is a hard rule; a number makes it soft, that
    cost per unit broken (a pair of lessons, a lesson, a day or a gap too many)."""

    kind: str
    lessons: tuple[LessonRef, ...] = ()
    staff: tuple[str, ...] = ()  # empty: every member of staff (staff_* kinds)
    slots: frozenset[int] = frozenset()
    value: int | None = None
    weight: int | None = None
    row: int | None = None
    students: tuple[str, ...] = ()  # empty: every student (students_* kinds)
    # min_days_apart: two of the lessons on one day must be one right after the other
    # (hard, whatever the row's weight; FET's Consecutive_If_Same_Day).
    consecutive_if_same_day: bool = False

    @property
    def hard(self) -> bool:
        return self.weight is None

    @property
    def where(self) -> str:
        return f"Rules!{self.row}" if self.row is not None else f"a {self.kind} rule"

    def lesson_sets(
        self, groups: dict[str, list[tuple[str, int]]]
    ) -> list[list[tuple[str, int | None]]]:
        """The lessons the rule ties together, as sets of (group id, lesson index or
        None for every lesson); ``groups`` maps a course to its groups (id, number) that
        exist. A row naming one plain course gives one set per group of it."""
        if len(self.lessons) == 1 and self.lessons[0].group is None:
            ref = self.lessons[0]
            lesson = None if ref.lesson is None else ref.lesson - 1
            return [[(gid, lesson)] for gid, _ in groups.get(ref.course, [])]
        out: list[tuple[str, int | None]] = []
        for ref in self.lessons:
            lesson = None if ref.lesson is None else ref.lesson - 1
            for gid, number in groups.get(ref.course, []):
                if ref.group is None or ref.group == number:
                    out.append((gid, lesson))
        return [out] if out else []

    @property
    def by_lesson_number(self) -> bool:
        """A ``same_start`` row of whole groups ties their lessons number by number (the
        first of each together, the second of each together, ...)."""
        return self.kind == "same_start" and all(r.lesson is None for r in self.lessons)


def lesson_order(lengths: tuple[int, ...], starts: list[tuple[int, int]]) -> dict[int, int]:
    """Which of a group's lessons is which of its course's: ``lengths`` the course's
    lesson lengths, ``starts`` the group's lessons as (length, first slot); returns the
    course's lesson index -> the index into ``starts`` (the k-th lesson of a length is
    the k-th of that length in time order, :class:`LessonRef`). Lessons whose length the
    course does not have are left out."""
    by_len: dict[int, list[int]] = {}
    for i, (n, first) in sorted(enumerate(starts), key=lambda x: x[1][1]):
        by_len.setdefault(n, []).append(i)
    out: dict[int, int] = {}
    for li, n in enumerate(lengths):
        got = by_len.get(n)
        if got:
            out[li] = got.pop(0)
    return out


#: Bounds of the solve settings, from the Settings sheet or the command line alike:
#: CP-SAT takes a 32-bit seed and one thread per core (a few dozen at most); a time limit
#: must be a positive, finite number of seconds (at most a week); objective weights
#: multiply counts of students and periods and must stay far from 64-bit overflow.
SEED_MAX = 2**31 - 1
WORKERS_MAX = 64
TIME_LIMIT_MAX_S = 7 * 24 * 3600
WEIGHT_MAX = 1_000_000

#: What the solve's numbers are called on the Settings sheet (for number_problems' names,
#: when the values came from there).
SETTINGS_NAMES = {
    "time_limit": "Settings time_limit_s",
    "seed": "Settings seed",
    "workers": "Settings workers",
}


def number_problems(
    time_limit: float | None = None,
    seed: int | None = None,
    workers: int | None = None,
    jobs: int | None = None,
    names: dict[str, str] | None = None,
) -> list[str]:
    """What is wrong with the solve's numbers (None: not given), in a timetabler's words.

    The bounds are :data:`SEED_MAX` and its neighbours; ``jobs`` (solves at once) shares
    the bound of workers. ``names`` says what each number is called where it came from
    (default: its own name, as :func:`scheduler.solver.engine` takes it; the command line gives
    its options, ``--time-limit`` and so on).
    """
    names = {
        "time_limit": "time_limit",
        "seed": "seed",
        "workers": "workers",
        "jobs": "jobs",
        **(names or {}),
    }
    problems = []
    if time_limit is not None and not (
        math.isfinite(time_limit) and 0 < time_limit <= TIME_LIMIT_MAX_S
    ):
        problems.append(
            f"{names['time_limit']} {time_limit:g} is not a time limit; expected a "
            f"number of seconds above 0 and at most {TIME_LIMIT_MAX_S} (a week)"
        )
    if seed is not None and not 0 <= seed <= SEED_MAX:
        problems.append(
            f"{names['seed']} {seed} is out of range; expected a whole number from 0 to {SEED_MAX}"
        )
    if workers is not None and not 1 <= workers <= WORKERS_MAX:
        problems.append(
            f"{names['workers']} {workers} is out of range; expected a whole number "
            f"of solver threads from 1 to {WORKERS_MAX}"
        )
    if jobs is not None and not 1 <= jobs <= WORKERS_MAX:
        problems.append(
            f"{names['jobs']} {jobs} is out of range; expected a whole number "
            f"of solves at once from 1 to {WORKERS_MAX}"
        )
    return problems


#: Choice positions past this one cost no more (docs/objective.md: rank cost min(p - 1, 9)).
RANK_COST_CAP = 9


def rank_cost(position: int) -> int:
    """The objective's rank cost of a choice met at ``position`` (1 = first choice)."""
    return min(position - 1, RANK_COST_CAP)


@dataclass(frozen=True, slots=True)
class Weights:
    """The objective's weights (docs/objective.md): the Settings keys ``weight_<name>``,
    whole numbers validated when the workbook is read, else these defaults."""

    core: int = 10000
    option: int = 100
    rank: int = 10
    balance: int = 1
    idle_student: int = 1
    idle_staff: int = 1

    def by_key(self) -> dict[str, int]:
        """Settings key -> weight, e.g. ``{"weight_core": 10000, ...}``."""
        return {f"weight_{f.name}": getattr(self, f.name) for f in fields(self)}


#: The Settings keys of the objective's weights.
WEIGHT_KEYS: tuple[str, ...] = tuple(Weights().by_key())


@dataclass(frozen=True)
class Settings:
    """Solve settings and objective weights (Settings sheet; CLI options override)."""

    time_limit_s: float = 60.0
    seed: int = 0
    workers: int = 2
    extra: tuple[tuple[str, str], ...] = ()  # other recognised keys, e.g. weights, term dates

    @property
    def weights(self) -> Weights:
        """The objective's weights: the Settings' ``weight_*`` values, else the defaults
        (a value that is not a number, possible only in a School built by hand, keeps
        the default)."""
        given: dict[str, int] = {}
        for f in fields(Weights):
            raw = (self.get(f"weight_{f.name}") or "").strip()
            try:
                given[f.name] = int(float(raw))
            except (ValueError, OverflowError):
                pass  # blank, not a number, or infinite: the default
        return Weights(**given)

    def get(self, key: str, default: str | None = None) -> str | None:
        for k, v in self.extra:
            if k == key:
                return v
        return default


@dataclass(frozen=True)
class School:
    """A whole school: the validated content of one workbook."""

    calendar: Calendar
    rooms: tuple[Room, ...]
    staff: tuple[Staff, ...]
    courses: tuple[Course, ...]
    students: tuple[Student, ...]
    requests: tuple[Request, ...]
    tutor_groups: tuple[TutorGroup, ...] = ()
    travel: tuple[tuple[str, str, int], ...] = ()  # (from_site, to_site, minutes)
    settings: Settings = field(default_factory=Settings)
    name: str = "school"
    source_sha256: str = ""
    locks: tuple[Lock, ...] = ()  # the Locks sheet (added by the project)
    time_rules: tuple[TimeRule, ...] = ()  # the Rules sheet (added by the project)

    # ---- indices (derived, cached) -------------------------------------------------
    def rules_of(self, *kinds: str) -> tuple[TimeRule, ...]:
        """The Rules sheet's rows of these kinds, in sheet order (what the solve's rule
        families and the checker's twins each read)."""
        return tuple(r for r in self.time_rules if r.kind in kinds)

    @property
    def hard_rules(self) -> tuple[TimeRule, ...]:
        """The Rules sheet's hard rows (no weight), in sheet order."""
        return tuple(r for r in self.time_rules if r.hard)

    def rule_staff(self, rule: TimeRule) -> tuple[str, ...]:
        """A Rules row's staff ids, each once in the row's order; every member of staff
        when it names none (what a ``staff_...`` row's rule family and checker's twin read)."""
        return tuple(dict.fromkeys(rule.staff or (p.id for p in self.staff)))

    def rule_students(self, rule: TimeRule) -> tuple[str, ...]:
        """A Rules row's student ids, each once in the row's order; every student when it
        names none (ids as written: one not on the Students sheet is the caller's to pass over)."""
        return tuple(dict.fromkeys(rule.students or (s.id for s in self.students)))

    @cached_property
    def room_by_id(self) -> dict[str, Room]:
        return {r.id: r for r in self.rooms}

    @cached_property
    def staff_by_id(self) -> dict[str, Staff]:
        return {s.id: s for s in self.staff}

    @cached_property
    def course_by_id(self) -> dict[str, Course]:
        return {c.id: c for c in self.courses}

    @cached_property
    def student_by_id(self) -> dict[str, Student]:
        return {s.id: s for s in self.students}

    @cached_property
    def locks_of(self) -> dict[str, tuple[Lock, ...]]:
        """Group id -> the locks on it (in sheet order)."""
        out: dict[str, list[Lock]] = {}
        for lock in self.locks:
            out.setdefault(lock.group_id, []).append(lock)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def tutor_group_by_id(self) -> dict[str, TutorGroup]:
        return {t.id: t for t in self.tutor_groups}

    @cached_property
    def vertical_sets(self) -> tuple[tuple[TutorGroup, ...], ...]:
        """Vertical tutor groups whose years are balanced against each other (rule 3 of
        docs/workbook.md): those of one house (houses as written, see
        :meth:`TutorGroup.takes_house`; the groups without one together), or all of them
        where none has a house. Only sets of two or more, in order of first appearance;
        the solve's tutor-group family and the checker's ``tutor_vertical`` both read it."""
        vertical = [t for t in self.tutor_groups if t.vertical]
        if not any(t.house for t in vertical):
            return (tuple(vertical),) if len(vertical) > 1 else ()
        by_house: dict[str | None, list[TutorGroup]] = {}
        for t in vertical:
            by_house.setdefault(t.house, []).append(t)
        return tuple(tuple(ts) for ts in by_house.values() if len(ts) > 1)

    @cached_property
    def student_requests(self) -> dict[str, tuple[Request, ...]]:
        out: dict[str, list[Request]] = {s.id: [] for s in self.students}
        for r in self.requests:
            out.setdefault(r.student, []).append(r)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def _choice_orders(self) -> dict[str, tuple[int, ...]]:
        keyed: dict[str, list[tuple[tuple[int, int, int, int], int]]] = {}
        for i, r in enumerate(self.requests):
            if r.type is RequestType.CORE:
                continue
            key = (int(r.rank is None), r.rank or 0, 0 if r.type is RequestType.OPTION else 1, i)
            keyed.setdefault(r.student, []).append((key, i))
        return {s: tuple(i for _, i in sorted(v)) for s, v in keyed.items()}

    def choice_order(self, student_id: str) -> tuple[int, ...]:
        """A student's options and alternates, best first, as indices into ``requests``:
        by rank (blank last), then options before alternates, then the order the requests
        were given in (docs/objective.md). Position 1 is the first choice."""
        return self._choice_orders.get(student_id, ())

    def choices(self, student_id: str) -> list[Request]:
        """:meth:`choice_order` as the requests themselves."""
        return [self.requests[i] for i in self.choice_order(student_id)]

    @cached_property
    def course_requests(self) -> dict[str, tuple[Request, ...]]:
        out: dict[str, list[Request]] = {c.id: [] for c in self.courses}
        for r in self.requests:
            out.setdefault(r.course, []).append(r)
        return {k: tuple(v) for k, v in out.items()}

    def option_quota(self, student: str) -> int:
        """How many options+alternates a student may be given: their number of options."""
        return sum(
            1 for r in self.student_requests.get(student, ()) if r.type is RequestType.OPTION
        )

    def eligible_staff(self, course: Course) -> tuple[str, ...]:
        """Staff who may teach a course: the explicit list, else everyone qualified."""
        if course.staff:
            return course.staff
        return tuple(s.id for s in self.staff if s.can_teach(course.subject, course.stage))

    def eligible_rooms(self, course: Course) -> tuple[str, ...]:
        """Rooms with the course's feature (every room when it names none); none online."""
        if course.online:
            return ()
        if course.room_type is None:
            return tuple(r.id for r in self.rooms)
        key = course.room_type.casefold()
        return tuple(r.id for r in self.rooms if key in r.types)

    def travel_minutes(self, site_a: str, site_b: str) -> int:
        """Minutes needed between two sites (0 for the same site or no Travel row)."""
        if site_a == site_b:
            return 0
        return self._travel_map.get((site_a, site_b), 0)

    @cached_property
    def _travel_map(self) -> dict[tuple[str, str], int]:
        # Travel is symmetric unless both directions are given; a repeated pair keeps the
        # larger figure.
        given = {(a, b) for a, b, _ in self.travel}
        out: dict[tuple[str, str], int] = {}
        for a, b, m in self.travel:
            out[(a, b)] = max(out.get((a, b), 0), m)
            if (b, a) not in given:
                out[(b, a)] = max(out.get((b, a), 0), m)
        return out

    @cached_property
    def memo(self) -> dict[Hashable, Any]:
        """Derived values computed once per school by the solver's helpers (the school is
        immutable, so they never go stale), e.g. each student's tutor-time slots."""
        return {}

    @cached_property
    def _tutor_meets(self) -> dict[str, frozenset[int]]:
        out: dict[str, set[int]] = {}
        for g in self.tutor_groups:
            out.setdefault(g.tutor, set()).update(g.meets)
        return {k: frozenset(v) for k, v in out.items()}

    def staff_busy(self, staff_id: str) -> frozenset[int]:
        """Slots a member of staff cannot teach: unavailable, or tutoring a tutor group."""
        person = self.staff_by_id[staff_id]
        return frozenset(person.unavailable) | self._tutor_meets.get(staff_id, frozenset())

    def room_open(self, room: Room) -> int:
        """Slots of the cycle a room can be used in: every slot but those it is
        unavailable at (room supply in validation, room bounds, scenarios' room use)."""
        return self.calendar.num_slots - len(room.unavailable)

    def room_supply(self, room: Room) -> int:
        """Room-periods a room offers per cycle: free slots x groups it takes at once
        (validation's room supply, the plan's room pools)."""
        if room.capacity < 1:
            return 0
        return max(self.room_open(room), 0) * max(room.max_groups, 0)

    def staff_capacity(self, staff_id: str) -> int:
        """Periods a member of staff can teach per cycle: free slots (not busy, see
        :meth:`staff_busy`), capped by ``max_periods``."""
        free = max(self.calendar.num_slots - len(self.staff_busy(staff_id)), 0)
        cap = self.staff_by_id[staff_id].max_periods
        return free if cap is None else min(free, max(cap, 0))

    def home_slots(self, student: Student) -> frozenset[int]:
        """Slots of a student's home-learning days."""
        out: set[int] = set()
        for d in student.home_days:
            out.update(self.calendar.day_slots.get(d, ()))
        return frozenset(out)

    def tutor_time(self, student: Student, group_id: str | None) -> frozenset[int]:
        """Slots of a student's tutor time in a tutor group: when the group meets, except
        on the student's home days (rule 6); none without a group (or an unknown one)."""
        group = self.tutor_group_by_id.get(group_id or "")
        return group.meets - self.home_slots(student) if group is not None else frozenset()
