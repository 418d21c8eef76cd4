"""Site changes (constraints/site_changes.py, Rules ``staff_max_site_changes_day``,
``staff_min_gap_site_change`` and the students' and by-the-week forms): kept by a real
solve and judged by the checker's twin ``site_changes``; infeasible twins, with the sites known while lessons are timetabled and
with a course whose rooms are on two sites (kept while rooms are chosen); hand-broken
timetables."""

from __future__ import annotations

from dataclasses import replace

from scheduler.model import Room, School
from tests import solver_schools as schools
from tests.checker_fixtures import tiny_school, valid_solution
from tests.scheduler.solver.test_solve import OPTS, solve_checked
from tests.time_rule_schools import (
    broken,
    days_of,
    lessons_of,
    one_teacher,
    rule,
    school,
    solve,
    unmet_courses,
)

MON_TUE_FIRST = frozenset({0, 4})  # Mon 1, Tue 1 (3 days of 4 periods)


def on_two_sites(base: School) -> School:
    """``base`` (courses MA and EN) with Maths in a room on the North site, and English one
    lesson a cycle in a room on the main site."""
    return replace(
        base,
        rooms=(*base.rooms, Room("N1", 30, frozenset({"north"}), site="North")),
        courses=(
            replace(base.courses[0], room_type="north"),
            replace(base.courses[1], lessons=(1,), room_type="classroom"),
        ),
    )


def two_sites() -> School:
    """``one_teacher`` (T1 teaches MA and EN, no student takes both) on two sites."""
    return on_two_sites(one_teacher())


def test_no_site_change_keeps_english_off_maths_days(tmp_path):
    s = school(rule("staff_max_site_changes_day", value=0), base=two_sites())
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "site_changes") == []
    assert days_of(s, sol, "EN.1")[0] not in days_of(s, sol, "MA.1")


def test_no_site_change_infeasible_when_english_is_on_a_maths_day(tmp_path):
    s = school(
        rule("within", "MA", slots=MON_TUE_FIRST),
        rule("within", "EN", slots=frozenset({1, 2, 3})),  # Monday
        rule("staff_max_site_changes_day", value=0),
        base=two_sites(),
    )
    assert unmet_courses(solve(s, tmp_path))


def test_a_period_between_a_change_of_site(tmp_path):
    # Maths at Mon 1 and Tue 1 (North); English at Mon 2 or Mon 3 (main site): Mon 3.
    s = school(
        rule("within", "MA", slots=MON_TUE_FIRST),
        rule("within", "EN", slots=frozenset({1, 2})),
        rule("staff_min_gap_site_change", value=1),
        base=two_sites(),
    )
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "site_changes") == []
    assert lessons_of(sol, "EN.1") == [(2,)]


def test_a_period_between_infeasible_right_after(tmp_path):
    s = school(
        rule("within", "MA", slots=MON_TUE_FIRST),
        rule("within", "EN", slots=frozenset({1})),
        rule("staff_min_gap_site_change", value=1),
        base=two_sites(),
    )
    assert unmet_courses(solve(s, tmp_path))


def test_the_checker_counts_site_changes():
    # T4 teaches AR.2 at Mon 3 in HALL (main site) and, here, GE.1 at Mon 4 in N1 (North).
    sol = valid_solution()
    sol = replace(
        sol,
        groups=tuple(replace(g, staff=("T4",)) if g.id == "GE.1" else g for g in sol.groups),
    )
    ok = tiny_school(
        time_rules=(
            rule("staff_max_site_changes_day", value=1),
            rule("staff_min_gap_site_change", value=0),
            rule("staff_max_site_changes_day", staff=("T1",), value=0),
        )
    )
    assert broken(ok, sol, "site_changes") == []
    s = tiny_school(
        time_rules=(
            rule("staff_max_site_changes_day", value=0),
            rule("staff_min_gap_site_change", staff=("T4",), value=1, weight=6),
        )
    )
    assert broken(s, sol, "site_changes") == [
        "Rules!2: T4 changes site 1 times on Mon; at most 0",
        (
            "Rules!2: T4 moves from Main at Mon 3 to North at Mon 4 on Mon; at least 1 "
            "period(s) between expected (soft, weight 6)"
        ),
    ]


