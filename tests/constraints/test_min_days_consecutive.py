"""Min days apart with ``consecutive_if_same_day`` (constraints/min_days.py, Rules
``min_days_apart``; FET's Consecutive_If_Same_Day): two of a soft row's lessons that fall
on one day are one right after the other, hard. Kept by a real solve and judged by the
checker's twin; an infeasible twin; a hand-broken timetable; the workbook's column."""

from __future__ import annotations

from pathlib import Path

from scheduler.checker import check_solution
from tests.checker_fixtures import tiny_school, valid_solution
from tests.time_rule_schools import (
    apart,
    broken,
    lessons_of,
    rule,
    school,
    solve,
    unmet_courses,
)
from tests.workbook_fixtures import load_tables, rules_errors, rules_rows, tiny_tables

# two_courses: 3 days of 4 periods (Mon 0-3, Tue 4-7, Wed 8-11).
MON_1, MON_2, MON_3, MON_4, TUE_1, TUE_2, WED_1 = 0, 1, 2, 3, 4, 5, 8
MATHS_AT = frozenset({MON_1, TUE_1})  # Maths' two lessons: Mon 1 and Tue 1


def _flagged(**fields):
    """Maths' first lesson and English's first, soft at weight 5, on one day only side
    by side."""
    return rule(
        "min_days_apart",
        "MA.1:1",
        "EN.1:1",
        **({"value": 1, "weight": 5, "consecutive_if_same_day": True} | fields),
    )


def _rather(*slots: int):
    """English's lessons rather at these slots (soft, far above the row's weight)."""
    return rule("within", "EN", slots=frozenset(slots), weight=1000)


def test_on_one_day_side_by_side(tmp_path):
    # English's first lesson is on Mon (at 2 or 4, its second on Wed), rather at Mon 4
    # (no student takes both courses, so their gaps do not count): only Mon 2 is right
    # after Maths at Mon 1. The pair on one day is paid softly, no hard violation.
    s = school(
        rule("within", "MA", slots=MATHS_AT),
        rule("within", "EN", slots=frozenset({MON_2, MON_4, WED_1})),
        _rather(MON_4, WED_1),
        _flagged(),
        base=apart(),
    )
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol)
    assert lessons_of(sol, "EN.1") == [(MON_2,), (WED_1,)]
    assert [v.hard for v in check_solution(s, sol).violations if v.rule == "min_days_apart"] == [
        False
    ]
    # Without the flag, Mon 4.
    s = school(*s.time_rules[:-1], _flagged(consecutive_if_same_day=False), base=apart())
    assert lessons_of(solve(s, tmp_path), "EN.1") == [(MON_4,), (WED_1,)]


def test_other_days_when_one_day_would_leave_a_gap(tmp_path):
    # English rather at Mon 3 (not next to Maths at Mon 1, which the flag forbids): it
    # goes to Tue 2 and Wed 1 instead, and the row costs nothing.
    s = school(
        rule("within", "MA", slots=MATHS_AT),
        rule("within", "EN", slots=frozenset({MON_3, MON_4, TUE_2, WED_1})),
        _rather(MON_3, WED_1),
        _flagged(),
        base=apart(),
    )
    sol = solve(s, tmp_path)
    assert not unmet_courses(sol)
    assert lessons_of(sol, "EN.1") == [(TUE_2,), (WED_1,)]
    assert broken(s, sol, "min_days_apart") == []
    # Without the flag, Mon 3 (the row's weight 5 is less than 1000).
    s = school(*s.time_rules[:-1], _flagged(consecutive_if_same_day=False), base=apart())
    assert lessons_of(solve(s, tmp_path), "EN.1") == [(MON_3,), (WED_1,)]


def test_infeasible_when_the_only_day_leaves_a_gap(tmp_path):
    # English's first lesson can only be on Mon, at 3 or 4: no timetable keeps both.
    s = school(
        rule("within", "MA", slots=MATHS_AT),
        rule("within", "EN", slots=frozenset({MON_3, MON_4, WED_1})),
        _flagged(),
    )
    assert unmet_courses(solve(s, tmp_path))


def test_the_checker_finds_a_gap_and_an_overlap():
    # valid_solution: MA-3.1 at Mon 2 and Tue 2, AR.1 Mon 3, GE.1 Mon 4, CS.1 Tue 2.
    sol = valid_solution()

    def flagged(*lessons: str, weight: int | None = 3):
        return rule(
            "min_days_apart", *lessons, value=1, weight=weight, consecutive_if_same_day=True
        )

    ok = tiny_school(time_rules=(flagged("MA-3.1:1", "AR.1"),))
    assert [v.hard for v in check_solution(ok, sol).violations if v.rule == "min_days_apart"] == [
        False  # on one day (soft, weight 3), but side by side
    ]
    s = tiny_school(time_rules=(flagged("MA-3.1:1", "GE.1"), flagged("MA-3.1:2", "CS.1")))
    hard = [v.message for v in check_solution(s, sol).violations if v.hard]
    must = "on one day they must be one right after the other (consecutive_if_same_day)"
    gap = "MA-3.1 lesson 1 at Mon 2 and GE.1 lesson 1 at Mon 4 are both on Mon"
    overlap = "MA-3.1 lesson 2 at Tue 2 and CS.1 lesson 1 at Tue 2 are both on Tue"
    assert hard == [
        f"Rules!2: {gap} and have 1 period(s) between them; {must}",
        f"Rules!2: {overlap} and overlap; {must}",
    ]
    # Without the flag, or on a hard row (reported as too close only), no such message.
    plain = tiny_school(time_rules=(rule("min_days_apart", "MA-3.1:1", "GE.1", value=1),))
    assert [m for m in broken(plain, sol, "min_days_apart") if "right after" in m] == []
    hard_row = tiny_school(time_rules=(flagged("MA-3.1:1", "GE.1", weight=None),))
    assert [m for m in broken(hard_row, sol, "min_days_apart") if "right after" in m] == []


def test_the_workbook_reads_the_flag(tmp_path: Path) -> None:
    t = tiny_tables()
    t["Rules"] = rules_rows(
        {
            "rule": "min_days_apart",
            "lessons": "MA-3.1, SC.1",
            "value": 1,
            "weight": 4,
            "consecutive_if_same_day": "yes",
        },
        {"rule": "min_days_apart", "lessons": "MA-3.1, SC.1", "value": 1},
    )
    s, _ = load_tables(t, tmp_path)
    assert [r.consecutive_if_same_day for r in s.time_rules] == [True, False]
    # A Rules sheet without the column reads as before.
    t["Rules"] = [{"rule": "min_days_apart", "lessons": "MA-3.1, SC.1", "value": 1}]
    s, _ = load_tables(t, tmp_path)
    assert [r.consecutive_if_same_day for r in s.time_rules] == [False]


def test_the_workbook_refuses_a_bad_flag(tmp_path: Path) -> None:
    errors = rules_errors(
        tmp_path,
        {"rule": "min_days_apart", "lessons": "MA-3", "value": 1, "consecutive_if_same_day": "?"},
        {"rule": "same_day", "lessons": "MA-3.1, SC.1", "consecutive_if_same_day": "yes"},
    )
    assert len(errors) == 2, errors
    assert errors[0].startswith("Rules!2, consecutive_if_same_day: '?' is not yes or no")
    assert errors[1].startswith(
        "Rules!3, consecutive_if_same_day: is yes on a same_day rule; only a min_days_apart "
        "row takes it"
    )
