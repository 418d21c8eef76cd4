"""A FET file (FET 5 and 6, ``.fet`` or ``.fet.xz``) as Pathways workbook tables.

Two steps: :func:`read_fet` parses the XML into plain dataclasses (:class:`FetFile`), and
:func:`build_tables` turns those into a table set (:mod:`scheduler.workbook.tables`) and
an :class:`ImportReport` that lists, constraint by constraint, what was carried over and
what was not (type, count, weight, why). docs/fet.md says what becomes what.

FET's constraints of weight 100% are hard; those that become Rules rows are soft rows
below 100% (with FET's weight), the others are listed as not carried over. A split
activity is one course, whose lessons the workbook's rule 4 puts on different days, only
where a 100% MinDaysBetweenActivities does so in FET; one whose lessons FET lets share a
day is a course per activity, its MinDaysBetweenActivities Rules rows.
"""

from __future__ import annotations

import lzma
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scheduler.model import hhmm
from scheduler.workbook.read import CellError, to_day
from scheduler.workbook.tables import Tables

__all__ = [
    "FetActivity",
    "FetConstraint",
    "FetError",
    "FetFile",
    "FetRoom",
    "FetYear",
    "ImportIds",
    "ImportReport",
    "build_tables",
    "import_fet",
    "read_fet",
]

#: A Rules row's ``slots`` to be the file's break times (known once every constraint is read).
BREAKS = "<breaks>"
#: At most this many builds of one file, each with more split activities taken apart
#: (:func:`build_tables`).
MAX_BUILDS = 4
#: Constraints every FET file has and Pathways always keeps (no clashes of teachers,
#: students and rooms; room capacity): neither counted nor listed.
BASIC = frozenset({"ConstraintBasicCompulsoryTime", "ConstraintBasicCompulsorySpace"})
#: Room constraints carried over as a course's room_type.
ROOM_CONSTRAINTS = frozenset(
    {
        "ConstraintActivityPreferredRoom",
        "ConstraintActivityPreferredRooms",
        "ConstraintSubjectPreferredRoom",
        "ConstraintSubjectPreferredRooms",
        "ConstraintActivityTagPreferredRoom",
        "ConstraintActivityTagPreferredRooms",
        "ConstraintSubjectActivityTagPreferredRoom",
        "ConstraintSubjectActivityTagPreferredRooms",
    }
)
SAME_START = "ConstraintActivitiesSameStartingTime"
#: Constraints on the times of activities carried over as Rules rows (start_at: the
#: activity starts at one of the slots; within: every hour of it is at one of them).
PREFERRED_TIMES = {
    "ConstraintActivitiesPreferredStartingTimes": ("start_at", "Preferred_Starting_Time"),
    "ConstraintActivityPreferredStartingTimes": ("start_at", "Preferred_Starting_Time"),
    "ConstraintActivitiesPreferredTimeSlots": ("within", "Preferred_Time_Slot"),
    "ConstraintActivityPreferredTimeSlots": ("within", "Preferred_Time_Slot"),
    "ConstraintSubactivitiesPreferredStartingTimes": ("start_at", "Preferred_Starting_Time"),
    "ConstraintSubactivitiesPreferredTimeSlots": ("within", "Preferred_Time_Slot"),
}
#: Teachers' constraints carried over as Rules rows: (rule, the FET element of its value).
TEACHER_RULES = {
    "ConstraintTeacherMaxDaysPerWeek": ("staff_max_days", "Max_Days_Per_Week"),
    "ConstraintTeachersMaxDaysPerWeek": ("staff_max_days", "Max_Days_Per_Week"),
    "ConstraintTeacherMaxGapsPerWeek": ("staff_max_gaps_week", "Max_Gaps"),
    "ConstraintTeachersMaxGapsPerWeek": ("staff_max_gaps_week", "Max_Gaps"),
    "ConstraintTeacherMaxGapsPerDay": ("staff_max_gaps_day", "Max_Gaps"),
    "ConstraintTeachersMaxGapsPerDay": ("staff_max_gaps_day", "Max_Gaps"),
    "ConstraintTeacherMaxHoursDaily": ("staff_max_periods_day", "Maximum_Hours_Daily"),
    "ConstraintTeachersMaxHoursDaily": ("staff_max_periods_day", "Maximum_Hours_Daily"),
    "ConstraintTeacherMinHoursDaily": ("staff_min_periods_day", "Minimum_Hours_Daily"),
    "ConstraintTeachersMinHoursDaily": ("staff_min_periods_day", "Minimum_Hours_Daily"),
    "ConstraintTeacherMinDaysPerWeek": ("staff_min_days", "Minimum_Days_Per_Week"),
    "ConstraintTeachersMinDaysPerWeek": ("staff_min_days", "Minimum_Days_Per_Week"),
    "ConstraintTeacherMaxHoursContinuously": ("staff_max_in_a_row", "Maximum_Hours_Continuously"),
    "ConstraintTeachersMaxHoursContinuously": ("staff_max_in_a_row", "Maximum_Hours_Continuously"),
    "ConstraintTeacherMinRestingHours": ("staff_min_rest", "Minimum_Resting_Hours"),
    "ConstraintTeachersMinRestingHours": ("staff_min_rest", "Minimum_Resting_Hours"),
    "ConstraintTeacherMaxSpanPerDay": ("staff_max_span_day", "Max_Span"),
    "ConstraintTeachersMaxSpanPerDay": ("staff_max_span_day", "Max_Span"),
}
#: Student sets' constraints carried over as Rules rows (every student, or one set's):
#: (rule, the FET element of its value). Min hours daily without empty days allowed is
#: ``students_min_periods_every_day``.
STUDENT_GAPS = {
    "ConstraintStudentsMaxGapsPerWeek": ("students_max_gaps_week", "Max_Gaps"),
    "ConstraintStudentsSetMaxGapsPerWeek": ("students_max_gaps_week", "Max_Gaps"),
    "ConstraintStudentsMaxGapsPerDay": ("students_max_gaps_day", "Max_Gaps"),
    "ConstraintStudentsSetMaxGapsPerDay": ("students_max_gaps_day", "Max_Gaps"),
    "ConstraintStudentsMinHoursDaily": ("students_min_periods_day", "Minimum_Hours_Daily"),
    "ConstraintStudentsSetMinHoursDaily": ("students_min_periods_day", "Minimum_Hours_Daily"),
    "ConstraintStudentsMaxHoursDaily": ("students_max_periods_day", "Maximum_Hours_Daily"),
    "ConstraintStudentsSetMaxHoursDaily": ("students_max_periods_day", "Maximum_Hours_Daily"),
    "ConstraintStudentsEarlyMaxBeginningsAtSecondHour": (
        "students_early_start",
        "Max_Beginnings_At_Second_Hour",
    ),
    "ConstraintStudentsSetEarlyMaxBeginningsAtSecondHour": (
        "students_early_start",
        "Max_Beginnings_At_Second_Hour",
    ),
    "ConstraintStudentsMaxHoursContinuously": (
        "students_max_in_a_row",
        "Maximum_Hours_Continuously",
    ),
    "ConstraintStudentsSetMaxHoursContinuously": (
        "students_max_in_a_row",
        "Maximum_Hours_Continuously",
    ),
    "ConstraintStudentsMinRestingHours": ("students_min_rest", "Minimum_Resting_Hours"),
    "ConstraintStudentsSetMinRestingHours": ("students_min_rest", "Minimum_Resting_Hours"),
    "ConstraintStudentsMaxSpanPerDay": ("students_max_span_day", "Max_Span"),
    "ConstraintStudentsSetMaxSpanPerDay": ("students_max_span_day", "Max_Span"),
}
#: Constraints on a few activities' times carried over as Rules rows of their lessons.
ACTIVITY_RULES = {
    "ConstraintTwoActivitiesConsecutive": "consecutive",
    "ConstraintTwoActivitiesGrouped": "grouped",
    "ConstraintActivitiesNotOverlapping": "not_overlapping",
    "ConstraintActivityEndsStudentsDay": "ends_students_day",
    "ConstraintActivitiesEndStudentsDay": "ends_students_day",
    "ConstraintActivitiesOccupyMaxTimeSlotsFromSelection": "lessons_max_slots",
    "ConstraintActivitiesSameStartingDay": "same_day",
    "ConstraintMinGapsBetweenActivities": "min_gap",
    "ConstraintActivitiesSameStartingHour": "same_hour",
    "ConstraintTwoActivitiesOrdered": "ordered",
    "ConstraintTwoActivitiesOrderedIfSameDay": "ordered_if_same_day",
    "ConstraintThreeActivitiesGrouped": "grouped",
    "ConstraintActivitiesMaxSimultaneousInSelectedTimeSlots": "lessons_max_at_once",
    "ConstraintActivitiesOccupyMaxDifferentRooms": "lessons_max_rooms",
    "ConstraintMaxDaysBetweenActivities": "max_days_apart",
    "ConstraintActivitiesSameRoomIfConsecutive": "same_room_if_consecutive",
}
#: Teachers' building changes -> (rule, the FET element of its value): a Rules row of the
#: teacher, or of every teacher, when each of their courses' rooms is in one building.
SITE_RULES = {
    "ConstraintTeacherMaxBuildingChangesPerDay": (
        "staff_max_site_changes_day",
        "Max_Building_Changes_Per_Day",
    ),
    "ConstraintTeachersMaxBuildingChangesPerDay": (
        "staff_max_site_changes_day",
        "Max_Building_Changes_Per_Day",
    ),
    "ConstraintTeacherMinGapsBetweenBuildingChanges": (
        "staff_min_gap_site_change",
        "Min_Gaps_Between_Building_Changes",
    ),
    "ConstraintTeachersMinGapsBetweenBuildingChanges": (
        "staff_min_gap_site_change",
        "Min_Gaps_Between_Building_Changes",
    ),
    "ConstraintTeacherMaxBuildingChangesPerWeek": (
        "staff_max_site_changes_week",
        "Max_Building_Changes_Per_Week",
    ),
    "ConstraintTeachersMaxBuildingChangesPerWeek": (
        "staff_max_site_changes_week",
        "Max_Building_Changes_Per_Week",
    ),
    "ConstraintStudentsSetMaxBuildingChangesPerDay": (
        "students_max_site_changes_day",
        "Max_Building_Changes_Per_Day",
    ),
    "ConstraintStudentsMaxBuildingChangesPerDay": (
        "students_max_site_changes_day",
        "Max_Building_Changes_Per_Day",
    ),
    "ConstraintStudentsSetMaxBuildingChangesPerWeek": (
        "students_max_site_changes_week",
        "Max_Building_Changes_Per_Week",
    ),
    "ConstraintStudentsMaxBuildingChangesPerWeek": (
        "students_max_site_changes_week",
        "Max_Building_Changes_Per_Week",
    ),
    "ConstraintStudentsSetMinGapsBetweenBuildingChanges": (
        "students_min_gap_site_change",
        "Min_Gaps_Between_Building_Changes",
    ),
    "ConstraintStudentsMinGapsBetweenBuildingChanges": (
        "students_min_gap_site_change",
        "Min_Gaps_Between_Building_Changes",
    ),
}
#: Activity tags' max hours of a teacher (or every teacher) or a student set (or every
#: student set): a Rules row per teacher, or per smallest student set, of their lessons
#: with the tag -> (rule, the FET element of its value).
TAG_RULES = {
    "ConstraintTeacherActivityTagMaxHoursDaily": ("lessons_max_periods_day", "Maximum_Hours_Daily"),
    "ConstraintTeachersActivityTagMaxHoursDaily": (
        "lessons_max_periods_day",
        "Maximum_Hours_Daily",
    ),
    "ConstraintStudentsActivityTagMaxHoursDaily": (
        "lessons_max_periods_day",
        "Maximum_Hours_Daily",
    ),
    "ConstraintStudentsSetActivityTagMaxHoursDaily": (
        "lessons_max_periods_day",
        "Maximum_Hours_Daily",
    ),
    "ConstraintTeacherActivityTagMaxHoursContinuously": (
        "lessons_max_in_a_row",
        "Maximum_Hours_Continuously",
    ),
    "ConstraintTeachersActivityTagMaxHoursContinuously": (
        "lessons_max_in_a_row",
        "Maximum_Hours_Continuously",
    ),
    "ConstraintStudentsActivityTagMaxHoursContinuously": (
        "lessons_max_in_a_row",
        "Maximum_Hours_Continuously",
    ),
    "ConstraintStudentsSetActivityTagMaxHoursContinuously": (
        "lessons_max_in_a_row",
        "Maximum_Hours_Continuously",
    ),
}
#: Interval max days per week: a teacher's (or every teacher's), a student set's (or every
#: student's) days with lessons in an interval of hours -> a Rules row of those slots.
INTERVAL_DAYS = {
    "ConstraintTeacherIntervalMaxDaysPerWeek": "staff_max_days_at",
    "ConstraintTeachersIntervalMaxDaysPerWeek": "staff_max_days_at",
    "ConstraintStudentsSetIntervalMaxDaysPerWeek": "students_max_days_at",
    "ConstraintStudentsIntervalMaxDaysPerWeek": "students_max_days_at",
}
#: Home rooms: the rooms of the activities of one teacher, or of one student set, alone
#: (FET's reading: an activity whose only teacher, or only student set, it is), that have
#: no preferred room of their own.
HOME_ROOMS = {
    "ConstraintTeacherHomeRoom": "Teacher",
    "ConstraintTeacherHomeRooms": "Teacher",
    "ConstraintStudentsSetHomeRoom": "Students",
    "ConstraintStudentsSetHomeRooms": "Students",
}
#: In FET's mornings-afternoons mode a FET day is half a real day, and these constraints
#: count real days: FET's own timetables leave an afternoon empty under a min hours daily
#: without empty days, and teach a teacher on more half days than a max days per week;
#: the other daily ones are taken to count real days likewise (not verified). Not
#: carried over in that mode.
REAL_DAY_RULES = frozenset(
    {
        "ConstraintTeacherMaxDaysPerWeek",
        "ConstraintTeachersMaxDaysPerWeek",
        "ConstraintTeacherMinDaysPerWeek",
        "ConstraintTeachersMinDaysPerWeek",
        "ConstraintTeacherMaxHoursDaily",
        "ConstraintTeachersMaxHoursDaily",
        "ConstraintTeacherMinHoursDaily",
        "ConstraintTeachersMinHoursDaily",
        "ConstraintTeacherMaxGapsPerDay",
        "ConstraintTeachersMaxGapsPerDay",
        "ConstraintStudentsMaxGapsPerDay",
        "ConstraintStudentsSetMaxGapsPerDay",
        "ConstraintStudentsMinHoursDaily",
        "ConstraintStudentsSetMinHoursDaily",
        "ConstraintStudentsEarlyMaxBeginningsAtSecondHour",
        "ConstraintStudentsSetEarlyMaxBeginningsAtSecondHour",
        "ConstraintStudentsMaxHoursDaily",
        "ConstraintStudentsSetMaxHoursDaily",
        "ConstraintActivityEndsStudentsDay",
        "ConstraintActivitiesEndStudentsDay",
        "ConstraintTeacherActivityTagMaxHoursDaily",
        "ConstraintTeachersActivityTagMaxHoursDaily",
        "ConstraintStudentsActivityTagMaxHoursDaily",
        "ConstraintStudentsSetActivityTagMaxHoursDaily",
        "ConstraintTeacherMaxBuildingChangesPerDay",
        "ConstraintTeachersMaxBuildingChangesPerDay",
        "ConstraintStudentsSetMaxBuildingChangesPerDay",
        "ConstraintStudentsMaxBuildingChangesPerDay",
        "ConstraintTeacherMinRestingHours",
        "ConstraintTeachersMinRestingHours",
        "ConstraintStudentsMinRestingHours",
        "ConstraintStudentsSetMinRestingHours",
        "ConstraintTeacherMaxSpanPerDay",
        "ConstraintTeachersMaxSpanPerDay",
        "ConstraintStudentsMaxSpanPerDay",
        "ConstraintStudentsSetMaxSpanPerDay",
    }
)
REAL_DAY_WHY = (
    "FET's mornings-afternoons mode: the imported days are half days, and this "
    "constraint's days are real days (a morning and an afternoon): no Pathways rule yet"
)
#: The largest room the workbook accepts (docs/workbook.md's bounds); FET's default is 30000.
MAX_CAPACITY = 10_000


