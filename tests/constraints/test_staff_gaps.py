"""Staff gaps (constraints/staff_gaps.py, Rules ``staff_max_gaps_week`` and
``staff_max_gaps_day``): at most N free periods between a member of staff's lessons,
kept by a real solve and judged by the checker's twin ``staff_gaps``; an infeasible twin;
hand-broken timetables."""

from __future__ import annotations

from dataclasses import replace

from ortools.sat.python import cp_model

from constraints.base import Strictness
from constraints.staff_gaps import StaffGaps
from scheduler.plan import plan_groups
from scheduler.solver import engine
from tests.checker_fixtures import MON, tiny_school, valid_solution, variant, with_group
from tests.time_rule_schools import (
    broken,
    lessons_of,
    one_teacher,
    rule,
    school,
    section_status,
    solve,
    unmet_courses,
)

# two_courses' calendar: period p of Mon, Tue, Wed is slot p-1, p+3, p+7.
FIRST = frozenset({0, 4, 8})
THIRD = frozenset({2, 6, 10})
MORNING = frozenset({0, 1, 4, 5, 8, 9})  # periods 1-2
AFTERNOON = frozenset({2, 3, 6, 7, 10, 11})  # periods 3-4
TWO_DAYS = rule("staff_max_days", staff=("T1",), value=2)


def no_gaps_in_the_week():
    """MA in the morning, EN in the afternoon, both taught by T1 on two days, no gaps."""
    return school(
        rule("start_at", "MA", slots=MORNING),
        rule("start_at", "EN", slots=AFTERNOON),
        TWO_DAYS,
        rule("staff_max_gaps_week", staff=("T1",), value=0),
        base=one_teacher(),
    )


def forced_gap(kind: str):
    """MA at period 1 and EN at period 3, both T1's, on two days, and no gaps (``kind``
    per week or per day): infeasible."""
    return school(
        rule("start_at", "MA", slots=FIRST),
        rule("start_at", "EN", slots=THIRD),
        TWO_DAYS,
        rule(kind, value=0),
        base=one_teacher(),
    )


def test_without_the_rule_t1_has_a_gap_a_day(tmp_path):
    # MA in the morning, EN in the afternoon, on the same two days: MA at period 1 and
    # EN at period 3 (seed 1, one worker) leave period 2 free between them.
    s = school(
        rule("start_at", "MA", slots=MORNING),
        rule("start_at", "EN", slots=AFTERNOON),
        TWO_DAYS,
        base=one_teacher(),
    )
    sol = solve(s, tmp_path)
    assert broken(replace(s, time_rules=(rule("staff_max_gaps_week", value=0),)), sol, "staff_gaps")


def test_no_gaps_in_the_week(tmp_path):
    s = no_gaps_in_the_week()
    sol = solve(s, tmp_path)
    # Period 2 then period 3, on the same days.
    assert {x[0] % 4 for x in lessons_of(sol, "MA.1")} == {1}
    assert {x[0] % 4 for x in lessons_of(sol, "EN.1")} == {2}
    assert not unmet_courses(sol)


def test_infeasible_a_forced_gap(tmp_path):
    # MA at period 1 and EN at period 3 on the same two days: a gap each day.
    for kind in ("staff_max_gaps_week", "staff_max_gaps_day"):
        sol = solve(forced_gap(kind), tmp_path / kind)
        assert len(unmet_courses(sol)) == 1, kind  # one course cannot be timetabled


def test_the_checker_counts_gaps_between_lessons():
    # T1 teaches MA-3.1 at Mon 2 and Tue 2; give T1 AR.1 at Mon 5 too: Mon 3-4 are gaps.
    sol = valid_solution()
    groups = with_group(sol, "AR.1", staff=("T1",), lessons=[((MON[5],), "HALL")])
    moved = variant(sol, groups=groups)
    week = tiny_school(time_rules=(rule("staff_max_gaps_week", staff=("T1",), value=1),))
    assert broken(week, moved, "staff_gaps") == [
        "Rules!2: T1 has 2 gaps in the cycle; at most 1 expected"
    ]
    day = tiny_school(time_rules=(rule("staff_max_gaps_day", value=1),))
    assert broken(day, moved, "staff_gaps") == ["Rules!2: T1 has 2 gaps on Mon; at most 1 expected"]
    assert broken(day, sol, "staff_gaps") == []


