"""A split activity whose lessons FET lets share a day (issue 13): without a 100%
MinDaysBetweenActivities FET may put two of its lessons on one day, so the importer takes
it apart (a course per activity, the same teacher, each requested by the activity's
students) and Pathways accepts FET's timetable with both on one day; a soft MinDays
becomes a soft ``min_days_apart`` row with FET's weight; under a 100% MinDays the split
activity stays one course, and the workbook's rule 4 refuses the same timetable."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.cli.common import EXIT_CHECK
from scheduler.importers.fet import build_tables, parse_fet
from tests.fet_fixtures import HOURS, activity, activity_ids, constraint, fet_head
from tests.scheduler.importers.test_fet_timetable import GOOD, fet_file

runner = CliRunner()

#: FET's Art MinDays in ``fet_file`` (activities 4 and 5, split, Bo, 7A; 100%).
ART_MIN_DAYS = constraint(
    "MinDaysBetweenActivities",
    "<Consecutive_If_Same_Day>true</Consecutive_If_Same_Day>"
    "<Number_of_Activities>2</Number_of_Activities><Activity_Id>4</Activity_Id>"
    "<Activity_Id>5</Activity_Id><MinDays>1</MinDays>",
)
#: FET's timetable with Art's two lessons on Tuesday, one after the other (Bo teaches
#: English Tue 1-2, so no gap).
SAME_DAY = {**GOOD, 4: ("Tue", 3, None), 5: ("Tue", 4, None)}


def _import_and_check(
    tmp: Path, min_days: str, placed: dict[int, tuple[str, int, None]] | None = None
) -> tuple[int, dict[str, object], str, dict[str, list[dict[str, object]]]]:
    """The file with Art's MinDays replaced by ``min_days``, imported with FET's
    timetable ``placed`` (``SAME_DAY`` unless given; as fet-cl's ``_activities.xml``)
    and checked: the check's exit code and report, the import's output and the
    workbook's sheets."""
    tmp.mkdir(parents=True, exist_ok=True)
    data = tmp / "data.fet"
    text = fet_file({})
    assert ART_MIN_DAYS in text
    data.write_text(text.replace(ART_MIN_DAYS, min_days), encoding="utf-8")
    rows = "".join(
        f"<Activity><Id>{a}</Id><Day>{d}</Day><Hour>{HOURS[h - 1]}</Hour>"
        f"<Room>{r or ''}</Room></Activity>"
        for a, (d, h, r) in (placed or SAME_DAY).items()
    )
    result = tmp / "data_activities.xml"
    result.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Activities_Timetable>{rows}'
        "</Activities_Timetable>",
        encoding="utf-8",
    )
    book, out = tmp / "data.xlsx", tmp / "tt"
    r = runner.invoke(
        app,
        [
            *("import", "fet", str(data), "--out", str(book)),
            *("--timetable", str(out), "--fet-result", str(result)),
        ],
    )
    assert r.exit_code == 0, r.output
    checked = runner.invoke(app, ["check", str(book), str(out), "--json"])
    wb = load_workbook(book, read_only=True)
    sheets: dict[str, list[dict[str, object]]] = {}
    for ws in wb.worksheets:
        got = list(ws.iter_rows(values_only=True))
        sheets[ws.title] = [dict(zip(got[0], x, strict=True)) for x in got[1:]] if got else []
    return checked.exit_code, json.loads(checked.stdout), r.output, sheets


def _hard(report: dict[str, object]) -> set[str]:
    found = report["violations"]
    assert isinstance(found, list)
    return {v["rule"] for v in found if v["hard"]}


def test_without_min_days_two_lessons_may_share_a_day(tmp_path: Path) -> None:
    code, report, output, sheets = _import_and_check(tmp_path, "")
    assert code == 0, report["violations"]
    assert _hard(report) == set()
    art = {c["course"]: c for c in sheets["Courses"] if c["subject"] == "Art"}
    assert set(art) == {"A4", "A5"}
    assert {c["lessons"] for c in art.values()} == {"1"}
    assert {c["staff"] for c in art.values()} == {"Bo"}
    requests = {(x["student"], x["course"]) for x in sheets["Requests"]}
    sevens = {x["student"] for x in sheets["Students"] if x["name"] == "7A"}
    assert {(s, c) for s in sevens for c in ("A4", "A5")} <= requests
    assert "1 split activit(y/ies) imported as one course per activity (2 courses)" in output
    assert (
        "1: FET may put two of their lessons on one day: no MinDaysBetweenActivities names "
        "two of their activities"
    ) in output
    assert not [x for x in sheets.get("Rules", []) if x["rule"] == "min_days_apart"]


