"""Students' early start (constraints/students_early.py, Rules ``students_early_start``):
no free first period, or the second on at most N days; kept by a real solve and judged by
the checker's twin ``students_early``; an infeasible twin; a hand-broken timetable."""

from __future__ import annotations

from dataclasses import replace

from scheduler.model import School
from scheduler.solution import Status
from scheduler.solver.engine import solve_school
from tests import solver_schools as schools
from tests.checker_fixtures import MON, TUE, tiny_school, valid_solution, variant, with_group
from tests.scheduler.solver.test_solve import OPTS
from tests.time_rule_schools import broken, lessons_of, rule, school, solve, unmet_courses

# two_courses' calendar: period p of Mon, Tue, Wed is slot p-1, p+3, p+7.
SECOND = frozenset({1, 5, 9})
THIRD = frozenset({2, 6, 10})
LATE = frozenset({2, 3, 6, 7, 10, 11})  # periods 3-4


def fixed() -> School:
    """``two_courses`` with one group a course (``sections`` 1), as the rule needs."""
    base = schools.two_courses()
    return replace(base, courses=tuple(replace(c, sections=1) for c in base.courses))


def test_days_start_at_the_second_period_at_most_n_times(tmp_path):
    # Maths at period 2, English at period 3 (Maths must then come first on their days).
    s = school(
        rule("start_at", "MA", slots=SECOND),
        rule("start_at", "EN", slots=THIRD),
        rule("students_early_start", value=3),
        base=fixed(),
    )
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol) and broken(s, sol, "students_early") == []
    ma, en = lessons_of(sol, "MA.1"), lessons_of(sol, "EN.1")
    assert [x[0] // 4 for x in ma] == [x[0] // 4 for x in en]  # English after Maths


def test_infeasible_when_every_day_starts_late():
    s = school(
        rule("start_at", "MA", slots=THIRD),
        rule("start_at", "EN", slots=LATE),
        rule("students_early_start", value=3),
        base=fixed(),
    )
    assert solve_school(s, OPTS, progress=False).status is Status.INFEASIBLE


def test_soft_the_late_days_cost_their_weight(tmp_path):
    s = school(
        rule("start_at", "MA", slots=THIRD),
        rule("start_at", "EN", slots=LATE),
        rule("students_early_start", value=0, weight=5),
        base=fixed(),
    )
    sol = solve(s, tmp_path)
    found = broken(s, sol, "students_early")
    assert found and all(m.endswith("(soft, weight 5)") for m in found)


def test_the_checker_counts_late_starts():
    # S1: Mon MA-3.1 at 2 and AR.1 at 3, Tue MA-3.1 at 2: two days at the second period.
    sol = valid_solution()
    one = tiny_school(
        time_rules=(replace(rule("students_early_start", value=1), students=("S1",)),)
    )
    assert broken(one, sol, "students_early") == [
        "Rules!2: S1 starts 2 days at the second free period (Mon and Tue); at most 1"
    ]
    two = tiny_school(
        time_rules=(replace(rule("students_early_start", value=2), students=("S1",)),)
    )
    assert broken(two, sol, "students_early") == []
    # Maths moved to Mon 4: S1's Monday starts with Art at period 3.
    late = variant(
        sol, groups=with_group(sol, "MA-3.1", lessons=[((MON[4],), "R1"), ((TUE[2],), "R1")])
    )
    assert broken(two, late, "students_early") == [
        "Rules!2: S1 starts Mon at free period 3; at most the second"
    ]