class FetError(Exception):
    """A file that cannot be read as FET: the message is one line for the terminal."""


# ---------------------------------------------------------------------------- the file


@dataclass(frozen=True)
class FetActivity:
    id: int
    group_id: int  # 0 when the activity is not split
    teachers: tuple[str, ...]
    subject: str
    students: tuple[str, ...]
    duration: int
    active: bool = True
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class FetRoom:
    name: str
    building: str
    capacity: int
    virtual: bool = False


@dataclass(frozen=True)
class FetSubgroup:
    name: str
    students: int


@dataclass(frozen=True)
class FetGroup:
    name: str
    students: int
    subgroups: tuple[FetSubgroup, ...] = ()


@dataclass(frozen=True)
class FetYear:
    name: str
    students: int
    groups: tuple[FetGroup, ...] = ()


@dataclass(frozen=True)
class FetConstraint:
    """One time or space constraint: its tag, weight, whether active, and its leaf
    elements in document order as (path, text), e.g. ``("Not_Available_Time/Day", "Mon")``."""

    tag: str
    weight: float
    active: bool
    items: tuple[tuple[str, str], ...]

    def get(self, path: str) -> str | None:
        return next((t for p, t in self.items if p == path), None)

    def all(self, path: str) -> list[str]:
        return [t for p, t in self.items if p == path]

    @property
    def kind(self) -> str:
        return self.tag.removeprefix("Constraint")

    @property
    def hard(self) -> bool:
        return self.weight >= 100


@dataclass(frozen=True)
class FetFile:
    version: str
    institution: str
    days: tuple[str, ...]
    hours: tuple[str, ...]
    subjects: tuple[str, ...]
    teachers: tuple[str, ...]
    years: tuple[FetYear, ...]
    activities: tuple[FetActivity, ...]
    buildings: tuple[str, ...]
    rooms: tuple[FetRoom, ...]
    constraints: tuple[FetConstraint, ...]
    #: FET's mode: ``Official``, or ``Mornings_Afternoons`` (FET 6's ``<Mode>``, or a
    #: FET 5 mornings-afternoons build: :func:`_mode_of`), ``Block_Planning``, ``Terms``
    mode: str = "Official"

    @property
    def mornings_afternoons(self) -> bool:
        """FET's days are half days (a morning or an afternoon) of real days."""
        return self.mode == "Mornings_Afternoons"


def _text(el: ET.Element | None, tag: str, default: str = "") -> str:
    if el is None:
        return default
    t = el.findtext(tag)
    return default if t is None else t.strip()


def _int(el: ET.Element, tag: str, what: str, default: int | None = None) -> int:
    raw = _text(el, tag)
    if not raw and default is not None:
        return default
    try:
        return int(float(raw))
    except ValueError:
        raise FetError(f"{what}: <{tag}> is {raw!r}, not a number") from None


def _names(parent: ET.Element | None, item: str) -> tuple[str, ...]:
    if parent is None:
        return ()
    return tuple(_text(e, "Name") for e in parent.findall(item))


def _leaves(el: ET.Element, prefix: str = "") -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for child in el:
        path = f"{prefix}{child.tag}"
        if len(child):
            out.extend(_leaves(child, path + "/"))
        else:
            out.append((path, (child.text or "").strip()))
    return out


def _constraint(el: ET.Element) -> FetConstraint:
    raw = _text(el, "Weight_Percentage", "100")
    try:
        weight = float(raw)
    except ValueError:
        raise FetError(f"{el.tag}: <Weight_Percentage> is {raw!r}, not a number") from None
    active = _text(el, "Active", "true").casefold() != "false"
    return FetConstraint(el.tag, weight, active, tuple(_leaves(el)))


