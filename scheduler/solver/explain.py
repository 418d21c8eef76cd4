"""Why not everyone: minimal conflicting sets of the school's facts, and what to change
(issue 15, items 2 and 3; ``pathways explain``).

A feasibility model of the hard rules that place groups (every group a course needs
runs, on candidate runs of slots; its staff chosen among those who may teach it; staff
one place at a time; rooms counted per kind; lessons on different days; locks; staff
travel between sites) in which every *fact* of the school is switched on by an
assumption literal: each member of staff's unavailability, tutor time, maximum periods,
who may teach a course, the rooms a course can use, each group a course needs, each
lock, travel between two sites. CP-SAT proves the model infeasible and names a
sufficient set of assumptions; a deletion filter shrinks it to a minimal set (dropping
any one fact makes the rest feasible), each re-solve with small deterministic limits.

The model is a relaxation of the solve's timetable phase (rooms are counted by the
rooms that seat a course's smallest group; of the students, only where a course's
students can be at all is a fact, their clashes between their own groups are left out),
so a conflict it finds holds for every timetable. Students' own weeks are explained apart: a student
whose core courses cannot fit the slots they can attend (home days, tutor time, their
unavailability) gets a conflict of their own.

What to change: for each conflict, small changes to the school built as a changed
:class:`School` (one more available period for a named teacher, one more room like one
of a kind, one more teacher for a course, a tutor group to another tutor, a lock
dropped, a group fewer, a home day fewer), each checked by building the model of the
changed school and solving it with every fact that held before plus the conflict's
groups (then those other conflicts among the same groups held back; every lock kept,
since a lock that cannot hold leaves the real solve without a timetable): a change is
reported only if it lifts the conflict, with the groups (and the places for requests
they hold) that it recovers.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ortools.sat.python import cp_model

from constraints.rooms import rooms_for
from constraints.student_clashes import blocked_slots
from constraints.travel import fixed_site, multi_site, too_far
from scheduler.model import Qualification, RequestType, Room, School, Staff
from scheduler.plan import PlannedGroup, demand, expected_size, plan_groups, tutor_busy

if TYPE_CHECKING:
    from scheduler.scenarios.trial import Measured

#: Deterministic time (CP-SAT's units) for one feasibility solve.
SOLVE_LIMIT = 10.0
#: Wall-clock cap on one feasibility solve, in seconds.
SOLVE_WALL = 20.0
#: How many conflicts are looked for at most.
MAX_CONFLICTS = 5
#: How many changes are tried per conflict, and kept.
MAX_TRIED = 12
MAX_CHANGES = 4
#: Seconds for checking changes, all conflicts together (the first conflict's are checked
#: whatever the time).
CHANGES_BUDGET = 30.0

Key = tuple[str, ...]


@dataclass(frozen=True)
class Fact:
    """One fact of the school, in its words, with the ids it names."""

    key: Key
    kind: str  # availability, tutor, max_periods, staff, rooms, group, days, lock, travel, ...
    text: str
    staff: tuple[str, ...] = ()
    rooms: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    courses: tuple[str, ...] = ()
    students: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "staff": list(self.staff),
            "rooms": list(self.rooms),
            "groups": list(self.groups),
            "courses": list(self.courses),
            "students": list(self.students),
        }


@dataclass
class Change:
    """A change to the school that lifts a conflict, checked by solving the changed school."""

    text: str
    school: School = field(repr=False)
    groups: tuple[str, ...] = ()  # the conflict's groups it recovers
    #: Seats of those groups (their expected sizes): the requests they have room for, an
    #: upper figure (students' own clashes decide how many a real solve meets).
    places: int = 0
    requests: tuple[tuple[str, str], ...] = ()  # (student, course) requests it makes possible
    #: The change as workbook edits: scenario steps (``{"change": name, **settings}``, a
    #: transformation of ``scheduler.scenarios.transforms``), or ``{"change":
    #: "remove_row", "sheet": ..., "row": n}`` for a row to delete (a Locks row).
    scenario: tuple[dict[str, Any], ...] = ()
    #: What a real solve of the changed school met, against the school as it is under
    #: the same options (:func:`solve_changes`); None when it was not solved.
    solved: Solved | None = None

    @property
    def claim(self) -> int | None:
        """The requests it recovers, as measured by solving: the claim (None unsolved)."""
        return None if self.solved is None else self.solved.recovered

    def as_dict(self) -> dict[str, Any]:
        return {
            "change": self.text,
            "groups_recovered": list(self.groups),
            "places_recovered": self.places,
            "requests_recovered": [list(r) for r in self.requests],
            "scenario": [dict(step) for step in self.scenario],
            "solved": None if self.solved is None else self.solved.as_dict(),
        }


@dataclass(frozen=True)
class Solved:
    """A change solved for real (``scheduler.scenarios.trial``): the conflict's requests
    (``Conflict.measured``) and every request met, by the school as it is and by the
    changed school, each solved under the same reproducible options.

    A solve whose clock the wall decided may not repeat; a change that recovered requests
    so is solved again (and the school as it is), and the claim is the worst of the
    runs: the fewest the changed school met against the most the school as it is met."""

    met_before: int
    met_after: int
    all_before: int
    all_after: int
    #: False when the wall, not CP-SAT's count, ended a phase of any run (a loaded
    #: machine): such a solve may not repeat exactly.
    repeatable: bool = True
    seconds: float = 0.0
    error: str = ""  # the changed workbook could not be read back (its problems)
    #: Solves of the school as it is and of the changed school the figures take the
    #: worst of (more than one when the wall decided).
    runs_before: int = 1
    runs_after: int = 1
    #: Whether every run of each side met the same of the conflict's requests.
    agreed: bool = True
    #: The conflict's requests met by course: (course, before, after), the worst runs'.
    by_course: tuple[tuple[str, int, int], ...] = ()

    @property
    def recovered(self) -> int:
        return self.met_after - self.met_before

    @property
    def confirmed(self) -> bool:
        """The claim stands on solves that repeat: every run decided by the count. Two
        wall-decided runs that met the same are not enough: planted #10 on a loaded
        machine met 6 of Latin's requests twice in explain, and none in ``pathways solve``
        run after it."""
        return self.repeatable

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests_recovered": self.recovered,
            "met_before": self.met_before,
            "met_after": self.met_after,
            "all_met_before": self.all_before,
            "all_met_after": self.all_after,
            "repeatable": self.repeatable,
            "confirmed": self.confirmed,
            "runs_before": self.runs_before,
            "runs_after": self.runs_after,
            "runs_agreed": self.agreed,
            "by_course": [list(c) for c in self.by_course],
            "seconds": self.seconds,
            "error": self.error,
        }


@dataclass
class Conflict:
    """A set of facts that cannot hold together (minimal when ``minimal``)."""

    headline: str
    facts: list[Fact]
    minimal: bool
    changes: list[Change] = field(default_factory=list)
    #: Other groups held back by the same facts (each with its own, like set).
    also: list[str] = field(default_factory=list)
    #: The requests a change is measured on when solved (:func:`solve_changes`): those
    #: for these courses (every type), or these students' core requests.
    measured_courses: tuple[str, ...] = ()
    measured_students: tuple[str, ...] = ()
    #: Changes solved for real that recovered none of those requests (not suggested),
    #: and changes not solved (their figures are the model's only), when changes were
    #: solved: ``changes`` then holds only those that recovered some.
    solved_without_gain: list[Change] = field(default_factory=list)
    not_solved: list[Change] = field(default_factory=list)

    def names(self) -> set[str]:
        """Every id the conflict names (staff, rooms, groups, courses, students)."""
        out: set[str] = set()
        for f in self.facts:
            out.update(f.staff, f.rooms, f.groups, f.courses, f.students)
        return out | set(self.also)

    def as_dict(self) -> dict[str, Any]:
        return {
            "headline": self.headline,
            "minimal": self.minimal,
            "facts": [f.as_dict() for f in self.facts],
            "same_for_groups": self.also,
            "changes": [c.as_dict() for c in self.changes],
            "measured_on": {
                "courses": list(self.measured_courses),
                "students_core": list(self.measured_students),
            },
            "solved_without_gain": [c.as_dict() for c in self.solved_without_gain],
            "not_solved": [c.as_dict() for c in self.not_solved],
        }


@dataclass
class Explanation:
    """What ``explain_school`` found."""

    status: str  # "feasible", "conflicts" or "unknown"
    conflicts: list[Conflict]
    groups: int  # groups the model asked for
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    #: How the changes were solved (:func:`solve_changes`): the options, the command that
    #: repeats a solve, the school as it is's figures; None when they were not.
    solving: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "groups": self.groups,
            "seconds": round(self.seconds, 2),
            "notes": self.notes,
            "solving": self.solving,
            "conflicts": [c.as_dict() for c in self.conflicts],
        }


# ---- words ------------------------------------------------------------------------------


def slot_names(school: School, slots: Iterable[int], most: int = 6) -> str:
    """Slots in the school's words, e.g. "Mon 1, Mon 2, Tue 3" (at most ``most``)."""
    ordered = sorted(set(slots))
    words = [school.calendar.slots[t].label for t in ordered[:most]]
    if len(ordered) > most:
        words.append(f"and {len(ordered) - most} more")
    return ", ".join(words) or "none"


def needed_groups(school: School) -> tuple[PlannedGroup, ...]:
    """The groups a timetable must run: a fixed ``sections`` count, every group a lock
    names, and the fewest groups that seat each course's requests (the solve plans a
    spare group or two besides; those are not needed)."""
    out = []
    for g in plan_groups(school):
        course = school.course_by_id[g.course]
        locked = any(lock.group_id == g.id for lock in school.locks)
        if g.required or locked or (demand(school, course) > 0 and g.priority >= 2):
            out.append(g)
    return tuple(out)


# ---- the model ---------------------------------------------------------------------------


