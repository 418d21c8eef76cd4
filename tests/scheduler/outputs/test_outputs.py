"""Writing the output files, reading them back, and the checker on broken or malformed files."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler.checker import check_solution
from scheduler.model import Course
from scheduler.outputs.read import OutputError, read_solution, split_into_lessons
from scheduler.outputs.write import write_outputs
from scheduler.solution import Group, Lesson, Solution, Status
from tests.checker_fixtures import (
    MON,
    TUE,
    hard_rules,
    soft_rules,
    tiny_school,
    valid_solution,
)

# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder holding the valid timetable's files."""
    d = tmp_path / "out"
    write_outputs(tiny_school(), valid_solution(), d)
    return d


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> None:
    columns = columns or list(rows[0])
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def edit(path: Path, match: dict[str, str], **changes: str) -> None:
    """Change every row of a CSV file matching ``match``; at least one must match."""
    rows = read_rows(path)
    hits = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert hits, match
    for r in hits:
        r.update(changes)
    write_rows(path, rows)


def drop(path: Path, match: dict[str, str]) -> None:
    rows = read_rows(path)
    kept = [r for r in rows if not all(r[k] == v for k, v in match.items())]
    assert len(kept) < len(rows), match
    write_rows(path, kept, list(rows[0]))


def check_dir(d: Path):
    return check_solution(tiny_school(), read_solution(d, tiny_school()))


def issue_messages(report, rule: str) -> list[str]:
    return [v.message for v in report.violations if v.rule == rule]


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def test_every_file_is_written_with_exactly_the_contract_columns(out: Path) -> None:
    expected = {
        "timetable.csv": "student,day,period,start,end,course,group,room,staff",
        "groups.csv": "group,course,day,period,start,end,room,staff,size",
        "requests.csv": "student,course,type,rank,status,group,reason",
        "tutor_groups.csv": "student,group,tutor,year",
    }
    for name, header in expected.items():
        assert (out / name).read_text(encoding="utf-8").splitlines()[0] == header
    for name in ("summary.json", "students.xlsx", "staff.xlsx", "rooms.xlsx"):
        assert (out / name).is_file()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".out")]  # no temp left


def test_tutor_groups_csv_only_when_the_school_has_tutor_groups(tmp_path: Path) -> None:
    school = tiny_school(
        tutor_groups=(),
        students=tuple(replace(s, tutor_group=None) for s in tiny_school().students),
    )
    write_outputs(school, replace(valid_solution(), tutor_of={}), tmp_path / "o")
    assert not (tmp_path / "o" / "tutor_groups.csv").exists()
    assert not any(r["course"] == "TUTOR" for r in read_rows(tmp_path / "o" / "timetable.csv"))


def test_timetable_rows_for_one_student(out: Path) -> None:
    rows = [r for r in read_rows(out / "timetable.csv") if r["student"] == "S1"]
    got = [
        (
            r["day"],
            r["period"],
            r["start"],
            r["end"],
            r["course"],
            r["group"],
            r["room"],
            r["staff"],
        )
        for r in rows
    ]
    assert got == [
        ("Mon", "1", "09:00", "10:00", "TUTOR", "TG-A", "R1", "T4"),
        ("Mon", "2", "10:00", "11:00", "MA-3", "MA-3.1", "R1", "T1"),
        ("Mon", "3", "11:20", "12:20", "AR", "AR.1", "HALL", "T3"),
        ("Tue", "2", "10:00", "11:00", "MA-3", "MA-3.1", "R1", "T1"),
        ("Tue", "3", "11:20", "12:20", "SC", "SC.1", "LAB", "T2"),
        ("Tue", "4", "13:00", "14:00", "SC", "SC.1", "LAB", "T2"),
    ]


def test_home_learning_student_has_no_tutor_rows_on_home_days(out: Path) -> None:
    rows = [r for r in read_rows(out / "timetable.csv") if r["student"] == "S3"]
    assert [(r["day"], r["period"], r["course"], r["room"]) for r in rows] == [
        ("Mon", "4", "GE", "N1"),
        ("Tue", "2", "CS", ""),
    ]  # online: blank room
    s4 = [(r["day"], r["course"]) for r in read_rows(out / "timetable.csv") if r["student"] == "S4"]
    assert ("Tue", "TUTOR") in s4