def parse_fet(data: bytes) -> FetFile:
    """Parse a FET file's bytes (XML) into a :class:`FetFile`."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FetError(f"not a FET file: the XML cannot be read ({exc})") from None
    if root.tag != "fet":
        raise FetError(f"not a FET file: its root element is <{root.tag}>, expected <fet>")
    days = _names(root.find("Days_List"), "Day")
    hours = _names(root.find("Hours_List"), "Hour")
    if not days or not hours:
        raise FetError("not a FET file to import: it has no days or no hours")
    years = []
    for y in root.findall("Students_List/Year"):
        groups = []
        for g in y.findall("Group"):
            subs = tuple(
                FetSubgroup(_text(s, "Name"), _int(s, "Number_of_Students", "a subgroup", 0))
                for s in g.findall("Subgroup")
            )
            groups.append(
                FetGroup(_text(g, "Name"), _int(g, "Number_of_Students", "a group", 0), subs)
            )
        years.append(
            FetYear(_text(y, "Name"), _int(y, "Number_of_Students", "a year", 0), tuple(groups))
        )
    activities = []
    for a in root.findall("Activities_List/Activity"):
        aid = _int(a, "Id", "an activity")
        activities.append(
            FetActivity(
                aid,
                _int(a, "Activity_Group_Id", f"activity {aid}", 0),
                tuple((t.text or "").strip() for t in a.findall("Teacher")),
                _text(a, "Subject"),
                tuple((s.text or "").strip() for s in a.findall("Students")),
                _int(a, "Duration", f"activity {aid}", 1),
                _text(a, "Active", "true").casefold() != "false",
                tuple((t.text or "").strip() for t in a.findall("Activity_Tag")),
            )
        )
    seen: set[int] = set()
    for act in activities:
        if act.id in seen:
            raise FetError(f"activity id {act.id} is given twice")
        seen.add(act.id)
    rooms = tuple(
        FetRoom(
            _text(r, "Name"),
            _text(r, "Building"),
            _int(r, "Capacity", "a room", MAX_CAPACITY),
            _text(r, "Virtual", "false").casefold() == "true",
        )
        for r in root.findall("Rooms_List/Room")
    )
    constraints = tuple(
        _constraint(c)
        for lst in ("Time_Constraints_List", "Space_Constraints_List")
        for c in root.findall(lst + "/*")
    )
    version = root.get("version", "?")
    mode = _text(root, "Mode") or _mode_of(version)
    return FetFile(
        mode=mode,
        version=version,
        institution=_text(root, "Institution_Name"),
        days=days,
        hours=hours,
        subjects=_names(root.find("Subjects_List"), "Subject"),
        teachers=_names(root.find("Teachers_List"), "Teacher"),
        years=tuple(years),
        activities=tuple(activities),
        buildings=_names(root.find("Buildings_List"), "Building"),
        rooms=rooms,
        constraints=constraints,
    )


def _mode_of(version: str) -> str:
    """The mode of a FET 5 file (no ``<Mode>``), from its version: FET 5's
    mornings-afternoons builds are ``5.27.3-ma9``, ``-morocco30``, ``-algeria17``; its
    block-planning builds ``-bp``."""
    if re.search(r"-(ma|morocco|algeria)\d*$", version):
        return "Mornings_Afternoons"
    if version.endswith("-bp"):
        return "Block_Planning"
    return "Official"


def read_fet(path: str | Path) -> FetFile:
    """Read a ``.fet`` file, or a ``.fet.xz`` one (lzma), into a :class:`FetFile`."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".xz":
            with lzma.open(path) as fh:
                data = fh.read()
        else:
            data = path.read_bytes()
    except lzma.LZMAError as exc:
        raise FetError(f"{path}: cannot be decompressed ({exc})") from None
    except OSError as exc:
        raise FetError(f"{path}: {exc.strerror or exc}") from None
    try:
        return parse_fet(data)
    except FetError as exc:
        raise FetError(f"{path}: {exc}") from None


# ---------------------------------------------------------------------------- the report


@dataclass
class ImportReport:
    """What was carried over and what was not, counted per constraint type."""

    source: str = ""
    version: str = ""
    figures: dict[str, int] = field(default_factory=dict)
    carried: Counter[str] = field(default_factory=Counter)
    #: (type, weight, why) -> count
    not_carried: Counter[tuple[str, float, str]] = field(default_factory=Counter)
    stricter: Counter[tuple[str, float]] = field(default_factory=Counter)
    #: (type, weight) -> count carried over as soft rules of the Rules sheet
    soft: Counter[tuple[str, float]] = field(default_factory=Counter)
    inactive: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    hard_total: int = 0
    hard_carried: int = 0

    @property
    def complete(self) -> bool:
        """Every hard (100%) constraint was carried over."""
        return self.hard_carried == self.hard_total

    def keep(self, c: FetConstraint) -> None:
        if c.hard:
            self.carried[c.kind] += 1
            self.hard_carried += 1
        else:
            self.stricter[(c.kind, c.weight)] += 1

    def keep_soft(self, c: FetConstraint) -> None:
        """A constraint below 100% carried over as a soft rule (its weight)."""
        self.soft[(c.kind, c.weight)] += 1

    def drop(self, c: FetConstraint, why: str) -> None:
        self.not_carried[(c.kind, c.weight, why)] += 1

    def lines(self) -> list[str]:
        out = [f"FET import of {self.source} (FET {self.version})"]
        out.append(", ".join(f"{n} {what}" for what, n in self.figures.items()))
        out.append(
            f"hard (100%) constraints carried over: {self.hard_carried} of {self.hard_total}"
            + (" (all)" if self.complete else "")
        )
        out.append("")
        out.append("Carried over:")
        if not self.carried and not self.stricter and not self.soft:
            out.append("  (none)")
        for kind, n in sorted(self.carried.items()):
            out.append(f"  {kind}: {n}")
        for (kind, w), n in sorted(self.stricter.items()):
            out.append(f"  {kind}: {n} of weight {_w(w)}% kept as hard rules (stricter than FET)")
        for (kind, w), n in sorted(self.soft.items()):
            out.append(f"  {kind}: {n} of weight {_w(w)}% as soft rules (Rules weight {soft(w)})")
        out.append("")
        out.append("Not carried over (constraint type, count, weight, why):")
        if not self.not_carried:
            out.append("  (none)")
        for (kind, w, why), n in sorted(self.not_carried.items()):
            out.append(f"  {kind}: {n} of weight {_w(w)}%: {why}")
        if self.inactive:
            out.append("")
            out.append("Inactive in the FET file (ignored, as FET does):")
            for kind, n in sorted(self.inactive.items()):
                out.append(f"  {kind}: {n}")
        if self.notes:
            out.append("")
            out.append("Notes:")
            out.extend(f"  {n}" for n in self.notes)
        return out

    def text(self) -> str:
        return "\n".join(self.lines()) + "\n"


def _w(weight: float) -> str:
    return f"{weight:g}"


def soft(weight: float) -> int:
    """A Rules row's weight for a FET weight below 100%: the percentage, at least 1."""
    return max(1, round(weight))


# ---------------------------------------------------------------------------- building


_LIST_SEPARATORS = re.compile(r"[,;:]")


class _Ids:
    """Unique workbook ids for FET names: list separators (and ``:``, which a Staff
    subjects cell reads as stages) become ``/``; a name that is blank or taken (ids are
    matched case-insensitively) gets a number."""

    def __init__(self, blank: str) -> None:
        self.blank = blank
        self.by_name: dict[str, str] = {}
        self.taken: set[str] = set()

    def __call__(self, name: str, again: bool = False) -> str:
        """The id of ``name``; with ``again``, a new id for a second thing of that name
        (the first keeps the name's id)."""
        if name in self.by_name and not again:
            return self.by_name[name]
        base = " ".join(_LIST_SEPARATORS.sub("/", name).split()) or self.blank
        ident, k = base, 1
        while ident.casefold() in self.taken:
            k += 1
            ident = f"{base} ~{k}"
        self.taken.add(ident.casefold())
        self.by_name.setdefault(name, ident)
        return ident


_RANGE = re.compile(r"(\d{1,2})[:.h](\d{2})\s*(?:-|–|to|a|à)\s*(\d{1,2})[:.h](\d{2})")
_START = re.compile(r"(\d{1,2})[:.h](\d{2})")


