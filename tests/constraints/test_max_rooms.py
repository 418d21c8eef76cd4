"""Lessons in few rooms (constraints/max_rooms.py, Rules ``lessons_max_rooms``): kept by
a real solve (rooms are chosen in the students' phase) and judged by the checker's twin
``lessons_max_rooms``; an infeasible twin; a hand-broken timetable."""

from __future__ import annotations

from dataclasses import replace

from scheduler.checker import check_solution
from scheduler.model import Room
from tests.checker_fixtures import tiny_school, valid_solution
from tests.time_rule_schools import apart, broken, rule, school, solve, unmet_courses

FIRSTS = frozenset({0, 4})  # Mon 1, Tue 1 (3 days of 4 periods)


def rooms_used(sol, *gids: str) -> set[str | None]:
    return {lesson.room for g in gids for lesson in sol.group_by_id[g].lessons}


def test_four_lessons_in_one_room(tmp_path):
    # MA and EN have no student in common and two rooms: one room for all four lessons.
    s = school(rule("lessons_max_rooms", "MA.1", "EN.1", value=1), base=apart())
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "lessons_max_rooms") == []
    assert len(rooms_used(sol, "MA.1", "EN.1")) == 1


def test_infeasible_when_they_meet_at_once(tmp_path):
    # All four at Mon 1 and Tue 1: two at once, and one room holds one group.
    s = school(
        rule("within", "MA", slots=FIRSTS),
        rule("within", "EN", slots=FIRSTS),
        rule("lessons_max_rooms", "MA.1", "EN.1", value=1),
        base=apart(),
    )
    assert unmet_courses(solve(s, tmp_path))


def test_the_checker_counts_the_rooms():
    # MA-3.1 in R1 (twice), GE.1 in N1, AR.1 and AR.2 in the HALL, CS.1 online.
    sol = valid_solution()
    ok = tiny_school(
        time_rules=(
            rule("lessons_max_rooms", "AR.1", "AR.2", value=1),
            rule("lessons_max_rooms", "MA-3.1", "CS.1", value=1),
        )
    )
    assert broken(ok, sol, "lessons_max_rooms") == []
    s = tiny_school(
        time_rules=(rule("lessons_max_rooms", "MA-3.1", "GE.1", "AR.1", value=1, weight=2),)
    )
    assert broken(s, sol, "lessons_max_rooms") == [
        "Rules!2: the lessons use 3 rooms (HALL, N1 and R1); at most 1 (soft, weight 2)"
    ]
    costs = [v.cost for v in check_solution(s, sol).violations if v.rule == "lessons_max_rooms"]
    assert costs == [4]


def test_infeasible_when_no_one_room_is_free_for_all(tmp_path):
    # Maths' first lesson at Mon 1, when R1 is away; English at Tue 2 and Wed 2, R2 away
    # at Tue 2: two rooms. The timetable cannot see it, the rooms chosen can.
    base = apart()
    s = school(
        rule("start_at", "MA.1:1", slots=frozenset({0})),
        rule("within", "EN", slots=frozenset({5, 9})),
        rule("lessons_max_rooms", "MA.1", "EN.1", value=1),
        base=replace(
            base,
            rooms=(
                Room("R1", 30, frozenset({"classroom"}), unavailable=frozenset({0})),
                Room("R2", 30, frozenset({"classroom"}), unavailable=frozenset({5})),
            ),
        ),
    )
    assert unmet_courses(solve(s, tmp_path))
