"""What-if transformations: pure functions from a school's tables to new tables.

Each transformation takes the workbook tables (:data:`scheduler.workbook.tables.Tables`)
and settings from a scenario file, and returns *new* tables; the input is never changed.
Working on the tables rather than on the validated :class:`~scheduler.model.School`
means that a scenario is an ordinary workbook: the runner writes the new tables and
reads them back with :func:`scheduler.workbook.read.load_school`, so every rule of the
workbook contract validates the result (a change that breaks a reference is reported
exactly as a timetabler's own mistake would be), and ``--write-workbook`` can hand the
very same workbook to a timetabler.

Transformations register themselves in :data:`TRANSFORMATIONS` by name; a scenario
file names them (``open_longer``, ``home_learning``, …) and gives their settings.
:func:`apply_change` checks the settings against the function's signature before
calling it. Everything random is seeded, so the same scenario always gives the same
school.
"""

from __future__ import annotations

import inspect
import math
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from scheduler.model import days_named, hhmm
from scheduler.scenarios.tables_ops import (
    ChangeError,
    as_int,
    cell_text,
    clone,
    column_key,
    describe_filter,
    items,
    join,
    matches,
    sheet_name,
    unique_id,
)
from scheduler.workbook.read import CellError, parse_qualification, to_minutes
from scheduler.workbook.tables import Tables

__all__ = ["TRANSFORMATIONS", "Transformation", "apply_change", "transformation"]

Transform = Callable[..., Tables]


@dataclass(frozen=True)
class Transformation:
    """A named transformation and what it does (the first line of its docstring)."""

    name: str
    fn: Transform

    @property
    def summary(self) -> str:
        return (inspect.getdoc(self.fn) or "").split("\n", 1)[0]

    @property
    def settings(self) -> tuple[str, ...]:
        params = list(inspect.signature(self.fn).parameters.values())[1:]
        return tuple(p.name for p in params if p.kind is not p.VAR_KEYWORD)


#: Every transformation a scenario file may name, in the order the docs list them.
TRANSFORMATIONS: dict[str, Transformation] = {}


def transformation(name: str) -> Callable[[Transform], Transform]:
    """Register a function ``(tables, **settings) -> tables`` under ``name``."""

    def register(fn: Transform) -> Transform:
        TRANSFORMATIONS[name] = Transformation(name, fn)
        return fn

    return register


def apply_change(tables: Tables, name: str, settings: Mapping[str, Any] | None) -> Tables:
    """Apply the transformation ``name`` with ``settings``; new tables, ``tables`` untouched.

    Raises :class:`ChangeError` for an unknown transformation, an unknown or missing
    setting, or a change that cannot be made.
    """
    t = TRANSFORMATIONS.get(name)
    if t is None:
        raise ChangeError(
            f"there is no change called {name!r}; the changes are: {', '.join(TRANSFORMATIONS)}"
        )
    settings = dict(settings or {})
    params = list(inspect.signature(t.fn).parameters.values())[1:]
    takes_any = any(p.kind is p.VAR_KEYWORD for p in params)
    named = {p.name for p in params if p.kind is not p.VAR_KEYWORD}
    unknown = [k for k in settings if k not in named]
    if unknown and not takes_any:
        raise ChangeError(
            f"{name} has no setting {', '.join(map(repr, unknown))}; "
            f"its settings are: {', '.join(t.settings) or 'none'}"
        )
    missing = [
        p.name
        for p in params
        if p.default is p.empty and p.kind is not p.VAR_KEYWORD and p.name not in settings
    ]
    if missing:
        raise ChangeError(f"{name} needs the setting(s): {', '.join(missing)}")
    return t.fn(tables, **settings)


# ---------------------------------------------------------------------------------------
# Reading scenario settings: clear messages for a wrong value
# ---------------------------------------------------------------------------------------


def _str_list(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return items(value)
    if isinstance(value, (list, tuple)) and all(
        isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value
    ):
        return [str(v).strip() for v in value if str(v).strip()]
    raise ChangeError(f"{what} should be a list such as [Maths, English], not {value!r}")


def _int(value: Any, what: str, minimum: int | None = None) -> int:
    n = as_int(value) if not isinstance(value, bool) else None
    if n is None:
        raise ChangeError(f"{what} should be a whole number, not {value!r}")
    if minimum is not None and n < minimum:
        raise ChangeError(f"{what} should be at least {minimum}, not {n}")
    return n


def _int_list(value: Any, what: str) -> list[int]:
    out: list[int] = []
    for v in _str_list(value, what):
        # "7-9" is a range of years, as a timetabler would write it.
        m = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", v)
        if m:
            out.extend(range(int(m.group(1)), int(m.group(2)) + 1))
        else:
            out.append(_int(v, what))
    return out


def _share(value: Any, what: str) -> float:
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise ChangeError(
            f"{what} should be a share between 0 and 1, e.g. 0.25, not {value!r}"
        ) from None
    if not 0 <= f <= 1:
        raise ChangeError(f"{what} should be a share between 0 and 1, e.g. 0.25, not {f}")
    return f


def _mapping(value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ChangeError(f"{what} should be a set of column: value pairs, not {value!r}")
    return {str(k): v for k, v in value.items()}


def _mapping_list(value: Any, what: str) -> list[dict[str, Any]]:
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, Mapping) for v in value):
        raise ChangeError(f"{what} should be a list of entries, each with its columns")
    return [{str(k): v for k, v in v.items()} for v in value]


