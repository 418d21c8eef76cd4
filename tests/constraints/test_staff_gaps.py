"""Staff gaps (constraints/staff_gaps.py, Rules ``staff_max_gaps_week`` and
``staff_max_gaps_day``): at most N free periods between a member of staff's lessons,
kept by a real solve and judged by the checker's twin ``staff_gaps``; an infeasible twin;
hand-broken timetables."""

from __future__ import annotations

from dataclasses import replace

from tests.checker_fixtures import MON, tiny_school, valid_solution, variant, with_group
from tests.time_rule_schools import (
    broken,
    lessons_of,
    one_teacher,
    rule,
    school,
    solve,
    unmet_courses,
)

# two_courses' calendar: period p of Mon, Tue, Wed is slot p-1, p+3, p+7.
FIRST = frozenset({0, 4, 8})
THIRD = frozenset({2, 6, 10})
MORNING = frozenset({0, 1, 4, 5, 8, 9})  # periods 1-2
AFTERNOON = frozenset({2, 3, 6, 7, 10, 11})  # periods 3-4
TWO_DAYS = rule("staff_max_days", staff=("T1",), value=2)


def test_without_the_rule_t1_has_a_gap_a_day(tmp_path):
    # MA in the morning, EN in the afternoon, on the same two days: MA at period 1 and
    # EN at period 3 (seed 1, one worker) leave period 2 free between them.
    s = school(
        rule("start_at", "MA", slots=MORNING),
        rule("start_at", "EN", slots=AFTERNOON),
        TWO_DAYS,
        base=one_teacher(),
    )
    sol = solve(s, tmp_path)
    assert broken(replace(s, time_rules=(rule("staff_max_gaps_week", value=0),)), sol, "staff_gaps")


def test_no_gaps_in_the_week(tmp_path):
    s = school(
        rule("start_at", "MA", slots=MORNING),
        rule("start_at", "EN", slots=AFTERNOON),
        TWO_DAYS,
        rule("staff_max_gaps_week", staff=("T1",), value=0),
        base=one_teacher(),
    )
    sol = solve(s, tmp_path)
    # Period 2 then period 3, on the same days.
    assert {x[0] % 4 for x in lessons_of(sol, "MA.1")} == {1}
    assert {x[0] % 4 for x in lessons_of(sol, "EN.1")} == {2}
    assert not unmet_courses(sol)


def test_infeasible_a_forced_gap(tmp_path):
    # MA at period 1 and EN at period 3 on the same two days: a gap each day.
    for kind in ("staff_max_gaps_week", "staff_max_gaps_day"):
        s = school(
            rule("start_at", "MA", slots=FIRST),
            rule("start_at", "EN", slots=THIRD),
            TWO_DAYS,
            rule(kind, value=0),
            base=one_teacher(),
        )
        sol = solve(s, tmp_path / kind)
        assert len(unmet_courses(sol)) == 1, kind  # one course cannot be timetabled


def test_the_checker_counts_gaps_between_lessons():
    # T1 teaches MA-3.1 at Mon 2 and Tue 2; give T1 AR.1 at Mon 5 too: Mon 3-4 are gaps.
    sol = valid_solution()
    groups = with_group(sol, "AR.1", staff=("T1",), lessons=[((MON[5],), "HALL")])
    moved = variant(sol, groups=groups)
    week = tiny_school(time_rules=(rule("staff_max_gaps_week", staff=("T1",), value=1),))
    assert broken(week, moved, "staff_gaps") == [
        "Rules!2: T1 has 2 gaps in the cycle; at most 1 expected"
    ]
    day = tiny_school(time_rules=(rule("staff_max_gaps_day", value=1),))
    assert broken(day, moved, "staff_gaps") == ["Rules!2: T1 has 2 gaps on Mon; at most 1 expected"]
    assert broken(day, sol, "staff_gaps") == []


def test_unavailable_periods_are_no_gaps():
    sol = valid_solution()
    moved = variant(
        sol, groups=with_group(sol, "AR.1", staff=("T1",), lessons=[((MON[5],), "HALL")])
    )
    base = tiny_school(time_rules=(rule("staff_max_gaps_week", staff=("T1",), value=0),))
    staff = tuple(
        replace(p, unavailable=frozenset({MON[3], MON[4]})) if p.id == "T1" else p
        for p in base.staff
    )
    assert broken(replace(base, staff=staff), moved, "staff_gaps") == []
