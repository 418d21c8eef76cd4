"""What changed between two timetables of one school: every lesson whose time, room or
staff changed, every group that appeared or went, every student whose timetable changed.

Groups are compared by id: a re-solve from a published timetable keeps the published
groups' ids (``pathways solve --from``), so a group is the same group before and after.
Pure domain code (no solver): used by ``pathways solve --from`` (``changes.csv`` and the
counts in summary.json), ``pathways diff OLD NEW`` and ``pathways check --from``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields

from scheduler.files.columns import CHANGES_COLUMNS, ONLINE, join_items
from scheduler.files.csvrows import write_rows
from scheduler.model import School
from scheduler.solution import Group, Lesson, Solution


@dataclass(frozen=True)
class Change:
    """One row of changes.csv."""

    kind: str  # lesson_time, lesson_room, group_staff, group_added, group_removed, student
    group: str = ""
    course: str = ""
    student: str = ""
    before: str = ""
    after: str = ""


@dataclass
class Changes:
    """Every change, and the counts summary.json and the terminal give."""

    rows: list[Change] = field(default_factory=list)
    lessons_moved: int = 0
    lessons_room_changed: int = 0
    groups_staff_changed: int = 0
    groups_added: int = 0
    groups_removed: int = 0
    students_changed: int = 0

    def counts(self) -> dict[str, int]:
        """Each count by its field's name (every field but ``rows``), in field order."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "rows"}

    def line(self) -> str:
        """The terminal's one line."""
        c = self.counts()
        return (
            f"changes: {c['lessons_moved']} lesson(s) moved, {c['lessons_room_changed']} "
            f"changed room, {c['groups_staff_changed']} group(s) changed staff, "
            f"{c['groups_added']} group(s) added, {c['groups_removed']} removed, "
            f"{c['students_changed']} student(s) with a changed timetable"
        )


def _at(school: School, lesson: Lesson | None) -> str:
    return (
        ""
        if lesson is None
        else f"{school.calendar.run_label(lesson.slots)} {lesson.room or ONLINE}"
    )


def _lessons(group: Group) -> list[Lesson]:
    return sorted(group.lessons, key=lambda lesson: lesson.slots)


def _times(school: School, group: Group) -> str:
    return ", ".join(school.calendar.run_label(x.slots) for x in _lessons(group))


def compare(school: School, old: Solution, new: Solution) -> Changes:
    """Every change from ``old`` to ``new`` (both timetables of ``school``)."""
    out = Changes()
    old_by, new_by = old.group_by_id, new.group_by_id
    for gid in sorted(set(old_by) | set(new_by)):
        a, b = old_by.get(gid), new_by.get(gid)
        if a is None and b is not None:
            out.groups_added += 1
            out.rows.append(Change("group_added", gid, b.course, after=_times(school, b)))
            continue
        if b is None and a is not None:
            out.groups_removed += 1
            out.rows.append(Change("group_removed", gid, a.course, before=_times(school, a)))
            continue
        assert a is not None and b is not None
        if set(a.staff) != set(b.staff):
            out.groups_staff_changed += 1
            out.rows.append(
                Change(
                    "group_staff",
                    gid,
                    b.course,
                    before=join_items(a.staff),
                    after=join_items(b.staff),
                )
            )
        # Lessons kept at their time are matched first; the rest moved (paired in order).
        now_at = {y.slots: y for y in b.lessons}
        kept = {x.slots for x in a.lessons} & set(now_at)
        for x in _lessons(a):
            y = now_at.get(x.slots)
            if y is not None and x.room != y.room:
                out.lessons_room_changed += 1
                out.rows.append(
                    Change(
                        "lesson_room", gid, b.course, before=_at(school, x), after=_at(school, y)
                    )
                )
        gone = [x for x in _lessons(a) if x.slots not in kept]
        came = [y for y in _lessons(b) if y.slots not in kept]
        for i in range(max(len(gone), len(came))):
            was = gone[i] if i < len(gone) else None
            now = came[i] if i < len(came) else None
            out.lessons_moved += 1
            out.rows.append(
                Change(
                    "lesson_time", gid, b.course, before=_at(school, was), after=_at(school, now)
                )
            )
    students = sorted(
        set(old.student_groups) | set(new.student_groups) | set(old.tutor_of) | set(new.tutor_of)
    )
    for sid in students:
        before = {g.id for g in old.student_groups.get(sid, ())}
        after = {g.id for g in new.student_groups.get(sid, ())}
        moved = {
            g.id
            for g in new.student_groups.get(sid, ())
            if g.id in before and g.id in old_by and g.slots != old_by[g.id].slots
        }
        tutor_a, tutor_b = old.tutor_of.get(sid), new.tutor_of.get(sid)
        if before == after and not moved and tutor_a == tutor_b:
            continue
        out.students_changed += 1
        parts_a = sorted(before - after) + (
            [f"tutor {tutor_a}"] if tutor_a != tutor_b and tutor_a else []
        )
        parts_b = sorted(after - before) + (
            [f"tutor {tutor_b}"] if tutor_a != tutor_b and tutor_b else []
        )
        parts_b += [f"{gid} (new times)" for gid in sorted(moved)]
        out.rows.append(
            Change("student", student=sid, before=join_items(parts_a), after=join_items(parts_b))
        )
    return out


def asked_to_change(school: School, published: Solution) -> set[str]:
    """Students whose own requests changed since ``published`` (or who are new to the
    school): the ones a re-solve is asked to change. Everyone else who changes is a
    bystander (``pathways solve --from ... --max-changed N`` caps them)."""
    before: dict[str, set[tuple[str, str]]] = {}
    for o in published.outcomes:
        before.setdefault(o.student, set()).add((o.course, o.type))
    now: dict[str, set[tuple[str, str]]] = {}
    for r in school.requests:
        now.setdefault(r.student, set()).add((r.course, r.type.value))
    return {s.id for s in school.students if now.get(s.id, set()) != before.get(s.id)}


def write_changes(changes: Changes, path: str | os.PathLike[str]) -> None:
    """changes.csv (docs/outputs.md)."""
    write_rows(
        path,
        CHANGES_COLUMNS,
        ([c.kind, c.group, c.course, c.student, c.before, c.after] for c in changes.rows),
    )
