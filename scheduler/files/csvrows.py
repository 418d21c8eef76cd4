"""The one reader of the output contract's CSV files (docs/outputs.md), for the reader
the checker uses (:mod:`scheduler.outputs.read`) and the exports
(:mod:`scheduler.exports.run`), which each say in their own words what it found wrong;
and the one way Pathways writes a CSV file (:func:`write_rows`: UTF-8 without a BOM,
Excel's dialect), for the solve's files, changes.csv, the exports' CSV files and a
workbook written as a folder of CSV files.

What it tolerates, alike for both: a UTF-8 byte-order mark; a header whose names are
padded with spaces or in another case (the first of two same names counts); blank lines
and lines of empty or white-space cells (skipped); text padded with spaces (trimmed).
A row shorter than the header reads as empty in the cells it lacks; :attr:`CsvRow.cells`
says how many it had, for a reader that refuses short rows.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CsvRow:
    """One row: the line it ends on, its cells as written, and the columns asked for."""

    line: int
    cells: int
    values: dict[str, str]  # column -> trimmed text ('' where the row is short)

    def ordered(self, columns: tuple[str, ...]) -> list[str]:
        """The texts of ``columns``, in that order."""
        return [self.values[c] for c in columns]


@dataclass(frozen=True)
class CsvTable:
    """A CSV file's rows; ``width`` is its header's number of columns."""

    width: int
    rows: list[CsvRow]


class CsvUnreadable(Exception):
    """The file gives no rows: it has no header row (``empty``), lacks columns asked for
    (``missing``, in the order asked), or is not UTF-8 CSV text (``reason``)."""

    def __init__(
        self, *, empty: bool = False, missing: tuple[str, ...] = (), reason: str = ""
    ) -> None:
        self.empty = empty
        self.missing = missing
        self.reason = reason
        super().__init__(
            "no header row"
            if empty
            else f"missing column(s) {', '.join(missing)}"
            if missing
            else reason
        )


def read_rows(path: str | os.PathLike[str], columns: tuple[str, ...]) -> CsvTable:
    """The rows of the CSV file at ``path``, by the (lower-case) ``columns`` asked for.

    Raises :class:`CsvUnreadable` (never another exception) when it gives no rows.
    """
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise CsvUnreadable(empty=True)
            index: dict[str, int] = {}
            for n, h in enumerate(header):
                index.setdefault(h.strip().casefold(), n)
            missing = tuple(c for c in columns if c not in index)
            if missing:
                raise CsvUnreadable(missing=missing)
            rows = []
            for raw in reader:
                if not any(x.strip() for x in raw):
                    continue  # blank line
                values = {
                    c: (raw[index[c]].strip() if index[c] < len(raw) else "") for c in columns
                }
                rows.append(CsvRow(reader.line_num, len(raw), values))
            return CsvTable(len(header), rows)
    except (UnicodeDecodeError, csv.Error, OSError) as exc:
        raise CsvUnreadable(reason=str(exc)) from exc


def write_rows(
    path: str | os.PathLike[str], header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> None:
    """Write a CSV file: ``header``, then ``rows``."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
