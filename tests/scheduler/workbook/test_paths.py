"""Paths that are no workbook are a message naming the path, never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.workbook.problems import InputError
from scheduler.workbook.read import load_school


def _errors(path: str | Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_school(path)
    return [str(p) for p in exc.value.errors]


def test_a_name_too_long_for_the_file_system(tmp_path: Path) -> None:
    errors = _errors(tmp_path / ("x" * 5000 + ".xlsx"))
    assert errors == [
        "x" * 57 + "...: could not be read (File name too long); expected a "
        "readable .xlsx workbook or folder of CSV files"
    ]


def test_a_device_is_not_read() -> None:
    """/dev/zero would be read for ever; a device or a pipe is refused before reading."""
    assert _errors("/dev/zero") == [
        (
            "zero: is not a file or a folder (a device or a pipe); expected an .xlsx workbook or a "
            "folder of CSV files"
        )
    ]


def test_a_nul_character_in_the_path() -> None:
    """(No command line can hold one, but a caller of load_school can.)"""
    assert _errors("school\0.xlsx") == [
        "school\0.xlsx: file not found; expected an .xlsx workbook or a folder of CSV files"
    ]