class FactModel:
    """The hard rules of group placement, every fact behind an assumption literal."""

    def __init__(
        self,
        school: School,
        groups: tuple[PlannedGroup, ...] | None = None,
        seated: bool = False,
    ) -> None:
        #: A group never meets where too few of the students who ask for its course can
        #: be (:func:`nobody_there`): a fact of the model, or with ``seated`` a rule (its
        #: runs there left out), as when checking a change.
        self.seated = seated
        self.school = school
        self.groups = groups if groups is not None else needed_groups(school)
        self.model = cp_model.CpModel()
        self.facts: dict[Key, Fact] = {}
        self.lit: dict[Key, cp_model.IntVar] = {}
        self.placed: dict[str, cp_model.IntVar] = {}
        self.size: dict[str, int] = {}
        self.group_by_id = {g.id: g for g in self.groups}
        self._build()

    def fact(self, fact: Fact) -> cp_model.IntVar:
        if fact.key not in self.lit:
            self.facts[fact.key] = fact
            self.lit[fact.key] = self.model.new_bool_var("f[" + "|".join(fact.key) + "]")
        return self.lit[fact.key]

    def _build(self) -> None:
        school, m = self.school, self.model
        cal = school.calendar
        day_of = {s.index: s.day for s in cal.slots}
        per_course: dict[str, int] = defaultdict(int)
        for g in self.groups:
            per_course[g.course] += 1
        occ: dict[str, dict[int, list[cp_model.IntVar]]] = {}
        runs: dict[str, list[dict[tuple[int, ...], cp_model.IntVar]]] = {}
        staff_ids = {p.id for p in school.staff}
        choose: dict[str, dict[str, cp_model.IntVar]] = {}
        for g in self.groups:
            course = school.course_by_id[g.course]
            self.size[g.id] = expected_size(school, course, per_course[g.course])
            placed = m.new_bool_var(f"placed[{g.id}]")
            self.placed[g.id] = placed
            need = self.fact(
                Fact(
                    ("group", g.id),
                    "group",
                    f"{g.id} ({course.label}) must run: "
                    + (
                        f"the course has a fixed {course.sections} group(s)"
                        if g.required
                        else f"{demand(school, course)} request(s) need "
                        f"{per_course[g.course]} group(s) of at most {course.max_size}"
                    )
                    + f"; {len(course.lessons)} lesson(s), {course.periods} period(s) a cycle",
                    groups=(g.id,),
                    courses=(course.id,),
                ),
            )
            m.add(placed == 1).only_enforce_if(need)
            cover: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            per_lesson = []
            # The course's students: no group where too few of them can be (the solve
            # forbids the slots where none can). A fact, so that a lock there is named
            # with it; with ``seated`` (checking changes) a rule.
            dead = nobody_there(school, course.id)
            seated_lit = None
            if dead and not self.seated:
                seated_lit = self.fact(_nobody_fact(school, course.id, dead))
            for li, lesson in enumerate(g.lessons):
                options = {}
                for run in lesson.candidates:
                    if dead.intersection(run) and seated_lit is None:
                        continue
                    v = m.new_bool_var(f"y[{g.id},{li},{run[0]}]")
                    if seated_lit is not None and dead.intersection(run):
                        m.add_implication(seated_lit, ~v)
                    options[run] = v
                    for t in run:
                        cover[t].append(v)
                m.add(sum(options.values()) == placed)
                per_lesson.append(options)
            occ[g.id], runs[g.id] = cover, per_lesson
            for vs in cover.values():
                if len(vs) > 1:
                    m.add_at_most_one(vs)
            per_day = cal.lessons_a_day(len(g.lessons))
            if len(g.lessons) > per_day:
                days = self.fact(
                    Fact(
                        ("days", course.id),
                        "days",
                        f"{course.label}'s {len(course.lessons)} lessons fall on different "
                        f"days (at most {per_day} a day)",
                        courses=(course.id,),
                    )
                )
                on_day: dict[str, list[cp_model.IntVar]] = defaultdict(list)
                for options in per_lesson:
                    for run, v in options.items():
                        on_day[day_of[run[0]]].append(v)
                for vs in on_day.values():
                    if len(vs) > per_day:
                        m.add(sum(vs) <= per_day).only_enforce_if(days)
            # Staff: chosen among those who may teach the course.
            eligible = [p for p in school.eligible_staff(course) if p in staff_ids]
            who = ", ".join(eligible) or "nobody"
            staffed = self.fact(
                Fact(
                    ("staff", course.id),
                    "staff",
                    (
                        f"{course.label} needs {course.staff_per_group} staff at once; "
                        if course.staff_per_group > 1
                        else f"{course.label} needs a teacher; "
                    )
                    + (f"only {who} may teach it" if len(eligible) <= 3 else f"{who} may teach it"),
                    staff=tuple(eligible),
                    courses=(course.id,),
                )
            )
            choose[g.id] = {p: m.new_bool_var(f"a[{g.id},{p}]") for p in eligible}
            for v in choose[g.id].values():
                m.add_implication(v, placed)
            m.add(sum(choose[g.id].values()) == course.staff_per_group * placed).only_enforce_if(
                staffed
            )
        self.occ, self.runs, self.choose = occ, runs, choose
        self._staff()
        self._rooms()
        self._locks()
        self._travel()

    def _staff(self) -> None:
        school, m = self.school, self.model
        cal = school.calendar
        teaches: dict[str, list[str]] = defaultdict(list)
        for gid, row in self.choose.items():
            for p in row:
                teaches[p].append(gid)
        tutors: dict[str, list] = defaultdict(list)
        for tg in school.tutor_groups:
            tutors[tg.tutor].append(tg)
        course_of = {g.id: g.course for g in self.groups}
        for p, gids in teaches.items():
            person = school.staff_by_id[p]
            # One place at a time: a[g,p] and g at t together at most once per slot.
            for t in range(cal.num_slots):
                terms = []
                for gid in gids:
                    cover = self.occ[gid].get(t)
                    if not cover:
                        continue
                    z = m.new_bool_var(f"z[{gid},{p},{t}]")
                    m.add(z >= self.choose[gid][p] + sum(cover) - 1)
                    terms.append(z)
                if len(terms) > 1:
                    m.add(sum(terms) <= 1)
            blocked = [
                (
                    Fact(
                        ("availability", p),
                        "availability",
                        f"{p} is unavailable at {len(person.unavailable)} of "
                        f"{cal.num_slots} periods ({slot_names(school, person.unavailable)})",
                        staff=(p,),
                    ),
                    person.unavailable,
                )
            ]
            for tg in tutors.get(p, []):
                blocked.append(
                    (
                        Fact(
                            ("tutor", tg.id),
                            "tutor",
                            f"{p} tutors {tg.id} at {slot_names(school, tg.meets)}",
                            staff=(p,),
                        ),
                        tg.meets,
                    )
                )
            enforce = []
            for fact, slots in blocked:
                if not slots:
                    continue
                lit = self.fact(fact)
                enforce.append(lit)
                for gid in gids:
                    a = self.choose[gid][p]
                    for t in slots:
                        for v in self.occ[gid].get(t, []):
                            m.add_bool_or([~lit, ~a, ~v])
            # Redundant, for a quick proof: the periods taught fit the free periods.
            free = cal.num_slots - len(school.staff_busy(p))
            load = sum(
                school.course_by_id[course_of[gid]].periods * self.choose[gid][p] for gid in gids
            )
            m.add(load <= free).only_enforce_if(enforce)
            if person.max_periods is not None and person.max_periods < cal.num_slots:
                cap = self.fact(
                    Fact(
                        ("max_periods", p),
                        "max_periods",
                        f"{p} teaches at most {person.max_periods} periods a cycle",
                        staff=(p,),
                    )
                )
                load = sum(
                    school.course_by_id[course_of[gid]].periods * self.choose[gid][p]
                    for gid in gids
                )
                m.add(load <= person.max_periods).only_enforce_if(cap)

    def _rooms(self) -> None:
        school, m = self.school, self.model
        kind_of: dict[str, frozenset[str]] = {}
        for g in self.groups:
            course = school.course_by_id[g.course]
            if not course.online:
                kind_of[g.id] = frozenset(rooms_for(school, course))
        for gid, kind in kind_of.items():
            if kind:
                continue
            course = school.course_by_id[self._course(gid)]
            lit = self.fact(
                Fact(
                    ("rooms", "none", course.id),
                    "rooms",
                    f"no room suits {course.label}: none is of type "
                    f"{course.room_type or 'any'} and seats its smallest group "
                    f"({course.min_size})",
                    courses=(course.id,),
                )
            )
            m.add(self.placed[gid] == 0).only_enforce_if(lit)
        kinds = sorted({k for k in kind_of.values() if k}, key=sorted)
        for kind in kinds:
            gids = [gid for gid, k in kind_of.items() if k and k <= kind]
            courses = sorted({self._course(gid) for gid in gids})
            rooms = sorted(kind)
            closed = {
                t
                for t in range(school.calendar.num_slots)
                if any(t in school.room_by_id[r].unavailable for r in rooms)
            }
            most = sum(school.room_by_id[r].max_groups for r in rooms)
            lit = self.fact(
                Fact(
                    ("rooms", *rooms),
                    "rooms",
                    f"{', '.join(courses)} can only use the room(s) {', '.join(rooms)}: at "
                    f"most {most} group(s) at once"
                    + (f", fewer at {slot_names(school, closed)}" if closed else ""),
                    rooms=tuple(rooms),
                    courses=tuple(courses),
                )
            )
            total = 0
            for t in range(school.calendar.num_slots):
                free = sum(
                    school.room_by_id[r].max_groups
                    for r in rooms
                    if t not in school.room_by_id[r].unavailable
                )
                total += free
                vs = [v for gid in gids for v in self.occ[gid].get(t, [])]
                if len(vs) > free:
                    m.add(sum(vs) <= free).only_enforce_if(lit)
            # Redundant, for a quick proof: the periods of these groups fit the rooms'.
            periods = sum(
                school.course_by_id[self._course(gid)].periods * self.placed[gid] for gid in gids
            )
            m.add(periods <= total).only_enforce_if(lit)

    def _course(self, gid: str) -> str:
        return self.group_by_id[gid].course

    def _locks(self) -> None:
        school, m = self.school, self.model
        ids = {g.id for g in self.groups}
        in_room: dict[str, list[tuple[str, cp_model.IntVar]]] = defaultdict(list)
        for lock in school.locks:
            gid = lock.group_id
            if gid not in ids:
                continue
            what = []
            if lock.slots:
                what.append(f"at {slot_names(school, lock.slots)}")
            if lock.room:
                what.append(f"in {lock.room}")
            if lock.staff:
                what.append(f"taught by {', '.join(lock.staff)}")
            if not what:
                continue
            row = f"Locks row {lock.row}" if lock.row is not None else "a lock"
            lit = self.fact(
                Fact(
                    ("lock", gid, str(lock.row)),
                    "lock",
                    f"{row}: {gid} {' '.join(what)}",
                    staff=tuple(lock.staff),
                    rooms=(lock.room,) if lock.room else (),
                    groups=(gid,),
                    courses=(lock.course,),
                )
            )
            if lock.slots:
                m.add(self.placed[gid] == 1).only_enforce_if(lit)
                for options in self.runs[gid]:
                    for run, v in options.items():
                        if not set(run) <= lock.slots:
                            m.add_implication(lit, ~v)
            if lock.room and lock.room in school.room_by_id:
                for t in school.room_by_id[lock.room].unavailable:
                    for v in self.occ[gid].get(t, []):
                        m.add_implication(lit, ~v)
                in_room[lock.room].append((gid, lit))
            for p in lock.staff:
                a = self.choose[gid].get(p)
                if a is None:
                    m.add(self.placed[gid] == 0).only_enforce_if(lit)
                else:
                    m.add_implication(lit, a)
        for room, pairs in in_room.items():
            most = school.room_by_id[room].max_groups
            if len(pairs) <= most:
                continue
            for t in range(school.calendar.num_slots):
                terms = []
                for gid, lit in pairs:
                    for v in self.occ[gid].get(t, []):
                        z = m.new_bool_var("")
                        m.add_implication(z, lit)
                        m.add(z >= v + lit - 1)
                        terms.append(z)
                if len(terms) > most:
                    m.add(sum(terms) <= most)

    def _travel(self) -> None:
        """A member of staff's lessons on two sites with too little time between, per
        pair of runs; on a day where every two periods at the two sites are too far
        apart (a journey longer than the gaps), per day instead: the two groups are not
        both on that day. With each group's days counted (at least as many as its
        lessons need, when they fall on different days), the day form is linear, so a
        week too short for both sites' days is proved at once."""
        school, m = self.school, self.model
        if not multi_site(school):
            return
        cal = school.calendar
        day_of = {s.index: s.day for s in cal.slots}
        teaches: dict[str, list[str]] = defaultdict(list)
        for gid, row in self.choose.items():
            for p in row:
                teaches[p].append(gid)
        site = {g.id: fixed_site(school, g.course) for g in self.groups}
        apart: dict[tuple[str, str, str], bool] = {}

        def whole_day(a: str, b: str, day: str) -> bool:
            """Every two distinct periods of the day, at sites a and b, too far apart."""
            key = (a, b, day)
            if key not in apart:
                slots = cal.day_slots[day]
                apart[key] = all(
                    too_far(school, (s1,), a, (s2,), b) for s1 in slots for s2 in slots if s1 != s2
                )
            return apart[key]

        on_day: dict[tuple[str, str], cp_model.IntVar] = {}

        def day_var(gid: str, day: str) -> cp_model.IntVar:
            """1 exactly when the group has a lesson on the day."""
            if (gid, day) not in on_day:
                for d in cal.day_slots:
                    y = m.new_bool_var(f"day[{gid},{d}]")
                    vs = [
                        v for opts in self.runs[gid] for r, v in opts.items() if day_of[r[0]] == d
                    ]
                    for v in vs:
                        m.add_implication(v, y)
                    m.add(y <= sum(vs))
                    on_day[(gid, d)] = y
                g = self.group_by_id[gid]
                per_day = cal.lessons_a_day(len(g.lessons))
                days = self.lit.get(("days", g.course))
                if days is not None and len(g.lessons) > per_day:
                    k = math.ceil(len(g.lessons) / per_day)
                    # Redundant: its lessons on different days need k days (big-M, so
                    # that the LP sees it).
                    m.add(
                        sum(on_day[(gid, d)] for d in cal.day_slots)
                        >= k * self.placed[gid] - k * (1 - days)
                    )
            return on_day[(gid, day)]

        for p, gids in teaches.items():
            for i, g1 in enumerate(gids):
                for g2 in gids[i + 1 :]:
                    a, b = site[g1], site[g2]
                    if a is None or b is None or a == b:
                        continue
                    pair = tuple(sorted((a, b)))
                    minutes = max(school.travel_minutes(a, b), school.travel_minutes(b, a))
                    lit = self.fact(
                        Fact(
                            ("travel", *pair),
                            "travel",
                            f"travel between {pair[0]} and {pair[1]} takes {minutes} minutes",
                        )
                    )
                    a1, a2 = self.choose[g1][p], self.choose[g2][p]
                    apart_days = {d for d in cal.day_slots if whole_day(a, b, d)}
                    for d in sorted(apart_days):
                        y1, y2 = day_var(g1, d), day_var(g2, d)
                        m.add(y1 + y2 + lit + a1 + a2 <= 4)
                    for opts1 in self.runs[g1]:
                        for opts2 in self.runs[g2]:
                            for r1, v1 in opts1.items():
                                if day_of[r1[0]] in apart_days:
                                    continue
                                for r2, v2 in opts2.items():
                                    if too_far(school, r1, a, r2, b):
                                        m.add_bool_or([~lit, ~a1, ~a2, ~v1, ~v2])
        self._tutor_travel()

    def _tutor_travel(self) -> None:
        """A tutor's lessons on another site keep clear of their tutor time by the travel
        (the solve's rule, ``TravelRule.restrict_timetable``: every slot of a run too
        close to the tutor time is kept free)."""
        school, m = self.school, self.model
        for tg in school.tutor_groups:
            if tg.room is None or tg.room not in school.room_by_id:
                continue
            here = school.room_by_id[tg.room].site
            tutor = self.lit.get(("tutor", tg.id))
            for gid, row in self.choose.items():
                a = row.get(tg.tutor)
                there = fixed_site(school, self._course(gid))
                if a is None or there is None or there == here:
                    continue
                near: set[int] = set()
                for t in tg.meets:
                    for lesson in self.group_by_id[gid].lessons:
                        for run in lesson.candidates:
                            if too_far(school, (t,), here, run, there):
                                near.update(run)
                if not near:
                    continue
                pair = tuple(sorted((here, there)))
                minutes = max(
                    school.travel_minutes(here, there), school.travel_minutes(there, here)
                )
                lit = self.fact(
                    Fact(
                        ("travel", *pair),
                        "travel",
                        f"travel between {pair[0]} and {pair[1]} takes {minutes} minutes",
                    )
                )
                enforce = [~lit, ~a] + ([~tutor] if tutor is not None else [])
                for opts in self.runs[gid]:
                    for run, v in opts.items():
                        if near.intersection(run):
                            m.add_bool_or([*enforce, ~v])

    # ---- solving ---------------------------------------------------------------------

    def solve(
        self, keys: Iterable[Key], limit: float = SOLVE_LIMIT, objective: bool = False
    ) -> tuple[Any, list[Key]]:
        """Solve with these facts on: (CP-SAT status, a sufficient subset when infeasible)."""
        keys = [k for k in keys if k in self.lit]
        self.model.clear_assumptions()
        self.model.add_assumptions([self.lit[k] for k in keys])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        solver.parameters.max_deterministic_time = limit
        solver.parameters.max_time_in_seconds = SOLVE_WALL
        # Presolve's probing costs more than it saves on these feasibility models (a
        # third to a half of the time on the 600-student schools, same answers).
        solver.parameters.cp_model_probing_level = 0
        status = solver.solve(self.model)
        core: list[Key] = []
        if status == cp_model.INFEASIBLE:
            index = {self.lit[k].index: k for k in keys}
            core = [index[i] for i in solver.sufficient_assumptions_for_infeasibility()]
            core = [k for k in core if k in self.facts] or keys
        return status, core


