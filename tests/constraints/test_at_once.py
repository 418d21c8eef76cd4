"""Lessons at once (constraints/at_once.py, Rules ``lessons_max_at_once``): kept by a real
solve and judged by the checker's twin ``lessons_max_at_once``; an infeasible twin; a
hand-broken timetable."""

from __future__ import annotations

from scheduler.checker import check_solution
from tests.checker_fixtures import MON, TUE, tiny_school, valid_solution
from tests.time_rule_schools import apart, broken, lessons_of, rule, school, solve, unmet_courses

FIRST = frozenset({0, 4, 8})  # period 1 of each day (3 days of 4 periods)
EARLY = frozenset({0, 1, 4, 5, 8, 9})  # periods 1-2 of each day


def test_at_most_one_at_the_first_periods(tmp_path):
    # MA and EN have no student in common and two rooms: without the row they could meet
    # at once. Maths takes two first periods; English one first period at most.
    s = school(
        rule("within", "MA", slots=FIRST),
        rule("within", "EN", slots=EARLY),
        rule("lessons_max_at_once", "MA.1", "EN.1", slots=FIRST, value=1),
        base=apart(),
    )
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "lessons_max_at_once") == []
    held = [t for g in ("MA.1", "EN.1") for lesson in lessons_of(sol, g) for t in lesson]
    assert all(held.count(t) == 1 for t in FIRST if t in held)


def test_infeasible_with_four_lessons_on_three_slots(tmp_path):
    s = school(
        rule("within", "MA", slots=FIRST),
        rule("within", "EN", slots=FIRST),
        rule("lessons_max_at_once", "MA.1", "EN.1", slots=FIRST, value=1),
        base=apart(),
    )
    assert unmet_courses(solve(s, tmp_path))


def test_the_checker_counts_the_lessons_at_a_slot():
    # AR.1 and AR.2 both at Mon 3 (the shared HALL).
    sol = valid_solution()
    ok = tiny_school(
        time_rules=(
            rule("lessons_max_at_once", "AR.1", "AR.2", slots=frozenset({MON[3]}), value=2),
            rule("lessons_max_at_once", "AR.1", "AR.2", slots=frozenset({TUE[3]}), value=0),
        )
    )
    assert broken(ok, sol, "lessons_max_at_once") == []
    s = tiny_school(
        time_rules=(
            rule("lessons_max_at_once", "AR", slots=frozenset({MON[3]}), value=0, weight=4),
        )
    )
    # A row naming one course alone holds for each group apart: one lesson each.
    assert broken(s, sol, "lessons_max_at_once") == [
        "Rules!2: 1 of the lessons are held at Mon 3; at most 0 (soft, weight 4)",
        "Rules!2: 1 of the lessons are held at Mon 3; at most 0 (soft, weight 4)",
    ]
    s = tiny_school(
        time_rules=(
            rule("lessons_max_at_once", "AR.1", "AR.2", slots=frozenset({MON[3]}), value=1),
        )
    )
    assert broken(s, sol, "lessons_max_at_once") == [
        "Rules!2: 2 of the lessons are held at Mon 3; at most 1"
    ]
    assert [
        v.hard for v in check_solution(s, sol).violations if v.rule == "lessons_max_at_once"
    ] == [True]