def hour_times(hours: tuple[str, ...]) -> tuple[list[tuple[int, int]], bool]:
    """Start and end (minutes after midnight) of each hour, read from the hour names
    (``08:00-08:45``, ``13.30 - 14.30``, or a start ``8:00``; an end missing is the
    next start, or 45 minutes); when they do not all read as times that follow each
    other, synthetic ones from 08:00 (False)."""
    starts: list[int] = []
    ends: list[int | None] = []
    for name in hours:
        m = _RANGE.search(name)
        if m:
            h1, m1, h2, m2 = (int(x) for x in m.groups())
            starts.append(h1 * 60 + m1)
            ends.append(h2 * 60 + m2)
            continue
        m = _START.search(name)
        if not m:
            break
        starts.append(int(m.group(1)) * 60 + int(m.group(2)))
        ends.append(None)
    if len(starts) == len(hours):
        times = []
        for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
            end = e if e is not None else (starts[i + 1] if i + 1 < len(starts) else s + 45)
            times.append((s, end))
        if all(0 <= s < e < 24 * 60 for s, e in times) and all(
            times[i][1] <= times[i + 1][0] for i in range(len(times) - 1)
        ):
            return times, True
    length = max(1, min(60, (24 * 60 - 1 - 8 * 60) // max(1, len(hours))))
    return [(480 + i * length, 480 + (i + 1) * length) for i in range(len(hours))], False


def _day_labels(days: tuple[str, ...]) -> list[str]:
    labels: list[str] = []
    taken: set[str] = set()
    for i, name in enumerate(days):
        label = " ".join(name.split())
        try:
            label = to_day(label)
        except CellError:
            label = ""
        if not label or _LIST_SEPARATORS.search(label) or label.casefold() in taken:
            label = f"Day {i + 1}"
        taken.add(label.casefold())
        labels.append(label)
    return labels


@dataclass
class _Course:
    ident: str
    subject: str
    teachers: tuple[str, ...]
    sets: tuple[str, ...]
    activities: list[FetActivity] = field(default_factory=list)
    #: The split activity it comes from (FET's Activity_Group_Id, or its activity's id).
    split: int = 0


@dataclass
class _Build:
    fet: FetFile
    report: ImportReport
    day_label: list[str] = field(default_factory=list)
    slot_of: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    courses: list[_Course] = field(default_factory=list)
    course_of: dict[int, _Course] = field(default_factory=dict)

    def slot(self, day: str, hour: str) -> tuple[int, int] | None:
        return self.slot_of.get((day, hour))

    def label(self, d: int, h: int) -> str:
        return f"{self.day_label[d]} {h + 1}"


@dataclass
class ImportIds:
    """Where the FET file's things went in the workbook, for reading a FET timetable of
    the file onto it (:mod:`scheduler.importers.fet_timetable`): filled in by
    :func:`build_tables` when given one."""

    #: course id -> its activities' ids, in the order of its ``lessons``
    course_activities: dict[str, list[int]] = field(default_factory=dict)
    #: activity id -> its duration (hours)
    duration: dict[int, int] = field(default_factory=dict)
    #: (FET day name, FET hour name) -> (day index, hour index)
    slot_of: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    #: the Calendar's day label of each FET day
    day_label: list[str] = field(default_factory=list)
    hours: int = 0
    #: FET room name -> workbook room id (rooms that are not virtual)
    room_id: dict[str, str] = field(default_factory=dict)

    def label(self, d: int, h: int) -> str:
        """The Calendar label of FET's day ``d``, hour ``h`` (both 0-based)."""
        return f"{self.day_label[d]} {h + 1}"


def build_tables(
    fet: FetFile,
    source: str = "",
    into: ImportIds | None = None,
    separate: frozenset[int] = frozenset(),
    builds: int = 1,
) -> tuple[Tables, ImportReport]:
    """The workbook tables of a FET file, and the report of what was carried over;
    ``into``, when given, is filled in with where the file's things went.

    A split activity is one course of several lessons, whose lessons of one length are
    interchangeable (rule 4 spreads them over the days). Where a hard constraint tells
    them apart (names only some, or gives them different times or rooms) and so cannot
    be carried over, the file is built again with each activity of those split
    activities (``separate``: their group ids) a course of its own, FET's own
    MinDaysBetweenActivities then spreading them as Rules rows."""
    report = ImportReport(source=source, version=fet.version)
    b = _Build(fet, report)
    b.day_label = _day_labels(fet.days)
    if fet.mode != "Official":
        report.notes.append(
            f"FET's {fet.mode} mode: imported as FET's official mode, a FET day a Calendar "
            "day"
            + (
                " (a half day here: the constraints counting real days are not carried)"
                if fet.mornings_afternoons
                else ""
            )
        )
    for d, day in enumerate(fet.days):
        for h, hour in enumerate(fet.hours):
            b.slot_of.setdefault((day, hour), (d, h))
    times, real = hour_times(fet.hours)
    if not real:
        report.notes.append(
            "the hour names are not all times: the Calendar's start and end times are "
            f"made up ({hhmm(times[0][0])} on, {times[0][1] - times[0][0]} minutes a period)"
        )
    calendar = [
        {"day": b.day_label[d], "period": h + 1, "start": hhmm(s), "end": hhmm(e)}
        for d in range(len(fet.days))
        for h, (s, e) in enumerate(times)
    ]

    # Students: one leaf set per subgroup (or group, or year, without smaller sets).
    leaf_count: dict[str, int] = {}
    leaf_year: dict[str, int] = {}
    members: dict[str, list[str]] = {}

    def add(name: str, leaves: list[str]) -> None:
        got = members.setdefault(name, [])
        got.extend(x for x in leaves if x not in got)

    zero = 0
    for yi, y in enumerate(fet.years, start=1):
        year_leaves: list[str] = []
        if not y.groups:
            leaf_count.setdefault(y.name, y.students)
            leaf_year.setdefault(y.name, yi)
            year_leaves.append(y.name)
        for g in y.groups:
            group_leaves = [s.name for s in g.subgroups] or [g.name]
            for sub in g.subgroups or (FetSubgroup(g.name, g.students),):
                leaf_count.setdefault(sub.name, sub.students)
                leaf_year.setdefault(sub.name, yi)
            add(g.name, group_leaves)
            year_leaves.extend(group_leaves)
        add(y.name, year_leaves)
    for leaf, count in list(leaf_count.items()):
        add(leaf, [leaf])
        if count <= 0:
            zero += 1
            leaf_count[leaf] = 1
    if zero:
        report.notes.append(
            f"{zero} student set(s) of 0 students: each has 1 student in the workbook"
        )

    # Courses: one per split activity (activity group), split further where its
    # sub-activities differ in subject, teachers or students.
    inactive = [a for a in fet.activities if not a.active]
    if inactive:
        report.notes.append(f"{len(inactive)} inactive activities left out (as FET does)")
    # Rule 4 puts a course's lessons on different days; FET does so only under a 100%
    # MinDaysBetweenActivities. Split activities whose lessons FET lets share a day are
    # taken apart (a course per activity), their MinDays then Rules rows.
    loose = _sharing_a_day(fet)
    separate = separate | frozenset(loose)
    by_key: dict[tuple[int, str, tuple[str, ...], tuple[str, ...]], _Course] = {}
    unknown_sets: set[str] = set()
    for a in sorted((a for a in fet.activities if a.active), key=lambda a: a.id):
        split = a.group_id or a.id
        key = (a.id if split in separate else split, a.subject, a.teachers, a.students)
        course = by_key.get(key)
        if course is None:
            course = _Course(f"A{a.id}", a.subject, a.teachers, a.students, split=split)
            by_key[key] = course
            b.courses.append(course)
        course.activities.append(a)
        b.course_of[a.id] = course
        unknown_sets.update(s for s in a.students if s not in members)
    if unknown_sets:
        report.notes.append(
            f"{len(unknown_sets)} student set(s) named by activities but not in the "
            "students list: left out of those activities"
        )

    fet_duration = {a.id: a.duration for a in fet.activities}
    staff_id = _Ids("teacher")
    subject_id = _Ids("subject")
    room_id = _Ids("room")
    student_base = _Ids("students")
    rooms_by_name = {r.name: r for r in fet.rooms}

    unavailable_staff: dict[str, set[str]] = {}
    unavailable_room: dict[str, set[str]] = {}
    unavailable_set: dict[str, set[str]] = {}  # student set name -> slot labels
    break_slots: set[str] = set()
    locks: dict[int, tuple[int, int]] = {}  # activity id -> (day, hour)
    room_sets: dict[int, frozenset[str]] = {}  # activity id -> rooms allowed
    room_touch: list[tuple[FetConstraint, list[int]]] = []
    lock_list: list[tuple[FetConstraint, int]] = []

    def times_of(c: FetConstraint, prefix: str, leaf: str = "") -> list[str] | None:
        out = []
        days, hours = c.all(f"{prefix}/{leaf}Day"), c.all(f"{prefix}/{leaf}Hour")
        for day, hour in zip(days, hours, strict=False):
            s = b.slot(day, hour)
            if s is None:
                return None
            out.append(b.label(*s))
        return out

    def not_available(
        c: FetConstraint, who: str, known: Container[str], into: dict[str, set[str]], what: str
    ) -> None:
        """A not-available-times constraint of a teacher, student set or room: its slots
        into ``into[who]``, or reported when it names what the file does not have."""
        slots = times_of(c, "Not_Available_Time")
        if who not in known or slots is None:
            report.drop(c, f"names a {what}, day or hour not in the file")
        else:
            into.setdefault(who, set()).update(slots)
            report.keep(c)

    teachers_known = set(fet.teachers) | {t for a in fet.activities for t in a.teachers}
    rule_rows: list[dict[str, Any]] = []
    time_list: list[tuple[FetConstraint, str, list[int], frozenset[str]]] = []
    time_sets: dict[int, list[tuple[str, frozenset[str], float]]] = {}
    # (constraint, rule kind, teacher or student set, value, an interval's slots)
    teacher_list: list[tuple[FetConstraint, str, str | None, int, str | None]] = []
    same_list: list[tuple[FetConstraint, list[int]]] = []
    gaps_list: list[tuple[FetConstraint, str, str | None, int, str | None]] = []
    position = {a.id: k for course in b.courses for k, a in enumerate(course.activities)}

    # FET leaves a constraint on several activities on its active ones (fet-cl 6.8.5: a
    # MinDays of 2 over two active activities and an inactive one on a 2-day week is
    # "data is wrong", as over the two alone).
    inactive_ids = {a.id for a in fet.activities if not a.active}

    def active_ids(c: FetConstraint) -> list[str]:
        return [x for x in c.all("Activity_Id") if not (x.isdigit() and int(x) in inactive_ids)]

    def keep_or_soft(c: FetConstraint) -> None:
        if c.hard:
            report.keep(c)
        else:
            report.keep_soft(c)

    def rule_row(c: FetConstraint, kind: str, **cells: Any) -> dict[str, Any]:
        return {"rule": kind, **cells, "weight": None if c.hard else soft(c.weight)}

    def lesson(a_id: int) -> str:
        return f"{b.course_of[a_id].ident}.1:{position[a_id] + 1}"

    def refs(ids: list[int], groups: bool = True) -> str:
        """The Rules ``lessons`` of these activities: a course's group when all its
        activities are named (and ``groups``), else each lesson."""
        by_course: dict[str, list[int]] = {}
        for i in dict.fromkeys(ids):
            by_course.setdefault(b.course_of[i].ident, []).append(i)
        out = []
        for named in by_course.values():
            course = b.course_of[named[0]]
            if groups and len(named) == len(course.activities):
                out.append(f"{course.ident}.1")
            else:
                out.extend(lesson(i) for i in named)
        return ", ".join(out)

    def whole_lengths(ids: list[int]) -> bool:
        """Whether the activities hold every activity of each length of their courses
        that they hold one of (so a Rules row's time-order reading is FET's)."""
        named = set(ids)
        for i in named:
            course, n = b.course_of[i], fet_duration[i]
            if any(a.id not in named for a in course.activities if a.duration == n):
                return False
        return True

    # FET's component number of each activity: its place in its split activity (by id),
    # 1 for an activity that is not split.
    component: dict[int, int] = {}
    split_parts: dict[int, list[int]] = {}
    for a in fet.activities:
        if a.group_id:
            split_parts.setdefault(a.group_id, []).append(a.id)
        else:
            component[a.id] = 1
    for parts in split_parts.values():
        component.update((i, k) for k, i in enumerate(sorted(parts), start=1))

    def selected(c: FetConstraint) -> list[int]:
        """The activities an Activit(y|ies)Preferred... constraint applies to."""
        ref = c.get("Activity_Id")
        if ref is not None:
            return [int(ref)] if ref.strip().isdigit() and int(ref) in b.course_of else []
        teacher, students = c.get("Teacher_Name") or "", c.get("Students_Name") or ""
        subject, tag = c.get("Subject_Name") or "", c.get("Activity_Tag_Name") or ""
        duration = (c.get("Duration") or "").strip()
        part = (c.get("Component_Number") or "").strip()
        number = int(part) if part.isdigit() else None if not part else -1
        return [
            a.id
            for a in fet.activities
            if a.id in b.course_of
            and (number is None or component.get(a.id) == number)
            and (not teacher or teacher in a.teachers)
            and (not students or students in a.students)
            and (not subject or subject == a.subject)
            and (not tag or tag in a.tags)
            and (not duration or duration == str(a.duration))
        ]

    home_list: list[tuple[FetConstraint, str, str, frozenset[str]]] = []
    site_list: list[tuple[FetConstraint, str, str | None, int]] = []
    # Split activities whose activities a hard constraint not carried over tells apart.
    blamed: set[int] = set()

    def blame(c: FetConstraint | None, ids: list[int]) -> None:
        if c is None or c.hard:
            blamed.update(b.course_of[i].split for i in ids if i in b.course_of)

    def activity_rule(c: FetConstraint, rule_kind: str) -> None:
        """A constraint on a few activities' times as a Rules row of their lessons, when
        the row says what FET says; else reported."""
        pair = rule_kind in ("consecutive", "grouped", "ordered", "ordered_if_same_day")
        if c.tag == "ConstraintActivitiesEndStudentsDay":
            raw = [str(i) for i in selected(c)]
        elif pair:
            raw = [c.get("First_Activity_Id") or "", c.get("Second_Activity_Id") or ""]
            if c.tag == "ConstraintThreeActivitiesGrouped":
                raw.append(c.get("Third_Activity_Id") or "")
        else:
            raw = active_ids(c)
        known = [int(x) for x in raw if x.strip().isdigit() and int(x) in b.course_of]
        if len(known) != len(raw):
            report.drop(c, "names an activity not in the file (or inactive)")
            return
        courses = {b.course_of[i].ident for i in known}
        if pair:
            named = Counter(b.course_of[i].ident for i in known)
            if len(set(known)) != len(known) or any(
                n > 1 and len(b.course_of[i].activities) <= len(fet.days)
                for i in known
                if (n := named[b.course_of[i].ident])
            ):
                blame(c, known)
                report.drop(
                    c,
                    "two lessons of one course, which the workbook's rule 4 puts on different days",
                )
            elif not all(whole_lengths([i]) for i in known):
                blame(c, known)
                report.drop(
                    c,
                    "one of a course's interchangeable lessons (a Rules row's lesson N of "
                    "a length is the N-th of them in time order): no Pathways rule yet",
                )
            else:
                rule_rows.append(
                    rule_row(
                        c,
                        rule_kind,
                        lessons=", ".join(lesson(i) for i in known),
                        # FET's breaks between the lessons do not keep them apart.
                        slots=BREAKS if rule_kind in ("consecutive", "grouped") else None,
                    )
                )
                keep_or_soft(c)
            return
        if not known or (rule_kind == "not_overlapping" and len(courses) < 2):
            keep_or_soft(c)  # no activity, or one course's lessons: holds always
            return
        if rule_kind == "same_day":
            if len(set(known)) < 2:
                keep_or_soft(c)  # one activity: holds always
                return
            named = Counter(b.course_of[i].ident for i in set(known))
            if any(
                n > 1 and len(b.course_of[i].activities) <= len(fet.days)
                for i in known
                if (n := named[b.course_of[i].ident])
            ):
                blame(c, known)
                report.drop(
                    c,
                    "two lessons of one course, which the workbook's rule 4 puts on different days",
                )
                return
        if not whole_lengths(known):
            blame(c, known)
            report.drop(
                c,
                "only some of a course's lessons of one length: no Pathways rule yet "
                "(a Rules row's lesson N of a length is the N-th of them in time order)",
            )
            return
        cells: dict[str, Any] = {"lessons": refs(known)}
        if rule_kind == "same_hour":
            if len(set(known)) < 2:
                keep_or_soft(c)  # one activity: holds always
                return
            cells["lessons"] = refs(known, groups=len(courses) > 1)  # two references or more
        if rule_kind == "max_days_apart":
            most = (c.get("MaxDays") or "").strip()
            if not most.isdigit():
                report.drop(c, "no number of days")
                return
            if len(set(known)) < 2 or int(most) >= len(fet.days) - 1:
                keep_or_soft(c)  # one activity, or the whole cycle: holds always
                return
            cells["value"] = int(most)
        if rule_kind == "same_room_if_consecutive" and len(set(known)) < 2:
            keep_or_soft(c)  # one activity: holds always
            return
        if rule_kind == "lessons_max_rooms":
            most = (c.get("Max_Number_of_Different_Rooms") or "").strip()
            if not most.isdigit():
                report.drop(c, "no number of rooms")
                return
            cells["value"] = int(most)
        if rule_kind == "min_gap":
            gaps = (c.get("MinGaps") or "").strip()
            if not gaps.isdigit():
                report.drop(c, "no number of gaps")
                return
            if len(set(known)) < 2 or int(gaps) == 0:
                keep_or_soft(c)  # one activity, or no gap: holds always
                return
            cells["value"] = int(gaps)
            cells["lessons"] = refs(known, groups=False)  # one course's: two references
        if rule_kind in ("lessons_max_slots", "lessons_max_at_once"):
            slots = times_of(c, "Selected_Time_Slot", "Selected_")
            most = (
                c.get("Max_Number_of_Occupied_Time_Slots")
                or c.get("Max_Number_of_Simultaneous_Activities")
                or ""
            ).strip()
            if slots is None or not most.isdigit():
                report.drop(c, "names a day or hour not in the file, or no number")
                return
            cells["slots"] = ", ".join(sorted(set(slots), key=lambda x: _slot_order(b, x)))
            cells["value"] = int(most)
            if not slots:
                keep_or_soft(c)  # no slot selected: holds always
                return
        rule_rows.append(rule_row(c, rule_kind, **cells))
        keep_or_soft(c)

    def tag_rule(c: FetConstraint, rule_kind: str, element: str) -> None:
        """An activity tag's max hours daily (or continuously) of a teacher, every
        teacher, a student set or every student set: a Rules row of the lessons with the
        tag per teacher, or per smallest student set (FET's reading: each subgroup)."""
        number = (c.get(element) or "").strip()
        tag = c.get("Activity_Tag_Name") or c.get("Activity_Tag") or ""
        tagged = [a for a in fet.activities if a.id in b.course_of and tag in a.tags]
        who: list[list[int]] = []
        if "Teacher" in c.tag:
            teacher = None if c.tag.startswith("ConstraintTeachers") else c.get("Teacher_Name")
            if not number.isdigit() or (teacher is not None and teacher not in teachers_known):
                report.drop(c, "names a teacher not in the file, or no number")
                return
            teachers = [teacher] if teacher is not None else sorted(teachers_known)
            who = [[a.id for a in tagged if t in a.teachers] for t in teachers]
        else:
            group_set = c.get("Students") if "StudentsSet" in c.tag else None
            if not number.isdigit() or (group_set is not None and group_set not in members):
                report.drop(c, "names a student set not in the file, or no number")
                return
            leaves = members[group_set] if group_set is not None else list(leaf_count)
            of_leaf: dict[str, list[int]] = {leaf: [] for leaf in leaves}
            for a in tagged:
                for leaf in dict.fromkeys(x for s in a.students for x in members.get(s, ())):
                    if leaf in of_leaf:
                        of_leaf[leaf].append(a.id)
            who = list(of_leaf.values())
        most = int(number)
        rows: dict[tuple[int, ...], dict[str, Any]] = {}
        for acts in who:
            if sum(fet_duration[i] for i in acts) <= most or tuple(acts) in rows:
                continue  # holds always, or a row already written
            if not whole_lengths(acts):
                blame(c, acts)
                report.drop(
                    c,
                    "only some of a course's lessons of one length: no Pathways rule yet "
                    "(a Rules row's lesson N of a length is the N-th of them in time order)",
                )
                return
            rows[tuple(acts)] = rule_row(c, rule_kind, lessons=refs(acts), value=most)
        rule_rows.extend(rows.values())
        keep_or_soft(c)

    def room_acts(c: FetConstraint) -> list[int]:
        """The activities a preferred-room constraint is about."""
        if "ActivityTag" in c.tag:
            tag, subject = c.get("Activity_Tag"), c.get("Subject")
            return [
                a.id
                for a in fet.activities
                if a.id in b.course_of
                and tag in a.tags
                and (subject is None or a.subject == subject)
            ]
        if c.tag.startswith("ConstraintSubject"):
            return [a.id for a in fet.activities if a.active and a.subject == c.get("Subject")]
        ref = c.get("Activity_Id") or ""
        return [int(ref)] if ref.isdigit() and int(ref) in b.course_of else []

    # Activities with a preferred room of their own (whatever its weight, or a virtual
    # room): FET's home rooms leave them be.
    preferred = {
        i for c in fet.constraints if c.tag in ROOM_CONSTRAINTS and c.active for i in room_acts(c)
    }

    consecutive_soft = 0
    for c in fet.constraints:
        if c.tag in BASIC:
            continue
        if not c.active:
            report.inactive[c.kind] += 1
            continue
        if c.hard:
            report.hard_total += 1
        kind = c.tag
        if kind == "ConstraintMinDaysBetweenActivities":
            act_ids = [int(x) for x in active_ids(c) if x.lstrip("-").isdigit()]
            known = [i for i in act_ids if i in b.course_of]
            courses = {b.course_of[i].ident for i in known}
            one = b.course_of[known[0]] if known else None
            apart = (c.get("MinDays") or "1").strip()
            if len(known) != len(act_ids) or not apart.isdigit():
                report.drop(c, "names an activity not in the file (or inactive)")
            elif len(set(known)) < 2:
                keep_or_soft(c)  # one active activity (or none): holds always
            elif apart == "0":
                report.keep(c)  # 0 days apart holds always
            elif (
                apart == "1"
                and one is not None
                and len(courses) == 1
                and len(one.activities) <= len(fet.days)
            ):
                # The workbook's rule 4: the course is whole only when a 100% MinDays
                # holds its lessons apart, which holds this one too.
                keep_or_soft(c)
            elif c.weight <= 0:
                report.drop(c, "never binding")
            elif not whole_lengths(known):
                blame(c, known)
                report.drop(
                    c,
                    "only some of a course's lessons of one length: no Pathways rule yet "
                    "(a Rules row's lesson N of a length is the N-th of them in time order)",
                )
            else:
                md_row = rule_row(c, "min_days_apart", lessons=refs(known), value=int(apart))
                if not c.hard and _true(c.get("Consecutive_If_Same_Day")):
                    # On one day, one right after the other (a hard row's lessons never
                    # share a day, so only a soft row says it).
                    md_row["consecutive_if_same_day"] = "yes"
                    consecutive_soft += 1
                rule_rows.append(md_row)
                keep_or_soft(c)
            continue
        if (
            kind in PREFERRED_TIMES
            or kind in TEACHER_RULES
            or kind in STUDENT_GAPS
            or (kind == SAME_START)
        ):
            if c.weight <= 0:
                report.drop(c, "never binding")
            elif fet.mornings_afternoons and kind in REAL_DAY_RULES:
                report.drop(c, REAL_DAY_WHY)
            elif (c.get("Allow_One_Day_Exception_of_Plus_One") or "").strip().casefold() == "true":
                report.drop(c, "one day allowed one period more: no Pathways rule yet")
            elif kind in STUDENT_GAPS:
                rule_kind, element = STUDENT_GAPS[kind]
                if (c.get("Circular") or "false").strip().casefold() == "true":
                    rule_kind += "_cycle"  # the last day to the first too
                number = (c.get(element) or "").strip()
                group_set = c.get("Students") if "StudentsSet" in kind else None
                empty_days = (c.get("Allow_Empty_Days") or "false").strip().casefold()
                if rule_kind == "students_min_periods_day" and empty_days != "true":
                    rule_kind = "students_min_periods_every_day"
                if not number.isdigit() or (group_set is not None and group_set not in members):
                    report.drop(c, "names a student set not in the file, or no number")
                else:
                    gaps_list.append((c, rule_kind, group_set, int(number), None))
            elif kind in PREFERRED_TIMES:
                rule_kind, prefix = PREFERRED_TIMES[kind]
                acts = selected(c)
                leaf = "Preferred_Starting_" if "Starting" in prefix else "Preferred_"
                slots = times_of(c, prefix, leaf)
                if not acts and c.get("Activity_Id") is None:
                    keep_or_soft(c)  # selects no activity: holds always, as in FET
                elif not acts:
                    report.drop(c, "names an activity not in the file (or inactive)")
                elif slots is None or not slots:
                    report.drop(c, "names a day or hour not in the file, or no slot at all")
                else:
                    time_list.append((c, rule_kind, acts, frozenset(slots)))
                    for a_id in acts:
                        time_sets.setdefault(a_id, []).append(
                            (rule_kind, frozenset(slots), c.weight)
                        )
            elif fet.mornings_afternoons and kind in REAL_DAY_RULES:
                report.drop(c, REAL_DAY_WHY)
            elif kind in TEACHER_RULES:
                rule_kind, element = TEACHER_RULES[kind]
                if (c.get("Circular") or "false").strip().casefold() == "true":
                    rule_kind += "_cycle"  # the last day to the first too
                number = (c.get(element) or "").strip()
                named = not kind.startswith("ConstraintTeachers")  # one teacher, not all
                teacher = c.get("Teacher_Name") if named else None
                if not number.isdigit() or (teacher is not None and teacher not in teachers_known):
                    report.drop(c, "names a teacher not in the file, or no number")
                elif (c.get("Allow_Empty_Days") or "true").strip().casefold() == "false":
                    report.drop(c, "a day with no lessons not allowed: no Pathways rule yet")
                else:
                    teacher_list.append((c, rule_kind, teacher, int(number), None))
            else:
                act_ids = [int(x) for x in active_ids(c) if x.lstrip("-").isdigit()]
                known = [i for i in act_ids if i in b.course_of]
                if len(known) != len(act_ids):
                    report.drop(c, "names an activity not in the file (or inactive)")
                else:
                    same_list.append((c, known))
            continue
        if kind in INTERVAL_DAYS:
            rule_kind = INTERVAL_DAYS[kind]
            number = (c.get("Max_Days_Per_Week") or "").strip()
            iv_first, iv_after = (
                c.get("Interval_Start_Hour") or "",
                c.get("Interval_End_Hour") or "",
            )
            hours = list(fet.hours)
            teacher = (
                c.get("Teacher_Name") if "Teacher" in kind and "Teachers" not in kind else None
            )
            group_set = c.get("Students") if "StudentsSet" in kind else None
            if c.weight <= 0:
                report.drop(c, "never binding")
            elif fet.mornings_afternoons:
                report.drop(c, REAL_DAY_WHY)
            elif (
                not number.isdigit()
                or iv_first not in hours
                or (iv_after and iv_after not in hours)
                or (teacher is not None and teacher not in teachers_known)
                or (group_set is not None and group_set not in members)
            ):
                report.drop(
                    c, "names an hour, teacher or student set not in the file, or no number"
                )
            else:
                lo = hours.index(iv_first)
                hi = hours.index(iv_after) if iv_after else len(hours)
                within = [b.label(d, h) for d in range(len(fet.days)) for h in range(lo, hi)]
                if not within:
                    keep_or_soft(c)  # an empty interval: holds always
                else:
                    interval = ", ".join(within)
                    if rule_kind == "staff_max_days_at":
                        teacher_list.append((c, rule_kind, teacher, int(number), interval))
                    else:
                        gaps_list.append((c, rule_kind, group_set, int(number), interval))
            continue
        if kind in SITE_RULES:
            rule_kind, element = SITE_RULES[kind]
            number = (c.get(element) or "").strip()
            named = kind.startswith(("ConstraintTeacher", "ConstraintStudentsSet")) and not (
                kind.startswith("ConstraintTeachers")
            )
            person = (
                (c.get("Teacher") if "Teacher" in kind else c.get("Students")) if named else None
            )
            known_people = teachers_known if "Teacher" in kind else members
            if c.weight <= 0:
                report.drop(c, "never binding")
            elif fet.mornings_afternoons and kind in REAL_DAY_RULES:
                report.drop(c, REAL_DAY_WHY)
            elif not number.isdigit() or (person is not None and person not in known_people):
                report.drop(c, "names a teacher or student set not in the file, or no number")
            else:
                site_list.append((c, rule_kind, person, int(number)))
            continue
        if kind in TAG_RULES:
            if c.weight <= 0:
                report.drop(c, "never binding")
            elif fet.mornings_afternoons and kind in REAL_DAY_RULES:
                report.drop(c, REAL_DAY_WHY)
            else:
                tag_rule(c, *TAG_RULES[kind])
            continue
        if kind in ACTIVITY_RULES:
            if c.weight <= 0:
                report.drop(c, "never binding")
            elif fet.mornings_afternoons and kind in REAL_DAY_RULES:
                report.drop(c, REAL_DAY_WHY)
            else:
                activity_rule(c, ACTIVITY_RULES[kind])
            continue
        if not c.hard:
            report.drop(c, "soft (below 100%): no soft form in Pathways yet")
            continue
        if kind == "ConstraintTeacherNotAvailableTimes":
            not_available(c, c.get("Teacher") or "", teachers_known, unavailable_staff, "teacher")
        elif kind == "ConstraintBreakTimes":
            slots = times_of(c, "Break_Time")
            if slots is None:
                report.drop(c, "names a day or hour not in the file")
            else:
                break_slots.update(slots)
                report.keep(c)
        elif kind == "ConstraintStudentsSetNotAvailableTimes":
            not_available(c, c.get("Students") or "", members, unavailable_set, "student set")
        elif kind == "ConstraintRoomNotAvailableTimes":
            not_available(c, c.get("Room") or "", rooms_by_name, unavailable_room, "room")
        elif kind == "ConstraintActivityPreferredStartingTime":
            ref = c.get("Activity_Id") or ""
            start = b.slot(c.get("Preferred_Day") or "", c.get("Preferred_Hour") or "")
            if not ref.isdigit() or int(ref) not in b.course_of or start is None:
                report.drop(c, "names an activity, day or hour not in the file (or inactive)")
            elif int(ref) in locks and locks[int(ref)] != start:
                report.drop(c, "a second, different starting time of one activity")
            else:
                locks[int(ref)] = start
                lock_list.append((c, int(ref)))
        elif kind in ROOM_CONSTRAINTS:
            names = c.all("Room") + c.all("Preferred_Room")
            acts = room_acts(c)
            if not acts and "ActivityTag" in kind and names:
                keep_or_soft(c)  # selects no activity: holds always, as in FET
                continue
            if (
                not acts
                and kind.startswith("ConstraintSubject")
                and names
                and all(n in rooms_by_name for n in names)
            ):
                report.keep(c)  # a subject without activities: holds always, as in FET
                continue
            if not acts or any(n not in rooms_by_name or rooms_by_name[n].virtual for n in names):
                report.drop(c, "names an activity or room not in the file, or a virtual room")
                continue
            allowed = frozenset(names)
            for a_id in acts:
                room_sets[a_id] = room_sets[a_id] & allowed if a_id in room_sets else allowed
            room_touch.append((c, acts))
        elif kind in HOME_ROOMS:
            what = HOME_ROOMS[kind]
            owner = c.get(what) or ""
            homes = c.all("Room") + c.all("Preferred_Room")
            if (
                not homes
                or any(n not in rooms_by_name or rooms_by_name[n].virtual for n in homes)
                or owner not in (teachers_known if what == "Teacher" else members)
            ):
                report.drop(
                    c, "names a teacher, student set or room not in the file, or a virtual room"
                )
            else:
                home_list.append((c, what, owner, frozenset(homes)))
        else:
            report.drop(c, "no Pathways rule yet")

    # Home rooms -> the rooms of the activities of the teacher (or student set) alone
    # that have no preferred room constraint (FET's preferred rooms come first), then
    # with the preferred rooms below: the course's room_type.
    home: dict[int, frozenset[str]] = {}
    for c, what, owner, rooms_named in home_list:
        acts = [
            a.id
            for a in fet.activities
            if a.id in b.course_of
            and a.id not in preferred
            and (a.teachers if what == "Teacher" else a.students) == (owner,)
        ]
        for a_id in acts:
            home[a_id] = home[a_id] & rooms_named if a_id in home else rooms_named
        room_touch.append((c, acts))
    room_sets.update(home)

    # Preferred starting times and time slots -> Rules start_at / within, when the
    # lessons of one length of a course all have the same ones (a Rules row's lesson N
    # of a length is the N-th of them in time order, so they must be interchangeable).
    def same_times(i: int) -> bool:
        course, n = b.course_of[i], fet_duration[i]
        mine = sorted(time_sets.get(i, []), key=repr)
        return all(
            sorted(time_sets.get(a.id, []), key=repr) == mine
            for a in course.activities
            if a.duration == n
        )

    for c, rule_kind, acts, slot_set in time_list:
        if not all(same_times(i) for i in acts):
            blame(c, acts)
            report.drop(
                c,
                "lessons of one length of a course differ in their allowed times (a Rules "
                "row's lesson N of a length is the N-th of them in time order)",
            )
            continue
        slot_cells = ", ".join(sorted(slot_set, key=lambda x: _slot_order(b, x)))
        rule_rows.append(rule_row(c, rule_kind, lessons=refs(acts), slots=slot_cells))
        keep_or_soft(c)

    # Activities starting together -> Rules same_start: directly when the constraint holds
    # every activity of each length of its courses that it holds one of; else when
    # constraints of the same courses (and weight) together pair every activity of those
    # courses one to one, lesson by lesson (one row per length and N-th lesson of it).
    pending: dict[tuple[frozenset[str], float], list[tuple[FetConstraint, list[int]]]] = {}
    for c, known in same_list:
        if len(set(known)) < 2:
            keep_or_soft(c)  # one activity: holds always
        elif whole_lengths(known):
            rule_rows.append(rule_row(c, "same_start", lessons=refs(known, groups=False)))
            keep_or_soft(c)
        else:
            tied = (frozenset(b.course_of[i].ident for i in known), c.weight)
            pending.setdefault(tied, []).append((c, known))
    for (course_keys, _w8), items in pending.items():
        paired = _pairing(b, course_keys, [k for _, k in items], fet_duration)
        if paired is None:
            for c, known in items:
                blame(c, known)
                report.drop(
                    c,
                    "ties some of a course's lessons of one length but not all, one to one "
                    "with another course's: no Pathways rule yet",
                )
            continue
        for row_ids in paired:
            rule_rows.append(
                rule_row(items[0][0], "same_start", lessons=", ".join(lesson(i) for i in row_ids))
            )
        for c, _ in items:
            keep_or_soft(c)

    # Locked starting times -> the Locks sheet, when every lesson of the course has one.
    lock_rows: list[dict[str, Any]] = []
    bad_lock_courses: set[str] = set()
    for course in b.courses:
        starts = [locks.get(a.id) for a in course.activities]
        if not any(s is not None for s in starts):
            continue
        cells: list[str] = []
        days_used: list[int] = []
        ok = all(s is not None for s in starts)
        for a, s in zip(course.activities, starts, strict=True):
            if s is None:
                continue
            d, h = s
            if h + a.duration > len(fet.hours):
                ok = False
            cells.extend(b.label(d, h + k) for k in range(a.duration))
            days_used.append(d)
        # Rule 4: at most ceil(lessons / days) lessons of a course a day.
        per_day = -(-len(course.activities) // len(fet.days))
        if max(Counter(days_used).values()) > per_day or len(set(cells)) != len(cells):
            ok = False
        if ok:
            lock_rows.append({"course": course.ident, "group": 1, "slots": ", ".join(cells)})
        else:
            bad_lock_courses.add(course.ident)
    for c, aid in lock_list:
        course = b.course_of[aid]
        if course.ident in bad_lock_courses:
            blame(c, [aid])
            report.drop(
                c,
                "not every lesson of its course has a starting time, on different days "
                "(a Locks row holds all of a course's lessons; rule 4)",
            )
        else:
            report.keep(c)

    # Preferred rooms -> the course's room_type, when all its lessons allow the same rooms.
    course_rooms: dict[str, frozenset[str]] = {}
    bad_room_courses: set[str] = set()
    for course in b.courses:
        sets = [room_sets.get(a.id) for a in course.activities]
        if all(s is None for s in sets):
            continue
        first = sets[0]
        if first is None or any(x != first for x in sets) or not first:
            if len(set(sets)) > 1:
                blame(None, [a.id for a in course.activities])
            bad_room_courses.add(course.ident)
        else:
            course_rooms[course.ident] = first
    for c, acts in room_touch:
        if any(b.course_of[a].ident in bad_room_courses for a in acts if a in b.course_of):
            report.drop(
                c,
                "the lessons of one course would need different rooms, or no room is left "
                "(a course's room_type covers all its lessons)",
            )
        else:
            report.keep(c)
    grown_rooms = _room_for_fet_sizes(fet, b.courses, course_rooms, members, leaf_count)
    if grown_rooms:
        example = min(grown_rooms)
        report.notes.append(
            f"{len(grown_rooms)} room(s) given a larger capacity (e.g. {example}: "
            f"{grown_rooms[example][0]} -> {grown_rooms[example][1]}): FET counts an activity's "
            "students by the numbers its student sets declare, the workbook by the "
            "students of their smallest sets, and a room keeps every activity FET lets into it"
        )
    feature_of: dict[frozenset[str], str] = {}
    for rooms_allowed in course_rooms.values():
        feature_of.setdefault(rooms_allowed, f"fet{len(feature_of) + 1}")

    # Students and their requests.
    students: list[dict[str, Any]] = []
    student_ids: dict[str, list[str]] = {}
    away: dict[str, set[str]] = {}  # leaf -> slots its set (or a set holding it) is away
    for name, when in unavailable_set.items():
        for leaf in members.get(name, []):
            away.setdefault(leaf, set()).update(when)
    for leaf, n in leaf_count.items():
        base = student_base(leaf)
        ids = [f"{base}-{k}" for k in range(1, n + 1)]
        student_ids[leaf] = ids
        off = ", ".join(sorted(away.get(leaf, set()), key=lambda s: _slot_order(b, s))) or None
        students.extend(
            {"student": x, "name": leaf, "year": leaf_year[leaf], "unavailable": off} for x in ids
        )
    # Student sets' gaps and min hours -> Rules rows: the set's students (blank: every
    # student); breaks are no gaps in FET, so they are a gaps row's slots.
    # A course without students gets a placeholder student below; FET's constraints on
    # every student do not apply to it, so a hard row on every student then lists the
    # real students (a placeholder could never meet a min hours daily, say). Soft rows
    # stay blank (every student): a placeholder only adds to their cost.
    placeholders = any(not any(members.get(name) for name in course.sets) for course in b.courses)
    everyone = [x for ids_ in student_ids.values() for x in ids_] if placeholders else []
    breaks = ", ".join(sorted(break_slots, key=lambda x: _slot_order(b, x))) or None
    for rr in rule_rows:
        if rr.get("slots") == BREAKS:
            rr["slots"] = breaks
    # Students' building changes -> Rules rows (the teachers' below, with the staff).
    # FET passes over rooms without a building: with none, the constraint holds always.
    buildings = {bool(r.building) for r in fet.rooms if not r.virtual}
    for fc, rule_kind, group_set, most in site_list:
        if rule_kind.startswith("staff_"):
            continue
        if buildings <= {False}:
            keep_or_soft(fc)  # no room in a building: no building change, as in FET
            continue
        if False in buildings:
            report.drop(
                fc, "some rooms are in no building (FET passes them over): no Pathways rule yet"
            )
            continue
        if group_set is None:
            ids = everyone if fc.hard else []
        else:
            ids = [x for leaf in members.get(group_set, []) for x in student_ids[leaf]]
        rule_rows.append(rule_row(fc, rule_kind, students=", ".join(ids) or None, value=most))
        keep_or_soft(fc)
    for fc, rule_kind, group_set, most, iv_slots in gaps_list:
        if group_set is None:
            ids = everyone if fc.hard else []
        else:
            ids = [x for leaf in members.get(group_set, []) for x in student_ids[leaf]]
        # Breaks are neither gaps nor a day's first period in FET.
        gaps = rule_kind.startswith("students_max_gaps") or rule_kind == "students_early_start"
        rule_rows.append(
            rule_row(
                fc,
                rule_kind,
                students=", ".join(ids) or None,
                slots=breaks if gaps else iv_slots,
                value=most,
            )
        )
        keep_or_soft(fc)
    requests: list[dict[str, Any]] = []
    no_students = 0
    placeholder_year = len(fet.years) + 1
    course_size: dict[str, int] = {}
    for course in b.courses:
        who = list(
            dict.fromkeys(
                s
                for name in course.sets
                for leaf in members.get(name, [])
                for s in student_ids[leaf]
            )
        )
        if not who:
            no_students += 1
            sid = student_base(f"nobody {course.ident}") + "-1"
            students.append({"student": sid, "name": "(no students)", "year": placeholder_year})
            who = [sid]
        course_size[course.ident] = len(who)
        requests.extend({"student": s, "course": course.ident, "type": "core"} for s in who)
    if no_students:
        report.notes.append(
            f"{no_students} course(s) whose activities have no students: each has one "
            f'placeholder student (named "(no students)", year {placeholder_year}) so that '
            "it is timetabled"
        )

    # Staff, courses and rooms.
    teaching: dict[str, list[_Course]] = {}
    courses_rows: list[dict[str, Any]] = []
    no_teacher: list[str] = []
    several = 0
    for course in b.courses:
        teachers = list(dict.fromkeys(course.teachers))
        staff = [staff_id(t) for t in teachers]
        if not staff:
            synthetic = f"no-teacher {course.ident}"
            staff = [staff_id(synthetic)]
            teachers = [synthetic]
            no_teacher.append(course.ident)
        for t in teachers:
            teaching.setdefault(t, []).append(course)
        if len(course.activities) > 1:
            several += 1
        allowed_rooms = course_rooms.get(course.ident)
        row: dict[str, Any] = {
            "course": course.ident,
            "subject": subject_id(course.subject),
            "lessons": ",".join(str(a.duration) for a in course.activities),
            "min_size": 1,
            "max_size": course_size[course.ident],
            "room_type": feature_of[allowed_rooms] if allowed_rooms else None,
            "staff": ", ".join(staff),
            "staff_per_group": len(staff),
            "sections": 1,
            "mode": "school" if allowed_rooms else "online",
            "kind": "lesson",
        }
        courses_rows.append(row)
    if no_teacher:
        report.notes.append(
            f"{len(no_teacher)} course(s) with no teacher in FET: each is taught by a "
            'placeholder staff member named "no-teacher <course>"'
        )
    report.notes.append(
        f"{several} course(s) of several lessons: Pathways puts the lessons of a course on "
        "different days unless it has more lessons than there are days (the workbook's "
        "rule 4), as a 100% MinDaysBetweenActivities does in FET"
    )
    report.notes.append(
        "courses with no preferred room in FET need no room (mode online), as FET gives "
        "such activities no room; courses with one are in school mode with a room_type "
        "naming the rooms they may use"
    )

    all_teachers = list(dict.fromkeys([*fet.teachers, *teaching]))
    staff_rows = []
    for t in all_teachers:
        taught = teaching.get(t, [])
        unavailable = sorted(
            break_slots | unavailable_staff.get(t, set()), key=lambda s: _slot_order(b, s)
        )
        staff_rows.append(
            {
                "staff": staff_id(t),
                "name": t,
                "subjects": ", ".join(dict.fromkeys(subject_id(c.subject) for c in taught)),
                "max_periods": sum(a.duration for c in taught for a in c.activities),
                "unavailable": ", ".join(unavailable) or None,
            }
        )
    real_teachers = [t for t in all_teachers if t in teachers_known]
    for fc, rule_kind, teacher, most, iv_slots in teacher_list:
        people = [teacher] if teacher is not None else real_teachers

        # Rule 4 puts a course's n lessons on different days (at most ceil(n / days) a
        # day): a teacher of a course needing more days than allowed would have none.
        def days_needed(n: int) -> int:
            return -(-n // -(-n // len(fet.days)))

        spread = {
            t: max((days_needed(len(c.activities)) for c in teaching.get(t, [])), default=0)
            for t in people
        }
        if rule_kind == "staff_max_days" and any(n > most for n in spread.values()):
            for t in people:
                for crs in teaching.get(t, []):
                    if days_needed(len(crs.activities)) > most:
                        blame(fc, [a.id for a in crs.activities])
            report.drop(
                fc,
                "a course of the teacher has more lessons than their days allow, and the "
                "workbook's rule 4 puts a course's lessons on different days",
            )
            continue
        rule_rows.append(
            rule_row(
                fc,
                rule_kind,
                staff=", ".join(staff_id(t) for t in people),
                slots=iv_slots,
                value=most,
            )
        )
        keep_or_soft(fc)
    room_rows = []
    clamped = 0
    room_names: set[str] = set()
    for r in fet.rooms:
        if r.virtual:
            continue
        # Two rooms of one name (FET's names differing only in spaces): each its own id.
        again = r.name in room_names
        room_names.add(r.name)
        cap = _within_capacity(r.capacity)
        clamped += cap != r.capacity
        if r.name in grown_rooms:
            cap = grown_rooms[r.name][1]
        types = ["classroom", *(f for rs, f in feature_of.items() if r.name in rs)]
        room_rows.append(
            {
                "room": room_id(r.name, again),
                "capacity": cap,
                "type": ", ".join(types),
                "site": r.building or None,
                "unavailable": ", ".join(
                    sorted(unavailable_room.get(r.name, set()), key=lambda s: _slot_order(b, s))
                )
                or None,
            }
        )
    # Teachers' building changes -> Rules rows, as the students' above.
    for fc, rule_kind, person, most in site_list:
        if not rule_kind.startswith("staff_"):
            continue
        if buildings <= {False}:
            keep_or_soft(fc)  # no room in a building: no building change, as in FET
        elif False in buildings:
            report.drop(
                fc, "some rooms are in no building (FET passes them over): no Pathways rule yet"
            )
        else:
            people = [person] if person is not None else real_teachers
            rule_rows.append(
                rule_row(fc, rule_kind, staff=", ".join(staff_id(t) for t in people), value=most)
            )
            keep_or_soft(fc)
    virtual = sum(1 for r in fet.rooms if r.virtual)
    if virtual:
        report.notes.append(f"{virtual} virtual room(s) left out (no Pathways equivalent yet)")
    if clamped:
        report.notes.append(
            f"{clamped} room(s) with a capacity outside 1 to {MAX_CAPACITY:,}: brought within it"
        )
    # Room ids in room_type features are the rooms' own; courses refer to features only.
    tables: Tables = {
        "Calendar": calendar,
        "Rooms": room_rows
        or [
            {"room": "none", "capacity": 1, "type": "classroom", "site": None, "unavailable": None}
        ],
        "Staff": staff_rows,
        "Courses": courses_rows,
        "Students": students,
        "Requests": requests,
    }
    if not room_rows:
        report.notes.append('no rooms in the FET file: one room "none" is written (unused)')
    if lock_rows:
        tables["Locks"] = lock_rows
    if rule_rows:
        tables["Rules"] = [
            {
                k: row.get(k)
                for k in ("rule", "lessons", "staff", "students", "slots", "value", "weight")
            }
            | (
                {"consecutive_if_same_day": row.get("consecutive_if_same_day")}
                if consecutive_soft
                else {}
            )
            for row in rule_rows
        ]
    if blamed - separate and builds < MAX_BUILDS:
        # Again with those apart too (splitting one may break a pairing with another).
        return build_tables(fet, source, into, separate | frozenset(blamed), builds + 1)
    taken_apart = Counter(c.split for c in b.courses if c.split in separate)
    apart_splits = [s for s, n in taken_apart.items() if n > 1]
    if apart_splits:
        report.notes.append(
            f"{len(apart_splits)} split activit(y/ies) imported as one course per activity "
            f"({sum(taken_apart[s] for s in apart_splits)} courses); their "
            "MinDaysBetweenActivities are Rules min_days_apart rows (hard at 100%, soft "
            "below with FET's weight) rather than the workbook's rule 4. Why:"
        )
        whys = Counter(loose.get(s, "told") for s in apart_splits)
        for why, text in [
            *SHARING_WHY.items(),
            ("told", "hard constraints tell their activities apart"),
        ]:
            if whys[why]:
                lead = "FET may put two of their lessons on one day: " if why != "told" else ""
                report.notes.append(f"  {whys[why]}: {lead}{text}")
    if consecutive_soft:
        report.notes.append(
            f"{consecutive_soft} MinDaysBetweenActivities below 100% carried as soft "
            "min_days_apart rows say Consecutive_If_Same_Day: their rows' "
            "consecutive_if_same_day is yes (two of the lessons on one day are one right "
            "after the other, hard, as FET's generator holds it)"
        )
    report.figures = {
        "days": len(fet.days),
        "hours a day": len(fet.hours),
        "activities": sum(1 for a in fet.activities if a.active),
        "courses": len(courses_rows),
        "teachers": len(staff_rows),
        "students": len(students),
        "rooms": len(room_rows),
        "locked courses": len(lock_rows),
        "rules": len(rule_rows),
    }
    if into is not None:
        into.course_activities = {c.ident: [a.id for a in c.activities] for c in b.courses}
        into.duration = dict(fet_duration)
        into.slot_of = dict(b.slot_of)
        into.day_label = list(b.day_label)
        into.hours = len(fet.hours)
        into.room_id = {r.name: room_id(r.name) for r in fet.rooms if not r.virtual}
    return tables, report


#: Why a split activity whose lessons FET lets share a day is taken apart (report notes).
SHARING_WHY = {
    "none": "no MinDaysBetweenActivities names two of their activities",
    "soft": "their MinDaysBetweenActivities are below 100% only (soft Rules rows here)",
    "some": "a 100% MinDaysBetweenActivities holds only some pairs of their activities",
}


def _sharing_a_day(fet: FetFile) -> dict[int, str]:
    """The split activities (group ids) FET lets put two lessons of one course on one
    day, each with why (a key of :data:`SHARING_WHY`): a course of several lessons (the
    active activities of one split activity with the same subject, teachers and
    students) some two of whose activities no active 100% MinDaysBetweenActivities of
    one day or more names together. The workbook's rule 4 would put them on different
    days; only such a constraint makes FET do so."""
    active = {a.id: a for a in fet.activities if a.active}
    courses: dict[tuple[int, str, tuple[str, ...], tuple[str, ...]], list[int]] = {}
    for a in sorted(active.values(), key=lambda a: a.id):
        key = (a.group_id or a.id, a.subject, a.teachers, a.students)
        courses.setdefault(key, []).append(a.id)
    several = {key: ids for key, ids in courses.items() if len(ids) > 1}
    if not several:
        return {}
    split_of = {i: key[0] for key, ids in several.items() for i in ids}
    hard_pairs: set[tuple[int, int]] = set()
    touched: dict[int, set[str]] = {}  # split -> {"hard", "soft"}
    for c in fet.constraints:
        if c.tag != "ConstraintMinDaysBetweenActivities" or not c.active or c.weight <= 0:
            continue
        apart = (c.get("MinDays") or "1").strip()
        if not apart.isdigit() or int(apart) < 1:
            continue
        ids = sorted({int(x) for x in c.all("Activity_Id") if x.isdigit() and int(x) in split_of})
        per_split: dict[int, list[int]] = {}
        for i in ids:
            per_split.setdefault(split_of[i], []).append(i)
        for split, named in per_split.items():
            if len(named) < 2:
                continue
            touched.setdefault(split, set()).add("hard" if c.hard else "soft")
            if c.hard:
                hard_pairs.update((x, y) for k, x in enumerate(named) for y in named[k + 1 :])
    out: dict[int, str] = {}
    for key, ids in several.items():
        split = key[0]
        if all((x, y) in hard_pairs for k, x in enumerate(ids) for y in ids[k + 1 :]):
            continue
        seen = touched.get(split, set())
        why = "some" if "hard" in seen else "soft" if "soft" in seen else "none"
        if out.get(split) in (None, "none") or why == "some":
            out[split] = why
    return out


def _within_capacity(capacity: int) -> int:
    """A FET room's capacity brought within the workbook's 1 to MAX_CAPACITY."""
    return min(max(capacity, 1), MAX_CAPACITY)


def _room_for_fet_sizes(
    fet: FetFile,
    courses: list[_Course],
    course_rooms: dict[str, frozenset[str]],
    members: dict[str, list[str]],
    leaf_count: dict[str, int],
) -> dict[str, tuple[int, int]]:
    """Rooms whose capacity must grow (room name -> (FET's capacity, the workbook's)) so
    that every course may still use every room FET lets its activities into.

    FET lets an activity into a room whose capacity is at least the activity's students:
    the sum of the numbers its student sets declare (a group's own Number_of_Students).
    The workbook's students are those of the smallest sets (subgroups), whose numbers
    need not add up to their group's: a group of 35 with subgroups of 18 and 18 is 36
    students here, and a room of 35, which FET fills with it, would be too small."""
    declared: dict[str, int] = {}
    for y in fet.years:
        declared.setdefault(y.name, y.students)
        for g in y.groups:
            declared.setdefault(g.name, g.students)
            for sub in g.subgroups:
                declared.setdefault(sub.name, sub.students)
    capacity = {r.name: _within_capacity(r.capacity) for r in fet.rooms if not r.virtual}
    grown: dict[str, tuple[int, int]] = {}
    for course in courses:
        allowed = course_rooms.get(course.ident)
        if not allowed:
            continue
        leaves = dict.fromkeys(leaf for name in course.sets for leaf in members.get(name, []))
        ours = sum(leaf_count[leaf] for leaf in leaves)
        theirs = sum(declared.get(name, 0) for name in course.sets)
        for name in allowed:
            cap = capacity.get(name)
            if cap is not None and theirs <= cap < ours:
                was = grown.get(name, (cap, cap))
                grown[name] = (cap, max(was[1], ours))
    return grown


def _true(value: str | None) -> bool:
    return (value or "").strip().casefold() == "true"


def _pairing(
    b: _Build,
    course_keys: frozenset[str],
    constraints: list[list[int]],
    duration: dict[int, int],
) -> list[list[int]] | None:
    """Same-starting-time constraints that together pair every activity of these
    courses one to one (each constraint one activity of each course, all of one length;
    each activity in one constraint) as rows of activities, the N-th of each length of
    each course together; None when they do not."""
    courses = [c for c in b.courses if c.ident in course_keys]
    seen: set[int] = set()
    for ids in constraints:
        if len(ids) != len(courses) or {b.course_of[i].ident for i in ids} != course_keys:
            return None
        if len({duration[i] for i in ids}) != 1 or seen & set(ids):
            return None
        seen.update(ids)
    if seen != {a.id for c in courses for a in c.activities}:
        return None
    rows: list[list[int]] = []
    for n in sorted({a.duration for a in courses[0].activities}):
        per_course = [[a.id for a in c.activities if a.duration == n] for c in courses]
        if len({len(x) for x in per_course}) != 1:
            return None
        rows.extend(list(row) for row in zip(*per_course, strict=True))
    return rows


def _slot_order(b: _Build, label: str) -> tuple[int, int]:
    day, _, period = label.rpartition(" ")
    return (b.day_label.index(day), int(period))


def import_fet(path: str | Path, into: ImportIds | None = None) -> tuple[Tables, ImportReport]:
    """Read a FET file and build its workbook tables and report (and fill in ``into``,
    when given, as :func:`build_tables` does)."""
    return build_tables(read_fet(path), source=str(path), into=into)