def minimise(fm: FactModel, core: list[Key], limit: float = SOLVE_LIMIT) -> tuple[list[Key], bool]:
    """A deletion filter: drop one fact at a time while the rest stay infeasible.

    Facts that only require a group to run are tried last, so the set keeps the groups
    and names the resources. Returns the set and whether it is proven minimal (no
    re-solve ran out of time).
    """
    current = sorted(core, key=lambda k: (k[0] == "group", k))
    proven = True
    i = 0
    while i < len(current):
        trial = current[:i] + current[i + 1 :]
        status, smaller = fm.solve(trial, limit)
        if status == cp_model.INFEASIBLE:
            keep = set(smaller)
            current = [k for k in trial if k in keep]
            continue
        if status not in (cp_model.FEASIBLE, cp_model.OPTIMAL):
            proven = False
        i += 1
    return current, proven


def headline(school: School, facts: list[Fact]) -> str:
    """The conflict in one sentence, with the figures the facts give."""
    cal = school.calendar
    pairs = sorted(
        {
            (g, c)
            for f in facts
            if f.kind in ("group", "lock")
            for g, c in zip(f.groups, f.courses, strict=False)
        }
    )
    groups = [g for g, _ in pairs]
    courses = sorted({c for _, c in pairs})
    need = sum(school.course_by_id[c].periods for _, c in pairs)
    blocked = sorted({p for f in facts if f.kind in ("availability", "tutor") for p in f.staff})
    capped = sorted({p for f in facts if f.kind == "max_periods" for p in f.staff})
    rooms = sorted({r for f in facts if f.kind == "rooms" for r in f.rooms})
    kinds = [f for f in facts if f.kind in ("days", "lock", "travel")]
    what = ", ".join(groups) or "the groups"
    if len(courses) == 1 and blocked and school.course_by_id[courses[0]].staff_per_group > 1:
        course = school.course_by_id[courses[0]]
        team = sorted({p for f in facts if f.kind == "staff" for p in f.staff} | set(blocked))
        busy: set[int] = set()
        for p in team:
            busy |= school.staff_busy(p)
        common = [t for t in range(cal.num_slots) if t not in busy]
        longest = max(
            (
                len(run)
                for n in range(1, cal.longest_day + 1)
                for run in cal.runs(n)
                if not busy.intersection(run)
            ),
            default=0,
        )
        return (
            f"{course.label} needs {course.staff_per_group} staff at once; "
            f"{', '.join(team)} can teach it; they have {len(common)} free period(s) in "
            f"common (at most {longest} in a row), {what} need {need} "
            f"(lessons of {', '.join(str(n) for n in course.lessons)} period(s))"
        )
    if blocked and not rooms:
        free = {p: cal.num_slots - len(school.staff_busy(p)) for p in blocked}
        days = {
            p: sorted(
                {cal.slots[t].day for t in range(cal.num_slots) if t not in school.staff_busy(p)}
            )
            for p in blocked
        }
        said = "; ".join(
            f"{p} is free at {free[p]} period(s) on {len(days[p])} day(s)" for p in blocked
        )
        tail = (
            " and lessons of a group on different days"
            if any(f.kind == "days" for f in kinds)
            else ""
        )
        for f in kinds:
            if f.kind == "travel":
                tail += f" and {f.text} between lessons on the two sites"
        return f"{what} need {need} period(s) of {', '.join(blocked)}{tail}: {said}"
    if capped and not rooms:
        return f"{what} need {need} period(s) from {', '.join(capped)}, more than " + ", ".join(
            f"{p}'s maximum of {school.staff_by_id[p].max_periods}" for p in capped
        )
    if rooms:
        return f"{what} need {need} period(s) in {', '.join(rooms)}, which cannot hold them"
    if any(f.kind == "rooms" for f in facts):
        return f"{what} cannot be timetabled: no room suits {', '.join(courses)}"
    seated = [f for f in facts if f.kind == "students"]
    if seated and any(f.kind == "lock" for f in facts):
        return f"{what} locked where its students cannot be: {seated[0].text}"
    if any(f.kind == "lock" for f in facts):
        return f"the locks on {what} cannot all hold"
    if any(f.kind == "travel" for f in facts):
        return f"{what} cannot be timetabled: their staff cannot travel between sites in time"
    if groups:
        return f"{what} cannot all be timetabled together"
    return "these facts cannot all hold together"


