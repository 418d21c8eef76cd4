"""iCalendar files: parsed with the icalendar library, recurring over the term, stable UIDs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

icalendar = pytest.importorskip(
    "icalendar", reason="the icalendar library is not installed (pip install -e '.[test]')"
)
from dateutil.rrule import rrulestr

from scheduler.exports.grid import Context
from scheduler.exports.ics import resolve_term
from scheduler.exports.run import export
from tests.checker_fixtures import group, tiny_school, valid_groups, valid_solution
from tests.export_fixtures import (
    WRITTEN_AT,
    one_week_folder,
    termed,
    two_week_folder,
)


def _events(path: Path) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert len(events) == len(cal.walk("VEVENT")), "UIDs must be unique"
    return events


def _when(e: icalendar.Event) -> tuple[datetime, datetime]:
    return e.decoded("DTSTART"), e.decoded("DTEND")


def _occurrences(e: icalendar.Event) -> list[datetime]:
    rule = e["RRULE"].to_ical().decode()
    return list(rrulestr(rule, dtstart=e.decoded("DTSTART")))


def test_student_calendar_parses_and_recurs_weekly_over_the_term(tmp_path: Path) -> None:
    result = export(one_week_folder(tmp_path), ["ics"])
    assert result.notes == []
    events = _events(result.folder / "ics" / "students" / "S1.ics")
    assert sorted(events) == [
        "student/S1/AR/1@pathways",
        "student/S1/MA-3/1@pathways",
        "student/S1/MA-3/2@pathways",
        "student/S1/SC/1@pathways",
        "student/S1/TUTOR/1@pathways",
    ]
    ma = events["student/S1/MA-3/1@pathways"]
    assert _when(ma) == (datetime(2025, 9, 1, 10, 0), datetime(2025, 9, 1, 11, 0))
    assert ma.decoded("DTSTART").tzinfo is None  # floating: school clock time all year
    assert str(ma["SUMMARY"]) == "Maths (MA-3.1)" and str(ma["LOCATION"]) == "R1"
    assert "Staff: T1 (Ann)" in str(ma["DESCRIPTION"])
    occ = _occurrences(ma)
    assert occ[0] == datetime(2025, 9, 1, 10, 0) and occ[-1] == datetime(2025, 12, 15, 10, 0)
    assert len(occ) == 16  # every Monday from 1 Sep to 15 Dec
    # The Science double (Tue 3-4, across lunch) is one event.
    sc = events["student/S1/SC/1@pathways"]
    assert _when(sc) == (datetime(2025, 9, 2, 11, 20), datetime(2025, 9, 2, 14, 0))
    assert str(events["student/S1/TUTOR/1@pathways"]["SUMMARY"]) == "Tutor time (TG-A)"


def test_online_lesson_and_staff_and_room_calendars(tmp_path: Path) -> None:
    folder = one_week_folder(tmp_path)
    out = export(folder, ["ics"]).folder / "ics"
    cs = _events(out / "students" / "S3.ics")["student/S3/CS/1@pathways"]
    assert str(cs["LOCATION"]) == "Online"
    t1 = _events(out / "staff" / "T1.ics")
    assert sorted(t1) == ["staff/T1/MA-3/1@pathways", "staff/T1/MA-3/2@pathways"]
    assert "3 students" in str(t1["staff/T1/MA-3/1@pathways"]["DESCRIPTION"])
    hall = _events(out / "rooms" / "HALL.ics")
    assert len(hall) == 2  # AR.1 and AR.2 share the space on Mon 3
    tg_b = _events(out / "staff" / "T5.ics")["staff/T5/TUTOR/1@pathways"]
    assert "LOCATION" not in tg_b  # tutor time with no room


def test_every_file_round_trips_through_the_icalendar_library(tmp_path: Path) -> None:
    out = export(two_week_folder(tmp_path), ["ics"]).folder / "ics"
    files = sorted(out.rglob("*.ics"))
    assert len(files) == 5 + 6 + 4
    for path in files:
        text = path.read_bytes()
        assert all(len(line) <= 75 for line in text.split(b"\r\n"))
        cal = icalendar.Calendar.from_ical(text)
        again = icalendar.Calendar.from_ical(cal.to_ical())
        assert [
            (str(e["UID"]), _when(e), str(e["SUMMARY"]), e["RRULE"].to_ical())
            for e in again.walk("VEVENT")
        ] == [
            (str(e["UID"]), _when(e), str(e["SUMMARY"]), e["RRULE"].to_ical())
            for e in cal.walk("VEVENT")
        ]


def test_two_week_cycle_recurs_every_other_week(tmp_path: Path) -> None:
    out = export(two_week_folder(tmp_path), ["ics"]).folder / "ics"
    events = _events(out / "students" / "S1.ics")
    wk1 = events["student/S1/MA-3/1@pathways"]
    wk2 = events["student/S1/MA-3/2@pathways"]
    assert wk1["RRULE"]["INTERVAL"] == [2]
    assert _when(wk1)[0] == datetime(2025, 9, 1, 10, 0)  # Wk1 Mon: the term's first week
    assert _when(wk2)[0] == datetime(2025, 9, 9, 10, 0)  # Wk2 Tue: the week after
    dates = sorted(d.date() for e in (wk1, wk2) for d in _occurrences(e))
    assert dates[:4] == [date(2025, 9, 1), date(2025, 9, 9), date(2025, 9, 15), date(2025, 9, 23)]
    tutor = sorted(u for u in events if "TUTOR" in u)
    assert tutor == ["student/S1/TUTOR/1@pathways", "student/S1/TUTOR/2@pathways"]


def test_term_starting_midweek_keeps_week_one_as_the_week_it_starts_in(tmp_path: Path) -> None:
    out = export(two_week_folder(tmp_path), ["ics"], term_start=date(2025, 9, 3)).folder / "ics"
    events = _events(out / "students" / "S1.ics")
    # Week 1 is the week of Wed 3 Sep: its Monday has passed, so Wk1 Mon is first on the
    # 15th; Wk2 Tue is on the 9th.
    assert _when(events["student/S1/MA-3/1@pathways"])[0] == datetime(2025, 9, 15, 10, 0)
    assert _when(events["student/S1/MA-3/2@pathways"])[0] == datetime(2025, 9, 9, 10, 0)


def test_uids_are_stable_and_a_moved_lesson_keeps_its_uid(tmp_path: Path) -> None:
    first = _events(export(one_week_folder(tmp_path), ["ics"]).folder / "ics/students/S1.ics")
    again = _events(export(tmp_path / "out", ["ics"]).folder / "ics/students/S1.ics")
    assert {u: _when(e) for u, e in first.items()} == {u: _when(e) for u, e in again.items()}
    # A newer solve moves MA-3.1's Tuesday lesson from period 2 to period 5.
    moved = replace(
        valid_solution(),
        groups=tuple(
            group("MA-3.1", ("T1",), {"S1", "S2", "S4"}, ((1,), "R1"), ((9,), "R1"))
            if g.id == "MA-3.1"
            else g
            for g in valid_groups()
        ),
    )
    folder = one_week_folder(tmp_path / "newer", solution=moved)
    ctx_path = folder / "context.json"  # written a week after the first
    ctx = Context.from_json(ctx_path.read_text())
    ctx_path.write_text(replace(ctx, written_at=WRITTEN_AT.replace(day=27).isoformat()).to_json())
    newer = _events(export(folder, ["ics"]).folder / "ics/students/S1.ics")
    assert set(newer) == set(first)  # re-importing updates, never duplicates
    tue = newer["student/S1/MA-3/2@pathways"]
    assert _when(tue)[0] == datetime(2025, 9, 2, 14, 0)
    assert tue["SEQUENCE"] > first["student/S1/MA-3/2@pathways"]["SEQUENCE"]


def test_text_is_escaped_and_folded(tmp_path: Path) -> None:
    school = tiny_school()
    name = 'Zoë O\'Neil, "Jo"; back\\slash\n' + "ß" * 40
    staff = tuple(replace(t, name=name) if t.id == "T1" else t for t in school.staff)
    folder = one_week_folder(tmp_path, school=termed(replace(school, staff=staff)))
    path = export(folder, ["ics"]).folder / "ics" / "staff" / "T1.ics"
    text = path.read_bytes()
    assert max(len(line) for line in text.split(b"\r\n")) <= 75
    assert b'X-WR-CALNAME:tiny: T1 Zo\xc3\xab O\'Neil\\, "Jo"\\; back\\\\slash\\n' in text
    events = _events(path)
    student = _events(path.parent.parent / "students" / "S1.ics")
    desc = str(student["student/S1/MA-3/1@pathways"]["DESCRIPTION"])
    assert f"Staff: T1 ({name})" in desc
    assert len(events) == 2


def test_term_defaults_are_stated() -> None:
    ctx = Context.from_school(tiny_school(), written_at=WRITTEN_AT)  # a Wednesday
    term = resolve_term(ctx)
    assert (term.start, term.end) == (date(2025, 8, 25), date(2025, 11, 16))
    assert term.notes[0] == (
        "Settings has no term_start: calendars start on Mon 25 Aug 2025, "
        "the first Monday on or after the day the timetable was written"
    )
    assert "12 weeks after term_start" in term.notes[1]
    only_end = resolve_term(replace(ctx, term_end="2025-12-19"))
    assert only_end.start == date(2025, 9, 27) and len(only_end.notes) == 2
    assert resolve_term(replace(ctx, term_start="2025-09-01", term_end="2025-12-19")).notes == ()
    with pytest.raises(ValueError, match="ends"):
        resolve_term(ctx, date(2025, 9, 1), date(2025, 8, 1))


def test_lessons_after_a_short_term_are_left_out(tmp_path: Path) -> None:
    out = (
        export(
            one_week_folder(tmp_path),
            ["ics"],
            term_start=date(2025, 9, 1),
            term_end=date(2025, 9, 1),
        ).folder
        / "ics"
    )
    events = _events(out / "students" / "S1.ics")
    assert sorted(events) == [
        "student/S1/AR/1@pathways",
        "student/S1/MA-3/1@pathways",
        "student/S1/TUTOR/1@pathways",
    ]  # Monday only
