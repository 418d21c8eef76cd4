"""The Rules sheet (added by the project; docs/workbook.md, "Rules"): every kind read
into the school, and every bad cell reported as ``Rules!row, column`` with what was
expected, all in one run."""

from __future__ import annotations

from pathlib import Path

from scheduler.model import LessonRef, TimeRule
from tests.workbook_fixtures import load_tables, rules_errors, rules_rows, tiny_tables


def test_every_kind_is_read(tmp_path: Path) -> None:
    t = tiny_tables()
    t["Rules"] = rules_rows(
        {"rule": "min_days_apart", "lessons": "MA-3", "value": 2},
        {"rule": "Start_At", "lessons": "MA-3.1:2, SC.1", "slots": "Mon 1, Tue", "weight": 40},
        {"rule": "within", "lessons": "AR.1:1", "slots": "Wed"},
        {"rule": "same_start", "lessons": "MA-3.1, MA-4.1"},
        {"rule": "staff_max_days", "staff": "T1, t2", "value": 2},
        {"rule": "staff_max_gaps_week", "value": 1},
        {"rule": "staff_max_gaps_day", "staff": "T3", "value": 0, "weight": 5},
    )
    school, _ = load_tables(t, tmp_path)
    cal = school.calendar
    tue = frozenset(cal.day_slots["Tue"])
    assert school.time_rules == (
        TimeRule("min_days_apart", (LessonRef("MA-3"),), value=2, row=2),
        TimeRule(
            "start_at",
            (LessonRef("MA-3", 1, 2), LessonRef("SC", 1)),
            slots=tue | {cal.by_label["Mon 1"]},
            weight=40,
            row=3,
        ),
        TimeRule("within", (LessonRef("AR", 1, 1),), slots=frozenset(cal.day_slots["Wed"]), row=4),
        TimeRule("same_start", (LessonRef("MA-3", 1), LessonRef("MA-4", 1)), row=5),
        TimeRule("staff_max_days", staff=("T1", "T2"), value=2, row=6),
        TimeRule("staff_max_gaps_week", value=1, row=7),
        TimeRule("staff_max_gaps_day", staff=("T3",), value=0, weight=5, row=8),
    )


def test_every_bad_cell_is_reported(tmp_path: Path) -> None:
    rules = rules_errors(
        tmp_path,
        {"rule": "min_gaps", "value": 1},
        {"rule": "min_days_apart", "lessons": "XX, MA-3.1:9", "value": 1},
        {"rule": "start_at", "lessons": "MA-3"},
        {"rule": "same_start", "lessons": "MA-3, MA-4.1"},
        {"rule": "same_start", "lessons": "MA-3.1, MA-4.1:1"},
        {"rule": "staff_max_days", "staff": "T9", "value": 1, "lessons": "MA-3"},
        {"rule": "staff_max_gaps_week", "value": -1, "weight": 0},
        {"rule": "min_days_apart", "lessons": "MA-3", "value": 0},
        {"rule": "within", "lessons": "MA-3.1:x", "slots": "Sun 9"},
    )
    assert [e.split(":")[0] for e in rules] == [
        "Rules!2, rule",
        "Rules!3, lessons",
        "Rules!3, lessons",
        "Rules!4, slots",
        "Rules!5, lessons",
        "Rules!6, lessons",
        "Rules!7, staff",
        "Rules!7, lessons",
        "Rules!8, value",
        "Rules!8, weight",
        "Rules!9, value",
        "Rules!10, lessons",
        "Rules!10, slots",
    ], rules
    assert "'XX' names no course of the Courses sheet" in rules[1]
    assert "MA-3 has 3 lesson(s) a cycle" in rules[2]
    assert "is blank; a start_at rule needs it" in rules[3]
    assert "T9 is not on the Staff sheet" in rules[6]
    assert "expected blank (a hard rule) or a whole number from 1 to 1,000,000" in rules[9]