def test_groups_and_requests_csv(out: Path) -> None:
    groups = read_rows(out / "groups.csv")
    assert [(r["group"], r["day"], r["period"], r["size"]) for r in groups][:3] == [
        ("MA-3.1", "Mon", "2", "3"),
        ("MA-3.1", "Tue", "2", "3"),
        ("SC.1", "Tue", "3", "1"),
    ]
    assert len(groups) == 8  # SC.1's double lesson has two rows
    reqs = read_rows(out / "requests.csv")
    assert reqs[3] == {
        "student": "S1",
        "course": "GE",
        "type": "alternate",
        "rank": "3",
        "status": "not_needed",
        "group": "",
        "reason": "",
    }
    assert reqs[0]["rank"] == ""  # a core request without rank
    assert reqs[-1]["status"] == "unmet" and reqs[-1]["reason"]


def test_summary_json(out: Path) -> None:
    s = json.loads((out / "summary.json").read_text())
    assert s["status"] == "optimal" and s["objective"] == 112 and s["bound"] == 112
    assert (s["students"], s["requests_core"], s["requests_core_met"]) == (5, 4, 4)
    assert (s["requests_option"], s["requests_option_met"], s["first_choice_met"]) == (6, 5, 4)
    assert s["groups"] == 6 and s["students_fully_satisfied"] == 4
    assert s["core_met_pct"] == 100.0 and s["options_met_pct"] == 83.3
    assert s["first_choice_met_pct"] == 100.0 and s["students_fully_satisfied_pct"] == 80.0
    assert s["input_sha256"] == "ab" * 32 and s["interrupted"] is False
    assert s["objective_terms"]["option_shortfall"] == 100
    assert s["time_to_first_s"] == 0.125  # from solution.stats
    assert s["wall_s"] == 0.25


def test_requests_csv_when_the_solver_gave_no_outcomes(tmp_path: Path) -> None:
    sol = Solution(groups=(), status=Status.INFEASIBLE)
    write_outputs(tiny_school(), sol, tmp_path / "o")
    reqs = read_rows(tmp_path / "o" / "requests.csv")
    assert len(reqs) == 12 and {r["status"] for r in reqs} == {"unmet"}
    assert reqs[0]["reason"] == "not placed in a group of MA-3"
    s = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert s["status"] == "infeasible" and s["objective"] is None and s["groups"] == 0


def test_week_grids(out: Path) -> None:
    wb = load_workbook(out / "students.xlsx", read_only=True)
    assert wb.sheetnames == ["Index", "S1", "S2", "S3", "S4", "S5"]
    rows = list(wb["S1"].iter_rows(values_only=True))
    assert rows[1][:3] == (None, "Mon", "Tue")
    assert rows[2][0] == "1 (09:00-10:00)"
    assert rows[2][1] == "TUTOR TG-A / R1 / T4"
    assert rows[3][1] == "MA-3 MA-3.1 / R1 / T1"
    s3 = list(wb["S3"].iter_rows(values_only=True))
    assert s3[3][2] == "CS CS.1 / online / T5"
    index = list(wb["Index"].iter_rows(values_only=True))
    assert index[1][:4] == ("S1", "Sam", "year 7", 6)
    wb.close()
    rooms = load_workbook(out / "rooms.xlsx", read_only=True)
    hall = list(rooms["HALL"].iter_rows(values_only=True))
    assert hall[4][1] == "AR AR.1 / HALL / T3\nAR AR.2 / HALL / T4"  # shared space, Mon 3
    rooms.close()
    staff = load_workbook(out / "staff.xlsx", read_only=True)
    assert len(staff.sheetnames) == 7
    staff.close()


def test_sheet_names_are_valid_and_unique(tmp_path: Path) -> None:
    from scheduler.exports.xlsx import sheet_names

    names = sheet_names(["a/b", "a:b", "x" * 40, "index"], reserved=["Index"])
    assert names["a/b"] == "a_b" and names["a:b"] == "a_b~2"
    assert len(names["x" * 40]) == 31 and names["index"] == "index~2"


