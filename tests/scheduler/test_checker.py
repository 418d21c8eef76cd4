"""The checker on the tiny school: the valid timetable passes, and each hand-broken
variant is caught by exactly the rule it breaks (see tests/checker_fixtures.py for the school)."""

from __future__ import annotations

import ast
import json
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from scheduler.checker import RULES, check_solution, render_report
from scheduler.model import Request, RequestType, Settings
from scheduler.score import TERMS, choice_order, expected_outcomes, figures, objective_terms
from scheduler.solution import OutputIssue, RequestStatus, Solution
from tests.checker_fixtures import (
    HAND_OUTCOMES,
    MON,
    TUE,
    VALID_OBJECTIVE,
    VALID_TERMS,
    calendar,
    hard_rules,
    replace_in,
    soft_rules,
    tiny_school,
    valid_solution,
    variant,
    with_group,
)

ROOT = Path(__file__).resolve().parents[2]


def check(solution: Solution, school=None):
    return check_solution(school or tiny_school(), solution)


def messages(report, rule: str) -> list[str]:
    return [v.message for v in report.violations if v.rule == rule]


# --------------------------------------------------------------------------------------
# The valid timetable
# --------------------------------------------------------------------------------------


def test_valid_timetable_has_no_violations() -> None:
    report = check(valid_solution())
    assert report.violations == []
    assert report.ok and report.hard_violations == []


def test_every_rule_has_a_unique_name_and_a_description() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    assert all(r.description for r in RULES)


def test_valid_objective_recomputed_term_by_term() -> None:
    # Arithmetic in tests/checker_fixtures.VALID_TERMS: 0 + 100 + 10 + 0 + 1 + 1 = 112.
    report = check(valid_solution())
    assert report.objective_terms == VALID_TERMS
    assert list(report.objective_terms) == list(TERMS)
    assert report.objective == VALID_OBJECTIVE == 112


def test_objective_with_weights_from_settings_and_a_group_balance_term() -> None:
    # S5 now chooses AR as an option and is placed in AR.1: AR.1 has 2, AR.2 has 1.
    school = tiny_school(
        requests=tiny_school().requests + (Request("S5", "AR", RequestType.OPTION, 1),),
        settings=Settings(
            extra=(
                ("weight_option", "50"),
                ("weight_rank", "3"),
                ("weight_balance", "7"),
                ("weight_idle_student", "2"),
                ("weight_idle_staff", "5"),
            )
        ),
    )
    sol = valid_solution()
    sol = variant(sol, school=school, groups=with_group(sol, "AR.1", students={"S1", "S5"}))
    # core_unmet       10000 (default) x 0                          = 0
    # option_shortfall 50 x 1 (S4 got GE but not SC; S5 got AR)     = 50
    # option_rank      3 x 1 (S1's AR is choice 2; the rest p = 1)  = 3
    # group_balance    7 x (2 - 1) (AR.1 has 2, AR.2 has 1)         = 7
    # idle_student     2 x 1 (S4 Mon 3; S5 has AR Mon 3 and TG-B Tue 1 only) = 2
    # idle_staff       5 x 1 (T4 Mon 2)                             = 5
    assert objective_terms(school, sol) == {
        "core_unmet": 0,
        "option_shortfall": 50,
        "option_rank": 3,
        "group_balance": 7,
        "idle_student": 2,
        "idle_staff": 5,
    }
    report = check_solution(school, sol)
    assert report.objective == 67
    assert report.violations == []


def test_objective_with_an_unmet_core_request() -> None:
    sol = valid_solution()
    sol = variant(sol, groups=with_group(sol, "MA-3.1", students={"S1", "S2"}))
    # S4 loses MA-3: core_unmet 10000 x 1. S4's Mon is now GE alone (no idle period) and
    # Tue is TG-B at 1 alone: idle_student 0. Others as in the valid timetable:
    # 10000 + 100 + 10 + 0 + 0 + 1 = 10111.
    report = check(sol)
    assert report.objective_terms["core_unmet"] == 10000
    assert report.objective_terms["idle_student"] == 0
    assert report.objective == 10111