# ---- students' weeks -------------------------------------------------------------------


def course_slots(school: School, course_id: str) -> frozenset[int]:
    """Slots at which a course's lessons could meet at all: enough of its staff are free
    and one of its rooms is open (another course's groups aside)."""
    course = school.course_by_id[course_id]
    staff = [p for p in school.eligible_staff(course) if p in school.staff_by_id]
    rooms = [school.room_by_id[r] for r in rooms_for(school, course)]
    out = set()
    for t in range(school.calendar.num_slots):
        free = sum(t not in school.staff_busy(p) for p in staff)
        if free < course.staff_per_group:
            continue
        if not course.online and not any(t not in r.unavailable for r in rooms):
            continue
        out.add(t)
    return frozenset(out)


def student_conflicts(school: School, limit: float = 2.0) -> list[Conflict]:
    """Students whose core courses cannot fit the slots they can attend (home days,
    tutor time, their unavailable slots), each with a minimal set of reasons."""
    out = []
    cal = school.calendar
    for st in school.students:
        core = [
            r.course
            for r in school.student_requests.get(st.id, ())
            if r.type is RequestType.CORE and r.course in school.course_by_id
        ]
        if not core:
            continue
        tutor = tutor_busy(school, st.id)
        home = school.home_slots(st)
        if not (home or st.unavailable or tutor):
            continue
        blocked = set(tutor) | set(st.unavailable) | set(home)
        periods = sum(school.course_by_id[c].periods for c in core)
        quick_ok = periods <= cal.num_slots - len(blocked) and not st.home_days
        if quick_ok and not st.unavailable:
            continue
        conflict = _student_conflict(school, st.id, core, tutor, home, limit)
        if conflict is not None:
            out.append(conflict)
    return out


def _student_conflict(school, student, core, tutor, home, limit) -> Conflict | None:
    m = cp_model.CpModel()
    cal = school.calendar
    st = school.student_by_id[student]
    lits: dict[Key, cp_model.IntVar] = {}
    facts: dict[Key, Fact] = {}

    def fact(f: Fact) -> cp_model.IntVar:
        if f.key not in lits:
            facts[f.key] = f
            lits[f.key] = m.new_bool_var("|".join(f.key))
        return lits[f.key]

    blocks = []
    if home:
        blocks.append(
            (
                Fact(
                    ("home", student),
                    "home",
                    f"{student} learns at home on {', '.join(sorted(st.home_days))}",
                    students=(student,),
                ),
                home,
                True,
            )
        )
    if st.unavailable:
        blocks.append(
            (
                Fact(
                    ("unavailable", student),
                    "unavailable",
                    f"{student} is unavailable at {slot_names(school, st.unavailable)}",
                    students=(student,),
                ),
                st.unavailable,
                False,
            )
        )
    if tutor:
        blocks.append(
            (
                Fact(
                    ("tutor_time", student),
                    "tutor",
                    f"{student} is in tutor time at {slot_names(school, tutor)}",
                    students=(student,),
                ),
                tutor,
                False,
            )
        )
    at: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    day_of = {s.index: s.day for s in cal.slots}
    for c in core:
        course = school.course_by_id[c]
        req = fact(
            Fact(
                ("request", student, c),
                "request",
                f"{student} asks for {course.label} (core)",
                students=(student,),
                courses=(c,),
            )
        )
        per_day = cal.lessons_a_day(len(course.lessons))
        on_day: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        possible = course_slots(school, c)
        times = None
        if len(possible) < cal.num_slots:
            times = fact(
                Fact(
                    ("course_times", c),
                    "course_times",
                    f"{course.label} can only meet at {slot_names(school, possible)} (when "
                    f"its staff and rooms are free)",
                    staff=tuple(
                        p
                        for p in school.eligible_staff(course)
                        if p in school.staff_by_id and school.staff_busy(p)
                    ),
                    courses=(c,),
                )
            )
        for li, length in enumerate(course.lessons):
            options = []
            for run in cal.runs(length):
                v = m.new_bool_var(f"{c},{li},{run[0]}")
                if times is not None and not possible.issuperset(run):
                    m.add_bool_or([~times, ~v])
                options.append(v)
                on_day[day_of[run[0]]].append(v)
                for t in run:
                    at[t].append(v)
                for f, slots, school_only in blocks:
                    if (school_only and course.online) or not slots.intersection(run):
                        continue
                    m.add_bool_or([~fact(f), ~v])
            m.add(sum(options) == 1).only_enforce_if(req)
        if len(course.lessons) > per_day:
            days = fact(
                Fact(
                    ("days", c),
                    "days",
                    f"{course.label}'s {len(course.lessons)} lessons fall on different days",
                    courses=(c,),
                )
            )
            for vs in on_day.values():
                if len(vs) > per_day:
                    m.add(sum(vs) <= per_day).only_enforce_if(days)
    for vs in at.values():
        if len(vs) > 1:
            m.add_at_most_one(vs)

    def attempt(keys: list[Key]) -> tuple[Any, list[Key]]:
        m.clear_assumptions()
        m.add_assumptions([lits[k] for k in keys])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = limit
        status = solver.solve(m)
        core_keys: list[Key] = []
        if status == cp_model.INFEASIBLE:
            index = {lits[k].index: k for k in keys}
            core_keys = [index[i] for i in solver.sufficient_assumptions_for_infeasibility()]
        return status, core_keys or keys

    status, found = attempt(list(lits))
    if status != cp_model.INFEASIBLE:
        return None
    current = sorted(found, key=lambda k: (k[0] == "request", k))
    proven, i = True, 0
    while i < len(current):
        trial = current[:i] + current[i + 1 :]
        status, smaller = attempt(trial)
        if status == cp_model.INFEASIBLE:
            current = [k for k in trial if k in set(smaller)]
            continue
        proven = proven and status in (cp_model.FEASIBLE, cp_model.OPTIMAL)
        i += 1
    chosen = [facts[k] for k in current]
    wanted = [f.courses[0] for f in chosen if f.kind == "request"]
    conflict = Conflict(
        headline=(
            f"{student} cannot attend all of {', '.join(wanted)}: the periods they can attend "
            f"do not hold the lessons"
        ),
        facts=chosen,
        minimal=proven,
    )
    # What to change: a home day fewer (each one), checked by the same model.
    for d in sorted(st.home_days):
        changed = replace(
            school,
            students=tuple(
                replace(s, home_days=s.home_days - {d}) if s.id == student else s
                for s in school.students
            ),
        )
        if student_conflicts_of(changed, student) is None:
            left = sorted(st.home_days - {d})
            conflict.changes.append(
                Change(
                    f"{student} without the home day {d}",
                    changed,
                    places=len(wanted),
                    requests=tuple((student, c) for c in wanted),
                    scenario=(
                        _set_step("Students", {"student": student}, {"home_days": left or None}),
                    ),
                )
            )
    if st.unavailable and any(f.kind == "unavailable" for f in chosen):
        changed = replace(
            school,
            students=tuple(
                replace(s, unavailable=frozenset()) if s.id == student else s
                for s in school.students
            ),
        )
        if student_conflicts_of(changed, student) is None:
            conflict.changes.append(
                Change(
                    f"{student} available at every period",
                    changed,
                    places=len(wanted),
                    requests=tuple((student, c) for c in wanted),
                    scenario=(_set_step("Students", {"student": student}, {"unavailable": None}),),
                )
            )
    return conflict


