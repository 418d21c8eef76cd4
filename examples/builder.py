"""Shared machinery of the example schools: students first, then everything sized to them.

An example school is built in the order a timetabler plans a real one:

1. the calendar (days, periods, evening rows) and the tutor-time slots;
2. the course catalogue (:class:`CourseDef`);
3. the students and what each of them asked for (requests, stages, pathways);
4. the demand of every course, counted from the resolved requests;
5. staff and rooms *sized to that demand* with realistic slack
   (:data:`TARGET_LOAD` of what they can offer), including part-timers;
6. tutor groups sized to the students;
7. the workbook as :data:`scheduler.workbook.tables.Tables`.

Everything random goes through one ``random.Random`` owned by the builder, so a seed
always gives the same workbook.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from scheduler.workbook.tables import Tables

#: The share of staff and room capacity that the expected demand may use. The rest is
#: slack the solver needs to dodge clashes (0.8 = 20% of periods spare).
TARGET_LOAD = 0.8

#: Fewest free periods a student keeps after core, options and tutor time.
MIN_FREE_PERIODS = 3

FIRST_NAMES = (
    "Amelia",
    "Oliver",
    "Isla",
    "George",
    "Ava",
    "Noah",
    "Mia",
    "Arthur",
    "Ivy",
    "Leo",
    "Freya",
    "Oscar",
    "Aisha",
    "Muhammad",
    "Zara",
    "Harry",
    "Grace",
    "Jack",
    "Layla",
    "Finley",
    "Chloe",
    "Theo",
    "Sofia",
    "Ethan",
    "Priya",
    "Kai",
    "Evie",
    "Reuben",
    "Hana",
    "Tomasz",
    "Niamh",
    "Rhys",
    "Maya",
    "Yusuf",
    "Ella",
    "Jacob",
    "Ruby",
    "Samuel",
    "Lily",
    "Dylan",
)
SURNAMES = (
    "Smith",
    "Jones",
    "Patel",
    "Williams",
    "Brown",
    "Taylor",
    "Khan",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Walker",
    "Wright",
    "Robinson",
    "Thompson",
    "Hughes",
    "Ahmed",
    "Green",
    "Hall",
    "Lewis",
    "Clarke",
    "Jackson",
    "Wood",
    "Harris",
    "Nowak",
    "Okafor",
    "Begum",
    "Murphy",
    "Kelly",
    "Singh",
    "Edwards",
    "Turner",
    "Hill",
    "Cooper",
    "Ward",
    "Morris",
    "Chen",
    "Ali",
)


def weekday(day: str) -> str:
    """The weekday of a Calendar day label: ``Mon`` for ``Mon`` and for ``Wk2 Mon``."""
    return day.split()[-1]


@dataclass
class CalendarPlan:
    """Days, the periods of every day, and extra evening periods on some days."""

    days: tuple[str, ...]
    periods: tuple[tuple[str, str, str], ...]  # (label, start HH:MM, end HH:MM)
    evening: dict[str, tuple[tuple[str, str, str], ...]] = field(default_factory=dict)

    def rows(self) -> list[dict[str, Any]]:
        """The Calendar sheet."""
        out: list[dict[str, Any]] = []
        for day in self.days:
            for label, start, end in self.periods + self.evening.get(day, ()):
                out.append({"day": day, "period": label, "start": start, "end": end})
        return out

    def labels(self) -> list[str]:
        """Every slot reference (``Mon 3``) in sheet order."""
        return [f"{r['day']} {r['period']}" for r in self.rows()]

    def day_labels(self, day: str, evening: bool = True) -> list[str]:
        """Slot references of one day (with or without its evening rows)."""
        periods = self.periods + (self.evening.get(day, ()) if evening else ())
        return [f"{day} {p[0]}" for p in periods]

    def evening_labels(self) -> list[str]:
        return [f"{d} {p[0]}" for d in self.days for p in self.evening.get(d, ())]

    def expand(self, refs: Iterable[str]) -> set[str]:
        """Slot references meant by a list of references and day names (``Fri`` = every Fri)."""
        labels = set(self.labels())
        out: set[str] = set()
        for ref in refs:
            if ref in labels:
                out.add(ref)
                continue
            days = [d for d in self.days if d == ref] or [d for d in self.days if weekday(d) == ref]
            for d in days:
                out.update(self.day_labels(d))
        return out


@dataclass
class CourseDef:
    """One row of the Courses sheet, before it is sized to demand."""

    id: str
    subject: str
    lessons: tuple[int, ...]
    max_size: int
    min_size: int = 5
    stage: int | None = None
    room_type: str | None = None
    staff: tuple[str, ...] = ()
    team: str | None = None  # staffed by its own team, hired under this name (e.g. a site's)
    staff_per_group: int = 1
    fixed_sections: bool = False  # write `sections` = the groups the demand needs
    years: tuple[int, ...] | None = None
    mode: str = "school"
    kind: str = "lesson"
    sections: int | None = None  # filled in by SchoolBuilder.finish_courses

    @property
    def periods(self) -> int:
        return sum(self.lessons)

    def row(self) -> dict[str, Any]:
        return {
            "course": self.id,
            "subject": self.subject,
            "stage": self.stage,
            "lessons": ",".join(str(x) for x in self.lessons),
            "min_size": self.min_size,
            "max_size": self.max_size,
            "room_type": self.room_type,
            "staff": ",".join(self.staff) or None,
            "staff_per_group": self.staff_per_group if self.staff_per_group != 1 else None,
            "sections": self.sections,
            "years": ",".join(str(y) for y in self.years) if self.years else None,
            "mode": self.mode if self.mode != "school" else None,
            "kind": self.kind,
        }


@dataclass
class RequestDef:
    """A request as written (Requests sheet row or Pathways sheet row)."""

    course: str | None
    subject: str | None
    type: str  # core / option / alternate
    rank: int | None = None


@dataclass
class StudentDef:
    """A student and their own Requests rows."""

    id: str
    name: str
    year: int
    tutor_group: str | None = None
    house: str | None = None
    family: str | None = None
    pathway: str | None = None
    home_days: tuple[str, ...] = ()
    site: str | None = None
    requests: list[RequestDef] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        return {
            "student": self.id,
            "name": self.name,
            "year": self.year,
            "tutor_group": self.tutor_group,
            "house": self.house,
            "family": self.family,
            "pathway": self.pathway,
            "home_days": ",".join(self.home_days) or None,
            "site": self.site,
        }


@dataclass
class StaffDef:
    """A member of staff; ``subject`` is what they were hired for (not written)."""

    id: str
    name: str
    subject: str
    qualifications: list[str]
    max_periods: int
    unavailable: list[str] = field(default_factory=list)
    site: str | None = None
    part_time: bool = False

    def row(self) -> dict[str, Any]:
        return {
            "staff": self.id,
            "name": self.name,
            "subjects": ",".join(self.qualifications),
            "max_periods": self.max_periods,
            "unavailable": ",".join(self.unavailable) or None,
            "site": self.site,
        }


@dataclass
class RoomDef:
    """A learning space."""

    id: str
    capacity: int
    types: tuple[str, ...]
    site: str | None = None
    max_groups: int = 1
    unavailable: list[str] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        return {
            "room": self.id,
            "capacity": self.capacity,
            "type": ",".join(self.types),
            "site": self.site,
            "max_groups": self.max_groups if self.max_groups != 1 else None,
            "unavailable": ",".join(self.unavailable) or None,
        }


@dataclass
class TutorGroupDef:
    id: str
    tutor: str
    capacity: int
    meets: tuple[str, ...]
    room: str | None = None
    house: str | None = None
    vertical: bool = False

    def row(self) -> dict[str, Any]:
        return {
            "group": self.id,
            "tutor": self.tutor,
            "room": self.room,
            "capacity": self.capacity,
            "meets": ",".join(self.meets),
            "house": self.house,
            "vertical": "yes" if self.vertical else "no",
        }


def _letters(i: int) -> str:
    """Tutor group letters: A, B, ... Z (no I or O), then AA, AB, ..."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, len(alphabet))
        out = alphabet[r] + out
    return out