def test_the_rooms_chosen_keep_a_course_of_two_sites_on_the_days_site(tmp_path):
    # English may be in any room (R1, R2 on the main site, N1 on North); on Monday, with
    # Maths at Mon 1 in N1, it is in N1 too: no site change.
    base = two_sites()
    s = school(
        rule("within", "MA", slots=MON_TUE_FIRST),
        rule("within", "EN", slots=frozenset({1, 2, 3})),
        rule("staff_max_site_changes_day", value=0),
        base=replace(base, courses=(base.courses[0], replace(base.courses[1], room_type=None))),
    )
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "site_changes") == []
    assert [lesson.room for lesson in sol.group_by_id["EN.1"].lessons] == ["N1"]


def north_away_on_monday(english: frozenset[int]) -> School:
    """``two_sites`` with English in any room at one of the slots ``english``, Maths at Mon
    1 and Tue 1, N1 (North) away on Monday after period 1, and T1 never changing site in
    a day."""
    base = two_sites()
    rooms = tuple(
        replace(r, unavailable=frozenset({1, 2, 3})) if r.id == "N1" else r for r in base.rooms
    )
    return school(
        rule("within", "MA", slots=MON_TUE_FIRST),
        rule("within", "EN", slots=english),
        rule("staff_max_site_changes_day", value=0),
        base=replace(
            base,
            rooms=rooms,
            courses=(base.courses[0], replace(base.courses[1], room_type=None)),
        ),
    )


def test_the_rooms_chosen_infeasible_when_the_days_site_is_taken(tmp_path):
    # As above, but N1 is away on Monday after period 1: English is on the main site.
    assert unmet_courses(solve(north_away_on_monday(frozenset({1, 2, 3})), tmp_path))


def test_the_lesson_times_leave_a_course_of_two_sites_a_room_on_the_days_site(tmp_path):
    # Maths at Mon 1 and Tue 1 in N1 (North); English, in any room, on Monday or Tuesday
    # after period 1; N1 is away on Monday after period 1, so only Tuesday leaves English
    # a room on the day's site. The lesson times see English's site (before, they put it
    # on either day and a Monday left the rooms no way to keep the rule).
    s = north_away_on_monday(frozenset({1, 2, 3, 5, 6, 7}))
    for seed in (1, 2, 3):
        sol, _, _ = solve_checked(
            s, tmp_path / str(seed), replace(OPTS, seed=seed, first_only=True)
        )
        assert not unmet_courses(sol) and broken(s, sol, "site_changes") == []
        assert days_of(s, sol, "EN.1") == [1]
        assert [lesson.room for lesson in sol.group_by_id["EN.1"].lessons] == ["N1"]


def students_two_sites() -> School:
    """``two_courses`` (six students take MA and EN; T1 teaches MA, T2 EN) on two sites."""
    return on_two_sites(schools.two_courses())


def test_students_without_a_site_change(tmp_path):
    s = school(rule("students_max_site_changes_day", value=0), base=students_two_sites())
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "site_changes") == []
    assert days_of(s, sol, "EN.1")[0] not in days_of(s, sol, "MA.1")


def test_students_and_staff_infeasible_by_the_week(tmp_path):
    for kind, base in (
        ("students_max_site_changes_week", students_two_sites()),
        ("staff_max_site_changes_week", two_sites()),
    ):
        s = school(
            rule("within", "MA", slots=MON_TUE_FIRST),
            rule("within", "EN", slots=frozenset({1, 2, 3})),  # Monday
            rule(kind, value=0),
            base=base,
        )
        assert unmet_courses(solve(s, tmp_path / kind)), kind


def test_the_checker_counts_students_site_changes():
    # S4: MA-3.1 at Mon 2 in R1 (main site), GE.1 at Mon 4 in N1 (North).
    sol = valid_solution()
    ok = tiny_school(
        time_rules=(
            rule("students_max_site_changes_day", students=("S4",), value=1),
            rule("students_max_site_changes_week", value=1),
            rule("students_min_gap_site_change", value=1),
        )
    )
    assert broken(ok, sol, "site_changes") == []
    s = tiny_school(
        time_rules=(
            rule("students_max_site_changes_day", students=("S4",), value=0),
            rule("students_max_site_changes_week", students=("S3", "S4"), value=0),
            rule("students_min_gap_site_change", students=("S4",), value=2),
        )
    )
    assert broken(s, sol, "site_changes") == [
        "Rules!2: S4 changes site 1 times on Mon; at most 0",
        "Rules!2: S4 changes site 1 times in the cycle; at most 0",
        (
            "Rules!2: S4 moves from Main at Mon 2 to North at Mon 4 on Mon; at least 2 "
            "period(s) between expected"
        ),
    ]
