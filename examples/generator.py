"""The example schools of Pathways: seeded, realistic, and sized so they can be timetabled.

``pathways example NAME --out school.xlsx [--students N] [--seed S]`` writes one of them.
Every example is built students-first (see :mod:`examples.builder`): the students and
their requests are drawn, then courses, staff, rooms and tutor groups are sized to that
demand with about 20% of every resource spare, so ``--students`` scales everything.
The same name, size and seed always give the same workbook.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from typing import Any

from examples.builder import (
    CalendarPlan,
    CourseDef,
    RequestDef,
    RoomDef,
    SchoolBuilder,
    StudentDef,
    cohort_sizes,
    weighted_sample,
)
from scheduler.workbook.tables import Tables

log = logging.getLogger(__name__)

#: The most students an example can be scaled to (``pathways example --students``, a
#: scenario file's base): far above any school, far below what would exhaust memory.
MAX_STUDENTS = 50_000

EXAMPLES: dict[str, str] = {
    "tiny": "40 students in years 10-11, 5 days x 5 periods: small enough to check by hand",
    "stage-not-age": "600 students, years 7-11, Maths/English/Science set by stage across ages, "
    "ranked options and pathways for years 10-11",
    "all-through": "1,200 students, years 1-13: vertical tutor groups, project blocks, 1:1 tutorials, "
    "assessment sittings, an online course, home-learning days and evening lessons",
    "federation": "500 students on two sites 20 minutes apart, a two-week cycle, sixth form at the "
    "partner site and an open-plan space shared by three groups",
}

DAYS5 = ("Mon", "Tue", "Wed", "Thu", "Fri")
SIX_PERIODS = (
    ("1", "08:45", "09:45"),
    ("2", "09:45", "10:45"),
    ("3", "11:05", "12:05"),
    ("4", "12:05", "13:05"),
    ("5", "13:50", "14:50"),
    ("6", "14:50", "15:50"),
)
FIVE_PERIODS = (
    ("1", "08:50", "09:50"),
    ("2", "09:50", "10:50"),
    ("3", "11:10", "12:10"),
    ("4", "13:00", "14:00"),
    ("5", "14:00", "15:00"),
)
EVENING = (("7", "16:15", "17:15"), ("8", "17:15", "18:15"))

#: Short code -> (subject, room type) for the subjects the examples teach.
SUBJECTS: dict[str, tuple[str, str]] = {
    "MA": ("Maths", "classroom"),
    "EN": ("English", "classroom"),
    "SC": ("Science", "lab"),
    "HI": ("History", "classroom"),
    "GE": ("Geography", "classroom"),
    "FR": ("French", "classroom"),
    "SP": ("Spanish", "classroom"),
    "PE": ("PE", "sports"),
    "AR": ("Art", "studio"),
    "MU": ("Music", "music"),
    "CO": ("Computing", "ict"),
    "RE": ("RE", "classroom"),
    "DT": ("Design Technology", "workshop"),
    "DR": ("Drama", "drama"),
    "BS": ("Business", "classroom"),
    "FT": ("Food", "kitchen"),
    "EG": ("Engineering", "workshop"),
    "BI": ("Biology", "lab"),
    "CH": ("Chemistry", "lab"),
    "PH": ("Physics", "lab"),
    "EC": ("Economics", "classroom"),
    "SO": ("Sociology", "classroom"),
    "PS": ("Psychology", "classroom"),
}

#: Lengths in periods of a course's lessons in one cycle.
Lessons = tuple[int, ...]

#: Class sizes by room type: practical rooms hold smaller groups.
CLASS_SIZE = {"lab": 24, "workshop": 20, "kitchen": 20}

#: Room type -> (room id prefix, capacity, site).
ROOMS: dict[str, tuple[str, int, str | None]] = {
    "classroom": ("C", 30, None),
    "lab": ("LAB", 24, None),
    "ict": ("ICT", 30, None),
    "studio": ("ART", 30, None),
    "music": ("MUS", 30, None),
    "sports": ("GYM", 30, None),
    "workshop": ("WS", 20, None),
    "kitchen": ("FOOD", 20, None),
    "drama": ("DRA", 30, None),
    "hall": ("HALL", 120, None),
    "practice": ("PRAC", 4, None),
    "primary": ("P", 30, None),
    "seminar": ("SEM", 16, None),
}

#: A second subject some staff may also teach (stage-limited where a non-specialist would be).
RELATED = {
    "History": "RE",
    "RE": "History",
    "Geography": "History",
    "French": "Spanish",
    "Spanish": "French",
    "Maths": "Computing",
    "Computing": "Maths:1-4",
    "Art": "Design Technology",
    "Design Technology": "Engineering",
    "Engineering": "Design Technology",
    "Music": "Drama",
    "Drama": "English:1-4",
    "English": "Drama",
    "Science": "Maths:1-4",
    "Business": "Economics",
    "Economics": "Business",
    "Sociology": "Psychology",
    "Psychology": "Sociology",
    "Food": "Design Technology",
    "Biology": "Science",
    "Chemistry": "Science",
    "Physics": "Science",
    "Project": "History",
    "Primary": "Music",
}

#: How popular each option is (relative weights): some subjects fill, some barely run.
OPTION_POPULARITY = {
    "HI": 1.0,
    "GE": 0.9,
    "FR": 0.45,
    "SP": 0.55,
    "AR": 0.7,
    "MU": 0.25,
    "CO": 0.75,
    "DT": 0.45,
    "DR": 0.4,
    "BS": 0.7,
    "RE": 0.35,
    "FT": 0.4,
    "PE": 0.6,
}
A_LEVEL_POPULARITY = {
    "MA": 1.0,
    "EN": 0.6,
    "BI": 0.8,
    "CH": 0.6,
    "PH": 0.5,
    "HI": 0.6,
    "GE": 0.4,
    "EC": 0.5,
    "BS": 0.5,
    "SO": 0.5,
    "AR": 0.4,
    "CO": 0.4,
    "FR": 0.2,
    "DR": 0.25,
    "PS": 0.7,
}


def generate(name: str, students: int | None = None, seed: int = 0) -> Tables:
    """Build the example school ``name`` as workbook tables (sheet name -> rows).

    ``students`` scales the school to about that many students (default: the example's
    own size); courses' groups, staff, rooms and tutor groups scale with it. ``seed``
    makes a different but equally realistic school; the same arguments always give the
    same tables.
    """
    makers = {
        "tiny": _tiny,
        "stage-not-age": _stage_not_age,
        "all-through": _all_through,
        "federation": _federation,
    }
    if name not in makers:
        raise ValueError(f"no example called {name!r}; choose one of: {', '.join(EXAMPLES)}")
    if students is not None and not 1 <= students <= MAX_STUDENTS:
        raise ValueError(f"an example school has from 1 to {MAX_STUDENTS} students, not {students}")
    tables = makers[name](students, seed)
    log.info("example %s: %d students", name, len(tables["Students"]))
    return tables


# ---- helpers ----------------------------------------------------------------------------
def _course(
    code: str, cid: str, lessons: tuple[int, ...], years: tuple[int, ...] | None, **kw: Any
) -> CourseDef:
    """A course of a catalogue subject, with the class size its room type allows."""
    subject, room = SUBJECTS[code]
    kw.setdefault("room_type", room)
    kw.setdefault("max_size", CLASS_SIZE.get(kw["room_type"], 30))
    return CourseDef(id=cid, subject=subject, lessons=lessons, years=years, **kw)


def _choose_options(
    b: SchoolBuilder,
    s: StudentDef,
    offer: dict[str, str],
    popularity: dict[str, float],
    quota: int,
    alternates: int | None = None,
) -> list[str]:
    """Ranked options then alternates (one or two unless told); ``offer`` maps subject code
    -> course id."""
    codes = [c for c in offer if c in popularity]
    if alternates is None:
        alternates = 1 if b.rng.random() < 0.65 else 2
    picks = weighted_sample(b.rng, codes, [popularity[c] for c in codes], quota + alternates)
    for rank, code in enumerate(picks, start=1):
        kind = "option" if rank <= quota else "alternate"
        s.requests.append(RequestDef(offer[code], None, kind, rank))
    return [offer[c] for c in picks[:quota]]


def _settings(time_limit: int, seed: int) -> dict[str, Any]:
    return {"time_limit_s": time_limit, "seed": seed, "workers": 2}


def _maybe_extra(b: SchoolBuilder, s: StudentDef, course: str, share: float) -> None:
    """Give a student an extra core course (tutorial, assessment) if it leaves them room."""
    if b.rng.random() < share and b.room_to_spare(s, [course]):
        s.requests.append(RequestDef(course, None, "core"))


# ---- tiny -------------------------------------------------------------------------------
def _tiny(students: int | None, seed: int) -> Tables:
    """Years 10-11, three core courses, two ranked options and one alternate each."""
    n = students or 40
    b = SchoolBuilder(seed, CalendarPlan(DAYS5, FIVE_PERIODS), ["Mon 1"])
    both = (10, 11)
    b.add_course(_course("MA", "MA", (1, 1, 1), both, max_size=24))
    b.add_course(_course("EN", "EN", (1, 1, 1), both, max_size=24))
    # Science has a fixed number of groups, to show the `sections` column.
    b.add_course(_course("SC", "SC", (2, 1), both, fixed_sections=True))
    for code, lessons in (("HI", (1, 1)), ("GE", (1, 1)), ("CO", (1, 1)), ("AR", (2,))):
        b.add_course(
            _course(code, code, lessons, both, room_type="classroom", max_size=24, min_size=4)
        )
    popularity = {"HI": 1.0, "GE": 0.8, "CO": 0.9, "AR": 0.6}
    for year, count in cohort_sizes(n, {10: 1, 11: 1}).items():
        for _ in range(count):
            s = b.add_student(year)
            s.requests += [RequestDef(c, None, "core") for c in ("MA", "EN", "SC")]
            _choose_options(b, s, {c: c for c in popularity}, popularity, 2, alternates=1)
    b.finish_courses()
    b.hire(part_time_rate=0.3)
    b.build_rooms(ROOMS)
    b.horizontal_groups(both, 20, ["classroom"], label="{year}{letter}")
    return b.tables(_settings(20, seed))


# ---- stage not age ----------------------------------------------------------------------
def _stage_not_age(students: int | None, seed: int) -> Tables:
    """Years 7-11; Maths, English and Science set by stage across ages; KS4 options and pathways."""
    n = students or 600
    b = SchoolBuilder(seed, CalendarPlan(DAYS5, SIX_PERIODS), ["Mon 1"])
    core = {
        "Maths": ("MA", (1, 1, 1, 1)),
        "English": ("EN", (1, 1, 1, 1)),
        "Science": ("SC", (2, 1, 1)),
    }
    # Core subjects are set by stage, open to any year: a year 8 may sit stage 6 with year 10s.
    for subject, (code, lessons) in core.items():
        for stage in range(1, 10):
            b.add_course(_course(code, f"{code}-{stage}", lessons, None, stage=stage))
    ks3 = {"HI": (1, 1), "GE": (1, 1), "FR": (1, 1), "PE": (2,), "AR": (1,), "MU": (1,), "CO": (1,)}
    for year in (7, 8, 9):
        for code, lessons in ks3.items():
            b.add_course(_course(code, f"{code}{year}", lessons, (year,)))
    offers: dict[int, dict[str, str]] = {}
    for year in (10, 11):
        b.add_course(_course("PE", f"PE{year}", (1,), (year,)))
        offers[year] = {}
        for code in OPTION_POPULARITY:
            cid = f"{code}{year}" if code != "PE" else f"PEG{year}"
            b.add_course(_course(code, cid, (1, 1, 1), (year,), min_size=4))
            offers[year][code] = cid
        b.add_course(_course("EG", f"EG{year}", (2, 2, 2), (year,), min_size=4, kind="vocational"))
        # Pathways: the EBacc route makes French core; the vocational route takes
        # Engineering (worth two options).
        b.pathways[f"EBACC{year}"] = [RequestDef(f"FR{year}", None, "core")]
        b.pathways[f"VOC{year}"] = [RequestDef(f"EG{year}", None, "core")]

    for year, count in cohort_sizes(n, {y: 1 for y in range(7, 12)}).items():
        for _ in range(count):
            s = b.add_student(year)
            # Most students sit their year's usual stage (year - 4). In Maths about one in
            # five sits a stage above or below, and a few strong mathematicians two stages
            # up, with students two years older; English and Science set fewer away from
            # their age (fewer mixed-age groups keep the timetable workable).
            ability = b.rng.gauss(0, 0.45)
            gifted = b.rng.random() < 0.03
            for subject in core:
                spread = 1.0 if subject == "Maths" else 0.75
                stage = round(year - 4 + spread * ability + b.rng.gauss(0, 0.2))
                if gifted and subject == "Maths":
                    stage = year - 2
                b.stages[(s.id, subject)] = max(1, min(9, stage))
                s.requests.append(RequestDef(None, subject, "core"))
            if year <= 9:
                s.requests += [RequestDef(f"{c}{year}", None, "core") for c in ks3]
                continue
            s.requests.append(RequestDef(f"PE{year}", None, "core"))
            route = b.rng.random()
            offer = dict(offers[year])
            quota = 4
            if route < 0.15:
                s.pathway = f"EBACC{year}"
                del offer["FR"]
                quota = 3
            elif route < 0.23:
                s.pathway = f"VOC{year}"
                quota = 2
            _choose_options(b, s, offer, OPTION_POPULARITY, quota)
    _no_lonely_setting(b, year_stage=lambda year: year - 4)
    b.finish_courses()
    b.hire(stage_limits={"Maths": 5, "English": 6}, related=RELATED)
    b.build_rooms(ROOMS, unavailable={"sports": ["Fri 6"]})
    b.horizontal_groups(range(7, 12), 28, ["classroom", "ict", "studio", "music", "drama"])
    return b.tables(_settings(300, seed))


def _no_lonely_setting(b: SchoolBuilder, year_stage: Any, least: int = 4) -> None:
    """Students set away from their year's usual stage only where at least ``least`` of
    their year share that setting: a school does not timetable a set around two students,
    so smaller schools set more by age."""
    years = {s.id: s.year for s in b.students}
    count = Counter((subject, stage, years[sid]) for (sid, subject), stage in b.stages.items())
    for (sid, subject), stage in list(b.stages.items()):
        usual = max(1, min(9, year_stage(years[sid])))
        if stage != usual and count[(subject, stage, years[sid])] < least:
            b.stages[(sid, subject)] = usual


# ---- all-through ------------------------------------------------------------------------
HOUSES = ("Ash", "Beech", "Cedar", "Oak")


def _all_through(students: int | None, seed: int) -> Tables:
    """Years 1-13 with vertical tutoring, projects, tutorials, sittings, online and evening lessons."""
    n = students or 1200
    evenings: dict[str, tuple[tuple[str, str, str], ...]] = {
        d: EVENING for d in ("Mon", "Tue", "Thu")
    }
    cal = CalendarPlan(DAYS5, SIX_PERIODS, evenings)
    b = SchoolBuilder(seed, cal, ["Mon 1"])
    secondary = tuple(range(7, 14))

    # Primary: class-based curriculum as one pathway per year.
    for year in range(1, 7):
        topic: Lessons = (2, 2) if year < 5 else (2,)
        rows = []
        primary: tuple[tuple[str, str, Lessons, str], ...] = (
            ("LIT", "Primary", (1, 1, 1, 1, 1), "primary"),
            ("NUM", "Primary", (1, 1, 1, 1, 1), "primary"),
            ("RDG", "Primary", (1, 1), "primary"),
            ("SCI", "Primary", (2,), "primary"),
            ("TOP", "Primary", topic, "primary"),
            ("ART", "Primary", (2,), "primary"),
            ("PE", "PE", (2,), "sports"),
            ("MUS", "Music", (1,), "music"),
            ("RE", "Primary", (1,), "primary"),
        )
        for suffix, subject, lessons, room in primary:
            cid = f"P{year}-{suffix}"
            b.add_course(CourseDef(cid, subject, lessons, 30, room_type=room, years=(year,)))
            rows.append(RequestDef(cid, None, "core"))
        if year >= 5:
            rows.append(RequestDef("PRJ-P", None, "core"))
        b.pathways[f"CUR-Y{year}"] = rows
    b.add_course(
        CourseDef(
            "PRJ-P",
            "Project",
            (3,),
            100,
            min_size=10,
            room_type="hall",
            staff_per_group=2,
            years=(5, 6),
            kind="project",
        )
    )
    b.add_course(
        CourseDef(
            "ASM-RD",
            "Assessment",
            (1,),
            60,
            min_size=1,
            room_type="hall",
            years=(2, 3, 4, 5, 6),
            kind="assessment",
        )
    )

    # Key stage 3: one curriculum pathway per year, with a team-taught project block.
    ks3: dict[str, Lessons] = {
        "MA": (1, 1, 1, 1),
        "EN": (1, 1, 1, 1),
        "SC": (2, 1),
        "HI": (1,),
        "GE": (1,),
        "FR": (1, 1),
        "PE": (2,),
        "AR": (1,),
        "MU": (1,),
        "CO": (1,),
        "RE": (1,),
    }
    for year in (7, 8, 9):
        for code, lessons in ks3.items():
            b.add_course(_course(code, f"{code}{year}", lessons, (year,)))
        b.pathways[f"CUR-Y{year}"] = [RequestDef(f"{c}{year}", None, "core") for c in ks3]
    b.add_course(
        CourseDef(
            "PRJ-KS3",
            "Project",
            (3,),
            100,
            min_size=20,
            room_type="hall",
            staff_per_group=3,
            years=(7, 8, 9),
            kind="project",
        )
    )

    # Key stage 4: core plus four ranked options, one of them taught online.
    ks4_options = {c: p for c, p in OPTION_POPULARITY.items() if c not in ("FT", "PE")}
    offers: dict[int, dict[str, str]] = {}
    for year in (10, 11):
        ks4_core: dict[str, Lessons] = {
            "MA": (1, 1, 1, 1),
            "EN": (1, 1, 1, 1),
            "SC": (2, 1, 1),
            "PE": (1,),
        }
        for code, lessons in ks4_core.items():
            b.add_course(_course(code, f"{code}{year}", lessons, (year,)))
        offers[year] = {}
        for code in ks4_options:
            b.add_course(_course(code, f"{code}{year}", (1, 1, 1), (year,), min_size=4))
            offers[year][code] = f"{code}{year}"
        offers[year]["LA"] = "LAT-ON"
    b.add_course(
        CourseDef("LAT-ON", "Latin", (1, 1, 1), 20, min_size=3, years=(10, 11), mode="online")
    )
    b.add_course(
        CourseDef(
            "ASM-MA",
            "Assessment",
            (1,),
            60,
            min_size=1,
            room_type="hall",
            years=(7, 8, 9, 10, 11),
            kind="assessment",
        )
    )
    ks4_popularity = dict(ks4_options, LA=0.15)

    # Sixth form: three A levels in lessons of 2, 2 and 1 (so they fit around a home-learning
    # day), an online Psychology course, and Further Maths in the evening.
    a_offers: dict[int, dict[str, str]] = {}
    for year in (12, 13):
        a_offers[year] = {}
        for code in A_LEVEL_POPULARITY:
            if code == "PS":
                a_offers[year][code] = "PSY-ON"
                continue
            room = SUBJECTS[code][1]
            room = room if room in ("lab", "studio", "ict", "drama") else "seminar"
            cid = f"A-{code}{year}"
            b.add_course(
                _course(code, cid, (2, 2, 1), (year,), room_type=room, max_size=15, min_size=3)
            )
            a_offers[year][code] = cid
    b.add_course(
        CourseDef("PSY-ON", "Psychology", (2, 2, 1), 20, min_size=3, years=(12, 13), mode="online")
    )
    evening_slots = set(cal.evening_labels())
    daytime_off = [s for d in evenings for s in cal.day_labels(d) if s not in evening_slots]
    fm_teacher = b.add_staff(
        "Further Maths",
        ["Further Maths"],
        6,
        daytime_off + [d for d in DAYS5 if d not in evenings],
        part_time=True,
    )
    b.add_course(
        CourseDef(
            "FM-6",
            "Further Maths",
            (2, 2),
            16,
            min_size=3,
            room_type="seminar",
            staff=(fm_teacher.id,),
            years=(12, 13),
        )
    )
    b.add_course(
        CourseDef(
            "TUT-MUS",
            "Instrumental",
            (1,),
            1,
            min_size=1,
            room_type="practice",
            years=secondary,
            kind="tutorial",
        )
    )

    ability: dict[str, float] = {}
    for year, count in cohort_sizes(
        n, {**{y: 90 for y in range(1, 7)}, **{y: 100 for y in range(7, 12)}, 12: 80, 13: 80}
    ).items():
        for _ in range(count):
            s = b.add_student(year)
            ability[s.id] = b.rng.gauss(0, 1)
            if year <= 9:
                s.pathway = f"CUR-Y{year}"
                if year >= 7:
                    # The project block is signed up for on the Requests sheet.
                    s.requests.append(RequestDef("PRJ-KS3", None, "core"))
            elif year <= 11:
                s.requests += [
                    RequestDef(f"{c}{year}", None, "core") for c in ("MA", "EN", "SC", "PE")
                ]
                _choose_options(b, s, offers[year], ks4_popularity, 4)
            else:
                s.home_days = ("Wed",) if year == 12 else ("Fri",)
                _choose_options(b, s, a_offers[year], A_LEVEL_POPULARITY, 3)
    # Further Maths for the strongest A-level mathematicians: one evening group.
    fm = sorted(
        (
            s
            for s in b.students
            if any(r.course == f"A-MA{s.year}" and r.type == "option" for r in s.requests)
        ),
        key=lambda s: -ability[s.id],
    )
    # At most 90% of one group, so one evening group is always enough.
    for s in fm[:14]:
        if ability[s.id] > 0.5:
            s.requests.append(RequestDef("FM-6", None, "core"))
    for s in b.students:
        if 2 <= s.year <= 6:
            _maybe_extra(b, s, "ASM-RD", 0.08)
        if 7 <= s.year <= 11:
            _maybe_extra(b, s, "ASM-MA", 0.07)
        if s.year >= 7:
            _maybe_extra(b, s, "TUT-MUS", 0.06)
    _houses_and_families(b, [s for s in b.students if s.year >= 7])

    b.finish_courses()
    if "FM-6" not in b.courses:
        b.staff.remove(fm_teacher)
    b.hire(related=RELATED)
    b.build_rooms(ROOMS, evening_types=("seminar",), unavailable={"hall": ["Fri 1"]})
    b.horizontal_groups(range(1, 7), 28, ["primary"], subject="Primary")
    _vertical_groups(b)
    return b.tables(_settings(600, seed))


def _houses_and_families(b: SchoolBuilder, students: list[StudentDef]) -> None:
    """Siblings share a family key (and so a house); houses stay the same size."""
    order = students[:]
    b.rng.shuffle(order)
    free = {s.id for s in order}
    units: list[list[StudentDef]] = []
    for s in order:
        if s.id not in free:
            continue
        free.discard(s.id)
        unit = [s]
        if b.rng.random() < 0.1:
            siblings = 1 if b.rng.random() < 0.8 else 2
            for t in order:
                if len(unit) > siblings:
                    break
                if t.id in free and all(t.year != u.year for u in unit):
                    free.discard(t.id)
                    unit.append(t)
        units.append(unit)
    size = {h: 0 for h in HOUSES}
    nfam = 0
    # Families first, so the singles even the houses out afterwards.
    for unit in sorted(units, key=lambda u: -len(u)):
        house = min(HOUSES, key=lambda h: (size[h], b.rng.random()))
        size[house] += len(unit)
        family = None
        if len(unit) > 1:
            nfam += 1
            family = f"F{nfam:03d}"
        for s in unit:
            s.house, s.family = house, family


def _vertical_groups(b: SchoolBuilder) -> None:
    """Mixed-age tutor groups per house; the solver places each student (tutor_group blank)."""
    for house in HOUSES:
        members = [s for s in b.students if s.house == house]
        if not members:
            continue
        groups = max(1, math.ceil(len(members) / 26))
        capacity = math.ceil(len(members) / groups) + 4
        for i in range(groups):
            b.add_tutor_group(
                f"{house[:2].upper()}{i + 1}",
                capacity,
                ["classroom", "ict", "studio", "music", "drama"],
                house=house,
                vertical=True,
            )


# ---- federation -------------------------------------------------------------------------
PARTNER = "Riverside"


def _federation(students: int | None, seed: int) -> Tables:
    """Two sites 20 minutes apart on a two-week cycle; the sixth form at the partner site."""
    n = students or 500
    days = tuple(f"Wk{w} {d}" for w in (1, 2) for d in DAYS5)
    b = SchoolBuilder(seed, CalendarPlan(days, FIVE_PERIODS), ["Wk1 Mon 1", "Wk2 Mon 1"])
    # Per fortnight; doubles keep the number of lessons (and of room and staff changes) down.
    ks3 = {
        "MA": (2, 2, 1, 1, 1),
        "EN": (2, 2, 1, 1, 1),
        "SC": (2, 2, 2),
        "HI": (2, 1),
        "GE": (2, 1),
        "FR": (2, 1),
        "PE": (2, 2),
        "AR": (2,),
        "MU": (1, 1),
        "CO": (2,),
        "RE": (1, 1),
    }
    for year in (7, 8, 9):
        for code, lessons in ks3.items():
            b.add_course(_course(code, f"{code}{year}", lessons, (year,)))
    ks4_core = {"MA": (2, 2, 1, 1, 1), "EN": (2, 2, 1, 1, 1), "SC": (2, 2, 2, 1), "PE": (2,)}
    ks4_options = {c: p for c, p in OPTION_POPULARITY.items() if c not in ("FT", "PE")}
    offers: dict[int, dict[str, str]] = {}
    for year in (10, 11):
        for code, lessons in ks4_core.items():
            b.add_course(_course(code, f"{code}{year}", lessons, (year,)))
        offers[year] = {}
        for code in ks4_options:
            b.add_course(_course(code, f"{code}{year}", (2, 2, 1), (year,), min_size=4))
            offers[year][code] = f"{code}{year}"
    # The sixth form is taught at the partner site, in rooms only it has; PE stays at Main.
    # Most A levels have their own sixth-form team based there; Physics and French are
    # taught by Main staff who travel.
    a_popularity = {c: p for c, p in A_LEVEL_POPULARITY.items() if c not in ("AR", "CO", "DR")}
    a_offers: dict[int, dict[str, str]] = {}
    sites = {"Economics": PARTNER, "Sociology": PARTNER, "Psychology": PARTNER}
    for year in (12, 13):
        a_offers[year] = {}
        for code in a_popularity:
            room = "lab6" if SUBJECTS[code][1] == "lab" else "seminar"
            cid = f"A-{code}{year}"
            team = None
            if code not in ("PH", "FR", "PS", "EC", "SO"):
                team = f"{SUBJECTS[code][0]} (sixth form)"
                sites[team] = PARTNER
            b.add_course(
                _course(
                    code,
                    cid,
                    (2, 2, 2, 2, 1),
                    (year,),
                    room_type=room,
                    max_size=15,
                    min_size=3,
                    team=team,
                )
            )
            a_offers[year][code] = cid
    b.add_course(_course("PE", "PE6", (2,), (12, 13)))

    for year, count in cohort_sizes(n, {**{y: 84 for y in range(7, 12)}, 12: 40, 13: 40}).items():
        for _ in range(count):
            s = b.add_student(year, site="Main" if year <= 11 else PARTNER)
            if year <= 9:
                s.requests += [RequestDef(f"{c}{year}", None, "core") for c in ks3]
            elif year <= 11:
                s.requests += [RequestDef(f"{c}{year}", None, "core") for c in ks4_core]
                _choose_options(b, s, offers[year], ks4_options, 4)
            else:
                s.requests.append(RequestDef("PE6", None, "core"))
                _choose_options(b, s, a_offers[year], a_popularity, 3)
    b.finish_courses()
    # An open-plan learning space at Main: three classes at once, 90 seats between them.
    b.add_room(RoomDef("COMMONS", 90, ("classroom", "open-plan"), "Main", 3))
    b.hire(related=RELATED, sites=sites)
    specs: dict[str, tuple[str, int, str | None]] = {
        t: (p, c, "Main") for t, (p, c, _) in ROOMS.items()
    }
    specs["seminar"] = ("RS", 16, PARTNER)
    specs["lab6"] = ("RL", 16, PARTNER)
    b.build_rooms(specs)
    b.horizontal_groups(
        range(7, 12), 28, ["classroom", "ict", "studio", "music", "drama"], site="Main"
    )
    b.horizontal_groups((12, 13), 25, ["seminar"], site=PARTNER)
    for st in b.staff:
        st.site = st.site or "Main"
    if any(r.site == PARTNER for r in b.rooms):  # a very small federation has no sixth form
        b.travel.append(("Main", PARTNER, 20))
    return b.tables(_settings(600, seed))
