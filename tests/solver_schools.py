"""Tiny hand-built schools for the solver's tests (domain objects, no workbook needed).

Each builder returns a School small enough to reason about by hand; the docstrings say
what the right answer is.
"""

from __future__ import annotations

from dataclasses import replace

from ortools.sat.python import cp_model

from constraints.base import SectionModel, Strictness, Term, TimedGroup, TimetableModel
from constraints.registry import rules
from scheduler.model import (
    Calendar,
    Course,
    Mode,
    Qualification,
    Request,
    RequestType,
    Room,
    School,
    Settings,
    Slot,
    Staff,
    Student,
    TutorGroup,
)
from scheduler.plan import PlannedGroup


def timetable_model(
    school: School,
    planned: tuple[PlannedGroup, ...],
    staff_of: dict[str, tuple[str, ...]],
    tentative: dict[str, dict[str, str]] | None = None,
    strictness: Strictness = Strictness.CORE,
    blocks=(),
) -> TimetableModel:
    """The timetable phase's model with every rule family's part (no objective set)."""
    tm = TimetableModel(school, planned, staff_of)
    tm.tentative = tentative
    tm.tentative_hard = strictness
    tm.blocks = [list(b) for b in blocks]
    family = rules()
    for rule in family:
        rule.restrict_timetable(tm)
    tm.make_variables()
    for rule in family:
        rule.timetable(tm)
    return tm


def section_model(
    school: School,
    groups: tuple[TimedGroup, ...],
    variables_only: bool = False,
    leave_out: tuple[str, ...] = (),
) -> tuple[SectionModel, list[Term]]:
    """The students' model on fixed lesson times, every rule family's part but those
    named in ``leave_out``, and their objective terms (no objective set);
    ``variables_only`` as a first timetable's quick build."""
    sm = SectionModel(school, groups)
    sm.variables_only = variables_only
    family = rules()
    for rule in family:
        rule.restrict_section(sm)
    sm.make_variables()
    terms: list[Term] = []
    for rule in family:
        if rule.name not in leave_out:
            terms.extend(rule.section(sm))
    return sm, terms


