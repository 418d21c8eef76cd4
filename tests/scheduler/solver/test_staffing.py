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
    planned = plan_groups(school, 0.6)
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
    planned = plan_groups(school, 0.6)
    result = assign_staff(school, planned, 5, 1, 1)
    assert not result.problems
    assert len(result.staff_of) == 2
    assert "MA.1" in result.staff_of
