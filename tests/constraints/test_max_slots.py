"""Lessons within a budget of slots (constraints/max_slots.py, Rules
``lessons_max_slots``): kept by a real solve and judged by the checker's twin
``lessons_max_slots``; an infeasible twin; a hand-broken timetable."""

from __future__ import annotations

from tests.checker_fixtures import MON, tiny_school, valid_solution
from tests.time_rule_schools import broken, lessons_of, rule, school, solve, unmet_courses

WINDOW = frozenset({0, 1, 4, 5, 8})  # periods 1-2 of Mon and Tue, Wed 1
MONDAY = frozenset({0, 1, 2, 3})
TIMES = (rule("within", "MA", slots=WINDOW), rule("within", "EN", slots=WINDOW))


def test_at_most_one_lesson_on_monday(tmp_path):
    s = school(rule("lessons_max_slots", "MA", "EN", slots=MONDAY, value=1), *TIMES)
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "lessons_max_slots") == []
    monday = [x for g in ("MA.1", "EN.1") for x in lessons_of(sol, g) if x[0] in MONDAY]
    assert len(monday) <= 1


def test_infeasible_with_too_few_slots(tmp_path):
    # Four lessons, at most two of them on Monday and Tuesday, Wednesday holds one.
    s = school(rule("lessons_max_slots", "MA", "EN", slots=frozenset(range(8)), value=2), *TIMES)
    assert unmet_courses(solve(s, tmp_path))


def test_the_checker_counts_the_slots_held():
    # MA-3.1 at Mon 2, AR.1 and AR.2 both at Mon 3: two of Monday's slots.
    sol = valid_solution()
    monday = frozenset(MON.values())
    s = tiny_school(time_rules=(rule("lessons_max_slots", "MA-3", "AR", slots=monday, value=1),))
    assert broken(s, sol, "lessons_max_slots") == [
        "Rules!2: the lessons hold 2 of the row's slots; at most 1"
    ]
    two = tiny_school(time_rules=(rule("lessons_max_slots", "MA-3", "AR", slots=monday, value=2),))
    assert broken(two, sol, "lessons_max_slots") == []
