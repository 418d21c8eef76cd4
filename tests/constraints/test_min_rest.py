"""Rest between days (constraints/min_rest.py, Rules ``staff_min_rest`` and
``students_min_rest``): kept by a real solve and judged by the checker's twin
``min_rest``; an infeasible twin; hand-broken timetables."""

from __future__ import annotations

from scheduler.checker import check_solution
from tests.checker_fixtures import tiny_school, valid_solution
from tests.time_rule_schools import (
    broken,
    lessons_of,
    one_teacher,
    rule,
    school,
    solve,
    unmet_courses,
)

LAST = frozenset({3, 7})  # Mon 4, Tue 4 (3 days of 4 periods)


def test_a_late_day_puts_the_next_days_first_lesson_late(tmp_path):
    # T1 teaches Maths at Mon 4 and Tue 4: three periods of rest put nothing before Tue 4,
    # so English is on Mon and at Wed 4.
    s = school(
        rule("within", "MA", slots=LAST),
        rule("staff_min_rest", value=3),
        base=one_teacher(),
    )
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "min_rest") == []
    en = lessons_of(sol, "EN.1")
    assert en[0][0] < 3 and en[1] == (11,)


def test_infeasible_with_more_rest_than_a_night_has(tmp_path):
    s = school(
        rule("within", "MA", slots=LAST),
        rule("staff_min_rest", staff=("T1",), value=4),
        base=one_teacher(),
    )
    assert unmet_courses(solve(s, tmp_path))


def test_the_checker_counts_the_rest():
    # T1: MA-3.1 at Mon 2 and Tue 2 (5 periods a day): 3 + 1 = 4 periods of rest. S1: Mon
    # 2-3, then Tue 2: 2 + 1 = 3.
    sol = valid_solution()
    ok = tiny_school(
        time_rules=(
            rule("staff_min_rest", value=4),
            rule("students_min_rest", students=("S1",), value=3),
        )
    )
    assert broken(ok, sol, "min_rest") == []
    s = tiny_school(
        time_rules=(
            rule("staff_min_rest", staff=("T1",), value=5),
            rule("students_min_rest", students=("S1", "S5"), value=4, weight=9),
        )
    )
    assert broken(s, sol, "min_rest") == [
        "Rules!2: T1 rests 4 period(s) between Mon and Tue; at least 5",
        "Rules!2: S1 rests 3 period(s) between Mon and Tue; at least 4 (soft, weight 9)",
    ]
    costs = [v.cost for v in check_solution(s, sol).violations if v.rule == "min_rest"]
    assert costs == [0, 9]


def test_the_cycle_form_rests_from_the_last_day_to_the_first(tmp_path):
    # Maths at Mon 1 and Wed 4: no rest from Wednesday to Monday.
    ends = frozenset({0, 11})
    plain = school(
        rule("within", "MA", slots=ends), rule("staff_min_rest", value=1), base=one_teacher()
    )
    assert not unmet_courses(solve(plain, tmp_path / "plain"))
    cycle = school(
        rule("within", "MA", slots=ends),
        rule("staff_min_rest_cycle", value=1),
        base=one_teacher(),
    )
    assert unmet_courses(solve(cycle, tmp_path / "cycle"))


def test_the_checker_rests_over_the_cycle():
    # T1: MA-3.1 at Mon 2 and Tue 2: 4 periods of rest each way.
    sol = valid_solution()
    s = tiny_school(time_rules=(rule("staff_min_rest_cycle", staff=("T1",), value=5),))
    assert broken(s, sol, "min_rest") == [
        "Rules!2: T1 rests 4 period(s) between Mon and Tue; at least 5",
        "Rules!2: T1 rests 4 period(s) between Tue and Mon; at least 5",
    ]
