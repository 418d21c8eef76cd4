"""The solver on tiny schools with known right answers, each with an infeasible twin.

Every solution is written to disk, read back and verified by the independent checker,
and the solver's objective is compared with the checker's recomputation term by term.
"""

from __future__ import annotations

import pytest

from scheduler.checker import check_solution
from scheduler.outputs.read import read_solution
from scheduler.outputs.write import write_outputs
from scheduler.solution import RequestStatus, Status
from scheduler.solver.engine import SolveOptions, solve_school
from tests import solver_schools as schools

OPTS = SolveOptions(time_limit=20, seed=1, workers=1)


def solve_checked(school, tmp_path, opts: SolveOptions = OPTS):
    """Solve, write, read back, check: return (solution, report, solution as read)."""
    solution = solve_school(school, opts, progress=False)
    write_outputs(school, solution, tmp_path / "out")
    read = read_solution(tmp_path / "out", school)
    report = check_solution(school, read)
    assert not report.hard_violations, [str(v) for v in report.hard_violations]
    if solution.groups:
        assert report.objective_terms == pytest.approx(solution.objective_terms)
        assert report.objective == pytest.approx(solution.objective)
    return solution, report, read


def unmet(solution):
    return [o for o in solution.outcomes if o.status is RequestStatus.UNMET]


def test_two_courses_all_core_met_with_no_gaps(tmp_path):
    sol, report, _ = solve_checked(schools.two_courses(), tmp_path)
    assert sol.status is Status.FEASIBLE
    assert not unmet(sol)
    assert report.figures.core_met_pct == 100.0
    # Both courses fit without idle periods for anyone: the optimum is 0.
    assert sol.objective == 0


def test_options_ranked_and_alternate_stands_in(tmp_path):
    sol, _, _ = solve_checked(schools.options_school(), tmp_path)
    # Arithmetic in options_school's docstring: 40 per student, 4 students.
    assert sol.objective_terms["option_rank"] == 160
    assert sol.objective_terms["option_shortfall"] == 0
    for o in sol.outcomes:
        expected = RequestStatus.UNMET if o.course == "C" else RequestStatus.MET
        assert o.status is expected, o
    assert all(o.reason for o in unmet(sol))


def test_staff_teach_one_lesson_at_a_time(tmp_path):
    sol, _, _ = solve_checked(schools.single_teacher(), tmp_path)
    assert not unmet(sol)
    slots = [g.slots for g in sol.groups]
    assert not (slots[0] & slots[1])


def test_staff_shortage_is_explained(tmp_path):
    sol, _, _ = solve_checked(schools.single_teacher(free_slots=3), tmp_path)
    reasons = {o.reason for o in unmet(sol)}
    assert reasons, "a teacher free 3 periods cannot teach 4"
    assert any("T1" in r for r in reasons)


def test_student_clash_leaves_one_core_request_unmet_with_reason(tmp_path):
    sol, report, _ = solve_checked(schools.clash_school(), tmp_path)
    # Both courses can only be at Mon 1 in the one room: each student loses one.
    assert sol.objective_terms["core_unmet"] == 4 * 10000
    assert report.figures.core_met_pct == 50.0
    assert all("got no times in this timetable" in o.reason for o in unmet(sol))


def test_vertical_tutor_groups_balanced_and_families_together(tmp_path):
    school = schools.tutor_school()
    sol, _, _ = solve_checked(school, tmp_path)
    assert sol.tutor_of["S1"] == sol.tutor_of["S2"]
    for year in (7, 8):
        counts = [
            sum(1 for s in school.students if s.year == year and sol.tutor_of[s.id] == tg)
            for tg in ("TG1", "TG2")
        ]
        assert abs(counts[0] - counts[1]) <= 2


def test_family_larger_than_a_tutor_group_is_infeasible():
    sol = solve_school(schools.tutor_school(family_size=3, capacity=2), OPTS, progress=False)
    assert sol.status is Status.INFEASIBLE
    assert "tutor-group" in " ".join(sol.stats["explanation"])


def test_fixed_sections_split_students(tmp_path):
    sol, _, _ = solve_checked(schools.sections_school(), tmp_path)
    sizes = sorted(g.size for g in sol.groups if g.course == "MA")
    assert sizes == [3, 3]


