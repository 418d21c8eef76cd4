"""Staff max days (constraints/staff_days.py, Rules ``staff_max_days``): a member of
staff teaches on at most N days, kept by a real solve and judged by the checker's twin;
an infeasible twin; soft with a weight; a hand-broken timetable."""

from __future__ import annotations

from scheduler.solution import Solution
from tests.checker_fixtures import tiny_school, valid_solution
from tests.time_rule_schools import (
    broken,
    days_of,
    one_teacher,
    rule,
    school,
    solve,
    unmet_courses,
)


def t1_days(s, sol: Solution) -> set[int]:
    return set(days_of(s, sol, "MA.1")) | set(days_of(s, sol, "EN.1"))


def test_without_the_rule_t1_teaches_on_two_days_here(tmp_path):
    # MA.1 at Mon 2, Tue 2 and EN.1 at Mon 1, Tue 1 (seed 1, one worker); Wednesday's
    # lock below moves EN to three days without the rule.
    s = school(rule("start_at", "EN.1:2", slots=frozenset({8})), base=one_teacher())
    assert t1_days(s, solve(s, tmp_path)) == {0, 1, 2}


def test_at_most_two_days(tmp_path):
    s = school(
        rule("start_at", "EN.1:2", slots=frozenset({8})),
        rule("staff_max_days", staff=("T1",), value=2),
        base=one_teacher(),
    )
    sol = solve(s, tmp_path)
    assert len(t1_days(s, sol)) == 2 and 2 in t1_days(s, sol)
    assert not unmet_courses(sol)


def test_infeasible_one_day_for_two_lessons_of_a_group(tmp_path):
    # Rule 4 puts each course's two lessons on two days: neither fits T1's one day.
    sol = solve(school(rule("staff_max_days", value=1), base=one_teacher()), tmp_path)
    assert unmet_courses(sol) == {"MA", "EN"} and not sol.group_by_id


def test_soft_is_reported_with_its_weight(tmp_path):
    s = school(rule("staff_max_days", value=1, weight=7), base=one_teacher())
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol)
    (msg,) = broken(s, sol, "staff_max_days")
    assert msg.startswith("Rules!2: T1 teaches on ") and msg.endswith("(soft, weight 7)")


def test_the_checker_flags_a_day_too_many():
    # T1 teaches MA-3.1 on Mon and Tue.
    s = tiny_school(time_rules=(rule("staff_max_days", staff=("T1",), value=1),))
    assert broken(s, valid_solution(), "staff_max_days") == [
        "Rules!2: T1 teaches on 2 days; at most 1 expected"
    ]
    every = tiny_school(time_rules=(rule("staff_max_days", value=2),))
    assert broken(every, valid_solution(), "staff_max_days") == []
