"""Same room when consecutive (constraints/same_room.py, Rules
``same_room_if_consecutive``): kept by a real solve (rooms are chosen in the students'
phase) and judged by the checker's twin ``same_room_if_consecutive``; an infeasible
twin; a hand-broken timetable."""

from __future__ import annotations

from dataclasses import replace

from scheduler.model import Room, School
from tests.checker_fixtures import tiny_school, valid_solution
from tests.time_rule_schools import apart, broken, rule, school, solve, unmet_courses


def english_after_maths_at_mon_1(*rooms: Room, maths_room_type: str | None = None) -> School:
    """English right after Maths' first lesson, which is at Mon 1 (no student takes both),
    in the same room, with these rooms (and Maths wanting this room type)."""
    base = apart()
    maths = base.courses[0]
    if maths_room_type is not None:
        maths = replace(maths, room_type=maths_room_type)
    return school(
        rule("consecutive", "MA.1:1", "EN.1:1"),
        rule("start_at", "MA.1:1", slots=frozenset({0})),
        rule("same_room_if_consecutive", "MA.1", "EN.1"),
        base=replace(base, rooms=rooms, courses=(maths, *base.courses[1:])),
    )


def test_consecutive_lessons_share_a_room(tmp_path):
    # Maths' first lesson at Mon 1, when R1 is away: in R2, and English, which would fit
    # the smaller R1, too.
    s = english_after_maths_at_mon_1(
        Room("R1", 30, frozenset({"classroom"}), unavailable=frozenset({0})),
        Room("R2", 40, frozenset({"classroom"})),
    )
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "same_room_if_consecutive") == []
    ma = min(sol.group_by_id["MA.1"].lessons, key=lambda x: x.slots)
    en = min(sol.group_by_id["EN.1"].lessons, key=lambda x: x.slots)
    assert en.slots[0] == ma.slots[-1] + 1 and en.room == ma.room == "R2"


def test_infeasible_when_they_have_no_room_in_common(tmp_path):
    base = apart()
    s = school(
        rule("consecutive", "MA.1:1", "EN.1:1"),
        rule("same_room_if_consecutive", "MA.1", "EN.1"),
        base=replace(
            base,
            rooms=(Room("R1", 30, frozenset({"maths"})), Room("R2", 30, frozenset({"english"}))),
            courses=(
                replace(base.courses[0], room_type="maths"),
                replace(base.courses[1], room_type="english"),
            ),
        ),
    )
    assert unmet_courses(solve(s, tmp_path))


def test_the_checker_finds_consecutive_lessons_in_two_rooms():
    # AR.1 at Mon 3 in the HALL, GE.1 at Mon 4 in N1; CS.1 at Tue 2 online, SC.1 at Tue 3-4.
    sol = valid_solution()
    ok = tiny_school(
        time_rules=(
            rule("same_room_if_consecutive", "AR.1", "AR.2"),
            rule("same_room_if_consecutive", "CS.1", "SC.1"),
        )
    )
    assert broken(ok, sol, "same_room_if_consecutive") == []
    s = tiny_school(time_rules=(rule("same_room_if_consecutive", "AR.1", "GE.1"),))
    assert broken(s, sol, "same_room_if_consecutive") == [
        (
            "Rules!2: AR.1 lesson 1 at Mon 3 in HALL and GE.1 lesson 1 at Mon 4 in N1 are one "
            "right after the other"
        )
    ]


def test_infeasible_when_the_shared_room_is_away_then(tmp_path):
    # Maths only in R1, at Mon 1; English, right after it, may use R1 or R2, but R1 is
    # away at Mon 2: the timetable cannot see it, the rooms chosen can.
    s = english_after_maths_at_mon_1(
        Room("R1", 30, frozenset({"classroom", "maths"}), unavailable=frozenset({1})),
        Room("R2", 30, frozenset({"classroom"})),
        maths_room_type="maths",
    )
    assert unmet_courses(solve(s, tmp_path))