def test_writing_replaces_an_old_result_atomically(out: Path) -> None:
    (out / "my notes.txt").write_text("keep me")
    sol = replace(valid_solution(), wall_s=9.5)
    write_outputs(tiny_school(), sol, out)
    assert json.loads((out / "summary.json").read_text())["wall_s"] == 9.5
    assert (out / "my notes.txt").read_text() == "keep me"


def test_what_the_old_result_made_does_not_survive_a_new_one(out: Path) -> None:
    """The user's own files are kept; files made from the old timetable are not: the old
    exports/ and check.json, and tutor_groups.csv of a school without tutor groups now."""
    from scheduler.files.atomic import MARKER

    assert (out / "tutor_groups.csv").exists()
    (out / "my notes.txt").write_text("keep me")
    (out / "mine").mkdir()
    (out / "mine" / "plan.txt").write_text("mine too")
    (out / "exports" / "html").mkdir(parents=True)
    (out / "exports" / "html" / "index.html").write_text("the old timetable")
    (out / "check.json").write_text("{}")
    write_outputs(tiny_school(tutor_groups=()), valid_solution(), out)
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert names == [
        "context.json",
        "groups.csv",
        "mine",
        "mine/plan.txt",
        "my notes.txt",
        "requests.csv",
        "rooms.xlsx",
        "staff.xlsx",
        "students.xlsx",
        "summary.json",
        "timetable.csv",
    ]
    assert (out / "mine" / "plan.txt").read_text() == "mine too"
    assert MARKER not in names
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]


def test_a_failed_write_leaves_the_old_result(out: Path) -> None:
    before = (out / "groups.csv").read_text()
    bad = Group("X.1", "MA-3", 1, (Lesson((99,), "R1"),), ("T1",), frozenset({"S1"}))
    with pytest.raises(ValueError):
        write_outputs(tiny_school(), replace(valid_solution(), groups=(bad,)), out)
    assert (out / "groups.csv").read_text() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]  # no temporary folder


# --------------------------------------------------------------------------------------
# Reading back
# --------------------------------------------------------------------------------------


def test_round_trip_gives_back_an_equal_solution(out: Path) -> None:
    assert read_solution(out, tiny_school()) == valid_solution()


def test_round_trip_of_back_to_back_lessons_when_more_lessons_than_days(tmp_path: Path) -> None:
    pr = Course("PR", "Maths", (1, 1, 2, 1), 1, 30)
    school = tiny_school(courses=tiny_school().courses + (pr,), requests=())
    # Mon 1 + Mon 2 are two singles (the room changes), Mon 4-5 a double, Tue 3 a single.
    g = Group(
        "PR.1",
        "PR",
        1,
        (
            Lesson((MON[1],), "R1"),
            Lesson((MON[2],), "LAB"),
            Lesson((MON[4], MON[5]), "N1"),
            Lesson((TUE[3],), "R1"),
        ),
        ("T1",),
        frozenset({"S5"}),
    )
    sol = Solution(
        groups=(g,),
        tutor_of={"S5": "TG-B"},
        status=Status.FEASIBLE,
        objective=1.5,
        bound=0.0,
        objective_terms={"idle_student": 1.5},
        wall_s=1.0,
    )
    write_outputs(school, sol, tmp_path / "o")
    assert read_solution(tmp_path / "o", school) == sol


def test_split_prefers_whole_runs_then_room_changes() -> None:
    course = Course("C", "S", (2, 1, 1), 1, 9)
    rooms = dict.fromkeys(range(10), "R")
    # Runs [0,1] and [5,6]: one is the double, the other two singles; whole runs first.
    assert split_into_lessons([[0, 1], [5, 6]], rooms, course) == [[0, 1], [5], [6]]
    rooms[1] = "Q"  # the room changes inside the first run: cut it there
    assert split_into_lessons([[0, 1], [5, 6]], rooms, course) == [[0], [1], [5, 6]]
    # Lengths that cannot be made: each run stays one lesson.
    assert split_into_lessons([[0, 1, 2]], rooms, Course("D", "S", (2, 2), 1, 9)) == [[0, 1, 2]]


# --------------------------------------------------------------------------------------
# Broken files: readable, but inconsistent. The checker must see each one.
# --------------------------------------------------------------------------------------


