"""The solve's first timetable and what the hard rules cannot place (issue 12).

* staff whose free days cannot hold a course's lessons are never given its groups;
* a group the hard rules cannot place is dropped with its reason before the stricter
  rungs, which then still keep students' groups apart;
Every solution is checked by the independent checker
(tests/scheduler/solver/test_solve.solve_checked).
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

from scheduler.model import Course, Qualification, Room, School, Settings, Staff, Student
from scheduler.plan import choose_slack, lessons_fit, plan_groups
from scheduler.solver.staffing import assign_staff
from tests.scheduler.solver.test_solve import solve_checked, unmet
from tests.solver_schools import calendar, req


def test_lessons_fit_needs_a_free_day_per_lesson():
    school = part_time_school()
    cal = school.calendar
    days = {d: {s.index for s in cal.slots if s.day == d} for d in cal.days}
    off_two = days["Mon"] | days["Tue"]  # free Wed, Thu, Fri
    assert lessons_fit(school, (1, 1, 1), off_two)
    assert not lessons_fit(school, (1, 1, 1, 1), off_two)
    assert lessons_fit(school, (1, 1, 1, 1), set())
    # A double needs two consecutive free periods on one of the free days.
    only_first = {s.index for s in cal.slots if s.period != "1"}
    assert not lessons_fit(school, (2,), only_first)
    assert lessons_fit(school, (1,), only_first)


def part_time_school() -> School:
    """Maths has 4 single lessons a week (5 days). T1 works every day; T2 only Wed-Fri
    but has more spare periods. Two groups of Maths are needed (40 students, max 20):
    only T1 can teach either, on days enough for four lessons."""
    cal = calendar(("Mon", "Tue", "Wed", "Thu", "Fri"), periods=4)
    off = frozenset(s.index for s in cal.slots if s.day in ("Mon", "Tue"))
    ids = [f"S{i}" for i in range(1, 41)]
    return School(
        calendar=cal,
        rooms=(Room("R1", 30, frozenset({"classroom"})), Room("R2", 30, frozenset({"classroom"}))),
        staff=(
            Staff("T1", qualifications=(Qualification("Maths"),)),
            Staff("T2", qualifications=(Qualification("Maths"),), unavailable=off),
        ),
        courses=(Course("MA", "Maths", (1, 1, 1, 1), 5, 20),),
        students=tuple(Student(s, 9) for s in ids),
        requests=tuple(req(s, "MA") for s in ids),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )


def test_part_timer_free_on_too_few_days_gets_no_four_lesson_group():
    school = part_time_school()
    planned = plan_groups(school, 1.0)
    staffing = assign_staff(school, planned, 5, 1, 1)
    assert not staffing.problems
    assert all(staff == ("T1",) for staff in staffing.staff_of.values())


def test_part_timer_school_is_fully_timetabled(tmp_path):
    sol, _report, _ = solve_checked(part_time_school(), tmp_path)
    assert not unmet(sol)
    assert {g.staff for g in sol.groups} == {("T1",)}


def one_lab_school() -> School:
    """One day of 4 periods, one lab. CH and PH each need the lab for a triple lesson:
    only one of them can ever be placed. EN (a classroom) fits beside either.
    Students S1-S4 take EN and CH, S5-S8 EN and PH. The hard rules place EN and one
    of CH/PH; every EN request is met, and the students of the science that cannot
    run are told why."""
    cal = calendar(("Mon",), periods=4)
    ids = [f"S{i}" for i in range(1, 9)]
    return School(
        calendar=cal,
        rooms=(Room("LAB", 30, frozenset({"lab"})), Room("C1", 30, frozenset({"classroom"}))),
        staff=(
            Staff("T1", qualifications=(Qualification("Chemistry"),)),
            Staff("T2", qualifications=(Qualification("Physics"),)),
            Staff("T3", qualifications=(Qualification("English"),)),
        ),
        courses=(
            Course("CH", "Chemistry", (3,), 1, 30, room_type="lab"),
            Course("PH", "Physics", (3,), 1, 30, room_type="lab"),
            Course("EN", "English", (1,), 1, 30, room_type="classroom"),
        ),
        students=tuple(Student(s, 9) for s in ids),
        requests=tuple(req(s, "EN") for s in ids)
        + tuple(req(s, "CH") for s in ids[:4])
        + tuple(req(s, "PH") for s in ids[4:]),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )


def test_groups_the_hard_rules_cannot_place_are_dropped_with_a_reason(tmp_path):
    sol, _, _ = solve_checked(one_lab_school(), tmp_path)
    missed = unmet(sol)
    assert len(missed) == 4, [str(o) for o in missed]
    assert len({o.course for o in missed}) == 1  # all of one science, none of English
    assert all("got no times in this timetable" in (o.reason or "") for o in missed)
    stats = sol.stats
    assert len(stats["groups_impossible"]) == 1
    # The stricter rungs still ran on what can be placed (students' groups kept apart).
    assert stats["tentative_strictness"] != "none"


def test_groups_that_cannot_run_are_named_by_course_with_why(tmp_path):
    """summary.json and the terminal name the science the timetable left out by its
    course (a planned group id would name another group: ids are renumbered as groups
    come out), how many of its groups, and why in the school's words; and that the hard
    rules cannot place it."""
    import json

    from scheduler.cli.solve import not_run_lines

    sol, _, _ = solve_checked(one_lab_school(), tmp_path)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    why = summary["groups_unplaced_why"]
    assert [(r["course"], r["groups"], r["of"]) for r in why] in ([("CH", 1, 1)], [("PH", 1, 1)])
    left = why[0]["course"]
    assert left not in {g.course for g in sol.groups}  # the one the timetable left out
    label = {"CH": "Chemistry", "PH": "Physics"}[left]
    assert why[0]["reason"].startswith(f"{label} ({left}) got no times in this timetable")
    assert {o.course for o in unmet(sol)} == {left}
    lines = not_run_lines(summary)
    assert lines[0].startswith(
        "1 planned group(s) got no times (1 cannot be placed under the hard rules at all)"
    ), lines
    assert lines[1:] == [f"  {why[0]['reason']} (1 of 1 groups)"]


def test_groups_nobody_can_teach_are_named_by_course_with_why(tmp_path):
    """Eight students ask for Art in groups of at most 4; its only teacher may teach 2
    periods, one double: one Art group runs. Of the other two planned, one is needed for
    the eight (the third is spare, planned for choice of times): summary.json and the
    terminal name the needed one by course, with why, and count the spare one."""
    import json

    from scheduler.cli.solve import not_run_lines

    ids = [f"S{i}" for i in range(1, 9)]
    school = School(
        calendar=calendar(("Mon", "Tue"), periods=3),
        rooms=(Room("C1", 30, frozenset({"classroom"})), Room("C2", 30, frozenset({"classroom"}))),
        staff=(
            Staff("T1", qualifications=(Qualification("Art"),), max_periods=2),
            Staff("T2", qualifications=(Qualification("English"),)),
        ),
        courses=(
            Course("AR", "Art", (2,), 1, 4, room_type="classroom"),
            Course("EN", "English", (1,), 1, 30, room_type="classroom"),
        ),
        students=tuple(Student(s, 9) for s in ids),
        requests=tuple(req(s, "EN") for s in ids) + tuple(req(s, "AR") for s in ids),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )
    sol, _, _ = solve_checked(school, tmp_path)
    assert sorted(g.course for g in sol.groups) == ["AR", "EN"]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert len(summary["groups_unstaffed"]) == 1
    assert len(summary["groups_spare_unstaffed"]) == 1
    (row,) = summary["groups_unstaffed_why"]
    assert (row["course"], row["groups"], row["of"]) == ("AR", 1, 2)
    assert row["reason"].startswith("Art (AR) could not be staffed"), row
    head = (
        "1 planned group(s) could not be staffed; their students were placed in other "
        "groups where they fit (requests.csv gives each unmet request's reason):"
    )
    spare = (
        "1 spare group(s), planned beyond the seats the requests need to give more choice "
        "of times, had nobody free to teach them and do not run."
    )
    assert not_run_lines(summary) == [head, f"  {row['reason']} (1 of 2 groups)", spare]


def test_not_placed_counts_a_course_s_groups_left_out():
    """Two of three English groups and the only Physics group left out: one row each, in
    course order, with the course's reason (or a plain one where none was given)."""
    from scheduler.solver.engine import not_placed

    planned = [SimpleNamespace(id=f"EN.{i}", course="EN") for i in (1, 2, 3)] + [
        SimpleNamespace(id="PH.1", course="PH")
    ]
    rows = not_placed(["EN.1", "EN.3", "PH.1"], planned, {"EN": "English: no room"})
    assert rows == [
        {"course": "EN", "groups": 2, "of": 3, "reason": "English: no room"},
        {"course": "PH", "groups": 1, "of": 1, "reason": "PH: no times could be found for it"},
    ]


