"""Small, careful operations on workbook tables, shared by the scenario transformations.

Tables (:data:`scheduler.workbook.tables.Tables`) hold cells as a spreadsheet does:
text, numbers, blanks (``None``) and list cells such as ``"10,11"``. The helpers here
read and write such cells, find sheets and columns however a user spelt them, and decide
whether a row matches a *filter* (the ``where`` of a scenario change).

Filters
-------
A filter maps column names to conditions; a row matches when every condition holds.

* ``subject: Maths``: equal (text compared without regard to capitals; ``7`` and ``"7"``
  are equal);
* ``subject: [Maths, English]``: any of these;
* ``stage: ">=5"`` (also ``<=``, ``>``, ``<``, ``!=``): compared as numbers when both are
  numbers, else as text;
* ``course: "MA-*"``: a pattern with ``*`` and ``?``;
* ``room_type: null``: the cell is blank.

A cell holding a list (``years: "10,11"``) matches when any of its items matches, so
``years: 10`` finds every course open to year 10 (``!=`` then means "none of them").
"""

from __future__ import annotations

import fnmatch
import math
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from scheduler.workbook.read import NO_WORDS, YES_WORDS, split_list, to_text
from scheduler.workbook.schema import SCHEMA
from scheduler.workbook.tables import Tables

__all__ = [
    "ChangeError",
    "as_int",
    "cell_text",
    "clone",
    "column_key",
    "describe_filter",
    "items",
    "join",
    "matches",
    "normalise_cells",
    "sheet_name",
    "unique_id",
]


class ChangeError(ValueError):
    """A scenario change that cannot be made, in a timetabler's words."""


_OPERATOR = re.compile(r"^\s*(>=|<=|!=|>|<)\s*(.*?)\s*$")


def _norm(name: str) -> str:
    return re.sub(r"[\s_]+", "_", str(name).strip()).casefold()


def sheet_name(tables: Tables, name: str) -> str:
    """The sheet meant by ``name``: a sheet already in ``tables`` or one of the contract,
    matched without regard to capitals, spaces or underscores."""
    key = re.sub(r"[\s_]+", "", str(name)).casefold()
    for existing in tables:
        if re.sub(r"[\s_]+", "", existing).casefold() == key:
            return existing
    for contract in SCHEMA:
        if contract.casefold() == key:
            return contract
    known = ", ".join(dict.fromkeys([*tables, *SCHEMA]))
    raise ChangeError(f"there is no sheet called {name!r}; the sheets are: {known}")


def column_key(row: Mapping[str, Any], column: str) -> str:
    """The key of ``row`` meant by ``column`` (capitals, spaces and ``_`` ignored); the
    normalised name when the row has no such column yet."""
    want = _norm(column)
    for k in row:
        if _norm(k) == want:
            return k
    return want


def clone(tables: Tables) -> Tables:
    """A copy that can be changed without touching ``tables`` (cells are immutable)."""
    return {sheet: [dict(r) for r in rows] for sheet, rows in tables.items()}


def normalise_cells(tables: Tables) -> Tables:
    """Tables whose date and time cells are text, so they write the same to CSV and .xlsx."""
    out: Tables = {}
    for sheet, rows in tables.items():
        out[sheet] = [
            {
                k: (to_text(v) if isinstance(v, (datetime, date, time, timedelta)) else v)
                for k, v in r.items()
            }
            for r in rows
        ]
    return out


def cell_text(value: Any) -> str | None:
    """A cell as text (``7.0`` -> ``"7"``); ``None`` for a blank."""
    if value is None:
        return None
    text = to_text(value)
    return text or None


def items(value: Any) -> list[str]:
    """The items of a list cell (``"10,11"`` -> ``["10", "11"]``); [] for a blank."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_text(v) for v in value if v is not None and to_text(v)]
    return split_list(value)


def join(values: Iterable[Any]) -> str | None:
    """A list cell from values; ``None`` (a blank cell) when there are none."""
    out = [to_text(v) for v in values if v is not None]
    return ",".join(out) if out else None


def as_int(value: Any) -> int | None:
    """A whole-number cell as an int; ``None`` when blank or not a whole number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        f = float(to_text(value))
    except ValueError:
        return None
    return int(f) if math.isfinite(f) and f.is_integer() else None


def unique_id(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``, … whichever is not taken (any capitals)."""
    lowered = {t.casefold() for t in taken}
    if wanted.casefold() not in lowered:
        return wanted
    n = 2
    while f"{wanted}-{n}".casefold() in lowered:
        n += 1
    return f"{wanted}-{n}"


# ---- filters --------------------------------------------------------------------------


def _number(text: str) -> float | None:
    try:
        f = float(text)
    except ValueError:
        return None
    return f if math.isfinite(f) else None


def _equal(item: str, want: Any) -> bool:
    want_text = to_text(want)
    a, b = _number(item), _number(want_text)
    if a is not None and b is not None:
        return a == b
    return item.casefold() == want_text.casefold()


def _item_matches(item: str, cond: Any) -> bool:
    """One cell item against one scalar condition (no ``!=``)."""
    if isinstance(cond, bool):
        return item.casefold() in (YES_WORDS if cond else NO_WORDS)
    if isinstance(cond, str):
        m = _OPERATOR.match(cond)
        if m:
            op, rhs = m.groups()
            a, b = _number(item), _number(rhs)
            if a is not None and b is not None:
                left: Any = a
                right: Any = b
            else:
                left, right = item.casefold(), rhs.casefold()
            compared: dict[str, bool] = {
                ">=": left >= right,
                "<=": left <= right,
                ">": left > right,
                "<": left < right,
            }
            return compared[op]
        if any(ch in cond for ch in "*?["):
            return fnmatch.fnmatchcase(item.casefold(), cond.casefold())
    return _equal(item, cond)


def _cell_matches(value: Any, cond: Any) -> bool:
    cells = items(value)
    if cond is None:
        return not cells
    if isinstance(cond, (list, tuple)):
        return any(_cell_matches(value, c) for c in cond)
    if isinstance(cond, str):
        m = _OPERATOR.match(cond)
        if m and m.group(1) == "!=":
            rhs = m.group(2)
            if rhs == "" or rhs.casefold() in ("null", "blank"):
                return bool(cells)
            return not any(_equal(i, rhs) for i in cells)
    return any(_item_matches(i, cond) for i in cells)


def matches(row: Mapping[str, Any], where: Mapping[str, Any] | None) -> bool:
    """Whether ``row`` satisfies every condition of the filter ``where`` (see module doc)."""
    if not where:
        return True
    for column, cond in where.items():
        key = column_key(row, str(column))
        if not _cell_matches(row.get(key), cond):
            return False
    return True


def describe_filter(where: Mapping[str, Any] | None) -> str:
    """A filter in words, for messages: ``subject = Maths and stage >= 5``."""
    if not where:
        return "every row"
    parts = []
    for column, cond in where.items():
        if cond is None:
            parts.append(f"{column} is blank")
        elif isinstance(cond, (list, tuple)):
            parts.append(f"{column} is one of {', '.join(to_text(c) for c in cond)}")
        elif isinstance(cond, str) and (m := _OPERATOR.match(cond)):
            op, rhs = m.groups()
            parts.append(f"{column} {op} {rhs}")
        else:
            parts.append(f"{column} = {to_text(cond)}")
    return " and ".join(parts)