def student_conflicts_of(school: School, student: str) -> Conflict | None:
    """The conflict of one student's week, if any."""
    st = school.student_by_id[student]
    core = [
        r.course
        for r in school.student_requests.get(student, ())
        if r.type is RequestType.CORE and r.course in school.course_by_id
    ]
    if not core:
        return None
    tutor = tutor_busy(school, student)
    home = school.home_slots(st)
    return _student_conflict_plain(school, student, core, tutor, home)


def _student_conflict_plain(school, student, core, tutor, home) -> Conflict | None:
    """As :func:`_student_conflict` without looking for changes (no recursion)."""
    m = cp_model.CpModel()
    cal = school.calendar
    st = school.student_by_id[student]
    blocked_school = set(tutor) | set(st.unavailable) | set(home)
    blocked_online = set(tutor) | set(st.unavailable)
    at: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    day_of = {s.index: s.day for s in cal.slots}
    for c in core:
        course = school.course_by_id[c]
        blocked = blocked_online if course.online else blocked_school
        blocked = blocked | (set(range(cal.num_slots)) - course_slots(school, c))
        per_day = cal.lessons_a_day(len(course.lessons))
        on_day: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for li, length in enumerate(course.lessons):
            options = []
            for run in cal.runs(length):
                if blocked.intersection(run):
                    continue
                v = m.new_bool_var("")
                options.append(v)
                on_day[day_of[run[0]]].append(v)
                for t in run:
                    at[t].append(v)
            m.add(sum(options) == 1)
        for vs in on_day.values():
            if len(vs) > per_day:
                m.add(sum(vs) <= per_day)
    for vs in at.values():
        if len(vs) > 1:
            m.add_at_most_one(vs)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 2.0
    if solver.solve(m) == cp_model.INFEASIBLE:
        return Conflict(f"{student}'s week cannot hold their core courses", [], True)
    return None


# ---- what to change ----------------------------------------------------------------------


def _with_staff(school: School, staff: Staff) -> School:
    return replace(school, staff=tuple(staff if p.id == staff.id else p for p in school.staff))


