"""Staff periods a day (constraints/staff_day_load.py, Rules ``staff_max_periods_day``
and ``staff_min_periods_day``): kept by a real solve and judged by the checker's twin
``staff_periods_day``; infeasible twins; hand-broken timetables."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from ortools.sat.python import cp_model

from constraints.staff_day_load import StaffDayLoad
from scheduler.model import School
from scheduler.solution import Solution
from tests.checker_fixtures import MON, tiny_school, valid_solution, variant, with_group
from tests.time_rule_schools import (
    broken,
    one_teacher,
    rule,
    school,
    section_status,
    solve,
    unmet_courses,
)


def three_lessons() -> School:
    """``one_teacher`` with English down to one lesson: T1 teaches three singles."""
    base = one_teacher()
    return replace(
        base,
        courses=tuple(replace(c, lessons=(1,)) if c.id == "EN" else c for c in base.courses),
    )


def per_day(s: School, sol: Solution) -> Counter[str]:
    return Counter(s.calendar.slots[t].day for g in sol.groups for t in g.slots)


def test_without_the_rule_t1_teaches_two_on_a_day(tmp_path):
    s = school(base=three_lessons())
    assert max(per_day(s, solve(s, tmp_path)).values()) == 2


def test_at_most_one_a_day(tmp_path):
    s = school(rule("staff_max_periods_day", value=1), base=three_lessons())
    sol = solve(s, tmp_path)
    assert per_day(s, sol) == Counter({"Mon": 1, "Tue": 1, "Wed": 1})
    assert not unmet_courses(sol)


def test_infeasible_four_lessons_one_a_day_on_three_days(tmp_path):
    sol = solve(school(rule("staff_max_periods_day", value=1), base=one_teacher()), tmp_path)
    assert len(unmet_courses(sol)) == 1


WED = rule("start_at", "EN.1:2", slots=frozenset({8, 9, 10, 11}))  # EN's second on Wed


def test_without_the_rule_wednesday_has_one_lesson(tmp_path):
    s = school(WED, base=one_teacher())
    assert per_day(s, solve(s, tmp_path))["Wed"] == 1


def test_at_least_two_on_a_day_taught(tmp_path):
    s = school(WED, rule("staff_min_periods_day", staff=("T1",), value=2), base=one_teacher())
    sol = solve(s, tmp_path)
    assert set(per_day(s, sol).values()) == {2} and per_day(s, sol)["Wed"] == 2
    assert not unmet_courses(sol)


def test_infeasible_two_a_day_for_three_singles(tmp_path):
    # Maths' two lessons are on two days, so English's one makes a day of one.
    sol = solve(school(rule("staff_min_periods_day", value=2), base=three_lessons()), tmp_path)
    assert unmet_courses(sol)


def test_the_checker_counts_periods_a_day():
    # T1 teaches MA-3.1 at Mon 2 and Tue 2; give T1 AR.1 at Mon 3 too.
    sol = valid_solution()
    moved = variant(sol, groups=with_group(sol, "AR.1", staff=("T1",)))
    most = tiny_school(time_rules=(rule("staff_max_periods_day", staff=("T1",), value=1),))
    assert broken(most, moved, "staff_periods_day") == [
        "Rules!2: T1 teaches 2 periods on Mon; at most 1"
    ]
    least = tiny_school(time_rules=(rule("staff_min_periods_day", staff=("T1",), value=2),))
    assert broken(least, moved, "staff_periods_day") == [
        "Rules!2: T1 teaches 1 periods on Tue; at least 2"
    ]
    assert broken(most, sol, "staff_periods_day") == []
    assert MON[3] in next(g for g in moved.groups if g.id == "AR.1").slots


def test_the_students_phase_keeps_a_day_s_least_periods_of_the_groups_that_run():
    # A group no student joins does not run: its teacher's day may then fall short (on
    # the 600-student regression school with "at least 2 a day", the solve wrote none).
    s = school(rule("staff_min_periods_day", staff=("T1",), value=2), base=one_teacher())
    family = StaffDayLoad()
    assert section_status(s, family, 0, 1, {"MA.1": 1, "EN.1": 1}) == cp_model.OPTIMAL
    assert section_status(s, family, 0, 1, {"MA.1": 1, "EN.1": 0}) == cp_model.INFEASIBLE
    assert section_status(s, family, 0, 1, {"MA.1": 0, "EN.1": 0}) == cp_model.OPTIMAL
    assert section_status(s, family, 0, 4, {"MA.1": 1, "EN.1": 1}) == cp_model.INFEASIBLE
    soft = school(
        rule("staff_min_periods_day", staff=("T1",), value=2, weight=5), base=one_teacher()
    )
    assert section_status(soft, family, 0, 1, {"MA.1": 1, "EN.1": 0}) == cp_model.OPTIMAL
