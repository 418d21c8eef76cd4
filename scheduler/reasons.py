"""Why a request was not met, in a timetabler's words (requests.csv ``reason``).

Domain code: reads a finished timetable, never the solver.
"""

from __future__ import annotations

from collections.abc import Iterable

from scheduler.model import Request, RequestType, School
from scheduler.solution import Group, RequestOutcome, RequestStatus

__all__ = ["MANY_GROUPS", "outcomes", "request_reason"]


def _slot_names(school: School, slots: Iterable[int]) -> str:
    return ", ".join(school.calendar.labels(slots))


def request_reason(
    school: School,
    student_id: str,
    course_id: str,
    running: dict[str, tuple[Group, ...]],
    mine: tuple[Group, ...],
    tutor_slots: frozenset[int],
    quota_full: bool,
    planned_groups: int,
    not_run: str | None = None,
) -> str:
    """A sentence explaining why ``student_id`` has no place in ``course_id``."""
    course = school.course_by_id[course_id]
    student = school.student_by_id[student_id]
    if not course.open_to(student.year):
        return f"{course.label} is not open to year {student.year}"
    groups = running.get(course_id, ())
    if not groups and not_run:
        return not_run
    if not groups:
        asked = len(school.course_requests.get(course_id, ()))
        if asked < course.min_size:
            return (
                f"{course.label} did not run: {asked} student(s) asked for it, "
                f"fewer than its minimum of {course.min_size}"
            )
        return (
            f"{course.label} did not run: too few of the {asked} students who asked could "
            f"attend its {planned_groups} planned group(s) (minimum {course.min_size})"
        )
    if quota_full:
        return "the student's option places all went to choices they ranked higher"
    home = school.home_slots(student)
    parts = []
    free_but_clashing = []
    causes: dict[str, int] = {}  # for a summary when there are many groups
    full = 0
    for g in groups:
        why = []
        if g.size >= course.max_size:
            why.append("full")
        clash = [other for other in mine if other.course != course_id and other.slots & g.slots]
        if clash:
            shared = set().union(*(o.slots & g.slots for o in clash))
            why.append(
                "clashes with "
                + " and ".join(o.id for o in clash)
                + f" at {_slot_names(school, shared)}"
            )
        if not course.online and home & g.slots:
            why.append(f"meets on a home-learning day ({_slot_names(school, home & g.slots)})")
        if tutor_slots & g.slots:
            why.append(f"meets in tutor time ({_slot_names(school, tutor_slots & g.slots)})")
        if student.unavailable & g.slots:
            away = student.unavailable & g.slots
            why.append(f"meets when the student is unavailable ({_slot_names(school, away)})")
        if why:
            parts.append(f"{g.id} " + ", ".join(why))
            if "full" not in why:
                free_but_clashing.append(g.id)
        else:
            parts.append(f"{g.id} {_hidden_reason(school, g, running, mine)}")
        if "full" in why:
            full += 1
            continue
        for o in clash:
            key = f"clash with {o.id}"
            causes[key] = causes.get(key, 0) + 1
        if not why:
            causes["have a place that would break a tutor-group, room or travel rule"] = (
                causes.get("have a place that would break a tutor-group, room or travel rule", 0)
                + 1
            )
        for w in why:
            if not w.startswith(("full", "clashes")):
                key = w.split(" (")[0]
                causes[key] = causes.get(key, 0) + 1
    if len(groups) > MANY_GROUPS:
        # A sentence per group would be unreadable (64 instrumental tutorials): say how
        # many groups were full and what kept the student out of the others.
        text = f"none of the {len(groups)} groups could take the student: {full} full"
        if causes:
            ranked = sorted(causes.items(), key=lambda kv: (-kv[1], kv[0]))
            text += "; of the others, " + ", ".join(
                f"{n} {cause.replace('meets', 'meet')}" for cause, n in ranked[:5]
            )
            if len(ranked) > 5:
                text += f" and {len(ranked) - 5} more reasons"
        return text
    text = "; ".join(parts)
    if free_but_clashing and len(free_but_clashing) == len(groups):
        text += " (the only groups with places)"
    return text


