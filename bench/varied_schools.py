"""Varied schools: school workbooks drawn from a seed, made differently from examples/.

    python bench/varied_schools.py --seed 3 --out school.xlsx [--students N] [--kind K] \
        [--staff-load L]

A seed decides everything (one ``random.Random(seed)``, never the global generator):
the kind of school (``secondary``, ``federation``, ``large``, ``small``, ``stage``), its
size, a one- or two-week cycle with or without evening periods, one to three sites with
a Travel sheet, year-based, stage-based or mixed curricula, team-taught projects in
shared halls, tutorials, assessments, an online course, GCSE-like and A-level options
with ranks and alternates, part-time and stage-limited staff, home-learning days,
vertical or horizontal tutor groups with houses and families, or none.

How a school is made: a timetable is planted first, then the resources are read off it.
Every cohort (a year group on a site; the sixth form is shared) is timetabled in blocks:
a year-based course, a stage band (a subject's sets for several years at once: stage not
age), an option block (each student takes one course of each block), a project or an
assessment sitting. Blocks are laid on the calendar by a randomised greedy search that
keeps every room type's and subject's use flat; tutorials go in their students' free
periods. Teachers are then hired by packing that timetable's groups (first fit, same
subject, then same family), each to 85-95% of their ``max_periods``; rooms of each type
are the peak use at one time plus 10-25%. So every school has a timetable meeting every
core request and every first-choice option (the planted one), yet the solver has to
find one with 85-95% loaded staff and little spare room. ``--staff-load L`` hires to
about L of ``max_periods`` instead (within 0.05; e.g. 0.65 for staff with periods to
spare, as in the regression schools of ../shared/schools/, whose plans need 61-67% of
their staff's periods): the calendar, requests and planted groups stay the seed's.
Nothing here imports the project's own example generator: the point is schools built
another way.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scheduler.model import hhmm

KINDS: dict[str, tuple[int, int]] = {
    "secondary": (600, 1000),
    "federation": (1200, 1800),
    "large": (2500, 3000),
    "small": (150, 400),
    "stage": (400, 1200),
}
MAIN = "Main"
SIXTH = "*"  # the cohort site of a shared sixth form
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
OTHER_SITES = ("North", "Riverside", "Hillside", "Abbey", "Parkway", "Westfield")
HOUSES = ("Red", "Blue", "Green", "Gold", "Oak", "Ash", "Elm", "Beech", "Kestrel", "Falcon")

#: Staff subject -> family. Teachers are packed subject by subject, and a teacher with
#: time left takes a neighbouring subject of the family (History and RE, Music and Drama).
FAMILY: dict[str, str] = {
    "English": "en",
    "Media": "en",
    "Literacy": "en",
    "Maths": "ma",
    "Statistics": "ma",
    "Science": "sc",
    "Physics": "sc",
    "Chemistry": "sc",
    "Biology": "sc",
    "Astronomy": "sc",
    "Humanities": "hu",
    "History": "hu",
    "Geography": "hu",
    "RE": "hu",
    "PSHE": "hu",
    "Sociology": "hu",
    "Psychology": "hu",
    "Politics": "hu",
    "Citizenship": "hu",
    "Law": "hu",
    "Careers": "hu",
    "EPQ": "hu",
    "Project": "pr",
    "Languages": "ml",
    "French": "ml",
    "Spanish": "ml",
    "German": "ml",
    "Latin": "ml",
    "Art": "ar",
    "Music": "ar",
    "Drama": "ar",
    "Technology": "te",
    "Computing": "te",
    "Food": "te",
    "Business": "bu",
    "Economics": "bu",
    "PE": "pe",
    "Assessment": "zz",
}
FAMILY_ORDER = ("en", "ma", "sc", "hu", "ml", "ar", "te", "bu", "pe", "pr", "zz")
#: Subjects anyone may be asked to teach: packed last, into any teacher's spare time.
FLEX = ("Assessment", "Project", "PSHE", "Careers", "EPQ", "Citizenship", "Literacy")
#: Umbrella subjects of KS3 and the specialists who also teach them.
UMBRELLA = {
    "Science": ("Physics", "Chemistry", "Biology"),
    "Humanities": ("History", "Geography", "RE"),
    "Languages": ("French", "Spanish", "German"),
}
#: Subjects whose staff may hold a stage-limited qualification (``Maths:1-4``).
STAGED = ("English", "Maths", "Science")

# KS3 subjects: code -> (subject, room type, prefers doubles, periods in a 25-period week)
KS3: dict[str, tuple[str, str, bool, float]] = {
    "EN": ("English", "classroom", False, 4),
    "MA": ("Maths", "classroom", False, 4),
    "SC": ("Science", "lab", True, 3.5),
    "HUM": ("Humanities", "classroom", False, 3),
    "MFL": ("Languages", "classroom", False, 2.5),
    "ART": ("Art", "art", True, 1),
    "MUS": ("Music", "music", False, 1),
    "DT": ("Technology", "workshop", True, 1.5),
    "CMP": ("Computing", "ict", False, 1),
    "PE": ("PE", "sports", True, 2),
    "DRA": ("Drama", "drama", False, 1),
    "PSHE": ("PSHE", "classroom", False, 1),
}
KS4_CORE: dict[str, tuple[str, str, bool, float]] = {
    "EN": ("English", "classroom", False, 4),
    "MA": ("Maths", "classroom", False, 4),
    "SC": ("Science", "lab", True, 5),
    "PE": ("PE", "sports", True, 1.5),
    "PSHE": ("PSHE", "classroom", False, 1),
}
# Options: code -> (subject, room type, prefers doubles, popularity)
GCSE: dict[str, tuple[str, str, bool, float]] = {
    "HIS": ("History", "classroom", False, 1.3),
    "GEO": ("Geography", "classroom", False, 1.2),
    "RS": ("RE", "classroom", False, 0.6),
    "FRE": ("French", "classroom", False, 0.8),
    "SPA": ("Spanish", "classroom", False, 0.9),
    "GER": ("German", "classroom", False, 0.4),
    "ARG": ("Art", "art", True, 0.9),
    "MUG": ("Music", "music", False, 0.5),
    "DRG": ("Drama", "drama", False, 0.6),
    "CS": ("Computing", "ict", False, 1.0),
    "BUS": ("Business", "classroom", False, 1.0),
    "DTG": ("Technology", "workshop", True, 0.7),
    "PEG": ("PE", "sports", True, 0.8),
    "TRI": ("Science", "lab", True, 0.7),
    "FOOD": ("Food", "kitchen", True, 0.6),
    "MED": ("Media", "ict", False, 0.5),
    "SOC": ("Sociology", "classroom", False, 0.6),
    "STAT": ("Statistics", "classroom", False, 0.3),
    "CIT": ("Citizenship", "classroom", False, 0.3),
}
ALEVEL: dict[str, tuple[str, str, bool, float]] = {
    "MAT": ("Maths", "classroom", False, 1.5),
    "FMA": ("Maths", "classroom", False, 0.3),
    "PHY": ("Physics", "lab", True, 0.8),
    "CHE": ("Chemistry", "lab", True, 0.9),
    "BIO": ("Biology", "lab", True, 1.1),
    "ENL": ("English", "classroom", False, 0.9),
    "HIS": ("History", "classroom", False, 0.9),
    "GEO": ("Geography", "classroom", False, 0.7),
    "PSY": ("Psychology", "classroom", False, 1.3),
    "SOC": ("Sociology", "classroom", False, 0.9),
    "ECO": ("Economics", "classroom", False, 0.7),
    "BUS": ("Business", "classroom", False, 0.8),
    "ART": ("Art", "art", True, 0.5),
    "CS": ("Computing", "ict", False, 0.6),
    "FRE": ("French", "classroom", False, 0.3),
    "SPA": ("Spanish", "classroom", False, 0.3),
    "DRA": ("Drama", "drama", False, 0.3),
    "MUS": ("Music", "music", False, 0.2),
    "PE": ("PE", "sports", True, 0.4),
    "POL": ("Politics", "classroom", False, 0.5),
    "LAW": ("Law", "classroom", False, 0.5),
}
ONLINE = (("LAT", "Latin"), ("EPQ", "EPQ"), ("AST", "Astronomy"))
INITIALS = (
    "A.",
    "B.",
    "C.",
    "D.",
    "E.",
    "F.",
    "G.",
    "H.",
    "J.",
    "K.",
    "L.",
    "M.",
    "N.",
    "P.",
    "R.",
    "S.",
    "T.",
    "V.",
    "W.",
    "Y.",
)
SURNAMES = (
    "Okafor",
    "Smith",
    "Patel",
    "Nowak",
    "Jones",
    "Ahmed",
    "Murphy",
    "Chen",
    "Evans",
    "Kowalski",
    "Brown",
    "Singh",
    "Taylor",
    "Rossi",
    "Hughes",
    "Khan",
    "Walsh",
    "Lee",
    "Adeyemi",
    "Clarke",
    "Silva",
    "Moore",
    "Novak",
    "Price",
    "Ward",
    "Haddad",
)
TITLES = ("Ms", "Mr", "Dr", "Mx", "Mrs")


# ---------------------------------------------------------------------------------------
# The school's parts
# ---------------------------------------------------------------------------------------


@dataclass
class Slot:
    index: int
    day: str
    weekday: str  # Mon..Fri
    period: str
    start: int  # minutes from midnight
    end: int
    evening: bool = False

    @property
    def label(self) -> str:
        return f"{self.day} {self.period}"


@dataclass
class Course:
    id: str
    subject: str
    lessons: list[int]
    min_size: int
    max_size: int
    room: str | None  # room type without site; None = any room
    site: str | None  # the site a site-bound course is taught on; None = any site
    stage: int | None = None
    per_group: int = 1
    sections: int | None = None
    years: list[int] | None = None
    online: bool = False
    kind: str = "lesson"
    staff: list[str] | None = None
    members: list[str] = field(default_factory=list)  # students with a core/option request
    alternates: int = 0

    @property
    def periods(self) -> int:
        return sum(self.lessons)

    def groups(self) -> int:
        """Groups the solver plans (its rule: 90% of max_size, never below min_size)."""
        if self.sections is not None:
            return self.sections
        need = len(self.members)
        if need == 0:
            return 1 if self.alternates else 0
        tight = math.ceil(need / self.max_size)
        roomy = math.ceil(need / max(1.0, self.max_size * 0.9))
        most = max(1, need // self.min_size)
        return max(1, min(max(tight, roomy), max(tight, most)))


Unit = tuple[str, int, int]  # (site, year, form): students who share a planted timetable


@dataclass
class Block:
    """Courses timetabled at the same times for whole units (forms of a year group)."""

    id: str
    site: str  # where its rooms and staff are
    units: list[Unit]
    lessons: list[int]
    parts: list[tuple[str, list[str], int]]  # (course, its students here, groups here)
    avoid: tuple[str, ...] = ()  # weekdays it may not use (home learning)
    runs: list[tuple[int, ...]] = field(default_factory=list)


@dataclass
class Group:
    course: Course
    site: str
    members: list[str]
    slots: list[int]
    weekdays: set[str]
    staff: list[Teacher] = field(default_factory=list)


@dataclass
class Student:
    id: str
    year: int
    site: str
    ability: int = 0
    stages: dict[str, int] = field(default_factory=dict)
    house: str | None = None
    family: str | None = None
    tutor_group: str | None = None
    home_days: list[str] = field(default_factory=list)
    pathway: str | None = None
    form: int = 0

    @property
    def cohort(self) -> tuple[str, int]:
        return (self.site, self.year) if self.year <= 11 else (SIXTH, self.year)

    @property
    def unit(self) -> Unit:
        return (*self.cohort, self.form)


@dataclass
class Request:
    student: str
    course: str
    type: str  # core / option / alternate
    rank: int | None = None
    by_subject: bool = False  # written as a subject, resolved through the Stages sheet


@dataclass
class Teacher:
    id: str
    site: str
    max_periods: int
    cap: int  # most periods the planted timetable gives them (85-95% of max_periods)
    off: list[str]  # whole weekdays unavailable
    part_time: bool
    share: float
    busy: set[int] = field(default_factory=set)
    taught: int = 0
    groups: list[Group] = field(default_factory=list)
    subjects: dict[str, int] = field(default_factory=dict)
    quals: dict[str, tuple[int, int] | None] = field(default_factory=dict)
    cross_site: bool = False
    other_unavailable: list[str] = field(default_factory=list)
    name: str = ""

    def covers(self, subject: str, stage: int | None) -> bool:
        if subject not in self.quals:
            return False
        limit = self.quals[subject]
        return limit is None or stage is None or limit[0] <= stage <= limit[1]

    def take(self, g: Group) -> None:
        self.busy.update(g.slots)
        self.taught += len(g.slots)
        self.groups.append(g)
        self.subjects[g.course.subject] = self.subjects.get(g.course.subject, 0) + len(g.slots)
        g.staff.append(self)

    def drop(self, g: Group) -> None:
        self.busy.difference_update(g.slots)
        self.taught -= len(g.slots)
        self.groups.remove(g)
        self.subjects[g.course.subject] -= len(g.slots)
        if not self.subjects[g.course.subject]:
            del self.subjects[g.course.subject]
        g.staff.remove(self)


@dataclass
class VariedSchool:
    """A generated school: its sheets as rows, and figures about how it was made."""

    seed: int
    tables: dict[str, list[dict[str, Any]]]
    info: dict[str, Any]
    _maker: Any = field(default=None, repr=False, compare=False)

    def write(self, path: str | Path) -> Path:
        """Write the school as ``.xlsx`` (a path ending in .xlsx) or a folder of CSVs."""
        return write_workbook(self.tables, path)

    def write_planted(self, outdir: str | Path) -> Path:
        """Write the planted timetable as `pathways solve` would (timetable.csv, groups.csv,
        requests.csv, tutor_groups.csv, summary.json), for `pathways check` to verify."""
        return self._maker.write_planted(Path(outdir))

    def contents(self) -> str:
        """Every sheet's cells as text, in order: equal for equal schools."""
        out: list[str] = []
        for name, rows in self.tables.items():
            out.append(f"## {name}")
            for r in rows:
                out.append("\t".join(f"{k}={_cell(v)}" for k, v in r.items()))
        return "\n".join(out)


