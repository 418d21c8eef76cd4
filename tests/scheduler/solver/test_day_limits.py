"""The greedy lesson placement keeps the Rules sheet's hard limits on a day
(scheduler/solver/day_limits.py): what it places holds in the timetable model with the
row, where without the limits it broke the row."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from scheduler.plan import plan_groups, tentative_sections
from scheduler.solver.day_limits import DayLimits
from scheduler.solver.lesson_greedy import greedy_lessons
from scheduler.solver.staffing import assign_staff
from tests import solver_schools as schools
from tests.scheduler.solver.test_lesson_greedy import assert_keeps_the_model
from tests.solver_schools import timetable_model
from tests.time_rule_schools import one_teacher, rule, school


def placed(s):
    """The greedy's runs on the school's hard rules, and the timetable model to check
    them with."""
    planned = plan_groups(s, 0.9)
    staff_of = assign_staff(s, planned, 10, 1, 1).staff_of
    tm = timetable_model(s, planned, staff_of, tentative={})
    return tm, greedy_lessons(tm, tentative_sections(s, planned), sweeps=8)


def per_day(s, runs) -> Counter:
    return Counter(s.calendar.slots[run[0]].day for rs in runs.values() for run in rs)


def test_staff_most_periods_a_day(monkeypatch):
    # T1 teaches MA and EN, two single lessons each, in 3 days: two a day fit all four;
    # one a day fits three of them, so one group stays out. What is placed keeps the row.
    s = school(rule("staff_max_periods_day", staff=("T1",), value=2), base=one_teacher())
    tm, runs = placed(s)
    assert len(runs) == 2
    assert max(per_day(s, runs).values()) <= 2
    assert_keeps_the_model(tm, runs)
    tight = school(rule("staff_max_periods_day", staff=("T1",), value=1), base=one_teacher())
    tm, runs = placed(tight)
    assert len(runs) == 1  # two groups of two lessons in three days, one a day
    assert max(per_day(tight, runs).values()) == 1
    assert_keeps_the_model(tm, runs)
    monkeypatch.setattr(DayLimits, "allows", lambda *a, **k: True)
    tm, runs = placed(tight)
    assert max(per_day(tight, runs).values()) == 2  # without the limits: broken
    with pytest.raises(AssertionError):
        assert_keeps_the_model(tm, runs)


def test_staff_most_days():
    s = school(rule("staff_max_days", staff=("T1",), value=2), base=one_teacher())
    tm, runs = placed(s)
    assert len(runs) == 2
    assert len(per_day(s, runs)) <= 2
    assert_keeps_the_model(tm, runs)


def test_students_most_periods_a_day(monkeypatch):
    # Six students take MA and EN (two lessons each, 3 days), one group of each (the
    # workbook admits students' rules only so): one a day fits three of the four lessons.
    base = schools.two_courses()
    base = replace(base, courses=tuple(replace(c, sections=1) for c in base.courses))
    s = school(rule("students_max_periods_day", value=1), base=base)
    tm, runs = placed(s)
    assert len(runs) == 1  # (a group that must run left out: for CP-SAT to complete)
    assert max(per_day(s, runs).values()) == 1
    monkeypatch.setattr(DayLimits, "allows", lambda *a, **k: True)
    tm, runs = placed(s)
    assert len(runs) == 2
    assert max(per_day(s, runs).values()) == 2  # without the limits: broken
    with pytest.raises(AssertionError):
        assert_keeps_the_model(tm, runs)


def kept_and_needed(s, monkeypatch) -> None:
    """The greedy places both groups keeping the school's row; without the limits its
    placement breaks the row."""
    tm, runs = placed(s)
    assert len(runs) == 2
    assert_keeps_the_model(tm, runs)
    monkeypatch.setattr(DayLimits, "allows", lambda *a, **k: True)
    tm, runs = placed(s)
    with pytest.raises(AssertionError):
        assert_keeps_the_model(tm, runs)


def test_lessons_days_apart(monkeypatch):
    # The first lessons of MA and EN on different days (each group's lessons are already).
    kept_and_needed(school(rule("min_days_apart", "MA.1:1", "EN.1:1", value=1)), monkeypatch)


def test_staff_most_periods_in_a_row(monkeypatch):
    # T1 teaches MA and EN: without the row, the greedy puts EN right after MA.
    s = school(rule("staff_max_in_a_row", staff=("T1",), value=1), base=one_teacher())
    kept_and_needed(s, monkeypatch)


def test_lessons_periods_apart(monkeypatch):
    kept_and_needed(school(rule("min_gap", "MA", "EN", value=1), base=one_teacher()), monkeypatch)
