"""Rooms (constraints/rooms.py): the right kind of room, big enough, free, and shared only
where allowed. Kept by a real solve (the timetable counts rooms per slot, the students'
phase picks each lesson's room) and judged by the checker's twins ``room_type``,
``room_capacity``, ``room_unavailable`` and ``room_sharing``; an infeasible twin; a
hand-broken timetable."""

from __future__ import annotations

from dataclasses import replace

from constraints.rooms import HALL_EXTRA, hall_sets
from scheduler.model import Room
from tests.checker_fixtures import MON, TUE, moved, tiny_school, valid_solution
from tests.time_rule_schools import apart, broken, solve, unmet_courses

ROOM_RULES = ("room_type", "room_capacity", "room_unavailable", "room_sharing")


def at_once(rooms: tuple[Room, ...]):
    """``apart`` (MA for S1-S3, EN for S4-S6) with one lesson each, and teachers free only
    at Mon 1: both groups meet then, so they need two rooms at once."""
    base = apart()
    only_first = frozenset(range(1, base.calendar.num_slots))
    return replace(
        base,
        rooms=rooms,
        staff=tuple(replace(p, unavailable=only_first) for p in base.staff),
        courses=tuple(replace(c, lessons=(1,)) for c in base.courses),
    )


def classroom(rid: str, **kw) -> Room:
    return Room(rid, 30, frozenset({"classroom"}), **kw)


def test_two_groups_at_once_take_two_rooms(tmp_path):
    s = at_once((classroom("R1"), classroom("R2")))
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol)
    rooms = {g.course: g.lessons[0].room for g in sol.groups}
    assert sorted(rooms.values()) == ["R1", "R2"]
    for name in ROOM_RULES:
        assert broken(s, sol, name) == []


def test_infeasible_with_one_room_for_two_groups_at_once(tmp_path):
    # One classroom: only one of the two groups can meet at Mon 1.
    sol = solve(at_once((classroom("R1"),)), tmp_path)
    assert len(unmet_courses(sol)) == 1


def test_infeasible_when_the_second_room_is_away_then(tmp_path):
    # Two rooms, but R2 is unavailable at Mon 1, the only slot either group can meet.
    s = at_once((classroom("R1"), classroom("R2", unavailable=frozenset({0}))))
    sol = solve(s, tmp_path)
    assert len(unmet_courses(sol)) == 1
    assert all(lesson.room == "R1" for g in sol.groups for lesson in g.lessons)


def test_a_room_too_small_is_never_given(tmp_path):
    # Three students per group; R1 seats two: both lessons go to R2, on different slots.
    s = replace(apart(), rooms=(Room("R1", 2, frozenset({"classroom"})), classroom("R2")))
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol)
    assert {lesson.room for g in sol.groups for lesson in g.lessons} == {"R2"}


def test_the_checker_finds_each_room_rule_broken():
    sol = valid_solution()
    school = tiny_school()
    assert all(broken(school, sol, name) == [] for name in ROOM_RULES)
    # Science's double in R1 (a classroom, not a lab): the wrong kind of room.
    assert broken(school, moved(sol, "SC.1", 0, room="R1"), "room_type")
    # Maths on Tue 5, when R1 is away.
    assert broken(school, moved(sol, "MA-3.1", 1, slots=(TUE[5],)), "room_unavailable")
    # Geography into the hall at Mon 3, beside both Art groups: three groups in a room
    # that holds two.
    crowded = moved(sol, "GE.1", 0, slots=(MON[3],), room="HALL")
    assert broken(school, crowded, "room_sharing")


def test_room_sets_that_overlap_are_also_counted_as_one():
    # Lessons of rooms {A, B} and of {B, C}: two of each at once fit each set's count
    # but not the three rooms; the union is counted too (Hall's condition).
    a_b, b_c = frozenset("AB"), frozenset("BC")
    sets = hall_sets([a_b, b_c])
    assert sets[:2] == [a_b, b_c]
    assert frozenset("ABC") in sets
    assert len(sets) == 3


def test_room_sets_one_inside_another_need_no_union():
    # Every lesson counted for {A, B} already counts {A}'s: nothing to add.
    assert hall_sets([frozenset("A"), frozenset("AB")]) == [frozenset("A"), frozenset("AB")]
    assert hall_sets([frozenset("AB"), frozenset("CD")]) == [frozenset("AB"), frozenset("CD")]


def test_a_chain_of_room_sets_is_counted_along_its_length_within_the_cap():
    chain = [frozenset(p) for p in ("AB", "BC", "CD", "DE")]
    sets = hall_sets(chain)
    for union in ("ABC", "BCD", "CDE", "ABCD", "BCDE", "ABCDE"):
        assert frozenset(union) in sets
    assert len(sets) == len(set(sets))
    # Many overlapping sets: at most HALL_EXTRA counted beyond the groups' own.
    rooms = [f"R{i}" for i in range(40)]
    many = [frozenset({rooms[i], rooms[(i + 1) % 40], rooms[(i + 7) % 40]}) for i in range(40)]
    assert len(hall_sets(many)) <= len(many) + HALL_EXTRA