def test_choice_order_sorts_by_rank_then_options_before_alternates_then_given_order() -> None:
    school = tiny_school(
        requests=(
            Request("S1", "GE", RequestType.ALTERNATE, 1),
            Request("S1", "SC", RequestType.OPTION),
            Request("S1", "AR", RequestType.OPTION, 1),
            Request("S1", "CS", RequestType.OPTION),
            Request("S1", "MA-3", RequestType.CORE),
        )
    )
    order = [(r.course, r.type.value) for r in choice_order(school, "S1")]
    assert order == [("AR", "option"), ("GE", "alternate"), ("SC", "option"), ("CS", "option")]


def test_figures_of_the_valid_timetable() -> None:
    f = figures(tiny_school(), valid_solution())
    # 4 core requests all met; 6 option requests (S1 2, S2 1, S3 1, S4 2) and 5 options or
    # alternates met (S1 2, S2 1, S3 1, S4 1); first
    # choices: S1 SC, S2 AR, S3 GE, S4 GE all met (S5 has no choices); fully satisfied:
    # S1, S2, S3 and S5 (no requests) yes, S4 (SC unmet) no.
    assert (f.requests_core, f.requests_core_met) == (4, 4)
    assert (f.requests_option, f.requests_option_met) == (6, 5)
    assert (f.first_choice_met, f.students_with_choices) == (4, 4)
    assert f.students_fully_satisfied == 4 and f.groups == 6
    assert f.core_met_pct == 100.0 and f.options_met_pct == 83.3
    assert f.first_choice_met_pct == 100.0 and f.students_fully_satisfied_pct == 80.0


def test_report_as_dict_is_json_and_render_mentions_each_broken_rule() -> None:
    sol = valid_solution()
    sol = variant(sol, groups=with_group(sol, "GE.1", lessons=[((MON[2],), "N1")]))
    report = check(sol)
    data = json.loads(json.dumps(report.as_dict()))
    assert data["ok"] is False and data["hard_violations"] == 1
    assert data["violations"][0]["rule"] == "student_clash"
    console = Console(record=True, width=200)
    render_report(report, console)
    text = console.export_text()
    assert "student_clash" in text and "Student S4 has MA-3.1 and GE.1 at Mon 2" in text
    assert "1 hard violation" in text


def test_render_of_the_valid_report_says_no_hard_violations() -> None:
    console = Console(record=True, width=200)
    render_report(check(valid_solution()), console)
    assert "no hard violations" in console.export_text()


# --------------------------------------------------------------------------------------
# One broken variant per rule. Each asserts the exact set of hard rules broken.
# --------------------------------------------------------------------------------------


def broken(rule: str, sol: Solution, school=None, expect: set[str] | None = None) -> list[str]:
    report = check(sol, school)
    assert hard_rules(report) == (expect if expect is not None else {rule}), report.violations
    return messages(report, rule)


def test_references_unknown_room_student_staff_and_course() -> None:
    sol = valid_solution()
    groups = with_group(sol, "GE.1", lessons=[((MON[4],), "R9")])
    groups = tuple(replace(g, staff=("T9",)) if g.id == "SC.1" else g for g in groups)
    msgs = broken("references", variant(sol, groups=groups, fix_outcomes=False))
    assert "Group GE.1 has a lesson in room R9, which is not in the Rooms sheet" in msgs
    assert "Group SC.1 is taught by T9, who is not in the Staff sheet" in msgs


def test_references_duplicate_group_id() -> None:
    sol = valid_solution()
    groups = tuple(replace(g, id="AR.1") if g.id == "AR.2" else g for g in sol.groups)
    msgs = [m for m in messages(check(variant(sol, groups=groups)), "references")]
    assert msgs == ["Group id AR.1 is used by 2 groups; group ids must be unique"]