def test_a_dropped_group_that_shares_its_teacher_is_left_out_cleanly(tmp_path):
    """One teacher for both sciences: after the group that cannot be placed is dropped,
    the later rungs must not look for it among that teacher's groups (a KeyError once)."""
    school = one_lab_school()
    both = Staff("T1", qualifications=(Qualification("Chemistry"), Qualification("Physics")))
    # Six periods: T1 can teach both triples, but the lab is free for only four.
    lab = Room("LAB", 30, frozenset({"lab"}), unavailable=frozenset({4, 5}))
    school = replace(
        school,
        calendar=calendar(("Mon",), periods=6),
        staff=(both, school.staff[2]),
        rooms=(lab, school.rooms[1]),
    )
    sol, _, _ = solve_checked(school, tmp_path)
    assert len(sol.stats["groups_impossible"]) == 1
    assert len(unmet(sol)) == 4


def test_a_greedy_placement_missing_a_required_group_is_completed_not_thrown_away(
    monkeypatch, caplog, tmp_path
):
    """A greedy placement without a group of a fixed sections count cannot hold alone; it
    is CP-SAT's start for the rest (on a FET school of 84 one-section courses, 78 placed
    greedily had been thrown away with the warning that they broke a rule)."""
    from scheduler.solver import engine
    from tests.solver_schools import sections_school

    real = engine.greedy_lessons
    dropped: list[str] = []

    def partial(tm, tentative=None, *args, **kwargs):
        runs = real(tm, tentative, *args, **kwargs)
        gid = next(g.id for g in tm.groups if g.required and g.id in runs)
        dropped.append(gid)
        del runs[gid]
        return runs

    monkeypatch.setattr(engine, "greedy_lessons", partial)
    school = sections_school()
    with caplog.at_level("WARNING"):
        sol, _, _ = solve_checked(school, tmp_path)
    assert dropped
    assert "broke a rule" not in caplog.text
    placed, total = sol.stats["first_greedy_placed"].split("/")
    assert int(placed) == int(total) - 1  # kept, as the start of the completion
    assert sol.stats["time_to_first_s"] is not None


