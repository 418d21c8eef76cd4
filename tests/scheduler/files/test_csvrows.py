"""The one reader of the output CSV files (issue 16), shared by the checker's reader and
the exports: its edge cases, pinned."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.files.csvrows import CsvUnreadable, read_rows, write_rows

COLUMNS = ("student", "group")


def _file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    return path


def test_rows_by_column_with_their_lines_and_cells(tmp_path: Path) -> None:
    path = _file(tmp_path, b"extra,group,student\r\nx,G1,S1\r\ny,G2,S2\r\n")
    table = read_rows(path, COLUMNS)
    assert table.width == 3
    assert [(r.line, r.cells, r.values) for r in table.rows] == [
        (2, 3, {"student": "S1", "group": "G1"}),
        (3, 3, {"student": "S2", "group": "G2"}),
    ]
    assert table.rows[0].ordered(COLUMNS) == ["S1", "G1"]


def test_bom_padded_header_other_case_and_blank_lines(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf Student ,GROUP,group\r\n\r\n , \r\n,,\r\n  S1 , G1 ,G9\r\n\r\n"
    table = read_rows(_file(tmp_path, data), COLUMNS)
    assert [(r.line, r.values) for r in table.rows] == [(5, {"student": "S1", "group": "G1"})]


def test_a_short_row_reads_empty_and_says_its_cells(tmp_path: Path) -> None:
    table = read_rows(_file(tmp_path, b"student,group\nS1\n"), COLUMNS)
    [row] = table.rows
    assert (row.cells, table.width, row.values) == (1, 2, {"student": "S1", "group": ""})


def test_a_quoted_line_break_gives_the_line_the_row_ends_on(tmp_path: Path) -> None:
    table = read_rows(_file(tmp_path, b'student,group\n"S\n1",G1\nS2,G2\n'), COLUMNS)
    assert [(r.line, r.values["student"]) for r in table.rows] == [(3, "S\n1"), (4, "S2")]


@pytest.mark.parametrize(
    "data, empty, missing, reason",
    [
        (b"", True, (), False),
        (b"group\nG1\n", False, ("student",), False),
        (b"name\n", False, ("student", "group"), False),
        (b"\xff\xfe\x00bad", False, (), True),
    ],
)
def test_what_gives_no_rows(tmp_path: Path, data, empty, missing, reason) -> None:
    path = _file(tmp_path, data)
    with pytest.raises(CsvUnreadable) as err:
        read_rows(path, COLUMNS)
    assert (err.value.empty, err.value.missing, bool(err.value.reason)) == (empty, missing, reason)


def test_an_open_quote_runs_to_the_end_of_the_file(tmp_path: Path) -> None:
    [row] = read_rows(_file(tmp_path, b'student,group\n"S1,G1\nS2,G2\n'), COLUMNS).rows
    assert (row.cells, row.values) == (1, {"student": "S1,G1\nS2,G2", "group": ""})


def test_a_missing_file_is_unreadable_not_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(CsvUnreadable) as err:
        read_rows(tmp_path / "none.csv", COLUMNS)
    assert "none.csv" in err.value.reason


def test_written_as_excel_writes_it_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    write_rows(path, COLUMNS, [("S1", "G,1"), ("S2", "")])
    assert path.read_bytes() == b'student,group\r\nS1,"G,1"\r\nS2,\r\n'  # no BOM
    assert [r.values for r in read_rows(path, COLUMNS).rows] == [
        {"student": "S1", "group": "G,1"},
        {"student": "S2", "group": ""},
    ]
