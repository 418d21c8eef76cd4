"""Problems found in a school's input, in the timetabler's words.

Every problem names where it is (sheet, spreadsheet row, column) and says what is
wrong and what was expected. Problems are collected, never raised one at a time, so a
workbook with twenty mistakes gets twenty messages in one run.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or suspicious) in the input."""

    severity: Severity
    sheet: str
    row: int | None  # spreadsheet row number (header is row 1); None = whole sheet
    column: str | None
    message: str  # what is wrong
    expected: str = ""  # what was expected

    def where(self) -> str:
        out = self.sheet
        if self.row is not None:
            out += f"!{self.row}"
        if self.column:
            out += f", {self.column}"
        return out

    def __str__(self) -> str:
        text = f"{self.where()}: {self.message}"
        if self.expected:
            text += f"; {self.expected}"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "expected": self.expected,
            "text": str(self),
        }


class InputError(Exception):
    """Raised at the edge when input has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity is Severity.ERROR]
        super().__init__(f"{len(errors)} problem(s) in the input")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]