#: Above this many groups in a course, an unmet request's reason is a summary.
MANY_GROUPS = 8


def _hidden_reason(
    school: School, g: Group, running: dict[str, tuple[Group, ...]], mine: tuple[Group, ...]
) -> str:
    """The less visible causes: a shared room that is full, or travel between sites."""
    everyone = [x for gs in running.values() for x in gs]
    cal = school.calendar.slots
    for lesson in g.lessons:
        if lesson.room is None:
            continue
        room = school.room_by_id[lesson.room]
        for t in lesson.slots:
            seated = sum(
                x.size
                for x in everyone
                for les in x.lessons
                if les.room == lesson.room and t in les.slots
            )
            if seated >= room.capacity:
                return f"is in {room.id}, which is full at {cal[t].label} ({room.capacity} seats)"
    for lesson in g.lessons:
        if lesson.room is None:
            continue
        here = school.room_by_id[lesson.room].site
        for other in mine:
            for les in other.lessons:
                if les.room is None:
                    continue
                there = school.room_by_id[les.room].site
                a, b = sorted((lesson.slots, les.slots), key=lambda run: cal[run[0]].start)
                if cal[a[0]].day != cal[b[0]].day or here == there:
                    continue
                gap = cal[b[0]].start - cal[a[-1]].end
                need = school.travel_minutes(here, there)
                if 0 <= gap < need:
                    return (
                        f"is at {here}, {gap} minutes from {other.id} at {there} "
                        f"on {cal[a[0]].day} ({need} minutes' travel needed)"
                    )
    return "has a place, but taking it would break a tutor-group or room-sharing rule"


#: A student's side of their requests: their groups, those by course, their option quota,
#: how many of their options and alternates were met, and their tutor time.
_StudentView = tuple[tuple[Group, ...], dict[str, Group], int, int, frozenset[int]]


def outcomes(
    school: School,
    groups: tuple[Group, ...],
    tutor_of: dict[str, str],
    planned: dict[str, int],
    not_run: dict[str, str] | None = None,
) -> tuple[RequestOutcome, ...]:
    """The status of every request, with a reason for every unmet one (rule 7)."""
    running: dict[str, list[Group]] = {}
    by_student: dict[str, list[Group]] = {}
    for g in groups:
        running.setdefault(g.course, []).append(g)
        for s in g.students:
            by_student.setdefault(s, []).append(g)
    running_t = {k: tuple(v) for k, v in running.items()}
    seen: dict[str, _StudentView] = {}

    def of_student(sid: str) -> _StudentView:
        if sid not in seen:
            student = school.student_by_id[sid]
            mine = tuple(by_student.get(sid, ()))
            in_course = {g.course: g for g in mine}
            reqs = school.student_requests.get(sid, ())
            got = sum(1 for r in reqs if r.type is not RequestType.CORE and r.course in in_course)
            tutor_slots = school.tutor_time(student, tutor_of.get(sid))
            seen[sid] = (mine, in_course, school.option_quota(sid), got, tutor_slots)
        return seen[sid]

    def outcome(r: Request) -> RequestOutcome:
        mine, in_course, quota, got, tutor_slots = of_student(r.student)
        taken = in_course.get(r.course)
        if taken is not None:
            return RequestOutcome(
                r.student, r.course, r.type.value, r.rank, RequestStatus.MET, taken.id
            )
        quota_full = r.type is not RequestType.CORE and got >= quota
        if r.type is RequestType.ALTERNATE and quota_full:
            return RequestOutcome(
                r.student, r.course, r.type.value, r.rank, RequestStatus.NOT_NEEDED
            )
        reason = request_reason(
            school,
            r.student,
            r.course,
            running_t,
            mine,
            tutor_slots,
            quota_full,
            planned.get(r.course, 0),
            (not_run or {}).get(r.course),
        )
        return RequestOutcome(
            r.student, r.course, r.type.value, r.rank, RequestStatus.UNMET, None, reason
        )

    return tuple(outcome(r) for r in school.requests)