def test_group_size_below_min_and_above_max() -> None:
    sol = valid_solution()
    msgs = broken("group_size", variant(sol, groups=with_group(sol, "GE.1", students={"S3"})))
    assert msgs == ["Group GE.1 has 1 student(s); Geography (GE) needs at least 2"]
    school = tiny_school(courses=replace_in(tiny_school().courses, "MA-3", max_size=2))
    msgs = broken("group_size", sol, school)
    assert msgs == ["Group MA-3.1 has 3 students; Maths stage 3 (MA-3) takes at most 2"]


def test_sections_count_is_exact() -> None:
    school = tiny_school(courses=replace_in(tiny_school().courses, "MA-3", sections=2))
    msgs = broken("sections", valid_solution(), school)
    assert msgs == ["Maths stage 3 (MA-3) runs 1 group(s); the Courses sheet fixes 2"]


def test_lesson_shape_one_day_and_consecutive() -> None:
    sol = valid_solution()
    msgs = broken(
        "lesson_shape",
        variant(sol, groups=with_group(sol, "SC.1", lessons=[((MON[4], TUE[3]), "LAB")])),
    )
    assert msgs == [
        ("Group SC.1 has a lesson spread over Mon and Tue (Mon 4, Tue 3); a lesson is on one day")
    ]
    msgs = broken(
        "lesson_shape",
        variant(sol, groups=with_group(sol, "SC.1", lessons=[((TUE[1], TUE[3]), "LAB")])),
    )
    assert msgs == ["Group SC.1 has a lesson on Tue 1, Tue 3: its periods are not consecutive"]


def test_lesson_lengths_match_the_course() -> None:
    sol = valid_solution()
    msgs = broken(
        "lesson_lengths", variant(sol, groups=with_group(sol, "SC.1", lessons=[((TUE[3],), "LAB")]))
    )
    assert msgs == ["Group SC.1 has lessons of 1 period(s); Science (SC) has 2"]


def test_lesson_days_differ() -> None:
    sol = valid_solution()
    msgs = broken(
        "lesson_days",
        variant(
            sol, groups=with_group(sol, "MA-3.1", lessons=[((MON[2],), "R1"), ((MON[5],), "N1")])
        ),
    )
    assert msgs == ["Group MA-3.1 has 2 lessons on Mon (Mon 2, Mon 5)"]


def test_lesson_days_allowed_when_more_lessons_than_days() -> None:
    courses = replace_in(tiny_school().courses, "MA-3", lessons=(1, 1, 1))
    school = tiny_school(courses=courses)
    sol = valid_solution()
    sol = variant(
        sol,
        school=school,
        groups=with_group(
            sol, "MA-3.1", lessons=[((MON[2],), "R1"), ((MON[5],), "N1"), ((TUE[2],), "R1")]
        ),
    )
    assert check(sol, school).violations == []


def test_room_mode_online_has_no_room_and_school_has_one() -> None:
    sol = valid_solution()
    msgs = broken(
        "room_mode", variant(sol, groups=with_group(sol, "CS.1", lessons=[((TUE[2],), "LAB")]))
    )
    assert msgs == ["Group CS.1 of online course Computing (CS) has a room (LAB) at Tue 2"]
    msgs = broken(
        "room_mode",
        variant(
            sol, groups=with_group(sol, "MA-3.1", lessons=[((MON[2],), None), ((TUE[2],), "R1")])
        ),
    )
    assert msgs == ["Group MA-3.1 has no room at Mon 2"]


def test_room_type() -> None:
    sol = valid_solution()
    msgs = broken(
        "room_type",
        variant(sol, groups=with_group(sol, "SC.1", lessons=[((TUE[3], TUE[4]), "HALL")])),
    )
    assert msgs == ["Group SC.1 is in room HALL at Tue 3-4, which is not a lab room"]


def test_room_unavailable() -> None:
    sol = valid_solution()
    msgs = broken(
        "room_unavailable",
        variant(
            sol, groups=with_group(sol, "MA-3.1", lessons=[((MON[2],), "R1"), ((TUE[5],), "R1")])
        ),
    )
    assert msgs == ["Room R1 is unavailable at Tue 5 but holds MA-3.1"]