def test_valid_files_pass_the_checker(out: Path) -> None:
    assert check_dir(out).violations == []


def test_declared_size_differs_from_the_timetable(out: Path) -> None:
    edit(out / "groups.csv", {"group": "MA-3.1"}, size="4")
    report = check_dir(out)
    assert hard_rules(report) == {"declared_size"}
    assert issue_messages(report, "declared_size") == [
        "groups.csv line 2: group MA-3.1 has size 4 but timetable.csv lists 3 student(s) in it"
    ]


def test_student_row_in_another_room_than_its_group(out: Path) -> None:
    edit(out / "timetable.csv", {"student": "S2", "group": "MA-3.1", "day": "Tue"}, room="LAB")
    report = check_dir(out)
    assert hard_rules(report) == {"output_files"}
    [msg] = issue_messages(report, "output_files")
    assert (
        msg.startswith("timetable.csv line ")
        and "student S2 has group MA-3.1 at Tue 2 in room LAB; groups.csv line 3 says R1" in msg
    )


def test_student_missing_one_slot_of_a_double_lesson(out: Path) -> None:
    drop(out / "timetable.csv", {"student": "S1", "group": "SC.1", "period": "4"})
    report = check_dir(out)
    assert hard_rules(report) == {"attends_all_lessons"}
    [msg] = issue_messages(report, "attends_all_lessons")
    assert msg.endswith("student S1 is in group SC.1 but has no row for its lesson(s) at Tue 4")


def test_staff_changes_between_lessons_of_a_group(out: Path) -> None:
    edit(out / "groups.csv", {"group": "MA-3.1", "day": "Tue"}, staff="T4")
    edit(out / "timetable.csv", {"group": "MA-3.1", "day": "Tue"}, staff="T4")
    report = check_dir(out)
    assert hard_rules(report) == {"same_staff"}
    assert issue_messages(report, "same_staff") == [
        (
            "groups.csv line 3: group MA-3.1 is taught by T4 at Tue 2 but by T1 on line 2; a group "
            "keeps the same staff for all its lessons"
        )
    ]


def test_room_changes_during_a_double_lesson(out: Path) -> None:
    edit(out / "groups.csv", {"group": "SC.1", "period": "4"}, room="R1")
    edit(out / "timetable.csv", {"group": "SC.1", "period": "4"}, room="R1")
    report = check_dir(out)
    assert "lesson_room" in hard_rules(report)
    assert issue_messages(report, "lesson_room") == [
        "groups.csv line 4: group SC.1 changes room during its lesson at Tue 3 (LAB, R1)"
    ]


def test_tutor_time_on_a_home_day(out: Path) -> None:
    rows = read_rows(out / "timetable.csv")
    rows.append(
        {
            "student": "S3",
            "day": "Tue",
            "period": "1",
            "start": "09:00",
            "end": "10:00",
            "course": "TUTOR",
            "group": "TG-B",
            "room": "",
            "staff": "T5",
        }
    )
    write_rows(out / "timetable.csv", rows)
    report = check_dir(out)
    assert hard_rules(report) == {"tutor_home_day"}
    [msg] = issue_messages(report, "tutor_home_day")
    assert msg.endswith("student S3 has tutor time at Tue 1, on their home-learning day")


def test_missing_tutor_time(out: Path) -> None:
    drop(out / "timetable.csv", {"student": "S4", "course": "TUTOR"})
    report = check_dir(out)
    assert hard_rules(report) == {"tutor_time"}
    assert issue_messages(report, "tutor_time") == [
        "timetable.csv: student S4 has no tutor-time row at Tue 1, when tutor group TG-B meets"
    ]


def test_tutor_groups_csv_moves_a_student(out: Path) -> None:
    # S5 moved to TG-A in tutor_groups.csv only: years no longer spread, and the
    # timetable's tutor rows no longer match.
    edit(out / "tutor_groups.csv", {"student": "S5"}, group="TG-A", tutor="T4")
    report = check_dir(out)
    assert hard_rules(report) == {"tutor_vertical", "tutor_time"}