def test_a_soft_min_days_is_a_soft_row_that_fets_timetable_breaks_softly(tmp_path: Path) -> None:
    soft = ART_MIN_DAYS.replace(
        "<Weight_Percentage>100</Weight_Percentage>", "<Weight_Percentage>90</Weight_Percentage>"
    )
    code, report, output, sheets = _import_and_check(tmp_path, soft)
    assert code == 0, report["violations"]  # no hard violation
    rows = [
        (x["lessons"], x["value"], x["weight"], x["consecutive_if_same_day"])
        for x in sheets["Rules"]
        if x["rule"] == "min_days_apart"
    ]
    # FET's Consecutive_If_Same_Day: on one day, one right after the other (Art's two
    # lessons at Tue 3 and Tue 4 in FET's timetable keep it).
    assert rows == [("A4.1, A5.1", 1, 90, "yes")]
    found = report["violations"]
    assert isinstance(found, list)
    assert [v["rule"] for v in found if not v["hard"] and "A4" in v["message"]], found
    assert "MinDaysBetweenActivities: 1 of weight 90% as soft rules (Rules weight 90)" in output
    assert "their MinDaysBetweenActivities are below 100% only" in output
    assert "1 MinDaysBetweenActivities below 100% carried as soft min_days_apart rows" in output
    assert "their rows' consecutive_if_same_day is yes" in output
    assert "not carried (no Pathways rule yet)" not in output


def test_a_hard_min_days_keeps_rule_4(tmp_path: Path) -> None:
    code, report, output, sheets = _import_and_check(tmp_path, ART_MIN_DAYS)
    assert code == EXIT_CHECK
    assert _hard(report) == {"lesson_days"}
    art = [c for c in sheets["Courses"] if c["subject"] == "Art"]
    assert [(c["course"], c["lessons"]) for c in art] == [("A4", "1,1")]
    assert "imported as one course per activity" not in output


def _three_lessons(*min_days: tuple[int, ...]) -> str:
    """Maths split in three (1, 2, 3: Ada, Y7) under 100% MinDays of one day over these
    activities."""
    rules = "".join(
        constraint("MinDaysBetweenActivities", activity_ids(*ids) + "<MinDays>1</MinDays>")
        for ids in min_days
    )
    maths = "".join(activity(i, 1, "Ada", "Maths", "Y7") for i in (1, 2, 3))
    return (
        f"{fet_head('Three lessons', ['Ada'])}<Activities_List>{maths}</Activities_List>"
        f"<Time_Constraints_List>{rules}</Time_Constraints_List></fet>"
    )


def test_rule_4_only_where_every_pair_is_held_apart() -> None:
    whole, report = build_tables(parse_fet(_three_lessons((1, 2), (1, 3), (2, 3)).encode()))
    assert [c["lessons"] for c in whole["Courses"]] == ["1,1,1"]
    assert report.complete and "Rules" not in whole
    apart, report = build_tables(parse_fet(_three_lessons((1, 2)).encode()))
    assert [c["course"] for c in apart["Courses"]] == ["A1", "A2", "A3"]
    assert report.complete
    assert [(r["lessons"], r["weight"]) for r in apart["Rules"]] == [("A1.1, A2.1", None)]
    assert (
        "1: FET may put two of their lessons on one day: a 100% MinDaysBetweenActivities "
        "holds only some pairs of their activities"
    ) in report.text()


def _soft_art(
    tmp: Path, consecutive: str, at: dict[int, tuple[str, int, None]]
) -> tuple[int, dict[str, object], list[dict[str, object]]]:
    """Art's MinDays at 90% with ``Consecutive_If_Same_Day`` ``consecutive``, FET's
    timetable with Art at ``at``: the check's exit code and report, the Rules rows."""
    soft = ART_MIN_DAYS.replace(
        "<Weight_Percentage>100</Weight_Percentage>", "<Weight_Percentage>90</Weight_Percentage>"
    ).replace(">true</Consecutive_If_Same_Day>", f">{consecutive}</Consecutive_If_Same_Day>")
    code, report, _, sheets = _import_and_check(tmp, soft, {**SAME_DAY, **at})
    return code, report, sheets["Rules"]


def test_consecutive_if_same_day_is_the_rows_flag(tmp_path: Path) -> None:
    # FET's generator keeps it: Art's two lessons on one day only side by side (Tue 3
    # and Tue 4 in FET's timetable). A timetable with a period between them (Mon 2 and
    # Mon 4) breaks it, hard.
    code, report, rules = _soft_art(tmp_path / "a", "true", {})
    assert code == 0, report["violations"]
    assert [r["consecutive_if_same_day"] for r in rules if r["rule"] == "min_days_apart"] == ["yes"]
    gap = {4: ("Mon", 2, None), 5: ("Mon", 4, None)}
    code, report, _ = _soft_art(tmp_path / "b", "true", gap)
    found = report["violations"]
    assert isinstance(found, list)
    hard = [v["message"] for v in found if v["hard"] and v["rule"] == "min_days_apart"]
    assert code == EXIT_CHECK and len(hard) == 1, found
    assert "are both on Mon and have 1 period(s) between them" in hard[0]
    # Without the flag in FET, no column (the workbook reads as before), and the same
    # timetable breaks the row softly only.
    code, report, rules = _soft_art(tmp_path / "c", "false", gap)
    assert "consecutive_if_same_day" not in rules[0]
    assert "min_days_apart" not in _hard(report), report["violations"]
