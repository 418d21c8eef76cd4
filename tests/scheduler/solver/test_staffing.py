"""Staffing (scheduler/solver/staffing.py) when not every planned group can be staffed:
spare groups (planned only for choice of times) go first, and every group the requests
need keeps its staff."""

from __future__ import annotations

from scheduler.model import Course, Qualification, Room, School, Settings, Staff, Student
from scheduler.plan import plan_groups
from scheduler.solver import budget, staffing
from scheduler.solver.staffing import assign_staff
from tests.solver_schools import calendar, req


def _school(periods: int) -> School:
    """60 students of Maths (2 lessons, max 20 a group): 3 groups needed, 5 planned at a
    slack of 0.6, so 2 are spare. Two Maths teachers of ``periods`` each."""
    ids = [f"S{i}" for i in range(1, 61)]
    return School(
        calendar=calendar(),
        rooms=tuple(Room(f"R{i}", 30, frozenset({"classroom"})) for i in range(1, 6)),
        staff=tuple(
            Staff(p, qualifications=(Qualification("Maths"),), max_periods=periods)
            for p in ("T1", "T2")
        ),
        courses=(Course("MA", "Maths", (1, 1), 1, 20),),
        students=tuple(Student(s, 9) for s in ids),
        requests=tuple(req(s, "MA") for s in ids),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )


def _spy(monkeypatch) -> list[bool]:
    """The presolve flag of every staffing search, in order."""
    calls: list[bool] = []
    real = budget.solve_phase

    def spy(model, seconds, clock, kind, seed, workers, *, presolve=True, **kw):
        calls.append(presolve)
        return real(model, seconds, clock, kind, seed, workers, presolve=presolve, **kw)

    monkeypatch.setattr(staffing, "solve_phase", spy)
    return calls


def test_only_spare_groups_go_when_staff_are_short_of_them(monkeypatch):
    school = _school(periods=4)  # 8 periods: the 3 needed groups (6), not all 5 (10)
    # Planned past what the staff can teach (the plan's pools would stop at 4 groups,
    # scheduler.plan.POOL_SHARE): the staffing's own drop is what this tests.
    planned = plan_groups(school, 0.6, pooled=False)
    spare = {g.id for g in planned if g.spare}
    assert len(planned) == 5 and len(spare) == 2
    calls = _spy(monkeypatch)
    result = assign_staff(school, planned, 5, 1, 1)
    assert not result.problems
    assert {g.id for g in planned} - spare <= set(result.staff_of)
    assert len(result.staff_of) == 4 and len(set(result.unstaffed) & spare) == 1
    # Every group at once (infeasible), then the drop of spare groups alone, then the
    # loads balanced: the drop over every group (without presolve) is not needed.
    assert calls == [True, True, False]


def test_every_group_runs_when_staff_can_teach_them_all():
    school = _school(periods=6)  # 12 periods: all 5 groups (10)
    result = assign_staff(school, plan_groups(school, 0.6), 5, 1, 1)
    assert len(result.staff_of) == 5 and not result.unstaffed


def test_groups_the_requests_need_go_too_when_staff_are_short_of_them():
    """Staff too few even for the needed groups: the drop over every group, a course's
    first group kept before the others."""
    school = _school(periods=2)  # 4 periods: 2 groups of the 3 needed
    planned = plan_groups(school, 0.6, pooled=False)
    result = assign_staff(school, planned, 5, 1, 1)
    assert not result.problems
    assert len(result.staff_of) == 2
    assert "MA.1" in result.staff_of


def _needed_unanswered(monkeypatch) -> list[str]:
    """Staffing searches whose second (the drop of spare groups alone) ends unanswered,
    as a short limit on a large school does; the status of every search, in order."""
    from ortools.sat.python import cp_model

    real = budget.solve_phase
    statuses: list[str] = []

    def short(model, seconds, clock, kind, seed, workers, *, presolve=True, **kw):
        solver, status = real(model, seconds, clock, kind, seed, workers, presolve=presolve)
        if len(statuses) == 1:
            status = cp_model.UNKNOWN
        statuses.append(solver.status_name(status))
        return solver, status

    monkeypatch.setattr(staffing, "solve_phase", short)
    return statuses


def test_a_quick_staffing_cut_short_says_so(monkeypatch):
    """A first timetable's quick staffing whose drop of spare groups ends unanswered is
    "timed out" (so it is done again with the whole time), not the drop over every group."""
    school = _school(periods=4)
    statuses = _needed_unanswered(monkeypatch)
    result = assign_staff(school, plan_groups(school, 0.6, pooled=False), 5, 1, 1, quick=True)
    assert result.timed_out and not result.staff_of
    assert statuses == ["INFEASIBLE", "UNKNOWN"]


def test_a_full_staffing_cut_short_still_staffs_what_it_can(monkeypatch):
    school = _school(periods=4)
    statuses = _needed_unanswered(monkeypatch)
    result = assign_staff(school, plan_groups(school, 0.6, pooled=False), 5, 1, 1)
    assert not result.timed_out and len(result.staff_of) == 4
    assert statuses[:2] == ["INFEASIBLE", "UNKNOWN"] and len(statuses) == 4


def test_the_first_timetable_redoes_a_quick_staffing_cut_short(monkeypatch, tmp_path):
    """The solve's first staffing, cut short, is done again with the whole time: the
    solve runs every needed group, passes the checker, and says the staffing was redone."""
    from scheduler.solver import engine
    from tests.scheduler.solver.test_solve import solve_checked

    school = _school(periods=4)
    seen: list[bool] = []
    real = engine.assign_staff

    def first_cut_short(*args, quick=False, **kw):
        seen.append(quick)
        if quick and len(seen) == 1:
            return staffing.Staffing({}, ("cut short",), timed_out=True)
        return real(*args, quick=quick, **kw)

    monkeypatch.setattr(engine, "assign_staff", first_cut_short)
    solution, _, _ = solve_checked(school, tmp_path)
    assert seen[:2] == [True, False]
    assert solution.stats["first_staffing_redone"] is True
    assert len(solution.groups) >= 3  # the three groups the requests need
