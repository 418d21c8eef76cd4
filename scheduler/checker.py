"""The independent checker: every rule of the workbook contract, verified on a Solution.

The checker knows nothing of the solver. It takes a :class:`~scheduler.model.School`
and a :class:`~scheduler.solution.Solution` (made by the solver, or read back from the
written files by :mod:`scheduler.outputs.read`) and reports every broken rule in a
timetabler's words. Its report also carries the headline figures and the objective
recomputed term by term (``docs/objective.md``), counted by :mod:`scheduler.score`, the
figures library ``summary.json`` is written with, so the figures a solve writes and the
figures a check reports can never disagree by accident.

Each rule is one small function registered with :func:`rule`; a new rule is one new
function. A rule yields messages (or :class:`Violation` objects when it needs to set
its own rule name or hardness). Only groups that run (one student or more) are
checked: an empty group is not taught, so it occupies no room, staff or slot.

This module must never import OR-Tools, ``constraints/`` or ``scheduler.solver.engine``
(a test reads its imports to make sure).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations, pairwise
from typing import Any

from rich.console import Console
from rich.table import Table

from scheduler.model import (
    SITE_CHANGE_KINDS,
    STUDENT_PERIODS_DAY_KINDS,
    Course,
    RequestType,
    Room,
    School,
    Slot,
    Student,
    TimeRule,
    TutorGroup,
    hhmm,
    lesson_order,
)
from scheduler.score import (
    Figures,
    choice_order,
    expected_outcomes,
    figures,
    is_met,
    objective_terms,
    placements,
    running_groups,
    tutor_time,
)
from scheduler.solution import Group, Lesson, RequestOutcome, RequestStatus, Solution

log = logging.getLogger(__name__)

# figures, running_groups and tutor_time are scheduler.score's, named here because
# scheduler/scenarios/metrics.py still imports them from the checker.
__all__ = [
    "RULES",
    "CheckReport",
    "CheckRule",
    "Violation",
    "check_solution",
    "render_report",
    "rule",
    "rule_violations",
]

# --------------------------------------------------------------------------------------
# Report types
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule, in words. ``hard`` = the timetable cannot be used as it is."""

    rule: str
    message: str
    hard: bool = True
    #: A soft Rules row's cost: its weight per unit broken (docs/objective.md, soft_rules).
    cost: int = 0

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, "message": self.message, "hard": self.hard}
        if self.cost:
            out["cost"] = self.cost
        return out