def test_room_capacity_one_group_and_shared_space() -> None:
    rooms = replace_in(tiny_school().rooms, "R1", capacity=2)
    msgs = broken("room_capacity", valid_solution(), tiny_school(rooms=rooms))
    assert msgs == [
        "Room R1 holds 3 students in MA-3.1 at Mon 2 (capacity 2)",
        "Room R1 holds 3 students in MA-3.1 at Tue 2 (capacity 2)",
    ]
    # Shared space: AR.1 (1) + AR.2 (1) at once in HALL, capacity now 1.
    rooms = replace_in(tiny_school().rooms, "HALL", capacity=1)
    msgs = broken("room_capacity", valid_solution(), tiny_school(rooms=rooms))
    assert msgs == ["Room HALL holds 2 students in AR.1 and AR.2 at Mon 3 (capacity 1, shared)"]


def test_room_sharing_max_groups() -> None:
    rooms = replace_in(tiny_school().rooms, "HALL", max_groups=1)
    msgs = broken("room_sharing", valid_solution(), tiny_school(rooms=rooms))
    assert msgs == ["Room HALL has 2 groups at Mon 3 (AR.1 and AR.2); it takes 1"]


def test_tutor_room_used_for_a_lesson_is_reported_softly() -> None:
    sol = valid_solution()
    report = check(variant(sol, groups=with_group(sol, "GE.1", lessons=[((MON[1],), "R1")])))
    assert hard_rules(report) == set()
    assert soft_rules(report) == {"tutor_room"}
    assert messages(report, "tutor_room") == [
        "Room R1 holds GE.1 at Mon 1, when tutor group TG-A meets there"
    ]


def test_staff_count_exact() -> None:
    sol = valid_solution()
    msgs = broken("staff_count", variant(sol, groups=with_group(sol, "MA-3.1", staff=("T1", "T4"))))
    assert msgs == ["Group MA-3.1 has 2 staff (T1;T4); Maths stage 3 (MA-3) needs 1"]
    msgs = broken("staff_count", variant(sol, groups=with_group(sol, "MA-3.1", staff=("T1", "T1"))))
    assert msgs == ["Group MA-3.1 lists the same staff more than once (T1;T1)"]


def test_staff_eligible_by_subject_stage_and_explicit_list() -> None:
    sol = valid_solution()
    msgs = broken("staff_eligible", variant(sol, groups=with_group(sol, "MA-3.1", staff=("T2",))))
    assert msgs == [
        (
            "T2 teaches group MA-3.1 but is not qualified for that subject and stage "
            "(Maths stage 3 (MA-3))"
        )
    ]
    # T1 is qualified for Maths stages 1-4 only.
    school = tiny_school(courses=replace_in(tiny_school().courses, "MA-3", stage=5))
    msgs = broken("staff_eligible", sol, school)
    assert msgs == [
        (
            "T1 teaches group MA-3.1 but is not qualified for that subject and stage "
            "(Maths stage 5 (MA-3))"
        )
    ]
    school = tiny_school(courses=replace_in(tiny_school().courses, "GE", staff=("T4",)))
    msgs = broken("staff_eligible", sol, school)
    assert msgs == ["T6 teaches group GE.1 but is not in its staff list (Geography (GE))"]


def test_staff_unavailable() -> None:
    sol = valid_solution()
    msgs = broken(
        "staff_unavailable",
        variant(sol, groups=with_group(sol, "AR.1", lessons=[((TUE[1],), "HALL")])),
    )
    assert msgs == ["T3 teaches AR.1 at Tue 1 but is unavailable then"]


