"""The timetable ladder's rungs and option blocking, on tiny schools (no full solve)."""

from __future__ import annotations

import pytest

from constraints.base import Strictness, TimetableModel
from constraints.student_clashes import mixed_year_courses
from scheduler.model import Course, Qualification, Room, School, Settings, Staff, Student
from scheduler.plan import plan_groups, tentative_sections
from scheduler.solver.blocking import block_options
from scheduler.solver.staffing import assign_staff
from tests.solver_schools import all_placed, calendar, req, timetable_model


def mixed_school() -> School:
    """One slot in the cycle. Year 7 takes EN (year 7 only) and PRJ (years 7 and 8, core
    for both): with one slot, EN and PRJ must overlap."""
    students = (Student("S1", 7), Student("S2", 7), Student("S3", 8))
    return School(
        calendar=calendar(("Mon",), periods=1),
        rooms=(Room("R1", 30, frozenset({"classroom"})), Room("R2", 30, frozenset({"classroom"}))),
        staff=(
            Staff("T1", qualifications=(Qualification("English"),)),
            Staff("T2", qualifications=(Qualification("Project"),)),
        ),
        courses=(Course("EN", "English", (1,), 1, 30), Course("PRJ", "Project", (1,), 1, 30)),
        students=students,
        requests=(
            req("S1", "EN"),
            req("S2", "EN"),
            req("S1", "PRJ"),
            req("S2", "PRJ"),
            req("S3", "PRJ"),
        ),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )


def every_group_placed(school: School, strictness: Strictness) -> bool:
    planned = plan_groups(school, 0.9)
    staff_of = assign_staff(school, planned, 5, 1, 1).staff_of
    return all_placed(
        timetable_model(school, planned, staff_of, tentative_sections(school, planned), strictness)
    )


def test_mixed_year_courses_are_those_several_years_request():
    assert mixed_year_courses(mixed_school()) == {"PRJ"}


@pytest.mark.parametrize(
    "strictness, placed",
    [(Strictness.CORE, False), (Strictness.YEAR, True), (Strictness.SOFT, True)],
)
def test_year_rung_keeps_only_single_year_core_groups_apart(strictness, placed):
    assert every_group_placed(mixed_school(), strictness) is placed


def test_year_rung_still_keeps_single_year_core_groups_apart():
    school = mixed_school()
    # Make PRJ a year 7 course too: now both are single-year and must not overlap.
    school = School(
        **{**school.__dict__, "students": (Student("S1", 7), Student("S2", 7), Student("S3", 7))}
    )
    assert mixed_year_courses(school) == frozenset()
    assert every_group_placed(school, Strictness.YEAR) is False


@pytest.mark.parametrize(
    "kind, value, weight, placed",
    [
        ("students_min_periods_day", 1, None, False),
        ("students_min_periods_day", 1, 5, True),
        ("students_max_periods_day", 2, None, True),
    ],
)
def test_loose_rungs_keep_apart_the_fixed_sections_of_students_a_hard_row_names(
    kind, value, weight, placed
):
    """The "soft" rung lets students' fixed sections overlap at a cost (a few students
    miss a course rather than no timetable). A student a hard students' row names
    cannot miss one: the row was kept on lesson times that count all of theirs
    (FET's dgspro200809: no timetable at all). S1 and S2's EN and PRJ are each one
    fixed section and the cycle has one slot: with the hard row nothing places both;
    with the row soft, or of a kind a missed lesson never breaks (at most N periods a
    day), the rung still overlaps them."""
    from dataclasses import replace

    from scheduler.model import TimeRule

    row = TimeRule(kind, value=value, students=("S1",), weight=weight, row=2)
    base = mixed_school()
    fixed = tuple(replace(c, sections=1) for c in base.courses)
    school = replace(base, courses=fixed, time_rules=(row,))
    assert every_group_placed(school, Strictness.SOFT) is placed
    assert every_group_placed(school, Strictness.YEAR) is placed


def test_blocking_leaves_out_a_group_its_teacher_cannot_fit():
    """Three option courses, one teacher, two blocks: one group stays out of the blocks
    and the students of the other two still get their provisional places."""
    ids = [f"S{i}" for i in range(1, 7)]
    wants = {"S1": "AB", "S2": "AB", "S3": "BC", "S4": "BC", "S5": "AC", "S6": "AC"}
    school = School(
        calendar=calendar(),
        rooms=(Room("R1", 30, frozenset({"classroom"})), Room("R2", 30, frozenset({"classroom"}))),
        staff=(Staff("T", qualifications=(Qualification("Art"),)),),
        courses=tuple(Course(c, "Art", (1,), 1, 10) for c in "ABC"),
        students=tuple(Student(s, 10) for s in ids),
        requests=tuple(
            req(s, c, "option", rank) for s in ids for rank, c in enumerate(wants[s], start=1)
        ),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )
    planned = plan_groups(school, 0.9)
    staff_of = assign_staff(school, planned, 5, 1, 1).staff_of
    blocking = block_options(school, planned, staff_of, 5, 1, 1)
    assert blocking.asked == 12
    # Two courses blocked apart: their 2 students get both, the other 4 one each.
    assert blocking.given == 8
    for row in blocking.placement.values():
        assert len(row) <= 2