def test_fixed_sections_that_cannot_fill_are_infeasible():
    sol = solve_school(schools.sections_school(students=5), OPTS, progress=False)
    assert sol.status is Status.INFEASIBLE


def test_travel_gap_between_sites(tmp_path):
    sol, _, _ = solve_checked(schools.travel_school(), tmp_path)
    assert not unmet(sol)
    # Each day each student must have a free period between the two sites, so at least
    # 1 idle period a day each (2 days x 2 students); adjacent lessons would give 0.
    assert sol.objective_terms["idle_student"] >= 2 * 2


def test_home_day_blocks_school_lessons_not_online(tmp_path):
    sol, _, _ = solve_checked(schools.home_and_online(), tmp_path)
    missing = unmet(sol)
    assert [(o.student, o.course) for o in missing] == [("S1", "HI")]
    assert "home-learning day" in missing[0].reason
    online = next(g for g in sol.groups if g.course == "CO")
    assert all(lesson.room is None for lesson in online.lessons)


def test_shared_space_capacity_is_shared(tmp_path):
    sol, _, _ = solve_checked(schools.shared_space(size=20), tmp_path)
    # 30 seats shared: 20 + 10 placed, 10 unmet with a full-room reason.
    assert len(unmet(sol)) == 10
    assert all("full" in o.reason for o in unmet(sol))
    sol2, _, _ = solve_checked(schools.shared_space(size=15), tmp_path / "b")
    assert not unmet(sol2)


def test_weights_from_settings_change_the_objective(tmp_path):
    school = schools.with_settings(schools.options_school(), weight_rank="1")
    sol, _, _ = solve_checked(school, tmp_path)
    assert sol.objective_terms["option_rank"] == 16


def test_team_taught_groups_get_fixed_teams(tmp_path):
    """Groups that share some but not all of their team can never run side by side."""
    from scheduler.plan import plan_groups
    from scheduler.solver.staffing import assign_staff

    school = schools.team_school()
    planned = plan_groups(school, 0.9)
    staffing = assign_staff(school, planned, 5, 1, 1)
    teams = [set(t) for t in staffing.staff_of.values()]
    assert len(teams) == 3
    for i, a in enumerate(teams):
        for b in teams[i + 1 :]:
            assert a == b or not (a & b), teams
    sol, report, _ = solve_checked(school, tmp_path)
    assert not unmet(sol)
    assert report.figures.core_met_pct == 100.0


def test_complete_placement_kept_when_the_optimising_search_finds_nothing(tmp_path, monkeypatch):
    """If the timetable's optimising search returns no solution in its time, the complete
    placement it started from is the timetable (before: 'no timetable was found')."""
    from ortools.sat.python import cp_model

    import scheduler.solver.engine as solve_module
    from constraints.base import TimetableModel

    models = []
    real_init = TimetableModel.__init__

    def record(self, *args, **kw):
        real_init(self, *args, **kw)
        models.append(self.model)

    real_run = solve_module.run_search

    def no_luck(model, limit, opts, callback, interrupted, ticker, **kw):
        solver, status = real_run(model, limit, opts, callback, interrupted, ticker, **kw)
        if any(model is m for m in models):
            return solver, cp_model.UNKNOWN
        return solver, status

    monkeypatch.setattr(TimetableModel, "__init__", record)
    monkeypatch.setattr(solve_module, "run_search", no_luck)
    sol, _report, _ = solve_checked(schools.two_courses(), tmp_path)
    assert models, "the timetable model was not built"
    assert sol.groups and not unmet(sol)
    assert "complete placement" in sol.stats["timetable_from"]


def test_ladder_keeps_time_for_its_last_rung():
    import scheduler.solver.engine as solve_module

    # 1,000 students, 30 s left in the first round: a "year" rung would take 10 s and leave
    # the last rung (about 14 s to find a complete placement) too little after the
    # students' phase's share; with 200 s left it is tried.
    assert solve_module.skip_to_last("year", 30.0, 0.7, 1000)
    assert not solve_module.skip_to_last("year", 200.0, 0.7, 1000)
    # Fewer students need less time.
    assert not solve_module.skip_to_last("year", 30.0, 0.7, 100)