def test_staff_max_periods_counts_lessons_not_tutor_time() -> None:
    staff = replace_in(tiny_school().staff, "T1", max_periods=1)
    msgs = broken("staff_max_periods", valid_solution(), tiny_school(staff=staff))
    assert msgs == ["T1 teaches 2 periods; their max_periods is 1"]
    # T4 teaches 1 period (AR.2) and tutors TG-A 1 period: tutor time is not counted.
    staff = replace_in(tiny_school().staff, "T4", max_periods=1)
    assert check(valid_solution(), tiny_school(staff=staff)).violations == []


def test_staff_clash_two_lessons_and_tutor_time() -> None:
    sol = valid_solution()
    msgs = broken("staff_clash", variant(sol, groups=with_group(sol, "AR.1", staff=("T4",))))
    assert msgs == ["T4 teaches AR.1 and AR.2 at Mon 3"]
    msgs = broken(
        "staff_clash",
        variant(sol, groups=with_group(sol, "GE.1", staff=("T4",), lessons=[((MON[1],), "HALL")])),
    )
    assert msgs == ["T4 teaches GE.1 at Mon 1, when their tutor group TG-A meets"]


def test_student_clash_two_lessons_and_tutor_time() -> None:
    sol = valid_solution()
    msgs = broken(
        "student_clash", variant(sol, groups=with_group(sol, "GE.1", lessons=[((MON[2],), "N1")]))
    )
    assert msgs == ["Student S4 has MA-3.1 and GE.1 at Mon 2"]
    msgs = broken(
        "student_clash", variant(sol, groups=with_group(sol, "AR.1", lessons=[((MON[1],), "HALL")]))
    )
    assert msgs == ["Student S1 has AR.1 at Mon 1, when their tutor group TG-A meets"]


def test_years_allowed() -> None:
    school = tiny_school(courses=replace_in(tiny_school().courses, "MA-3", years=frozenset({7})))
    msgs = broken("years", valid_solution(), school)
    assert msgs == ["Student S4 (year 8) is in group MA-3.1; Maths stage 3 (MA-3) is for year(s) 7"]


def test_home_days_no_school_lessons() -> None:
    sol = valid_solution()
    msgs = broken(
        "home_days", variant(sol, groups=with_group(sol, "GE.1", lessons=[((TUE[4],), "N1")]))
    )
    assert msgs == ["Student S3 has GE.1 at Tue 4, on their home-learning day Tue"]


def test_travel_between_sites() -> None:
    sol = valid_solution()
    msgs = broken(
        "travel", variant(sol, groups=with_group(sol, "GE.1", lessons=[((MON[3],), "N1")]))
    )
    assert msgs == [
        (
            "Student S4 has MA-3.1 at Main until 11:00 and GE.1 at North from 11:20 on "
            "Mon: 20 minutes to travel, 30 needed"
        )
    ]


def test_travel_applies_across_free_periods() -> None:
    # S4 has MA-3.1 at Mon 2 (until 11:00) and GE.1 at Mon 4 (from 13:00), free at Mon 3.
    msgs = broken("travel", valid_solution(), tiny_school(travel=(("North", "Main", 150),)))
    assert msgs == [
        (
            "Student S4 has MA-3.1 at Main until 11:00 and GE.1 at North from 13:00 on "
            "Mon: 120 minutes to travel, 150 needed"
        )
    ]


def test_travel_counts_tutor_time_in_a_room_but_not_online_lessons() -> None:
    sol = valid_solution()
    # S1 has tutor time in R1 (Main) until 10:00; MA-3.1 now at Mon 2 on the North site.
    msgs = broken(
        "travel",
        variant(
            sol, groups=with_group(sol, "MA-3.1", lessons=[((MON[2],), "N1"), ((TUE[2],), "R1")])
        ),
    )
    assert (
        "Student S1 has tutor group TG-A at Main until 10:00 and MA-3.1 at North from "
        "10:00 on Mon: 0 minutes to travel, 30 needed"
    ) in msgs
    # An online lesson right before a North lesson needs no travel: CS.1 at Mon 3, GE at Mon 4.
    quick = tiny_school(
        travel=(("Main", "North", 30),),
        students=replace_in(tiny_school().students, "S3", home_days=frozenset()),
    )
    sol2 = variant(sol, school=quick, groups=with_group(sol, "CS.1", lessons=[((MON[3],), None)]))
    assert check(sol2, quick).violations == []