class _NoFit(Exception):
    """The planted timetable could not be laid out; the school is drawn again, less full."""


def _cell(v: Any) -> Any:
    if v is None or v == "":
        return None
    return v


def write_workbook(tables: dict[str, list[dict[str, Any]]], path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        for name, rows in tables.items():
            ws = wb.create_sheet(name)
            cols = list(rows[0]) if rows else []
            ws.append(cols)
            for r in rows:
                ws.append([_cell(r.get(c)) for c in cols])
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
        return path
    path.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        cols = list(rows[0]) if rows else []
        with open(path / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(cols)
            for r in rows:
                w.writerow(["" if _cell(r.get(c)) is None else r.get(c) for c in cols])
    return path


def _apportion(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Whole numbers adding up to ``total`` in proportion to ``weights``, each >= minimum."""
    n = len(weights)
    if n == 0:
        return []
    rest = total - minimum * n
    if rest < 0:
        raise ValueError("total below the minimum")
    sw = sum(weights) or 1.0
    raw = [rest * w / sw for w in weights]
    out = [int(x) for x in raw]
    order = sorted(range(n), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: rest - sum(out)]:
        out[i] += 1
    return [minimum + x for x in out]


def _split(items: list[str], parts: int) -> list[list[str]]:
    """``items`` cut into ``parts`` consecutive runs of sizes differing by at most one."""
    sizes = _apportion(len(items), [1.0] * parts)
    out, k = [], 0
    for n in sizes:
        out.append(items[k : k + n])
        k += n
    return out


# ---------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------


class _Maker:
    def __init__(
        self, seed: int, students: int | None, kind: str | None, staff_load: float | None = None
    ):
        self.seed = seed
        self.staff_load = staff_load
        self.rng = random.Random(seed)
        kinds = sorted(KINDS)
        # The kind and size are drawn even when given, so that the rest of the school is
        # the same whether or not they are: `--seed 3` and `--seed 3 --kind K` (K the kind
        # seed 3 draws) make the same workbook.
        drawn_kind = self.rng.choice(kinds)
        self.kind = kind if kind is not None else drawn_kind
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}; choose one of {', '.join(kinds)}")
        lo, hi = KINDS[self.kind]
        drawn = self.rng.randint(lo, hi)
        self.n = students if students is not None else drawn
        if self.n < 30:
            raise ValueError("a varied school needs at least 30 students")
        self.notes: dict[str, Any] = {}

    # ---- shape of the school -----------------------------------------------------------
    def shape(self) -> None:
        rng, kind = self.rng, self.kind
        sixth_p = {"secondary": 0.5, "federation": 0.85, "large": 0.85, "small": 0.4, "stage": 0.5}[
            kind
        ]
        self.sixth = rng.random() < sixth_p and self.n >= 120
        self.years = list(range(7, 12)) + ([12, 13] if self.sixth else [])
        if kind == "federation":
            self.sites = [MAIN, *rng.sample(OTHER_SITES, rng.choice((1, 2, 2)))]
            self.site_mode = "federation"
        elif kind in ("secondary", "large") and rng.random() < 0.25:
            self.sites = [MAIN, rng.choice(OTHER_SITES)]
            self.site_mode = "split"
        else:
            self.sites = [MAIN]
            self.site_mode = "single"
        if kind == "stage":
            self.style = "stage"
        else:
            self.style = rng.choices(("year", "mixed", "stage"), (0.45, 0.3, 0.25))[0]
        if self.style == "stage":
            self.staged = ["English", "Maths", "Science"]
            if rng.random() < 0.4:
                self.staged.append("Languages")
        elif self.style == "mixed":
            self.staged = ["Maths", *rng.sample(["English", "Science"], rng.randint(0, 1))]
        else:
            self.staged = []
        self.tutor_mode = rng.choices(("none", "vertical", "horizontal"), (0.3, 0.45, 0.25))[0]
        self.class_size = rng.choice((28, 30, 30, 32))
        self.sep = rng.choice((",", ";"))
        self.id_style = rng.randrange(3)
        self.use_pathways = rng.random() < 0.35
        self.projects = rng.random() < 0.65
        self.load_target = rng.uniform(0.87, 0.93)
        # Drawn whatever is given, so that the rest of the school is the seed's.
        self.load_range = (0.85, 0.95)
        if self.staff_load is not None:
            self.load_target = self.staff_load
            self.load_range = (self.staff_load - 0.05, self.staff_load + 0.05)
        self.room_spare = rng.uniform(0.12, 0.23)
        self.part_time_share = rng.uniform(0.08, 0.25)
        self.limit_share = 0.0 if rng.random() < 0.2 else rng.uniform(0.25, 0.6)
        self.fill_lower = rng.uniform(0.84, 0.95)
        self.fill_sixth = rng.uniform(0.58, 0.78)

    # ---- calendar ---------------------------------------------------------------------
    def calendar(self) -> None:
        rng = self.rng
        self.weeks = 2 if rng.random() < 0.3 else 1
        per_day = rng.choice((5, 6)) if self.weeks == 2 else rng.choice((5, 5, 6, 6, 6, 7))
        self.per_day = per_day
        plen = {5: rng.choice((60, 65)), 6: rng.choice((50, 55, 60)), 7: rng.choice((45, 50))}[
            per_day
        ]
        change = rng.choice((0, 0, 5))
        start = rng.choice((510, 520, 525, 530, 540))
        break_after = 2 if per_day <= 5 else rng.choice((2, 3))
        lunch_after = per_day - 2 if per_day >= 6 else 3
        break_len = rng.choice((15, 20, 25))
        lunch_len = rng.choice((30, 40, 45, 60))
        evening_days: list[str] = []
        evening_n = 0
        if rng.random() < 0.35:
            evening_days = sorted(rng.sample(WEEKDAYS[:4], rng.randint(1, 4)), key=WEEKDAYS.index)
            evening_n = rng.choice((1, 1, 2))
        evening_label = rng.choice(("E", ""))
        self.notes["evening"] = f"{evening_n} on {','.join(evening_days)}" if evening_n else "none"
        two_week_label = rng.choice(("Wk{w} {d}", "Wk{w} {d}", "Week{w} {d}"))
        self.slots: list[Slot] = []
        self.days: list[str] = []
        for w in range(1, self.weeks + 1):
            for d in WEEKDAYS:
                day = d if self.weeks == 1 else two_week_label.format(w=w, d=d)
                self.days.append(day)
                t = start
                for p in range(1, per_day + 1):
                    self.slots.append(Slot(len(self.slots), day, d, str(p), t, t + plen))
                    t += plen + change
                    if p == break_after:
                        t += break_len
                    if p == lunch_after:
                        t += lunch_len
                if d in evening_days:
                    t += rng.choice((15, 30, 45)) - change
                    for e in range(1, evening_n + 1):
                        label = f"E{e}" if evening_label else str(per_day + e)
                        self.slots.append(
                            Slot(len(self.slots), day, d, label, t, t + 55, evening=True)
                        )
                        t += 60
        # Tutor time: one or two slots a week when every tutor group meets.
        self.meets: list[Slot] = []
        if self.tutor_mode != "none":
            m = 2 if rng.random() < 0.3 else 1
            which = sorted(rng.sample(WEEKDAYS, m), key=WEEKDAYS.index)
            period = rng.choice(("1", "1", str(per_day)))
            self.meets = [s for s in self.slots if s.weekday in which and s.period == period]
        self.meet_ix = {s.index for s in self.meets}
        # Runs of consecutive teaching slots of one day (no evenings, no tutor time): the
        # planted timetable uses these only.
        self.runs: dict[int, list[tuple[str, tuple[int, ...]]]] = {}
        by_day: dict[str, list[int]] = {}
        for s in self.slots:
            if not s.evening:
                by_day.setdefault(s.day, []).append(s.index)
        for length in range(1, per_day + 1):
            out = []
            for day, ix in by_day.items():
                for k in range(len(ix) - length + 1):
                    run = tuple(ix[k : k + length])
                    if not self.meet_ix.intersection(run):
                        out.append((day, run))
            self.runs[length] = out
        self.teaching = [
            s.index for s in self.slots if not s.evening and s.index not in self.meet_ix
        ]
        # Teaching neighbours within a day, for keeping free time in stretches.
        self.beside: dict[int, list[int]] = {i: [] for i in self.teaching}
        for ix in by_day.values():
            for a, b in itertools.pairwise(ix):
                if a in self.beside and b in self.beside:
                    self.beside[a].append(b)
                    self.beside[b].append(a)
        self.day_teaching: dict[str, list[int]] = {
            d: [i for i in ix if i in self.beside] for d, ix in by_day.items()
        }
        self.lesson_slots = len(self.teaching)  # per cycle, evenings left out
        self.week_slots = self.lesson_slots // self.weeks

    def weekday(self, ix: int) -> str:
        return self.slots[ix].weekday

    # ---- ids ----------------------------------------------------------------------------
    def cid(
        self,
        code: str,
        year: int | None = None,
        stage: int | None = None,
        site: str | None = None,
        band: str = "",
    ) -> str:
        if stage is not None:
            base = (f"{code}-S{stage}{band}", f"{code}{stage}{band}S", f"{code}-ST{stage}{band}")[
                self.id_style
            ]
        elif year is not None:
            base = (f"{code}{year}", f"{code}-{year}", f"Y{year}-{code}")[self.id_style]
        else:
            base = code
        if site is not None and len(self.sites) > 1:
            base += f"-{site[:2].upper()}"
        return base

    def site_bound(self, site: str) -> str | None:
        """The site a lower-school course is tied to (None on a one-site school)."""
        return site if len(self.sites) > 1 else None

    # ---- students -----------------------------------------------------------------------
    def people(self) -> None:
        rng = self.rng
        weights = [rng.uniform(0.92, 1.08) for _ in range(5)]
        if self.sixth:
            y12 = rng.uniform(0.45, 0.75)
            weights += [y12, y12 * rng.uniform(0.8, 1.0)]
        counts = _apportion(self.n, weights, 1)
        site_w = [rng.uniform(0.6, 1.4) for _ in self.sites]
        annex_years = range(7, 7 + rng.choice((2, 3)))
        prefix = rng.choice(("S", "ST", "P", "STU"))
        width = max(4, len(str(self.n)) + 1)
        self.students: list[Student] = []
        k = 0
        for year, count in zip(self.years, counts, strict=True):
            if self.site_mode == "split":
                where = [self.sites[1] if year in annex_years else MAIN] * count
            elif self.site_mode == "federation":
                per_site = _apportion(count, site_w)
                where = [s for s, c in zip(self.sites, per_site, strict=True) for _ in range(c)]
            else:
                where = [MAIN] * count
            for site in where:
                k += 1
                ability = rng.choices((-1, 0, 1), (0.25, 0.5, 0.25))[0]
                self.students.append(Student(f"{prefix}{k:0{width}d}", year, site, ability))
        self.by_id = {s.id: s for s in self.students}
        self.cohorts: dict[tuple[str, int], list[Student]] = {}
        for s in self.students:
            self.cohorts.setdefault(s.cohort, []).append(s)
        # Forms: a lower year is taught year-based courses form by form.
        self.units: dict[tuple[str, int], list[Unit]] = {}
        for key, members in self.cohorts.items():
            forms = (
                1 if key[0] == SIXTH else max(1, math.ceil(len(members) / (0.9 * self.class_size)))
            )
            order = list(members)
            rng.shuffle(order)
            for f, part in enumerate(_split(order, forms)):
                for st in part:
                    st.form = f
            self.units[key] = [(*key, f) for f in range(forms)]
        self.lower: dict[str, list[int]] = {}
        for site, year in sorted(
            self.cohorts, key=lambda c: (self.sites.index(c[0]) if c[0] in self.sites else 9, c[1])
        ):
            if site != SIXTH:
                self.lower.setdefault(site, []).append(year)

    def home_learning(self) -> None:
        rng = self.rng
        self.home_years: list[int] = []
        self.home_choice: list[str] = []
        if not self.sixth or rng.random() < 0.5:
            return
        self.home_years = sorted(rng.sample([12, 13], rng.randint(1, 2)))
        self.home_choice = sorted(rng.sample(WEEKDAYS, rng.choice((1, 1, 2))), key=WEEKDAYS.index)
        for y in self.home_years:
            share = rng.uniform(0.15, 0.4)
            for s in self.cohorts[(SIXTH, y)]:
                if rng.random() < share:
                    n = 2 if len(self.home_choice) == 2 and rng.random() < 0.25 else 1
                    days = sorted(rng.sample(self.home_choice, n), key=WEEKDAYS.index)
                    s.home_days = self._day_labels(days)

    def _day_labels(self, weekdays: list[str]) -> list[str]:
        if self.weeks == 1 or self.rng.random() < 0.6:
            return list(weekdays)
        return [d for d in self.days if d.split()[-1] in weekdays]

    # ---- stages -------------------------------------------------------------------------
    def stages(self) -> None:
        """Each lower-school student's stage in the staged subjects, and the bands of years
        whose sets are timetabled together."""
        rng = self.rng
        wide = rng.random() < 0.4
        self.set_min = rng.randint(5, 8)
        cut = 0.3 if self.style == "stage" else 0.5
        self.bands: dict[str, list[list[int]]] = {}
        for site, years in self.lower.items():
            bands = [[years[0]]]
            for y in years[1:]:
                if rng.random() < cut:
                    bands.append([y])
                else:
                    bands[-1].append(y)
            self.bands[site] = bands
        for s in self.students:
            if s.year > 11:
                continue
            for subject in self.staged:
                noise = rng.choices((-1, 0, 1), (0.15, 0.7, 0.15))[0] if wide else 0
                if not wide and rng.random() < 0.2:
                    noise = rng.choice((-1, 1))
                s.stages[subject] = max(1, min(7, s.year - 6 + s.ability + noise))
        # A stage too thin to fill a set within its band is merged into its neighbour.
        for site, bands in self.bands.items():
            for band in bands:
                members = [s for y in band for s in self.cohorts[(site, y)]]
                for subject in self.staged:
                    while True:
                        count: dict[int, int] = {}
                        for s in members:
                            count[s.stages[subject]] = count.get(s.stages[subject], 0) + 1
                        thin = [st for st in sorted(count) if count[st] < self.set_min]
                        if not thin or len(count) == 1:
                            break
                        st = min(thin, key=lambda x: (count[x], x))
                        to = min(
                            (x for x in sorted(count) if x != st),
                            key=lambda x: (abs(x - st), -count[x]),
                        )
                        for s in members:
                            if s.stages[subject] == st:
                                s.stages[subject] = to

    # ---- curriculum ---------------------------------------------------------------------
    def pattern(
        self, periods: int, double: bool, most: int | None = None, block: bool = False
    ) -> list[int]:
        """Lesson lengths for a course of so many periods a cycle."""
        rng = self.rng
        most = len(self.days) if most is None else most
        if block:
            size = min(3, self.per_day - 1) if periods >= 3 else periods
            out: list[int] = []
            left = periods
            while left > 0:
                out.append(min(size, left))
                left -= out[-1]
            return sorted(out, reverse=True)
        doubles = 0
        if double and periods >= 2:
            doubles = 1 if periods < 4 or rng.random() < 0.5 else periods // 2
        lessons = [2] * doubles + [1] * (periods - 2 * doubles)
        longest = min(3, self.per_day - 1)
        while len(lessons) > most:
            lessons.sort()
            if lessons[0] + lessons[1] <= longest:
                lessons[:2] = [lessons[0] + lessons[1]]
            else:
                lessons.pop(0)  # the course loses a period rather than a day it cannot have
        return sorted(lessons, reverse=True)

    def add(self, c: Course) -> Course:
        if c.id in self.courses:
            raise RuntimeError(f"course id {c.id} made twice")
        self.courses[c.id] = c
        return c

    def block(
        self, site: str, cohorts: list[tuple[str, int]], lessons: list[int], courses: list[str]
    ) -> Block:
        """A block of whole year groups: every course with all its students."""
        units = [u for c in cohorts for u in self.units[c]]
        parts = [
            (cid, list(self.courses[cid].members), self.courses[cid].groups()) for cid in courses
        ]
        return self._block(site, units, lessons, parts)

    def _block(
        self,
        site: str,
        units: list[Unit],
        lessons: list[int],
        parts: list[tuple[str, list[str], int]],
    ) -> Block:
        years = {u[1] for u in units}
        avoid = tuple(self.home_choice) if years & set(self.home_years) else ()
        b = Block(f"B{len(self.blocks) + 1}", site, units, list(lessons), parts, avoid)
        self.blocks.append(b)
        return b

    def form_blocks(self, c: Course, site: str, year: int) -> None:
        """A year-based course taught form by form, or by sets of forms when its groups are
        smaller than a form: the fewest forms together whose groups the plan allows."""
        units = self.units[(site, year)]
        by_form: dict[int, list[str]] = {}
        for sid in c.members:
            by_form.setdefault(self.by_id[sid].form, []).append(sid)
        allowed = c.groups()
        for k in range(1, len(units) + 1):
            sets = [units[i : i + k] for i in range(0, len(units), k)]
            sizes = [sum(len(by_form.get(u[2], [])) for u in us) for us in sets]
            need = [max(1, math.ceil(n / c.max_size)) for n in sizes]
            if sum(need) <= allowed and all(
                n // g >= c.min_size for n, g in zip(sizes, need, strict=True)
            ):
                break
        else:
            sets, need = [units], [allowed]
        for us, g in zip(sets, need, strict=True):
            members = [sid for u in us for sid in by_form.get(u[2], [])]
            self._block(site, us, c.lessons, [(c.id, members, g)])

    def join(
        self,
        c: Course,
        student: Student,
        rtype: str = "core",
        rank: int | None = None,
        by_subject: bool = False,
    ) -> None:
        self.requests.append(Request(student.id, c.id, rtype, rank, by_subject))
        if rtype == "alternate":
            c.alternates += 1
        else:
            c.members.append(student.id)

    def curriculum(self) -> None:
        rng = self.rng
        self.courses: dict[str, Course] = {}
        self.requests: list[Request] = []
        self.blocks: list[Block] = []
        self.tutorial_courses: list[Course] = []
        self.tutorial_chunks: dict[str, list[list[str]]] = {}
        weeks, wk = self.weeks, self.week_slots
        most_home = (len(WEEKDAYS) - len(self.home_choice)) * weeks
        # Tutorials and assessments, taken by parts of some years (core requests).
        self.extras: dict[int, int] = {y: 0 for y in self.years}
        tutorials: list[tuple[str, str, list[int], str]] = []
        if rng.random() < 0.5:
            tutorials.append(("LIT", "Literacy", [7, 8] if rng.random() < 0.5 else [7], "seminar"))
        if 13 in self.years and rng.random() < 0.5:
            tutorials.append(("UNI", "Careers", [13], "seminar"))
        if rng.random() < 0.35 or not tutorials:
            tutorials.append(("INS", "Music", [7, 8, 9, 10, 11], "music"))
        tutorials = tutorials[:2]
        assessments = [y for y in (11, 13) if y in self.years and rng.random() < 0.6]
        asm_periods = 2 * (weeks if rng.random() < 0.5 else 1)
        for y in assessments:
            self.extras[y] += asm_periods
        for _, _, yrs, _ in tutorials:
            for y in yrs:
                self.extras[y] += weeks
        proj_years = ([7, 8, 9] if rng.random() < 0.5 else [7, 8]) if self.projects else []
        proj_shared = self.projects and rng.random() < 0.5
        self.proj = {
            "years": proj_years,
            "shared": proj_shared,
            "periods": rng.choice((2, 3)) * weeks,
            "max_size": rng.choice((60, 70, 80, 90, 100, 120)),
            "per_group": rng.choice((2, 2, 3)),
        }
        # Staged subjects have one period count for every year.
        total7 = round(self.fill_lower * wk) * weeks - self.extras[7]
        ks3_weight = sum(v[3] for v in KS3.values()) + (2.5 if proj_years else 0)
        code_of = {v[0]: k for k, v in KS3.items()}
        self.stage_periods: dict[str, int] = {}
        for subject in self.staged:
            w = KS3[code_of[subject]][3] + (0.5 if subject == "Science" else 0)
            self.stage_periods[subject] = max(2, round(w / ks3_weight * total7))
        shared_fixed = sum(self.stage_periods.values())
        online_at = None
        if rng.random() < 0.8:
            online_at = rng.choice((12, 13)) if self.sixth else 10
        self._online = (online_at, rng.choice(ONLINE))
        for site, years in self.lower.items():
            for y in years:
                budget = round(self.fill_lower * wk) * weeks - self.extras[y] - shared_fixed
                if proj_shared and y in proj_years:
                    budget -= self.proj["periods"]
                self._year_courses(site, y, budget)
            self._stage_courses(site)
            if proj_shared:
                for band in self._project_bands(site, proj_years):
                    self._project(site, band, self.proj["periods"])
        if self.sixth:
            for y in (12, 13):
                budget = round(self.fill_sixth * wk) * weeks - self.extras[y]
                if y in self.home_years:
                    # Home-learning years are taught on the other days only.
                    days_left = len(WEEKDAYS) - len(self.home_choice)
                    budget = min(
                        budget,
                        math.floor(0.85 * self.week_slots * days_left / len(WEEKDAYS)) * weeks
                        - self.extras[y],
                    )
                self._sixth(y, budget, most_home if y in self.home_years else None)
        for code, subject, yrs, room in tutorials:
            self._tutorial(code, subject, yrs, room)
        for y in assessments:
            self._assessment(y, asm_periods)

    def _project_bands(self, site: str, years: list[int]) -> list[list[int]]:
        here = [y for y in years if y in self.lower[site]]
        return [here] if here else []

    def _year_courses(self, site: str, year: int, budget: int) -> None:
        rng = self.rng
        table = KS3 if year <= 9 else KS4_CORE
        items: list[tuple[str, float]] = [
            (k, v[3]) for k, v in table.items() if v[0] not in self.staged
        ]
        if year in self.proj["years"] and not self.proj["shared"]:
            items.append(("PRJ", 2.5))
        cohort = self.cohorts[(site, year)]
        bound = self.site_bound(site)
        if year >= 10:
            n_opt = 4  # GCSE-like: four option blocks
            total_w = sum(w for _, w in items) + 2.75 * n_opt
            per_opt = max(1, round(budget * 2.75 / total_w))
            budget -= per_opt * n_opt
            online = self._online[1] if self._online[0] == year and site == MAIN else None
            self._options(site, (site, year), year, n_opt, per_opt, GCSE, "gcse", None, online)
        while len(items) > budget:
            droppable = [it for it in items if it[0] not in ("EN", "MA")]
            items.remove(min(droppable, key=lambda it: it[1]))
        alloc = _apportion(budget, [w for _, w in items], 1) if items else []
        for (code, _), periods in zip(items, alloc, strict=True):
            if code == "PRJ":
                self._project(site, [year], periods)
                continue
            subject, room, double, _ = table[code]
            stage = None
            if subject in STAGED and (self.sixth or self.style != "year") and rng.random() < 0.9:
                stage = year - 6
            c = self.add(
                Course(
                    self.cid(code, year, site=bound),
                    subject,
                    self.pattern(periods, double),
                    min(self.set_min + 2, 10, len(cohort)),
                    self._max_for(room),
                    room,
                    bound,
                    stage=stage,
                    years=[year],
                )
            )
            for s in cohort:
                self.join(c, s)
            self.form_blocks(c, site, year)

    def _max_for(self, room: str | None) -> int:
        return {
            "workshop": self.rng.choice((20, 22, 24)),
            "lab": min(self.class_size, 30),
            "kitchen": 20,
        }.get(room or "", self.class_size)

    def _stage_courses(self, site: str) -> None:
        """Sets by stage: one block per subject and band of years."""
        bound = self.site_bound(site)
        code_of = {v[0]: k for k, v in KS3.items()}
        bands = self.bands[site]
        # Subject requests resolve through the Stages sheet when a student's year and
        # stage name one course; on a federation every site teaches every year, so those
        # requests name the site's course instead.
        by_subject = self.site_mode != "federation"
        whole = len(bands) == 1 and self.site_mode == "single"
        for subject in self.staged:
            code = code_of[subject]
            _, room, double, _ = KS3[code]
            pattern = self.pattern(self.stage_periods[subject], double)
            for i, band in enumerate(bands):
                members = [s for y in band for s in self.cohorts[(site, y)]]
                tag = "" if len(bands) == 1 else "ABCDE"[i]
                ids: list[str] = []
                for st in sorted({s.stages[subject] for s in members}):
                    inside = [s for s in members if s.stages[subject] == st]
                    c = self.add(
                        Course(
                            self.cid(code, stage=st, site=bound, band=tag),
                            subject,
                            list(pattern),
                            min(self.set_min, len(inside)),
                            self._max_for(room),
                            room,
                            bound,
                            stage=st,
                            years=None if whole else list(band),
                        )
                    )
                    for s in inside:
                        self.join(c, s, by_subject=by_subject)
                    ids.append(c.id)
                self.block(site, [(site, y) for y in band], pattern, ids)

    def _project(self, site: str, years: list[int], periods: int) -> None:
        proj = self.proj
        bound = self.site_bound(site)
        members = [s for y in years for s in self.cohorts[(site, y)]]
        code = "PRJ" if len(years) == 1 else "PRJX"
        c = self.add(
            Course(
                self.cid(code, years[0] if len(years) == 1 else None, site=bound),
                "Project",
                self.pattern(periods, True, block=True),
                min(20, max(1, len(members) // 2)),
                proj["max_size"],
                "hall",
                bound,
                per_group=proj["per_group"],
                years=list(years),
                kind="project",
            )
        )
        for s in members:
            self.join(c, s)
        if len(years) == 1:
            self.form_blocks(c, site, years[0])
        else:
            self.block(site, [(site, y) for y in years], c.lessons, [c.id])

    def _options(
        self,
        site: str,
        cohort: tuple[str, int],
        year: int,
        n_opt: int,
        per: int,
        table: dict[str, tuple[str, str, bool, float]],
        level: str,
        most: int | None,
        online: tuple[str, str] | None,
    ) -> None:
        """Option blocks: every course in one block; each student takes one per block."""
        rng = self.rng
        members = self.cohorts[cohort]
        bound = self.site_bound(site) if cohort[0] != SIXTH else None
        size = len(members)
        if level == "gcse":
            offer_n = min(len(table), max(2 * n_opt + 1, round(size / 11)))
            max_size, min_size = self.class_size, rng.randint(5, 9)
        else:
            offer_n = min(len(table), max(2 * n_opt + 1, round(size / 5)))
            max_size, min_size = rng.choice((18, 20, 22, 24)), rng.randint(3, 5)
        min_size = min(min_size, max(1, size // (2 * n_opt)))
        codes = sorted(table)
        pop = {k: table[k][3] * rng.uniform(0.5, 1.5) for k in codes}
        offer: list[str] = []
        pool = list(codes)
        while len(offer) < offer_n and pool:
            k = rng.choices(pool, [pop[x] for x in pool])[0]
            pool.remove(k)
            offer.append(k)
        lessons = self.pattern(per, rng.random() < 0.3, most)
        info: dict[str, tuple[str, str | None, bool]] = {
            k: (table[k][0], table[k][1], False) for k in offer
        }
        if online is not None:
            code, subject = online
            offer.append(code)
            pop[code] = 0.6
            info[code] = (subject, None, True)
        # Courses into blocks, the most popular first, each into the lightest block.
        blocks: list[list[str]] = [[] for _ in range(n_opt)]
        weight = [0.0] * n_opt
        for k in sorted(offer, key=lambda x: (-pop[x], x)):
            i = min(range(n_opt), key=lambda j: (weight[j], len(blocks[j]), j))
            blocks[i].append(k)
            weight[i] += pop[k]
        choice: dict[str, list[str]] = {s.id: [] for s in members}
        for s in members:
            for b in blocks:
                choice[s.id].append(rng.choices(b, [pop[k] for k in b])[0])
        # A course too few chose is withdrawn: its students take another of its block.
        for _ in range(len(offer)):
            count = {k: 0 for k in offer}
            for picks in choice.values():
                for k in picks:
                    count[k] += 1
            thin = [k for b in blocks if len(b) > 1 for k in b if 0 < count[k] < min_size]
            empty = [k for k in offer if count[k] == 0]
            for k in empty:
                for b in blocks:
                    if k in b and len(b) > 1:
                        b.remove(k)
                        offer.remove(k)
            if not thin:
                break
            gone = min(thin, key=lambda k: (count[k], k))
            b = next(b for b in blocks if gone in b)
            b.remove(gone)
            offer.remove(gone)
            for picks in choice.values():
                for i, k in enumerate(picks):
                    if k == gone:
                        picks[i] = rng.choices(b, [pop[x] for x in b])[0]
        ids: dict[str, str] = {}
        for i, b in enumerate(blocks):
            for k in b:
                subject, room, is_online = info[k]
                stage = 8 if (level == "alevel" and subject in STAGED) else None
                c = self.add(
                    Course(
                        self.cid(k, year, site=bound),
                        subject,
                        list(lessons),
                        min_size,
                        max_size,
                        room,
                        bound,
                        stage=stage,
                        years=[year],
                        online=is_online,
                    )
                )
                ids[k] = c.id
        for s in members:
            picks = choice[s.id]
            ranked = sorted(picks, key=lambda k: (-pop[k] * rng.uniform(0.3, 1.7), k))
            rank = 0
            for k in ranked:
                rank += 1
                self.join(self.courses[ids[k]], s, "option", rank)
            others = [k for k in offer if k not in picks]
            for k in rng.sample(others, min(len(others), rng.choice((1, 2)))):
                rank += 1
                self.join(self.courses[ids[k]], s, "alternate", rank)
        for b in blocks:
            self.block(site, [cohort], lessons, [ids[k] for k in b])

    def _sixth(self, year: int, budget: int, most: int | None) -> None:
        rng = self.rng
        core = rng.choice((1, 2)) * self.weeks
        per = max(2, (budget - core) // 3)
        online = self._online[1] if self._online[0] == year else None
        self._options(MAIN, (SIXTH, year), year, 3, per, ALEVEL, "alevel", most, online)
        pe = rng.random() < 0.3
        c = self.add(
            Course(
                self.cid("ENR", year),
                "PE" if pe else "PSHE",
                self.pattern(core, False, most),
                5,
                self.class_size,
                "sports" if pe else (None if rng.random() < 0.5 else "classroom"),
                None,
                years=[year],
            )
        )
        for s in self.cohorts[(SIXTH, year)]:
            self.join(c, s)
        self.block(MAIN, [(SIXTH, year)], c.lessons, [c.id])

    def _tutorial(self, code: str, subject: str, years: list[int], room: str) -> None:
        """Tutorials of one to four students, one course per year and site; each group is
        drawn from one form, so that it has a free period in common."""
        rng = self.rng
        max_size = rng.randint(1, 4)
        share = rng.uniform(0.04, 0.08) if code != "UNI" else rng.uniform(0.1, 0.25)
        for key in sorted(self.cohorts, key=lambda k: (str(k[0]), k[1])):
            site, year = key
            if year not in years:
                continue
            want = max(1, round(len(self.cohorts[key]) * share))
            forms: dict[int, list[Student]] = {}
            for st in self.cohorts[key]:
                if not any(st.id in c.members for c in self.tutorial_courses):
                    forms.setdefault(st.form, []).append(st)
            for inside in forms.values():
                if code == "INS":
                    rng.shuffle(inside)
                else:
                    inside.sort(key=lambda x: (x.ability, x.id))
            chunks: list[list[str]] = []
            taken = 0
            order = sorted(forms)
            rng.shuffle(order)
            while taken < want and any(forms.values()):
                for f in order:
                    if taken >= want or not forms[f]:
                        continue
                    part, forms[f] = forms[f][:max_size], forms[f][max_size:]
                    chunks.append([x.id for x in part])
                    taken += len(part)
            bound = self.site_bound(site) if site != SIXTH else None
            c = self.add(
                Course(
                    self.cid(code, year, site=bound),
                    subject,
                    [1] * self.weeks,
                    1,
                    max_size,
                    room,
                    bound,
                    years=[year],
                    kind="tutorial",
                )
            )
            for part in chunks:
                for sid in part:
                    self.join(c, self.by_id[sid])
            self.tutorial_chunks[c.id] = chunks
            self.tutorial_courses.append(c)

    def _assessment(self, year: int, periods: int) -> None:
        rng = self.rng
        per_group = rng.choice((1, 2))
        max_size = rng.choice((60, 80, 100, 120))
        for key in sorted(self.cohorts, key=lambda k: (str(k[0]), k[1])):
            site, y = key
            if y != year:
                continue
            members = self.cohorts[key]
            home = MAIN if site == SIXTH else site
            bound = self.site_bound(site) if site != SIXTH else None
            c = self.add(
                Course(
                    self.cid("ASM", year, site=bound),
                    "Assessment",
                    [2] * (periods // 2),
                    min(10, len(members)),
                    max_size,
                    "hall",
                    bound,
                    per_group=per_group,
                    years=[year],
                    kind="assessment",
                )
            )
            # Half the time the sitting is an option some of the year take on top of their
            # option blocks (a mock or an extended project, as in the schools kept back):
            # another lesson pattern than the blocks, ranked after the student's
            # alternates. Drawn from a stream of its own, so that schools without it stay
            # as they were.
            extra = random.Random(self.seed * 7919 + len(self.courses))
            fix = rng.random() < 0.4
            if extra.random() < 0.5:
                share = extra.uniform(0.15, 0.4)
                takers = extra.sample(members, max(1, round(len(members) * share)))
                ids = {x.id for x in takers}
                last: dict[str, int] = {}
                for r in self.requests:
                    if r.student in ids:
                        last[r.student] = max(last.get(r.student, 0), r.rank or 0)
                c.min_size = min(c.min_size, len(takers))
                for s in sorted(takers, key=lambda x: x.id):
                    self.join(c, s, "option", last.get(s.id, 0) + 1)
            else:
                if fix:
                    fixed = math.ceil(len(members) / (max_size * 0.9))
                    if fixed * c.min_size <= len(members):
                        c.sections = fixed
                for s in members:
                    self.join(c, s)
            self.block(home, [key], c.lessons, [c.id])

    # ---- the planted timetable ----------------------------------------------------------
    def _usage_keys(self, c: Course, site: str, g: int) -> list[tuple[tuple[str, str], int]]:
        keys = [((site, "subject:" + c.subject), g * c.per_group)]
        if not c.online:
            keys.append(((site, c.room or "classroom"), g))
        return keys

    def plant(self) -> None:
        """Lay every block on the calendar, then the tutorials in their students' gaps."""
        rng = self.rng
        for attempt in range(30):
            busy: dict[Unit, set[int]] = {u: set() for us in self.units.values() for u in us}
            use: dict[tuple[str, str], dict[int, int]] = {}
            # Blocks of many forms first (their common free time only shrinks), longest
            # lessons first within them; later attempts shake the order.
            jitter = 0.0 if attempt == 0 else 0.5 + attempt * 0.1
            order = sorted(
                self.blocks,
                key=lambda b: (
                    -len(b.units) * (1 + jitter * rng.random()),
                    -max(b.lessons) - jitter * rng.random(),
                    -len(b.lessons),
                    -sum(b.lessons),
                ),
            )
            ok = True
            for b in order:
                if not self._lay(b, busy, use, noise=0.3 + attempt * 0.2):
                    ok = False
                    break
            if ok:
                self.busy, self.use = busy, use
                self.notes["plant_attempts"] = attempt + 1
                self._lay_tutorials()
                return
        raise _NoFit("blocks do not fit")

    def _lay(
        self,
        b: Block,
        busy: dict[Unit, set[int]],
        use: dict[tuple[str, str], dict[int, int]],
        noise: float,
    ) -> bool:
        rng = self.rng
        keys = [k for cid, _, g in b.parts for k in self._usage_keys(self.courses[cid], b.site, g)]
        distinct = len(b.lessons) <= len(self.days)
        base = 1 + sum(n * n for _, n in keys)
        taken: set[int] = set()
        for u in b.units:
            taken |= busy[u]
        used_days: set[str] = set()
        runs: list[tuple[int, ...]] = []
        for length in sorted(b.lessons, reverse=True):
            best, best_cost = None, math.inf
            for day, run in self.runs.get(length, ()):
                if distinct and day in used_days:
                    continue
                if b.avoid and self.weekday(run[0]) in b.avoid:
                    continue
                if taken.intersection(run):
                    continue
                cost = 0.0
                for key, n in keys:
                    u = use.get(key)
                    if u:
                        cost += sum(2 * u.get(i, 0) * n + n * n for i in run)
                    else:
                        cost += n * n * length
                # Splitting a stretch of free time leaves no room for doubles later.
                edge = sum(
                    1
                    for i in (run[0], run[-1])
                    for j in self.beside[i]
                    if j not in run and j not in taken
                )
                cost += base * edge * 0.75
                # So does using up a day: lessons of one course need different days.
                left = sum(1 for i in self.day_teaching[day] if i not in taken) - length
                cost += base * (2.0 if left <= 0 else 0.5 if left == 1 else 0.0)
                cost *= 1 + noise * rng.random()
                if cost < best_cost:
                    best, best_cost = (day, run), cost
            if best is None:
                return False
            day, run = best
            used_days.add(day)
            taken.update(run)
            runs.append(run)
        b.runs = runs
        for u in b.units:
            busy[u].update(i for r in runs for i in r)
        for key, n in keys:
            u = use.setdefault(key, {})
            for r in runs:
                for i in r:
                    u[i] = u.get(i, 0) + n
        return True

    def _lay_tutorials(self) -> None:
        """Each tutorial group in slots its students are all free (and in school)."""
        rng = self.rng
        self.tutorial_runs: dict[str, list[tuple[list[str], list[int]]]] = {}
        extra: dict[str, set[int]] = {}
        for c in self.tutorial_courses:
            first = self.by_id[c.members[0]]
            site = MAIN if first.cohort[0] == SIXTH else first.site
            placed: list[tuple[list[str], list[int]]] = []
            for members in self.tutorial_chunks[c.id]:
                free = [
                    i
                    for i in self.teaching
                    if all(
                        i not in self.busy[self.by_id[m].unit]
                        and i not in extra.get(m, ())
                        and self.slots[i].day not in self._home_days(m)
                        for m in members
                    )
                ]
                slots: list[int] = []
                days: set[str] = set()
                for i in sorted(free, key=lambda i: (self._tut_cost(c, site, i), rng.random())):
                    if self.slots[i].day in days:
                        continue
                    slots.append(i)
                    days.add(self.slots[i].day)
                    if len(slots) == len(c.lessons):
                        break
                if len(slots) < len(c.lessons):
                    raise _NoFit("a tutorial group has no free period")
                for m in members:
                    extra.setdefault(m, set()).update(slots)
                for key, n in self._usage_keys(c, site, 1):
                    u = self.use.setdefault(key, {})
                    for i in slots:
                        u[i] = u.get(i, 0) + n
                placed.append((members, sorted(slots)))
            self.tutorial_runs[c.id] = placed

    def _home_days(self, sid: str) -> set[str]:
        s = self.by_id[sid]
        return {d for d in self.days if d in s.home_days or d.split()[-1] in s.home_days}

    def _tut_cost(self, c: Course, site: str, i: int) -> int:
        return sum(self.use.get(key, {}).get(i, 0) for key, _ in self._usage_keys(c, site, 1))

    def planted_groups(self) -> None:
        self.groups: list[Group] = []
        for b in self.blocks:
            slots = sorted(i for r in b.runs for i in r)
            days = {self.weekday(i) for i in slots}
            for cid, members, g in b.parts:
                c = self.courses[cid]
                for part in _split(list(members), g):
                    self.groups.append(Group(c, b.site, part, slots, set(days)))
        for c in self.tutorial_courses:
            first = self.by_id[c.members[0]]
            site = MAIN if first.cohort[0] == SIXTH else first.site
            for members, slots in self.tutorial_runs[c.id]:
                self.groups.append(Group(c, site, members, slots, {self.weekday(i) for i in slots}))

    # ---- staff --------------------------------------------------------------------------
    def hire(self) -> None:
        """Teachers packed onto the planted groups: same subject first, then the family."""
        rng = self.rng
        self.teachers: list[Teacher] = []
        self._prefix = rng.choice(("T", "ST", "TCH", "M"))
        wk = self.week_slots

        def family_rank(subject: str) -> tuple[int, str]:
            if subject in FLEX:
                return (len(FAMILY_ORDER) + FLEX.index(subject), subject)
            return (FAMILY_ORDER.index(FAMILY[subject]), subject)

        order = sorted(
            self.groups,
            key=lambda g: (
                self.sites.index(g.site),
                family_rank(g.course.subject),
                -len(g.slots),
                g.course.id,
            ),
        )
        for g in order:
            for _ in range(g.course.per_group):
                t = self._pick(g)
                if t is None:
                    t = self._new_teacher(g, wk)
                t.take(g)
        self._merge_light()
        self._fill_part_timers()
        for t in self.teachers:
            # A teacher the planted timetable gives less is on a smaller contract (a
            # part-timer keeps at least 12 periods a week).
            contract = math.ceil(t.taught / t.share)
            if t.taught < 0.85 * t.max_periods:
                floor = 12 * self.weeks if t.part_time else 0
                t.max_periods = max(t.taught, contract, floor)
        self.teachers = [t for t in self.teachers if t.taught]
        for i, t in enumerate(self.teachers, 1):
            t.id = f"{self._prefix}{i:03d}"
        self._qualify()
        for t in self.teachers:
            if not t.part_time and rng.random() < 0.1:
                free = [i for i in self.teaching if i not in t.busy]
                pick = rng.sample(free, min(len(free), rng.randint(1, 2)))
                t.other_unavailable = [self.slots[i].label for i in sorted(pick)]
            t.name = f"{rng.choice(TITLES)} {rng.choice(INITIALS)} {rng.choice(SURNAMES)}"
        demand = sum(c.groups() * c.periods * c.per_group for c in self.courses.values())
        capacity = sum(t.max_periods for t in self.teachers)
        self.notes["staff_load"] = round(demand / capacity, 3)
        self.notes["part_time"] = sum(1 for t in self.teachers if t.part_time)
        self.notes["stage_limited"] = sum(
            1 for t in self.teachers if any(v is not None for v in t.quals.values())
        )

    def _fits(self, t: Teacher, g: Group) -> bool:
        return (
            t.site == g.site
            and t not in g.staff
            and t.taught + len(g.slots) <= t.cap
            and not t.busy.intersection(g.slots)
            and not g.weekdays.intersection(t.off)
        )

    def _pick(self, g: Group) -> Teacher | None:
        subject = g.course.subject
        best, best_key = None, None
        for t in self.teachers:
            if not self._fits(t, g):
                continue
            if subject in t.subjects:
                tier = 0
            elif any(FAMILY[s] == FAMILY[subject] for s in t.subjects if s not in FLEX):
                tier = 1
            elif subject in FLEX:
                tier = 2
            else:
                continue
            key = (tier, -t.taught, t.id)
            if best_key is None or key < best_key:
                best, best_key = t, key
        return best

    def _new_teacher(self, g: Group, wk: int) -> Teacher:
        rng = self.rng
        low, high = self.load_range
        share = min(high, max(low, self.load_target + rng.uniform(-0.03, 0.03)))
        free_days = [d for d in WEEKDAYS if d not in g.weekdays]
        part = bool(free_days) and rng.random() < self.part_time_share
        if part:
            off = sorted(
                rng.sample(free_days, min(len(free_days), rng.choice((1, 2)))), key=WEEKDAYS.index
            )
            mp = rng.randint(12, 16) * self.weeks
        else:
            off = []
            mp = round(rng.uniform(0.82, 0.92) * wk) * self.weeks
        cap = max(len(g.slots), math.floor(mp * share))
        t = Teacher(f"new{len(self.teachers)}", g.site, mp, cap, off, part, share)
        self.teachers.append(t)
        return t

    def _merge_light(self) -> None:
        """A teacher with little to teach hands their groups to others with time."""
        light = sorted(
            (t for t in self.teachers if t.taught < 0.5 * t.cap), key=lambda t: (t.taught, t.id)
        )
        for t in light:
            moves: list[tuple[Group, Teacher]] = []
            for g in list(t.groups):
                t.drop(g)
                others = [o for o in self.teachers if o is not t and o.taught and self._fits(o, g)]
                if not others:
                    t.take(g)
                    break
                o = max(others, key=lambda o: (g.course.subject in o.subjects, o.taught, o.id))
                o.take(g)
                moves.append((g, o))
            if t.groups:  # could not hand everything on: undo
                for g, o in moves:
                    o.drop(g)
                    t.take(g)

    def _fill_part_timers(self) -> None:
        """A part-timer the packing left with little takes groups from full-timers (of
        their own family first), whose contracts then shrink instead."""
        for t in self.teachers:
            if not t.part_time or not t.taught:  # none left: merged into others
                continue
            families = {FAMILY[s] for s in t.subjects}
            donors = sorted(
                (o for o in self.teachers if not o.part_time and o.site == t.site),
                key=lambda o: (-o.taught, o.id),
            )
            for kin_only in (True, False):
                for o in donors:
                    for g in sorted(o.groups, key=lambda g: (-len(g.slots), g.course.id)):
                        kin = FAMILY[g.course.subject] in families or g.course.subject in FLEX
                        if (
                            t.taught < 0.85 * t.max_periods
                            and (kin or not kin_only)
                            and self._fits(t, g)
                        ):
                            o.drop(g)
                            t.take(g)

    def _qualify(self) -> None:
        """Qualifications: what each teaches, a stage limit for some, and a few more."""
        rng = self.rng
        subjects = sorted({c.subject for c in self.courses.values()})
        by_family: dict[str, list[str]] = {}
        for s in subjects:
            by_family.setdefault(FAMILY[s], []).append(s)
        for t in self.teachers:
            for subject in sorted(t.subjects):
                t.quals[subject] = None
            for subject in STAGED:
                stages = [g.course.stage for g in t.groups if g.course.subject == subject]
                if not stages or rng.random() >= self.limit_share:
                    continue
                top = max((s for s in stages if s is not None), default=None)
                if top is not None and top <= 5:
                    t.quals[subject] = (1, top)
            for umbrella, specialists in UMBRELLA.items():
                if (
                    umbrella in subjects
                    and umbrella not in t.quals
                    and any(x in t.quals for x in specialists)
                    and rng.random() < 0.6
                ):
                    t.quals[umbrella] = None
            main = max(t.subjects, key=lambda s: (t.subjects[s], s))
            kin = [s for s in by_family[FAMILY[main]] if s not in t.quals]
            if kin and rng.random() < 0.25:
                t.quals[rng.choice(kin)] = None
            if "Assessment" in subjects and "Assessment" not in t.quals and rng.random() < 0.15:
                t.quals["Assessment"] = None
        if len(self.sites) > 1:
            share = rng.uniform(0.1, 0.2)
            for t in self.teachers:
                t.cross_site = not t.part_time and rng.random() < share
            for c in self.courses.values():
                if c.site is not None:
                    c.staff = [
                        t.id
                        for t in self.teachers
                        if (t.site == c.site or t.cross_site) and t.covers(c.subject, c.stage)
                    ]

    # ---- rooms --------------------------------------------------------------------------
    def build_rooms(self) -> None:
        """Rooms of each type and site: the planted timetable's peak use plus 10-25%."""
        rng = self.rng
        peak: dict[tuple[str, str], dict[int, int]] = {}
        biggest: dict[tuple[str, str], int] = {}
        for g in self.groups:
            c = g.course
            if c.online:
                continue
            key = (g.site, c.room or "classroom")
            u = peak.setdefault(key, {})
            for i in g.slots:
                u[i] = u.get(i, 0) + 1
            biggest[key] = max(biggest.get(key, 0), c.max_size)
        prefix = {
            "classroom": "C",
            "lab": "L",
            "ict": "IT",
            "art": "AR",
            "music": "MU",
            "drama": "DR",
            "workshop": "W",
            "sports": "G",
            "hall": "H",
            "seminar": "SR",
            "kitchen": "K",
        }
        self.rooms: list[dict[str, Any]] = []
        spare_at_peak: dict[str, float] = {}
        for (site, rtype), use in sorted(peak.items()):
            top = max(use.values())
            spare = min(0.25, max(0.10, self.room_spare + rng.uniform(-0.03, 0.03)))
            places = math.ceil(top / (1 - spare)) if top >= 4 else top + rng.randint(0, 1)
            code = "" if site == MAIN else site[:2].upper() + "-"
            made: list[dict[str, Any]] = []
            have = 0
            while have < places:
                groups = 1
                cap = biggest[(site, rtype)] + rng.randint(0, 3)
                if rtype == "hall":
                    groups = rng.choice((2, 3))
                    cap = groups * biggest[(site, rtype)]
                elif rtype == "sports" and not made and places >= 3 and rng.random() < 0.5:
                    groups = min(places, rng.choice((2, 3)))
                    cap = groups * biggest[(site, rtype)]
                elif rtype == "seminar":
                    cap = biggest[(site, rtype)] + rng.randint(2, 6)
                types = [rtype]
                if rtype == "ict" and rng.random() < 0.3:
                    types.append("classroom")
                if len(self.sites) > 1:
                    types.append(f"{site} {rtype}")
                made.append(
                    {
                        "room": f"{code}{prefix.get(rtype, 'R')}{len(made) + 1:02d}",
                        "capacity": cap,
                        "types": types,
                        "site": site,
                        "max_groups": groups,
                        "unavailable": [],
                    }
                )
                have += groups
            # A room or two out of use now and then, where the others cover the planted use.
            if rtype in ("hall", "sports", "classroom") and rng.random() < 0.3:
                r = rng.choice(made)
                quiet = [i for i in self.teaching if use.get(i, 0) <= have - r["max_groups"]]
                pick = rng.sample(quiet, min(len(quiet), rng.randint(1, 3)))
                r["unavailable"] = [self.slots[i].label for i in sorted(pick)]
            spare_at_peak[f"{site}/{rtype}"] = round(1 - top / have, 2)
            self.rooms.extend(made)
        self.notes["room_spare_at_peak"] = spare_at_peak

    # ---- tutor groups, houses, families -------------------------------------------------
    def families_and_houses(self) -> None:
        rng = self.rng
        self.houses: dict[str, list[str]] = {}
        # Sixth formers are taught on the main site, and tutored there.
        home = {s.id: (MAIN if s.cohort[0] == SIXTH else s.site) for s in self.students}
        self.tutor_site = home
        for site in self.sites:
            n_h = 0 if rng.random() < 0.25 else rng.randint(3, 6)
            if len(self.sites) > 1:
                n_h = max(n_h, 2)
            names = rng.sample(HOUSES, n_h)
            if len(self.sites) > 1:
                names = [f"{site[:2]}-{h}" for h in names]
            self.houses[site] = names
        fam = 0
        for site in self.sites:
            members = [s for s in self.students if home[s.id] == site]
            by_year: dict[int, list[Student]] = {}
            for s in members:
                by_year.setdefault(s.year, []).append(s)
            years = sorted(by_year)
            if self.tutor_mode != "horizontal":
                for _ in range(round(len(members) * rng.uniform(0.02, 0.05))):
                    size = 3 if rng.random() < 0.2 else 2
                    if len(years) < size:
                        break
                    kids = [rng.choice(by_year[y]) for y in rng.sample(years, size)]
                    if any(k.family for k in kids):
                        continue
                    fam += 1
                    for k in kids:
                        k.family = f"FAM{fam:04d}"
            houses = self.houses[site]
            if houses:
                order = list(members)
                rng.shuffle(order)
                count = dict.fromkeys(houses, 0)
                fam_house: dict[str, str] = {}
                for s in order:
                    if s.family and s.family in fam_house:
                        h = fam_house[s.family]
                    else:
                        h = min(houses, key=lambda x: (count[x], houses.index(x)))
                        if s.family:
                            fam_house[s.family] = h
                    s.house = h
                    count[h] += 1

    def build_tutor_groups(self) -> None:
        rng = self.rng
        self.tutor_groups: list[dict[str, Any]] = []
        if self.tutor_mode == "none":
            return
        meets = self.sep.join(s.label for s in self.meets)
        meet_days = {s.weekday for s in self.meets}
        meet_labels = {s.label for s in self.meets}
        for site in self.sites:
            members = [s for s in self.students if self.tutor_site[s.id] == site]
            if not members:
                continue
            tutors = [
                t
                for t in self.teachers
                if t.site == site
                and not set(t.off) & meet_days
                and not set(t.other_unavailable) & meet_labels
            ]
            tutors.sort(key=lambda t: (t.part_time, t.id), reverse=True)
            rooms = [
                r
                for r in self.rooms
                if r["site"] == site
                and not r["unavailable"]
                and "classroom" in r["types"]
                and r["max_groups"] == 1
            ]
            code = "" if len(self.sites) == 1 else site[:2].upper()
            buckets: list[tuple[str | None, list[Student], str]] = []
            if self.tutor_mode == "vertical":
                for h in self.houses[site] or [None]:
                    inside = [s for s in members if s.house == h]
                    label = f"{code}{h.split('-')[-1][:3].upper()}" if h else f"{code}V"
                    buckets.append((h, inside, label))
            else:
                for y in sorted({s.year for s in members}):
                    buckets.append((None, [s for s in members if s.year == y], f"{code}{y}"))
            target = rng.randint(22, 30)
            while sum(math.ceil(len(b[1]) / target) for b in buckets if b[1]) > len(tutors):
                target += 1
            fixed = self.tutor_mode == "horizontal"
            for house, inside, label in buckets:
                if not inside:
                    continue
                count = max(1, math.ceil(len(inside) / target))
                inside = sorted(inside, key=lambda s: s.id)
                parts = _split([s.id for s in inside], count)
                for i, part in enumerate(parts):
                    name = f"{label}{chr(65 + i) if i < 26 else i}"
                    cap = len(part) + rng.randint(1, 3)
                    tutor = tutors.pop()
                    room = rooms.pop(0)["room"] if rooms and rooms[0]["capacity"] >= cap else None
                    self.tutor_groups.append(
                        {
                            "group": name,
                            "tutor": tutor.id,
                            "room": room,
                            "capacity": cap,
                            "meets": meets,
                            "house": house,
                            "vertical": "no" if fixed else "yes",
                            "_site": site,
                        }
                    )
                    if fixed:
                        for sid in part:
                            self.by_id[sid].tutor_group = name

    # ---- pathways -----------------------------------------------------------------------
    def build_pathways(self) -> None:
        """Some schools name each lower year's core courses (and subjects) as a pathway."""
        self.pathways: list[dict[str, Any]] = []
        if not self.use_pathways:
            return

        def bundled(r: Request) -> str | None:
            c = self.courses[r.course]
            s = self.by_id[r.student]
            if r.type != "core" or s.year > 11 or c.kind == "tutorial":
                return None
            if r.by_subject:
                return c.subject
            return r.course if c.years == [s.year] else None

        items: dict[str, list[str]] = {}
        for r in self.requests:
            x = bundled(r)
            if x is not None:
                items.setdefault(r.student, []).append(x)
        bundles: dict[tuple[int, str], list[str]] = {}
        for s in self.students:
            if s.id not in items:
                continue
            key = (s.year, s.site)
            bundles.setdefault(key, items[s.id])
            if items[s.id] == bundles[key]:
                s.pathway = f"Y{s.year}" + ("" if len(self.sites) == 1 else f"-{s.site[:2]}")
        for (year, site), names in sorted(bundles.items()):
            pid = f"Y{year}" + ("" if len(self.sites) == 1 else f"-{site[:2]}")
            for x in names:
                self.pathways.append(
                    {"pathway": pid, "course or subject": x, "type": "core", "rank": None}
                )
        self.requests = [
            r
            for r in self.requests
            if not (self.by_id[r.student].pathway and bundled(r) is not None)
        ]

    # ---- the whole school ---------------------------------------------------------------
    def make(self) -> VariedSchool:
        self.shape()
        self.calendar()
        self.people()
        self.home_learning()
        self.stages()
        for _ in range(12):
            try:
                self.curriculum()
                self.plant()
                break
            except _NoFit:
                # Less full years fit more easily; the draw goes on from the same generator.
                self.fill_lower = max(0.7, self.fill_lower - 0.03)
                self.fill_sixth = max(0.5, self.fill_sixth - 0.03)
        else:
            raise RuntimeError(f"seed {self.seed}: no planted timetable found")
        self.planted_groups()
        self.hire()
        self.build_rooms()
        self.families_and_houses()
        self.build_tutor_groups()
        self.build_pathways()
        return VariedSchool(self.seed, self.tables(), self.info(), self)

    def info(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "kind": self.kind,
            "students": len(self.students),
            "sites": len(self.sites),
            "site_mode": self.site_mode,
            "cycle_days": len(self.days),
            "periods_per_day": self.per_day,
            "slots": len(self.slots),
            "style": self.style,
            "staged": list(self.staged),
            "bands": {s: b for s, b in self.bands.items()} if self.staged else {},
            "tutor_groups": self.tutor_mode,
            "sixth_form": self.sixth,
            "staff": len(self.teachers),
            "rooms": len(self.rooms),
            "courses": len(self.courses),
            "requests": len(self.requests),
            "pathways": self.use_pathways,
            "home_learning": sum(1 for s in self.students if s.home_days),
            "fill_lower": round(self.fill_lower, 3),
            "planted_groups": len(self.groups),
            **self.notes,
        }

    # ---- the planted timetable as output files ------------------------------------------
    def write_planted(self, outdir: Path) -> Path:
        outdir.mkdir(parents=True, exist_ok=True)
        room_of = self._planted_rooms()
        tutor_of = self._planted_tutors()
        number: dict[str, int] = {}
        gid: dict[int, str] = {}
        for k, g in enumerate(self.groups):
            number[g.course.id] = number.get(g.course.id, 0) + 1
            gid[k] = f"{g.course.id}.{number[g.course.id]}"
        group_rows, tt_rows = [], []
        placed: dict[tuple[str, str], str] = {}
        for k, g in enumerate(self.groups):
            staff = ";".join(t.id for t in g.staff)
            for i in g.slots:
                sl = self.slots[i]
                cells = [sl.day, sl.period, hhmm(sl.start), hhmm(sl.end)]
                group_rows.append(
                    [gid[k], g.course.id, *cells, room_of.get((k, i), ""), staff, len(g.members)]
                )
                for sid in g.members:
                    tt_rows.append(
                        [sid, *cells, g.course.id, gid[k], room_of.get((k, i), ""), staff]
                    )
            for sid in g.members:
                placed[(sid, g.course.id)] = gid[k]
        tg_by_id = {t["group"]: t for t in self.tutor_groups}
        for sid, tg in tutor_of.items():
            home = self._home_days(sid)
            t = tg_by_id[tg]
            for sl in self.meets:
                if sl.day not in home:
                    tt_rows.append(
                        [
                            sid,
                            sl.day,
                            sl.period,
                            hhmm(sl.start),
                            hhmm(sl.end),
                            "TUTOR",
                            tg,
                            t["room"] or "",
                            t["tutor"],
                        ]
                    )
        # Requests in the order the workbook gives them: the Requests sheet, then each
        # student's pathway.
        resolved = [(r.student, r.course, r.type, r.rank) for r in self.requests]
        by_pathway: dict[str, list[str]] = {}
        for row in self.pathways:
            by_pathway.setdefault(row["pathway"], []).append(row["course or subject"])
        code_of = {v[0]: k for k, v in KS3.items()}
        for st in self.students:
            for x in by_pathway.get(st.pathway or "", []):
                cid = x
                if x not in self.courses:  # a subject, through the Stages sheet
                    band = next(i for i, b in enumerate(self.bands[st.site]) if st.year in b)
                    tag = "" if len(self.bands[st.site]) == 1 else "ABCDE"[band]
                    cid = self.cid(
                        code_of[x], stage=st.stages[x], site=self.site_bound(st.site), band=tag
                    )
                resolved.append((st.id, cid, "core", None))
        req_rows = []
        for sid, cid, rtype, rank in resolved:
            met = (sid, cid) in placed
            status = "met" if met else ("not_needed" if rtype == "alternate" else "unmet")
            req_rows.append(
                [
                    sid,
                    cid,
                    rtype,
                    "" if rank is None else rank,
                    status,
                    placed.get((sid, cid), ""),
                    "",
                ]
            )
        files = {
            "timetable.csv": (
                ("student", "day", "period", "start", "end", "course", "group", "room", "staff"),
                tt_rows,
            ),
            "groups.csv": (
                ("group", "course", "day", "period", "start", "end", "room", "staff", "size"),
                group_rows,
            ),
            "requests.csv": (
                ("student", "course", "type", "rank", "status", "group", "reason"),
                req_rows,
            ),
            "tutor_groups.csv": (
                ("student", "group", "tutor", "year"),
                [
                    [sid, tg, tg_by_id[tg]["tutor"], self.by_id[sid].year]
                    for sid, tg in sorted(tutor_of.items())
                ],
            ),
        }
        for name, (cols, rows) in files.items():
            with open(outdir / name, "w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh)
                w.writerow(cols)
                w.writerows(rows)
        core = [r for r in req_rows if r[2] == "core"]
        options = [r for r in req_rows if r[2] == "option"]
        with_choices = {r[0] for r in options}
        summary = {
            "status": "feasible",
            "objective": None,
            "bound": None,
            "wall_s": 0.0,
            "interrupted": False,
            "students": len(self.students),
            "requests_core": len(core),
            "requests_core_met": len(core),
            "requests_option": len(options),
            "requests_option_met": len(options),
            "first_choice_met": len(with_choices),
            "students_with_choices": len(with_choices),
            "students_fully_satisfied": len(self.students),
            "groups": len(self.groups),
            "note": "the timetable planted by bench/varied_schools.py",
        }
        import json

        (outdir / "summary.json").write_text(json.dumps(summary, indent=1))
        return outdir

    def _planted_rooms(self) -> dict[tuple[int, int], str]:
        """A room for every lesson of the planted groups: rooms of the course's type on its
        site, at most max_groups groups in one at once, none while out of use."""
        label_ix = {s.label: s.index for s in self.slots}
        rooms: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in self.rooms:
            rooms.setdefault((r["site"], r["types"][0]), []).append(r)
        held: dict[tuple[str, int], int] = {}
        out: dict[tuple[int, int], str] = {}
        lessons: list[tuple[int, int, list[int]]] = []
        for k, g in enumerate(self.groups):
            if g.course.online:
                continue
            run: list[int] = []
            for i in g.slots:
                if run and (
                    self.slots[i].day != self.slots[run[-1]].day or i not in self.beside[run[-1]]
                ):
                    lessons.append((run[0], k, run))
                    run = []
                run.append(i)
            lessons.append((run[0], k, run))
        for _, k, run in sorted(lessons):
            g = self.groups[k]
            for r in rooms[(g.site, g.course.room or "classroom")]:
                off = {label_ix[x] for x in r["unavailable"]}
                if all(i not in off and held.get((r["room"], i), 0) < r["max_groups"] for i in run):
                    for i in run:
                        held[(r["room"], i)] = held.get((r["room"], i), 0) + 1
                        out[(k, i)] = r["room"]
                    break
            else:
                raise RuntimeError(f"no room for a planted lesson of {g.course.id}")
        return out

    def _planted_tutors(self) -> dict[str, str]:
        """Each student's tutor group: fixed ones as given; vertical ones filled year by year
        (families first) so that every year is spread evenly over a house's groups."""
        out: dict[str, str] = {}
        if self.tutor_mode == "horizontal":
            return {s.id: s.tutor_group for s in self.students if s.tutor_group}
        for site in self.sites:
            for house in self.houses[site] or [None]:
                groups = [
                    g for g in self.tutor_groups if g["house"] == house and g["_site"] == site
                ]
                if not groups:
                    continue
                members = [
                    s for s in self.students if self.tutor_site[s.id] == site and s.house == house
                ]
                count: dict[tuple[str, int], int] = {}
                total: dict[str, int] = {g["group"]: 0 for g in groups}
                families: dict[str, list[Student]] = {}
                for s in members:
                    if s.family:
                        families.setdefault(s.family, []).append(s)

                for fam in sorted(families, key=lambda f: (-len(families[f]), f)):
                    _seat(families[fam], groups, count, total, out)
                for s in sorted(members, key=lambda s: (s.year, s.id)):
                    if s.id not in out:
                        _seat([s], groups, count, total, out)
        return out

    # ---- sheets -------------------------------------------------------------------------
    def tables(self) -> dict[str, list[dict[str, Any]]]:
        rng = self.rng
        sep = self.sep
        main_blank = rng.random() < 0.7

        def site_cell(site: str) -> str | None:
            return None if site == MAIN and main_blank else site

        t: dict[str, list[dict[str, Any]]] = {}
        t["Calendar"] = [
            {"day": s.day, "period": s.period, "start": hhmm(s.start), "end": hhmm(s.end)}
            for s in self.slots
        ]
        multi = len(self.sites) > 1
        t["Rooms"] = []
        for r in self.rooms:
            row = {"room": r["room"], "capacity": r["capacity"], "type": sep.join(r["types"])}
            if multi:
                row["site"] = site_cell(r["site"])
            row["max_groups"] = r["max_groups"] if r["max_groups"] > 1 else None
            row["unavailable"] = sep.join(r["unavailable"]) or None
            t["Rooms"].append(row)
        names = rng.random() < 0.6
        t["Staff"] = []
        for p in self.teachers:
            quals = [
                s if lim is None else f"{s}:{lim[0]}-{lim[1]}"
                for s, lim in sorted(
                    p.quals.items(), key=lambda kv: (-p.subjects.get(kv[0], 0), kv[0])
                )
            ]
            row = {"staff": p.id}
            if names:
                row["name"] = p.name
            row["subjects"] = sep.join(quals)
            row["max_periods"] = p.max_periods
            off = self._day_labels(p.off) if p.off else []
            row["unavailable"] = sep.join(off + p.other_unavailable) or None
            if multi:
                row["site"] = site_cell(p.site)
            t["Staff"].append(row)
        t["Courses"] = []
        for c in self.courses.values():
            row = {
                "course": c.id,
                "subject": c.subject,
                "stage": c.stage,
                "lessons": ",".join(str(x) for x in c.lessons),
                "min_size": c.min_size,
                "max_size": c.max_size,
            }
            room = c.room
            if room is not None and multi and c.site is not None:
                room = f"{c.site} {room}"
            row["room_type"] = None if c.online else room
            row["staff"] = sep.join(c.staff) if c.staff else None
            row["staff_per_group"] = c.per_group if c.per_group > 1 else None
            row["sections"] = c.sections
            row["years"] = sep.join(str(y) for y in c.years) if c.years else None
            row["mode"] = "online" if c.online else None
            row["kind"] = c.kind
            t["Courses"].append(row)
        t["Students"] = []
        for s in self.students:
            row = {"student": s.id, "year": s.year}
            if self.tutor_mode == "horizontal":
                row["tutor_group"] = s.tutor_group
            if any(x.house for x in self.students):
                row["house"] = s.house
            if any(x.family for x in self.students):
                row["family"] = s.family
            if self.use_pathways:
                row["pathway"] = s.pathway
            if self.home_years:
                row["home_days"] = sep.join(s.home_days) or None
            if multi:
                row["site"] = site_cell(s.site)
            t["Students"].append(row)
        t["Requests"] = []
        for r in self.requests:
            c = self.courses[r.course]
            t["Requests"].append(
                {
                    "student": r.student,
                    "course": None if r.by_subject else r.course,
                    "subject": c.subject if r.by_subject else None,
                    "type": r.type,
                    "rank": r.rank,
                }
            )
        if any(s.stages for s in self.students):
            t["Stages"] = [
                {"student": s.id, "subject": subj, "stage": st}
                for s in self.students
                for subj, st in sorted(s.stages.items())
            ]
        if self.pathways:
            t["Pathways"] = self.pathways
        if self.tutor_groups:
            t["TutorGroups"] = [
                {k: v for k, v in g.items() if not k.startswith("_")} for g in self.tutor_groups
            ]
        if multi:
            t["Travel"] = []
            for i, a in enumerate(self.sites):
                for b in self.sites[i + 1 :]:
                    m = rng.randint(10, 30)
                    t["Travel"].append(
                        {"from_site": site_cell(a), "to_site": site_cell(b), "minutes": m}
                    )
                    if rng.random() < 0.2:
                        t["Travel"].append(
                            {
                                "from_site": site_cell(b),
                                "to_site": site_cell(a),
                                "minutes": min(30, m + rng.randint(1, 8)),
                            }
                        )
        if rng.random() < 0.5:
            t["Settings"] = [{"key": "seed", "value": 0}, {"key": "workers", "value": 2}]
        if rng.random() < 0.5:
            t = {
                name: [{k.capitalize(): v for k, v in r.items()} for r in rows]
                for name, rows in t.items()
            }
        return t


def _seat(
    kids: list[Student],
    groups: list[dict[str, Any]],
    count: dict[tuple[str, int], int],
    total: dict[str, int],
    out: dict[str, str],
) -> None:
    """Put students (a family, or one) in the tutor group with fewest of their years."""
    fits = [g for g in groups if total[g["group"]] + len(kids) <= g["capacity"]]
    best = min(
        fits,
        key=lambda g: (
            max(count.get((g["group"], k.year), 0) for k in kids),
            total[g["group"]],
            g["group"],
        ),
    )
    for k in kids:
        out[k.id] = best["group"]
        count[(best["group"], k.year)] = count.get((best["group"], k.year), 0) + 1
        total[best["group"]] += 1


def drawn_size(seed: int, kind: str | None = None) -> tuple[str, int]:
    """The kind and number of students a seed draws, without making the school."""
    m = _Maker(seed, None, kind)
    return m.kind, m.n


def make_school(
    seed: int, students: int | None = None, kind: str | None = None, staff_load: float | None = None
) -> VariedSchool:
    """The school of a seed: ``.tables`` (sheet -> rows), ``.info`` and ``.write(path)``.
    ``staff_load``: hire staff to about this share of their ``max_periods`` (default: the
    seed's, 0.85-0.95)."""
    return _Maker(seed, students, kind, staff_load).make()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True, help="school.xlsx, or a folder for CSVs")
    ap.add_argument("--students", type=int, default=None)
    ap.add_argument("--kind", choices=sorted(KINDS), default=None)
    ap.add_argument(
        "--staff-load",
        type=float,
        default=None,
        help="hire staff to about this share of their max_periods (default 0.85-0.95)",
    )
    ap.add_argument(
        "--planted",
        type=Path,
        default=None,
        help="also write the planted timetable here, for `pathways check`",
    )
    a = ap.parse_args(argv)
    school = make_school(a.seed, a.students, a.kind, a.staff_load)
    school.write(a.out)
    if a.planted is not None:
        school.write_planted(a.planted)
    i = school.info
    print(
        f"wrote {a.out}: seed {a.seed}, {i['kind']}, {i['students']} students, "
        f"{i['sites']} site(s), {i['cycle_days']}-day cycle, {i['style']} curriculum, "
        f"tutor groups {i['tutor_groups']}, {i['staff']} staff (load {i['staff_load']}), "
        f"{i['rooms']} rooms, {i['courses']} courses",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