def test_a_partial_greedy_placement_is_a_first_timetable_before_cp_sat_completes_it(
    monkeypatch, tmp_path
):
    """Anytime: where the greedy leaves out a group that need not run, its students are
    placed on what it did place before CP-SAT looks for the rest (on a 2,791-student
    school CP-SAT looked 45 s for the last two groups), and the completed placement
    replaces that first timetable only if it is better."""
    from scheduler.solver import engine
    from tests.solver_schools import two_courses

    real_greedy, real_complete, real_students = (
        engine.greedy_lessons,
        engine.place_everything,
        engine.section_round,
    )
    calls: list[str] = []

    def partial(tm, tentative=None, *args, **kwargs):
        runs = real_greedy(tm, tentative, *args, **kwargs)
        del runs[next(g.id for g in tm.groups if not g.required and g.id in runs)]
        return runs

    def complete(*args, **kwargs):
        calls.append("complete")
        return real_complete(*args, **kwargs)

    def students(*args, **kwargs):
        calls.append("students" if kwargs.get("quick") else "search")
        return real_students(*args, **kwargs)

    monkeypatch.setattr(engine, "greedy_lessons", partial)
    monkeypatch.setattr(engine, "place_everything", complete)
    monkeypatch.setattr(engine, "section_round", students)
    sol, _, _ = solve_checked(two_courses(), tmp_path)
    assert calls[:3] == ["students", "complete", "students"], calls
    placed, total = sol.stats["first_greedy_placed"].split("/")
    assert int(placed) == int(total) - 1
    assert not unmet(sol)  # the completed placement was better, and kept