def all_placed(tm: TimetableModel, seconds: float = 5.0) -> bool:
    """Whether the model has a placement with every group placed."""
    for v in tm.placed.values():
        tm.model.add(v == 1)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    return solver.solve(tm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def calendar(
    days: tuple[str, ...] = ("Mon", "Tue", "Wed"),
    periods: int = 4,
    start: int = 9 * 60,
    length: int = 60,
) -> Calendar:
    slots = []
    for d, day in enumerate(days):
        for p in range(periods):
            s = start + p * length
            slots.append(Slot(len(slots), day, str(p + 1), s, s + length - 5, d, p))
    return Calendar(tuple(slots))


def req(student: str, course: str, kind: str = "core", rank: int | None = None) -> Request:
    return Request(student, course, RequestType(kind), rank, origin="test")


def two_courses(students: int = 6, settings: Settings | None = None) -> School:
    """Two core courses, one teacher each, one room: both fit (2 lessons each in 12 slots).

    Optimum: every core request met, no options, one group per course, no gaps needed:
    objective = 0 except idle periods, which the solver can avoid entirely.
    """
    cal = calendar()
    ids = [f"S{i}" for i in range(1, students + 1)]
    return School(
        calendar=cal,
        rooms=(Room("R1", 30, frozenset({"classroom"})),),
        staff=(
            Staff("T1", qualifications=(Qualification("Maths"),)),
            Staff("T2", qualifications=(Qualification("English"),)),
        ),
        courses=(Course("MA", "Maths", (1, 1), 1, 30), Course("EN", "English", (1, 1), 1, 30)),
        students=tuple(Student(s, 9) for s in ids),
        requests=tuple(req(s, c) for s in ids for c in ("MA", "EN")),
        settings=settings or Settings(time_limit_s=10, seed=1, workers=1),
    )


def options_school() -> School:
    """Four students with options A (rank 1), B (2), C (3) and alternate D (4): quota 3.

    B's and C's only teachers are free only at Mon 1, so B and C clash and nobody can
    take both. Best: every student gets A, B and the alternate D. Objective:
    option_rank = 10 x (B at position 2: 1) + 10 x (D at position 4: 3) = 40 per
    student, 160 in all; shortfall 0; C does not run.
    """
    cal = calendar()
    everything_but = lambda keep: frozenset(i for i in range(cal.num_slots) if i not in keep)
    ids = ["S1", "S2", "S3", "S4"]
    reqs = []
    for s in ids:
        reqs += [
            req(s, "A", "option", 1),
            req(s, "B", "option", 2),
            req(s, "C", "option", 3),
            req(s, "D", "alternate", 4),
        ]
    return School(
        calendar=cal,
        rooms=(Room("R1", 30, frozenset({"classroom"})), Room("R2", 30, frozenset({"classroom"}))),
        staff=(
            Staff("TA", qualifications=(Qualification("Art"),)),
            Staff(
                "TB", qualifications=(Qualification("Biology"),), unavailable=everything_but({0})
            ),
            Staff(
                "TC", qualifications=(Qualification("Chemistry"),), unavailable=everything_but({0})
            ),
            Staff("TD", qualifications=(Qualification("Drama"),)),
        ),
        courses=(
            Course("A", "Art", (1,), 1, 10),
            Course("B", "Biology", (1,), 1, 4),
            Course("C", "Chemistry", (1,), 1, 4),
            Course("D", "Drama", (1,), 1, 4),
        ),
        students=tuple(Student(s, 10) for s in ids),
        requests=tuple(reqs),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )


def with_settings(school: School, **extra: str) -> School:
    return replace(school, settings=replace(school.settings, extra=tuple(extra.items())))


def single_teacher(free_slots: int | None = None) -> School:
    """One teacher for two courses of two single lessons each: 4 periods to teach.

    With ``free_slots`` = 3 the teacher has fewer free periods than lessons: infeasible,
    and the reason names Maths and English staff capacity.
    """
    base = two_courses(4)
    cal = base.calendar
    unavailable = frozenset()
    if free_slots is not None:
        unavailable = frozenset(range(free_slots, cal.num_slots))
    teacher = Staff(
        "T1",
        qualifications=(Qualification("Maths"), Qualification("English")),
        unavailable=unavailable,
    )
    return replace(base, staff=(teacher,))


def clash_school() -> School:
    """Two core courses whose teachers are free only at Mon 1: one request per student fails.

    Each student gets exactly one of MA/EN; with 4 students, core_unmet = 4 (weight 10000).
    """
    base = two_courses(4)
    only_first = frozenset(range(1, base.calendar.num_slots))
    staff = tuple(replace(s, unavailable=only_first) for s in base.staff)
    courses = tuple(replace(c, lessons=(1,)) for c in base.courses)
    return replace(base, staff=staff, courses=courses)


def tutor_school(family_size: int = 2, capacity: int = 4) -> School:
    """Six students (years 7, 7, 7, 8, 8, 8), two vertical tutor groups meeting Mon 1.

    S1 and S2 are siblings. Vertical rule: per year, counts differ by at most 2 (any split
    of 3 works: 2/1 or 3/0 would be fine... 3/0 differs by 3, so it is not). Families
    together. With ``family_size`` 3 and ``capacity`` 2, the family cannot fit: infeasible.
    """
    base = two_courses(6)
    students = []
    for i, s in enumerate(base.students):
        year = 7 if i < 3 else 8
        family = "F1" if i < family_size else None
        students.append(replace(s, year=year, family=family))
    cal = base.calendar
    tgs = (
        TutorGroup("TG1", "T1", capacity, frozenset({0}), room="R1", vertical=True),
        TutorGroup("TG2", "T2", capacity, frozenset({0}), room="R1", vertical=True),
    )
    rooms = base.rooms + (Room("R2", 30, frozenset({"classroom"})),)
    del cal
    return replace(base, students=tuple(students), tutor_groups=tgs, rooms=rooms)


def sections_school(students: int = 6) -> School:
    """A course with exactly 2 sections of 3 to 4 students: 6 students split 3/3.

    With 5 students two groups of at least 3 are impossible: infeasible.
    """
    base = two_courses(students)
    courses = (replace(base.courses[0], sections=2, min_size=3, max_size=4),) + base.courses[1:]
    staff = base.staff + (Staff("T3", qualifications=(Qualification("Maths"),)),)
    return replace(base, courses=courses, staff=staff)


def travel_school(minutes: int = 30) -> School:
    """Two sites, 30 minutes apart, 5-minute changeovers: a student taking a course at each
    site can never have them in adjacent periods of one day (gap 5 < 30)."""
    cal = calendar(days=("Mon", "Tue"), periods=4)
    ids = ["S1", "S2"]
    return School(
        calendar=cal,
        rooms=(
            Room("M1", 30, frozenset({"classroom"})),
            Room("P1", 30, frozenset({"lab"}), site="Partner"),
        ),
        staff=(
            Staff("T1", qualifications=(Qualification("Maths"),)),
            Staff("T2", qualifications=(Qualification("Physics"),)),
        ),
        courses=(
            Course("MA", "Maths", (1, 1), 1, 30, room_type="classroom"),
            Course("PH", "Physics", (1, 1), 1, 30, room_type="lab"),
        ),
        students=tuple(Student(s, 12) for s in ids),
        requests=tuple(req(s, c) for s in ids for c in ("MA", "PH")),
        travel=(("Main", "Partner", minutes),),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )


def home_and_online() -> School:
    """A year-12 student learns from home on Mon and Tue. The course taught at school can only
    be on Mon (teacher's availability): unmet with a home-day reason. The online course
    only possible Mon is met (online lessons may be taken at home)."""
    cal = calendar()
    mon = frozenset(cal.day_slots["Mon"])
    not_mon = frozenset(range(cal.num_slots)) - mon
    return School(
        calendar=cal,
        rooms=(Room("R1", 30, frozenset({"classroom"})),),
        staff=(
            Staff("T1", qualifications=(Qualification("History"),), unavailable=not_mon),
            Staff("T2", qualifications=(Qualification("Computing"),), unavailable=not_mon),
        ),
        courses=(
            Course("HI", "History", (1,), 1, 30),
            Course("CO", "Computing", (1,), 1, 30, mode=Mode.ONLINE),
        ),
        students=(Student("S1", 12, home_days=frozenset({"Mon", "Tue"})), Student("S2", 12)),
        requests=(req("S1", "HI"), req("S1", "CO"), req("S2", "HI"), req("S2", "CO")),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )


def shared_space(size: int = 20, capacity: int = 30) -> School:
    """An open-plan space (max_groups 2, capacity 30) is the only room; two courses of
    ``size`` students each, all lessons only possible at Mon 1 (teachers' availability).
    With 20 + 20 > 30 the two groups cannot share it: one course's students are unmet."""
    cal = calendar(days=("Mon",), periods=2)
    only_first = frozenset({1})
    a = [f"A{i}" for i in range(size)]
    b = [f"B{i}" for i in range(size)]
    return School(
        calendar=cal,
        rooms=(Room("OPEN", capacity, frozenset({"classroom"}), max_groups=2),),
        staff=(
            Staff("T1", qualifications=(Qualification("Art"),), unavailable=only_first),
            Staff("T2", qualifications=(Qualification("Design"),), unavailable=only_first),
        ),
        courses=(Course("AR", "Art", (1,), 1, 30), Course("DE", "Design", (1,), 1, 30)),
        students=tuple(Student(s, 9) for s in a + b),
        requests=tuple(req(s, "AR") for s in a) + tuple(req(s, "DE") for s in b),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )


def team_school() -> School:
    """Three team-taught project groups (2 of 4 staff each, one 3-period block) in a cycle
    of two 3-period days: two groups must run side by side, so their teams must not share
    anyone. 30 students, max 10 per group; two halls.

    Staffing by fixed teams ({A,B}, {C,D}) makes this feasible; three teams that pairwise
    share someone (e.g. {A,B}, {B,C}, {C,A}) would not be. Optimum: every request met.
    """
    ids = [f"S{i}" for i in range(1, 31)]
    return School(
        calendar=calendar(("Mon", "Tue"), periods=3),
        rooms=(Room("H1", 10, frozenset({"hall"})), Room("H2", 10, frozenset({"hall"}))),
        staff=tuple(Staff(p, qualifications=(Qualification("Project"),)) for p in "ABCD"),
        courses=(
            Course(
                "PRJ",
                "Project",
                (3,),
                1,
                10,
                room_type="hall",
                staff_per_group=2,
                sections=3,
                kind="project",
            ),
        ),
        students=tuple(Student(s, 9) for s in ids),
        requests=tuple(req(s, "PRJ") for s in ids),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )
