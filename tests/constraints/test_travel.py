"""Travel in the students' phase: the time needed is the one from the earlier lesson's
site to the later one's (Travel rows may differ by direction)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from ortools.sat.python import cp_model

from constraints.base import TimedGroup, TimedLesson
from scheduler.solver.section_greedy import greedy_sections
from tests import solver_schools as schools
from tests.scheduler.solver.test_neighbourhoods import section_model


def one_way_school():
    """travel_school, but only Partner -> Main takes time (30 min); Main -> Partner is 0."""
    base = schools.travel_school()
    return replace(base, travel=(("Partner", "Main", 30), ("Main", "Partner", 0)))


def can_take_both(ma_slot: int, ph_slot: int) -> bool:
    school = one_way_school()
    timed = [
        TimedGroup("MA.1", "MA", 1, (TimedLesson((ma_slot,)),), ("T1",), True),
        TimedGroup("PH.1", "PH", 1, (TimedLesson((ph_slot,)),), ("T2",), True),
    ]
    sm, _ = section_model(school, timed)
    for gid in ("MA.1", "PH.1"):
        sm.model.add(sm.take["S1"][gid] == 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    status = solver.solve(sm.model)
    assert status != cp_model.UNKNOWN
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


@pytest.mark.parametrize(
    ("ma", "ph", "ok"),
    [
        (1, 0, False),  # Physics (Partner) then Maths (Main) next period: 5 min, 30 needed
        (0, 1, True),  # Maths (Main) then Physics (Partner): no travel time needed
        (2, 0, True),  # a free period between: 65 min
    ],
)
def test_travel_direction_follows_lesson_order(ma, ph, ok):
    assert can_take_both(ma, ph) is ok


@pytest.mark.parametrize(("ma", "ph", "ok"), [(1, 0, False), (0, 1, True)])
def test_greedy_placement_reads_travel_in_lesson_order(ma, ph, ok):
    school = one_way_school()
    timed = [
        TimedGroup("MA.1", "MA", 1, (TimedLesson((ma,)),), ("T1",), True),
        TimedGroup("PH.1", "PH", 1, (TimedLesson((ph,)),), ("T2",), True),
    ]
    sm, _ = section_model(school, timed)
    chosen = greedy_sections(sm, seed=0)
    assert (chosen["S1"] == {"MA.1", "PH.1"}) is ok
    assert len(chosen["S1"]) == (2 if ok else 1)


def test_timetable_reads_staff_travel_in_lesson_order(tmp_path):
    """One teacher, one lesson of Maths on Main and one of Physics on Partner, free only in
    periods 1-2 of Mon: Physics first would need 30 minutes back to Main with 5; Maths
    first needs none. The only timetable is Maths in period 1, Physics in period 2."""
    from scheduler.model import Qualification, Staff
    from tests.scheduler.solver.test_solve import solve_checked

    base = one_way_school()
    mon_12 = {0, 1}
    t1 = Staff(
        "T1",
        qualifications=(Qualification("Maths"), Qualification("Physics")),
        unavailable=frozenset(range(base.calendar.num_slots)) - mon_12,
    )
    courses = tuple(replace(c, lessons=(1,)) for c in base.courses)
    school = replace(base, staff=(t1,), courses=courses)
    sol, _, _ = solve_checked(school, tmp_path)
    first = {g.course: g.lessons[0].slots for g in sol.groups}
    assert first == {"MA": (0,), "PH": (1,)}


@pytest.mark.parametrize(("ph_slot", "kept"), [(1, False), (3, True)])
def test_greedy_placement_leaves_a_group_out_of_reach_of_tutor_time(ph_slot, kept):
    """Tutor time at Mon 1 on the Main site: Physics at the Partner site in the next
    period leaves 5 minutes of the 30 needed, so the students leave Physics (unmet, not
    the travel rule broken); two periods later it is kept. (Maths, at Main, is on Tue.)"""
    from scheduler.model import Room, TutorGroup
    from scheduler.solver.section_greedy import seat_rooms_and_tutors

    base = schools.travel_school()
    school = replace(
        base,
        rooms=(*base.rooms, Room("M2", 30, frozenset({"tutor"}))),
        tutor_groups=(TutorGroup("TG1", "T1", 30, frozenset({0}), "M2"),),
    )
    timed = [
        TimedGroup("MA.1", "MA", 1, (TimedLesson((5,)),), ("T1",), True),
        TimedGroup("PH.1", "PH", 1, (TimedLesson((ph_slot,)),), ("T2",), True),
    ]
    sm, _ = section_model(school, timed)
    chosen = {s: {"MA.1", "PH.1"} for s in ("S1", "S2")}
    _, tutors = seat_rooms_and_tutors(sm, chosen)
    assert tutors == {"S1": "TG1", "S2": "TG1"}
    assert all(("PH.1" in groups) is kept and "MA.1" in groups for groups in chosen.values())


def test_close_runs_are_every_pair_too_close_for_the_travel_between():
    """The timetable's travel pairs (close_runs, which takes runs day by day) are exactly,
    and in the same order, the pairs of runs on one day whose gap is shorter than the
    travel from the earlier lesson's site to the later one's, read run by run. One-way
    travel and a double lesson, so that direction and run ends both count."""
    from constraints.travel import close_runs, too_close, too_far, travel_need
    from scheduler.plan import plan_groups

    base = one_way_school()
    courses = (replace(base.courses[0], lessons=(2, 1)), base.courses[1])
    school = replace(base, courses=courses)
    planned = plan_groups(school)
    staff_of = {g.id: ("T1" if g.course == "MA" else "T2",) for g in planned}
    tm = schools.timetable_model(school, planned, staff_of)
    ma, ph = (next(g.id for g in planned if g.course == c) for c in ("MA", "PH"))
    found = 0
    for g1, site1, g2, site2 in ((ma, "Main", ph, "Partner"), (ph, "Partner", ma, "Main")):
        by_pair = [
            (v1, v2)
            for opts1 in tm.place[g1]
            for opts2 in tm.place[g2]
            for r1, v1 in opts1.items()
            for r2, v2 in opts2.items()
            if (gap := too_close(school, r1, r2)) is not None
            and gap < travel_need(school, r1, site1, r2, site2)
        ]
        assert list(close_runs(tm, g1, site1, g2, site2)) == by_pair
        pairs = [
            (r1, r2)
            for opts1 in tm.place[g1]
            for opts2 in tm.place[g2]
            for r1 in opts1
            for r2 in opts2
        ]
        for r1, r2 in pairs:
            gap = too_close(school, r1, r2)
            expected = gap is not None and gap < travel_need(school, r1, site1, r2, site2)
            assert too_far(school, r1, site1, r2, site2) is expected
        found += len(by_pair)
    assert found  # some runs are too close: the test compares something


#: Maths (Main) and two groups of Physics (Partner): Mon 1-4 are slots 0-3, Tue 4-7.
#: A student taking both courses has two pairs of lessons too close for the 30 minutes:
#: MA.1 Mon 1 then PH.1 Mon 2, and MA.1 Tue 1 then PH.2 Tue 2 (PH.1 and PH.2 are on
#: one site; every other pair has a free period or a night between).
CLOSE_TWICE = (
    TimedGroup("MA.1", "MA", 1, (TimedLesson((0,)), TimedLesson((4,))), ("T1",), False),
    TimedGroup("PH.1", "PH", 1, (TimedLesson((1,)), TimedLesson((6,))), ("T2",), False),
    TimedGroup("PH.2", "PH", 2, (TimedLesson((2,)), TimedLesson((5,))), ("T2",), False),
)


def travel_part(limit: int | None):
    """The students' model of travel_school on CLOSE_TWICE, every rule but travel built,
    then travel's part with ``limit``: (model, constraints travel added, its size count)."""
    from constraints.travel import TravelRule, student_travel_size

    school = schools.travel_school()
    sm, _ = schools.section_model(school, CLOSE_TWICE, leave_out=(TravelRule().name,))
    site_of = {r.id: r.site for r in school.rooms}
    lessons = {
        g.id: [
            (li, lesson.slots, frozenset(site_of[r] for r in sm.room[(g.id, li)]))
            for li, lesson in enumerate(g.lessons)
        ]
        for g in CLOSE_TWICE
    }
    size = student_travel_size(school, sm, lessons, 10**9)
    before = len(sm.model.proto.constraints)
    sm.travel_limit = limit
    TravelRule().section(sm)
    return sm, len(sm.model.proto.constraints) - before, size


def test_the_students_travel_size_is_what_the_rule_builds():
    """Two students, two close pairs each (staff teach on one site only): four."""
    sm, added, size = travel_part(None)
    assert (added, size) == (4, 4)
    assert not sm.travel_too_large


@pytest.mark.parametrize(("limit", "built"), [(3, False), (4, True)])
def test_students_travel_over_the_limit_is_not_built(limit, built):
    sm, added, _ = travel_part(limit)
    assert (added == 4) is built
    assert sm.travel_too_large is not built


def test_on_sites_a_student_never_takes_two_lessons_too_close():
    """travel_on_sites, with Maths in its room on Main and Physics in the lab on Partner:
    a student cannot take Maths and either group of Physics (each has a lesson right
    after a Maths lesson); Physics alone, or Maths alone, is fine."""
    from constraints.travel import travel_on_sites

    for wanted, ok in ((("MA.1", "PH.1"), False), (("MA.1", "PH.2"), False), (("PH.1",), True)):
        sm, added, _ = travel_part(0)
        assert added == 0 and sm.travel_too_large
        rooms = {("MA.1", 0): "M1", ("MA.1", 1): "M1"}
        travel_on_sites(sm, rooms)
        for gid in wanted:
            sm.model.add(sm.take["S1"][gid] == 1)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        status = solver.solve(sm.model)
        assert status != cp_model.UNKNOWN
        assert (status in (cp_model.OPTIMAL, cp_model.FEASIBLE)) is ok


def test_over_the_limit_the_students_are_searched_on_their_lessons_sites(monkeypatch):
    """A students' model whose exact travel would be too large is searched with each
    lesson on its greedy room's site; its answer passes the checker."""
    from scheduler.checker import check_solution
    from scheduler.plan import plan_groups
    from scheduler.solver import engine
    from scheduler.solver.engine import Progress, SolveOptions, section_round

    school = schools.travel_school()
    monkeypatch.setattr(engine, "TRAVEL_MODEL_LIMIT", 3)
    sol = section_round(
        school,
        CLOSE_TWICE,
        plan_groups(school, 0.9),
        {},
        {},
        SolveOptions(time_limit=10, seed=1, workers=1),
        Progress(False, 0.0, 1),
        5.0,
        [False],
        {},
        0.0,
    )
    assert sol.stats["students_travel_on_sites"] is True
    assert sol.groups and not check_solution(school, sol).hard_violations
    # Each student takes Maths and one group of Physics: PH.1 clashes on Mon, PH.2 on
    # Tue, so one of the two courses is left for each of them.
    for student in ("S1", "S2"):
        assert len([o for o in sol.outcomes if o.student == student and o.group]) == 1
