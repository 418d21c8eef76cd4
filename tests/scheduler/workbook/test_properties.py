"""Property: whatever is done to a valid workbook, loading gives a School or an InputError.

Random corruptions of the tiny school (drop a sheet, a column, a row; blank a cell; put
random text, numbers, dates or booleans in a cell; duplicate a row) written as .xlsx or
CSV must never make :func:`load_school` raise anything else, nor fall back to its
"internal error" safety net, and what it returns must hang together.
"""

from __future__ import annotations

import math
import tempfile
from datetime import datetime, time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.model import School
from scheduler.workbook.problems import InputError, Severity
from scheduler.workbook.read import load_school
from scheduler.workbook.tables import Tables
from tests.workbook_fixtures import tiny_tables, write

# Text a spreadsheet cell can hold (no control characters, which .xlsx cannot store).
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, -1, 3.0, 3.5, 1e300]),
)
VALUES = st.one_of(
    st.none(),
    TEXT,
    NUMBERS,
    st.booleans(),
    st.sampled_from(
        [
            time(9, 30),
            datetime(2025, 9, 1, 10, 0),
            "#REF!",
            "Mon",
            "Mon 1",
            "yes",
            "core",
            "Maths:2-1",
            "T1",
            "S1",
            "MA-3",
            "1,1,2",
            "=1+1",
        ]
    ),
)


def _corrupt(t: Tables, data: st.DataObject) -> None:
    kind = data.draw(
        st.sampled_from(
            [
                "drop_sheet",
                "drop_column",
                "drop_row",
                "blank",
                "value",
                "value",
                "value",
                "duplicate_row",
                "new_column",
            ]
        )
    )
    sheet = data.draw(st.sampled_from(sorted(t)))
    rows = t[sheet]
    if kind == "drop_sheet":
        del t[sheet]
        return
    if not rows:
        return
    columns = sorted({c for r in rows for c in r})
    i = data.draw(st.integers(0, len(rows) - 1))
    if kind == "drop_column":
        column = data.draw(st.sampled_from(columns))
        for r in rows:
            r.pop(column, None)
    elif kind == "drop_row":
        rows.pop(i)
    elif kind == "duplicate_row":
        rows.insert(data.draw(st.integers(0, len(rows))), dict(rows[i]))
    elif kind == "new_column":
        rows[i][data.draw(TEXT.filter(lambda s: s.strip() != ""))] = data.draw(VALUES)
    else:
        column = data.draw(st.sampled_from(columns))
        rows[i][column] = None if kind == "blank" else data.draw(VALUES)


def _xlsx_safe(t: Tables) -> None:
    # NaN and infinity have no .xlsx representation; a spreadsheet would hold text.
    for rows in t.values():
        for r in rows:
            for k, v in r.items():
                if isinstance(v, float) and not math.isfinite(v):
                    r[k] = str(v)


def _consistent(school: School) -> None:
    """What a School promises its users: every reference resolves."""
    assert school.calendar.num_slots > 0
    for r in school.requests:
        assert r.student in school.student_by_id and r.course in school.course_by_id
    for c in school.courses:
        assert 1 <= c.min_size <= c.max_size and all(n >= 1 for n in c.lessons)
        assert all(s in school.staff_by_id for s in c.staff)
    for g in school.tutor_groups:
        assert g.tutor in school.staff_by_id
        assert all(0 <= s < school.calendar.num_slots for s in g.meets)
    for s in school.students:
        assert s.tutor_group is None or s.tutor_group in school.tutor_group_by_id
        assert s.home_days <= set(school.calendar.days)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(), fmt=st.sampled_from(["csv", "xlsx"]), n=st.integers(min_value=1, max_value=4)
)
def test_corrupted_workbook_gives_school_or_input_error(
    data: st.DataObject, fmt: str, n: int
) -> None:
    t = tiny_tables()
    for _ in range(n):
        _corrupt(t, data)
    if fmt == "xlsx":
        _xlsx_safe(t)
    with tempfile.TemporaryDirectory() as tmp:
        path = write(t, Path(tmp), fmt)
        try:
            school, warnings = load_school(path)
        except InputError as exc:
            assert exc.errors, "an InputError carries at least one error"
            for p in exc.problems:
                assert "internal error" not in p.message, str(p)
                assert p.sheet and p.message
                assert p.row is None or p.row >= 1
            return
    assert all(w.severity is Severity.WARNING for w in warnings)
    _consistent(school)


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=300))
def test_random_bytes_are_an_input_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "school.xlsx"
        path.write_bytes(data)
        try:
            load_school(path)
        except InputError as exc:
            assert len(exc.errors) == 1
            assert exc.errors[0].sheet == "school.xlsx"
            assert "internal error" not in exc.errors[0].message
        else:  # pragma: no cover - random bytes are never a workbook
            raise AssertionError("random bytes loaded as a school")


def test_the_valid_workbook_loads(tmp_path: Path) -> None:
    """The starting point of the corruptions is itself valid (else the property is empty)."""
    for fmt in ("csv", "xlsx"):
        school, _ = load_school(write(tiny_tables(), tmp_path, fmt))
        _consistent(school)
