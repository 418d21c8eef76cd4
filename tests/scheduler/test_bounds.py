"""scheduler.bounds: what no timetable can beat (issue 15, part 1).

Each relaxation is tested where it binds, on a school small enough that the solver's
answer is the optimum (so the bound must equal what the solver meets), and every bound
is held against checked timetables of the test schools: never below what was met.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from scheduler import load_school
from scheduler.bounds import bounds, course_places
from scheduler.checker import check_solution
from scheduler.model import (
    Course,
    Mode,
    Qualification,
    Room,
    School,
    Settings,
    Staff,
    Student,
    TutorGroup,
)
from scheduler.outputs.read import read_solution
from scheduler.score import figures
from scheduler.solver.engine import SolveOptions, solve_school
from tests import solver_schools as schools
from tests.solver_schools import calendar, req
from tests.test_varied_schools import CASES, vs

OPTS = SolveOptions(time_limit=10, seed=1, workers=1)


def _met(school: School) -> tuple[int, int, int]:
    """What the solver meets, on a timetable the independent checker accepts."""
    solution = solve_school(school, OPTS, progress=False)
    report = check_solution(school, solution)
    assert not report.hard_violations, [str(v) for v in report.hard_violations]
    f = report.figures
    return f.requests_core_met, f.requests_option_met, f.first_choice_met


def _one_course(
    students: int,
    max_size: int,
    teacher_periods: int | None,
    lessons: tuple[int, ...] = (1, 1),
    **course: object,
) -> School:
    ids = [f"S{i}" for i in range(1, students + 1)]
    return School(
        calendar=calendar(),
        rooms=(Room("R1", 30, frozenset({"classroom"})), Room("R2", 30, frozenset({"classroom"}))),
        staff=(Staff("T1", qualifications=(Qualification("Maths"),), max_periods=teacher_periods),),
        courses=(Course("MA", "Maths", lessons, 1, max_size, **course),),
        students=tuple(Student(s, 9) for s in ids),
        requests=tuple(req(s, "MA") for s in ids),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )


def test_staff_hours_bound_the_places_and_the_solver_meets_the_bound() -> None:
    # One teacher of 4 periods, groups of 2 periods and at most 3 students: 2 groups, 6
    # places for 8 students.
    school = _one_course(8, 3, 4)
    assert course_places(school, school.courses[0]) == 6
    assert bounds(school).core == 6
    assert _met(school)[0] == 6


def test_room_seats_bound_the_places() -> None:
    # Two teachers free all week, one room of 3 seats open 12 slots, groups of at most 3 with two
    # doubles: 36 seat-periods seat 36 // 4 = 9 of 10 students (staff could take 18).
    school = _one_course(10, 3, None, lessons=(2, 2))
    school = replace(
        school,
        rooms=(Room("R1", 3, frozenset({"classroom"})),),
        staff=school.staff + (Staff("T2", qualifications=(Qualification("Maths"),)),),
    )
    assert bounds(school).core == 9
    assert _met(school)[0] == 9


def test_fixed_sections_and_min_size() -> None:
    school = _one_course(8, 3, None, sections=1)
    assert bounds(school).core == 3
    assert _met(school)[0] == 3
    # Fewer takers than min_size: the course never runs.
    small = _one_course(2, 30, None)
    small = replace(small, courses=(replace(small.courses[0], min_size=3),))
    assert bounds(small).core == 0


def test_a_course_closed_to_the_year_is_never_met() -> None:
    school = _one_course(4, 30, None, years=frozenset({10}))
    assert bounds(school).core == 0


def test_the_week_bounds_a_student_who_asked_for_too_much() -> None:
    # 3 days x 2 periods = 6 slots; each student asks for four 2-period courses: 3 fit.
    cal = calendar(periods=2)
    subjects = ("Maths", "English", "Science", "History")
    school = School(
        calendar=cal,
        rooms=tuple(Room(f"R{i}", 30, frozenset({"classroom"})) for i in range(4)),
        staff=tuple(
            Staff(f"T{i}", qualifications=(Qualification(s),)) for i, s in enumerate(subjects)
        ),
        courses=tuple(Course(s[:2].upper(), s, (1, 1), 1, 30) for s in subjects),
        students=(Student("S1", 9), Student("S2", 9)),
        requests=tuple(req(st, s[:2].upper()) for st in ("S1", "S2") for s in subjects),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )
    assert bounds(school).core == 6
    assert _met(school)[0] == 6


def test_home_days_shut_school_lessons_not_online_ones() -> None:
    # 3 days x 2 periods; home on Mon and Tue leaves 2 slots in school: one 2-period
    # course at school, and the online one may use the home days.
    cal = calendar(periods=2)
    school = School(
        calendar=cal,
        rooms=(Room("R1", 30, frozenset({"classroom"})),),
        staff=(
            Staff("T1", qualifications=(Qualification("History"),)),
            Staff("T2", qualifications=(Qualification("Geography"),)),
            Staff("T3", qualifications=(Qualification("Computing"),)),
        ),
        courses=(
            Course("HI", "History", (1, 1), 1, 30),
            Course("GE", "Geography", (1, 1), 1, 30),
            Course("CO", "Computing", (1, 1), 1, 30, mode=Mode.ONLINE),
        ),
        students=(Student("S1", 12, home_days=frozenset({"Mon", "Tue"})),),
        requests=(req("S1", "HI"), req("S1", "GE"), req("S1", "CO")),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )
    assert bounds(school).core == 2
    # Tutor time every group meets takes a slot from everyone: 5 slots, 1 in school.
    tutored = replace(school, tutor_groups=(TutorGroup("TG", "T1", 30, frozenset({5})),))
    assert bounds(tutored).core == 1  # the school day's 1 slot holds no 2-period course
    # Tutor time all week is never on a home day (Mon, Tue): the online course fits there
    # (and History's teacher, the tutor, is never free), so 1 can be met, and is.
    all_week = replace(
        tutored, tutor_groups=(TutorGroup("TG", "T1", 30, frozenset({0, 1, 2, 3, 4, 5})),)
    )
    assert bounds(all_week).core == 1
    assert _met(all_week)[0] == 1


def test_options_are_bounded_by_the_quota() -> None:
    school = schools.options_school()
    b = bounds(school)
    assert b.options == 12  # four students, three options each
    assert b.first_choices == 4


@pytest.mark.parametrize(
    "make",
    [
        schools.two_courses,
        schools.options_school,
        schools.single_teacher,
        schools.clash_school,
        schools.tutor_school,
        schools.sections_school,
        schools.travel_school,
        schools.home_and_online,
        schools.shared_space,
        schools.team_school,
    ],
    ids=lambda f: f.__name__,
)
def test_no_timetable_meets_more_than_the_bound(make) -> None:
    school = make()
    core, options, first = _met(school)
    b = bounds(school)
    assert core <= b.core and options <= b.options and first <= b.first_choices


def test_the_solve_reports_its_bounds() -> None:
    school = schools.single_teacher()
    stats = solve_school(school, OPTS, progress=False).stats
    b = bounds(school)
    assert stats["core_met_at_most"] == b.core
    assert stats["options_met_at_most"] == b.options
    assert stats["first_choices_met_at_most"] == b.first_choices


@pytest.mark.parametrize("case", CASES[:6], ids=lambda c: f"{c[1]}-{c[0]}")
def test_bounds_never_below_a_planted_timetable(case, tmp_path) -> None:
    """The varied schools are built around a timetable that meets every request
    (bench/varied_schools.py): the bounds must allow all of it, on schools with home
    learning, tutor time, several sites, team-taught projects and online courses."""
    seed, kind, students = case
    made = vs.make_school(seed, students, kind)
    loaded = load_school(made.write(tmp_path / "school.xlsx"))
    planted = figures(loaded, read_solution(made.write_planted(tmp_path / "out"), loaded))
    b = bounds(loaded)
    assert planted.requests_core_met == planted.requests_core == b.core
    assert planted.requests_option_met <= b.options
    assert planted.first_choice_met <= b.first_choices
