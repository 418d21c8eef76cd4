"""Staff min days (constraints/staff_min_days.py, Rules ``staff_min_days``): kept by a
real solve and judged by the checker's twin ``staff_min_days``; an infeasible twin; a
hand-broken timetable."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.staff_min_days import StaffMinDays
from scheduler.checker import check_solution
from tests.checker_fixtures import tiny_school, valid_solution
from tests.time_rule_schools import (
    broken,
    days_of,
    one_teacher,
    rule,
    school,
    section_status,
    solve,
    unmet_courses,
)

MORNINGS = frozenset({0, 1, 4, 5})  # periods 1-2 of Mon and Tue


def test_t1_teaches_on_every_day(tmp_path):
    s = school(rule("staff_min_days", staff=("T1",), value=3), base=one_teacher())
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "staff_min_days") == []
    assert set(days_of(s, sol, "MA.1") + days_of(s, sol, "EN.1")) == {0, 1, 2}


def test_infeasible_when_the_lessons_fit_two_days(tmp_path):
    s = school(
        rule("staff_min_days", staff=("T1",), value=3),
        rule("within", "MA", slots=MORNINGS),
        rule("within", "EN", slots=MORNINGS),
        base=one_teacher(),
    )
    assert unmet_courses(solve(s, tmp_path))


def test_the_checker_counts_the_days():
    # T1 teaches MA-3.1 on Mon and Tue; T5 (CS.1) on Tue only.
    sol = valid_solution()
    s = tiny_school(time_rules=(rule("staff_min_days", staff=("T1", "T5"), value=2),))
    assert broken(s, sol, "staff_min_days") == [
        "Rules!2: T5 teaches on 1 days; at least 2 expected"
    ]
    soft = tiny_school(time_rules=(rule("staff_min_days", staff=("T1",), value=3, weight=4),))
    found = [v for v in check_solution(soft, sol).violations if v.rule == "staff_min_days"]
    assert [v.cost for v in found] == [4]


def test_the_students_phase_keeps_the_least_days_of_the_groups_that_run():
    # MA.1 on Mon, EN.1 on Tue: two days while both run, one when EN.1 does not.
    s = school(rule("staff_min_days", staff=("T1",), value=2), base=one_teacher())
    family = StaffMinDays()
    assert section_status(s, family, 0, 4, {"MA.1": 1, "EN.1": 1}) == cp_model.OPTIMAL
    assert section_status(s, family, 0, 4, {"MA.1": 1, "EN.1": 0}) == cp_model.INFEASIBLE
    assert section_status(s, family, 0, 4, {"MA.1": 0, "EN.1": 0}) == cp_model.OPTIMAL
    soft = school(rule("staff_min_days", staff=("T1",), value=2, weight=5), base=one_teacher())
    assert section_status(soft, family, 0, 4, {"MA.1": 1, "EN.1": 0}) == cp_model.OPTIMAL
