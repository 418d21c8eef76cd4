"""More schools of a kind: a school workbook resampled to another size.

    python bench/resample_school.py BOOK --students N --seed S --out OUT.xlsx

The schools that judge the solver are kept back; two of their kind are in
``../shared/schools/``. This makes more of that kind, of other sizes, without
inventing a generator of our own: every student of the new school is a copy of a
student of BOOK (with their requests and stages), drawn year by year, and the staff,
rooms and tutor groups are copied in proportion, so the new school keeps BOOK's
curriculum, calendar, sites, staff's subjects, part-time days and load, and its
students' choices. A seed decides the draw (one ``random.Random(seed)``).

How it scales, for ``f = N / BOOK's students``:

- **Students** of each year: ``floor(f)`` copies of every one, then the rest drawn
  without replacement; copies get new ids (``S00001``...), a family key of their own
  per copy (siblings copied together stay together), the original's house, home days and
  year, and a copy of the original's fixed tutor group where it has one.
- **Staff, rooms, tutor groups**: each row ``floor(f)`` times, once more with chance
  ``f - floor(f)``; the first copy keeps the original id, the others get ``_2``, ``_3``...
  A subject's staff, a room type's rooms never all go (one is kept), nor does a staff
  member or room another sheet names. Courses' ``staff`` lists take the copies of the
  staff they name; ``sections`` counts scale with ``f``; a tutor group's copy gets the
  copy of its tutor (or a member of staff who tutors no group), and tutor groups are added
  until they seat every student.
- **Every other sheet** (Calendar, Courses, Stages of no student, Pathways, Travel,
  Settings, Rules...) is copied as it is; rows of Rules or Locks naming a student or
  staff member keep naming the original only.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import openpyxl

Row = dict[str, Any]


def _read(book: Path) -> dict[str, tuple[list[str], list[Row]]]:
    """Every sheet: (header as written, rows as dicts by lower-case column name), blank
    rows left out."""
    wb = openpyxl.load_workbook(book, read_only=True, data_only=True)
    out: dict[str, tuple[list[str], list[Row]]] = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        if not rows:
            out[ws.title] = ([], [])
            continue
        header = [str(h).strip() if h is not None else "" for h in rows[0]]
        keys = [h.lower() for h in header]  # the contract's names, in any case
        body = [
            dict(zip(keys, r, strict=False))
            for r in rows[1:]
            if any(v is not None and str(v).strip() != "" for v in r)
        ]
        out[ws.title] = (header, body)
    wb.close()
    return out


def _copy_id(original: str, k: int) -> str:
    return original if k == 1 else f"{original}_{k}"


def _scale_rows(
    rng: random.Random,
    rows: list[Row],
    key: str,
    f: float,
    keep: set[str],
    kind_of,
    weight=lambda r: 1,
    least=lambda kind: 1,
) -> dict[str, int]:
    """Copies per row id: each kind of row (``kind_of(row)``) scaled by ``f`` as a whole,
    by weight (a teacher's periods) and rounded up: every row ``floor(f)`` copies, then
    rows drawn in turn while the kind's weight is short of ``f`` times the original's;
    never fewer than ``least(kind)`` rows (nor than it had), and at least one copy of
    the ids in ``keep``."""
    by_kind: dict[Any, list[Row]] = defaultdict(list)
    for r in rows:
        by_kind[kind_of(r)].append(r)
    n: dict[str, int] = {}
    for kind in sorted(by_kind, key=str):
        mine = by_kind[kind]
        whole = math.floor(f)
        for r in mine:
            n[str(r[key])] = whole
        total = sum(weight(r) for r in mine)
        target = f * total - 1e-9
        have = whole * total
        count = whole * len(mine)
        for r in rng.sample(mine, len(mine)):
            if have >= target and count >= min(least(kind), len(mine) * max(1, whole)):
                break
            n[str(r[key])] += 1
            have += weight(r)
            count += 1
    for i in keep:
        if i in n:
            n[i] = max(n[i], 1)
    return n


def _ids(text: Any) -> list[str]:
    return [p.strip() for p in str(text or "").replace(",", ";").split(";") if p.strip()]


def resample(book: Path, students: int, seed: int) -> dict[str, tuple[list[str], list[Row]]]:
    """BOOK's sheets resampled to ``students`` students (see the module docstring)."""
    rng = random.Random(seed)
    sheets = _read(book)
    s_head, s_rows = sheets["Students"]
    f = students / len(s_rows)

    # Students, year by year: whole copies, then the rest drawn without replacement.
    by_year: dict[Any, list[Row]] = defaultdict(list)
    for r in s_rows:
        by_year[r["year"]].append(r)
    drawn: list[tuple[Row, int]] = []  # (original, copy number from 1)
    years = sorted(by_year, key=str)
    # Each year's share of ``students`` (largest remainders, so that they sum exactly).
    share = {y: len(by_year[y]) * f for y in years}
    want_of = {y: math.floor(share[y]) for y in years}
    by_rest = sorted(years, key=lambda y: (want_of[y] - share[y], str(y)))
    for y in by_rest[: students - sum(want_of.values())]:
        want_of[y] += 1
    for year in years:
        mine = by_year[year]
        want = want_of[year]
        whole, rest = divmod(want, len(mine))
        for k in range(1, whole + 1):
            drawn += [(r, k) for r in mine]
        drawn += [(r, whole + 1) for r in rng.sample(mine, rest)]
    new_id: dict[tuple[str, int], str] = {}
    for i, (r, k) in enumerate(drawn, start=1):
        new_id[(str(r["student"]), k)] = f"S{i:05d}"

    # Staff and rooms other sheets name are kept; so is one of each subject and room type.
    c_head, c_rows = sheets["Courses"]
    t_head, t_rows = sheets.get("TutorGroups", ([], []))
    named_staff = {p for r in c_rows for p in _ids(r.get("staff"))}
    named_staff |= {str(r["tutor"]) for r in t_rows if r.get("tutor")}
    named_rooms = {str(r["room"]) for r in t_rows if r.get("room")}
    st_head, st_rows = sheets["Staff"]
    r_head, r_rows = sheets["Rooms"]
    # A team-taught course keeps a team of its subject's staff.
    team: dict[str, int] = defaultdict(lambda: 1)
    for r in c_rows:
        team[str(r.get("subject"))] = max(
            team[str(r.get("subject"))], int(r.get("staff_per_group") or 1)
        )
    staff_n = _scale_rows(
        rng,
        st_rows,
        "staff",
        f,
        named_staff,
        lambda r: (str(r.get("subjects")), str(r.get("site"))),
        weight=lambda r: float(r.get("max_periods") or 1),
        least=lambda kind: max(team[p.split(":")[0].strip()] for p in _ids(kind[0]) or [""]),
    )
    room_n = _scale_rows(
        rng, r_rows, "room", f, named_rooms, lambda r: (str(r.get("type")), str(r.get("site")))
    )

    out = dict(sheets)  # every sheet as it is, but those below
    out["Staff"] = (
        st_head,
        [
            {**r, "staff": _copy_id(str(r["staff"]), k)}
            for r in st_rows
            for k in range(1, staff_n[str(r["staff"])] + 1)
        ],
    )
    out["Rooms"] = (
        r_head,
        [
            {**r, "room": _copy_id(str(r["room"]), k)}
            for r in r_rows
            for k in range(1, room_n[str(r["room"])] + 1)
        ],
    )
    courses = []
    for r in c_rows:
        r = dict(r)
        if r.get("staff"):
            r["staff"] = ";".join(
                _copy_id(p, k) for p in _ids(r["staff"]) for k in range(1, staff_n.get(p, 1) + 1)
            )
        if r.get("sections") not in (None, ""):
            r["sections"] = max(1, round(int(r["sections"]) * f))
        courses.append(r)
    out["Courses"] = (c_head, courses)

    # Tutor groups: copies with a copy of their tutor, then more until every student fits.
    staff_ids = {str(r["staff"]) for r in out["Staff"][1]}
    full_time = [str(r["staff"]) for r in out["Staff"][1] if not r.get("unavailable")]
    tutors: set[str] = set()
    groups: list[Row] = []
    group_n = (
        _scale_rows(rng, t_rows, "group", f, set(), lambda r: str(r.get("house"))) if t_rows else {}
    )

    def add_group(r: Row, k: int) -> None:
        tutor = _copy_id(str(r["tutor"]), k) if r.get("tutor") else None
        if tutor is None or tutor not in staff_ids or tutor in tutors:
            free = [p for p in full_time if p not in tutors]
            tutor = rng.choice(free) if free else str(r["tutor"])
        tutors.add(tutor)
        groups.append({**r, "group": _copy_id(str(r["group"]), k), "tutor": tutor})

    # A fixed tutor group has a copy for each copy of its students (copy k: group copy k).
    for r, k in drawn:
        if r.get("tutor_group") and str(r["tutor_group"]) in group_n:
            group_n[str(r["tutor_group"])] = max(group_n[str(r["tutor_group"])], k)
    for r in t_rows:
        for k in range(1, group_n[str(r["group"])] + 1):
            add_group(r, k)
    # Each house's groups seat its students (the groups of no house seat anyone).
    houses = {r.get("house") for r in t_rows}
    for house in sorted(houses, key=str):
        mine = [r for r in t_rows if r.get("house") == house]
        need = sum(1 for r, _ in drawn if house is None or r.get("house") == house)
        k = max(group_n.values(), default=1)
        while sum(int(g.get("capacity") or 0) for g in groups if g.get("house") == house) < need:
            k += 1
            for r in mine:
                add_group(r, k)
    if t_rows:
        out["TutorGroups"] = (t_head, groups)
    group_ids = {str(g["group"]) for g in groups}

    # The students, their requests and stages.
    new_students = []
    for r, k in drawn:
        sid = new_id[(str(r["student"]), k)]
        row = {**r, "student": sid}
        if "name" in row:
            row["name"] = f"Student {int(sid[1:])}"
        if row.get("family"):
            row["family"] = f"{row['family']}~{k}"
        if row.get("tutor_group"):
            mine = _copy_id(str(row["tutor_group"]), k)
            row["tutor_group"] = mine if mine in group_ids else row["tutor_group"]
        new_students.append(row)
    out["Students"] = (s_head, new_students)
    copies_of: dict[str, list[str]] = defaultdict(list)
    for (orig, _), sid in new_id.items():
        copies_of[orig].append(sid)
    for sheet in ("Requests", "Stages"):
        if sheet not in sheets:
            continue
        head, rows = sheets[sheet]
        out[sheet] = (
            head,
            [{**r, "student": sid} for r in rows for sid in copies_of.get(str(r["student"]), [])],
        )
    return out


def write(sheets: dict[str, tuple[list[str], list[Row]]], path: Path) -> None:
    wb = openpyxl.Workbook(write_only=True)
    for name, (head, rows) in sheets.items():
        ws = wb.create_sheet(name)
        if head:
            ws.append(head)
        for r in rows:
            ws.append([r.get(h.lower()) for h in head])
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("book", type=Path)
    ap.add_argument("--students", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    if args.students < 1:
        ap.error("--students must be at least 1")
    sheets = resample(args.book, args.students, args.seed)
    write(sheets, args.out)
    print(
        f"{args.out}: {len(sheets['Students'][1])} students, {len(sheets['Staff'][1])} staff, "
        f"{len(sheets['Rooms'][1])} rooms from {args.book.name}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