def test_requests_csv_status_that_the_groups_do_not_give(out: Path) -> None:
    edit(out / "requests.csv", {"student": "S4", "course": "SC"}, status="met", group="SC.1")
    report = check_dir(out)
    assert hard_rules(report) == {"request_outcomes"}


def test_requests_csv_row_missing(out: Path) -> None:
    drop(out / "requests.csv", {"student": "S2", "course": "CS"})
    report = check_dir(out)
    assert issue_messages(report, "request_outcomes") == [
        "No request outcome for student S2's alternate request for CS"
    ]


def test_requests_csv_rows_out_of_order_is_reported_softly(out: Path) -> None:
    rows = read_rows(out / "requests.csv")
    rows[0], rows[1] = rows[1], rows[0]
    write_rows(out / "requests.csv", rows)
    report = check_dir(out)
    assert hard_rules(report) == set() and soft_rules(report) == {"request_outcomes"}
    assert issue_messages(report, "request_outcomes") == [
        (
            "Request outcomes are not in the order of the school's requests (the first out of "
            "place is student S1's request for SC)"
        )
    ]


def test_summary_figures_and_objective_that_the_timetable_does_not_give(out: Path) -> None:
    s = json.loads((out / "summary.json").read_text())
    s["requests_core_met"] = 3
    s["objective"] = 100
    s["input_sha256"] = "cd" * 32
    (out / "summary.json").write_text(json.dumps(s))
    report = check_dir(out)
    assert hard_rules(report) == set()
    assert soft_rules(report) == {"summary", "objective"}
    assert (
        "summary.json, key requests_core_met: says 3; the timetable files give 4"
        in issue_messages(report, "summary")
    )
    assert any("different version of the workbook" in m for m in issue_messages(report, "summary"))


def test_wrong_times_are_reported(out: Path) -> None:
    edit(out / "groups.csv", {"group": "AR.1"}, start="11:00")
    report = check_dir(out)
    assert hard_rules(report) == {"output_times"}
    assert issue_messages(report, "output_times") == [
        "groups.csv line 6, column start: '11:00' is not the Calendar's start of Mon 3 (11:20)"
    ]


def test_a_lesson_moved_in_both_files_is_caught_by_the_rules(out: Path) -> None:
    # GE.1 moved to Mon 2 consistently in both files: S4 now has two lessons at once.
    for name in ("groups.csv", "timetable.csv"):
        edit(out / name, {"group": "GE.1"}, period="2", start="10:00", end="11:00")
    report = check_dir(out)
    assert hard_rules(report) == {"student_clash"}


def test_group_listed_in_timetable_but_not_in_groups(out: Path) -> None:
    drop(out / "groups.csv", {"group": "CS.1"})
    report = check_dir(out)
    assert "output_files" in hard_rules(report)
    assert any(
        "student S3 is in group CS.1, which groups.csv does not list" in m
        for m in issue_messages(report, "output_files")
    )


# --------------------------------------------------------------------------------------
# Malformed files: an OutputError naming file, line and column, never a traceback.
# --------------------------------------------------------------------------------------


def read_error(d: Path) -> list[str]:
    with pytest.raises(OutputError) as exc:
        read_solution(d, tiny_school())
    assert exc.value.messages
    return exc.value.messages


@pytest.mark.parametrize(
    "name", ["timetable.csv", "groups.csv", "requests.csv", "tutor_groups.csv", "summary.json"]
)
def test_missing_file(out: Path, name: str) -> None:
    (out / name).unlink()
    [msg] = read_error(out)
    assert msg.startswith(f"{name}: the file is missing")


def test_missing_output_folder(tmp_path: Path) -> None:
    assert read_error(tmp_path / "nowhere") == [
        (f"{tmp_path / 'nowhere'}: there is no output folder here")
    ]


def test_missing_column(out: Path) -> None:
    rows = read_rows(out / "groups.csv")
    write_rows(out / "groups.csv", rows, [c for c in rows[0] if c != "size"])
    assert read_error(out) == ["groups.csv line 1, column size: this column is missing"]


def test_unknown_slot_label(out: Path) -> None:
    edit(out / "timetable.csv", {"student": "S5"}, day="Wed")
    [msg] = read_error(out)
    assert msg.startswith("timetable.csv line ")
    assert msg.endswith(", columns day/period: 'Wed 1' is not a slot of the Calendar")