def _set_step(sheet: str, where: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A scenario step setting columns of the rows that match ``where``."""
    return {"change": "set", "sheet": sheet, "where": where, "values": values}


def _unavailable_step(school: School, staff: Staff) -> dict[str, Any]:
    labels = [school.calendar.slots[t].label for t in sorted(staff.unavailable)]
    return _set_step("Staff", {"staff": staff.id}, {"unavailable": ",".join(labels) or None})


#: A candidate change: its words, the changed school, the same as workbook edits.
Candidate = tuple[str, School, tuple[dict[str, Any], ...]]


def nobody_there(school: School, course_id: str) -> frozenset[int]:
    """Slots at which fewer of the students who ask for the course can be in a lesson
    than its minimum group size (at least one): a group meeting there could not run.

    Each student's busy slots are the solve's (``constraints.student_clashes.
    blocked_slots``: tutor time, unavailable slots, home days for a school-mode course),
    over every request, alternates too; with a minimum of one this is the solve's own
    rule (``StudentClashes.restrict_timetable`` forbids a course's groups where all its
    requesters are busy), and a larger minimum only adds slots no running group can use
    (a group runs with at least ``min_size`` students, each free at all its slots).
    A course nobody asks for: none."""
    key = ("explain_nobody_there", course_id)
    found = school.memo.get(key)
    if found is not None:
        return found
    course = school.course_by_id[course_id]
    students = {r.student for r in school.course_requests.get(course_id, ())}
    students &= set(school.student_by_id)
    need = max(1, course.min_size)
    out: set[int] = set()
    if students:
        busy = [blocked_slots(school, st, course.online) for st in sorted(students)]
        for t in range(school.calendar.num_slots):
            if sum(t not in b for b in busy) < need:
                out.add(t)
    found = school.memo[key] = frozenset(out)
    return found


def _nobody_fact(school: School, course_id: str, dead: frozenset[int]) -> Fact:
    """The fact that a course's groups cannot meet where too few of its students can be."""
    course = school.course_by_id[course_id]
    students = sorted({r.student for r in school.course_requests.get(course_id, ())})
    why = []
    for st in students:
        if st not in school.student_by_id:
            continue
        if dead & tutor_busy(school, st) and "tutor time" not in why:
            why.append("tutor time")
        student = school.student_by_id[st]
        if not course.online and dead & school.home_slots(student) and "home days" not in why:
            why.append("home days")
        if dead & student.unavailable and "unavailable slots" not in why:
            why.append("unavailable slots")
    need = max(1, course.min_size)
    who = "none" if need == 1 else f"fewer than {need} (its minimum group size)"
    return Fact(
        ("students", course_id),
        "students",
        f"{who} of the {len(students)} student(s) who ask for {course.label} can be in a "
        f"lesson at {slot_names(school, dead)} (their {', '.join(why) or 'other commitments'})",
        courses=(course_id,),
    )


def candidate_changes(
    school: School, facts: list[Fact], locks: Iterable[Fact] = ()
) -> list[Candidate]:
    """Small changes that relax one of the facts, as changed schools (and the same as
    scenario steps on the workbook). ``locks``: the lock facts of every conflict among
    the same groups; a lock that cannot hold leaves the solve without a timetable, so
    when a conflict's lock is one of several, dropping them all is tried too."""
    out: list[Candidate] = []
    cal = school.calendar
    conflict_staff = {p for f in facts for p in f.staff}
    for f in facts:
        if f.kind == "availability":
            p = school.staff_by_id[f.staff[0]]
            others = conflict_staff - {p.id}

            def free_others(t: int, others: set[str] = others) -> int:
                return sum(t not in school.staff_busy(q) for q in others)

            # A period freed where none of the course's students can be (their tutor
            # time, say) would let a group run in the model that seats nobody.
            named = {c for g in facts for c in g.courses}
            dead = (
                set.intersection(*(set(nobody_there(school, c)) for c in named)) if named else set()
            )
            useful = [t for t in p.unavailable if t not in dead]
            for t in sorted(useful, key=lambda t: (-free_others(t), t))[:3]:
                now = replace(p, unavailable=p.unavailable - {t})
                out.append(
                    (
                        f"make {p.id} available at {cal.slots[t].label} (one more period)",
                        _with_staff(school, now),
                        (_unavailable_step(school, now),),
                    )
                )
            away = sorted({cal.slots[t].day for t in p.unavailable}, key=cal.days.index)
            day = cal.slots[min(p.unavailable)].day
            now = replace(p, unavailable=p.unavailable - set(cal.day_slots[day]))
            out.append(
                (
                    f"make {p.id} available on {day} (every period of that day)",
                    _with_staff(school, now),
                    (_unavailable_step(school, now),),
                )
            )
            # A course whose lessons fall on different days may need more than one day
            # more (planted #8: LWO two days short of the days two sites need).
            if len(away) > 1:
                two = away[:2]
                now = replace(
                    p, unavailable=p.unavailable - {t for d in two for t in cal.day_slots[d]}
                )
                out.append(
                    (
                        f"make {p.id} available on {' and '.join(two)} (every period)",
                        _with_staff(school, now),
                        (_unavailable_step(school, now),),
                    )
                )
            if len(away) > 2:
                now = replace(p, unavailable=frozenset())
                out.append(
                    (
                        f"make {p.id} available all week (no periods away)",
                        _with_staff(school, now),
                        (_unavailable_step(school, now),),
                    )
                )
        elif f.kind == "max_periods":
            p = school.staff_by_id[f.staff[0]]
            cap = p.max_periods or 0
            for extra in (1, 2, 4, 8):
                out.append(
                    (
                        f"raise {p.id}'s maximum periods from {cap} to {cap + extra}",
                        _with_staff(school, replace(p, max_periods=cap + extra)),
                        (_set_step("Staff", {"staff": p.id}, {"max_periods": cap + extra}),),
                    )
                )
        elif f.kind == "staff":
            course = school.course_by_id[f.courses[0]]
            new_id = _fresh(f"NEW-{course.subject}", {p.id for p in school.staff})
            teacher = Staff(
                new_id,
                name=f"another {course.subject} teacher",
                qualifications=(Qualification(course.subject),),
            )
            steps: list[dict[str, Any]] = [
                {
                    "change": "add_staff",
                    "staff": [{"staff": new_id, "name": teacher.name, "subjects": course.subject}],
                }
            ]
            courses = school.courses
            if course.staff:
                courses = tuple(
                    replace(c, staff=(*c.staff, new_id)) if c.id == course.id else c
                    for c in courses
                )
                steps.append(
                    _set_step("Courses", {"course": course.id}, {"staff": [*course.staff, new_id]})
                )
            out.append(
                (
                    f"one more teacher for {course.label} ({new_id}, free all week)",
                    replace(school, staff=(*school.staff, teacher), courses=courses),
                    tuple(steps),
                )
            )
        elif f.kind == "rooms" and f.rooms:
            like = max((school.room_by_id[r] for r in f.rooms), key=lambda r: r.capacity)
            new_id = _fresh(f"{like.id}-NEW", {r.id for r in school.rooms})
            row: dict[str, Any] = {
                "room": new_id,
                "capacity": like.capacity,
                "type": ",".join(sorted(like.types)),
            }
            if like.site:
                row["site"] = like.site
            if like.max_groups != 1:
                row["max_groups"] = like.max_groups
            out.append(
                (
                    (
                        f"one more room like {like.id} ({new_id}: {', '.join(sorted(like.types))}, "
                        f"{like.capacity} seats)"
                    ),
                    replace(
                        school,
                        rooms=(
                            *school.rooms,
                            Room(new_id, like.capacity, like.types, like.site, like.max_groups),
                        ),
                    ),
                    ({"change": "add_rooms", "rooms": [row]},),
                )
            )
        elif f.kind == "rooms":
            course = school.course_by_id[f.courses[0]]
            new_id = _fresh(f"{(course.room_type or 'ROOM').upper()}-NEW", set(school.room_by_id))
            kinds = frozenset({course.room_type.casefold()}) if course.room_type else frozenset()
            out.append(
                (
                    (
                        f"a room of type {course.room_type or 'any'} seating {course.max_size} "
                        f"({new_id})"
                    ),
                    replace(
                        school,
                        rooms=(*school.rooms, Room(new_id, course.max_size, kinds)),
                    ),
                    (
                        {
                            "change": "add_rooms",
                            "rooms": [
                                {
                                    "room": new_id,
                                    "capacity": course.max_size,
                                    "type": course.room_type or "classroom",
                                }
                            ],
                        },
                    ),
                )
            )
        elif f.kind == "tutor" and f.key[0] == "tutor":
            tg = school.tutor_group_by_id[f.key[1]]
            tutoring = {t.tutor for t in school.tutor_groups}
            free = [p.id for p in school.staff if p.id not in tutoring | conflict_staff]
            if free:
                out.append(
                    (
                        f"{tg.id}'s tutor {free[0]} instead of {tg.tutor}",
                        replace(
                            school,
                            tutor_groups=tuple(
                                replace(t, tutor=free[0]) if t.id == tg.id else t
                                for t in school.tutor_groups
                            ),
                        ),
                        (_set_step("TutorGroups", {"group": tg.id}, {"tutor": free[0]}),),
                    )
                )
        elif f.kind == "lock":
            out.append(_drop_locks(school, [f]))
        elif f.kind == "travel":
            a, b = f.key[1], f.key[2]
            gap = max(
                0,
                min(
                    (
                        cal.slots[i + 1].start - cal.slots[i].end
                        for i in range(cal.num_slots - 1)
                        if cal.slots[i].day == cal.slots[i + 1].day
                    ),
                    default=0,
                ),
            )
            out.append(
                (
                    f"travel between {a} and {b} in {gap} minutes (the gap between periods)",
                    replace(
                        school,
                        travel=tuple(
                            (x, y, min(mins, gap)) if {x, y} == {a, b} else (x, y, mins)
                            for x, y, mins in school.travel
                        ),
                    ),
                    tuple(
                        _set_step("Travel", {"from_site": x, "to_site": y}, {"minutes": gap})
                        for x, y, _mins in school.travel
                        if {x, y} == {a, b}
                    ),
                )
            )
        elif f.kind == "group":
            course = school.course_by_id[f.courses[0]]
            groups = sum(1 for g in needed_groups(school) if g.course == course.id)
            if groups > 1:
                out.append(
                    (
                        f"run {groups - 1} group(s) of {course.label} instead of {groups}",
                        replace(
                            school,
                            courses=tuple(
                                replace(c, sections=groups - 1) if c.id == course.id else c
                                for c in school.courses
                            ),
                        ),
                        (_set_step("Courses", {"course": course.id}, {"sections": groups - 1}),),
                    )
                )
    mine = [f for f in facts if f.kind == "lock"]
    every = {f.key: f for f in [*mine, *locks]}
    if mine and len(every) > len(mine):
        out.append(_drop_locks(school, list(every.values())))
    return out


def _drop_locks(school: School, locks: list[Fact]) -> Candidate:
    """Dropping these Locks rows, as a candidate change (the rows removed from the last,
    so that each step's row number holds when the steps are applied in order)."""
    keys = {(f.key[1], f.key[2]) for f in locks}
    ordered = sorted(keys, key=lambda k: (-int(k[1]) if k[1].isdigit() else 0, k))
    steps = []
    for _gid, row_no in ordered:
        step: dict[str, Any] = {"change": "remove_row", "sheet": "Locks"}
        if row_no.isdigit():
            step["row"] = int(row_no)
        steps.append(step)
    said = ", ".join(f"{gid} (Locks row {row_no})" for gid, row_no in sorted(keys))
    return (
        f"drop the lock{'s' if len(keys) > 1 else ''} on {said}",
        replace(
            school,
            locks=tuple(
                lock for lock in school.locks if (lock.group_id, str(lock.row)) not in keys
            ),
        ),
        tuple(steps),
    )


def _fresh(base: str, taken: set[str]) -> str:
    name, k = base, 1
    while name in taken:
        k += 1
        name = f"{base}{k}"
    return name


def check_change(
    changed: School,
    groups: set[str],
    held: list[Key],
    conflict: list[Key],
    limit: float = SOLVE_LIMIT,
    others: Iterable[Key] = (),
) -> tuple[str, ...]:
    """The conflict's groups the changed school can run together with every fact that
    held before (``held``, of the groups ``groups``): none when the change does not lift
    the conflict. Groups are added one at a time, each kept only if it still solves:
    the conflict's own first, then ``others`` (groups other conflicts among the same
    groups held back: a change is credited with them too, and one that lets a group run
    only by taking what another needs is not counted twice)."""
    fm = FactModel(changed, tuple(g for g in needed_groups(changed) if g.id in groups), seated=True)
    wanted = [k for k in conflict if k[0] == "group" and k in fm.lit]
    wanted += [k for k in others if k[0] == "group" and k in fm.lit and k not in wanted]
    base = [k for k in held if k in fm.lit] + [
        k for k in conflict if k[0] != "group" and k in fm.lit
    ]
    if not any(k[0] == "group" for k in conflict):
        # A conflict of rules alone (say two locks): lifted when the facts left hold.
        status, _ = fm.solve(base, limit)
        if status in (cp_model.FEASIBLE, cp_model.OPTIMAL):
            return tuple(sorted({k[1] for k in conflict if k[0] == "lock"}))
        return ()
    status, _ = fm.solve(base + wanted, limit)
    if status in (cp_model.FEASIBLE, cp_model.OPTIMAL):
        return tuple(k[1] for k in wanted)
    recovered: list[Key] = []
    for k in wanted:
        status, _ = fm.solve(base + recovered + [k], limit)
        if status in (cp_model.FEASIBLE, cp_model.OPTIMAL):
            recovered.append(k)
    return tuple(k[1] for k in recovered)


# ---- the whole school --------------------------------------------------------------------


def neighbourhoods(school: School, groups: tuple[PlannedGroup, ...]) -> list[set[str]]:
    """Sets of groups that share a resource, smallest first: the groups that can only use
    rooms among one kind's, the groups a member of staff may teach, the locked groups.
    A conflict among them is a conflict of the whole school (the other groups only add
    demands), and it is found in a model of a few groups instead of all."""
    out: list[set[str]] = []
    kind_of: dict[str, frozenset[str]] = {}
    for g in groups:
        course = school.course_by_id[g.course]
        if not course.online:
            kind_of[g.id] = frozenset(rooms_for(school, course))
    for kind in {k for k in kind_of.values()}:
        out.append({gid for gid, k in kind_of.items() if k <= kind} if kind else set())
        if not kind:
            out.extend({gid} for gid, k in kind_of.items() if not k)
    by_staff: dict[str, set[str]] = defaultdict(set)
    for g in groups:
        for p in school.eligible_staff(school.course_by_id[g.course]):
            by_staff[p].add(g.id)
    out.extend(by_staff.values())
    locked = {lock.group_id for lock in school.locks} & {g.id for g in groups}
    out.append(locked)
    seen: set[frozenset[str]] = set()
    unique = []
    for hood in sorted(out, key=lambda h: (len(h), sorted(h))):
        key = frozenset(hood)
        if hood and key not in seen and len(hood) <= NEIGHBOURHOOD_MOST:
            seen.add(key)
            unique.append(hood)
    return unique


#: The largest neighbourhood searched on its own, in groups.
NEIGHBOURHOOD_MOST = 80


@dataclass
class _Found:
    conflict: Conflict
    keys: list[Key]
    groups: set[str]  # the neighbourhood's groups (every group for the whole school)


def _conflicts_in(
    fm: FactModel,
    active: list[Key],
    found: list[_Found],
    most: int,
    limit: float,
    say: Callable[[str], None],
    let_go: set[Key],
) -> str:
    """Look for conflicts among ``active`` facts of ``fm`` until it solves: each found
    conflict is shrunk, recorded, and its last group let go. Returns "feasible",
    "conflicts" or "unknown"."""
    status = "feasible"
    known = {frozenset(k for k in f.keys if k[0] != "group"): f for f in found}
    while len(found) < most:
        result, core = fm.solve(active, limit)
        if result in (cp_model.FEASIBLE, cp_model.OPTIMAL):
            return status
        if result != cp_model.INFEASIBLE:
            return "unknown"
        status = "conflicts"
        keys, proven = minimise(fm, core, limit)
        need = [k for k in keys if k[0] == "group"]
        # Let a group go, else a lock (a rule of the school's own choosing), else the
        # last fact.
        locks = [k for k in keys if k[0] == "lock"]
        drop = need[-1] if need else (locks[-1] if locks else keys[-1])
        active.remove(drop)
        let_go.add(drop)
        same = known.get(frozenset(k for k in keys if k[0] != "group"))
        if same is not None:
            # The same facts hold back another group (say a course's second group).
            for k in need:
                if k not in same.keys:
                    same.keys.append(k)
                    same.conflict.also.append(k[1])
            continue
        facts = [fm.facts[k] for k in keys]
        conflict = Conflict(headline(fm.school, facts), facts, proven)
        found.append(_Found(conflict, keys, {g.id for g in fm.groups}))
        known[frozenset(k for k in keys if k[0] != "group")] = found[-1]
        say(f"conflict {len(found)}: {conflict.headline}")
    return status


def explain_school(
    school: School,
    max_conflicts: int = MAX_CONFLICTS,
    limit: float = SOLVE_LIMIT,
    changes: bool = True,
    progress: Callable[[str], None] | None = None,
    whole: bool = True,
) -> Explanation:
    """Minimal conflicting sets of the school's facts and what to change, in its words.

    First each neighbourhood of groups sharing rooms or staff is solved alone (small
    models, quick), then, while fewer than ``max_conflicts`` were found and ``whole``,
    the whole school with what those conflicts let go.
    """
    started = time.monotonic()
    say = progress or (lambda _msg: None)
    groups = needed_groups(school)
    found: list[_Found] = []
    notes: list[str] = []
    status = "feasible"
    let_go: set[Key] = set()
    for hood in neighbourhoods(school, groups):
        if len(found) >= max_conflicts:
            break
        fm = FactModel(school, tuple(g for g in groups if g.id in hood))
        active = [k for k in fm.lit if k not in let_go]
        got = _conflicts_in(fm, active, found, max_conflicts, min(limit, 2.0), say, let_go)
        if got == "conflicts":
            status = "conflicts"
    if whole and len(found) < max_conflicts:
        fm = FactModel(school, groups)
        say(f"the whole school: {len(fm.groups)} groups, {len(fm.facts)} facts")
        # Each conflict found lets go of one group per neighbourhood run; the whole
        # school lets go of every group a conflict named.
        active = [k for k in fm.lit if k not in let_go]
        got = _conflicts_in(fm, active, found, max_conflicts, limit, say, let_go)
        if got == "conflicts":
            status = "conflicts"
        elif got == "unknown":
            notes.append(
                "the search of the whole school ran out of time: there may be conflicts "
                "beyond those listed"
            )
            if status == "feasible":
                status = "unknown"
    # A conflict found in the whole school is checked among the groups sharing staff or
    # rooms with its own groups (it holds there too: the others only add demands).
    hoods = neighbourhoods(school, groups)
    for f in found:
        if len(f.groups) == len(groups):
            named = {g for fact in f.conflict.facts for g in fact.groups}
            f.groups = named.union(*(h for h in hoods if h & named)) if named else f.groups
    if changes:
        budget_end = time.monotonic() + CHANGES_BUDGET
        for n, f in enumerate(found):
            if n > 0 and time.monotonic() > budget_end:
                notes.append(
                    f"changes were checked for the first {n} conflict(s) only "
                    f"({CHANGES_BUDGET:.0f} s)"
                )
                break
            fm_held = FactModel(school, tuple(g for g in groups if g.id in f.groups))
            # Every fact that held, and every lock: a lock that cannot hold leaves the
            # real solve without a timetable, so a change must lift every lock's
            # conflict among these groups, not only this one's.
            held = [k for k in fm_held.lit if k not in let_go or k[0] == "lock"]
            others = [k for k in fm_held.lit if k in let_go and k[0] == "group"]
            locks = {
                fact.key: fact
                for other in found
                for fact in other.conflict.facts
                if fact.kind == "lock" and fact.key in fm_held.lit
            }
            tried: list[Change] = []
            # What the school as it is runs of the conflict's groups (all but one, at
            # least): a change recovers only what it runs beyond that.
            now = check_change(school, f.groups, held, f.keys, limit, others)
            now_places = sum(fm_held.size.get(g, 0) for g in now)
            candidates = candidate_changes(school, f.conflict.facts, locks.values())
            for k, (text, changed, steps) in enumerate(candidates[:MAX_TRIED]):
                # The first conflict's are always checked: on a loaded machine the check
                # of the school as it is alone took the whole budget, and planted #8 got
                # no change at all.
                if n > 0 and time.monotonic() > budget_end:
                    notes.append(
                        f"conflict {n + 1}: {k} of {min(len(candidates), MAX_TRIED)} "
                        f"changes were checked in the model ({CHANGES_BUDGET:.0f} s)"
                    )
                    break
                runs = check_change(changed, f.groups, held, f.keys, limit, others)
                places = sum(fm_held.size.get(g, 0) for g in runs) - now_places
                if len(runs) > len(now) and places > 0:
                    recovered = tuple(g for g in runs if g not in now) or runs
                    tried.append(
                        Change(
                            text,
                            changed,
                            recovered[: len(runs) - len(now)],
                            places,
                            scenario=steps,
                        )
                    )
            tried.sort(key=lambda c: (-c.places, -len(c.groups)))
            f.conflict.changes = _distinct(tried)[:MAX_CHANGES]
    conflicts = [f.conflict for f in found]
    for c in student_conflicts(school):
        conflicts.append(c)
        status = "conflicts"
    return Explanation(status, conflicts, len(groups), time.monotonic() - started, notes)


def _distinct(changes: list[Change]) -> list[Change]:
    """Changes in rank order, the second and later of a family (same first three words,
    e.g. "raise T1's maximum") after every family's best."""
    first: list[Change] = []
    rest: list[Change] = []
    seen: set[str] = set()
    for c in changes:
        family = " ".join(c.text.split()[:3])
        (rest if family in seen else first).append(c)
        seen.add(family)
    return first + rest


# ---- the changes solved for real --------------------------------------------------------

#: Changes solved per conflict (the model's best first); more while none recovered any.
SOLVE_PER_CONFLICT = 2
#: Solves of changed schools at most, all conflicts together.
SOLVE_MOST = 12
#: More solves of a change that recovered requests (and of the school as it is) when the
#: wall decided one of its solves: the claim is then the worst of the runs.
CONFIRM_RUNS = 1


def measured_requests(school: School, conflict: Conflict) -> tuple[set[str], set[str]]:
    """The requests a conflict's changes are measured on: (courses, students). A
    student's week: their core requests; else every request for the courses its facts,
    its groups and the groups its changes let run name."""
    students = {s for c in conflict.changes for s, _ in c.requests}
    if students:
        return set(), students
    course_of = {g.id: g.course for g in plan_groups(school)}
    courses = {c for f in conflict.facts for c in f.courses}
    groups = {g for f in conflict.facts for g in f.groups} | set(conflict.also)
    groups |= {g for c in conflict.changes for g in c.groups}
    courses |= {course_of[g] for g in groups if g in course_of}
    return courses, set()


def solve_changes(
    school: School,
    tables: Any,
    found: Explanation,
    opts: Any = None,
    per_conflict: int = SOLVE_PER_CONFLICT,
    most: int = SOLVE_MOST,
    progress: Callable[[str], None] | None = None,
    confirm: int = CONFIRM_RUNS,
) -> None:
    """Check the best changes of each conflict by solving the changed school for real, and
    make what those solves measured the claim (issue 15, done-when 3).

    ``tables``: the school's workbook as tables (``scheduler.scenarios.trial.
    workbook_tables``); ``opts``: a ``TrialOptions`` (time limit, seed, workers). The
    school as it is is solved once, then each change's scenario steps are applied to the
    tables, the changed workbook written and read back, and solved with the same options
    in reproducible mode, so that ``pathways solve CHANGED.xlsx --reproducible`` with them
    gives the same timetable. A change's claim is the conflict's requests
    (:func:`measured_requests`) the changed school's solve meets beyond the school as
    it is's.

    A solve the wall decided (a loaded machine) may not repeat: when a change recovered
    requests and a solve of it or of the school as it is was decided so, both are solved
    ``confirm`` more times (the school as it is once for all), and the claim is the worst:
    the fewest the changed school met of its runs against the most the school as it is
    met of its (:class:`Solved`; ``confirmed`` when the runs met the same).

    ``changes`` then holds those that recover some, confirmed first, most first;
    ``solved_without_gain`` those that recover none, ``not_solved`` the rest (beyond
    ``per_conflict`` solved when one recovered some, twice that when none did, ``most``
    in all), with their model's figures only.
    """
    import json
    import tempfile
    from pathlib import Path

    from scheduler.scenarios.trial import (
        TrialOptions,
        changed_school,
        measure,
        solve_reproducibly,
    )
    from scheduler.workbook.problems import InputError

    opts = opts or TrialOptions()
    say = progress or (lambda _msg: None)
    todo = [c for c in found.conflicts if c.changes]
    if not todo:
        return
    started = time.monotonic()
    say(f"solving the school as it is ({opts.command('SCHOOL')})")
    base: list[tuple[Any, float]] = []  # the school as it is's runs: (solution, seconds)
    # Each change's runs (school, solution, seconds), or the changed workbook's problems.
    runs: dict[str, list[tuple[School, Any, float]]] = {}
    errors: dict[str, str] = {}
    solves = 0

    def solve_base() -> None:
        t0 = time.monotonic()
        base.append((solve_reproducibly(school, opts), time.monotonic() - t0))

    def solved(change: Change, key: str, which: Callable[..., bool]) -> Solved:
        """The change's figures over every run of both sides so far: the worst."""
        before_runs = [measure(school, sol, which, secs) for sol, secs in base]
        if key in errors:
            b = max(before_runs, key=lambda m: m.met)
            return Solved(b.met, b.met, b.all_met, 0, error=errors[key])
        after_runs = [measure(sch, sol, which, secs) for sch, sol, secs in runs[key]]
        return worst_claim(before_runs, after_runs)

    solve_base()
    measured: list[tuple[Conflict, Callable[..., bool], list[tuple[Change, str]]]] = []
    with tempfile.TemporaryDirectory(prefix="pathways-explain-") as tmp:
        for n, conflict in enumerate(todo, start=1):
            courses, students = measured_requests(school, conflict)
            conflict.measured_courses = tuple(sorted(courses))
            conflict.measured_students = tuple(sorted(students))

            def which(o: Any, courses: set[str] = courses, students: set[str] = students) -> bool:
                if students:
                    return o.student in students and o.type == "core"
                return o.course in courses

            done: list[tuple[Change, str]] = []
            unsolved: list[Change] = []
            gained = False
            for change in conflict.changes:
                enough = len(done) >= per_conflict and (gained or len(done) >= 2 * per_conflict)
                key = json.dumps(change.scenario, sort_keys=True, default=str)
                known = key in runs or key in errors
                if (enough or solves >= most or not change.scenario) and not known:
                    unsolved.append(change)
                    continue
                if not known:
                    solves += 1
                    say(
                        f"conflict {n} of {len(todo)}: solving the school with "
                        f"{change.text} ({solves} of at most {most})"
                    )
                    t0 = time.monotonic()
                    try:
                        changed = changed_school(
                            tables, change.scenario, Path(tmp) / "changed.xlsx"
                        )
                    except InputError as exc:
                        errors[key] = "; ".join(str(p) for p in exc.problems[:3])
                    else:
                        solution = solve_reproducibly(changed, opts)
                        runs[key] = [(changed, solution, time.monotonic() - t0)]
                change.solved = solved(change, key, which)
                s = change.solved
                say(
                    f"   {change.text}: {s.recovered:+d} of the conflict's requests "
                    f"({s.met_before} -> {s.met_after}), all requests {s.all_before} -> "
                    f"{s.all_after}"
                )
                # A gain the wall decided is solved again, both sides, and the worst kept.
                while s.recovered > 0 and not s.repeatable and len(runs[key]) <= confirm:
                    if len(base) <= confirm:
                        say("   the wall decided a solve: solving the school as it is again")
                        solve_base()
                    say(f"   the wall decided a solve: solving with {change.text} again")
                    sch, _sol, _secs = runs[key][0]
                    t0 = time.monotonic()
                    runs[key].append((sch, solve_reproducibly(sch, opts), time.monotonic() - t0))
                    s = change.solved = solved(change, key, which)
                    say(f"   again: {s.recovered:+d} ({s.met_before} -> {s.met_after})")
                gained = gained or s.recovered > 0
                done.append((change, key))
            conflict.not_solved = unsolved
            measured.append((conflict, which, done))
    # Every claim over every run of the school as it is (it may have been solved again for
    # a later conflict's change).
    for conflict, which, done in measured:
        held: list[Change] = []
        gained_none: list[Change] = []
        for change, key in done:
            change.solved = solved(change, key, which)
            (held if change.solved.recovered > 0 else gained_none).append(change)
        held.sort(key=_by_solve)
        conflict.changes = held
        conflict.solved_without_gain = gained_none
    whole = measure(school, base[0][0], lambda _o: False, base[0][1])
    found.solving = {
        "time_limit": opts.time_limit,
        "seed": opts.seed,
        "workers": opts.workers,
        "reproducible": True,
        "command": opts.command(),
        "all_met_as_it_is": whole.all_met,
        "timetable_as_it_is": whole.timetable,
        "solves": len(base) + sum(len(r) for r in runs.values()),
        "confirm_runs": confirm,
        "seconds": round(time.monotonic() - started, 1),
    }
    if solves >= most:
        found.notes.append(
            f"{most} changed schools were solved (at most); the changes listed after them were not"
        )


def worst_claim(before: list[Measured], after: list[Measured]) -> Solved:
    """A change's figures from runs of the school as it is and of the changed school: the
    most the school as it is met of the conflict's requests, the fewest the changed
    school met (``Measured``s of ``scheduler.scenarios.trial``)."""
    b = max(before, key=lambda m: m.met)
    a = min(after, key=lambda m: m.met)
    was, now = dict(b.by_course), dict(a.by_course)
    return Solved(
        b.met,
        a.met,
        b.all_met,
        a.all_met,
        repeatable=not any(m.wall_decided for m in [*before, *after]),
        seconds=round(sum(m.seconds for m in after), 1),
        runs_before=len(before),
        runs_after=len(after),
        agreed=len({m.met for m in before}) == 1 and len({m.met for m in after}) == 1,
        by_course=tuple((c, was.get(c, 0), now.get(c, 0)) for c in sorted(was.keys() | now.keys())),
    )


def _by_solve(change: Change) -> tuple[bool, int, int]:
    """Confirmed claims first, then most of the conflict's requests recovered, then most
    requests overall."""
    assert change.solved is not None
    s = change.solved
    return (not s.confirmed, -s.recovered, s.all_before - s.all_after)


__all__ = [
    "Change",
    "Conflict",
    "Explanation",
    "Fact",
    "FactModel",
    "Solved",
    "explain_school",
    "minimise",
    "needed_groups",
    "solve_changes",
    "student_conflicts",
]


# ---- one student, one course, in a finished timetable ------------------------------------


@dataclass
class StudentWhy:
    """Why a student did not get a course in a finished timetable, and what would fit."""

    student: str
    course: str
    met: bool
    reasons: list[str]  # one per group of the course (or why none runs)
    alternative: str | None  # a choice of groups that fits the timetable as it is
    needed: bool = True  # False: an alternate the student did not need

    def as_dict(self) -> dict[str, Any]:
        return {
            "student": self.student,
            "course": self.course,
            "met": self.met,
            "reasons": self.reasons,
            "alternative": self.alternative,
            "needed": self.needed,
        }


def why_student(
    school: School, solution: Any, student: str, course: str | None = None
) -> list[StudentWhy]:
    """For each request of ``student`` that the timetable does not meet (or only
    ``course``): every group of the course and what keeps the student out of it (full,
    clashes with which of their groups, home day, tutor time, unavailable), and where one
    exists, another choice of groups that fits the timetable as it is."""
    from scheduler.score import placements, running_groups, tutor_time

    st = school.student_by_id[student]
    groups = running_groups(solution)
    by_id = {g.id: g for g in groups}
    mine = {c: ids[0] for c, ids in placements(solution).get(student, {}).items() if ids}
    tutor = tutor_time(school, solution, st)
    home = school.home_slots(st)
    requests = [
        r for r in school.student_requests.get(student, ()) if course is None or r.course == course
    ]
    out = []
    for r in requests:
        met = r.course in mine
        if met and course is None:
            continue
        c = school.course_by_id.get(r.course)
        if c is None:
            continue
        if (
            r.type is RequestType.ALTERNATE
            and not met
            and _options_full(school, solution, mine, student)
        ):
            if course is not None:
                out.append(
                    StudentWhy(
                        student,
                        r.course,
                        False,
                        [f"{r.course} is an alternate, not needed: {student} has their options"],
                        None,
                        needed=False,
                    )
                )
            continue
        if met:
            out.append(
                StudentWhy(student, r.course, True, [f"{student} is in {mine[r.course]}"], None)
            )
            continue
        reasons = []
        of_course = [g for g in groups if g.course == r.course]
        if not of_course:
            outcome = next(
                (o for o in solution.outcomes if o.student == student and o.course == r.course),
                None,
            )
            said = f": {outcome.reason}" if outcome is not None and outcome.reason else ""
            reasons.append(f"no group of {c.label} runs in this timetable{said}")
        for g in of_course:
            reasons.append(
                f"{g.id}: " + "; ".join(_kept_out(school, st, g, by_id, mine, tutor, home))
            )
        alternative = _alternative(school, st, r.course, groups, by_id, mine, tutor, home)
        out.append(StudentWhy(student, r.course, False, reasons, alternative))
    return out


def _options_full(school: School, solution: Any, mine: dict[str, str], student: str) -> bool:
    """Whether the student has as many options (and alternates) as they asked for."""
    taken = sum(
        1
        for r in school.student_requests.get(student, ())
        if r.type is not RequestType.CORE and r.course in mine
    )
    return taken >= school.option_quota(student)


def _blocked(
    school: School, st: Any, g: Any, tutor: frozenset[int], home: frozenset[int]
) -> list[str]:
    course = school.course_by_id[g.course]
    out = []
    if not course.online and home & g.slots:
        out.append(f"meets on their home day ({slot_names(school, home & g.slots)})")
    if tutor & g.slots:
        out.append(f"meets in their tutor time ({slot_names(school, tutor & g.slots)})")
    if st.unavailable & g.slots:
        out.append(
            f"meets when they are unavailable ({slot_names(school, st.unavailable & g.slots)})"
        )
    return out


def _kept_out(school, st, g, by_id, mine, tutor, home) -> list[str]:
    course = school.course_by_id[g.course]
    out = []
    if len(g.students) >= course.max_size:
        out.append(f"full ({len(g.students)} of {course.max_size})")
    for other_course, gid in sorted(mine.items()):
        other = by_id.get(gid)
        if other is not None and other.course != g.course and other.slots & g.slots:
            out.append(f"clashes with their {gid} at {slot_names(school, other.slots & g.slots)}")
    out.extend(_blocked(school, st, g, tutor, home))
    return out or [
        "nothing in the timetable keeps them out (the solve left the request for others)"
    ]


def _alternative(school, st, wanted, groups, by_id, mine, tutor, home) -> str | None:
    """A choice of groups giving ``wanted`` while keeping as many of the student's groups
    (core first) as the timetable allows; None when no such choice exists."""
    types = {r.course: r.type for r in school.student_requests.get(st.id, ())}

    def fits(g) -> bool:
        course = school.course_by_id[g.course]
        full = len(g.students) >= course.max_size and st.id not in g.students
        return not full and not _blocked(school, st, g, tutor, home)

    options = {c: [g for g in groups if g.course == c and fits(g)] for c in [wanted, *sorted(mine)]}
    for c, choices in options.items():  # the student's own group first
        options[c] = [g for g in choices if g.id == mine.get(c)] + [
            g for g in choices if g.id != mine.get(c)
        ]
    keep = sorted(mine, key=lambda c: (types.get(c) is not RequestType.CORE, c))
    best: list[Any] = [None]
    nodes = [0]

    def score(chosen: dict[str, Any]) -> tuple[int, int, int]:
        core = sum(1 for c in chosen if c != wanted and types.get(c) is RequestType.CORE)
        kept = sum(1 for c in chosen if c != wanted)
        moved = sum(1 for c, g in chosen.items() if c != wanted and g.id != mine.get(c))
        return (core, kept, -moved)

    def search(i: int, chosen: dict[str, Any], used: frozenset[int]) -> None:
        nodes[0] += 1
        if nodes[0] > 20_000:
            return
        if i == len(keep):
            if best[0] is None or score(chosen) > score(best[0]):
                best[0] = dict(chosen)
            return
        c = keep[i]
        for g in options.get(c, []):
            if not (g.slots & used):
                chosen[c] = g
                search(i + 1, chosen, used | g.slots)
                del chosen[c]
        search(i + 1, chosen, used)

    for g in options[wanted]:
        search(0, {wanted: g}, frozenset(g.slots))
    if best[0] is None:
        return None
    chosen = best[0]
    parts = [f"{wanted} in {chosen[wanted].id}"]
    for c in keep:
        if c not in chosen:
            kind = types.get(c)
            parts.append(f"without {c} ({kind.value if kind is not None else 'request'})")
        elif chosen[c].id != mine[c]:
            parts.append(f"{c} in {chosen[c].id} instead of {mine[c]}")
    return ", ".join(parts)


__all__ += ["StudentWhy", "why_student"]