def test_tutor_assigned_when_there_are_tutor_groups() -> None:
    sol = valid_solution()
    tutor_of = {s: t for s, t in sol.tutor_of.items() if s != "S5"}
    msgs = broken("tutor_assigned", variant(sol, tutor_of=tutor_of))
    assert msgs == ["Student S5 has no tutor group"]


def test_tutor_fixed_group_respected() -> None:
    sol = valid_solution()
    msgs = broken(
        "tutor_fixed",
        variant(sol, tutor_of={**sol.tutor_of, "S1": "TG-B"}),
        expect={"tutor_fixed", "tutor_family", "tutor_capacity"},
    )
    assert msgs == ["Student S1 is in tutor group TG-B; the Students sheet fixes TG-A"]


def test_tutor_capacity() -> None:
    tgs = replace_in(tiny_school().tutor_groups, "TG-A", capacity=1)
    msgs = broken("tutor_capacity", valid_solution(), tiny_school(tutor_groups=tgs))
    assert msgs == ["Tutor group TG-A has 2 students (capacity 1)"]


def test_tutor_house() -> None:
    students = replace_in(tiny_school().students, "S4", house="Blue")
    msgs = broken("tutor_house", valid_solution(), tiny_school(students=students))
    assert msgs == ["Student S4 of house Blue is in tutor group TG-B of house Red"]


def test_tutor_house_is_compared_as_written() -> None:
    # docs/workbook.md makes only sheet names and headers case-insensitive: house red is
    # not house Red (as validation and the solve read it: TutorGroup.takes_house).
    students = replace_in(tiny_school().students, "S4", house="red")
    msgs = broken("tutor_house", valid_solution(), tiny_school(students=students))
    assert msgs == ["Student S4 of house red is in tutor group TG-B of house Red"]


def test_tutor_vertical_balances_only_groups_of_one_house_as_written() -> None:
    # TG-A of house Red and TG-B of house red are two houses of one group each: nothing
    # to balance (the unbalanced timetable of test_tutor_vertical_years_spread passes).
    tgs = replace_in(tiny_school().tutor_groups, "TG-B", house="red")
    students = tuple(replace(s, house=None) for s in tiny_school().students)
    school = tiny_school(tutor_groups=tgs, students=students)
    sol = valid_solution()
    report = check(variant(sol, school=school, tutor_of={**sol.tutor_of, "S5": "TG-A"}), school)
    assert messages(report, "tutor_vertical") == []


def test_tutor_family_together() -> None:
    students = replace_in(tiny_school().students, "S5", family="F1")
    msgs = broken("tutor_family", valid_solution(), tiny_school(students=students))
    assert msgs == ["Family F1 is split across tutor groups: S1 and S2 in TG-A; S5 in TG-B"]


def test_tutor_vertical_years_spread() -> None:
    sol = valid_solution()
    # Year 7: TG-A 3 (S1, S2, S5), TG-B 0: they differ by 3.
    msgs = broken("tutor_vertical", variant(sol, tutor_of={**sol.tutor_of, "S5": "TG-A"}))
    assert msgs == [
        (
            "Year 7 has 3 students in vertical tutor group TG-A but 0 in TG-B "
            "(house Red); they may differ by at most 2"
        )
    ]


def test_tutor_vertical_whole_school_when_no_houses() -> None:
    tgs = tuple(replace(t, house=None) for t in tiny_school().tutor_groups)
    students = tuple(replace(s, house=None) for s in tiny_school().students)
    school = tiny_school(tutor_groups=tgs, students=students)
    sol = valid_solution()
    assert check(sol, school).violations == []
    msgs = broken(
        "tutor_vertical",
        variant(sol, school=school, tutor_of={**sol.tutor_of, "S5": "TG-A"}),
        school,
    )
    assert msgs == [
        (
            "Year 7 has 3 students in vertical tutor group TG-A but 0 in TG-B "
            "(the school); they may differ by at most 2"
        )
    ]