def test_provisional_students_busy_at_a_slot_make_their_group_avoid_it():
    """S1-S3 have tutor time at Mon 1 (TG1), S4-S6 at Mon 2 (TG2). With a provisional
    placement, each group is charged for its own students only: EN's group 1 (S1-S3) at
    Mon 1, group 2 (S4-S6) at Mon 2, 10 (core need) per student."""
    from constraints.student_clashes import StudentClashes
    from scheduler.model import TutorGroup
    from tests.solver_schools import two_courses

    base = two_courses(6)
    students = tuple(
        Student(s.id, 9, tutor_group="TG1" if i < 3 else "TG2") for i, s in enumerate(base.students)
    )
    school = School(
        **{
            **base.__dict__,
            "students": students,
            "courses": tuple(
                Course(c.id, c.subject, c.lessons, 1, 3, sections=2) for c in base.courses
            ),
            "tutor_groups": (
                TutorGroup("TG1", "T1", 3, frozenset({0}), room="R1"),
                TutorGroup("TG2", "T2", 3, frozenset({1}), room="R1"),
            ),
        }
    )
    planned = plan_groups(school, 0.9)
    tm = TimetableModel(school, planned, {g.id: () for g in planned})
    tm.tentative = tentative_sections(school, planned)
    tm.make_variables()
    charged = StudentClashes.blocked_tentative(tm)
    en = [g.id for g in planned if g.course == "EN"]
    members = {gid: {s for s, row in tm.tentative.items() if row.get("EN") == gid} for gid in en}
    for gid in en:
        slots = {t for (g, t) in charged if g == gid}
        expected = {0 if members[gid] <= {"S1", "S2", "S3"} else 1}
        assert members[gid] in ({"S1", "S2", "S3"}, {"S4", "S5", "S6"})
        assert slots == expected
        assert charged[(gid, expected.pop())] == 30


def test_blocking_never_joins_groups_whose_staff_share_too_few_free_days():
    """Two option courses with two lessons, each taught by a part-timer: T1 works only
    Monday and Tuesday, T2 only Tuesday and Wednesday. Together they share one free day,
    so a block holding both groups could never meet (two lessons need two days): the
    students' two options go in different blocks, or one stays out."""
    cal = calendar(("Mon", "Tue", "Wed"), periods=3)
    day = {s.index: s.day for s in cal.slots}
    off = lambda days: frozenset(i for i, d in day.items() if d in days)
    ids = [f"S{i}" for i in range(1, 5)]
    school = School(
        calendar=cal,
        rooms=(Room("R1", 30, frozenset({"classroom"})), Room("R2", 30, frozenset({"classroom"}))),
        staff=(
            Staff("T1", qualifications=(Qualification("Art"),), unavailable=off({"Wed"})),
            Staff("T2", qualifications=(Qualification("Music"),), unavailable=off({"Mon"})),
        ),
        courses=(
            Course("ART", "Art", (1, 1), 1, 10),
            Course("MUS", "Music", (1, 1), 1, 10),
            Course("DRA", "Art", (1, 1), 1, 10),
        ),
        students=tuple(Student(s, 10) for s in ids),
        requests=tuple(
            req(s, c, "option", rank)
            for s in ids
            for rank, c in enumerate(
                ("ART", "MUS") if s in ("S1", "S2") else ("MUS", "DRA"), start=1
            )
        ),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )
    planned = plan_groups(school, 0.9)
    staff_of = assign_staff(school, planned, 5, 1, 1).staff_of
    assert staff_of["ART.1"] == ("T1",) and staff_of["MUS.1"] == ("T2",)
    blocking = block_options(school, planned, staff_of, 5, 1, 1)
    for block in blocking.blocks:
        assert not {"ART.1", "MUS.1"} <= set(block)
    # And what it blocks can be timetabled: every group placed with its block together.
    assert all_placed(
        timetable_model(
            school,
            planned,
            staff_of,
            tentative_sections(school, planned, blocking.placement),
            Strictness.ALL,
            blocking.blocks,
        )
    )


