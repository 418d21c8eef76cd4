"""How ``pathways export`` reads a solve's CSV files (issue 16: one reader with the
checker's, ``scheduler.files.csvrows``): what it tolerates and what it names."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.exports.grid import ExportError
from scheduler.exports.run import load
from tests.export_fixtures import one_week_folder


def _entries(folder: Path) -> dict[str, dict[str, list[tuple[int, str, str]]]]:
    data, _ = load(folder)
    return {
        kind: {t.person.id: [(e.slot, e.course, e.group) for e in t.entries] for t in tts}
        for kind, tts in data.timetables.items()
    }


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str], bom: bool = False) -> None:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "\r\n".join(lines).encode() + b"\r\n")


def _messages(folder: Path) -> list[str]:
    with pytest.raises(ExportError) as err:
        load(folder)
    return err.value.messages


def test_a_bom_blank_lines_and_a_padded_header_read_as_the_plain_file(tmp_path: Path) -> None:
    folder = one_week_folder(tmp_path)
    before = _entries(folder)
    for name in ("timetable.csv", "groups.csv"):
        head, *rows = _lines(folder / name)
        padded = ",".join(f" {c} " for c in head.split(","))
        _write(folder / name, [padded, "", ",,,,,,,,", *rows, ""], bom=True)
    assert _entries(folder) == before


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    folder = one_week_folder(tmp_path)
    path = folder / "groups.csv"
    _write(path, [",".join(r.split(",")[:-1]) for r in _lines(path)])  # no size
    assert _messages(folder) == [
        f"{path} has no column 'size': is it a file written by `pathways solve`?"
    ]


def test_a_short_row_is_named_by_its_line(tmp_path: Path) -> None:
    folder = one_week_folder(tmp_path)
    path = folder / "timetable.csv"
    lines = _lines(path)
    lines[2] = ",".join(lines[2].split(",")[:-1])
    _write(path, lines)
    assert _messages(folder) == [f"{path} line 3: 8 columns where the header has 9"]


def test_an_empty_or_undecodable_file_is_named_not_a_traceback(tmp_path: Path) -> None:
    folder = one_week_folder(tmp_path)
    path = folder / "groups.csv"
    path.write_bytes(b"")
    assert _messages(folder) == [f"{path} is empty: is it a file written by `pathways solve`?"]
    path.write_bytes(b"\xff\xfe\x00bad")
    [msg] = _messages(folder)
    assert msg.startswith(f"{path} cannot be read as a UTF-8 CSV file (")
    assert msg.endswith("): is it a file written by `pathways solve`?")


def test_changes_by_person_do_not_follow_the_hash_seed(tmp_path: Path) -> None:
    """The people of a re-solve's changes come in the order the files name them, so the
    web page's data.js is the same on every run (a set of staff ids made it follow
    PYTHONHASHSEED)."""
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json\n"
        "from scheduler.exports.run import changes_by_person\n"
        "changes = [['group_staff', 'G1', 'MA', '', 'T2;T3;T4;T5', 'T1;T6']]\n"
        "groups = [['G1', 'MA', 'Mon', '1', '09:00', '10:00', 'R1', 'T7;T8;T9;T0', '5']]\n"
        "print(json.dumps(changes_by_person(changes, groups)))\n"
        "changes = [['lesson_room', 'G1', 'MA', '', 'Mon 1 R1', 'Mon 1 R2']]\n"
        "print(json.dumps(changes_by_person(changes, groups)))\n"
    )
    root = Path(__file__).resolve().parents[3]
    outs = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outs.add(done.stdout)
    [out] = outs
    staff_change, room_change = (json.loads(line) for line in out.splitlines())
    assert list(staff_change["staff"]) == ["T2", "T3", "T4", "T5", "T1", "T6"]
    assert list(room_change["staff"]) == ["T7", "T8", "T9", "T0"]