def cohort_sizes(total: int, weights: dict[int, float]) -> dict[int, int]:
    """Split ``total`` students over year groups in proportion to ``weights``.

    Largest remainder, ties to the lower year, so the split is exact and deterministic.
    """
    wsum = sum(weights.values())
    raw = {y: total * w / wsum for y, w in weights.items()}
    out = {y: math.floor(v) for y, v in raw.items()}
    left = total - sum(out.values())
    for y in sorted(raw, key=lambda y: (-(raw[y] - out[y]), y))[:left]:
        out[y] += 1
    return out


def weighted_sample(
    rng: random.Random, items: Sequence[str], weights: Sequence[float], k: int
) -> list[str]:
    """``k`` distinct items, drawn one by one in proportion to their weights."""
    pool = list(zip(items, weights))
    out: list[str] = []
    while pool and len(out) < k:
        total = sum(w for _, w in pool)
        x = rng.random() * total
        for i, (item, w) in enumerate(pool):
            x -= w
            if x <= 0 or i == len(pool) - 1:
                out.append(item)
                pool.pop(i)
                break
    return out


class SchoolBuilder:
    """Collects one example school and sizes its staff, rooms and tutor groups to demand."""

    def __init__(self, seed: int, calendar: CalendarPlan, tutor_meets: Sequence[str]):
        self.rng = random.Random(seed)
        self.seed = seed
        self.calendar = calendar
        self.tutor_meets = tuple(tutor_meets)
        self.courses: dict[str, CourseDef] = {}
        self.students: list[StudentDef] = []
        self.stages: dict[tuple[str, str], int] = {}
        self.pathways: dict[str, list[RequestDef]] = {}
        self.staff: list[StaffDef] = []
        self.rooms: list[RoomDef] = []
        self.tutor_groups: list[TutorGroupDef] = []
        self.travel: list[tuple[str, str, int]] = []
        self.demand: Counter[str] = Counter()  # every request, alternates too
        self.firm_demand: Counter[str] = Counter()  # core and option requests
        self._staff_ids: set[str] = set()
        self._name_n = 0

    # ---- slots -----------------------------------------------------------------------
    def teaching_slots(self, evening: bool = False) -> list[str]:
        """Slots where lessons can happen: not tutor time, evening rows only if asked."""
        meets = self.calendar.expand(self.tutor_meets)
        eve = set(self.calendar.evening_labels())
        return [s for s in self.calendar.labels() if s not in meets and (evening or s not in eve)]

    # ---- catalogue and students --------------------------------------------------------
    def add_course(self, course: CourseDef) -> CourseDef:
        assert course.id not in self.courses, course.id
        self.courses[course.id] = course
        return course

    def stage_course(self, subject: str, stage: int) -> CourseDef | None:
        for c in self.courses.values():
            if c.subject == subject and c.stage == stage:
                return c
        return None

    def person_name(self) -> str:
        first = self.rng.choice(FIRST_NAMES)
        return f"{first} {self.rng.choice(SURNAMES)}"

    def add_student(self, year: int, **kw: Any) -> StudentDef:
        self._name_n += 1
        s = StudentDef(id=f"S{self._name_n:04d}", name=self.person_name(), year=year, **kw)
        self.students.append(s)
        return s

    def resolved(self, student: StudentDef) -> list[tuple[str, str, int | None]]:
        """A student's requests as (course id, type, rank): own rows, then pathway rows."""
        rows = list(student.requests)
        if student.pathway:
            rows += self.pathways[student.pathway]
        out = []
        for r in rows:
            course = r.course
            if course is None:
                stage = self.stages[(student.id, r.subject or "")]
                found = self.stage_course(r.subject or "", stage)
                assert found is not None, (r.subject, stage)
                course = found.id
            out.append((course, r.type, r.rank))
        return out

    def load(self, student: StudentDef, extra: Sequence[str] = ()) -> int:
        """Periods a student is busy: core, the largest quota-worth of options, tutor time."""
        core = 0
        choices: list[int] = []
        quota = 0
        for course, kind, _ in self.resolved(student):
            p = self.courses[course].periods
            if kind == "core":
                core += p
            else:
                choices.append(p)
                quota += kind == "option"
        core += sum(self.courses[c].periods for c in extra)
        meets = self.calendar.expand(self.tutor_meets)
        home = self.calendar.expand(student.home_days)
        return core + sum(sorted(choices, reverse=True)[:quota]) + len(meets - home)

    def room_to_spare(self, student: StudentDef, extra: Sequence[str] = ()) -> bool:
        """Whether a student keeps MIN_FREE_PERIODS free slots (daytime, off home days)."""
        home = self.calendar.expand(student.home_days)
        eve = set(self.calendar.evening_labels())
        school = [s for s in self.calendar.labels() if s not in home and s not in eve]
        return self.load(student, extra) <= len(school) - MIN_FREE_PERIODS

    # ---- sizing ------------------------------------------------------------------------
    def finish_courses(self) -> None:
        """Count demand, drop courses nobody asked for, and make every course able to run."""
        self.demand = Counter()
        self.firm_demand = Counter()
        for s in self.students:
            for course, kind, _ in self.resolved(s):
                self.demand[course] += 1
                self.firm_demand[course] += kind != "alternate"
        for cid in list(self.courses):
            n = self.demand[cid]
            c = self.courses[cid]
            if n == 0:
                del self.courses[cid]
                continue
            # A course must be able to run with the students who asked for it.
            c.min_size = max(1, min(c.min_size, n))
            if c.fixed_sections:
                c.sections = self.groups_needed(cid)
        used = {s.pathway for s in self.students if s.pathway}
        self.pathways = {k: v for k, v in self.pathways.items() if k in used}

    def groups_needed(self, cid: str) -> int:
        """Groups to staff and house: enough for every request (alternates too) at full
        size, and for core and option requests at 90% of full size, as a timetabler plans
        (and as the solver's planner does), but no more than can reach min_size."""
        c = self.courses[cid]
        tight = math.ceil(self.demand[cid] / c.max_size)
        firm = self.firm_demand[cid]
        roomy = min(math.ceil(firm / (0.9 * c.max_size)), max(tight, firm // c.min_size))
        return max(1, tight, roomy)

    def subject_demand(self) -> dict[str, int]:
        """Staff periods each subject (or team) needs; courses with a staff list are left out."""
        out: dict[str, int] = {}
        for cid, c in self.courses.items():
            if c.staff:
                continue
            key = c.team or c.subject
            out[key] = out.get(key, 0) + self.groups_needed(cid) * c.periods * c.staff_per_group
        return out

    def room_demand(self) -> dict[str, int]:
        """Room periods each room type needs (courses taught in school)."""
        out: dict[str, int] = {}
        for cid, c in self.courses.items():
            if c.mode == "online" or not c.room_type:
                continue
            out[c.room_type] = out.get(c.room_type, 0) + self.groups_needed(cid) * c.periods
        return out

    def staff_capacity(self, st: StaffDef) -> int:
        """Periods a member of staff can teach: max_periods, capped by daytime availability."""
        off = self.calendar.expand(st.unavailable)
        free = [s for s in self.teaching_slots() if s not in off]
        return min(st.max_periods, len(free))

    def room_capacity(self, room: RoomDef, evening: bool = False) -> int:
        off = self.calendar.expand(room.unavailable)
        free = [s for s in self.teaching_slots(evening) if s not in off]
        return len(free) * room.max_groups

    def _staff_id(self, name: str) -> str:
        parts = name.split()
        base = (parts[0][0] + parts[1][:2]).upper()
        sid, n = base, 1
        while sid in self._staff_ids:
            n += 1
            sid = f"{base}{n}"
        self._staff_ids.add(sid)
        return sid

    def add_staff(
        self,
        subject: str,
        qualifications: Sequence[str],
        max_periods: int,
        unavailable: Sequence[str] = (),
        site: str | None = None,
        part_time: bool = False,
    ) -> StaffDef:
        name = self.person_name()
        st = StaffDef(
            id=self._staff_id(name),
            name=name,
            subject=subject,
            qualifications=list(qualifications),
            max_periods=max_periods,
            unavailable=list(unavailable),
            site=site,
            part_time=part_time,
        )
        self.staff.append(st)
        return st

    def hire(
        self,
        part_time_rate: float = 0.15,
        stage_limits: dict[str, int] | None = None,
        related: dict[str, str] | None = None,
        sites: dict[str, str] | None = None,
    ) -> None:
        """Hire staff for every subject's demand, leaving ``1 - TARGET_LOAD`` slack.

        ``stage_limits`` (subject -> stage) makes some of a subject's staff qualified only up
        to that stage, as long as the staff left unrestricted still cover the higher stages
        with the same slack. ``related`` gives some staff a second subject (flexibility the
        sizing does not count on). ``sites`` names the home site of a subject's staff.
        """
        subject_of = {c.team or c.subject: c.subject for c in self.courses.values()}
        for key, periods in self.subject_demand().items():
            site = (sites or {}).get(key, (sites or {}).get(subject_of[key]))
            self._hire_for(key, subject_of[key], periods, part_time_rate, site)
        # A course with its own team is taught by that team only.
        for c in self.courses.values():
            if c.team and not c.staff:
                c.staff = tuple(s.id for s in self.staff if s.subject == c.team)
        if stage_limits:
            self._limit_stages(stage_limits)
        if related:
            self._add_related(related)

    def _hire_for(
        self, key: str, subject: str, periods: int, part_time_rate: float, site: str | None
    ) -> None:
        """Hire for one subject (or team ``key``) until its demand is TARGET_LOAD of its
        staff's capacity. Staff are qualified in ``subject``."""
        daytime = len(self.teaching_slots())
        weekdays = list(dict.fromkeys(weekday(d) for d in self.calendar.days))
        per_weekday = daytime / len(weekdays)
        days_per_weekday = len(self.calendar.days) / len(weekdays)
        courses = [c for c in self.courses.values() if (c.team or c.subject) == key and not c.staff]
        team = max(c.staff_per_group for c in courses)
        # A part-timer keeps enough days to put each lesson of a group on its own day.
        most_lessons = max(len(c.lessons) for c in courses)
        have = [s for s in self.staff if s.subject == key]
        need = periods / TARGET_LOAD - sum(self.staff_capacity(s) for s in have)
        if team > 1:
            # Team teaching needs several people at once: hire a team of equals, at full
            # availability, so every one of them can be in every group.
            # Enough teams that their groups fit in half the week, one team per group at
            # a time (a team's members are all in each of its groups at once).
            group_periods = sum(self.groups_needed(c.id) * c.periods for c in courses)
            teams = math.ceil(group_periods / (0.5 * daytime))
            count = max(team * teams - len(have), math.ceil(need / (daytime * 0.85)))
            for _ in range(count):
                want = min(round(daytime * 0.85), math.ceil(need / count) + 1)
                self.add_staff(key, [subject], want, site=site, part_time=want < daytime * 0.75)
            return
        while need > 0:
            full = round(daytime * self.rng.uniform(0.83, 0.88))
            if need >= 0.75 * full and self.rng.random() >= part_time_rate:
                st = self.add_staff(key, [subject], full, site=site)
            else:
                # A part-timer sized to what is left (or a share of a full timetable): as
                # many days off as still leave them 25% more slots than periods.
                if need >= 0.75 * full:
                    want = round(full * self.rng.uniform(0.5, 0.75))
                else:
                    want = max(4, math.ceil(need))
                days_off = 0
                while (
                    days_off < 3
                    and (len(weekdays) - days_off - 1) * per_weekday >= want * 1.25
                    and (len(weekdays) - days_off - 1) * days_per_weekday >= most_lessons + 1
                ):
                    days_off += 1
                off = sorted(self.rng.sample(weekdays, days_off), key=weekdays.index)
                st = self.add_staff(key, [subject], want, off, site=site, part_time=True)
                st.max_periods = min(want, self.staff_capacity(st))
            need -= self.staff_capacity(st)

    def _limit_stages(self, stage_limits: dict[str, int]) -> None:
        for subject, top in stage_limits.items():
            high = sum(
                self.groups_needed(cid) * c.periods
                for cid, c in self.courses.items()
                if c.subject == subject and (c.stage or 0) > top and not c.staff
            )
            team = sorted((s for s in self.staff if s.subject == subject), key=self.staff_capacity)
            unrestricted = sum(self.staff_capacity(s) for s in team)
            for st in team[: len(team) // 4]:
                cap = self.staff_capacity(st)
                if (unrestricted - cap) * TARGET_LOAD < high:
                    break
                unrestricted -= cap
                st.qualifications = [
                    f"{subject}:1-{top}" if q == subject else q for q in st.qualifications
                ]

    def _add_related(self, related: dict[str, str]) -> None:
        subjects = {c.subject for c in self.courses.values()}
        for st in self.staff:
            second = related.get(st.subject)
            if second and second.split(":")[0] in subjects and self.rng.random() < 0.3:
                st.qualifications.append(second)

    def add_room(self, room: RoomDef) -> RoomDef:
        self.rooms.append(room)
        return room

    def build_rooms(
        self,
        specs: dict[str, tuple[str, int, str | None]],
        evening_types: Sequence[str] = (),
        unavailable: dict[str, list[str]] | None = None,
    ) -> None:
        """Add rooms of each type until its demand uses at most TARGET_LOAD of them.

        ``specs`` maps a room type to (id prefix, capacity, site). A room is at least as
        big as the largest course that needs its type. Rooms of ``evening_types`` stay open
        in the evening rows; every other room is closed then (listed as unavailable).
        """
        demand = self.room_demand()
        evening = self.calendar.evening_labels()
        for rtype, periods in demand.items():
            prefix, capacity, site = specs[rtype]
            biggest = max(c.max_size for c in self.courses.values() if c.room_type == rtype)
            capacity = max(capacity, biggest)
            open_late = rtype in evening_types
            have = [r for r in self.rooms if rtype in r.types]
            need = periods / TARGET_LOAD - sum(self.room_capacity(r) for r in have)
            n = sum(1 for r in self.rooms if r.id.startswith(prefix))
            while need > 0:
                n += 1
                off = list((unavailable or {}).get(rtype, []))
                if not open_late:
                    off += evening
                room = self.add_room(RoomDef(f"{prefix}{n}", capacity, (rtype,), site, 1, off))
                need -= self.room_capacity(room)

    # ---- tutor groups ----------------------------------------------------------------------
    def _free_tutors(self, site: str | None = None, subject: str | None = None) -> list[StaffDef]:
        meets = self.calendar.expand(self.tutor_meets)
        taken = {g.tutor for g in self.tutor_groups}
        pool = [
            s
            for s in self.staff
            if s.id not in taken
            and not (self.calendar.expand(s.unavailable) & meets)
            and not s.part_time
        ]
        pool += [
            s
            for s in self.staff
            if s.id not in taken
            and not (self.calendar.expand(s.unavailable) & meets)
            and s.part_time
        ]
        # Prefer staff of the given subject (a primary class's own teacher), then staff
        # based at the group's site; never run out while anyone is free.
        pool.sort(key=lambda s: (s.subject != subject, (s.site or None) != site))
        return pool

    def _free_room(self, capacity: int, types: Sequence[str], site: str | None) -> str | None:
        taken = {g.room for g in self.tutor_groups}
        for r in self.rooms:
            if (
                r.id not in taken
                and r.max_groups == 1
                and r.capacity >= capacity
                and (r.site or None) == site
                and set(types) & set(r.types)
                and not (
                    self.calendar.expand(r.unavailable) & self.calendar.expand(self.tutor_meets)
                )
            ):
                return r.id
        return None

    def add_tutor_group(
        self,
        gid: str,
        capacity: int,
        room_types: Sequence[str],
        site: str | None = None,
        house: str | None = None,
        vertical: bool = False,
        subject: str | None = None,
    ) -> TutorGroupDef:
        """A tutor group with a free tutor (of ``subject`` if possible) and, if one is
        free and big enough, a room of one of ``room_types``."""
        tutors = self._free_tutors(site, subject)
        if not tutors:
            # Only at extreme scales: a learning mentor without a teaching subject.
            tutors = [self.add_staff("Mentoring", ["Mentoring"], 1, site=site)]
        room = self._free_room(capacity, room_types, site)
        g = TutorGroupDef(gid, tutors[0].id, capacity, self.tutor_meets, room, house, vertical)
        self.tutor_groups.append(g)
        return g

    def horizontal_groups(
        self,
        years: Iterable[int],
        size: int,
        room_types: Sequence[str],
        site: str | None = None,
        label: str = "{year}{letter}",
        subject: str | None = None,
    ) -> None:
        """Fixed tutor groups per year group, students shared out evenly."""
        for year in years:
            members = [s for s in self.students if s.year == year]
            if not members:
                continue
            n = math.ceil(len(members) / size)
            groups = [
                self.add_tutor_group(
                    label.format(year=year, letter=_letters(i)),
                    size + 2,
                    room_types,
                    site,
                    subject=subject,
                )
                for i in range(n)
            ]
            order = members[:]
            self.rng.shuffle(order)
            for i, s in enumerate(order):
                s.tutor_group = groups[i % n].id

    # ---- output --------------------------------------------------------------------------
    def tables(self, settings: dict[str, Any]) -> Tables:
        """The workbook as tables: sheet name -> rows."""
        self.staff.sort(key=lambda s: s.id)
        requests = [
            {
                "student": s.id,
                "course": r.course,
                "subject": r.subject,
                "type": r.type,
                "rank": r.rank,
            }
            for s in self.students
            for r in s.requests
        ]
        out: Tables = {
            "Settings": [{"key": k, "value": v} for k, v in settings.items()],
            "Calendar": self.calendar.rows(),
            "Rooms": [r.row() for r in self.rooms],
            "Staff": [s.row() for s in self.staff],
            "Courses": [c.row() for c in self.courses.values()],
            "Students": [s.row() for s in self.students],
            "Requests": requests,
        }
        if self.stages:
            out["Stages"] = [
                {"student": sid, "subject": subject, "stage": stage}
                for (sid, subject), stage in self.stages.items()
            ]
        if self.pathways:
            out["Pathways"] = [
                {
                    "pathway": p,
                    "course": r.course,
                    "subject": r.subject,
                    "type": r.type,
                    "rank": r.rank,
                }
                for p, rows in self.pathways.items()
                for r in rows
            ]
        if self.tutor_groups:
            out["TutorGroups"] = [g.row() for g in self.tutor_groups]
        if self.travel:
            out["Travel"] = [
                {"from_site": a, "to_site": b, "minutes": m} for a, b, m in self.travel
            ]
        return out
