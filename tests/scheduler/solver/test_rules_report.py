"""Which hard Rules rows stand in the way of a timetable (``scheduler.solver.rules_report``,
``pathways explain``'s "Rules rows")."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from typer.testing import CliRunner

from scheduler.solver.rules_report import RulesReport, row_says, rules_report
from tests.time_rule_schools import rule, school


def _impossible():
    """MA's two lessons at least 3 days apart, in a cycle of 3 days (day 1 and day 3 are
    only 2 apart): a row nothing can keep. EN's row (1 day apart) always holds."""
    return replace(rule("min_days_apart", "MA", value=3), row=7)


def _harmless():
    return replace(rule("min_days_apart", "EN", value=1), row=5)


def test_a_row_nothing_can_keep_is_named_and_the_one_that_holds_is_not() -> None:
    report = rules_report(school(_harmless(), _impossible()), limit=20, seed=1, workers=1)
    assert report is not None and not report.timetable
    assert report.placed_without_rows is True
    assert report.rows_hard == 2
    assert [(r["where"], r["kind"]) for r in report.rows] == [("Rules!7", "min_days_apart")]
    assert report.rows[0]["over"] >= 1 and report.over_total == report.rows[0]["over"]
    lines = report.lines()
    assert lines[0].startswith("Every lesson has a place without the 2 hard Rules rows")
    assert lines[-1].startswith("Rules!7 min_days_apart 3 MA: ")
    assert "Rules!5" not in " ".join(lines)
    assert report.tried is None  # not asked


def test_the_rows_named_are_tried_soft() -> None:
    """Solved again with the named row soft, the school has a timetable, which the
    checker passes; the words say so."""
    report = rules_report(
        school(_harmless(), _impossible()), limit=20, seed=1, workers=1, try_them=True
    )
    assert report is not None and report.tried is not None
    assert report.tried["timetable"] is True
    assert report.lines()[-1].startswith(
        "With this row soft (weight 1), the solve made a first timetable in "
    )
    failed = replace(report, tried={"timetable": False, "seconds": 20.0, "limit": 20})
    assert failed.lines()[-1] == (
        "With this row soft (weight 1), the solve still made no timetable in 20 s."
    )


def test_rows_that_hold_name_nothing() -> None:
    report = rules_report(school(_harmless()), limit=20, seed=1, workers=1)
    assert report is not None and report.rows == []
    # The quick placement keeps the row, so the solve stops at its first timetable.
    assert report.timetable and report.lines() == [
        "A first timetable keeps every one of the 1 hard Rules rows."
    ]


def test_no_hard_row_no_report() -> None:
    soft = replace(_impossible(), weight=3)
    assert rules_report(school(soft), limit=20, seed=1, workers=1) is None


def test_rows_without_a_sheet_row_are_told_apart() -> None:
    """Rows built in code have no sheet row: still each its own (numbered by position)."""
    rows = (replace(_harmless(), row=None), replace(_impossible(), row=None))
    report = rules_report(school(*rows), limit=20, seed=1, workers=1)
    assert report is not None
    assert [(r["index"], r["where"]) for r in report.rows] == [(1, "a min_days_apart rule")]


def test_the_words_of_each_outcome() -> None:
    base = RulesReport(rows_hard=4, seconds=12.0, limit=30)
    assert base.lines() == [
        (
            "No first timetable came in 30 s (--solve-limit), before any search that weighs "
            "the 4 hard Rules rows."
        )
    ]
    why = replace(base, why=["the students' placement found breaks a hard rule: Rules!63"])
    assert why.lines()[0].endswith(
        "hard Rules rows: the students' placement found breaks a hard rule: Rules!63."
    )
    none = replace(base, placed_without_rows=False)
    assert none.lines()[0].startswith("Even without the 4 hard Rules rows, no placement")
    kept = replace(base, placed_without_rows=True, placed_without_rows_s=0.5, over_total=0)
    assert "keeps every row was found too" in kept.lines()[1]
    lost = replace(base, placed_without_rows=True, placed_without_rows_s=0.5)
    assert "No placement with the rows counted" in lost.lines()[1]
    many = replace(
        lost,
        over_total=30,
        rows=[{"where": f"Rules!{i}", "says": "x", "over": 1} for i in range(2, 32)],
    )
    assert many.lines()[-1] == "... and 10 more rows (--json lists them all)"
    assert len(many.lines()) == 2 + 20 + 1
    assert row_says(rule("same_start", "MA.1:1", "EN.1:2")) == "same_start MA.1:1, EN.1:2"
    assert row_says(replace(rule("staff_max_days", value=2), staff=("T1",))) == (
        "staff_max_days 2 T1"
    )


def test_explain_names_the_row_on_the_terminal_in_json_and_on_the_page(tmp_path: Path) -> None:
    from scheduler.cli import app
    from tests.workbook_fixtures import rules_rows, tiny_tables, write

    tables = tiny_tables()
    # MA-3's lessons (the tiny school's Maths) 9 days apart: more than its week has.
    tables["Rules"] = rules_rows({"rule": "min_days_apart", "lessons": "MA-3", "value": 9})
    book = write(tables, tmp_path / "school")
    runner = CliRunner()
    args = ["explain", str(book), "--solve-changes", "0", "--solve-limit", "20", "--seed", "1"]
    text = runner.invoke(app, [*args, "--out", str(tmp_path / "why.html")])
    assert text.exit_code == 0, text.output
    assert "Rules rows." in text.output and "Rules!2 min_days_apart 9 MA-3: " in text.output
    assert "Rules!2 min_days_apart 9 MA-3" in (tmp_path / "why.html").read_text()

    def answer(*more: str) -> dict:
        out = runner.invoke(app, [*args, "--json", *more]).stdout
        return json.loads(out[out.index("{") :])

    assert [r["where"] for r in answer()["rules"]["rows"]] == ["Rules!2"]
    assert answer()["rules"]["tried"] is None  # --solve-changes 0
    assert answer("--solve-changes", "1")["rules"]["tried"]["timetable"] is True
    assert "rules" not in answer("--no-rules")


def test_a_row_over_people_says_whom() -> None:
    """T1 teaches MA's two lessons, which fall on different days: at most one day a week
    for T1 cannot hold, and the words say it is T1's."""
    row = replace(rule("staff_max_days", value=1), staff=("T1",), row=4)
    report = rules_report(school(row), limit=20, seed=1, workers=1)
    assert report is not None and [r["where"] for r in report.rows] == ["Rules!4"]
    assert report.rows[0]["whom"] == [("T1", 1)]
    assert report.lines()[-1] == "Rules!4 staff_max_days 1 T1: 1 over (T1 1)"
