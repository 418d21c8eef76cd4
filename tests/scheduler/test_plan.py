"""Planning groups by year cohort (scheduler.plan.cohort_chunks, plan_groups(by_cohort=True)),
the provisional placement that seats each cohort in its own groups, and the slack chosen by
the staff's spare periods (scheduler.plan.choose_slack)."""

from __future__ import annotations

from scheduler.model import Course, Qualification, Room, School, Staff, Student
from scheduler.plan import (
    MOST_STAFF_SHARE,
    POOL_SHARE,
    SLACKS,
    SPARE_STAFF_SHARE,
    choose_slack,
    cohort_chunks,
    plan_groups,
    staff_share,
    tentative_sections,
)
from scheduler.solver.engine import SolveOptions
from tests.solver_schools import calendar, req


def stage_school(per_year: dict[int, int], min_size: int = 4, kind: str = "core") -> School:
    """One stage-not-age English course taken by several years, plus a one-year course."""
    students = []
    requests = []
    for year, n in per_year.items():
        for k in range(n):
            sid = f"S{year}-{k:02d}"
            students.append(Student(sid, year))
            requests.append(req(sid, "EN-3", kind))
            if year == 8:
                requests.append(req(sid, "HUM8"))
    return School(
        calendar=calendar(("Mon", "Tue", "Wed"), periods=4),
        rooms=(Room("R1", 30, frozenset({"classroom"})),),
        staff=(
            Staff("T1", qualifications=(Qualification("English"), Qualification("Humanities"))),
        ),
        courses=(
            Course("EN-3", "English", (1,), min_size, 30, stage=3),
            Course("HUM8", "Humanities", (1,), 1, 30, years=frozenset({8})),
        ),
        students=tuple(students),
        requests=tuple(requests),
    )


def test_each_year_is_a_chunk_and_small_years_join_the_smaller_neighbour():
    school = stage_school({7: 2, 8: 20, 9: 16, 10: 30})
    # Year 7's two students would not fill half a group (15 of 30): they join year 8 (the
    # only neighbour); the other years are chunks of their own.
    assert cohort_chunks(school, school.course_by_id["EN-3"]) == [
        ((7, 8), 22),
        ((9,), 16),
        ((10,), 30),
    ]
    # Year 9's 12 join the smaller neighbour: years 7-8 (22), not year 10 (30).
    school = stage_school({7: 2, 8: 20, 9: 12, 10: 30})
    assert cohort_chunks(school, school.course_by_id["EN-3"]) == [((7, 8, 9), 34), ((10,), 30)]
    # Few students in all: one chunk, so nothing to cut (a 3-student stage course was cut
    # in two groups, and the fixture school met 1 option of 8 instead of 6).
    few = stage_school({7: 2, 8: 1}, min_size=1)
    assert cohort_chunks(few, few.course_by_id["EN-3"]) == []
    assert plan_groups(few, 0.9, by_cohort=True) == plan_groups(few, 0.9)
    # A course of one year, or one nobody takes as core, is not cut.
    assert cohort_chunks(school, school.course_by_id["HUM8"]) == []
    options = stage_school({7: 10, 8: 10}, kind="option")
    assert cohort_chunks(options, options.course_by_id["EN-3"]) == []


def test_planned_by_cohort_each_group_seats_one_cohort():
    school = stage_school({7: 25, 8: 25, 9: 25})
    whole = [g for g in plan_groups(school, 0.9) if g.course == "EN-3"]
    cohorts = [g for g in plan_groups(school, 0.9, by_cohort=True) if g.course == "EN-3"]
    assert len(whole) == 3 and all(g.cohort == () for g in whole)
    assert [g.cohort for g in cohorts] == [(7,), (8,), (9,)]
    tentative = tentative_sections(school, tuple(cohorts))
    year = {s.id: s.year for s in school.students}
    for g in cohorts:
        seated = [s for s, row in tentative.items() if row.get("EN-3") == g.id]
        assert len(seated) == 25 and {year[s] for s in seated} == set(g.cohort)
    # Cut as a whole, the balanced groups mix years (what the cohort plan avoids).
    mixed = tentative_sections(school, tuple(whole))
    seats = {}
    for s, row in mixed.items():
        seats.setdefault(row["EN-3"], set()).add(year[s])
    assert seats and all(len(ys) == 1 for ys in seats.values())  # 25/25/25: aligned here
    uneven = stage_school({7: 20, 8: 30, 9: 25})
    cut = tentative_sections(
        uneven, tuple(g for g in plan_groups(uneven, 0.9) if g.course == "EN-3")
    )
    years_per_group = {}
    for s, row in cut.items():
        years_per_group.setdefault(row["EN-3"], set()).add(int(s[1:].split("-")[0]))
    assert any(len(ys) > 1 for ys in years_per_group.values())


def maths_school(students: int, max_periods: tuple[int, ...]) -> School:
    """Students asking for a three-lesson Maths course of at most 30; one Maths teacher
    for each ``max_periods``, in a week of 30 periods."""
    ids = [f"S{k:03d}" for k in range(students)]
    return School(
        calendar=calendar(("Mon", "Tue", "Wed", "Thu", "Fri"), periods=6),
        rooms=(Room("R1", 30, frozenset({"classroom"})),),
        staff=tuple(
            Staff(f"T{k}", qualifications=(Qualification("Maths"),), max_periods=most)
            for k, most in enumerate(max_periods)
        ),
        courses=(Course("MA", "Maths", (1, 1, 1), 5, 30),),
        students=tuple(Student(s, 10) for s in ids),
        requests=tuple(req(s, "MA") for s in ids),
    )


