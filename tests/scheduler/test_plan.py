"""Planning groups by year cohort (scheduler.plan.cohort_chunks, plan_groups(by_cohort=True))
and the provisional placement that seats each cohort in its own groups."""

from __future__ import annotations

from scheduler.model import Course, Qualification, Room, School, Staff, Student
from scheduler.plan import cohort_chunks, plan_groups, tentative_sections
from tests.solver_schools import calendar, req


def stage_school(per_year: dict[int, int], min_size: int = 4, kind: str = "core") -> School:
    """One stage-not-age English course taken by several years, plus a one-year course."""
    students = []
    requests = []
    for year, n in per_year.items():
        for k in range(n):
            sid = f"S{year}-{k:02d}"
            students.append(Student(sid, year))
            requests.append(req(sid, "EN-3", kind))
            if year == 8:
                requests.append(req(sid, "HUM8"))
    return School(
        calendar=calendar(("Mon", "Tue", "Wed"), periods=4),
        rooms=(Room("R1", 30, frozenset({"classroom"})),),
        staff=(
            Staff("T1", qualifications=(Qualification("English"), Qualification("Humanities"))),
        ),
        courses=(
            Course("EN-3", "English", (1,), min_size, 30, stage=3),
            Course("HUM8", "Humanities", (1,), 1, 30, years=frozenset({8})),
        ),
        students=tuple(students),
        requests=tuple(requests),
    )


def test_each_year_is_a_chunk_and_small_years_join_the_smaller_neighbour():
    school = stage_school({7: 2, 8: 20, 9: 16, 10: 30})
    # Year 7's two students would not fill half a group (15 of 30): they join year 8 (the
    # only neighbour); the other years are chunks of their own.
    assert cohort_chunks(school, school.course_by_id["EN-3"]) == [
        ((7, 8), 22),
        ((9,), 16),
        ((10,), 30),
    ]
    # Year 9's 12 join the smaller neighbour: years 7-8 (22), not year 10 (30).
    school = stage_school({7: 2, 8: 20, 9: 12, 10: 30})
    assert cohort_chunks(school, school.course_by_id["EN-3"]) == [((7, 8, 9), 34), ((10,), 30)]
    # Few students in all: one chunk, so nothing to cut (a 3-student stage course was cut
    # in two groups, and the fixture school met 1 option of 8 instead of 6).
    few = stage_school({7: 2, 8: 1}, min_size=1)
    assert cohort_chunks(few, few.course_by_id["EN-3"]) == []
    assert plan_groups(few, 0.9, by_cohort=True) == plan_groups(few, 0.9)
    # A course of one year, or one nobody takes as core, is not cut.
    assert cohort_chunks(school, school.course_by_id["HUM8"]) == []
    options = stage_school({7: 10, 8: 10}, kind="option")
    assert cohort_chunks(options, options.course_by_id["EN-3"]) == []


def test_planned_by_cohort_each_group_seats_one_cohort():
    school = stage_school({7: 25, 8: 25, 9: 25})
    whole = [g for g in plan_groups(school, 0.9) if g.course == "EN-3"]
    cohorts = [g for g in plan_groups(school, 0.9, by_cohort=True) if g.course == "EN-3"]
    assert len(whole) == 3 and all(g.cohort == () for g in whole)
    assert [g.cohort for g in cohorts] == [(7,), (8,), (9,)]
    tentative = tentative_sections(school, tuple(cohorts))
    year = {s.id: s.year for s in school.students}
    for g in cohorts:
        seated = [s for s, row in tentative.items() if row.get("EN-3") == g.id]
        assert len(seated) == 25 and {year[s] for s in seated} == set(g.cohort)
    # Cut as a whole, the balanced groups mix years (what the cohort plan avoids).
    mixed = tentative_sections(school, tuple(whole))
    seats = {}
    for s, row in mixed.items():
        seats.setdefault(row["EN-3"], set()).add(year[s])
    assert seats and all(len(ys) == 1 for ys in seats.values())  # 25/25/25: aligned here
    uneven = stage_school({7: 20, 8: 30, 9: 25})
    cut = tentative_sections(
        uneven, tuple(g for g in plan_groups(uneven, 0.9) if g.course == "EN-3")
    )
    years_per_group = {}
    for s, row in cut.items():
        years_per_group.setdefault(row["EN-3"], set()).add(int(s[1:].split("-")[0]))
    assert any(len(ys) > 1 for ys in years_per_group.values())