def test_a_cohort_has_as_many_blocks_as_its_students_take_options_in_it():
    """Six students choose two of the options A, B, C (one lesson each) and all of them
    also an EPQ of another lesson pattern (a double), so each has a quota of three
    options. A, B and C form a cohort of their own (the EPQ is not in it): two blocks
    hold every student's two choices there; a third block would only take slots."""
    ids = [f"S{i}" for i in range(1, 7)]
    wants = {"S1": "AB", "S2": "AB", "S3": "BC", "S4": "BC", "S5": "AC", "S6": "AC"}
    school = School(
        calendar=calendar(),
        rooms=tuple(Room(f"R{i}", 30, frozenset({"classroom"})) for i in range(1, 5)),
        staff=tuple(
            Staff(f"T{c}", qualifications=(Qualification(c),)) for c in ("A", "B", "C", "EPQ")
        ),
        courses=(
            *(Course(c, c, (1,), 1, 10) for c in "ABC"),
            Course("EPQ", "EPQ", (2,), 1, 10),
        ),
        students=tuple(Student(s, 12) for s in ids),
        requests=tuple(
            req(s, c, "option", rank)
            for s in ids
            for rank, c in enumerate((*wants[s], "EPQ"), start=1)
        ),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )
    assert all(school.option_quota(s) == 3 for s in ids)
    planned = plan_groups(school, 0.9)
    staff_of = assign_staff(school, planned, 5, 1, 1).staff_of
    blocking = block_options(school, planned, staff_of, 5, 1, 1)
    # Each course one group: with two blocks, two of the courses share one, and the two
    # students who chose that pair get one of them (10 of 12). With three blocks (the
    # quota, which counts the EPQ), every course had a block of its own.
    assert blocking.asked == 12
    assert len(blocking.blocks) == 1 and len(blocking.blocks[0]) == 2
    assert blocking.given == 10


def stage_set_school(periods: int = 1) -> School:
    """One slot in the cycle. English has two groups (at most one student each), Maths is
    year 7's core too, Project is core for years 7 and 8 (a stage set across years). With
    one slot, a year-7 student's English, Maths and Project must overlap, so neither the
    rungs that keep core groups apart nor the "year" rung (English and Maths apart) can
    place them, while the first timetable (every group placed, students where they fit)
    exists."""

    def teaches(subject: str) -> tuple[Qualification, ...]:
        return (Qualification(subject),)

    return School(
        calendar=calendar(("Mon",), periods=periods),
        rooms=tuple(Room(f"R{i}", 30, frozenset({"classroom"})) for i in (1, 2, 3, 4)),
        staff=(
            Staff("T1", qualifications=teaches("English")),
            Staff("T2", qualifications=teaches("Project")),
            Staff("T3", qualifications=teaches("English")),
            Staff("T4", qualifications=teaches("Maths")),
        ),
        courses=(
            Course("EN", "English", (1,), 1, 1),
            Course("MA", "Maths", (1,), 1, 30),
            Course("PRJ", "Project", (1,), 1, 30),
        ),
        students=(Student("S1", 7), Student("S2", 7), Student("S3", 8)),
        requests=(
            req("S1", "EN"),
            req("S2", "EN"),
            req("S1", "MA"),
            req("S2", "MA"),
            req("S1", "PRJ"),
            req("S2", "PRJ"),
            req("S3", "PRJ"),
        ),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )


def test_the_ladder_stops_when_the_strict_rungs_and_a_short_year_look_fail(tmp_path):
    """Once the rungs that keep core groups apart have failed beside a first timetable,
    the "year" rung gets a short look and the looser rungs are not tried (their
    timetables lost to the first one where they took long, BENCHMARKS.md nineteenth
    session): more first timetables and the polish get the time, and the answer is a
    checked timetable. summary.json names each rung's feasibility search it ran."""
    from scheduler.solver.engine import SolveOptions
    from tests.scheduler.solver.test_solve import solve_checked

    school = stage_set_school()
    planned = plan_groups(school, 0.9)
    assert len({g.course for g in planned}) < len(planned)  # a choice of group
    sol, _, _ = solve_checked(school, tmp_path, SolveOptions(time_limit=10, seed=1, workers=1))
    looked = {k for k in sol.stats if k.startswith("feasibility_")}
    # Asked, and failed.
    assert {"feasibility_Strictness.CORE_s", "feasibility_Strictness.YEAR_s"} <= looked
    assert "feasibility_Strictness.SOFT_s" not in looked, looked
    assert "feasibility_estimate_s" not in looked, looked  # the last rung
    assert sol.stats.get("ladder_stopped") == "soft"
    assert sol.groups  # the first timetable (or a later one), checked above
    assert sol.stats.get("resamples", 0) >= 1


def test_the_year_rung_beside_a_first_timetable_is_optimised_briefly(tmp_path):
    """With two slots, a year-7 student's English and Maths fit apart (the "year" rung
    places them) but not with the Project too (the rungs keeping every core group apart
    fail). Found beside a first timetable, that placement is optimised only as long as
    its feasibility search was given (``TimePolicy.optimise_beside_first``), not for the
    rest of the round; the answer is a checked timetable."""
    from scheduler.solver.budget import POLICY
    from scheduler.solver.engine import SolveOptions
    from tests.scheduler.solver.test_solve import solve_checked

    school = stage_set_school(periods=2)
    sol, _, _ = solve_checked(school, tmp_path, SolveOptions(time_limit=10, seed=1, workers=1))
    assert sol.stats.get("timetable_all_placed") is True  # the "year" rung placed them
    assert "feasibility_Strictness.YEAR_s" in sol.stats
    capped = sol.stats.get("optimised_beside_first_s")
    assert capped is not None
    assert capped <= max(1.0, POLICY.look(Strictness.YEAR, False, 10.0, 3, beside_first=True))
    assert sol.groups