def _spy_staffing(monkeypatch, first_times_out: bool) -> list[tuple[float, int]]:
    """Record every staffing's time limit and seed; the first may time out."""
    from scheduler.solver import engine

    calls: list[tuple[float, int]] = []
    real = engine.assign_staff

    def spy(school, groups, time_limit, seed, *args, **kwargs):
        calls.append((time_limit, seed))
        made = real(school, groups, time_limit, seed, *args, **kwargs)
        if first_times_out and len(calls) == 1:
            return replace(made, staff_of={}, problems=("not finished",), timed_out=True)
        return made

    monkeypatch.setattr(engine, "assign_staff", spy)
    return calls


def test_the_first_timetable_is_staffed_quickly_and_the_ladder_in_full(monkeypatch, tmp_path):
    """Anytime: the first timetable of all is made on a staffing given a share of the
    staffing time (on a 1,732-student federation the balance search ran 6 s before any
    timetable); the ladder's staffing, from the same seed, then gets the whole time."""
    from scheduler.solver.budget import POLICY
    from tests import solver_schools as schools
    from tests.scheduler.solver.test_solve import OPTS

    calls = _spy_staffing(monkeypatch, first_times_out=False)
    school = schools.two_courses()
    sol, _, _ = solve_checked(school, tmp_path)
    groups = len(plan_groups(school, choose_slack(school)))
    quick = POLICY.first_staffing(OPTS.time_limit, groups)
    full = POLICY.staffing(OPTS.time_limit)
    assert quick < full
    assert calls[0] == (quick, OPTS.seed)
    assert (full, OPTS.seed) in calls[1:]
    assert sol.groups and not unmet(sol)


def test_a_quick_staffing_that_finds_nothing_is_done_again_in_full(monkeypatch, tmp_path):
    from scheduler.solver.budget import POLICY
    from tests import solver_schools as schools
    from tests.scheduler.solver.test_solve import OPTS

    calls = _spy_staffing(monkeypatch, first_times_out=True)
    school = schools.two_courses()
    sol, _, _ = solve_checked(school, tmp_path)
    groups = len(plan_groups(school, choose_slack(school)))
    quick = POLICY.first_staffing(OPTS.time_limit, groups)
    full = POLICY.staffing(OPTS.time_limit)
    assert calls[:2] == [(quick, OPTS.seed), (full, OPTS.seed)]
    assert sol.groups and not unmet(sol)


def test_ctrl_c_during_the_first_timetable_staffs_no_more(monkeypatch, tmp_path):
    """Ctrl-C right after a staffing search, while the first timetable is made: that
    timetable is the answer, and no staffing with the whole time follows for a ladder
    that will not run. (CP-SAT's own Ctrl-C handler used to leave SIGINT at its default
    after the staffing search, and this Ctrl-C killed the solve with nothing written.)"""
    import os
    import signal

    from scheduler.solver import engine
    from tests import solver_schools as schools

    calls: list[float] = []
    real = engine.assign_staff

    def spy(school, groups, time_limit, *args, **kwargs):
        calls.append(time_limit)
        made = real(school, groups, time_limit, *args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)  # the solve's own handler takes it
        return made

    monkeypatch.setattr(engine, "assign_staff", spy)
    sol, _, _ = solve_checked(schools.two_courses(), tmp_path)
    assert len(calls) == 1
    assert sol.groups and sol.interrupted
