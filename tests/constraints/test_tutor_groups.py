"""The tutor groups rule family (constraints/tutor_groups.py): every student in one tutor
group within its capacity, a fixed tutor group respected, families together, vertical
groups balanced by year. The checker's twins: ``tutor_capacity``, ``tutor_fixed``,
``tutor_family``, ``tutor_vertical`` and ``tutor_assigned``."""

from __future__ import annotations

from dataclasses import replace

from scheduler.checker import check_solution
from scheduler.solution import Status
from scheduler.solver.engine import solve_school
from tests import solver_schools as schools
from tests.checker_fixtures import (
    TUTOR_OF,
    hard_rules,
    replace_in,
    tiny_school,
    valid_solution,
    variant,
)
from tests.scheduler.solver.test_solve import OPTS, solve_checked


def test_families_together_and_years_balanced(tmp_path):
    school = schools.tutor_school()
    sol, report, _ = solve_checked(school, tmp_path)
    assert set(sol.tutor_of) == {s.id for s in school.students}
    assert sol.tutor_of["S1"] == sol.tutor_of["S2"]
    for tg in ("TG1", "TG2"):
        members = [s for s in school.students if sol.tutor_of[s.id] == tg]
        assert len(members) <= 4
    for year in (7, 8):
        counts = [
            sum(1 for s in school.students if s.year == year and sol.tutor_of[s.id] == tg)
            for tg in ("TG1", "TG2")
        ]
        assert sum(counts) == 3 and abs(counts[0] - counts[1]) <= 2
    assert report.figures.requests_core_met == 12


def test_a_fixed_tutor_group_is_kept(tmp_path):
    base = schools.tutor_school()
    school = replace(base, students=replace_in(base.students, "S4", tutor_group="TG2"))
    sol, _, _ = solve_checked(school, tmp_path)
    assert sol.tutor_of["S4"] == "TG2"


def test_a_family_larger_than_a_tutor_group_is_infeasible():
    sol = solve_school(schools.tutor_school(family_size=3, capacity=2), OPTS, progress=False)
    assert sol.status is Status.INFEASIBLE and not sol.tutor_of
    assert "tutor-group" in " ".join(sol.stats["explanation"])


def test_the_checker_flags_a_family_split():
    base = valid_solution()  # S1 and S2 are family F1, both in TG-A
    tutor_of = dict(TUTOR_OF, S2="TG-B", S5="TG-A")
    assert hard_rules(check_solution(tiny_school(), variant(base, tutor_of=tutor_of))) == {
        "tutor_family"
    }


def test_the_checker_flags_a_full_tutor_group():
    school = tiny_school(tutor_groups=replace_in(tiny_school().tutor_groups, "TG-A", capacity=1))
    report = check_solution(school, variant(valid_solution(), school=school))
    assert hard_rules(report) == {"tutor_capacity"}


def test_the_checker_flags_a_fixed_tutor_group_not_kept():
    school = tiny_school(students=replace_in(tiny_school().students, "S2", tutor_group="TG-B"))
    report = check_solution(school, variant(valid_solution(), school=school))
    assert hard_rules(report) == {"tutor_fixed"}


def test_the_checker_flags_a_student_without_a_tutor_group():
    tutor_of = {s: tg for s, tg in TUTOR_OF.items() if s != "S5"}
    report = check_solution(tiny_school(), variant(valid_solution(), tutor_of=tutor_of))
    assert hard_rules(report) == {"tutor_assigned"}