def test_spare_groups_are_planned_where_the_staff_have_periods_to_spare():
    assert SLACKS[0] == 0.9 and min(SLACKS) == 0.6
    # 60 students: 3 groups at 0.9, 0.8 and 0.7 (60 over 27, 24 or 21 seats), 4 at 0.6
    # (60 over 18): 9 or 12 periods.
    roomy = maths_school(60, (30,))
    assert [len(plan_groups(roomy, s)) for s in (0.9, 0.7, 0.6)] == [3, 3, 4]
    # Two groups seat the 60 at 30: the third and fourth are spare.
    assert [g.spare for g in plan_groups(roomy, 0.6)] == [False, False, True, True]
    assert staff_share(roomy, plan_groups(roomy, 0.6)) == 12 / 30
    # Nine periods of thirty at 0.9: spare; twelve at 0.6 still within: the lowest slack.
    assert choose_slack(roomy) == 0.6
    # Nine of thirteen is spare, twelve of thirteen too many: the lowest slack of three.
    assert 9 / 13 <= SPARE_STAFF_SHARE and 12 / 13 > MOST_STAFF_SHARE
    assert choose_slack(maths_school(60, (13,))) == 0.7
    # Nine of ten or of nine: nothing to spare, the loosest slack. No staff periods: too.
    assert choose_slack(maths_school(60, (10,))) == 0.9
    assert choose_slack(maths_school(60, (0,))) == 0.9


def test_no_spare_groups_where_the_staff_are_busy_at_the_loosest_slack():
    # 270 students: 10, 12, 13 and 15 groups at 0.9, 0.8, 0.7 and 0.6 (30 to 45 periods).
    busy = maths_school(270, (21, 21))
    assert [len(plan_groups(busy, s, pooled=False)) for s in SLACKS] == [10, 12, 13, 15]
    # Planned, no spare group: the school's one room has its 30 slots taken at 0.9.
    assert [len(plan_groups(busy, s)) for s in SLACKS] == [10, 10, 10, 10]
    # 30 of 42 periods at 0.9 is more than SPARE_STAFF_SHARE, though 0.8's 36 of 42
    # would be within MOST_STAFF_SHARE: 0.9.
    assert 30 / 42 > SPARE_STAFF_SHARE and 36 / 42 <= MOST_STAFF_SHARE
    assert choose_slack(busy) == 0.9
    # One more period: 30 of 43 is spare; 0.8's 36 of 43 is the lowest within (0.7: 39).
    assert 30 / 43 <= SPARE_STAFF_SHARE and 39 / 43 > MOST_STAFF_SHARE
    assert choose_slack(maths_school(270, (21, 22))) == 0.8


def test_the_solve_plans_at_the_chosen_slack_unless_told():
    roomy = maths_school(60, (30,))
    assert SolveOptions().slack_for(roomy) == 0.6
    assert SolveOptions(group_slack=0.9).slack_for(roomy) == 0.9


def two_pool_school(art_periods: int, studio_closed: int = 0) -> School:
    """60 students each asking for Maths and Art (three lessons each, at most 30 a group):
    a Maths teacher with the week free, an Art teacher with ``art_periods``, one studio
    closed at ``studio_closed`` of the 30 slots."""
    ids = [f"S{k:03d}" for k in range(60)]
    return School(
        calendar=calendar(("Mon", "Tue", "Wed", "Thu", "Fri"), periods=6),
        rooms=(
            Room("R1", 30, frozenset({"classroom"})),
            Room("R2", 30, frozenset({"classroom"})),
            Room("ST", 30, frozenset({"studio"}), unavailable=frozenset(range(studio_closed))),
        ),
        staff=(
            Staff("TM", qualifications=(Qualification("Maths"),), max_periods=30),
            Staff("TA", qualifications=(Qualification("Art"),), max_periods=art_periods),
        ),
        courses=(
            Course("MA", "Maths", (1, 1, 1), 5, 30, room_type="classroom"),
            Course("ART", "Art", (1, 1, 1), 5, 30, room_type="studio"),
        ),
        students=tuple(Student(s, 10) for s in ids),
        requests=tuple(req(s, c) for s in ids for c in ("MA", "ART")),
    )


def per_course(groups) -> dict[str, int]:
    out: dict[str, int] = {}
    for g in groups:
        out[g.course] = out.get(g.course, 0) + 1
    return out


def test_spare_groups_only_where_their_staff_and_rooms_have_periods_to_spare():
    """At 0.6 each course would have 4 groups (60 over 18), 3 at 0.9. A spare group is
    planned only while its course's staff and its kind of room stay within POOL_SHARE of
    their periods: on the 600-student regression school, slack 0.6 planned the Languages,
    Humanities, Science and English staff past their periods (150%, 119%, 113%, 106%) and
    the sports halls at 89% of their slots."""
    free = two_pool_school(30)
    assert per_course(plan_groups(free, 0.6)) == {"MA": 4, "ART": 4}
    # The Art teacher's 12 periods: 9 at 0.9 (75%), a fourth group would take all 12.
    art_busy = two_pool_school(12)
    assert 9 <= POOL_SHARE * 12 < 12
    assert per_course(plan_groups(art_busy, 0.6)) == {"MA": 4, "ART": 3}
    assert per_course(plan_groups(art_busy, 0.6, pooled=False)) == {"MA": 4, "ART": 4}
    # The studio open 12 of 30 slots: the same for the room.
    studio_busy = two_pool_school(30, studio_closed=18)
    assert per_course(plan_groups(studio_busy, 0.6)) == {"MA": 4, "ART": 3}
    # Never fewer than the loosest slack plans, though the pool is over: 9 of 8 periods.
    assert per_course(plan_groups(two_pool_school(8), 0.6)) == {"MA": 4, "ART": 3}
    # The slack is still chosen on the staff's periods as a whole.
    assert choose_slack(art_busy) == choose_slack(free)
