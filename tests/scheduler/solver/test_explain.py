"""``pathways explain`` (issue 15, items 2-4): a tiny school made infeasible on purpose in
ten ways; each time the planted cause (its staff, room, group or student ids) must be
named by a minimal conflicting set. Also: minimality (dropping any fact of the set
makes the rest feasible), a suggested change recovers what it claims when the changed
school is actually solved, and why a student did not get a course in a finished solve.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from ortools.sat.python import cp_model
from typer.testing import CliRunner

from scheduler.model import (
    Course,
    Lock,
    Qualification,
    Room,
    School,
    Settings,
    Staff,
    Student,
    TutorGroup,
)
from scheduler.solver.explain import Conflict, FactModel, explain_school, why_student
from tests.solver_schools import calendar, req

CAL = calendar()  # Mon, Tue, Wed x 4 periods: 12 slots
DAY = CAL.day_slots


def base(
    courses: tuple[Course, ...],
    staff: tuple[Staff, ...],
    rooms: tuple[Room, ...] = (Room("R1", 30, frozenset({"classroom"})),),
    students: int = 4,
    **extra,
) -> School:
    """Students S1.. asking for every course as core."""
    ids = [f"S{i}" for i in range(1, students + 1)]
    return School(
        calendar=extra.pop("cal", CAL),
        rooms=rooms,
        staff=staff,
        courses=courses,
        students=extra.pop("student_rows", tuple(Student(s, 9) for s in ids)),
        requests=tuple(req(s, c.id) for s in ids for c in courses),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
        **extra,
    )


def teacher(pid: str, *subjects: str, **kw) -> Staff:
    return Staff(pid, qualifications=tuple(Qualification(s) for s in subjects), **kw)


def but(*keep: int) -> frozenset[int]:
    """Every slot except these."""
    return frozenset(range(CAL.num_slots)) - set(keep)


# ---- the ten planted causes ----------------------------------------------------------------


def staff_hours() -> School:
    """Maths for 8 students in groups of at most 4: two groups of 3 periods; T1, the only
    Maths teacher, teaches at most 4 periods."""
    return base(
        (Course("MA", "Maths", (1, 1, 1), 1, 4),),
        (teacher("T1", "Maths", max_periods=4),),
        students=8,
    )


def team() -> School:
    """A project needing 3 staff at once for a 3-period block; T3 is away at period 2 of
    every day, so the three never share 3 periods in a row."""
    return base(
        (Course("PRJ", "Project", (3,), 1, 30, staff=("T1", "T2", "T3"), staff_per_group=3),),
        (
            teacher("T1", "Project"),
            teacher("T2", "Project"),
            teacher("T3", "Project", unavailable=frozenset({1, 5, 9})),
        ),
    )


def few_labs() -> School:
    """Three science groups of 5 single lessons need 15 lab periods; LAB1 is the only
    lab: 12 periods."""
    return base(
        (Course("SC", "Science", (1, 1, 1, 1, 1), 1, 30, room_type="lab", sections=3),),
        tuple(teacher(f"T{i}", "Science") for i in (1, 2, 3)),
        rooms=(Room("R1", 30, frozenset({"classroom"})), Room("LAB1", 30, frozenset({"lab"}))),
    )


def no_pool() -> School:
    """Swimming needs a pool; the school has none."""
    return base(
        (
            Course("SW", "Swimming", (1,), 1, 30, room_type="pool"),
            Course("MA", "Maths", (1,), 1, 30),
        ),
        (teacher("T1", "Swimming"), teacher("T2", "Maths")),
    )


def part_timer() -> School:
    """T1, the only History teacher, works Mondays only; History's 2 lessons must fall on
    different days."""
    return base(
        (Course("HI", "History", (1, 1), 1, 30),),
        (teacher("T1", "History", unavailable=frozenset(DAY["Tue"]) | frozenset(DAY["Wed"])),),
    )


def tutor_time() -> School:
    """T1, the only French teacher, tutors TG1 all of Tuesday and Wednesday; French's 2
    lessons must fall on different days, and Monday is one day. (The students may join
    TG2 instead, which meets at Mon 1: their own tutor time is not the cause.)"""
    return base(
        (Course("FR", "French", (1, 1), 1, 30),),
        (teacher("T1", "French"), teacher("T2")),
        tutor_groups=(
            TutorGroup("TG1", "T1", 30, frozenset(DAY["Tue"]) | frozenset(DAY["Wed"])),
            TutorGroup("TG2", "T2", 30, frozenset({DAY["Mon"][0]})),
        ),
    )


def home_day() -> School:
    """S1 learns at home on Mon and Tue; History has 2 lessons on different days: only
    Wednesday is left for S1."""
    students = (Student("S1", 12, home_days=frozenset({"Mon", "Tue"})), Student("S2", 12))
    return base(
        (Course("HI", "History", (1, 1), 1, 30),),
        (teacher("T1", "History"),),
        students=2,
        student_rows=students,
    )


def travel() -> School:
    """T1 teaches Maths on the main site and Physics on the partner's, 200 minutes apart:
    one site a day, but the two courses need 2 days each in a 2-day cycle."""
    cal = calendar(days=("Mon", "Tue"), periods=4)
    return base(
        (
            Course("MA", "Maths", (1, 1), 1, 30, room_type="classroom"),
            Course("PH", "Physics", (1, 1), 1, 30, room_type="lab"),
        ),
        (teacher("T1", "Maths", "Physics"),),
        rooms=(
            Room("M1", 30, frozenset({"classroom"})),
            Room("P1", 30, frozenset({"lab"}), site="Partner"),
        ),
        cal=cal,
        travel=(("Main", "Partner", 200),),
    )


def locks() -> School:
    """Maths and English, both taught by T1 alone, locked to the same period."""
    return base(
        (Course("MA", "Maths", (1,), 1, 30), Course("EN", "English", (1,), 1, 30)),
        (teacher("T1", "Maths", "English"),),
        locks=(
            Lock("MA", 1, slots=frozenset({0}), row=2),
            Lock("EN", 1, slots=frozenset({0}), row=3),
        ),
    )


def too_many_lessons() -> School:
    """Art has 4 lessons; T1, its only teacher, is free only at period 1 of each day (3
    periods)."""
    return base(
        (Course("AR", "Art", (1, 1, 1, 1), 1, 30),),
        (teacher("T1", "Art", unavailable=but(0, 4, 8)),),
    )


PLANTED = {
    # name: (school, ids the minimal set must name, the kind of fact that must be in it)
    "staff hours": (staff_hours, {"T1"}, "max_periods"),
    "team free periods": (team, {"T3", "PRJ.1"}, "availability"),
    "too few rooms of a kind": (few_labs, {"LAB1"}, "rooms"),
    "a room kind missing": (no_pool, {"SW"}, "rooms"),
    "part-timer days": (part_timer, {"T1", "HI.1"}, "availability"),
    "tutor time": (tutor_time, {"T1", "FR.1"}, "tutor"),
    "home day": (home_day, {"S1", "HI"}, "home"),
    "travel between sites": (travel, {"T1"}, "travel"),
    "locks that contradict": (locks, {"MA.1", "EN.1"}, "lock"),
    "more lessons than free periods": (too_many_lessons, {"T1", "AR.1"}, "availability"),
}


def naming(conflicts: list[Conflict], ids: set[str], kind: str) -> Conflict | None:
    for c in conflicts:
        if ids <= c.names() and any(f.kind == kind for f in c.facts):
            return c
    return None


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_the_planted_cause_is_named(name: str) -> None:
    make, ids, kind = PLANTED[name]
    found = explain_school(make(), changes=False)
    assert found.status == "conflicts"
    hit = naming(found.conflicts, ids, kind)
    assert hit is not None, [(c.headline, [f.text for f in c.facts]) for c in found.conflicts]
    assert hit.minimal


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_each_planted_cause_lifted_is_feasible(name: str) -> None:
    """The twins: the same schools without the planted cause have no conflict, so the
    test above cannot pass by naming everything."""
    fixed = {
        "staff hours": lambda s: replace(s, staff=(replace(s.staff[0], max_periods=None),)),
        "team free periods": lambda s: replace(
            s, staff=(*s.staff[:2], replace(s.staff[2], unavailable=frozenset()))
        ),
        "too few rooms of a kind": lambda s: replace(
            s, rooms=(*s.rooms, Room("LAB2", 30, frozenset({"lab"})))
        ),
        "a room kind missing": lambda s: replace(
            s, rooms=(*s.rooms, Room("POOL", 30, frozenset({"pool"})))
        ),
        "part-timer days": lambda s: replace(
            s, staff=(replace(s.staff[0], unavailable=frozenset(DAY["Wed"])),)
        ),
        "tutor time": lambda s: replace(s, tutor_groups=s.tutor_groups[1:]),
        "home day": lambda s: replace(
            s, students=(replace(s.students[0], home_days=frozenset({"Mon"})), s.students[1])
        ),
        "travel between sites": lambda s: replace(s, travel=(("Main", "Partner", 0),)),
        "locks that contradict": lambda s: replace(s, locks=s.locks[:1]),
        "more lessons than free periods": lambda s: replace(
            s, staff=(replace(s.staff[0], unavailable=but(0, 1, 4, 8)),)
        ),
    }[name]
    found = explain_school(fixed(PLANTED[name][0]()), changes=False)
    assert found.status == "feasible", [c.headline for c in found.conflicts]


def test_the_set_is_minimal() -> None:
    """The team-taught project: the set cannot hold, and without any one of its facts
    the rest can."""
    school = team()
    found = explain_school(school, changes=False)
    conflict = naming(found.conflicts, {"T3"}, "availability")
    assert conflict is not None
    keys = [f.key for f in conflict.facts]
    fm = FactModel(school)
    assert fm.solve(keys)[0] == cp_model.INFEASIBLE
    for drop in keys:
        status, _ = fm.solve([k for k in keys if k != drop])
        assert status in (cp_model.FEASIBLE, cp_model.OPTIMAL), drop
    assert "T1, T2, T3" in conflict.headline and "3 staff at once" in conflict.headline


def test_every_fact_is_needed_in_the_named_sets() -> None:
    """Minimality on three more of the plants (staff, rooms, locks)."""
    for make in (staff_hours, few_labs, locks):
        school = make()
        fm = FactModel(school)
        for c in explain_school(school, changes=False).conflicts:
            keys = [f.key for f in c.facts]
            for drop in keys:
                status, _ = fm.solve([k for k in keys if k != drop])
                assert status in (cp_model.FEASIBLE, cp_model.OPTIMAL), (make.__name__, drop)


def met_core(school: School) -> int:
    from scheduler.api import solve
    from scheduler.score import figures

    solution = solve(school, time_limit=10, seed=1, workers=1)
    return figures(school, solution).requests_core_met


def test_a_suggested_change_recovers_what_it_claims() -> None:
    """Staff hours: the best change, applied and solved by the real solver, meets at least
    the requests it claims more than the school as it is."""
    school = staff_hours()
    found = explain_school(school)
    conflict = naming(found.conflicts, {"T1"}, "max_periods")
    assert conflict is not None and conflict.changes
    best = conflict.changes[0]
    assert best.places >= 4 and best.groups
    before, after = met_core(school), met_core(best.school)
    assert after - before >= best.places, (best.text, before, after)


def test_changes_are_checked() -> None:
    """Every change listed lifts its conflict in the changed school's own model, and one
    that does not (the school as it is) is never listed."""
    school = few_labs()
    found = explain_school(school)
    conflict = naming(found.conflicts, {"LAB1"}, "rooms")
    assert conflict is not None and conflict.changes
    keys = [f.key for f in conflict.facts]
    assert FactModel(school).solve(keys)[0] == cp_model.INFEASIBLE
    for change in conflict.changes:
        status, _ = FactModel(change.school).solve(keys)
        assert status in (cp_model.FEASIBLE, cp_model.OPTIMAL), change.text
    assert any("LAB1" in c.text for c in conflict.changes)


def test_home_day_change_is_a_home_day_fewer() -> None:
    found = explain_school(home_day())
    conflict = naming(found.conflicts, {"S1"}, "home")
    assert conflict is not None
    assert [c.text for c in conflict.changes] == [
        "S1 without the home day Mon",
        "S1 without the home day Tue",
    ]


# ---- one student in a finished timetable -----------------------------------------------------


def test_why_a_student_did_not_get_a_course() -> None:
    """A finished timetable (built by hand): S1 has Maths in MA.1 at Mon 1 and misses
    English: EN.1 meets at Mon 1 too, EN.2 is full. Moving Maths to MA.2 (Tue 2) lets
    S1 join EN.1: that is the alternative that fits the timetable as it is."""
    from scheduler.solution import Group, Lesson, Solution

    school = base(
        (Course("MA", "Maths", (1,), 1, 30), Course("EN", "English", (1,), 1, 2)),
        (teacher("T1", "Maths"), teacher("T2", "English")),
    )

    def group(gid: str, slot: int, *students: str) -> Group:
        course, number = gid.split(".")
        lesson = Lesson((slot,), "R1")
        return Group(gid, course, int(number), (lesson,), ("T1",), frozenset(students))

    solution = Solution(
        groups=(
            group("MA.1", 0, "S1", "S2"),
            group("MA.2", 5, "S3", "S4"),
            group("EN.1", 0, "S2"),
            group("EN.2", 4, "S3", "S4"),
        )
    )
    answers = why_student(school, solution, "S1")
    assert [a.course for a in answers] == ["EN"]
    a = answers[0]
    assert not a.met
    assert a.reasons == [
        "EN.1: clashes with their MA.1 at Mon 1",
        "EN.2: full (2 of 2)",
    ]
    assert a.alternative == "EN in EN.1, MA in MA.2 instead of MA.1"
    # S2 has both: asked about English, the answer says where they are.
    assert why_student(school, solution, "S2", "EN")[0].met
    # With MA.2 full too, only giving up Maths makes room for English.
    full = replace(
        solution,
        groups=(*solution.groups[:1], group("MA.2", 5, *[f"X{i}" for i in range(30)]))
        + solution.groups[2:],
    )
    assert why_student(school, full, "S1")[0].alternative == "EN in EN.1, without MA (core)"


# ---- the command -------------------------------------------------------------------------------


def test_cli_explains_a_workbook_and_writes_a_page(tmp_path) -> None:
    from scheduler.cli import app

    book = tmp_path / "school.xlsx"
    runner = CliRunner()
    assert runner.invoke(app, ["example", "tiny", "--out", str(book)]).exit_code == 0
    page = tmp_path / "why.html"
    result = runner.invoke(app, ["explain", str(book), "--out", str(page)])
    assert result.exit_code == 0, result.output
    text = page.read_text()
    assert text.startswith("<!doctype html>") and "Why not everyone" in text
    assert "<script" not in text and "http" not in text.split("</title>")[1]


def test_cli_refuses_bad_input(tmp_path) -> None:
    from scheduler.cli import app

    runner = CliRunner()
    book = tmp_path / "school.xlsx"
    assert runner.invoke(app, ["example", "tiny", "--out", str(book)]).exit_code == 0
    result = runner.invoke(app, ["explain", str(book), "--student", "S0001"])
    assert result.exit_code == 2 and "need DIR" in result.output
    result = runner.invoke(app, ["explain", str(book), str(tmp_path), "--student", "NOBODY"])
    assert result.exit_code == 2 and "no such student" in result.output
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "Rooms.csv").write_text("room,capacity\nR1,lots\n")
    result = runner.invoke(app, ["explain", str(broken)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_cli_answers_for_a_student_of_a_finished_solve(tmp_path) -> None:
    """The tiny example solved, then asked about a student's alternate and about a course:
    exit 0, the answer names the student and course, and --json parses."""
    import json

    from scheduler.cli import app

    runner = CliRunner()
    book, out = tmp_path / "school.xlsx", tmp_path / "timetable"
    assert runner.invoke(app, ["example", "tiny", "--out", str(book)]).exit_code == 0
    solved = runner.invoke(
        app, ["solve", str(book), "--out", str(out), "--time-limit", "10", "--workers", "1"]
    )
    assert solved.exit_code == 0, solved.output
    result = runner.invoke(app, ["explain", str(book), str(out), "--student", "S0001"])
    assert result.exit_code == 0, result.output
    assert "S0001" in result.output
    result = runner.invoke(app, ["explain", str(book), str(out), "--course", "MA", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["students"] == [] or all(a["course"] == "MA" for a in answer["students"])
    page = tmp_path / "s.html"
    result = runner.invoke(
        app, ["explain", str(book), str(out), "--student", "S0001", "--out", str(page)]
    )
    assert result.exit_code == 0 and "S0001" in page.read_text()


def test_the_whole_school_search_finds_what_neighbourhoods_would(monkeypatch) -> None:
    """With no neighbourhood searched first, the whole school's model names the same
    planted cause, and its changes are still checked (among the groups sharing staff or
    rooms with the conflict's)."""
    from scheduler.solver import explain

    monkeypatch.setattr(explain, "neighbourhoods", lambda school, groups: [])
    found = explain.explain_school(team())
    conflict = naming(found.conflicts, {"T3", "PRJ.1"}, "availability")
    assert conflict is not None and conflict.minimal
    assert any("T3" in c.text for c in conflict.changes)


# ---- a suggested change as workbook edits -------------------------------------------------------


def _essence(school: School) -> dict[str, object]:
    """What a suggested change may touch, as comparable values."""
    return {
        "staff": {
            p.id: (p.unavailable, p.max_periods, frozenset(q.subject for q in p.qualifications))
            for p in school.staff
        },
        "rooms": {r.id: (r.capacity, r.types, r.site, r.max_groups) for r in school.rooms},
        "courses": {c.id: (tuple(c.staff), c.sections) for c in school.courses},
        "tutors": {t.id: t.tutor for t in school.tutor_groups},
        "locks": sorted((lock.group_id, tuple(sorted(lock.slots))) for lock in school.locks),
        "travel": sorted(school.travel),
        "students": {s.id: (s.home_days, s.unavailable) for s in school.students},
    }


def test_the_scenario_steps_of_a_change_make_the_school_it_checked(tmp_path) -> None:
    """Each listed change's scenario steps, applied to the workbook and read back, give
    the very school explain checked (so a timetabler, or the bench, can solve it)."""
    from examples.generator import generate
    from scheduler.scenarios.transforms import apply_change
    from scheduler.workbook.read import load_school
    from scheduler.workbook.tables import write_tables

    def apply_steps(tables, steps):
        for step in steps:
            step = dict(step)
            name = step.pop("change")
            if name == "remove_row":
                rows = list(tables[step["sheet"]])
                del rows[step["row"] - 2]
                tables = {**tables, step["sheet"]: rows}
            else:
                tables = apply_change(tables, name, step)
        return tables

    tiny = generate("tiny", seed=0)
    breaks = {
        # ERO, the only Computing teacher, works Fridays only; CO's lessons on two days.
        "days": apply_change(
            tiny,
            "set",
            {
                "sheet": "Staff",
                "where": {"staff": "ERO"},
                "values": {"unavailable": "Mon,Tue,Wed,Thu"},
            },
        ),
        # Both Science groups locked to the same two periods.
        "locks": {
            **tiny,
            "Locks": [
                {
                    "course": "SC",
                    "group": n,
                    "slots": "Wed 1,Wed 2,Thu 1",
                    "room": None,
                    "staff": None,
                }
                for n in (1, 2)
            ],
        },
    }
    checked = 0
    for name, tables in breaks.items():
        book = tmp_path / f"{name}.xlsx"
        write_tables(tables, book)
        school, _ = load_school(book)
        found = explain_school(school)
        assert found.conflicts, name
        for conflict in found.conflicts:
            for change in conflict.changes:
                assert change.scenario, change.text
                again = tmp_path / f"{name}-changed.xlsx"
                write_tables(apply_steps(tables, change.scenario), again)
                changed, _ = load_school(again)
                assert _essence(changed) == _essence(change.school), change.text
                assert _essence(changed) != _essence(school), change.text
                checked += 1
    assert checked >= 3


def test_no_period_is_freed_where_the_students_cannot_be() -> None:
    """T1, History's only teacher, works Mondays only; every student who asks for History
    is in tutor time at Tue 1. Freeing Tue 1 would let HI.1 run in the model (which
    leaves students out) but seat nobody in a real solve, so it is never suggested; Tue 2
    is."""
    school = replace(
        part_timer(),
        staff=(*part_timer().staff, teacher("T2", "Maths")),
        tutor_groups=(TutorGroup("TG1", "T2", 30, frozenset({DAY["Tue"][0]})),),
    )
    found = explain_school(school)
    conflict = naming(found.conflicts, {"T1", "HI.1"}, "availability")
    assert conflict is not None and conflict.changes
    texts = [c.text for c in conflict.changes]
    assert not any("Tue 1 " in t for t in texts), texts
    assert any("T1 available at Tue 2 " in t for t in texts), texts


def test_a_lock_where_its_students_cannot_be_is_named_and_every_such_lock_dropped() -> None:
    """History's two groups are locked to Mon 1, every student's tutor time: the solve
    forbids a course's groups where none of its students can be, so neither lock can
    hold and the real solve finds no timetable. Each set names its lock with the
    students' tutor time; dropping one lock leaves the other (still no timetable), so
    the change listed drops both, and the changed school solved for real runs both
    groups."""
    from scheduler.api import solve

    school = base(
        (Course("HI", "History", (1,), 1, 30, sections=2),),
        (teacher("T1", "History"), teacher("T2", "History"), teacher("T3")),
        tutor_groups=(TutorGroup("TG1", "T3", 30, frozenset({DAY["Mon"][0]})),),
        locks=(
            Lock("HI", 1, slots=frozenset({DAY["Mon"][0]}), row=2),
            Lock("HI", 2, slots=frozenset({DAY["Mon"][0]}), row=3),
        ),
    )
    found = explain_school(school)
    for group in ("HI.1", "HI.2"):
        conflict = naming(found.conflicts, {group}, "lock")
        assert conflict is not None, [c.headline for c in found.conflicts]
        assert {f.kind for f in conflict.facts} == {"lock", "students"}
        assert conflict.minimal and "tutor time" in conflict.headline
        assert conflict.changes, conflict.headline
        best = conflict.changes[0]
        assert best.text.startswith("drop the locks on HI.1"), best.text
        assert not best.school.locks
        # Applied in order, the rows are removed from the last, so each number holds.
        assert [step["row"] for step in best.scenario] == [3, 2]
    solution = solve(best.school, time_limit=10, seed=1, workers=1)
    assert {g.id for g in solution.groups} >= {"HI.1", "HI.2"}


def test_a_change_is_credited_with_every_group_held_back_among_its_groups() -> None:
    """T1, the only History and Geography teacher, works Mondays only; each course has 2
    lessons on different days: two conflicts, one per group. Freeing one more period
    lets one of the two run (they would share it); freeing Tuesday lets both run, so it
    ranks first in both, with both groups claimed."""
    school = base(
        (Course("HI", "History", (1, 1), 1, 30), Course("GE", "Geography", (1, 1), 1, 30)),
        (
            teacher(
                "T1",
                "History",
                "Geography",
                unavailable=frozenset(DAY["Tue"]) | frozenset(DAY["Wed"]),
            ),
        ),
    )
    found = explain_school(school)
    for group in ("HI.1", "GE.1"):
        conflict = naming(found.conflicts, {"T1", group}, "availability")
        assert conflict is not None and conflict.changes
        best = conflict.changes[0]
        assert best.text.startswith("make T1 available on Tue"), [c.text for c in conflict.changes]
        assert set(best.groups) == {"HI.1", "GE.1"}
        one = [c for c in conflict.changes if "(one more period)" in c.text]
        assert one and all(len(c.groups) == 1 for c in one)


def test_travel_over_a_two_week_cycle_is_proved_quickly_and_minimal() -> None:
    """Ten days; T1 is away four of them and teaches Geography (5 lessons on different
    days) on the partner's site and RE (3 on different days) on the main one, 400
    minutes apart: 8 days needed, 6 free. The days each group needs are counted against
    the days the sites leave, so the proof takes a fraction of a unit."""
    days = tuple(f"D{i}" for i in range(10))
    cal = calendar(days=days, periods=4)
    away = frozenset(t for d in days[6:] for t in cal.day_slots[d])
    school = base(
        (
            Course("GE", "Geography", (1,) * 5, 1, 30, room_type="lab"),
            Course("RE", "RE", (1, 1, 1), 1, 30, room_type="classroom"),
        ),
        (teacher("T1", "Geography", "RE", unavailable=away),),
        rooms=(
            Room("M1", 30, frozenset({"classroom"})),
            Room("P1", 30, frozenset({"lab"}), site="Partner"),
        ),
        cal=cal,
        travel=(("Main", "Partner", 400),),
    )
    found = explain_school(school, changes=False, limit=0.5)
    conflict = naming(found.conflicts, {"T1"}, "travel")
    assert conflict is not None and conflict.minimal
    fm = FactModel(school)
    keys = [f.key for f in conflict.facts]
    assert fm.solve(keys, 0.5)[0] == cp_model.INFEASIBLE
    for drop in keys:
        assert fm.solve([k for k in keys if k != drop], 0.5)[0] in (
            cp_model.FEASIBLE,
            cp_model.OPTIMAL,
        ), drop


def test_a_tutor_teaching_on_another_site_keeps_clear_of_tutor_time() -> None:
    """The solve's travel rule: a tutor's lessons on another site keep the journey clear
    of their tutor time. T1 tutors TG1 on the main site at period 1 of both days and is
    Physics' only teacher, on the partner's site 200 minutes away: no period of either
    day is far enough, so Physics cannot run, and the set names the travel with the
    tutor group."""
    cal = calendar(days=("Mon", "Tue"), periods=4)
    school = base(
        (Course("PH", "Physics", (1, 1), 1, 30, room_type="lab"),),
        (teacher("T1", "Physics"), teacher("T2")),
        rooms=(
            Room("M1", 30, frozenset({"classroom"})),
            Room("P1", 30, frozenset({"lab"}), site="Partner"),
        ),
        cal=cal,
        travel=(("Main", "Partner", 200),),
        tutor_groups=(
            TutorGroup("TG1", "T1", 30, frozenset({0, 4}), room="M1"),
            TutorGroup("TG2", "T2", 30, frozenset({1}), room="M1"),
        ),
    )
    found = explain_school(school, changes=False)
    conflict = naming(found.conflicts, {"T1", "PH.1"}, "travel")
    assert conflict is not None, [(c.headline, [f.text for f in c.facts]) for c in found.conflicts]
    assert {"tutor", "travel"} <= {f.kind for f in conflict.facts}
    assert conflict.minimal