def test_home_learning_students_have_no_tutor_time_on_home_days() -> None:
    # S3's tutor group TG-B meets Tue 1, S3's home day: S3 is not busy then, so the
    # idle periods of S3 on Tue count from CS.1 at Tue 2 only (no idle period).
    sol = valid_solution()
    assert objective_terms(tiny_school(), sol)["idle_student"] == 1  # S4's Mon 3 only


def test_request_groups_only_requested_courses_and_one_group_each() -> None:
    sol = valid_solution()
    msgs = broken(
        "request_groups", variant(sol, groups=with_group(sol, "AR.1", students={"S1", "S5"}))
    )
    assert msgs == ["Student S5 is in AR.1 but did not ask for AR"]
    msgs = broken(
        "request_groups",
        variant(sol, groups=with_group(sol, "AR.1", students={"S1", "S2"})),
        expect={"request_groups", "student_clash"},
    )
    assert msgs == ["Student S2 is in 2 groups of AR: AR.1 and AR.2"]


def test_option_quota_never_exceeded() -> None:
    sol = valid_solution()
    msgs = broken(
        "option_quota", variant(sol, groups=with_group(sol, "GE.1", students={"S1", "S3", "S4"}))
    )
    assert msgs == ["Student S1 has 3 options or alternates (SC, AR and GE) but chose 2 option(s)"]


def test_core_unmet_is_soft_with_its_reason() -> None:
    sol = valid_solution()
    broken_sol = variant(sol, groups=with_group(sol, "MA-3.1", students={"S1", "S2"}))
    broken_sol = replace(
        broken_sol,
        outcomes=tuple(
            replace(o, reason="clashes with GE.1") if (o.student, o.course) == ("S4", "MA-3") else o
            for o in broken_sol.outcomes
        ),
    )
    report = check(broken_sol)
    assert hard_rules(report) == set() and soft_rules(report) == {"core_unmet"}
    assert messages(report, "core_unmet") == [
        "Student S4 did not get core course Maths stage 3 (MA-3): clashes with GE.1"
    ]
    assert report.figures.core_met_pct == 75.0


def test_request_outcomes_status_group_and_rows() -> None:
    sol = valid_solution()

    def with_outcome(student: str, course: str, **changes) -> Solution:
        return replace(
            sol,
            outcomes=tuple(
                replace(o, **changes) if (o.student, o.course) == (student, course) else o
                for o in sol.outcomes
            ),
        )

    msgs = broken(
        "request_outcomes", with_outcome("S4", "SC", status=RequestStatus.MET, group="SC.1")
    )
    assert msgs == ["Request of student S4 for SC (option) is marked met; the groups make it unmet"]
    # An unused alternate with the quota full is not_needed, not unmet (rule 7).
    msgs = broken("request_outcomes", with_outcome("S1", "GE", status=RequestStatus.UNMET))
    assert msgs == [
        ("Request of student S1 for GE (alternate) is marked unmet; the groups make it not_needed")
    ]
    msgs = broken("request_outcomes", with_outcome("S2", "AR", group="AR.1"))
    assert msgs == ["Request of student S2 for AR names group AR.1; the student is in AR.2"]
    msgs = broken("request_outcomes", with_outcome("S1", "SC", rank=4))
    assert msgs == ["Request of student S1 for SC has rank 4; the school's request has 1"]
    msgs = broken("request_outcomes", replace(sol, outcomes=sol.outcomes[:-1]))
    assert msgs == ["No request outcome for student S4's option request for SC"]


def test_objective_written_wrongly_is_reported_softly() -> None:
    sol = replace(valid_solution(), objective=111, objective_terms={**VALID_TERMS, "idle_staff": 0})
    report = check(sol)
    assert hard_rules(report) == set() and soft_rules(report) == {"objective"}
    assert messages(report, "objective") == [
        "Objective term idle_staff is written as 0; the timetable scores 1",
        "Objective is written as 111; the timetable scores 112",
    ]


