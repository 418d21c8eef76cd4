"""Rooming the greedy student placement (scheduler.solver.section_greedy): first fit in order
of start time, and an exact repair when first fit leaves a group without a room."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from constraints.base import SectionModel, TimedGroup, TimedLesson
from scheduler.model import Course, Qualification, Room, School, Settings, Staff, Student
from scheduler.solver.section_greedy import (
    exact_rooms,
    greedy_rooms,
    hint_placement,
    seat_rooms_and_tutors,
)
from tests.scheduler.solver.test_neighbourhoods import section_model as built
from tests.solver_schools import calendar, req

PERIODS = 6


def school_of(
    lessons: list[tuple[int, int]], sizes: list[int], rooms: tuple[Room, ...]
) -> tuple[School, tuple[TimedGroup, ...]]:
    """One course per lesson (start, length) on one day, with ``sizes[i]`` students each."""
    courses, students, requests, groups = [], [], [], []
    for i, ((start, length), n) in enumerate(zip(lessons, sizes)):
        cid = f"C{i}"
        courses.append(Course(cid, cid, (length,), 1, 30))
        for k in range(n):
            sid = f"S{i}_{k}"
            students.append(Student(sid, 9))
            requests.append(req(sid, cid))
        groups.append(
            TimedGroup(
                f"{cid}.1",
                cid,
                1,
                (TimedLesson(tuple(range(start, start + length))),),
                ("T",),
                False,
            )
        )
    school = School(
        calendar=calendar(("Mon",), periods=PERIODS),
        rooms=rooms,
        staff=(Staff("T", qualifications=tuple(Qualification(c.subject) for c in courses)),),
        courses=tuple(courses),
        students=tuple(students),
        requests=tuple(requests),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )
    return school, tuple(groups)


def section_model(school: School, groups) -> SectionModel:
    return built(school, groups)[0]


def everyone_in_their_group(sm: SectionModel) -> dict[str, set[str]]:
    return {s: set(row) for s, row in sm.take.items()}


def valid(sm: SectionModel, rooms: dict[tuple[str, int], str], chosen) -> None:
    """Every lesson of every group with students has one eligible room, none double-booked."""
    running = {g for gs in chosen.values() for g in gs}
    used: dict[tuple[str, int], str] = {}
    for (gid, li), r in rooms.items():
        assert r in sm.room[(gid, li)]
        for t in sm.group_by_id[gid].lessons[li].slots:
            assert (r, t) not in used, f"{r} at {t}: {used[(r, t)]} and {gid}"
            used[(r, t)] = gid
    assert {gid for gid, _ in rooms} == running


def packed(rows: list[list[tuple[int, int, int]]]) -> list[tuple[tuple[int, int], int]]:
    """Lessons ((start, length), size) that k rooms could hold: row i's (gap, length, size)
    laid one after another in room i while they fit the day."""
    out = []
    for row in rows:
        t = 0
        for gap, length, n in row:
            if t + gap + length > PERIODS:
                break
            out.append(((t + gap, length), n))
            t += gap + length
    return out


lesson = st.tuples(st.integers(0, 2), st.integers(1, 3), st.integers(1, 4))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(lesson, max_size=4), min_size=1, max_size=3), st.randoms())
def test_identical_rooms_never_leave_a_lesson_out_when_each_period_has_enough(rows, rnd):
    """Interval partitioning: lessons that k identical rooms could hold (at most k in any
    period), given in any order, are all seated by rooming in order of start time."""
    given_ = packed(rows)
    rnd.shuffle(given_)
    if not given_:
        return
    rooms = tuple(Room(f"R{i}", 30, frozenset({"classroom"})) for i in range(len(rows)))
    school, groups = school_of([run for run, _ in given_], [n for _, n in given_], rooms)
    sm = section_model(school, groups)
    chosen = everyone_in_their_group(sm)
    out = greedy_rooms(sm, chosen)
    assert all(chosen.values()), "a group was left without a room"
    valid(sm, out, chosen)


def trap() -> tuple[School, tuple[TimedGroup, ...]]:
    """Two rooms, R1 seats 20 and R2 seats 30. Y (15 students) meets in period 1, Z (25)
    in period 2, X (10) in periods 1-2. Best fit puts Y in R1, then X in R2 for both
    periods, and Z (too big for R1) finds no room. Right: X in R1, Y and Z in R2."""
    rooms = (Room("R1", 20, frozenset({"classroom"})), Room("R2", 30, frozenset({"classroom"})))
    return school_of([(0, 1), (0, 2), (1, 1)], [15, 10, 25], rooms)


def test_first_fit_leaves_a_group_out_of_the_trap():
    sm = section_model(*trap())
    chosen = everyone_in_their_group(sm)
    greedy_rooms(sm, chosen)
    assert sum(1 for gs in chosen.values() if not gs) == 25  # Z's students lost their group


def test_exact_rooms_seat_every_group_of_the_trap():
    sm = section_model(*trap())
    chosen = everyone_in_their_group(sm)
    out = exact_rooms(sm, chosen, {}, 5.0)
    assert out is not None and all(chosen.values())
    valid(sm, out, chosen)
    assert out[("C1.1", 0)] == "R1"


def test_the_hint_keeps_the_exact_rooms_when_first_fit_falls_short():
    sm = section_model(*trap())
    chosen = everyone_in_their_group(sm)
    hint_placement(sm, chosen, *seat_rooms_and_tutors(sm, chosen))
    assert all(chosen.values())
    hint = dict(zip(sm.model.proto.solution_hint.vars, sm.model.proto.solution_hint.values))
    assert all(hint[sm.met[i].index] == 1 for i in sm.met)
    rooms = {k: r for k, row in sm.room.items() for r, v in row.items() if hint[v.index]}
    valid(sm, rooms, chosen)


# ---- the per-student search of the greedy placement ------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.frozensets(st.integers(0, 5), min_size=1, max_size=2), min_size=1, max_size=3),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 4),
    st.integers(0, 3),
    st.randoms(),
)
def test_the_student_search_finds_the_best_set_of_groups(courses, cores, quota, rnd):
    """Against brute force: courses of groups (each a set of slots), the first ``cores``
    of them core (worth 10,000), the rest options in order of choice (100, 90, ...), at most
    ``quota`` options; the most valuable clash-free choice is found."""
    from itertools import product
    from types import SimpleNamespace

    from scheduler.solver.section_greedy import best_groups

    groups = {
        f"C{c}.{k}": SimpleNamespace(slots=slots)
        for c, gs in enumerate(courses)
        for k, slots in enumerate(gs)
    }
    wishes = [
        (f"C{c}", 10_000 if c < cores else 100 - 10 * (c - cores), c < cores)
        for c in range(len(courses))
    ]
    sm = SimpleNamespace(group_by_id=groups)

    def options(course):
        return [g for g in groups if g.startswith(course + ".")]

    size = dict.fromkeys(groups, 0)
    capacity = dict.fromkeys(groups, 1)
    picked, value = best_groups(wishes, options, sm, size, capacity, rnd, {}, quota, None, 10**6)
    best = 0
    for choice in product(*[[None, *options(c)] for c, _, _ in wishes]):
        taken = [g for g in choice if g is not None]
        slots = [groups[g].slots for g in taken]
        if sum(len(x) for x in slots) != len(frozenset().union(*slots)):
            continue
        if sum(1 for (_, _, core), g in zip(wishes, choice) if g and not core) > quota:
            continue
        best = max(best, sum(w for (_, w, _), g in zip(wishes, choice) if g))
    assert value == best
    chosen_slots = [groups[g].slots for g in picked]
    assert sum(len(x) for x in chosen_slots) == len(frozenset().union(*chosen_slots))
