"""Lessons side by side (constraints/lesson_pairs.py, Rules ``consecutive`` and
``grouped``, of two lessons or three): kept by a real solve and judged by the checker's twin ``lesson_pairs``; an
infeasible twin; hand-broken timetables; the workbook's checks of the row."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from scheduler.model import Course, Qualification, Staff
from tests import solver_schools as schools
from tests.checker_fixtures import MON, tiny_school, valid_solution
from tests.time_rule_schools import broken, lessons_of, rule, school, solve, unmet_courses
from tests.workbook_fixtures import rules_errors

LAST = frozenset({3, 7, 11})  # period 4 of each day


def test_consecutive_the_second_right_after_the_first(tmp_path):
    s = school(rule("consecutive", "MA.1:1", "EN.1:2"))
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "lesson_pairs") == []
    first = lessons_of(sol, "MA.1")[0]
    second = lessons_of(sol, "EN.1")[1]
    assert second[0] == first[-1] + 1 and second[0] // 4 == first[0] // 4


def test_consecutive_infeasible_after_the_last_period(tmp_path):
    # Maths only at period 4: nothing can follow it that day.
    s = school(rule("consecutive", "MA.1:1", "EN.1:2"), rule("start_at", "MA", slots=LAST))
    assert unmet_courses(solve(s, tmp_path))


def test_grouped_either_order(tmp_path):
    s = school(rule("grouped", "MA.1:1", "EN.1:1"), rule("start_at", "MA", slots=LAST))
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "lesson_pairs") == []
    ma, en = lessons_of(sol, "MA.1")[0], lessons_of(sol, "EN.1")[0]
    assert en[-1] + 1 == ma[0]  # English right before Maths


def test_the_checker_finds_lessons_apart():
    # AR.1 at Mon 3, GE.1 at Mon 4, SC.1 at Tue 3-4, MA-3.1 at Mon 2 and Tue 2.
    sol = valid_solution()
    ok = tiny_school(
        time_rules=(
            rule("consecutive", "AR.1", "GE.1"),
            rule("grouped", "GE.1", "AR.1"),
            rule("consecutive", "MA-3.1:2", "SC.1"),
        )
    )
    assert broken(ok, sol, "lesson_pairs") == []
    apart = tiny_school(time_rules=(rule("consecutive", "GE.1", "AR.1"),))
    assert broken(apart, sol, "lesson_pairs") == [
        "Rules!2: AR.1 lesson 1 at Mon 3 is not right after GE.1 lesson 1 at Mon 4 on its day"
    ]
    soft = tiny_school(time_rules=(rule("grouped", "MA-3.1:1", "SC.1", weight=7),))
    assert broken(soft, sol, "lesson_pairs") == [
        (
            "Rules!2: SC.1 lesson 1 at Tue 3-4 is not next to MA-3.1 lesson 1 at Mon 2 on its "
            "day (soft, weight 7)"
        )
    ]


def test_the_workbook_wants_two_single_lessons(tmp_path: Path) -> None:
    rules = rules_errors(
        tmp_path,
        {"rule": "consecutive", "lessons": "MA-3.1:1, SC.1:1, AR.1:1"},
        {"rule": "grouped", "lessons": "MA-3.1, SC.1:1"},
        {"rule": "consecutive", "lessons": "PRJ, AR.1"},
    )
    assert len(rules) == 2
    assert rules[0].startswith("Rules!2, lessons: names 3 reference(s); a consecutive rule")
    assert rules[1].startswith("Rules!3, lessons: MA-3.1 names more than one lesson")


def test_a_break_between_the_two_does_not_keep_them_apart():
    # MA-3.1's first lesson at Mon 2, GE.1 at Mon 4: Mon 3 a break in between.
    sol = valid_solution()
    pair = rule("consecutive", "MA-3.1:1", "GE.1")
    assert broken(tiny_school(time_rules=(pair,)), sol, "lesson_pairs")
    s = tiny_school(time_rules=(replace(pair, slots=frozenset({MON[3]})),))
    assert broken(s, sol, "lesson_pairs") == []


def three_courses():
    """``two_courses`` with a third, Art (one lesson, T3), that every student takes."""
    base = schools.two_courses()
    t3 = Staff("T3", qualifications=(Qualification("Art"),))
    return replace(
        base,
        staff=(*base.staff, t3),
        courses=(*base.courses, Course("AR", "Art", (1,), 1, 30)),
        requests=(*base.requests, *(schools.req(s.id, "AR") for s in base.students)),
    )


def test_three_grouped_in_one_block(tmp_path):
    s = school(
        rule("grouped", "MA.1:1", "AR.1", "EN.1:2"),
        rule("start_at", "MA", slots=LAST),
        base=three_courses(),
    )
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "lesson_pairs") == []
    block = sorted(
        [lessons_of(sol, "MA.1")[0], lessons_of(sol, "AR.1")[0], lessons_of(sol, "EN.1")[1]]
    )
    assert [x[0] for x in block] == [block[0][0], block[0][0] + 1, block[0][0] + 2]
    assert block[2] == lessons_of(sol, "MA.1")[0]  # Maths at period 4 ends the block


def test_three_grouped_infeasible_with_two_lessons_of_one_course(tmp_path):
    # Maths' two lessons are on different days (rule 4): never in one block.
    s = school(rule("grouped", "MA.1:1", "AR.1", "MA.1:2"), base=three_courses())
    assert unmet_courses(solve(s, tmp_path))


def test_the_checker_finds_three_lessons_apart():
    # MA-3.1 at Mon 2 and Tue 2, AR.1 at Mon 3, GE.1 at Mon 4.
    sol = valid_solution()
    ok = tiny_school(time_rules=(rule("grouped", "GE.1", "MA-3.1:1", "AR.1"),))
    assert broken(ok, sol, "lesson_pairs") == []
    s = tiny_school(time_rules=(rule("grouped", "GE.1", "MA-3.1:2", "AR.1"),))
    assert broken(s, sol, "lesson_pairs") == [
        (
            "Rules!2: AR.1 lesson 1 at Mon 3, GE.1 lesson 1 at Mon 4, MA-3.1 lesson 2 at Tue 2 "
            "are not one after another on one day"
        )
    ]


def test_the_workbook_takes_three_grouped_not_four(tmp_path: Path) -> None:
    rules = rules_errors(
        tmp_path,
        {"rule": "grouped", "lessons": "MA-3.1:1, SC.1:1, AR.1:1"},
        {"rule": "grouped", "lessons": "MA-3.1:1, SC.1, AR.1, MA-3.1:2"},
    )
    assert len(rules) == 1
    assert rules[0].startswith(
        "Rules!3, lessons: names 4 reference(s); a grouped rule ties two or three"
    )