@dataclass
class CheckReport:
    """What :func:`check_solution` found."""

    violations: list[Violation]
    figures: Figures
    objective_terms: dict[str, float]  # recomputed per docs/objective.md
    objective: float  # sum of objective_terms
    written_objective: float | None = None  # what the solution claims
    written_terms: dict[str, float] = field(default_factory=dict)
    rules: tuple[str, ...] = ()  # names of the rules checked

    @property
    def hard_violations(self) -> list[Violation]:
        return [v for v in self.violations if v.hard]

    @property
    def soft_violations(self) -> list[Violation]:
        return [v for v in self.violations if not v.hard]

    @property
    def ok(self) -> bool:
        """True when no hard rule is broken."""
        return not self.hard_violations

    def by_rule(self) -> dict[str, list[Violation]]:
        out: dict[str, list[Violation]] = {}
        for v in self.violations:
            out.setdefault(v.rule, []).append(v)
        return out

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the report (``pathways check --json``)."""
        return {
            "ok": self.ok,
            "hard_violations": len(self.hard_violations),
            "soft_violations": len(self.soft_violations),
            "violations": [v.as_dict() for v in self.violations],
            "figures": self.figures.as_dict(),
            "objective": self.objective,
            "objective_terms": dict(self.objective_terms),
            "written_objective": self.written_objective,
            "written_objective_terms": dict(self.written_terms),
            "rules": list(self.rules),
        }


# --------------------------------------------------------------------------------------
# Rule registry
# --------------------------------------------------------------------------------------

RuleOutput = Iterator["str | Violation"]


@dataclass(frozen=True)
class CheckRule:
    """One rule: a name (used in reports and tests), what it means, and its check."""

    name: str
    description: str
    hard: bool
    check: Callable[[_Ctx], RuleOutput]


RULES: list[CheckRule] = []


def rule(
    name: str, description: str, hard: bool = True
) -> Callable[[Callable[[_Ctx], RuleOutput]], Callable[[_Ctx], RuleOutput]]:
    """Register a rule function; it yields one message per violation."""

    def register(fn: Callable[[_Ctx], RuleOutput]) -> Callable[[_Ctx], RuleOutput]:
        RULES.append(CheckRule(name, description, hard, fn))
        return fn

    return register


@dataclass
class _Ctx:
    """The school and solution with the indices the rules share."""

    school: School
    solution: Solution

    @cached_property
    def groups(self) -> tuple[Group, ...]:
        return running_groups(self.solution)

    def course(self, g: Group) -> Course | None:
        return self.school.course_by_id.get(g.course)

    def known(self) -> Iterator[tuple[Group, Course]]:
        """Groups whose course exists, with it (unknown courses are the references rule's)."""
        for g in self.groups:
            course = self.course(g)
            if course is not None:
                yield g, course

    def slot(self, i: int) -> Slot | None:
        slots = self.school.calendar.slots
        return slots[i] if 0 <= i < len(slots) else None

    def in_calendar(self, i: int) -> Slot:
        """The slot at ``i``, known to be in the Calendar (one of ``lesson_slots``, a
        home-learning or tutor-time slot): ``slot(i)`` without the None."""
        s = self.slot(i)
        if s is None:
            raise IndexError(f"slot {i} is not in the Calendar")
        return s

    def at(self, i: int) -> str:
        s = self.slot(i)
        return s.label if s is not None else f"slot {i}"

    def lesson_slots(self, lesson: Lesson) -> list[int]:
        """The lesson's slots that exist in the Calendar, in order."""
        return sorted(i for i in lesson.slots if self.slot(i) is not None)

    def lessons_at(self, lesson: Lesson) -> str:
        slots = self.lesson_slots(lesson)
        return self.school.calendar.run_label(slots) if slots else "no slot"

    @cached_property
    def tutor_group_of(self) -> dict[str, TutorGroup]:
        """student -> their (known) tutor group."""
        by_id = self.school.tutor_group_by_id
        return {s: by_id[t] for s, t in self.solution.tutor_of.items() if t in by_id}

    @cached_property
    def tutored_by(self) -> dict[str, list[TutorGroup]]:
        out: dict[str, list[TutorGroup]] = defaultdict(list)
        for tg in self.school.tutor_groups:
            out[tg.tutor].append(tg)
        return out

    @cached_property
    def placed(self) -> dict[str, dict[str, list[str]]]:
        return placements(self.solution)

    @cached_property
    def student_slots(self) -> dict[str, dict[int, list[str]]]:
        """student -> slot -> ids of the groups they attend then."""
        out: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
        for g in self.groups:
            for i in sorted(g.slots):
                for s in g.students:
                    out[s][i].append(g.id)
        return out

    @cached_property
    def staff_slots(self) -> dict[str, dict[int, list[str]]]:
        """staff -> slot -> ids of the groups they teach then."""
        out: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
        for g in self.groups:
            for i in sorted(g.slots):
                for t in dict.fromkeys(g.staff):
                    out[t][i].append(g.id)
        return out

    @cached_property
    def room_slots(self) -> dict[str, dict[int, list[Group]]]:
        """room -> slot -> the groups having a lesson there then."""
        out: dict[str, dict[int, list[Group]]] = defaultdict(lambda: defaultdict(list))
        for g in self.groups:
            for lesson in g.lessons:
                if lesson.room is not None:
                    for i in self.lesson_slots(lesson):
                        out[lesson.room][i].append(g)
        return out

    def known_room_slots(self) -> list[tuple[Room, dict[int, list[Group]]]]:
        """(room, slot -> its groups then) for every room of the school that holds a
        lesson (a room the school does not list is the room rules' matter)."""
        out = []
        for room_id, by_slot in self.room_slots.items():
            room = self.school.room_by_id.get(room_id)
            if room is not None:
                out.append((room, by_slot))
        return out


def _names(ids: Iterable[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    ids = list(ids)
    if len(ids) <= 1:
        return ids[0] if ids else "none"
    return ", ".join(ids[:-1]) + " and " + ids[-1]


# --------------------------------------------------------------------------------------
# Rules: references
# --------------------------------------------------------------------------------------


@rule("references", "every course, student, room, staff, slot and tutor group named exists")
def _references(c: _Ctx) -> RuleOutput:
    sch = c.school
    for gid, n in Counter(g.id for g in c.solution.groups).items():
        if n > 1:
            yield f"Group id {gid} is used by {n} groups; group ids must be unique"
    for g in c.groups:
        if g.course not in sch.course_by_id:
            yield f"Group {g.id} is of course {g.course}, which is not in the Courses sheet"
        for s in sorted(g.students - sch.student_by_id.keys()):
            yield f"Group {g.id} has student {s}, who is not in the Students sheet"
        for t in g.staff:
            if t not in sch.staff_by_id:
                yield f"Group {g.id} is taught by {t}, who is not in the Staff sheet"
        for lesson in g.lessons:
            if lesson.room is not None and lesson.room not in sch.room_by_id:
                yield f"Group {g.id} has a lesson in room {lesson.room}, which is not in the Rooms sheet"
            for i in lesson.slots:
                if c.slot(i) is None:
                    yield f"Group {g.id} has a lesson at slot {i}, which is not in the Calendar"
    for s, t in sorted(c.solution.tutor_of.items()):
        if s not in sch.student_by_id:
            yield f"Tutor group {t} lists student {s}, who is not in the Students sheet"
        if t not in sch.tutor_group_by_id:
            yield f"Student {s} is in tutor group {t}, which is not in the TutorGroups sheet"


# --------------------------------------------------------------------------------------
# Rules: groups and lessons
# --------------------------------------------------------------------------------------


@rule("group_size", "every group that runs has between min_size and max_size students")
def _group_size(c: _Ctx) -> RuleOutput:
    for g, course in c.known():
        if g.size < course.min_size:
            yield (
                f"Group {g.id} has {g.size} student(s); {course.label} needs at least "
                f"{course.min_size}"
            )
        if g.size > course.max_size:
            yield (
                f"Group {g.id} has {g.size} students; {course.label} takes at most "
                f"{course.max_size}"
            )


@rule("sections", "a course with a fixed sections count runs exactly that many groups")
def _sections(c: _Ctx) -> RuleOutput:
    counts = Counter(g.course for g in c.groups)
    for course in c.school.courses:
        if course.sections is not None and counts[course.id] != course.sections:
            yield (
                f"{course.label} runs {counts[course.id]} group(s); the Courses sheet fixes "
                f"{course.sections}"
            )


@rule(
    "lesson_shape", "each lesson is consecutive periods of one day; a group's lessons never overlap"
)
def _lesson_shape(c: _Ctx) -> RuleOutput:
    for g in c.groups:
        seen: Counter[int] = Counter()
        for lesson in g.lessons:
            slots = c.lesson_slots(lesson)
            seen.update(slots)
            if not lesson.slots:
                yield f"Group {g.id} has a lesson with no slot"
                continue
            if not slots:
                continue  # none of its slots exist: reported by `references`
            days = {c.in_calendar(i).day for i in slots}
            positions = [c.in_calendar(i).position for i in slots]
            if len(days) > 1:
                yield (
                    f"Group {g.id} has a lesson spread over {_names(sorted(days))} "
                    f"({', '.join(c.at(i) for i in slots)}); a lesson is on one day"
                )
            elif positions != list(range(positions[0], positions[0] + len(positions))):
                yield (
                    f"Group {g.id} has a lesson on {', '.join(c.at(i) for i in slots)}: "
                    "its periods are not consecutive"
                )
        for i, n in sorted(seen.items()):
            if n > 1:
                yield f"Group {g.id} has {n} of its lessons at {c.at(i)}"


@rule("lesson_lengths", "a group's lessons have exactly the course's lesson lengths")
def _lesson_lengths(c: _Ctx) -> RuleOutput:
    for g, course in c.known():
        got = sorted(len(lesson.slots) for lesson in g.lessons)
        want = sorted(course.lessons)
        if got != want:
            shown = ", ".join(map(str, got)) or "none"
            yield (
                f"Group {g.id} has lessons of {shown} period(s); {course.label} has "
                f"{', '.join(map(str, want))}"
            )


@rule("lesson_days", "a group's lessons fall on different days (unless more lessons than days)")
def _lesson_days(c: _Ctx) -> RuleOutput:
    num_days = c.school.calendar.num_days
    for g, course in c.known():
        if len(course.lessons) > num_days:
            continue
        by_day: dict[str, list[str]] = defaultdict(list)
        for lesson in g.lessons:
            slots = c.lesson_slots(lesson)
            if slots:
                by_day[c.in_calendar(slots[0]).day].append(c.lessons_at(lesson))
        for day, at in by_day.items():
            if len(at) > 1:
                yield f"Group {g.id} has {len(at)} lessons on {day} ({', '.join(at)})"


# --------------------------------------------------------------------------------------
# Rules: rooms
# --------------------------------------------------------------------------------------


@rule("room_mode", "online courses have no room; school courses have a room for every lesson")
def _room_mode(c: _Ctx) -> RuleOutput:
    for g, course in c.known():
        for lesson in g.lessons:
            if course.online and lesson.room is not None:
                yield (
                    f"Group {g.id} of online course {course.label} has a room ({lesson.room}) "
                    f"at {c.lessons_at(lesson)}"
                )
            elif not course.online and lesson.room is None:
                yield f"Group {g.id} has no room at {c.lessons_at(lesson)}"


@rule("room_type", "every lesson's room has the course's room type")
def _room_type(c: _Ctx) -> RuleOutput:
    for g, course in c.known():
        if course.room_type is None:
            continue
        need = course.room_type.casefold()
        for lesson in g.lessons:
            room = c.school.room_by_id.get(lesson.room or "")
            if room is not None and need not in {t.casefold() for t in room.types}:
                yield (
                    f"Group {g.id} is in room {room.id} at {c.lessons_at(lesson)}, which is not "
                    f"a {course.room_type} room"
                )


@rule("room_unavailable", "no lesson in a room when the room is unavailable")
def _room_unavailable(c: _Ctx) -> RuleOutput:
    for room, by_slot in c.known_room_slots():
        for i in sorted(by_slot.keys() & room.unavailable):
            yield (
                f"Room {room.id} is unavailable at {c.at(i)} but holds "
                f"{_names([g.id for g in by_slot[i]])}"
            )


@rule("room_capacity", "the students in a room at once fit its capacity (shared by all its groups)")
def _room_capacity(c: _Ctx) -> RuleOutput:
    for room, by_slot in c.known_room_slots():
        for i in sorted(by_slot):
            groups = by_slot[i]
            total = sum(g.size for g in groups)
            if total > room.capacity:
                shared = ", shared" if len(groups) > 1 else ""
                yield (
                    f"Room {room.id} holds {total} students in {_names([g.id for g in groups])} "
                    f"at {c.at(i)} (capacity {room.capacity}{shared})"
                )


@rule("room_sharing", "no more groups in a room at once than its max_groups")
def _room_sharing(c: _Ctx) -> RuleOutput:
    for room, by_slot in c.known_room_slots():
        for i in sorted(by_slot):
            groups = by_slot[i]
            if len(groups) > room.max_groups:
                yield (
                    f"Room {room.id} has {len(groups)} groups at {c.at(i)} "
                    f"({_names([g.id for g in groups])}); it takes {room.max_groups}"
                )


@rule("tutor_room", "a tutor group's room holds no lesson while the group meets there", hard=False)
def _tutor_room(c: _Ctx) -> RuleOutput:
    # The workbook does not say this in so many words, so it is reported, not failed.
    for tg in c.school.tutor_groups:
        if tg.room is None:
            continue
        by_slot = c.room_slots.get(tg.room, {})
        for i in sorted(tg.meets & by_slot.keys()):
            yield (
                f"Room {tg.room} holds {_names([g.id for g in by_slot[i]])} at {c.at(i)}, "
                f"when tutor group {tg.id} meets there"
            )


# --------------------------------------------------------------------------------------
# Rules: staff
# --------------------------------------------------------------------------------------


@rule("locks", "every lock of the Locks sheet holds: a group's slots, room, staff and students")
def _locks(c: _Ctx) -> RuleOutput:
    by_id = {g.id: g for g in c.groups}
    for lock in c.school.locks:
        if lock.course not in c.school.course_by_id:
            continue  # the workbook's validation reports it
        g = by_id.get(lock.group_id)
        where = f"{lock.where} locks {lock.group_id}"
        if g is None:
            if lock.slots or lock.student is not None:
                yield f"{where}, which does not run"
            continue
        if lock.slots and g.slots != lock.slots:
            got = _names([c.at(i) for i in sorted(g.slots)])
            want = _names([c.at(i) for i in sorted(lock.slots)])
            yield f"{where} to {want}, but it meets at {got}"
        if lock.room is not None:
            moved = [c.lessons_at(lesson) for lesson in g.lessons if lesson.room != lock.room]
            if moved:
                yield f"{where} to room {lock.room}, but its lessons at {_names(moved)} are elsewhere"
        if lock.staff and set(g.staff) != set(lock.staff):
            yield (
                f"{where} to {_names(sorted(lock.staff))}, "
                f"but it is taught by {_names(sorted(g.staff))}"
            )
        if lock.student is not None and lock.student not in g.students:
            yield f"{where} for {lock.student}, who is not in it"


@rule("staff_count", "each group has exactly the course's staff_per_group staff")
def _staff_count(c: _Ctx) -> RuleOutput:
    for g, course in c.known():
        if len(g.staff) != len(set(g.staff)):
            yield f"Group {g.id} lists the same staff more than once ({';'.join(g.staff)})"
        n = len(set(g.staff))
        if n != course.staff_per_group:
            yield (
                f"Group {g.id} has {n} staff ({';'.join(g.staff) or 'none'}); "
                f"{course.label} needs {course.staff_per_group}"
            )


@rule("staff_eligible", "staff teach only courses they are qualified for (or are listed for)")
def _staff_eligible(c: _Ctx) -> RuleOutput:
    for g, course in c.known():
        eligible = set(c.school.eligible_staff(course))
        for t in g.staff:
            if t in c.school.staff_by_id and t not in eligible:
                why = (
                    "is not in its staff list"
                    if course.staff
                    else "is not qualified for that subject and stage"
                )
                yield f"{t} teaches group {g.id} but {why} ({course.label})"


@rule("staff_unavailable", "no lesson for staff when they are unavailable")
def _staff_unavailable(c: _Ctx) -> RuleOutput:
    for t, by_slot in c.staff_slots.items():
        person = c.school.staff_by_id.get(t)
        if person is None:
            continue
        for i in sorted(by_slot.keys() & person.unavailable):
            yield f"{t} teaches {_names(by_slot[i])} at {c.at(i)} but is unavailable then"


@rule("staff_max_periods", "staff teach at most max_periods periods (lessons only)")
def _staff_max_periods(c: _Ctx) -> RuleOutput:
    for t, by_slot in c.staff_slots.items():
        person = c.school.staff_by_id.get(t)
        if person is None or person.max_periods is None:
            continue
        taught = sum(len(gids) for gids in by_slot.values())
        if taught > person.max_periods:
            yield f"{t} teaches {taught} periods; their max_periods is {person.max_periods}"


@rule("staff_clash", "staff are in one place at a time (lessons and the tutor groups they tutor)")
def _staff_clash(c: _Ctx) -> RuleOutput:
    for t in sorted(c.staff_slots.keys() | c.tutored_by.keys()):
        teaching = c.staff_slots.get(t, {})
        for i in sorted(teaching):
            if len(teaching[i]) > 1:
                yield f"{t} teaches {_names(teaching[i])} at {c.at(i)}"
        meets: dict[int, list[str]] = defaultdict(list)
        for tg in c.tutored_by.get(t, []):
            for i in tg.meets:
                meets[i].append(tg.id)
        for i in sorted(meets):
            if len(meets[i]) > 1:
                yield f"{t} tutors {_names(meets[i])}, which all meet at {c.at(i)}"
            if i in teaching:
                yield (
                    f"{t} teaches {_names(teaching[i])} at {c.at(i)}, when their tutor group "
                    f"{_names(meets[i])} meets"
                )


# --------------------------------------------------------------------------------------
# Rules: students
# --------------------------------------------------------------------------------------


@rule(
    "student_clash", "students are in one place at a time (lessons and their tutor group's meets)"
)
def _student_clash(c: _Ctx) -> RuleOutput:
    for s in sorted(c.student_slots):
        by_slot = c.student_slots[s]
        for i in sorted(by_slot):
            if len(by_slot[i]) > 1:
                yield f"Student {s} has {_names(by_slot[i])} at {c.at(i)}"
        tg = c.tutor_group_of.get(s)
        if tg is None:
            continue
        # "meets slots hold no lessons for its students", except on a student's home days,
        # when they have no tutor time (rule 6) and may take an online lesson then.
        for i in sorted(
            tutor_time(c.school, c.solution, c.school.student_by_id[s]) & by_slot.keys()
        ):
            yield (
                f"Student {s} has {_names(by_slot[i])} at {c.at(i)}, when their tutor group "
                f"{tg.id} meets"
            )


@rule("years", "students take only courses open to their year")
def _years(c: _Ctx) -> RuleOutput:
    for g, course in c.known():
        if course.years is None:
            continue
        for s in sorted(g.students):
            st = c.school.student_by_id.get(s)
            if st is not None and not course.open_to(st.year):
                allowed = ", ".join(map(str, sorted(course.years)))
                yield (
                    f"Student {s} (year {st.year}) is in group {g.id}; {course.label} is for "
                    f"year(s) {allowed}"
                )


@rule("home_days", "no school lessons on a student's home-learning days")
def _home_days(c: _Ctx) -> RuleOutput:
    for g, course in c.known():
        if course.online:
            continue
        for s in sorted(g.students):
            st = c.school.student_by_id.get(s)
            if st is None or not st.home_days:
                continue
            for i in sorted(g.slots & c.school.home_slots(st)):
                yield (
                    f"Student {s} has {g.id} at {c.at(i)}, on their home-learning day "
                    f"{c.in_calendar(i).day}"
                )


@rule("student_unavailable", "no lesson when a student is unavailable (Students.unavailable)")
def _student_unavailable(c: _Ctx) -> RuleOutput:
    for g, _course in c.known():
        for s in sorted(g.students):
            st = c.school.student_by_id.get(s)
            if st is None or not st.unavailable:
                continue
            for i in sorted(g.slots & st.unavailable):
                yield f"Student {s} has {g.id} at {c.at(i)}, when they are unavailable"


# --------------------------------------------------------------------------------------
# Rules: the Rules sheet (added by the project; docs/workbook.md, "Rules")
# --------------------------------------------------------------------------------------

RuleLesson = tuple[Group, int, Lesson]  # a group, the course's lesson index, its lesson


def _rule_lessons(c: _Ctx, rule: TimeRule) -> list[list[RuleLesson]]:
    """A Rules row's lessons among the groups that run, set by set: the k-th lesson of a
    length is the group's k-th lesson of that length in time order (LessonRef)."""
    groups: dict[str, list[tuple[str, int]]] = defaultdict(list)
    by_id: dict[str, Group] = {}
    for g, _course in c.known():
        groups[g.course].append((g.id, g.number))
        by_id[g.id] = g
    out: list[list[RuleLesson]] = []
    for refs in rule.lesson_sets(groups):
        found: dict[tuple[str, int], RuleLesson] = {}
        for gid, li in refs:
            g = by_id[gid]
            lengths = c.school.course_by_id[g.course].lessons
            timed = [(n, lesson) for lesson in g.lessons if (n := c.lesson_slots(lesson))]
            order = lesson_order(lengths, [(len(n), n[0]) for n, _ in timed])
            for k in range(len(lengths)) if li is None else [li]:
                if k in order:
                    found[(gid, k)] = (g, k, timed[order[k]][1])
        if rule.by_lesson_number:
            numbers = sorted({k for _, k in found})
            out.extend([x for (_, k), x in found.items() if k == n] for n in numbers)
        elif found:
            out.append(list(found.values()))
    return out


def _rule_says(rule: TimeRule, message: str, units: int = 1) -> Violation:
    """A Rules row's violation: hard, or soft for a row with a weight, costing the weight
    per unit broken (a pair of lessons, a lesson, a day, a period or a gap too many)."""
    how = "" if rule.hard else f" (soft, weight {rule.weight})"
    return Violation(
        RULE_NAMES[rule.kind],
        f"{rule.where}: {message}{how}",
        rule.hard,
        0 if rule.hard else (rule.weight or 0) * units,
    )


def _lesson_name(c: _Ctx, x: RuleLesson) -> str:
    g, k, lesson = x
    return f"{g.id} lesson {k + 1} at {c.lessons_at(lesson)}"


def _rule_pairs(c: _Ctx, kind: str) -> Iterator[tuple[TimeRule, RuleLesson, RuleLesson]]:
    """Every two lessons of one set of each Rules row of a kind, with the row."""
    for r in c.school.rules_of(kind):
        for lessons in _rule_lessons(c, r):
            for a, b in combinations(lessons, 2):
                yield r, a, b


def _same_day_pairs(c: _Ctx, kind: str) -> Iterator[tuple[TimeRule, RuleLesson, RuleLesson, int]]:
    """Every two lessons of :func:`_rule_pairs` that fall on one day, with the periods
    between them (0: one right after the other; below 0: they overlap)."""
    slots = c.school.calendar.slots
    for r, a, b in _rule_pairs(c, kind):
        sa, sb = c.lesson_slots(a[2]), c.lesson_slots(b[2])
        if sa and sb and slots[sa[0]].day == slots[sb[0]].day:
            yield r, a, b, max(sb[0] - sa[-1], sa[0] - sb[-1]) - 1


def _days_apart(c: _Ctx, kind: str, most: bool) -> RuleOutput:
    """Two lessons of a min_days_apart (``most`` False) or max_days_apart row: the days
    between the days they start on, at least or at most the row's value."""
    slots = c.school.calendar.slots
    for r, a, b in _rule_pairs(c, kind):
        da = slots[c.lesson_slots(a[2])[0]].day_index
        db = slots[c.lesson_slots(b[2])[0]].day_index
        apart, bound = abs(da - db), r.value or 0
        if apart > bound if most else apart < bound:
            yield _rule_says(
                r,
                f"{_lesson_name(c, a)} and {_lesson_name(c, b)} are "
                f"{apart} day(s) apart; at {'most' if most else 'least'} {r.value} expected",
            )


@rule("min_days_apart", "lessons of a Rules min_days_apart row are at least that many days apart")
def _min_days_apart(c: _Ctx) -> RuleOutput:
    yield from _days_apart(c, "min_days_apart", most=False)
    # consecutive_if_same_day: two of a soft row's lessons on one day are one right after
    # the other, a hard rule whatever the row's weight (a hard row's lessons never share
    # a day, which the line above reports).
    for r, a, b, between in _same_day_pairs(c, "min_days_apart"):
        if not r.consecutive_if_same_day or r.hard or between == 0:
            continue
        day = c.in_calendar(c.lesson_slots(a[2])[0]).day
        how = "overlap" if between < 0 else f"have {between} period(s) between them"
        yield Violation(
            RULE_NAMES[r.kind],
            f"{r.where}: {_lesson_name(c, a)} and {_lesson_name(c, b)} are both on {day} "
            f"and {how}; on one day they must be one right after the other "
            "(consecutive_if_same_day)",
            True,
            0,
        )


@rule("lesson_times", "lessons of Rules start_at / within rows are only at the row's slots")
def _lesson_times(c: _Ctx) -> RuleOutput:
    for r in c.school.rules_of("start_at", "within"):
        for lessons in _rule_lessons(c, r):
            for x in lessons:
                slots = c.lesson_slots(x[2])
                if r.kind == "start_at" and slots[0] not in r.slots:
                    yield _rule_says(r, f"{_lesson_name(c, x)} starts at none of its slots")
                elif r.kind == "within" and not r.slots.issuperset(slots):
                    outside = _names([c.at(i) for i in slots if i not in r.slots])
                    yield _rule_says(r, f"{_lesson_name(c, x)} is at {outside}, outside its slots")


@rule("same_start", "lessons of a Rules same_start row start at the same slot")
def _same_start(c: _Ctx) -> RuleOutput:
    for r in c.school.rules_of("same_start"):
        for first, *others in _rule_lessons(c, r):
            start = c.lesson_slots(first[2])[0]
            for x in others:
                if c.lesson_slots(x[2])[0] != start:
                    yield _rule_says(
                        r, f"{_lesson_name(c, x)} does not start with {_lesson_name(c, first)}"
                    )


@rule("staff_max_days", "staff of a Rules staff_max_days row teach on at most that many days")
def _staff_max_days(c: _Ctx) -> RuleOutput:
    for r in c.school.rules_of("staff_max_days"):
        for p in c.school.rule_staff(r):
            days = {c.school.calendar.slots[i].day for i in c.staff_slots.get(p, {})}
            if len(days) > (r.value or 0):
                yield _rule_says(
                    r,
                    f"{p} teaches on {len(days)} days; at most {r.value} expected",
                    len(days) - (r.value or 0),
                )


def _day_gaps(c: _Ctx, taken: set[int], away: frozenset[int]) -> dict[str, int]:
    """Day -> the gaps that day of someone busy at ``taken``: periods not ``away`` that
    are not taken, between two that are (days with nothing taken are left out)."""
    out = {}
    for day, slots in c.school.calendar.day_slots.items():
        free = [t in taken for t in slots if t not in away]
        if True in free:
            lo, hi = free.index(True), len(free) - 1 - free[::-1].index(True)
            out[day] = free[lo : hi + 1].count(False)
    return out


def _staff_day_gaps(c: _Ctx, p: str) -> dict[str, int]:
    """Day -> the person's gaps that day: periods free to teach (not unavailable) with no
    lesson or tutor time, between two that have one."""
    person = c.school.staff_by_id.get(p)
    away = person.unavailable if person is not None else frozenset()
    taken = set(c.staff_slots.get(p, {}))
    for tg in c.tutored_by.get(p, []):
        taken.update(tg.meets)
    return _day_gaps(c, taken, away)


@rule("staff_gaps", "staff of Rules staff_max_gaps rows have at most that many gaps")
def _staff_gaps(c: _Ctx) -> RuleOutput:
    for r in c.school.rules_of("staff_max_gaps_week", "staff_max_gaps_day"):
        for p in c.school.rule_staff(r):
            gaps = _staff_day_gaps(c, p)
            if r.kind == "staff_max_gaps_week" and sum(gaps.values()) > (r.value or 0):
                yield _rule_says(
                    r,
                    f"{p} has {sum(gaps.values())} gaps in the cycle; at most {r.value} expected",
                    sum(gaps.values()) - (r.value or 0),
                )
            if r.kind == "staff_max_gaps_day":
                for day, n in gaps.items():
                    if n > (r.value or 0):
                        yield _rule_says(
                            r,
                            f"{p} has {n} gaps on {day}; at most {r.value} expected",
                            n - (r.value or 0),
                        )


@rule("staff_periods_day", "staff of Rules staff_max/min_periods_day rows teach that many a day")
def _staff_periods_day(c: _Ctx) -> RuleOutput:
    for r in c.school.rules_of("staff_max_periods_day", "staff_min_periods_day"):
        for p in c.school.rule_staff(r):
            per_day = Counter(c.school.calendar.slots[i].day for i in c.staff_slots.get(p, {}))
            for day, n in per_day.items():
                if r.kind == "staff_max_periods_day" and n > (r.value or 0):
                    yield _rule_says(
                        r,
                        f"{p} teaches {n} periods on {day}; at most {r.value}",
                        n - (r.value or 0),
                    )
                if r.kind == "staff_min_periods_day" and n < (r.value or 0):
                    yield _rule_says(
                        r,
                        f"{p} teaches {n} periods on {day}; at least {r.value}",
                        (r.value or 0) - n,
                    )


@rule("student_gaps", "students of Rules students_max_gaps rows have at most that many gaps")
def _student_gaps(c: _Ctx) -> RuleOutput:
    for r in c.school.rules_of("students_max_gaps_week", "students_max_gaps_day"):
        for student in _rule_students(c, r):
            s = student.id
            gaps = _day_gaps(c, set(c.student_slots.get(s, {})), student.unavailable | r.slots)
            n = r.value or 0
            if r.kind == "students_max_gaps_week" and sum(gaps.values()) > n:
                yield _rule_says(
                    r,
                    f"{s} has {sum(gaps.values())} gaps in the cycle; at most {n}",
                    sum(gaps.values()) - n,
                )
            if r.kind == "students_max_gaps_day":
                for day, k in gaps.items():
                    if k > n:
                        yield _rule_says(r, f"{s} has {k} gaps on {day}; at most {n}", k - n)


@rule("student_periods_day", "students of Rules students_min_periods rows have that many a day")
def _student_periods_day(c: _Ctx) -> RuleOutput:
    cal = c.school.calendar
    for r in c.school.rules_of(*STUDENT_PERIODS_DAY_KINDS):
        for student in _rule_students(c, r):
            s = student.id
            per_day = Counter(cal.slots[i].day for i in c.student_slots.get(s, {}))
            if r.kind == "students_max_periods_day":
                for day, n in per_day.items():
                    if n > (r.value or 0):
                        yield _rule_says(
                            r,
                            f"{s} has {n} periods on {day}; at most {r.value}",
                            n - (r.value or 0),
                        )
                continue
            for day, slots in cal.day_slots.items():
                n = per_day.get(day, 0)
                if n == 0 and (
                    r.kind == "students_min_periods_day" or student.unavailable.issuperset(slots)
                ):
                    continue
                if n < (r.value or 0):
                    yield _rule_says(
                        r, f"{s} has {n} periods on {day}; at least {r.value}", (r.value or 0) - n
                    )


def _rule_students(c: _Ctx, r: TimeRule) -> list[Student]:
    """The row's students (every student when it names none) who exist."""
    found = (c.school.student_by_id.get(s) for s in c.school.rule_students(r))
    return [st for st in found if st is not None]


def _people(c: _Ctx, r: TimeRule) -> list[tuple[str, dict[int, list[str]]]]:
    """(who, their occupied slots) for a Rules row of a ``staff_...`` kind (its staff) or
    a ``students_...`` kind (its students)."""
    if r.kind.startswith("staff_"):
        return [(p, c.staff_slots.get(p, {})) for p in c.school.rule_staff(r)]
    return [(st.id, c.student_slots.get(st.id, {})) for st in _rule_students(c, r)]


@rule("students_early", "students of Rules students_early_start rows start their days early")
def _students_early(c: _Ctx) -> RuleOutput:
    cal = c.school.calendar
    for r in c.school.rules_of("students_early_start"):
        n = r.value or 0
        for st in _rule_students(c, r):
            away = st.unavailable | r.slots
            taken = c.student_slots.get(st.id, {})
            seconds: list[str] = []
            for day, slots in cal.day_slots.items():
                free = [t in taken for t in slots if t not in away]
                if True not in free:
                    continue
                first = free.index(True)
                if first == 1:
                    seconds.append(day)
                elif first > 1:
                    yield _rule_says(
                        r, f"{st.id} starts {day} at free period {first + 1}; at most the second"
                    )
            if len(seconds) > n:
                yield _rule_says(
                    r,
                    f"{st.id} starts {len(seconds)} days at the second free period "
                    f"({_names(seconds)}); at most {n}",
                    len(seconds) - n,
                )


def _runs(slots: Iterable[int], taken: Iterable[int]) -> list[int]:
    """Lengths of the runs of consecutive ``slots`` (one day's, in order) in ``taken``."""
    busy = set(taken)
    out, run = [], 0
    for t in slots:
        if t in busy:
            run += 1
        elif run:
            out.append(run)
            run = 0
    return [*out, run] if run else out


@rule("in_a_row", "staff and students of Rules *_max_in_a_row rows have at most that many in a row")
def _in_a_row(c: _Ctx) -> RuleOutput:
    cal = c.school.calendar
    for r in c.school.rules_of("staff_max_in_a_row", "students_max_in_a_row"):
        people = _people(c, r)
        n = r.value or 0
        for who, taken in people:
            for day, slots in cal.day_slots.items():
                longest = max(_runs(slots, taken), default=0)
                over = sum(x - n for x in _runs(slots, taken) if x > n)
                if over:
                    yield _rule_says(
                        r, f"{who} has {longest} periods in a row on {day}; at most {n}", over
                    )


@rule("lesson_pairs", "lessons of Rules consecutive / grouped rows are one right after the other")
def _lesson_pairs(c: _Ctx) -> RuleOutput:
    slots = c.school.calendar.slots
    for r in c.school.rules_of("consecutive", "grouped"):
        for lessons in _rule_lessons(c, r):
            if len(lessons) == 3 and r.kind == "grouped":
                yield from _three_grouped(c, r, lessons)
                continue
            if len(lessons) != 2:
                continue
            a, b = lessons
            sa, sb = c.lesson_slots(a[2]), c.lesson_slots(b[2])
            if not sa or not sb or slots[sa[0]].day != slots[sb[0]].day:
                ok = False
            else:
                # The row's slots (breaks) between the two do not keep them apart.
                ab = set(range(sa[-1] + 1, sb[0])) <= r.slots
                ba = set(range(sb[-1] + 1, sa[0])) <= r.slots
                ok = (sb[0] > sa[-1] and ab) or (r.kind == "grouped" and sa[0] > sb[-1] and ba)
            if not ok:
                how = "right after" if r.kind == "consecutive" else "next to"
                yield _rule_says(
                    r, f"{_lesson_name(c, b)} is not {how} {_lesson_name(c, a)} on its day"
                )


def _three_grouped(c: _Ctx, r: TimeRule, lessons: list[RuleLesson]) -> RuleOutput:
    """Three lessons of a ``grouped`` row: one block on one day, in any order (the row's
    slots, breaks, between two of them do not keep them apart)."""
    slots = c.school.calendar.slots
    timed = sorted(
        ((c.lesson_slots(x[2]), x) for x in lessons if c.lesson_slots(x[2])), key=lambda t: t[0]
    )
    if len(timed) != 3:
        return
    ok = len({slots[t[0]].day for t, _ in timed}) == 1 and all(
        sb[0] > sa[-1] and set(range(sa[-1] + 1, sb[0])) <= r.slots
        for (sa, _), (sb, _) in pairwise(timed)
    )
    if not ok:
        names = ", ".join(_lesson_name(c, x) for _, x in timed)
        yield _rule_says(r, f"{names} are not one after another on one day")


@rule("not_overlapping", "lessons of a Rules not_overlapping row never share a period")
def _not_overlapping(c: _Ctx) -> RuleOutput:
    for r in c.school.rules_of("not_overlapping"):
        for lessons in _rule_lessons(c, r):
            at: dict[int, list[RuleLesson]] = defaultdict(list)
            for x in lessons:
                for t in c.lesson_slots(x[2]):
                    at[t].append(x)
            for t, here in sorted(at.items()):
                if len(here) > 1:
                    names = _names([f"{g.id} lesson {k + 1}" for g, k, _ in here])
                    yield _rule_says(r, f"{names} overlap at {c.at(t)}", len(here) - 1)


@rule("ends_students_day", "lessons of Rules ends_students_day rows are their students' last")
def _ends_students_day(c: _Ctx) -> RuleOutput:
    slots = c.school.calendar.slots
    for r in c.school.rules_of("ends_students_day"):
        for lessons in _rule_lessons(c, r):
            for x in lessons:
                mine = c.lesson_slots(x[2])
                if not mine:
                    continue
                end, day = mine[-1], slots[mine[-1]].day
                after = sorted(
                    s
                    for s in x[0].students
                    if any(t > end and slots[t].day == day for t in c.student_slots.get(s, {}))
                )
                if after:
                    yield _rule_says(
                        r,
                        f"{_names(after[:3])}{' ...' if len(after) > 3 else ''} have a "
                        f"lesson after {_lesson_name(c, x)}",
                    )


@rule("lessons_max_slots", "lessons of a Rules lessons_max_slots row hold at most that many slots")
def _lessons_max_slots(c: _Ctx) -> RuleOutput:
    for r in c.school.rules_of("lessons_max_slots"):
        n = r.value or 0
        for lessons in _rule_lessons(c, r):
            used = {t for x in lessons for t in c.lesson_slots(x[2]) if t in r.slots}
            if len(used) > n:
                yield _rule_says(
                    r,
                    f"the lessons hold {len(used)} of the row's slots; at most {n}",
                    len(used) - n,
                )


@rule("same_day", "lessons of a Rules same_day row fall on one day")
def _same_day(c: _Ctx) -> RuleOutput:
    slots = c.school.calendar.slots
    for r in c.school.rules_of("same_day"):
        for first, *others in _rule_lessons(c, r):
            mine = c.lesson_slots(first[2])
            if not mine:
                continue
            for x in others:
                theirs = c.lesson_slots(x[2])
                if theirs and slots[theirs[0]].day != slots[mine[0]].day:
                    yield _rule_says(
                        r, f"{_lesson_name(c, x)} is not on the day of {_lesson_name(c, first)}"
                    )


@rule("staff_min_days", "staff of a Rules staff_min_days row teach on at least that many days")
def _staff_min_days(c: _Ctx) -> RuleOutput:
    for r in c.school.rules_of("staff_min_days"):
        for p in c.school.rule_staff(r):
            taught = c.staff_slots.get(p, {})
            days = {c.school.calendar.slots[i].day for i in taught}
            if taught and len(days) < (r.value or 0):
                yield _rule_says(
                    r,
                    f"{p} teaches on {len(days)} days; at least {r.value} expected",
                    (r.value or 0) - len(days),
                )


@rule("days_at", "staff and students of Rules *_max_days_at rows have lessons then on few days")
def _days_at(c: _Ctx) -> RuleOutput:
    slots = c.school.calendar.slots
    for r in c.school.rules_of("staff_max_days_at", "students_max_days_at"):
        people = _people(c, r)
        n = r.value or 0
        for who, taken in people:
            days = sorted({slots[t].day_index for t in taken if t in r.slots})
            if len(days) > n:
                names = _names([c.school.calendar.days[d] for d in days])
                yield _rule_says(
                    r,
                    f"{who} has lessons at the row's slots on {len(days)} days ({names}); "
                    f"at most {n}",
                    len(days) - n,
                )


@rule("min_gap", "lessons of a Rules min_gap row on one day have that many periods between")
def _min_gap(c: _Ctx) -> RuleOutput:
    for r, a, b, between in _same_day_pairs(c, "min_gap"):
        if between < (r.value or 0):
            yield _rule_says(
                r,
                f"{_lesson_name(c, a)} and {_lesson_name(c, b)} have "
                f"{max(between, 0)} period(s) between them; at least {r.value}",
            )


@rule("same_hour", "lessons of a Rules same_hour row start at the same period of their days")
def _same_hour(c: _Ctx) -> RuleOutput:
    slots = c.school.calendar.slots
    for r in c.school.rules_of("same_hour"):
        for lessons in _rule_lessons(c, r):
            at = [(slots[c.lesson_slots(x[2])[0]].position, x) for x in lessons]
            # The period most of them start at (the first lesson's, on a tie) is the
            # row's; each lesson elsewhere is one unit.
            counts = Counter(p for p, _ in at)
            best = max(counts.values())
            common = next(p for p, _ in at if counts[p] == best)
            first = next(x for p, x in at if p == common)
            for p, x in at:
                if p != common:
                    yield _rule_says(
                        r,
                        f"{_lesson_name(c, x)} does not start at the period of "
                        f"{_lesson_name(c, first)}",
                    )


@rule("ordered", "of a Rules ordered / ordered_if_same_day row's lessons, the second is after")
def _ordered(c: _Ctx) -> RuleOutput:
    slots = c.school.calendar.slots
    for r in c.school.rules_of("ordered", "ordered_if_same_day"):
        for lessons in _rule_lessons(c, r):
            if len(lessons) != 2:
                continue
            a, b = lessons
            sa, sb = c.lesson_slots(a[2]), c.lesson_slots(b[2])
            if not sa or not sb or sb[0] > sa[-1]:
                continue
            if r.kind == "ordered_if_same_day" and slots[sa[0]].day != slots[sb[0]].day:
                continue
            where = " on the same day" if r.kind == "ordered_if_same_day" else ""
            yield _rule_says(r, f"{_lesson_name(c, b)} is not after {_lesson_name(c, a)}{where}")


@rule("lesson_load", "lessons of a Rules lessons_max_* row hold at most that many periods a day")
def _lesson_load(c: _Ctx) -> RuleOutput:
    cal = c.school.calendar
    for r in c.school.rules_of("lessons_max_periods_day", "lessons_max_in_a_row"):
        n = r.value or 0
        for lessons in _rule_lessons(c, r):
            taken = {t for x in lessons for t in c.lesson_slots(x[2])}
            for day, day_slots in cal.day_slots.items():
                if r.kind == "lessons_max_periods_day":
                    held = len(taken.intersection(day_slots))
                    if held > n:
                        yield _rule_says(
                            r, f"the lessons hold {held} periods on {day}; at most {n}", held - n
                        )
                    continue
                runs = _runs(day_slots, taken)
                over = sum(x - n for x in runs if x > n)
                if over:
                    yield _rule_says(
                        r,
                        f"the lessons hold {max(runs)} periods in a row on {day}; at most {n}",
                        over,
                    )


@rule(
    "lessons_max_at_once", "lessons of a Rules lessons_max_at_once row, at most that many at once"
)
def _lessons_max_at_once(c: _Ctx) -> RuleOutput:
    for r in c.school.rules_of("lessons_max_at_once"):
        n = r.value or 0
        for lessons in _rule_lessons(c, r):
            at: Counter[int] = Counter(
                t for x in lessons for t in c.lesson_slots(x[2]) if t in r.slots
            )
            for t, held in sorted(at.items()):
                if held > n:
                    yield _rule_says(
                        r, f"{held} of the lessons are held at {c.at(t)}; at most {n}", held - n
                    )


@rule("site_changes", "people of Rules *site_change* rows change sites within their limits")
def _site_changes(c: _Ctx) -> RuleOutput:
    rules_here = c.school.rules_of(*SITE_CHANGE_KINDS)
    if not rules_here:
        return
    slots = c.school.calendar.slots
    # person -> day -> (first slot, last slot, site) of each of their lessons in a room.
    staff_at: dict[str, dict[str, list[tuple[int, int, str]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    students_at: dict[str, dict[str, list[tuple[int, int, str]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for g in c.groups:
        for lesson in g.lessons:
            room = c.school.room_by_id.get(lesson.room or "")
            held = c.lesson_slots(lesson)
            if room is None or not held:
                continue
            where = (held[0], held[-1], room.site)
            for p in dict.fromkeys(g.staff):
                staff_at[p][slots[held[0]].day].append(where)
            for st in g.students:
                students_at[st][slots[held[0]].day].append(where)
    for r in rules_here:
        n = r.value or 0
        if r.kind.startswith("staff_"):
            people = [(p, staff_at.get(p, {})) for p in c.school.rule_staff(r)]
        else:
            people = [(st.id, students_at.get(st.id, {})) for st in _rule_students(c, r)]
        for who, days in people:
            week = 0
            for day, lessons in days.items():
                moves = [(a, b) for a, b in pairwise(sorted(lessons)) if a[2] != b[2]]
                week += len(moves)
                if r.kind.endswith("_day") and len(moves) > n:
                    yield _rule_says(
                        r,
                        f"{who} changes site {len(moves)} times on {day}; at most {n}",
                        len(moves) - n,
                    )
                soon = [
                    (a, b) for a, b in moves if slots[b[0]].position - slots[a[1]].position - 1 < n
                ]
                if r.kind.endswith("min_gap_site_change") and soon:
                    a, b = soon[0]
                    yield _rule_says(
                        r,
                        f"{who} moves from {a[2]} at {c.at(a[1])} to {b[2]} at {c.at(b[0])} "
                        f"on {day}; at least {n} period(s) between expected",
                    )
            if r.kind.endswith("_week") and week > n:
                yield _rule_says(
                    r, f"{who} changes site {week} times in the cycle; at most {n}", week - n
                )


@rule("lessons_max_rooms", "lessons of a Rules lessons_max_rooms row use at most that many rooms")
def _lessons_max_rooms(c: _Ctx) -> RuleOutput:
    for r in c.school.rules_of("lessons_max_rooms"):
        n = r.value or 0
        for lessons in _rule_lessons(c, r):
            rooms = sorted({x[2].room for x in lessons if x[2].room is not None})
            if len(rooms) > n:
                yield _rule_says(
                    r,
                    f"the lessons use {len(rooms)} rooms ({_names(rooms)}); at most {n}",
                    len(rooms) - n,
                )


@rule("min_rest", "staff and students of Rules *_min_rest rows rest that long between days")
def _min_rest(c: _Ctx) -> RuleOutput:
    cal = c.school.calendar
    days = list(cal.days)
    for r in c.school.rules_of(
        "staff_min_rest", "staff_min_rest_cycle", "students_min_rest", "students_min_rest_cycle"
    ):
        people = _people(c, r)
        n = r.value or 0
        nights = list(pairwise(days))
        if r.kind.endswith("_cycle") and len(days) > 1:
            nights.append((days[-1], days[0]))
        for who, taken in people:
            for today, tomorrow in nights:
                a, b = cal.day_slots[today], cal.day_slots[tomorrow]
                last = [i for i, t in enumerate(a) if t in taken]
                first = [j for j, t in enumerate(b) if t in taken]
                if not last or not first:
                    continue
                rest = (len(a) - 1 - last[-1]) + first[0]
                if rest < n:
                    yield _rule_says(
                        r,
                        f"{who} rests {rest} period(s) between {today} and {tomorrow}; "
                        f"at least {n}",
                    )


@rule("max_days_apart", "lessons of a Rules max_days_apart row are at most that many days apart")
def _max_days_apart(c: _Ctx) -> RuleOutput:
    return _days_apart(c, "max_days_apart", most=True)


@rule(
    "same_room_if_consecutive",
    "lessons of a Rules same_room_if_consecutive row one right after the other share a room",
)
def _same_room_if_consecutive(c: _Ctx) -> RuleOutput:
    for r, a, b, between in _same_day_pairs(c, "same_room_if_consecutive"):
        if between != 0:
            continue
        if a[2].room is not None and b[2].room is not None and a[2].room != b[2].room:
            yield _rule_says(
                r,
                f"{_lesson_name(c, a)} in {a[2].room} and {_lesson_name(c, b)} in "
                f"{b[2].room} are one right after the other",
            )


@rule("max_span", "staff and students of Rules *_max_span_day rows span at most that many periods")
def _max_span(c: _Ctx) -> RuleOutput:
    cal = c.school.calendar
    for r in c.school.rules_of("staff_max_span_day", "students_max_span_day"):
        people = _people(c, r)
        n = r.value or 0
        for who, taken in people:
            for day, slots in cal.day_slots.items():
                held = [i for i, t in enumerate(slots) if t in taken]
                if held and held[-1] - held[0] + 1 > n:
                    yield _rule_says(
                        r,
                        f"{who}'s lessons on {day} span {held[-1] - held[0] + 1} periods; "
                        f"at most {n}",
                    )


#: The checker's rule that reports each kind of Rules row.
RULE_NAMES = {
    "min_days_apart": "min_days_apart",
    "start_at": "lesson_times",
    "within": "lesson_times",
    "same_start": "same_start",
    "staff_max_days": "staff_max_days",
    "staff_max_gaps_week": "staff_gaps",
    "staff_max_gaps_day": "staff_gaps",
    "staff_max_periods_day": "staff_periods_day",
    "staff_min_periods_day": "staff_periods_day",
    "students_max_gaps_week": "student_gaps",
    "students_max_gaps_day": "student_gaps",
    "students_min_periods_day": "student_periods_day",
    "students_min_periods_every_day": "student_periods_day",
    "students_max_periods_day": "student_periods_day",
    "students_early_start": "students_early",
    "staff_max_in_a_row": "in_a_row",
    "students_max_in_a_row": "in_a_row",
    "consecutive": "lesson_pairs",
    "grouped": "lesson_pairs",
    "not_overlapping": "not_overlapping",
    "ends_students_day": "ends_students_day",
    "lessons_max_slots": "lessons_max_slots",
    "same_day": "same_day",
    "staff_min_days": "staff_min_days",
    "staff_max_days_at": "days_at",
    "students_max_days_at": "days_at",
    "min_gap": "min_gap",
    "same_hour": "same_hour",
    "ordered": "ordered",
    "ordered_if_same_day": "ordered",
    "lessons_max_periods_day": "lesson_load",
    "lessons_max_in_a_row": "lesson_load",
    "lessons_max_at_once": "lessons_max_at_once",
    "staff_max_site_changes_day": "site_changes",
    "staff_min_gap_site_change": "site_changes",
    "staff_max_site_changes_week": "site_changes",
    "students_max_site_changes_day": "site_changes",
    "students_max_site_changes_week": "site_changes",
    "students_min_gap_site_change": "site_changes",
    "lessons_max_rooms": "lessons_max_rooms",
    "staff_min_rest": "min_rest",
    "students_min_rest": "min_rest",
    "max_days_apart": "max_days_apart",
    "same_room_if_consecutive": "same_room_if_consecutive",
    "staff_min_rest_cycle": "min_rest",
    "students_min_rest_cycle": "min_rest",
    "staff_max_span_day": "max_span",
    "students_max_span_day": "max_span",
}


@rule("travel", "people moving between sites on one day have the Travel minutes between lessons")
def _travel(c: _Ctx) -> RuleOutput:
    if not c.school.travel:
        return
    # An event is (start, end, site, what) for something in a room; online lessons and
    # tutor time with no room are not a location (rule 2).
    events: dict[tuple[str, str], list[tuple[int, int, str, str]]] = defaultdict(list)

    def add(who: str, slots: list[int], room_id: str | None, what: str) -> None:
        room = c.school.room_by_id.get(room_id or "")
        if room is None or not slots:
            return
        first, last = c.in_calendar(slots[0]), c.in_calendar(slots[-1])
        events[(who, first.day)].append((first.start, last.end, room.site, what))

    for g, course in c.known():
        if course.online:
            continue
        for lesson in g.lessons:
            slots = c.lesson_slots(lesson)
            for s in g.students:
                add(f"Student {s}", slots, lesson.room, g.id)
            for t in set(g.staff):
                add(t, slots, lesson.room, g.id)
    for st in c.school.students:
        tg = c.tutor_group_of.get(st.id)
        if tg is not None:
            for i in sorted(tutor_time(c.school, c.solution, st)):
                add(f"Student {st.id}", [i], tg.room, f"tutor group {tg.id}")
    for tg in c.school.tutor_groups:
        for i in sorted(tg.meets):
            add(tg.tutor, [i], tg.room, f"tutor group {tg.id}")

    for (who, day), evs in sorted(events.items()):
        evs.sort()
        for a in range(len(evs)):
            for b in range(a + 1, len(evs)):
                _s1, e1, site1, what1 = evs[a]
                s2, _e2, site2, what2 = evs[b]
                if s2 < e1:
                    continue  # overlapping: a clash, reported by the clash rules
                need = c.school.travel_minutes(site1, site2)
                if s2 - e1 < need:
                    yield (
                        f"{who} has {what1} at {site1} until {hhmm(e1)} and {what2} at {site2} "
                        f"from {hhmm(s2)} on {day}: {s2 - e1} minutes to travel, {need} needed"
                    )


# --------------------------------------------------------------------------------------
# Rules: tutor groups
# --------------------------------------------------------------------------------------


@rule("tutor_assigned", "when there are tutor groups, every student is in one")
def _tutor_assigned(c: _Ctx) -> RuleOutput:
    if not c.school.tutor_groups:
        return
    for st in c.school.students:
        if st.id not in c.solution.tutor_of:
            yield f"Student {st.id} has no tutor group"


@rule("tutor_fixed", "a student's fixed tutor_group is respected")
def _tutor_fixed(c: _Ctx) -> RuleOutput:
    for st in c.school.students:
        got = c.solution.tutor_of.get(st.id)
        if st.tutor_group and got is not None and got != st.tutor_group:
            yield f"Student {st.id} is in tutor group {got}; the Students sheet fixes {st.tutor_group}"


@rule("tutor_capacity", "a tutor group has at most its capacity of students")
def _tutor_capacity(c: _Ctx) -> RuleOutput:
    counts = Counter(tg.id for tg in c.tutor_group_of.values())
    for tg in c.school.tutor_groups:
        if counts[tg.id] > tg.capacity:
            yield f"Tutor group {tg.id} has {counts[tg.id]} students (capacity {tg.capacity})"


@rule("tutor_house", "a student's tutor group is of their house (where both are given)")
def _tutor_house(c: _Ctx) -> RuleOutput:
    for s, tg in sorted(c.tutor_group_of.items()):
        st = c.school.student_by_id.get(s)
        if st and not tg.open_to(st):
            yield f"Student {s} of house {st.house} is in tutor group {tg.id} of house {tg.house}"


@rule("tutor_family", "students of one family share a tutor group")
def _tutor_family(c: _Ctx) -> RuleOutput:
    families: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for st in c.school.students:
        tg = c.tutor_group_of.get(st.id)
        if st.family and tg is not None:
            families[st.family][tg.id].append(st.id)
    for fam, by_group in sorted(families.items()):
        if len(by_group) > 1:
            parts = [f"{_names(ss)} in {g}" for g, ss in sorted(by_group.items())]
            yield f"Family {fam} is split across tutor groups: {'; '.join(parts)}"


@rule("tutor_vertical", "in vertical tutor groups of one house, each year's counts differ by <= 2")
def _tutor_vertical(c: _Ctx) -> RuleOutput:
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for s, tg in c.tutor_group_of.items():
        st = c.school.student_by_id.get(s)
        if st is not None:
            counts[tg.id][st.year] += 1
    for tgs in c.school.vertical_sets:
        years = sorted({y for tg in tgs for y in counts[tg.id]})
        where = f"house {tgs[0].house}" if tgs[0].house is not None else "the school"
        for y in years:
            most = max(tgs, key=lambda tg: counts[tg.id][y])
            least = min(tgs, key=lambda tg: counts[tg.id][y])
            hi, lo = counts[most.id][y], counts[least.id][y]
            if hi - lo > 2:
                yield (
                    f"Year {y} has {hi} students in vertical tutor group {most.id} but {lo} in "
                    f"{least.id} ({where}); they may differ by at most 2"
                )


# --------------------------------------------------------------------------------------
# Rules: requests
# --------------------------------------------------------------------------------------


@rule("request_groups", "students attend only courses they asked for, in one group each")
def _request_groups(c: _Ctx) -> RuleOutput:
    for s in sorted(c.placed):
        asked = {r.course for r in c.school.student_requests.get(s, ())}
        for course, gids in sorted(c.placed[s].items()):
            if course not in asked:
                yield f"Student {s} is in {_names(gids)} but did not ask for {course}"
            if len(gids) > 1:
                yield f"Student {s} is in {len(gids)} groups of {course}: {_names(gids)}"


@rule("option_quota", "a student gets at most as many options+alternates as they chose options")
def _option_quota(c: _Ctx) -> RuleOutput:
    for st in c.school.students:
        met = [r.course for r in choice_order(c.school, st.id) if is_met(c.placed, r)]
        quota = c.school.option_quota(st.id)
        if len(met) > quota:
            yield (
                f"Student {st.id} has {len(met)} options or alternates ({_names(met)}) but "
                f"chose {quota} option(s)"
            )


@rule("core_unmet", "every core request is met (the objective's first priority)", hard=False)
def _core_unmet(c: _Ctx) -> RuleOutput:
    reasons = {(o.student, o.course): o.reason for o in c.solution.outcomes if o.type == "core"}
    for r in c.school.requests:
        if r.type is RequestType.CORE and not is_met(c.placed, r):
            course = c.school.course_by_id.get(r.course)
            what = course.label if course else r.course
            why = reasons.get((r.student, r.course)) or "no reason given"
            yield f"Student {r.student} did not get core course {what}: {why}"


@rule("request_outcomes", "requests.csv has one row per request, with the status the groups give")
def _request_outcomes(c: _Ctx) -> RuleOutput:
    expected = expected_outcomes(c.school, c.solution)

    def key(o: RequestOutcome) -> tuple[str, str, str]:
        return (o.student, o.course, o.type)

    want: dict[tuple[str, str, str], list[RequestOutcome]] = defaultdict(list)
    for e in expected:
        want[key(e)].append(e)
    for o in c.solution.outcomes:
        pending = want.get(key(o))
        if not pending:
            yield (
                f"Request outcome for student {o.student}, {o.type} {o.course}, matches no "
                "request of the school"
            )
            continue
        e = pending.pop(0)
        if o.rank != e.rank:
            yield (
                f"Request of student {o.student} for {o.course} has rank {o.rank}; the "
                f"school's request has {e.rank}"
            )
        if o.status is not e.status:
            yield (
                f"Request of student {o.student} for {o.course} ({o.type}) is marked "
                f"{o.status.value}; the groups make it {e.status.value}"
            )
        elif o.status is RequestStatus.MET and o.group != e.group:
            placed = c.placed.get(o.student, {}).get(o.course, [])
            yield (
                f"Request of student {o.student} for {o.course} names group {o.group}; the "
                f"student is in {_names(placed)}"
            )
        elif o.status is not RequestStatus.MET and o.group:
            yield (
                f"Request of student {o.student} for {o.course} is {o.status.value} but names "
                f"group {o.group}"
            )
    for pending in want.values():
        for e in pending:
            yield f"No request outcome for student {e.student}'s {e.type} request for {e.course}"
    # Same rows, other order: docs/outputs-conventions.md keeps the school's request order.
    order = [key(o) for o in c.solution.outcomes]
    if sorted(order) == sorted(key(e) for e in expected) and order != [key(e) for e in expected]:
        n = next(i for i, (a, b) in enumerate(zip(order, map(key, expected))) if a != b)
        yield Violation(
            "request_outcomes",
            "Request outcomes are not in the order of the "
            f"school's requests (the first out of place is student {order[n][0]}'s "
            f"request for {order[n][1]})",
            hard=False,
        )


@rule("objective", "the objective and its terms written are what the timetable scores", hard=False)
def _objective(c: _Ctx) -> RuleOutput:
    terms = objective_terms(c.school, c.solution)
    for name, value in c.solution.objective_terms.items():
        if name not in terms:
            yield f"Objective term {name} is not one of docs/objective.md's terms"
        elif not _close(value, terms[name]):
            yield f"Objective term {name} is written as {value:g}; the timetable scores {terms[name]:g}"
    if c.solution.objective is not None:
        total = sum(terms.values())
        if not _close(c.solution.objective, total):
            yield f"Objective is written as {c.solution.objective:g}; the timetable scores {total:g}"


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


@rule("output_files", "the written files agree with each other")
def _output_files(c: _Ctx) -> RuleOutput:
    for issue in c.solution.output_issues:
        yield Violation(issue.rule, issue.message, issue.hard)


# --------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------


def check_solution(school: School, solution: Solution) -> CheckReport:
    """Check a timetable against every rule; recompute the objective and figures."""
    violations = _found(_Ctx(school, solution), RULES)
    terms = objective_terms(school, solution)
    report = CheckReport(
        violations=violations,
        figures=figures(school, solution),
        objective_terms=terms,
        objective=sum(terms.values()),
        written_objective=solution.objective,
        written_terms=dict(solution.objective_terms),
        rules=tuple(r.name for r in RULES),
    )
    log.info(
        "checked %d rules: %d hard, %d soft violation(s)",
        len(RULES),
        len(report.hard_violations),
        len(report.soft_violations),
    )
    return report


def soft_rules_cost(school: School, solution: Solution) -> int:
    """What a timetable's soft Rules rows cost: each row's weight per unit broken
    (docs/objective.md, ``soft_rules``)."""
    names = {RULE_NAMES[r.kind] for r in school.time_rules if not r.hard}
    if not names:
        return 0
    return sum(v.cost for v in rule_violations(school, solution, names) if not v.hard)


def rule_violations(school: School, solution: Solution, names: Iterable[str]) -> list[Violation]:
    """The violations of the named rules alone (e.g. ``("travel",)``): what a phase that
    built a timetable without modelling a rule asks the judge about it."""
    wanted = set(names)
    return _found(_Ctx(school, solution), [r for r in RULES if r.name in wanted])


def _found(ctx: _Ctx, rules: Iterable[CheckRule]) -> list[Violation]:
    """Every violation the rules find in the timetable."""
    out: list[Violation] = []
    for r in rules:
        for found in r.check(ctx):
            out.append(found if isinstance(found, Violation) else Violation(r.name, found, r.hard))
    return out


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.1f}%"


def render_report(report: CheckReport, console: Console, limit: int = 20) -> None:
    """Print a report for a timetabler: figures, objective terms, then violations by rule."""
    f = report.figures
    figs = Table(title="Figures", show_header=False)
    figs.add_row(
        "core requests met", f"{f.requests_core_met}/{f.requests_core}", _pct(f.core_met_pct)
    )
    figs.add_row(
        "options met", f"{f.requests_option_met}/{f.requests_option}", _pct(f.options_met_pct)
    )
    figs.add_row(
        "first choices met",
        f"{f.first_choice_met}/{f.students_with_choices}",
        _pct(f.first_choice_met_pct),
    )
    figs.add_row(
        "students fully satisfied",
        f"{f.students_fully_satisfied}/{f.students}",
        _pct(f.students_fully_satisfied_pct),
    )
    figs.add_row("groups running", str(f.groups), "")
    console.print(figs)

    terms = Table(title="Objective")
    terms.add_column("term")
    terms.add_column("recomputed", justify="right")
    terms.add_column("written", justify="right")
    for name in report.objective_terms:
        written = report.written_terms.get(name)
        terms.add_row(
            name, f"{report.objective_terms[name]:g}", "" if written is None else f"{written:g}"
        )
    written_total = "" if report.written_objective is None else f"{report.written_objective:g}"
    terms.add_row("total", f"{report.objective:g}", written_total)
    console.print(terms)

    for name, found in report.by_rule().items():
        hard = any(v.hard for v in found)
        style = "red" if hard else "yellow"
        console.print(f"[{style}]{name}[/{style}]: {len(found)}", highlight=False)
        for v in found[:limit]:
            console.print(f"  {v.message}", markup=False, highlight=False)
        if len(found) > limit:
            console.print(f"  ... and {len(found) - limit} more", highlight=False)
    n_hard, n_soft = len(report.hard_violations), len(report.soft_violations)
    if n_hard:
        console.print(
            f"[red]{n_hard} hard violation(s)[/red], {n_soft} other finding(s) "
            f"over {len(report.rules)} rules",
            highlight=False,
        )
    else:
        console.print(
            f"[green]no hard violations[/green] ({len(report.rules)} rules checked"
            f"{f', {n_soft} other finding(s)' if n_soft else ''})",
            highlight=False,
        )
