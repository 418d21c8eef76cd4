"""Lesson times (constraints/lesson_times.py, Rules ``start_at`` and ``within``):
lessons that may start only at some slots, or take only some slots; kept by a real
solve and judged by the checker's twin ``lesson_times``; infeasible twins; soft with a
weight; hand-broken timetables."""

from __future__ import annotations

from tests.checker_fixtures import MON, TUE, tiny_school, valid_solution
from tests.time_rule_schools import broken, lessons_of, rule, school, solve, unmet_courses

# two_courses' calendar: Mon 1-4 are slots 0-3, Tue 1-4 slots 4-7, Wed 1-4 slots 8-11.
LAST_PERIODS = frozenset({3, 7, 11})


def test_english_starts_first_thing_without_a_rule(tmp_path):
    # The baseline (seed 1, one worker): EN.1 at Mon 1 and Tue 1.
    assert lessons_of(solve(school(), tmp_path), "EN.1") == [(0,), (4,)]


def test_start_at_the_last_periods(tmp_path):
    s = school(rule("start_at", "EN", slots=LAST_PERIODS))
    sol = solve(s, tmp_path)
    assert {x[0] for x in lessons_of(sol, "EN.1")} <= LAST_PERIODS
    assert not unmet_courses(sol)


def test_one_lesson_within_wednesday(tmp_path):
    s = school(rule("within", "EN.1:2", slots=frozenset({8, 9, 10, 11})))
    sol = solve(s, tmp_path)
    assert lessons_of(sol, "EN.1")[1][0] in {8, 9, 10, 11}


def test_infeasible_both_lessons_at_one_slot(tmp_path):
    # Two lessons of one group, one allowed start: no timetable places English.
    sol = solve(school(rule("start_at", "EN", slots=frozenset({5}))), tmp_path)
    assert "EN.1" not in sol.group_by_id and unmet_courses(sol) == {"EN"}


def test_soft_start_at_costs_and_is_reported(tmp_path):
    s = school(rule("start_at", "EN", slots=frozenset({5}), weight=3))
    sol = solve(s, tmp_path)
    # Soft: English is still timetabled (both lessons cannot start at one slot), and a
    # lesson elsewhere is a soft violation, not a hard one (solve_checked).
    assert not unmet_courses(sol)
    found = broken(s, sol, "lesson_times")
    assert found and all(m.endswith("starts at none of its slots (soft, weight 3)") for m in found)


def test_the_checker_flags_a_lesson_elsewhere():
    # SC.1's double is Tue 3-4; MA-3.1 meets Mon 2 and Tue 2.
    s = tiny_school(
        time_rules=(
            rule("start_at", "SC", slots=frozenset({TUE[4]})),
            rule("within", "MA-3.1:2", slots=frozenset({MON[2], TUE[1]})),
        )
    )
    assert broken(s, valid_solution(), "lesson_times") == [
        "Rules!2: SC.1 lesson 1 at Tue 3-4 starts at none of its slots",
        "Rules!2: MA-3.1 lesson 2 at Tue 2 is at Tue 2, outside its slots",
    ]
    fine = tiny_school(time_rules=(rule("within", "SC", slots=frozenset({TUE[3], TUE[4]})),))
    assert broken(fine, valid_solution(), "lesson_times") == []


def test_a_soft_rule_is_an_objective_term_the_checker_recomputes(tmp_path):
    # Both English lessons cannot start at slot 5: at least one breaks the soft row, at
    # weight 3 per lesson. The term is in the objective (so timetables are compared with
    # it), and the checker's recomputation agrees (solve_checked).
    s = school(rule("start_at", "EN", slots=frozenset({5}), weight=3))
    sol = solve(s, tmp_path)
    found = broken(s, sol, "lesson_times")
    assert sol.objective_terms["soft_rules"] == 3 * len(found) >= 3
    hard = school(rule("start_at", "EN", slots=frozenset({5, 6})))
    assert "soft_rules" not in solve(hard, tmp_path / "hard").objective_terms
