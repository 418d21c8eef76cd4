"""A solved timetable in domain terms: groups with their lessons, rooms, staff and students.

This is the one shape every consumer of a solve uses (output writers, the checker,
exports, reasons). It never holds solver variables: the solve pipeline converts solver
values into a :class:`Solution` in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from functools import cached_property
from typing import Any


class Status(str, Enum):
    """How a solve ended (summary.json ``status``)."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


class RequestStatus(str, Enum):
    MET = "met"
    UNMET = "unmet"
    NOT_NEEDED = "not_needed"


@dataclass(frozen=True, slots=True)
class Lesson:
    """One lesson of a group: consecutive slots of one day, in one room (None = online)."""

    slots: tuple[int, ...]
    room: str | None


@dataclass(frozen=True)
class Group:
    """A teaching group (section) of a course."""

    id: str  # unique across the timetable, e.g. "MA-6.2"
    course: str
    number: int  # 1-based within its course
    lessons: tuple[Lesson, ...]
    staff: tuple[str, ...]
    students: frozenset[str]

    @property
    def size(self) -> int:
        return len(self.students)

    @cached_property
    def slots(self) -> frozenset[int]:
        return frozenset(s for lesson in self.lessons for s in lesson.slots)


@dataclass(frozen=True, slots=True)
class RequestOutcome:
    """What became of one request (a row of requests.csv)."""

    student: str
    course: str
    type: str  # core / option / alternate
    rank: int | None
    status: RequestStatus
    group: str | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class OutputIssue:
    """An inconsistency between written output files, found when reading them back.

    A :class:`Solution` cannot hold every mistake a set of output files can contain
    (a student listed for only some of a group's lessons, a ``size`` that is not the
    number of students, a row whose room differs from its group's). The output reader
    (:mod:`scheduler.outputs.read`) records each one here instead of silently fixing it,
    and the checker reports it as a violation of ``rule``.
    """

    rule: str
    message: str  # names the file and line, in a timetabler's words
    hard: bool = True


class SolveStats(dict[str, Any]):
    """A solve's figures, as summary.json has them after its fixed keys (docs/outputs.md):
    a dict of plain JSON values, so that the file is written and read back as it is, with
    typed reads of the figures the solve and its callers act on."""

    @property
    def explanation(self) -> list[str]:
        """Why there is no timetable (or what holds the solve back), in the school's words."""
        found = self.get("explanation")
        return [str(x) for x in found] if isinstance(found, list) else []

    @property
    def clock_wall_decided(self) -> bool:
        """Whether the wall clock, not the counted one, decided some phase (the run then
        may not repeat)."""
        return bool(self.get("clock_wall_decided"))

    @property
    def time_to_first_s(self) -> float | None:
        """Seconds to the solve's first timetable (None before there is one)."""
        found = self.get("time_to_first_s")
        return float(found) if isinstance(found, int | float) else None

    @property
    def first_samples(self) -> int:
        """How many first timetables were made (at least one was tried)."""
        return int(self.get("first_samples", 1))

    @property
    def build_s(self) -> float:
        """Seconds the last timetable and students' models took to build."""
        return float(self.get("timetable_build_s", 0)) + float(self.get("section_build_s", 0))

    @property
    def section_times_infeasible(self) -> bool:
        """Whether no placement of the students exists on the lesson times tried."""
        return bool(self.get("section_times_infeasible"))


@dataclass(frozen=True)
class Solution:
    """A whole solved timetable."""

    groups: tuple[Group, ...]
    tutor_of: dict[str, str] = field(default_factory=dict)  # student -> tutor group id
    outcomes: tuple[RequestOutcome, ...] = ()
    status: Status = Status.UNKNOWN
    objective: float | None = None
    objective_terms: dict[str, float] = field(default_factory=dict)  # see docs/objective.md
    bound: float | None = None
    wall_s: float = 0.0
    interrupted: bool = False
    # Extra figures for summary.json; besides numbers the solve puts lists and tables
    # here too (e.g. "explanation", why there is no timetable). Any mapping given is
    # kept as a :class:`SolveStats`.
    stats: SolveStats = field(default_factory=SolveStats)
    # Inconsistencies found when this solution was read back from output files; always
    # empty for a solution made by the solver.
    output_issues: tuple[OutputIssue, ...] = ()
    # The solver's own id of each group (group id -> planned group id), for the solve's
    # later phases; groups are renumbered within their course as they come out. Empty
    # for a solution read back from files, never written.
    planned_ids: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.stats, SolveStats):
            object.__setattr__(self, "stats", SolveStats(self.stats))

    def with_stats(self, more: dict[str, Any]) -> Solution:
        """This solution with ``more`` figures (theirs win over its own)."""
        return replace(self, stats=SolveStats({**self.stats, **more}))

    def planned_id(self, group_id: str) -> str:
        """The planned id of a group of this solution (its own id when not known)."""
        return self.planned_ids.get(group_id, group_id)

    @cached_property
    def group_by_id(self) -> dict[str, Group]:
        return {g.id: g for g in self.groups}

    @cached_property
    def student_groups(self) -> dict[str, tuple[Group, ...]]:
        out: dict[str, list[Group]] = {}
        for g in self.groups:
            for s in g.students:
                out.setdefault(s, []).append(g)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def course_groups(self) -> dict[str, tuple[Group, ...]]:
        out: dict[str, list[Group]] = {}
        for g in self.groups:
            out.setdefault(g.course, []).append(g)
        return {k: tuple(sorted(v, key=lambda g: g.number)) for k, v in out.items()}