def _cell(value: Any) -> Any:
    """A scenario value as a workbook cell: lists become ``a,b``; yes/no stay words."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return join(value)
    return value


# ---------------------------------------------------------------------------------------
# Facts about the school, read from the tables
# ---------------------------------------------------------------------------------------


def _rows(tables: Tables, sheet: str) -> list[dict[str, Any]]:
    return tables.get(sheet, [])


def _ids(tables: Tables, sheet: str, column: str) -> set[str]:
    return {t for r in _rows(tables, sheet) if (t := cell_text(r.get(column))) is not None}


def _day_labels(tables: Tables) -> list[str]:
    seen: dict[str, str] = {}
    for r in _rows(tables, "Calendar"):
        d = cell_text(r.get("day"))
        if d is not None:
            seen.setdefault(d.casefold(), d)
    return list(seen.values())


def _resolve_days(tables: Tables, names: list[str], what: str) -> list[str]:
    """Calendar days meant by day names: the exact label, or every ``Wk? Mon`` for ``Mon``."""
    days = _day_labels(tables)
    out: list[str] = []
    for name in names:
        found = days_named(days, name)
        if not found:
            raise ChangeError(
                f"{what}: {name!r} is not a day of the Calendar (the days are {', '.join(days)})"
            )
        out.extend(d for d in found if d not in out)
    return out


def _course_subject(tables: Tables) -> dict[str, str]:
    """Course id (casefolded) -> subject."""
    out = {}
    for r in _rows(tables, "Courses"):
        cid, subject = cell_text(r.get("course")), cell_text(r.get("subject"))
        if cid and subject:
            out[cid.casefold()] = subject
    return out


def _subject_code(tables: Tables, subject: str) -> str:
    """A short code for a subject, from its course ids (``HI7``, ``HI8`` -> ``HI``)."""
    prefixes = set()
    for r in _rows(tables, "Courses"):
        if (cell_text(r.get("subject")) or "").casefold() == subject.casefold():
            m = re.match(r"[A-Za-z]+", cell_text(r.get("course")) or "")
            prefixes.add(m.group(0).upper() if m else "")
    if len(prefixes) == 1 and "" not in prefixes:
        return prefixes.pop()
    letters = re.sub(r"[^A-Za-z]", "", subject)
    return (letters[:2] or "X").upper()


def _qualified(tables: Tables, subjects: list[str]) -> list[str]:
    """Staff who may teach at least one of ``subjects`` at some stage (in sheet order)."""
    wanted = {s.casefold() for s in subjects}
    out = []
    for r in _rows(tables, "Staff"):
        sid = cell_text(r.get("staff"))
        quals = []
        for text in items(r.get("subjects")):
            try:
                quals.append(parse_qualification(text).subject.casefold())
            except CellError:
                continue  # the reader reports a malformed qualification itself
        if sid and wanted & set(quals):
            out.append(sid)
    return out


def _student_years(tables: Tables) -> dict[str, int | None]:
    return {
        cell_text(r.get("student")) or "": as_int(r.get("year")) for r in _rows(tables, "Students")
    }


def _blocks(total: int, block: int) -> list[int]:
    """Lessons of ``block`` periods adding up to ``total`` (the last one shorter if need be)."""
    out = [block] * (total // block)
    if total % block:
        out.append(total % block)
    return out


def _periods(lessons: Any) -> int:
    return sum(as_int(x) or 0 for x in items(lessons))


def _longest_day(tables: Tables) -> int:
    count = Counter((cell_text(r.get("day")) or "").casefold() for r in _rows(tables, "Calendar"))
    return max(count.values(), default=0)


def _numbered(prefix: str, count: int, taken: set[str]) -> list[str]:
    """``count`` new ids ``prefix1``, ``prefix2``, … skipping ids already taken."""
    lowered = {t.casefold() for t in taken}
    out: list[str] = []
    n = 1
    while len(out) < count:
        cand = f"{prefix}{n}"
        if cand.casefold() not in lowered:
            out.append(cand)
            lowered.add(cand.casefold())
        n += 1
    return out


_STRENGTH = {"core": 0, "option": 1, "alternate": 2}


def _slots(tables: Tables) -> int:
    return len(_rows(tables, "Calendar"))


# ---------------------------------------------------------------------------------------
# The generic change
# ---------------------------------------------------------------------------------------


@transformation("set")
def set_values(
    tables: Tables, sheet: str, values: Mapping[str, Any], where: Mapping[str, Any] | None = None
) -> Tables:
    """Set any columns of any sheet on the rows that match a filter.

    ``sheet``: the sheet (``Courses``, ``Students``, …); ``where``: a filter (blank = every
    row; see :mod:`scheduler.scenarios.tables_ops`); ``values``: column -> new value (a
    list becomes ``a,b``; ``null`` blanks the cell). A filter that matches no row is an
    error, as it is almost always a typing mistake.
    """
    out = clone(tables)
    name = sheet_name(out, sheet)
    values = _mapping(values, "values")
    if not values:
        raise ChangeError("set needs at least one column in values")
    where = _mapping(where, "where")
    rows = out.setdefault(name, [])
    hit = 0
    for r in rows:
        if matches(r, where):
            hit += 1
            for col, v in values.items():
                r[column_key(r, col)] = _cell(v)
    if not hit:
        raise ChangeError(f"no row of {name} has {describe_filter(where)}")
    return out


@transformation("settings")
def settings(tables: Tables, **keys: Any) -> Tables:
    """Set Settings keys (e.g. ``time_limit_s``, ``weight_idle_student``), adding rows as needed."""
    if not keys:
        raise ChangeError("settings needs at least one key, e.g. weight_idle_student: 5")
    out = clone(tables)
    rows = out.setdefault("Settings", [])
    for key, value in keys.items():
        for r in rows:
            if (cell_text(r.get("key")) or "").casefold() == key.casefold():
                r["value"] = _cell(value)
                break
        else:
            rows.append({"key": key, "value": _cell(value)})
    return out


# ---------------------------------------------------------------------------------------
# Rooms and staff
# ---------------------------------------------------------------------------------------


def _add_rows(
    tables: Tables,
    sheet: str,
    column: str,
    entries: Any,
    setting: str,
    what: str,
    needs: Callable[[str | None, dict[str, Any]], str],
) -> Tables:
    """Rows added to a sheet of ids (``column``): ``entries`` (the change's ``setting``)
    hold the sheet's columns plus ``count``: with a count, the id is a prefix and the new
    rows are numbered. ``needs`` returns an entry's id, or raises ChangeError when the
    entry lacks what it must give; ``what`` names a row in messages."""
    out = clone(tables)
    rows = out.setdefault(sheet, [])
    taken = _ids(out, sheet, column)
    for entry in _mapping_list(entries, setting):
        entry = dict(entry)
        given = cell_text(entry.pop(column, None))
        count = _int(entry.pop("count", 1), "count", 1)
        ident = needs(given, entry)
        if count == 1 and ident.casefold() in {t.casefold() for t in taken}:
            raise ChangeError(f"there is already a {what} {ident}")
        ids = [ident] if count == 1 else _numbered(ident, count, taken)
        for new in ids:
            taken.add(new)
            rows.append({column: new, **{k: _cell(v) for k, v in entry.items()}})
    return out


@transformation("add_rooms")
def add_rooms(tables: Tables, rooms: Any) -> Tables:
    """Add learning spaces: open-plan areas, halls, lecture theatres, more labs.

    ``rooms``: a list of entries with the Rooms columns (``room``, ``capacity``, ``type``,
    and optionally ``site``, ``max_groups``, ``unavailable``) plus ``count``: with a
    count, ``room`` is a prefix and the rooms are numbered (``OPEN1``, ``OPEN2``, …).
    """

    def needs(rid: str | None, entry: dict[str, Any]) -> str:
        if rid is None:
            raise ChangeError("each room to add needs a room id (or id prefix with count)")
        if "capacity" not in entry or "type" not in entry:
            raise ChangeError(f"room {rid} needs a capacity and a type")
        return rid

    return _add_rows(tables, "Rooms", "room", rooms, "rooms", "room", needs)


@transformation("remove_rooms")
def remove_rooms(
    tables: Tables,
    rooms: Any = None,
    where: Mapping[str, Any] | None = None,
    count: int | None = None,
) -> Tables:
    """Take rooms out of use: by id (``rooms``) or by filter (``where``, e.g. ``type: classroom``).

    With ``count``, only that many of the matching rooms go: the last ones on the Rooms
    sheet. Tutor groups that met in a removed room keep meeting, without a room.
    """
    out = clone(tables)
    sheet = out.get("Rooms", [])
    ids = {r.casefold() for r in _str_list(rooms, "rooms")}
    where = _mapping(where, "where")
    if not ids and not where:
        raise ChangeError("remove_rooms needs rooms (a list of room ids) or where (a filter)")
    known = {(cell_text(r.get("room")) or "").casefold() for r in sheet}
    for rid in _str_list(rooms, "rooms"):
        if rid.casefold() not in known:
            raise ChangeError(f"there is no room {rid} to remove")
    hit = [
        r
        for r in sheet
        if (not ids or (cell_text(r.get("room")) or "").casefold() in ids) and matches(r, where)
    ]
    if not hit:
        raise ChangeError(f"no room has {describe_filter(where)}")
    if count is not None:
        n = _int(count, "count", 1)
        if n > len(hit):
            raise ChangeError(
                f"only {len(hit)} room(s) have {describe_filter(where)}; cannot remove {n}"
            )
        hit = hit[-n:]
    gone = {(cell_text(r.get("room")) or "").casefold() for r in hit}
    out["Rooms"] = [r for r in sheet if (cell_text(r.get("room")) or "").casefold() not in gone]
    for tg in out.get("TutorGroups", []):
        if (cell_text(tg.get("room")) or "").casefold() in gone:
            tg["room"] = None
    return out


@transformation("add_staff")
def add_staff(tables: Tables, staff: Any) -> Tables:
    """Add members of staff.

    ``staff``: a list of entries with the Staff columns (``staff``, ``subjects`` and
    optionally ``name``, ``max_periods``, ``unavailable``, ``site``) plus ``count``: with a
    count, ``staff`` is a prefix and the new staff are numbered.
    """

    def needs(sid: str | None, entry: dict[str, Any]) -> str:
        if sid is None or "subjects" not in entry:
            raise ChangeError("each member of staff to add needs a staff id and subjects")
        return sid

    return _add_rows(tables, "Staff", "staff", staff, "staff", "member of staff", needs)


# ---------------------------------------------------------------------------------------
# Courses
# ---------------------------------------------------------------------------------------


def _course_rows(tables: Tables, where: Mapping[str, Any], what: str) -> list[dict[str, Any]]:
    hit = [r for r in tables.get("Courses", []) if matches(r, where)]
    if not hit:
        raise ChangeError(f"{what}: no course has {describe_filter(where)}")
    return hit


@transformation("group_sizes")
def group_sizes(
    tables: Tables,
    where: Mapping[str, Any],
    min_size: int | None = None,
    max_size: int | None = None,
    room_type: str | None = None,
    staff_per_group: int | None = None,
    sections: int | None = None,
) -> Tables:
    """Change the size of teaching groups: lectures of 100+ down to single tutorials.

    ``where``: which courses (a filter on the Courses sheet, e.g. ``subject: Science``);
    ``min_size``/``max_size``: the new smallest and largest group; ``room_type``: the room
    the new groups need (a lecture needs a hall); ``staff_per_group``: team teaching.
    A fixed number of groups (``sections``) is cleared when the sizes change, so the
    solver decides from demand, unless ``sections`` is given too.
    """
    if all(v is None for v in (min_size, max_size, room_type, staff_per_group, sections)):
        raise ChangeError(
            "group_sizes needs at least one of min_size, max_size, room_type, "
            "staff_per_group, sections"
        )
    out = clone(tables)
    for r in _course_rows(out, _mapping(where, "where"), "group_sizes"):
        if max_size is not None:
            r["max_size"] = _int(max_size, "max_size", 1)
        if min_size is not None:
            r["min_size"] = _int(min_size, "min_size", 1)
        elif max_size is not None and (as_int(r.get("min_size")) or 1) > r["max_size"]:
            r["min_size"] = r["max_size"]  # a single tutorial: min_size cannot exceed 1
        if room_type is not None:
            r["room_type"] = room_type or None
        if staff_per_group is not None:
            r["staff_per_group"] = _int(staff_per_group, "staff_per_group", 1)
        if sections is not None:
            r["sections"] = _int(sections, "sections", 1)
        elif min_size is not None or max_size is not None:
            r["sections"] = None
    return out


@transformation("online_courses")
def online_courses(tables: Tables, where: Mapping[str, Any], max_size: int | None = None) -> Tables:
    """Teach courses online: no room needed, and they may fall on a home-learning day.

    ``where``: which courses (a filter on the Courses sheet); ``max_size``: a new largest
    group (online groups are often bigger).
    """
    out = clone(tables)
    for r in _course_rows(out, _mapping(where, "where"), "online_courses"):
        r["mode"] = "online"
        r["room_type"] = None
        if max_size is not None:
            r["max_size"] = _int(max_size, "max_size", 1)
            r["sections"] = None
    return out


def _merge_requests(
    rows: list[dict[str, Any]], owner: str, old: dict[str, str], course_column: str = "course"
) -> list[dict[str, Any]]:
    """Rows where requests for the courses in ``old`` (casefolded id -> new id) become one
    request per owner for the new course: the strongest type and the best rank, at the
    place of the first one."""
    out: list[dict[str, Any]] = []
    first: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        cid = (cell_text(r.get(course_column)) or "").casefold()
        if cid not in old:
            out.append(r)
            continue
        key = ((cell_text(r.get(owner)) or "").casefold(), old[cid])
        rtype = (cell_text(r.get("type")) or "core").casefold()
        rank = as_int(r.get("rank"))
        kept = first.get(key)
        if kept is None:
            new = dict(r)
            new[course_column] = old[cid]
            if "subject" in new:
                new["subject"] = None
            first[key] = new
            out.append(new)
            continue
        if _STRENGTH.get(rtype, 3) < _STRENGTH.get(
            (cell_text(kept.get("type")) or "").casefold(), 3
        ):
            kept["type"] = rtype
        kept_rank = as_int(kept.get("rank"))
        if rank is not None and (kept_rank is None or rank < kept_rank):
            kept["rank"] = rank
    return out


def _course_key(row: dict[str, Any]) -> str:
    """A Courses row's course id as compared (case-folded; blank for none)."""
    return (cell_text(row.get("course")) or "").casefold()


@transformation("projects_replace_lessons")
def projects_replace_lessons(
    tables: Tables,
    subjects: Any,
    years: Any = None,
    block: int = 3,
    merge: bool = True,
    max_size: int | None = None,
    min_size: int | None = None,
    staff_per_group: int | None = None,
    room_type: str | None = None,
    name: str = "Project",
) -> Tables:
    """Replace the lessons of some subjects by project blocks of several periods.

    ``subjects``: the subjects whose lessons become projects; ``years``: only their courses
    for these year groups (blank = all); ``block``: periods per project block (the same
    total time, the last block shorter when it does not divide). With ``merge`` (the
    default) the subjects' courses for the same years become one cross-curricular
    project course (``PRJ-7`` for year 7; subject ``name``), taught by any of their staff,
    and each student's requests for them become one request for the project; without it,
    each course keeps its subject and only its lessons change. ``max_size``, ``min_size``,
    ``staff_per_group`` and ``room_type`` set the project groups' shape.
    """
    subject_list = _str_list(subjects, "subjects")
    if not subject_list:
        raise ChangeError("projects_replace_lessons needs subjects")
    block = _int(block, "block", 1)
    if block > _longest_day(tables):
        raise ChangeError(
            f"a block of {block} periods is longer than the longest day "
            f"({_longest_day(tables)} periods)"
        )
    year_set = set(_int_list(years, "years")) if years is not None else None
    out = clone(tables)
    wanted = {s.casefold() for s in subject_list}
    hit = []
    for r in out.get("Courses", []):
        if (cell_text(r.get("subject")) or "").casefold() not in wanted:
            continue
        course_years = {as_int(y) for y in items(r.get("years"))}
        if year_set is not None and (not course_years or not course_years <= year_set):
            continue
        hit.append(r)
    if not hit:
        shown = f" for years {', '.join(map(str, sorted(year_set)))}" if year_set else ""
        raise ChangeError(f"no course of {', '.join(subject_list)}{shown} to turn into projects")

    def shape(r: dict[str, Any]) -> None:
        r["kind"] = "project"
        r["sections"] = None
        if max_size is not None:
            r["max_size"] = _int(max_size, "max_size", 1)
        if min_size is not None:
            r["min_size"] = _int(min_size, "min_size", 1)
        if staff_per_group is not None:
            r["staff_per_group"] = _int(staff_per_group, "staff_per_group", 1)
        if room_type is not None:
            r["room_type"] = room_type or None

    if not merge:
        for r in hit:
            r["lessons"] = join(_blocks(_periods(r.get("lessons")), block))
            shape(r)
        return out

    # One project per set of years (and stage): e.g. History, Geography and RE for year 7.
    bundles: dict[tuple[tuple[int, ...], str | None], list[dict[str, Any]]] = defaultdict(list)
    for r in hit:
        key = (
            tuple(sorted(as_int(y) or 0 for y in items(r.get("years")))),
            cell_text(r.get("stage")),
        )
        bundles[key].append(r)
    taken = _ids(out, "Courses", "course")
    renamed: dict[str, str] = {}
    new_rows: dict[str, dict[str, Any]] = {}  # course id (casefold) -> its new row
    for (yrs, stage), rows in bundles.items():
        label = "-".join(map(str, yrs)) if yrs else "ALL"
        cid = unique_id(f"PRJ-{label}" + (f"-S{stage}" if stage else ""), taken)
        taken.add(cid)
        bundle_subjects = list(dict.fromkeys(cell_text(r.get("subject")) or "" for r in rows))
        explicit = [s for r in rows for s in items(r.get("staff"))]
        staff = list(dict.fromkeys(explicit + _qualified(out, bundle_subjects)))
        if not staff:
            raise ChangeError(
                f"nobody on the Staff sheet teaches {', '.join(bundle_subjects)}, "
                "so nobody could lead the project"
            )
        total = sum(_periods(r.get("lessons")) for r in rows)
        project = dict(rows[0])
        project.update(
            {
                "course": cid,
                "subject": name,
                "stage": as_int(stage) if stage else None,
                "lessons": join(_blocks(total, block)),
                "min_size": min(as_int(r.get("min_size")) or 1 for r in rows),
                "max_size": max(as_int(r.get("max_size")) or 1 for r in rows),
                "staff": join(staff),
                "mode": None,
            }
        )
        shape(project)
        # The bundle's first row becomes the project (course ids are unique, so the id
        # says which row), the others go.
        new_rows[_course_key(rows[0])] = project
        for r in rows:
            renamed[_course_key(r)] = cid
    kept = ((r, _course_key(r)) for r in out["Courses"])
    out["Courses"] = [
        new_rows.get(key, r) for r, key in kept if key in new_rows or key not in renamed
    ]
    out["Requests"] = _merge_requests(out.get("Requests", []), "student", renamed)
    if "Pathways" in out:
        col = (
            "course_or_subject"
            if any("course_or_subject" in r for r in out["Pathways"])
            else "course"
        )
        out["Pathways"] = _merge_requests(out["Pathways"], "pathway", renamed, col)
    return out


@transformation("stage_not_age")
def stage_not_age(
    tables: Tables,
    subjects: Any,
    years: Any = None,
    stage_from: Any = "year",
    first_year: int | None = None,
) -> Tables:
    """Teach subjects by attainment stage instead of by year group.

    Each subject's year-group courses (``HI7``, ``HI8``, …) become stage courses
    (``HI-1``, ``HI-2``, …) open to every year; students ask for the subject and the
    Stages sheet places them. ``years``: only these year groups' courses (blank = all);
    ``stage_from``: ``year`` (stage 1 = ``first_year``, default the youngest year taught,
    then one stage a year) or a subject whose Stages rows give each student's stage (a
    student's stage in English as their stage in History); a student with no such row
    falls back to their year. Students who already have a Stages row for the subject keep
    it. Each stage course copies the year course most of its students came from.
    """
    subject_list = _str_list(subjects, "subjects")
    if not subject_list:
        raise ChangeError("stage_not_age needs subjects")
    year_set = set(_int_list(years, "years")) if years is not None else None
    source = str(stage_from).strip()
    out = clone(tables)
    student_year = _student_years(out)
    stages = out.setdefault("Stages", [])
    stage_of: dict[tuple[str, str], int] = {}
    for r in stages:
        sid, subj, st = (
            cell_text(r.get("student")),
            cell_text(r.get("subject")),
            as_int(r.get("stage")),
        )
        if sid and subj and st is not None:
            stage_of[(sid.casefold(), subj.casefold())] = st
    if source.casefold() != "year" and not any(k[1] == source.casefold() for k in stage_of):
        raise ChangeError(
            f"stage_from: no Stages row gives a stage in {source!r}; "
            "use year or a subject on the Stages sheet"
        )
    pathway_of = {
        cell_text(r.get("student")) or "": cell_text(r.get("pathway"))
        for r in out.get("Students", [])
    }
    pathway_col = (
        "course_or_subject"
        if any("course_or_subject" in r for r in out.get("Pathways", []))
        else "course"
    )
    taken = _ids(out, "Courses", "course")

    for subject in subject_list:
        affected: dict[str, dict[str, Any]] = {}
        for r in out.get("Courses", []):
            if (cell_text(r.get("subject")) or "").casefold() != subject.casefold():
                continue
            if cell_text(r.get("stage")) is not None:
                continue
            course_years = {as_int(y) for y in items(r.get("years"))}
            if not course_years or (year_set is not None and not course_years <= year_set):
                continue
            affected[_course_key(r)] = r
        if not affected:
            raise ChangeError(f"no year-group course of {subject} to teach by stage")
        course_year_min = min(
            as_int(y) or 0 for r in affected.values() for y in items(r.get("years"))
        )
        base_year = _int(first_year, "first_year") if first_year is not None else course_year_min

        # Who asks for these courses, on the Requests sheet or through a pathway.
        takers: dict[str, str] = {}  # student -> the year course they asked for
        for r in out.get("Requests", []):
            cid = _course_key(r)
            if cid in affected:
                takers.setdefault(cell_text(r.get("student")) or "", cid)
        pathway_courses: dict[str, str] = {}
        for r in out.get("Pathways", []):
            cid = (cell_text(r.get(pathway_col)) or "").casefold()
            if cid in affected:
                pathway_courses.setdefault((cell_text(r.get("pathway")) or "").casefold(), cid)
        for sid, pathway in pathway_of.items():
            if pathway and pathway.casefold() in pathway_courses:
                takers.setdefault(sid, pathway_courses[pathway.casefold()])

        def stage_for(sid: str, subject: str = subject, base_year: int = base_year) -> int:
            known = stage_of.get((sid.casefold(), subject.casefold()))
            if known is not None:
                return known
            if source.casefold() != "year":
                proxy = stage_of.get((sid.casefold(), source.casefold()))
                if proxy is not None:
                    return proxy
            return max(1, (student_year.get(sid) or base_year) - base_year + 1)

        by_stage: dict[int, list[str]] = defaultdict(list)
        for sid in takers:
            st = stage_for(sid)
            by_stage[st].append(sid)
            if (sid.casefold(), subject.casefold()) not in stage_of:
                stage_of[(sid.casefold(), subject.casefold())] = st
                stages.append({"student": sid, "subject": subject, "stage": st})
        code = _subject_code(out, subject)
        new_courses = []
        for st in sorted(by_stage):
            came_from = Counter(takers[s] for s in by_stage[st]).most_common(1)[0][0]
            template = affected[came_from]
            cid = unique_id(f"{code}-{st}", taken)
            taken.add(cid)
            row = dict(template)
            row.update(
                {
                    "course": cid,
                    "stage": st,
                    "years": None,
                    "sections": None,
                    "min_size": min(as_int(template.get("min_size")) or 1, len(by_stage[st])),
                }
            )
            explicit = [s for r in affected.values() for s in items(r.get("staff"))]
            row["staff"] = (
                join(dict.fromkeys(explicit))
                if all(items(r.get("staff")) for r in affected.values())
                else None
            )
            new_courses.append(row)
        # The stage courses take the place of the first year course on the sheet.
        first = next(iter(affected.values()))
        courses = []
        for r in out["Courses"]:
            if r is first:
                courses.extend(new_courses)
            elif _course_key(r) not in affected:
                courses.append(r)
        out["Courses"] = courses
        for r in out.get("Requests", []):
            if _course_key(r) in affected:
                r["course"] = None
                r["subject"] = subject
        for r in out.get("Pathways", []):
            if (cell_text(r.get(pathway_col)) or "").casefold() in affected:
                if pathway_col == "course_or_subject":
                    r[pathway_col] = subject
                else:
                    r["course"] = None
                    r["subject"] = subject
    return out


# ---------------------------------------------------------------------------------------
# Students
# ---------------------------------------------------------------------------------------


def _pick(rng: random.Random, pool: list[str], share: float) -> list[str]:
    """A seeded share of ``pool``, kept in pool order."""
    n = round(share * len(pool))
    chosen = set(rng.sample(range(len(pool)), n))
    return [s for i, s in enumerate(pool) if i in chosen]


@transformation("home_learning")
def home_learning(
    tables: Tables, days: Any, years: Any = None, share: float = 1.0, seed: int = 0
) -> Tables:
    """Students learn from home on some days: no school lessons or tutor time then.

    ``days``: the home-learning days (``Fri``, or ``Wk1 Fri``); ``years``: whose (blank =
    every student); ``share``: the share of those students (seeded choice, ``seed``).
    Days are added to any home days a student already has. Online courses may still be
    taken on home days.
    """
    day_list = _resolve_days(tables, _str_list(days, "days"), "days")
    if not day_list:
        raise ChangeError("home_learning needs days")
    year_set = set(_int_list(years, "years")) if years is not None else None
    out = clone(tables)
    pool = [
        cell_text(r.get("student")) or ""
        for r in out.get("Students", [])
        if year_set is None or as_int(r.get("year")) in year_set
    ]
    if not pool:
        raise ChangeError(f"no student is in years {', '.join(map(str, sorted(year_set or ())))}")
    chosen = set(_pick(random.Random(seed), pool, _share(share, "share")))
    for r in out["Students"]:
        if (cell_text(r.get("student")) or "") in chosen:
            r["home_days"] = join(dict.fromkeys([*items(r.get("home_days")), *day_list]))
    return out


@transformation("personalise")
def personalise(
    tables: Tables, years: Any = None, extra_options: int = 1, min_size: int | None = None
) -> Tables:
    """Give every student more of their own choices, for a more personal timetable.

    ``extra_options``: each student's best-ranked alternates (this many) become options,
    so they are timetabled for more of what they chose; ``years``: which students (blank =
    all); ``min_size``: let the courses these students ask for run with groups this small
    (fixed group counts are cleared so the solver follows demand).
    """
    extra = _int(extra_options, "extra_options", 0)
    year_set = set(_int_list(years, "years")) if years is not None else None
    out = clone(tables)
    student_year = _student_years(out)
    alternates: dict[str, list[tuple[int, int]]] = defaultdict(list)
    requests = out.get("Requests", [])
    for i, r in enumerate(requests):
        sid = cell_text(r.get("student")) or ""
        if year_set is not None and student_year.get(sid) not in year_set:
            continue
        if (cell_text(r.get("type")) or "").casefold() == "alternate":
            rank = as_int(r.get("rank"))
            alternates[sid].append((rank if rank is not None else 10**6, i))
    promoted = 0
    for rows in alternates.values():
        for _, i in sorted(rows)[:extra]:
            requests[i]["type"] = "option"
            promoted += 1
    if extra and not promoted:
        raise ChangeError("no student of those years has an alternate to turn into an option")
    if min_size is not None:
        size = _int(min_size, "min_size", 1)
        mine = [
            r
            for r in requests
            if year_set is None or student_year.get(cell_text(r.get("student")) or "") in year_set
        ]
        asked = {_course_key(r) for r in mine}
        asked_subjects = {(cell_text(r.get("subject")) or "").casefold() for r in mine}
        for r in out.get("Courses", []):
            if (
                _course_key(r) in asked
                or (cell_text(r.get("subject")) or "").casefold() in asked_subjects
            ):
                r["min_size"] = min(as_int(r.get("min_size")) or size, size)
                r["sections"] = None
    return out


def _asks_for(tables: Tables, subject: str) -> list[str]:
    """Students who ask for ``subject`` (any course of it), in Students sheet order."""
    key = subject.casefold()
    subj = _course_subject(tables)
    who: set[str] = set()
    for r in tables.get("Requests", []):
        s = cell_text(r.get("subject")) or subj.get(_course_key(r), "")
        if s.casefold() == key:
            who.add(cell_text(r.get("student")) or "")
    col = (
        "course_or_subject"
        if any("course_or_subject" in r for r in tables.get("Pathways", []))
        else "course"
    )
    pathways = set()
    for r in tables.get("Pathways", []):
        ref = cell_text(r.get(col)) or cell_text(r.get("subject")) or ""
        if (subj.get(ref.casefold()) or ref).casefold() == key:
            pathways.add((cell_text(r.get("pathway")) or "").casefold())
    out = []
    for r in tables.get("Students", []):
        sid = cell_text(r.get("student")) or ""
        if sid in who or (cell_text(r.get("pathway")) or "").casefold() in pathways:
            out.append(sid)
    return out


@transformation("test_when_ready")
def test_when_ready(
    tables: Tables,
    subjects: Any,
    share: float = 0.1,
    length: int = 1,
    max_size: int = 30,
    min_size: int = 1,
    room_type: str | None = None,
    seed: int = 0,
) -> Tables:
    """Students sit assessments when they are ready, not all in one exam week.

    For each subject a sitting course (``TWR-MA`` for Maths; ``kind`` assessment, one
    lesson of ``length`` periods, groups of ``min_size`` to ``max_size`` from any year,
    invigilated by the subject's staff, in a ``room_type`` room) is added, and the
    ``share`` of the subject's students who are ready this cycle (a seeded choice) must
    attend one sitting.
    """
    subject_list = _str_list(subjects, "subjects")
    if not subject_list:
        raise ChangeError("test_when_ready needs subjects")
    fraction = _share(share, "share")
    out = clone(tables)
    taken = _ids(out, "Courses", "course")
    for subject in subject_list:
        pool = _asks_for(out, subject)
        if not pool:
            raise ChangeError(f"no student asks for {subject}")
        canonical = next(
            (
                cell_text(r.get("subject"))
                for r in out.get("Courses", [])
                if (cell_text(r.get("subject")) or "").casefold() == subject.casefold()
            ),
            subject,
        )
        cid = unique_id(f"TWR-{_subject_code(out, subject)}", taken)
        taken.add(cid)
        out["Courses"].append(
            {
                "course": cid,
                "subject": canonical,
                "stage": None,
                "lessons": _int(length, "length", 1),
                "min_size": _int(min_size, "min_size", 1),
                "max_size": _int(max_size, "max_size", 1),
                "room_type": room_type,
                "kind": "assessment",
            }
        )
        rng = random.Random(f"{seed}:{subject.casefold()}")
        for sid in _pick(rng, pool, fraction):
            out.setdefault("Requests", []).append(
                {"student": sid, "course": cid, "type": "core", "rank": None}
            )
    return out


# ---------------------------------------------------------------------------------------
# Time and tutor groups
# ---------------------------------------------------------------------------------------


@transformation("open_longer")
def open_longer(
    tables: Tables,
    periods: Any = 1,
    days: Any = None,
    length: int = 60,
    gap: int = 0,
    room_types: Any = None,
) -> Tables:
    """Open the school longer: extra periods at the end of some days (evening sessions).

    ``periods``: how many periods to add to each day (numbered on from the day's last
    period, each ``length`` minutes, the first starting ``gap`` minutes after the day's
    last period ends), or a list of ``{period, start, end}``; ``days``: which days (blank =
    every day); ``room_types``: only rooms of these types stay open in the new periods
    (blank = every room). Staff and students may be timetabled in them; a member of
    staff who is away for a whole day stays away.
    """
    out = clone(tables)
    cal = out.get("Calendar", [])
    if not cal:
        raise ChangeError("the school has no Calendar to extend")
    day_list = (
        _resolve_days(out, _str_list(days, "days"), "days")
        if days is not None
        else _day_labels(out)
    )
    if isinstance(periods, (list, tuple)):
        explicit = _mapping_list(list(periods), "periods")
        count = len(explicit)
    else:
        explicit = []
        count = _int(periods, "periods", 1)
    length = _int(length, "length", 1)
    gap = _int(gap, "gap", 0)
    new_labels: list[str] = []
    by_day: dict[str, list[dict[str, Any]]] = {}
    for day in day_list:
        rows = [r for r in cal if (cell_text(r.get("day")) or "").casefold() == day.casefold()]
        last = rows[-1]
        existing = {(cell_text(r.get("period")) or "").casefold() for r in rows}
        try:
            end = to_minutes(last.get("end"))
        except CellError:
            raise ChangeError(
                f"the Calendar's last period of {day} has no readable end time"
            ) from None
        added = []
        last_label = cell_text(last.get("period")) or ""
        number = int(last_label) if last_label.isdigit() else None
        for k in range(count):
            if explicit:
                entry = explicit[k]
                label = cell_text(entry.get("period"))
                if label is None or "start" not in entry or "end" not in entry:
                    raise ChangeError("each period to add needs period, start and end")
                start_text, end_text = cell_text(entry["start"]), cell_text(entry["end"])
            else:
                label = str(number + k + 1) if number is not None else f"E{k + 1}"
                start = end + (gap if k == 0 else 0)
                if start + length > 24 * 60:
                    raise ChangeError(
                        f"{count} extra periods of {length} minutes do not fit "
                        f"in {day} before midnight"
                    )
                start_text, end_text = hhmm(start), hhmm(start + length)
                end = start + length
            if label.casefold() in existing:
                raise ChangeError(f"{day} already has a period {label}")
            existing.add(label.casefold())
            added.append({"day": day, "period": label, "start": start_text, "end": end_text})
            new_labels.append(f"{day} {label}")
        by_day[day.casefold()] = added
    # New rows go straight after each day's last row, so a day's periods stay together.
    rebuilt: list[dict[str, Any]] = []
    for i, r in enumerate(cal):
        rebuilt.append(r)
        key = (cell_text(r.get("day")) or "").casefold()
        nxt = (cell_text(cal[i + 1].get("day")) or "").casefold() if i + 1 < len(cal) else None
        if key in by_day and nxt != key:
            rebuilt.extend(by_day.pop(key))
    out["Calendar"] = rebuilt
    open_types = {t.casefold() for t in _str_list(room_types, "room_types")}
    if open_types:
        for r in out.get("Rooms", []):
            if not open_types & {t.casefold() for t in items(r.get("type"))}:
                r["unavailable"] = join([*items(r.get("unavailable")), *new_labels])
    return out


@transformation("vertical_tutoring")
def vertical_tutoring(
    tables: Tables, houses: Any = None, meets: Any = None, capacity: int | None = None
) -> Tables:
    """Make every tutor group vertical: mixed ages, the solver placing each student.

    Every tutor group becomes ``vertical``; students' fixed tutor groups are cleared so
    the solver spreads the years evenly. ``houses``: a number or a list of house names:
    tutor groups and students are dealt into houses in turn, year by year (families stay
    together); blank keeps any houses already there. ``meets``: a new common meeting time
    for every group (vertical groups usually meet together). ``capacity``: a new size for
    every group; without it, groups are enlarged only where their house needs more seats.
    """
    out = clone(tables)
    groups = out.get("TutorGroups", [])
    if not groups:
        raise ChangeError("the school has no tutor groups (TutorGroups sheet) to make vertical")
    students = out.get("Students", [])
    if isinstance(houses, int) and not isinstance(houses, bool):
        names = [f"House {i}" for i in range(1, _int(houses, "houses", 1) + 1)]
    else:
        names = _str_list(houses, "houses")
    if names:
        for i, g in enumerate(groups):
            g["house"] = names[i % len(names)]
        family_house: dict[str, str] = {}
        turn = 0
        for year in sorted({as_int(r.get("year")) or 0 for r in students}):
            for r in students:
                if (as_int(r.get("year")) or 0) != year:
                    continue
                family = cell_text(r.get("family")) or ""
                if family and family in family_house:
                    r["house"] = family_house[family]
                    continue
                r["house"] = names[turn % len(names)]
                turn += 1
                if family:
                    family_house[family] = r["house"]
    for g in groups:
        g["vertical"] = "yes"
        if meets is not None:
            g["meets"] = join(_str_list(meets, "meets"))
        if capacity is not None:
            g["capacity"] = _int(capacity, "capacity", 1)
    for r in students:
        r["tutor_group"] = None
    if capacity is None:
        # Every house needs a seat for each of its students (the whole school when there
        # are no houses): share any shortfall across the house's groups. Houses and
        # families are compared as written, as the solve and the checker compare them
        # (TutorGroup.takes_house).
        def house(row: dict[str, Any]) -> str:
            return cell_text(row.get("house")) or ""

        housed = {house(g) for g in groups} != {""}  # else the whole school is one house
        demand = Counter(house(r) if housed else "" for r in students)
        for name, need in demand.items():
            members = [g for g in groups if house(g) == name] if housed else groups
            if not members:
                continue
            seats = sum(as_int(g.get("capacity")) or 0 for g in members)
            if seats < need:
                each = math.ceil(need / len(members))
                for g in members:
                    g["capacity"] = max(as_int(g.get("capacity")) or 0, each)
    return out


# ---------------------------------------------------------------------------------------
# Whole new year groups: all-through schools
# ---------------------------------------------------------------------------------------

#: A primary class's week when none is given: (course suffix, subject, lessons, room type).
PRIMARY_CURRICULUM: tuple[tuple[str, str, str, str], ...] = (
    ("LIT", "Primary", "1,1,1,1,1", "primary"),
    ("NUM", "Primary", "1,1,1,1,1", "primary"),
    ("TOP", "Primary", "2,2", "primary"),
    ("SCI", "Primary", "2", "primary"),
    ("ART", "Primary", "2", "primary"),
    ("RE", "Primary", "1", "primary"),
    ("PE", "Primary", "2", "sports"),
    ("MUS", "Primary", "1", "music"),
)

#: The share of a new room's or teacher's time that new demand may use (the rest is slack
#: the solver needs to dodge clashes, as in the example schools).
_LOAD = 0.8


def _year_label(year: int) -> str:
    return "R" if year == 0 else str(year)


def _tutor_meets(tables: Tables) -> str | None:
    groups = tables.get("TutorGroups", [])
    return cell_text(groups[0].get("meets")) if groups else None


def _add_rooms_for(
    out: Tables,
    periods_by_type: dict[str, int],
    capacity: dict[str, int],
    prefix: str,
    minimum: dict[str, int] | None = None,
) -> None:
    """Enough new rooms of each type for ``periods_by_type`` more periods a cycle (and at
    least ``minimum`` of a type)."""
    slots = max(1, _slots(out))
    taken = _ids(out, "Rooms", "room")
    for rtype, periods in periods_by_type.items():
        if not periods:
            continue
        count = max(math.ceil(periods / (_LOAD * slots)), (minimum or {}).get(rtype, 0))
        for rid in _numbered(f"{prefix}{rtype[:3].upper()}", count, taken):
            taken.add(rid)
            out.setdefault("Rooms", []).append(
                {"room": rid, "capacity": capacity[rtype], "type": rtype}
            )


def _tutor_groups_for(
    out: Tables,
    year: int,
    members: list[str],
    size: int,
    tutors: list[str],
    rooms: list[str | None],
    used: int,
) -> int:
    """Horizontal tutor groups for new students (when the school has tutor groups).

    ``tutors[used:]`` are still free; returns how many tutors are used after this year.
    Every new group meets when the school's first tutor group does.
    """
    meets = _tutor_meets(out)
    if meets is None:
        return used
    taken = _ids(out, "TutorGroups", "group")
    n = max(1, math.ceil(len(members) / size))
    if used + n > len(tutors):
        raise ChangeError(f"not enough new staff to tutor {n} more tutor group(s) of year {year}")
    students = {cell_text(r.get("student")): r for r in out.get("Students", [])}
    for k in range(n):
        gid = unique_id(f"{_year_label(year)}{chr(ord('A') + k % 26)}", taken)
        taken.add(gid)
        chunk = members[k::n]
        out["TutorGroups"].append(
            {
                "group": gid,
                "tutor": tutors[used],
                "room": rooms[used % len(rooms)] if rooms else None,
                "capacity": len(chunk) + 2,
                "meets": meets,
                "vertical": "no",
            }
        )
        used += 1
        for sid in chunk:
            students[sid]["tutor_group"] = gid
    return used


@transformation("add_primary")
def add_primary(
    tables: Tables,
    years: Any = "0-6",
    students_per_year: int = 30,
    class_size: int = 30,
    curriculum: Any = None,
    max_periods: int | None = None,
) -> Tables:
    """Add primary year groups (reception = year 0): classes, their teachers and rooms.

    ``years``: the new year groups; ``students_per_year``: pupils in each; ``class_size``:
    pupils per class. Each year gets one course per item of ``curriculum`` (a list of
    ``{course, subject, lessons, room_type}``; by default a class-based week of literacy,
    numeracy, topic, science, art, RE, PE and music, all taught by primary teachers),
    with new primary teachers (subject ``Primary``, or the curriculum's subjects) and
    rooms sized to the new lessons with 20% to spare; classes become tutor groups when
    the school has tutor groups.
    """
    year_list = _int_list(years, "years")
    if not year_list:
        raise ChangeError("add_primary needs years")
    per_year = _int(students_per_year, "students_per_year", 1)
    size = _int(class_size, "class_size", 1)
    plan = (
        [
            (
                cell_text(c.get("course")) or "",
                cell_text(c.get("subject")) or "Primary",
                join(items(c.get("lessons"))) or "",
                cell_text(c.get("room_type")) or "primary",
            )
            for c in _mapping_list(curriculum, "curriculum")
        ]
        if curriculum is not None
        else list(PRIMARY_CURRICULUM)
    )
    out = clone(tables)
    present = {as_int(r.get("year")) for r in out.get("Students", [])}
    clash = sorted(y for y in year_list if y in present)
    if clash:
        raise ChangeError(f"the school already has year {', '.join(map(str, clash))}")
    slots = _slots(out)
    # A full-time class teacher teaches five periods in six by default (25 of 30).
    teach_max = (
        _int(max_periods, "max_periods", 1) if max_periods is not None else max(1, slots * 5 // 6)
    )
    course_ids = _ids(out, "Courses", "course")
    student_ids = _ids(out, "Students", "student")
    periods_by_type: Counter[str] = Counter()
    periods_by_subject: Counter[str] = Counter()
    new_students: dict[int, list[str]] = {}
    classes = math.ceil(per_year / size)
    classes_total = classes * len(year_list)
    for year in year_list:
        ids = _numbered(f"P{_year_label(year)}-", per_year, student_ids)
        student_ids.update(ids)
        new_students[year] = ids
        for sid in ids:
            out["Students"].append(
                {
                    "student": sid,
                    "name": f"Year {_year_label(year)} pupil {sid.rsplit('-', 1)[1]}",
                    "year": year,
                }
            )
        for suffix, subject, lessons, room in plan:
            cid = unique_id(f"P{_year_label(year)}-{suffix}", course_ids)
            course_ids.add(cid)
            out["Courses"].append(
                {
                    "course": cid,
                    "subject": subject,
                    "lessons": lessons,
                    "min_size": 1,
                    "max_size": size,
                    "room_type": room,
                    "years": year,
                    "kind": "lesson",
                }
            )
            periods = _periods(lessons) * classes
            periods_by_type[room] += periods
            periods_by_subject[subject] += periods
            for sid in ids:
                out.setdefault("Requests", []).append(
                    {"student": sid, "course": cid, "type": "core", "rank": None}
                )
    staff_ids = _ids(out, "Staff", "staff")
    teachers: list[str] = []
    for subject, periods in periods_by_subject.items():
        count = math.ceil(periods / (_LOAD * teach_max))
        if subject == plan[0][1]:
            count = max(count, classes_total)  # a class teacher for every class
        for sid in _numbered(
            f"PT-{_subject_code(out, subject) if subject != 'Primary' else 'P'}", count, staff_ids
        ):
            staff_ids.add(sid)
            teachers.append(sid)
            out["Staff"].append(
                {
                    "staff": sid,
                    "name": f"{subject} teacher {len(teachers)}",
                    "subjects": subject,
                    "max_periods": teach_max,
                }
            )
    before = _ids(out, "Rooms", "room")
    # Every class has a base room of the first curriculum item's type (its tutor room too).
    _add_rooms_for(
        out,
        dict(periods_by_type),
        dict.fromkeys(periods_by_type, size),
        "P",
        {plan[0][3]: classes_total},
    )
    new_rooms = [
        cell_text(r.get("room"))
        for r in out["Rooms"]
        if cell_text(r.get("room")) not in before and plan[0][3] in items(r.get("type"))
    ]
    if out.get("TutorGroups"):
        used = 0
        for year, ids in new_students.items():
            used = _tutor_groups_for(out, year, ids, size, teachers, new_rooms, used)
    return out


@transformation("add_sixth_form")
def add_sixth_form(
    tables: Tables,
    subjects: Any,
    years: Any = "12-13",
    students_per_year: int = 40,
    choices: int = 3,
    alternates: int = 1,
    lessons: Any = "2,2,1",
    min_size: int = 3,
    max_size: int = 15,
    room_type: str | None = None,
    seed: int = 0,
) -> Tables:
    """Add a sixth form: new year groups choosing ranked subjects, with staff and rooms.

    ``subjects``: the subjects offered; ``years``: the new year groups; each student ranks
    ``choices`` options and ``alternates`` alternates (a seeded draw, ``seed``). Each
    subject gets a course per year (``A-MA12``; ``lessons``, groups of ``min_size`` to
    ``max_size``, in a ``room_type`` room, by default the subject's own room type), new
    specialist teachers and rooms sized to the demand with 20% to spare, and tutor groups
    of about 25 when the school has tutor groups.
    """
    subject_list = _str_list(subjects, "subjects")
    if len(subject_list) < 1:
        raise ChangeError("add_sixth_form needs subjects")
    year_list = _int_list(years, "years")
    per_year = _int(students_per_year, "students_per_year", 1)
    k_opt, k_alt = _int(choices, "choices", 1), _int(alternates, "alternates", 0)
    if k_opt + k_alt > len(subject_list):
        raise ChangeError(
            f"{k_opt} choices and {k_alt} alternates need at least "
            f"{k_opt + k_alt} subjects; {len(subject_list)} are offered"
        )
    lesson_text = join(_str_list(lessons, "lessons")) or ""
    out = clone(tables)
    present = {as_int(r.get("year")) for r in out.get("Students", [])}
    clash = sorted(y for y in year_list if y in present)
    if clash:
        raise ChangeError(f"the school already has year {', '.join(map(str, clash))}")
    rooms_of = {
        (cell_text(r.get("subject")) or "").casefold(): cell_text(r.get("room_type"))
        for r in out.get("Courses", [])
    }
    slots = _slots(out)
    teach_max = max(1, slots * 3 // 4)  # 22 of 30 periods: sixth-form staff also mark and mentor
    course_ids = _ids(out, "Courses", "course")
    student_ids = _ids(out, "Students", "student")
    rng = random.Random(seed)
    demand: Counter[str] = Counter()
    periods_by_type: Counter[str] = Counter()
    capacity: dict[str, int] = {}
    periods_by_subject: Counter[str] = Counter()
    new_students: dict[int, list[str]] = {}
    for year in year_list:
        cids = {}
        for subject in subject_list:
            cids[subject] = unique_id(f"A-{_subject_code(out, subject)}{year}", course_ids)
            course_ids.add(cids[subject])
        ids = _numbered(f"S{year}-", per_year, student_ids)
        student_ids.update(ids)
        new_students[year] = ids
        counts: Counter[str] = Counter()
        for sid in ids:
            out["Students"].append(
                {
                    "student": sid,
                    "name": f"Year {year} student {sid.rsplit('-', 1)[1]}",
                    "year": year,
                }
            )
            picks = rng.sample(subject_list, k_opt + k_alt)
            for rank, subject in enumerate(picks, start=1):
                kind = "option" if rank <= k_opt else "alternate"
                out.setdefault("Requests", []).append(
                    {"student": sid, "course": cids[subject], "type": kind, "rank": rank}
                )
                if kind == "option":
                    counts[subject] += 1
                demand[cids[subject]] += 1
        for subject in subject_list:
            cid = cids[subject]
            if not demand[cid]:
                # Nobody asked: no course (a course nobody takes only clutters the sheet).
                out["Requests"] = [r for r in out["Requests"] if r.get("course") != cid]
                continue
            room = room_type or rooms_of.get(subject.casefold()) or "classroom"
            out["Courses"].append(
                {
                    "course": cid,
                    "subject": subject,
                    "lessons": lesson_text,
                    "min_size": min(_int(min_size, "min_size", 1), demand[cid]),
                    "max_size": _int(max_size, "max_size", 1),
                    "room_type": room,
                    "years": year,
                    "kind": "lesson",
                }
            )
            groups = math.ceil(max(counts[subject], 1) / max_size) + (
                1 if demand[cid] > counts[subject] else 0
            )
            periods = groups * _periods(lesson_text)
            periods_by_type[room] += periods
            capacity[room] = max(capacity.get(room, 0), _int(max_size, "max_size", 1))
            periods_by_subject[subject] += periods
    staff_ids = _ids(out, "Staff", "staff")
    teachers: list[str] = []
    for subject, periods in periods_by_subject.items():
        count = math.ceil(periods / (_LOAD * teach_max))
        for sid in _numbered(f"T6-{_subject_code(out, subject)}", count, staff_ids):
            staff_ids.add(sid)
            teachers.append(sid)
            out["Staff"].append(
                {
                    "staff": sid,
                    "name": f"Sixth-form {subject} teacher",
                    "subjects": subject,
                    "max_periods": teach_max,
                }
            )
    _add_rooms_for(out, dict(periods_by_type), capacity, "6")
    if out.get("TutorGroups"):
        used = 0
        for year, ids in new_students.items():
            used = _tutor_groups_for(out, year, ids, 25, teachers, [], used)
    return out


@transformation("all_through")
def all_through(
    tables: Tables,
    primary: Mapping[str, Any] | None = None,
    sixth_form: Mapping[str, Any] | None = None,
) -> Tables:
    """Make the school all-through (ages 4-19): add primary years and a sixth form.

    ``primary``: the settings of :func:`add_primary` (default: years 0-6, 30 pupils each);
    ``sixth_form``: the settings of :func:`add_sixth_form` (it needs ``subjects``); leave
    either out to add only the other. Years the school already has are skipped.
    """
    if primary is None and sixth_form is None:
        raise ChangeError("all_through needs primary or sixth_form settings (or both)")
    out = tables
    present = {as_int(r.get("year")) for r in tables.get("Students", [])}
    for part, given, years, change in (
        ("primary", primary, "0-6", "add_primary"),
        ("sixth_form", sixth_form, "12-13", "add_sixth_form"),
    ):
        if given is None:
            continue
        p = dict(_mapping(given, part))
        p["years"] = [
            y for y in _int_list(p.get("years", years), f"{part} years") if y not in present
        ]
        if p["years"]:
            out = apply_change(out, change, p)
    if out is tables:
        raise ChangeError("the school already has every year group asked for")
    return out