def test_many_problems_are_listed_up_to_a_limit(out: Path) -> None:
    from scheduler.outputs.read import MAX_ERRORS

    rows = read_rows(out / "timetable.csv")
    write_rows(out / "timetable.csv", [{**r, "day": "Sun"} for r in rows] * 10)
    msgs = read_error(out)
    assert len(msgs) == MAX_ERRORS + 1
    assert msgs[-1] == f"... and {len(rows) * 10 - MAX_ERRORS} more problem(s)"


def test_non_integer_size_and_rank(out: Path) -> None:
    edit(out / "groups.csv", {"group": "AR.2"}, size="one")
    edit(out / "requests.csv", {"student": "S1", "course": "SC"}, rank="first")
    assert read_error(out) == [
        "groups.csv line 7, column size: 'one' is not a whole number",
        "requests.csv line 3, column rank: 'first' is not a whole number",
    ]


def test_bad_status_and_type(out: Path) -> None:
    edit(out / "requests.csv", {"student": "S1", "course": "SC"}, status="done", type="elective")
    assert read_error(out) == [
        "requests.csv line 3, column type: 'elective' is not one of alternate, core, option",
        "requests.csv line 3, column status: 'done' is not one of met, unmet, not_needed",
    ]


def test_summary_not_json_or_bad_status(out: Path) -> None:
    (out / "summary.json").write_text('{"status": "optimal",\n "objective": }')
    [msg] = read_error(out)
    assert msg.startswith("summary.json line 2, column 15: not valid JSON")
    (out / "summary.json").write_text(json.dumps({"status": "great", "wall_s": "soon"}))
    assert read_error(out) == [
        "summary.json, key status: 'great' is not one of optimal, feasible, infeasible, unknown",
        "summary.json, key wall_s: 'soon' is not a number of seconds",
    ]

    (out / "summary.json").write_text(json.dumps({"objective": "low"}))
    assert read_error(out) == [
        "summary.json, key status: this key is missing",
        "summary.json, key objective: 'low' is not a number",
        "summary.json, key wall_s: this key is missing",
    ]


def test_empty_and_undecodable_files(out: Path) -> None:
    (out / "groups.csv").write_text("")
    (out / "requests.csv").write_bytes(b"\xff\xfe\x00bad")
    msgs = read_error(out)
    assert msgs[0] == "groups.csv line 1: the file is empty; expected a header row"
    assert msgs[1].startswith("requests.csv: cannot be read as a UTF-8 CSV file")


def test_bom_blank_lines_header_case_and_short_rows_read_as_the_plain_files(out: Path) -> None:
    """What the reader tolerates (the exports share it): a BOM, blank or white-space
    lines, a header in other case or padded with spaces, and a row short of its trailing
    empty cells (they read as empty)."""
    before = read_solution(out, tiny_school())
    for name in ("timetable.csv", "groups.csv", "requests.csv", "tutor_groups.csv"):
        head, *rows = (out / name).read_text(encoding="utf-8").splitlines()
        head = ",".join(f" {c.upper()} " for c in head.split(","))
        rows = [r[:-1] if name == "requests.csv" and r.endswith(",") else r for r in rows]
        text = "\r\n".join([head, "", " , ", *rows, "   ", ""])
        (out / name).write_bytes(b"\xef\xbb\xbf" + text.encode())
    after = read_solution(out, tiny_school())
    assert after.groups == before.groups and after.outcomes == before.outcomes
    assert after.tutor_of == before.tutor_of and after.output_issues == before.output_issues


def test_outputs_are_readable_by_others_as_plain_files_would_be(tmp_path: Path) -> None:
    """Temporary files are private (0600); the written outputs must not stay so."""
    import os
    import stat

    from scheduler.files.atomic import atomic_dir, write_text_atomic

    old = os.umask(0o022)
    try:
        with atomic_dir(tmp_path / "out") as tmp:
            (tmp / "a.csv").write_text("x\n")
        write_text_atomic(tmp_path / "out" / "b.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "out" / "b.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "out" / "a.csv").stat().st_mode) == 0o644
