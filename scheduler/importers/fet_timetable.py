"""A timetable FET made, read onto the workbook the FET importer made of its file, as a
Pathways :class:`~scheduler.solution.Solution` (issue 13, item 3): so that
``pathways check`` can judge FET's own answer by the rules the importer carried over.

Where FET's timetable comes from (:func:`read_placements`):

- a ``.fet`` / ``.fet.xz`` file with a timetable (FET's ``..._data_and_timetable.fet``):
  each activity's place is its active 100% ActivityPreferredStartingTime and its room
  its active 100% ActivityPreferredRoom (FET writes the timetable as such locked
  constraints);
- FET's ``..._activities.xml`` (``<Activity><Id>``, ``<Day>``, ``<Hour>``, ``<Room>``);
- a folder ``fet-cl`` wrote (``--outputdir``): the one ``timetables/*/*_activities.xml``
  in it, else the one ``*_data_and_timetable.fet``.

How it becomes a solution (:func:`fet_solution`): the importer makes one group per
course (``COURSE.1``, its ``sections`` is 1) with the course's staff, and seats in it
every student who requests the course; each of the course's activities is one lesson of
that group, at the day and hour FET gave it, for its duration, in the room FET gave it
when the course is in school mode (an online course, one with no room constraint in
FET, has no room, as FET gives it none). A course one of whose activities FET did not
place (or placed at a day or hour the file does not have) runs no group: the checker
reports its fixed section not running (``sections``, hard) and its requests unmet
(``core_unmet``), and the notes say which activities.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from scheduler.importers.fet import FetError, FetFile, ImportIds, read_fet
from scheduler.model import School
from scheduler.score import expected_outcomes, objective_terms
from scheduler.solution import Group, Lesson, Solution, SolveStats, Status

__all__ = [
    "FetPlacement",
    "TimetableImport",
    "fet_solution",
    "find_timetable",
    "placements_from_fet",
    "read_activities_xml",
    "read_placements",
]

ACTIVITIES_XML = "_activities.xml"
DATA_AND_TIMETABLE = "_data_and_timetable"


@dataclass(frozen=True)
class FetPlacement:
    """Where FET put one activity: its day and (first) hour, as FET names them, and its
    room (None: no room)."""

    activity: int
    day: str
    hour: str
    room: str | None = None


@dataclass
class TimetableImport:
    """A FET timetable as a solution, with what could not be carried onto it."""

    solution: Solution
    activities: int = 0  # activities of the imported courses
    placed: int = 0  # of them, placed by FET at a day and hour of the file
    courses: int = 0
    courses_run: int = 0  # courses with every activity placed: one group each
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            (
                f"FET's timetable: {self.placed} of {self.activities} activities placed; "
                f"{self.courses_run} of {self.courses} courses run (one group each)"
            )
        ]
        out.extend(f"  {n}" for n in self.notes)
        return out


def placements_from_fet(fet: FetFile) -> tuple[dict[int, FetPlacement], list[str]]:
    """The timetable a FET file carries as locks: each activity's active 100%
    ActivityPreferredStartingTime, and its room from an active 100% ActivityPreferredRoom.
    Returns the placements and notes (an activity given two different times is left
    out)."""
    start: dict[int, tuple[str, str]] = {}
    room: dict[int, str] = {}
    twice: set[int] = set()
    for c in fet.constraints:
        if not c.active or not c.hard:
            continue
        ref = (c.get("Activity_Id") or "").strip()
        if not ref.isdigit():
            continue
        aid = int(ref)
        if c.tag == "ConstraintActivityPreferredStartingTime":
            at = ((c.get("Preferred_Day") or "").strip(), (c.get("Preferred_Hour") or "").strip())
            if aid in start and start[aid] != at:
                twice.add(aid)
            start.setdefault(aid, at)
        elif c.tag == "ConstraintActivityPreferredRoom":
            name = (c.get("Room") or "").strip()
            if name:
                room.setdefault(aid, name)
    notes = []
    if twice:
        notes.append(
            f"{len(twice)} activit(y/ies) with two different locked starting times, left "
            f"unplaced: {_ids(twice)}"
        )
    out = {
        aid: FetPlacement(aid, day, hour, room.get(aid))
        for aid, (day, hour) in start.items()
        if aid not in twice
    }
    return out, notes


def read_activities_xml(path: Path) -> dict[int, FetPlacement]:
    """FET's ``..._activities.xml``: each activity's day, hour and room."""
    try:
        root = ET.fromstring(path.read_bytes())
    except (OSError, ET.ParseError) as exc:
        raise FetError(f"{path}: cannot be read as FET's activities timetable ({exc})") from None
    if root.tag != "Activities_Timetable":
        raise FetError(f"{path}: its root element is <{root.tag}>, not <Activities_Timetable>")
    out: dict[int, FetPlacement] = {}
    for a in root.findall("Activity"):
        ref = (a.findtext("Id") or "").strip()
        day = (a.findtext("Day") or "").strip()
        hour = (a.findtext("Hour") or "").strip()
        if not ref.isdigit() or not day or not hour:
            continue  # an activity FET did not place
        room = (a.findtext("Room") or "").strip() or None
        out[int(ref)] = FetPlacement(int(ref), day, hour, room)
    return out


def find_timetable(path: Path) -> Path:
    """The file holding FET's timetable: ``path`` itself, or in a folder fet-cl wrote,
    its one ``*_activities.xml`` (else its one ``*_data_and_timetable.fet``)."""
    if not path.is_dir():
        if not path.exists():
            raise FetError(f"{path}: no such file or folder")
        return path
    for pattern in (f"*{ACTIVITIES_XML}", f"*{DATA_AND_TIMETABLE}.fet"):
        found = sorted(path.rglob(pattern))
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(str(p.relative_to(path)) for p in found[:4])
            raise FetError(f"{path}: more than one FET timetable in it ({names}); name one")
    raise FetError(
        f"{path}: no FET timetable in it (no *{ACTIVITIES_XML} or *{DATA_AND_TIMETABLE}.fet)"
    )


def read_placements(path: str | Path) -> tuple[dict[int, FetPlacement], list[str], Path]:
    """FET's timetable from a file with one, or a folder fet-cl wrote: the placements,
    notes, and the file they were read from."""
    where = find_timetable(Path(path))
    if where.name.endswith(ACTIVITIES_XML):
        return read_activities_xml(where), [], where
    placements, notes = placements_from_fet(read_fet(where))
    return placements, notes, where


def fet_solution(
    school: School, ids: ImportIds, placements: dict[int, FetPlacement]
) -> TimetableImport:
    """FET's placements as a solution of the imported ``school`` (module docstring)."""
    by_label = school.calendar.by_label
    requests = school.course_requests
    groups: list[Group] = []
    result = TimetableImport(Solution(groups=()))
    unplaced: list[int] = []
    off_day: list[int] = []  # placed at a day or hour the file has not, or past the day
    room_unknown: list[int] = []
    no_room: list[int] = []
    for course_id, acts in ids.course_activities.items():
        course = school.course_by_id.get(course_id)
        if course is None:  # pragma: no cover - the importer writes every course
            continue
        result.courses += 1
        result.activities += len(acts)
        lessons: list[Lesson] = []
        for aid in acts:
            p = placements.get(aid)
            if p is None:
                unplaced.append(aid)
                continue
            dh = ids.slot_of.get((p.day, p.hour))
            n = ids.duration.get(aid, 1)
            if dh is None or dh[1] + n > ids.hours:
                off_day.append(aid)
                continue
            slots = tuple(by_label[ids.label(dh[0], dh[1] + k)] for k in range(n))
            room: str | None = None
            if not course.online:
                room = ids.room_id.get(p.room) if p.room else None
                if room is None:
                    (room_unknown if p.room else no_room).append(aid)
            lessons.append(Lesson(slots, room))
        result.placed += len(lessons)
        if len(lessons) != len(acts):
            continue
        students = frozenset(r.student for r in requests.get(course_id, ()))
        groups.append(Group(f"{course_id}.1", course_id, 1, tuple(lessons), course.staff, students))
        result.courses_run += 1
    if unplaced:
        result.notes.append(
            f"{len(unplaced)} activit(y/ies) not placed in FET's timetable: {_ids(unplaced)}"
        )
    if off_day:
        result.notes.append(
            f"{len(off_day)} activit(y/ies) placed at a day or hour the file does not have, or "
            f"running past the end of the day: {_ids(off_day)}"
        )
    if result.courses_run < result.courses:
        result.notes.append(
            f"{result.courses - result.courses_run} course(s) with an activity not placed run "
            "no group: their requests are unmet"
        )
    if room_unknown:
        result.notes.append(
            f"{len(room_unknown)} activit(y/ies) of school-mode courses in a room the "
            f"workbook has not (a virtual room): no room written: {_ids(room_unknown)}"
        )
    if no_room:
        result.notes.append(
            f"{len(no_room)} activit(y/ies) of school-mode courses without a room in FET's "
            f"timetable: no room written: {_ids(no_room)}"
        )
    draft = Solution(groups=tuple(groups), status=Status.FEASIBLE)
    terms = objective_terms(school, draft)
    result.solution = Solution(
        groups=tuple(groups),
        outcomes=expected_outcomes(school, draft),
        status=Status.FEASIBLE,
        objective=sum(terms.values()),
        objective_terms=terms,
        stats=SolveStats(
            {
                "source": "FET",
                "fet_activities": result.activities,
                "fet_activities_placed": result.placed,
            }
        ),
    )
    return result


def _ids(ids: list[int] | set[int], most: int = 10) -> str:
    shown = sorted(ids)
    more = f" and {len(shown) - most} more" if len(shown) > most else ""
    return ", ".join(str(i) for i in shown[:most]) + more
