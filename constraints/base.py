"""The one small interface every rule family implements, and the models they add to.

A solve has two CP-SAT phases (see docs/solver.md):

* **timetable** (:class:`TimetableModel`): every planned group's lessons are placed on
  runs of slots; staff are already chosen (staffing phase), rooms are counted per kind;
* **section** (:class:`SectionModel`): with the times fixed, every student gets their
  groups, every lesson its room, every student a tutor group.

A rule family is a :class:`Rule` subclass in its own module, listed in
:mod:`constraints.registry`. It may restrict candidate slots before variables are made
(:meth:`Rule.restrict`), then add constraints and return named, weighted objective
:class:`Term` s in either phase. Variables live in the typed containers of the two model
classes, keyed by domain ids (group ids, student ids, slot indices); solver types
never leave this package and :mod:`scheduler.solver.engine`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import Enum

from ortools.sat.python import cp_model

from scheduler.model import School
from scheduler.plan import PlannedGroup

LinearExpr = cp_model.LinearExprT


class Strictness(str, Enum):
    """How strictly the timetable keeps each student's provisional groups apart (one rung
    of the solve's ladder, scheduler.solver.engine.LADDER; read by the student-clash
    rule family, constraints.student_clashes). A ``str`` so summary.json says its value.
    """

    #: Core and option groups never overlap.
    ALL = "all"
    #: Core groups never overlap; option groups at a cost per student.
    CORE = "core"
    #: Core groups of courses taken by one year never overlap; those of courses shared by
    #: several years (stage-not-age sets) at a heavy cost per student.
    YEAR = "year"
    #: Every core overlap at that cost rather than as a rule.
    SOFT = "soft"


@dataclass
class Term:
    """A named, weighted objective term: ``weight * expr`` (minimised).

    ``name`` is one of docs/objective.md's terms for the section phase (the checker
    recomputes those), or a phase-internal name for the timetable phase.
    """

    name: str
    expr: LinearExpr
    weight: int = 1
    #: The Rules sheet's row the term counts (a soft row's cost), if it is one.
    row: int | None = None
    #: Whom that row's term is about, where it is one person's (a member of staff's or a
    #: student's id): ``pathways explain`` names them.
    who: str = ""


@dataclass(frozen=True, slots=True)
class TimedLesson:
    """A lesson whose slots are fixed (section phase input)."""

    slots: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class TimedGroup:
    """A planned group with its times and staff fixed by the timetable phase."""

    id: str
    course: str
    number: int
    lessons: tuple[TimedLesson, ...]
    staff: tuple[str, ...]
    required: bool
    #: Every slot the group meets in, computed once (read millions of times while
    #: sectioning a large school: 10 s of a 2,000-student build when recomputed).
    slots: frozenset[int] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "slots", frozenset(s for lesson in self.lessons for s in lesson.slots)
        )


class TimetableModel:
    """Phase 1: lesson placement. ``place[g][l]`` maps candidate run -> BoolVar."""

    def __init__(
        self,
        school: School,
        groups: tuple[PlannedGroup, ...],
        staff_of: dict[str, tuple[str, ...]],
    ) -> None:
        self.school = school
        self.model = cp_model.CpModel()
        self.groups = groups
        self.group_by_id = {g.id: g for g in groups}
        # Only the groups being placed (staffing may know groups dropped since).
        self.staff_of = {g.id: staff_of[g.id] for g in groups if g.id in staff_of}
        self.forbidden: dict[str, set[int]] = defaultdict(set)  # group id -> slots it may not use
        self.place: dict[str, list[dict[tuple[int, ...], cp_model.IntVar]]] = {}
        self.placed: dict[str, cp_model.IntVar] = {}  # the group gets times at all
        self._cover: dict[str, dict[int, list[cp_model.IntVar]]] = {}
        # Pairs of group ids whose overlap left requests unmet in an earlier round, with
        # how much it cost (see scheduler.solver.engine._learn).
        self.learned: dict[tuple[str, str], int] = {}
        # Provisional student -> course -> group placement (scheduler.plan.tentative_sections);
        # when set, student clashes are ruled out group by group for it.
        self.tentative: dict[str, dict[str, str]] | None = None
        # Which of a student's provisional groups must never overlap (Strictness).
        self.tentative_hard = Strictness.CORE
        # Groups that must meet at the same times (option blocks, constraints.option_blocks).
        self.blocks: list[list[str]] = []
        # Set by a search for a complete placement that proved none exists.
        self.proven_incomplete = False
        # Set when that search found one with staff gaps counted, not ruled, first
        # (scheduler.solver.engine.place_everything).
        self.found_with_gaps_counted = False

    def forbid(self, group: str, slots: set[int] | frozenset[int]) -> None:
        """Rules call this in :meth:`Rule.restrict`: the group may not use these slots."""
        self.forbidden[group].update(slots)

    def make_variables(self) -> None:
        """Create one BoolVar per allowed candidate run of every lesson."""
        for g in self.groups:
            banned = self.forbidden.get(g.id, set())
            per_lesson: list[dict[tuple[int, ...], cp_model.IntVar]] = []
            cover: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for li, lesson in enumerate(g.lessons):
                options: dict[tuple[int, ...], cp_model.IntVar] = {}
                for run in lesson.candidates:
                    if banned.intersection(run):
                        continue
                    v = self.model.new_bool_var(f"y[{g.id},{li},{run[0]}]")
                    options[run] = v
                    for t in run:
                        cover[t].append(v)
                per_lesson.append(options)
            self.place[g.id] = per_lesson
            self._cover[g.id] = cover
            self.placed[g.id] = self.model.new_bool_var(f"placed[{g.id}]")
            if any(not options for options in per_lesson):
                self.model.add(self.placed[g.id] == 0)

    def occupies(self, group: str, slot: int) -> list[cp_model.IntVar]:
        """Placement variables of ``group`` that put one of its lessons on ``slot``."""
        return self._cover[group].get(slot, [])

    def slots_of(self, group: str) -> list[int]:
        """Slots the group may occupy at all."""
        return sorted(self._cover[group])


class SectionModel:
    """Phase 2: students into groups, rooms for lessons, students into tutor groups.

    ``take[s][g]``: student s is in group g (only for courses s requested);
    ``met[i]``: request i (index into ``school.requests``) is met;
    ``size[g]``: group size; ``runs[g]``: group has students;
    ``room[(g, l)][r]``: lesson l of group g is in room r;
    ``tutor[s][t]``: student s is in tutor group t.
    """

    def __init__(self, school: School, groups: tuple[TimedGroup, ...]) -> None:
        self.school = school
        self.model = cp_model.CpModel()
        self.groups = groups
        self.group_by_id = {g.id: g for g in groups}
        self.course_groups: dict[str, list[TimedGroup]] = defaultdict(list)
        for g in groups:
            self.course_groups[g.course].append(g)
        self.take: dict[str, dict[str, cp_model.IntVar]] = defaultdict(dict)
        self.met: dict[int, cp_model.IntVar] = {}
        self.size: dict[str, cp_model.IntVar] = {}
        self.runs: dict[str, cp_model.IntVar] = {}
        self.room: dict[tuple[str, int], dict[str, cp_model.IntVar]] = {}
        self.tutor: dict[str, dict[str, cp_model.IntVar]] = defaultdict(dict)
        self.banned_take: set[tuple[str, str]] = set()  # (student, group) pairs rules exclude
        # Re-solving from a published timetable: its rooms ((group, lesson) -> room) and
        # tutor groups (student -> tutor group), which the greedy placement keeps first.
        self.previous_rooms: dict[tuple[str, int], str] = {}
        self.previous_tutors: dict[str, str] = {}
        # ... and the students who asked to change (new, or changed requests): placed
        # before students whose published groups no longer fit.
        self.asked_to_change: set[str] = set()
        # Large schools: idle periods are counted after solving instead of modelled.
        self.model_idle = True
        # The most constraints students' exact travel may add (None: no limit); above it,
        # ``travel_too_large`` is set and the students' travel is added later, with each
        # lesson on a placement's site (constraints.travel.travel_on_sites).
        self.travel_limit: int | None = None
        self.travel_too_large = False
        # A quick build (a first timetable's students placed greedily and judged by the
        # checker, never searched): the costliest families make only the variables the
        # greedy reads (rooms, tutor groups) and none of their constraints.
        self.variables_only = False

    def ban(self, student: str, group: str) -> None:
        """Rules call this in :meth:`Rule.restrict`: the student may not join the group."""
        self.banned_take.add((student, group))

    def make_variables(self) -> None:
        """Create the take/met/size/runs variables (rooms and tutors belong to their rules)."""
        m = self.model
        by_student_course: dict[tuple[str, str], int] = {}
        for i, req in enumerate(self.school.requests):
            self.met[i] = m.new_bool_var(f"met[{req.student},{req.course}]")
            by_student_course[(req.student, req.course)] = i
        for (student, course), i in by_student_course.items():
            options = []
            for g in self.course_groups.get(course, []):
                if (student, g.id) in self.banned_take:
                    continue
                v = m.new_bool_var(f"x[{student},{g.id}]")
                self.take[student][g.id] = v
                options.append(v)
            # A met request means exactly one group of that course.
            m.add(sum(options) == self.met[i]) if options else m.add(self.met[i] == 0)
        members: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for student, row in self.take.items():
            for gid, v in row.items():
                members[gid].append(v)
        for g in self.groups:
            spec = self.school.course_by_id[g.course]
            self.size[g.id] = m.new_int_var(0, spec.max_size, f"size[{g.id}]")
            m.add(self.size[g.id] == sum(members.get(g.id, [])))
            self.runs[g.id] = m.new_bool_var(f"runs[{g.id}]")

    def student_slot_load(self, student: str) -> dict[int, list[cp_model.IntVar]]:
        """For each slot, the take variables that put the student in a lesson there."""
        out: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for gid, v in self.take.get(student, {}).items():
            for t in self.group_by_id[gid].slots:
                out[t].append(v)
        return out


@dataclass
class Rule:
    """A family of rules. Override what the family needs; every hook is optional."""

    name: str = "rule"
    title: str = ""  # the family in a timetabler's words, for reports
    notes: list[str] = field(default_factory=list)

    def restrict_timetable(self, tm: TimetableModel) -> None:
        """Forbid slots for groups before placement variables are made."""

    def timetable(self, tm: TimetableModel) -> list[Term]:
        """Add constraints to the timetable phase; return its objective terms."""
        return []

    def restrict_section(self, sm: SectionModel) -> None:
        """Ban (student, group) pairs before sectioning variables are made."""

    def section(self, sm: SectionModel) -> list[Term]:
        """Add constraints to the section phase; return objective terms (docs/objective.md)."""
        return []