def test_unavailable_periods_are_no_gaps():
    sol = valid_solution()
    moved = variant(
        sol, groups=with_group(sol, "AR.1", staff=("T1",), lessons=[((MON[5],), "HALL")])
    )
    base = tiny_school(time_rules=(rule("staff_max_gaps_week", staff=("T1",), value=0),))
    staff = tuple(
        replace(p, unavailable=frozenset({MON[3], MON[4]})) if p.id == "T1" else p
        for p in base.staff
    )
    assert broken(replace(base, staff=staff), moved, "staff_gaps") == []


def lesson_model(s):
    planned = plan_groups(s, 0.9)
    staff_of = {g.id: ("T1",) for g in planned}
    tm, _ = engine.timetable_model(s, planned, staff_of, {}, {}, Strictness.CORE, (), {})
    return tm


def test_a_complete_placement_is_found_with_the_gaps_counted_first():
    # The school of test_no_gaps_in_the_week: the search for a complete placement first
    # counts T1's gaps instead of ruling them out, and its answer keeps the rule.
    s = no_gaps_in_the_week()
    tm = lesson_model(s)
    opts = engine.SolveOptions(time_limit=10, seed=1, workers=1)
    prog = engine.Progress(False, 0.0, 1)
    runs = engine.place_everything(tm, opts, 5.0, [False], prog)
    assert set(runs) == {"MA.1", "EN.1"}
    assert tm.found_with_gaps_counted
    assert engine.holds(tm, runs, opts, [False], prog)
    # MA at period 2 and EN at period 3 of the same two days: no gap.
    assert sorted(r[0] % 4 for r in runs["MA.1"]) == [1, 1]
    assert sorted(r[0] % 4 for r in runs["EN.1"]) == [2, 2]


def test_a_forced_gap_is_never_a_complete_placement():
    # The school of test_infeasible_a_forced_gap: counted, the gaps stay over the limit,
    # and the search ruling them proves that no complete placement exists.
    for kind in ("staff_max_gaps_week", "staff_max_gaps_day"):
        tm = lesson_model(forced_gap(kind))
        opts = engine.SolveOptions(time_limit=10, seed=1, workers=1)
        runs = engine.place_everything(tm, opts, 5.0, [False], engine.Progress(False, 0.0, 1))
        assert runs == {}, kind
        assert not tm.found_with_gaps_counted
        assert tm.proven_incomplete, kind


def test_the_students_phase_keeps_the_gaps_of_the_groups_that_run():
    # A group no student joins does not run, and its teacher then has a free period the
    # timetable phase counted as a lesson (on the 600-student regression school with "at
    # most 2 gaps a day", a dropped group gave a teacher 3 and the solve no timetable).
    s = school(rule("staff_max_gaps_day", staff=("T1",), value=0), base=one_teacher())
    both = {"MA.1": 1, "EN.1": 1}
    gaps = StaffGaps()
    assert section_status(s, gaps, 0, 2, both) == cp_model.INFEASIBLE  # Mon 1, Mon 3: a gap
    assert section_status(s, gaps, 0, 1, both) == cp_model.OPTIMAL  # Mon 1 and Mon 2
    assert section_status(s, gaps, 0, 2, {"MA.1": 1, "EN.1": 0}) == cp_model.OPTIMAL
    soft = school(rule("staff_max_gaps_day", staff=("T1",), value=0, weight=5), base=one_teacher())
    assert section_status(soft, gaps, 0, 2, both) == cp_model.OPTIMAL  # soft rows: the timetable's
