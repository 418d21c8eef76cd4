"""The shared export model: context.json, days as weekdays, grids, timetables from files."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from scheduler.exports.grid import (
    CONTEXT_FILE,
    PALETTE,
    Context,
    Cycle,
    ExportError,
    file_names,
)
from scheduler.exports.run import export, load
from tests.checker_fixtures import tiny_school
from tests.export_fixtures import (
    S1_WEEK,
    WRITTEN_AT,
    one_week_folder,
    termed,
    two_week_folder,
    two_week_school,
)


def test_cycle_of_one_week() -> None:
    c = Cycle.of(("Mon", "Tue", "Wed", "Thu", "Fri"))
    assert c.weeks == 1
    assert c.place["Mon"] == (0, 0) and c.place["Fri"] == (0, 4)


def test_cycle_of_two_weeks_maps_wk2_to_the_second_week() -> None:
    c = Cycle.of(("Wk1 Mon", "Wk1 Tue", "Wk2 Mon", "Wk2 Tue"))
    assert c.weeks == 2
    assert c.place["Wk2 Tue"] == (1, 1)
    assert c.weekday_names["Wk2 Tue"] == "Tue"
    assert Cycle.of(("Week 1 Monday", "Week 2 Friday")).place["Week 2 Friday"] == (1, 4)


def test_cycle_of_days_without_weekdays_is_five_a_week() -> None:
    c = Cycle.of(tuple(f"Day {n}" for n in range(1, 11)))
    assert c.weeks == 2
    assert c.place["Day 1"] == (0, 0) and c.place["Day 6"] == (1, 0) and c.place["Day 10"] == (1, 4)
    # The same weekday twice in one week cannot be a weekday: five a week as well.
    assert Cycle.of(("Mon", "Mon A")).place["Mon A"] == (0, 1)


def test_layout_one_week_and_two_weeks() -> None:
    one = Context.from_school(tiny_school()).layout
    assert [w.title for w in one.weeks] == [""]
    assert one.weeks[0].headers == ("Mon", "Tue")
    assert one.weeks[0].rows[2] == "3 (11:20-12:20)"
    two = Context.from_school(two_week_school()).layout
    assert [(w.title, w.days, w.headers) for w in two.weeks] == [
        ("Week 1", ("Wk1 Mon", "Wk1 Tue"), ("Mon", "Tue")),
        ("Week 2", ("Wk2 Mon", "Wk2 Tue"), ("Mon", "Tue")),
    ]
    assert two.shared_header


def test_context_round_trips_through_json() -> None:
    ctx = Context.from_school(two_week_school(), written_at=WRITTEN_AT)
    back = Context.from_json(ctx.to_json())
    assert back == ctx
    assert back.term_start == "2025-09-01" and back.written_at == "2025-08-20T12:00:00+00:00"
    assert back.tutor_groups[0].meets == (0, 10)
    assert back.subjects["MA-3"] == "Maths"
    assert back.people("room")[3].details == "North, capacity 20"


def test_context_json_that_cannot_be_read_says_what_to_do() -> None:
    with pytest.raises(ExportError) as err:
        Context.from_json('{"calendar": 3}', where="out/context.json")
    assert err.value.messages[0].startswith("out/context.json cannot be read")
    assert "--school" in err.value.messages[0]


def test_subject_colours_are_distinct_and_follow_subject_names() -> None:
    ctx = Context.from_school(tiny_school())
    subjects = ["Art", "Computing", "Geography", "Maths", "Science"]
    assert ctx.colours == dict(zip(subjects, PALETTE, strict=False))
    assert ctx.colour("MA-3") == PALETTE[3] and ctx.colour("TUTOR") == "#EEEEEE"
    assert ctx.subject("TUTOR") == "Tutor time" and ctx.subject("XX") == "XX"


def test_timetables_from_a_solve_folder(tmp_path: Path) -> None:
    data, notes = load(one_week_folder(tmp_path))
    assert notes == []
    tts = {k: {t.person.id: t for t in v} for k, v in data.timetables.items()}
    assert list(tts["student"]) == ["S1", "S2", "S3", "S4", "S5"]
    s1 = [(data.context.slots[e.slot].label, e.group) for e in tts["student"]["S1"].entries]
    assert s1 == S1_WEEK
    # Staff: lessons from groups.csv and tutor time from the tutor groups.
    t4 = [(data.context.slots[e.slot].label, e.course) for e in tts["staff"]["T4"].entries]
    assert t4 == [("Mon 1", "TUTOR"), ("Mon 3", "AR")]
    hall = tts["room"]["HALL"].by_slot[2]
    assert [e.cell() for e in hall] == ["AR AR.1 / HALL / T3", "AR AR.2 / HALL / T4"]
    assert data.group_sizes["MA-3.1"] == 3
    assert tts["student"]["S5"].periods == 1  # tutor time only


def test_a_row_whose_slot_is_not_in_the_calendar_is_named(tmp_path: Path) -> None:
    folder = one_week_folder(tmp_path)
    path = folder / "timetable.csv"
    rows = list(csv.reader(path.open(newline="")))
    rows[3][1] = "Wed"
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    with pytest.raises(ExportError) as err:
        load(folder)
    assert err.value.messages == ["timetable.csv line 4: Wed 3 is not a slot of the Calendar"]


def test_file_names_are_the_ids_where_safe_and_never_clash() -> None:
    names = file_names(["S0001", "a/b", "a:b", "s0001", "..", "Zoë"], ".ics")
    assert names == {
        "S0001": "S0001.ics",
        "a/b": "a_b.ics",
        "a:b": "a_b~2.ics",
        "s0001": "s0001~2.ics",
        "..": "_.ics",
        "Zoë": "Zo_.ics",
    }


def _sheets(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_re_export_gives_the_same_workbooks_as_the_solve(tmp_path: Path) -> None:
    for folder in (one_week_folder(tmp_path), two_week_folder(tmp_path)):
        result = export(folder, ["xlsx"])
        for name in ("students.xlsx", "staff.xlsx", "rooms.xlsx"):
            assert _sheets(folder / name) == _sheets(result.folder / "xlsx" / name), name


def test_solve_writes_the_context_exports_need(tmp_path: Path) -> None:
    folder = one_week_folder(tmp_path, school=termed(tiny_school()))
    ctx = Context.from_json((folder / CONTEXT_FILE).read_text())
    assert [s.label for s in ctx.slots][:2] == ["Mon 1", "Mon 2"]
    assert (ctx.term_start, ctx.term_end) == ("2025-09-01", "2025-12-19")
    assert ctx.input_sha256 == "ab" * 32
    assert ctx.students[0].name == "Sam" and ctx.staff[0].name == "Ann"


def test_every_subject_has_its_own_colour_even_beyond_the_palette() -> None:
    ctx = Context.from_school(tiny_school())
    many = Context(
        ctx.school_name, ctx.slots, subjects={f"C{n}": f"Subject {n:02d}" for n in range(40)}
    )
    colours = list(many.colours.values())
    assert len(set(colours)) == 40
    assert colours[: len(PALETTE)] == list(PALETTE)
    assert all(len(c) == 7 and c.startswith("#") for c in colours)


def test_exports_never_import_the_solver() -> None:
    """Architecture rule 2: reading, exports and the CLI never import OR-Tools."""
    import scheduler.exports

    folder = Path(scheduler.exports.__file__).parent
    for path in [*folder.glob("*.py"), folder.parent / "cli" / "export.py"]:
        text = path.read_text()
        assert "ortools" not in text and "scheduler.solver.engine" not in text, path.name