def test_output_issues_are_reported_under_their_own_rule() -> None:
    sol = replace(
        valid_solution(),
        output_issues=(
            OutputIssue("declared_size", "groups.csv line 2: size"),
            OutputIssue("summary", "summary.json: groups", hard=False),
        ),
    )
    report = check(sol)
    assert hard_rules(report) == {"declared_size"} and soft_rules(report) == {"summary"}


def test_empty_groups_are_not_run_and_not_checked() -> None:
    sol = valid_solution()
    ghost = replace(
        sol.group_by_id["AR.1"], id="AR.3", number=3, students=frozenset(), staff=("T9",)
    )
    assert check(variant(sol, groups=sol.groups + (ghost,))).violations == []


def test_expected_outcomes_alternate_unmet_when_quota_not_full() -> None:
    # S1 loses SC: only AR of 2 options is met, so the unused alternate GE is unmet.
    sol = valid_solution()
    sol = variant(sol, groups=with_group(sol, "SC.1", students={"S4"}))
    status = {(o.student, o.course): o.status for o in expected_outcomes(tiny_school(), sol)}
    assert status[("S1", "SC")] is RequestStatus.UNMET
    assert status[("S1", "GE")] is RequestStatus.UNMET
    assert status[("S4", "SC")] is RequestStatus.MET


# --------------------------------------------------------------------------------------
# Independence from the solver
# --------------------------------------------------------------------------------------

FORBIDDEN = ("ortools", "constraints", "scheduler.solver.engine")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


@pytest.mark.parametrize("module", ["checker.py", "score.py", "outputs/read.py"])
def test_checker_and_reader_do_not_import_the_solver(module: str) -> None:
    imports = _imports(ROOT / "scheduler" / module)
    bad = [m for m in imports for f in FORBIDDEN if m == f or m.startswith(f + ".")]
    assert bad == []
    assert "scheduler.outputs.write" not in imports  # the writer imports the checker, not back


# Loading them (and every module outside the solve layer) without OR-Tools: test_import_guard.py


def test_online_lesson_in_tutor_time_is_fine_on_a_home_day_only() -> None:
    """Rule 6: no tutor time on home days, so an online lesson may sit in that slot then."""
    from scheduler.model import TutorGroup
    from scheduler.solution import Group, Lesson
    from tests.solver_schools import home_and_online

    base = home_and_online()  # S1 learns from home on Mon and Tue; Mon 1 is slot 0
    school = replace(base, tutor_groups=(TutorGroup("TG1", "T1", 5, frozenset({0})),))
    hi = Group("HI.1", "HI", 1, (Lesson((1,), "R1"),), ("T1",), frozenset({"S2"}))

    def violations(online_students: frozenset[str]) -> list[str]:
        co = Group("CO.1", "CO", 1, (Lesson((0,), None),), ("T2",), online_students)
        sol = Solution(groups=(hi, co), tutor_of={"S1": "TG1", "S2": "TG1"})
        return [
            v.message
            for v in check_solution(school, sol).hard_violations
            if v.rule == "student_clash"
        ]

    assert violations(frozenset({"S1"})) == []
    assert violations(frozenset({"S1", "S2"})) == [
        "Student S2 has CO.1 at Mon 1, when their tutor group TG1 meets"
    ]


# The fixture itself (tests/checker_fixtures.py): the hand-worked statuses and slot labels.


def test_fixture_outcomes_match_the_hand_worked_statuses() -> None:
    sol = valid_solution()
    got = [(o.student, o.course, o.status, o.group) for o in sol.outcomes]
    assert got == list(HAND_OUTCOMES)


def test_fixture_slot_labels() -> None:
    cal = calendar()
    assert cal.slots[MON[3]].label == "Mon 3" and cal.slots[TUE[4]].label == "Tue 4"
    assert cal.by_label["Tue 1"] == 5
