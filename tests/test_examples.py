"""The example schools: they load cleanly, are deterministic, scale, show their features,
and are sized so a timetable can exist (staff and rooms with slack, students with free
periods).

The sizing checks here read only the workbook tables and recompute everything
themselves (independently of the generator's own arithmetic): for every room type and
every subject, the periods demanded (groups needed x periods, groups needed =
ceil(requests / max_size)) must be at most 85% of the periods available.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from functools import cache
from typing import Any

import pytest

from examples.generator import EXAMPLES, generate
from scheduler.workbook.tables import Tables, write_tables

LOAD_LIMIT = 0.85
SMALL = 60


@cache
def tables(name: str, students: int | None = None, seed: int = 0) -> Tables:
    """Generated once per test session (tests must not mutate the result)."""
    return generate(name, students=students, seed=seed)


CASES = [(name, None) for name in EXAMPLES] + [(name, SMALL) for name in EXAMPLES]
IDS = [f"{n}-{'default' if s is None else s}" for n, s in CASES]


# ---- reading the tables back, independently of the generator ------------------------------
def _list(cell: Any) -> list[str]:
    if cell is None or cell == "":
        return []
    return [x.strip() for x in str(cell).replace(";", ",").split(",") if x.strip()]


class Book:
    """The bits of a workbook the sizing checks need, recomputed from the rows."""

    def __init__(self, t: Tables):
        self.t = t
        self.slots = [f"{r['day']} {r['period']}" for r in t["Calendar"]]
        self.days: dict[str, list[str]] = defaultdict(list)
        for r in t["Calendar"]:
            self.days[r["day"]].append(f"{r['day']} {r['period']}")
        self.evening = {
            f"{r['day']} {r['period']}" for r in t["Calendar"] if str(r["start"]) >= "16:00"
        }
        self.meets: set[str] = set()
        for g in t.get("TutorGroups", []):
            self.meets |= self.expand(_list(g["meets"]))
        self.courses = {c["course"]: c for c in t["Courses"]}
        self.students = {s["student"]: s for s in t["Students"]}
        self.requests = self._resolve()

    def expand(self, refs: list[str]) -> set[str]:
        out: set[str] = set()
        for ref in refs:
            if ref in self.slots:
                out.add(ref)
                continue
            days = [d for d in self.days if d == ref] or [
                d for d in self.days if d.split()[-1] == ref
            ]
            assert days, f"{ref!r} is neither a slot nor a day"
            for d in days:
                out.update(self.days[d])
        return out

    def _resolve(self) -> dict[str, list[tuple[str, str, int | None]]]:
        stages = {(r["student"], r["subject"]): int(r["stage"]) for r in self.t.get("Stages", [])}
        by_stage = {
            (c["subject"], c["stage"]): cid for cid, c in self.courses.items() if c["stage"]
        }
        pathways: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in self.t.get("Pathways", []):
            pathways[r["pathway"]].append(r)
        out: dict[str, list[tuple[str, str, int | None]]] = {s: [] for s in self.students}
        rows = [(r["student"], r) for r in self.t["Requests"]]
        rows += [
            (sid, r)
            for sid, s in self.students.items()
            if s.get("pathway")
            for r in pathways[s["pathway"]]
        ]
        for sid, r in rows:
            course = r.get("course")
            if not course:
                course = by_stage[(r["subject"], stages[(sid, r["subject"])])]
            out[sid].append((course, r["type"], r.get("rank")))
        return out

    def demand(self) -> Counter[str]:
        if not hasattr(self, "_demand"):
            self._demand = Counter(c for reqs in self.requests.values() for c, _, _ in reqs)
        return self._demand

    def groups(self, cid: str) -> int:
        return math.ceil(self.demand()[cid] / int(self.courses[cid]["max_size"]))

    def periods(self, cid: str) -> int:
        return sum(int(x) for x in _list(self.courses[cid]["lessons"]))

    def staff_capacity(self, st: dict[str, Any]) -> int:
        free = [
            s
            for s in self.slots
            if s not in self.meets and s not in self.expand(_list(st["unavailable"]))
        ]
        return min(int(st["max_periods"] or len(free)), len(free))

    def days_available(self, st: dict[str, Any]) -> int:
        """Days on which a member of staff has a slot free for lessons."""
        off = self.expand(_list(st["unavailable"])) | self.meets
        return sum(1 for slots in self.days.values() if set(slots) - off)

    def room_capacity(self, room: dict[str, Any]) -> int:
        off = self.expand(_list(room["unavailable"]))
        free = [s for s in self.slots if s not in self.meets and s not in off]
        return len(free) * int(room.get("max_groups") or 1)

    def can_teach(self, st: dict[str, Any], course: dict[str, Any]) -> bool:
        if course["staff"]:
            return st["staff"] in _list(course["staff"])
        for q in _list(st["subjects"]):
            subject, _, rng = q.partition(":")
            if subject != course["subject"]:
                continue
            if not rng or course["stage"] is None:
                return True
            lo, hi = (int(x) for x in rng.split("-"))
            if lo <= int(course["stage"]) <= hi:
                return True
        return False


def _max_flow(edges: dict[tuple[str, str], int], source: str, sink: str) -> int:
    """Largest flow from source to sink (Edmonds-Karp; the graphs here are small)."""
    cap: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (a, b), c in edges.items():
        cap[a][b] += c
        cap[b][a] += 0
    flow = 0
    while True:
        parent = {source: source}
        queue = [source]
        for node in queue:
            for nxt, c in cap[node].items():
                if c > 0 and nxt not in parent:
                    parent[nxt] = node
                    queue.append(nxt)
            if sink in parent:
                break
        if sink not in parent:
            return flow
        path, node = [], sink
        while node != source:
            path.append((parent[node], node))
            node = parent[node]
        push = min(cap[a][b] for a, b in path)
        for a, b in path:
            cap[a][b] -= push
            cap[b][a] += push
        flow += push


# ---- loading ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "students"), CASES, ids=IDS)
def test_example_loads_without_errors(tmp_path, name, students):
    from scheduler.workbook.read import load_school

    path = write_tables(tables(name, students), tmp_path / f"{name}.xlsx")
    school, warnings = load_school(path)  # raises InputError on any error
    assert len(school.students) == len(tables(name, students)["Students"])
    assert warnings == [], [str(w) for w in warnings]


@pytest.mark.parametrize("students", [1, 7, 2500])
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_extreme_sizes_load_without_problems(tmp_path, name, students):
    from scheduler.workbook.read import load_school

    t = tables(name, students)
    school, warnings = load_school(write_tables(t, tmp_path / name))  # CSV: quicker
    assert len(school.students) == students
    assert warnings == [], [str(w) for w in warnings]


def test_csv_folder_loads_too(tmp_path):
    from scheduler.workbook.read import load_school

    path = write_tables(tables("tiny"), tmp_path / "tiny")
    school, _ = load_school(path)
    assert len(school.students) == 40


def test_cli_writes_an_example(tmp_path):
    from typer.testing import CliRunner

    from scheduler.cli import app

    out = tmp_path / "school.xlsx"
    result = CliRunner().invoke(
        app, ["example", "tiny", "--out", str(out), "--students", "30", "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    assert out.exists()


# ---- determinism and scaling ----------------------------------------------------------------
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_same_seed_same_school_other_seed_other_school(name):
    assert generate(name, SMALL, seed=7) == generate(name, SMALL, seed=7)
    assert generate(name, SMALL, seed=7) != generate(name, SMALL, seed=8)


def tables_digest(t: Tables) -> str:
    import hashlib
    import json

    return hashlib.sha256(json.dumps(t, sort_keys=True, default=str).encode()).hexdigest()


def test_same_school_in_another_process():
    """Nothing may depend on set or hash order, which changes between processes."""
    import os
    import subprocess
    import sys

    code = (
        "from examples.generator import generate; from tests.test_examples import tables_digest; "
        "print(tables_digest(generate('all-through', 60, seed=5)))"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, cwd=root
    )
    assert out.stdout.strip() == tables_digest(generate("all-through", 60, seed=5))


@pytest.mark.parametrize("name", list(EXAMPLES))
@pytest.mark.parametrize("students", [25, SMALL, 333])
def test_scales_to_the_requested_number_of_students(name, students):
    t = tables(name, students)
    assert abs(len(t["Students"]) - students) <= max(2, students // 20)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_staff_and_rooms_grow_with_students(name):
    small, big = tables(name, SMALL), tables(name, 600)
    assert len(big["Staff"]) > len(small["Staff"])
    assert len(big["Rooms"]) > len(small["Rooms"])
    assert len(big.get("TutorGroups", [])) > len(small.get("TutorGroups", []))


def test_default_sizes():
    sizes = {name: len(tables(name)["Students"]) for name in EXAMPLES}
    assert sizes == {"tiny": 40, "stage-not-age": 600, "all-through": 1200, "federation": 500}


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_settings_sheet(name):
    settings = {r["key"]: r["value"] for r in generate(name, SMALL, seed=9)["Settings"]}
    assert set(settings) == {"time_limit_s", "seed", "workers"}
    assert settings["seed"] == 9 and settings["workers"] == 2 and settings["time_limit_s"] > 0


def test_unknown_example_is_refused():
    with pytest.raises(ValueError, match="no example called"):
        generate("grammar")


# ---- feasibility by arithmetic ---------------------------------------------------------------
@pytest.mark.parametrize(("name", "students"), CASES, ids=IDS)
def test_rooms_have_slack_for_every_room_type(name, students):
    book = Book(tables(name, students))
    demand: Counter[str] = Counter()
    for cid, c in book.courses.items():
        if c["mode"] != "online" and c["room_type"]:
            demand[c["room_type"]] += book.groups(cid) * book.periods(cid)
    assert demand
    for rtype, periods in demand.items():
        rooms = [r for r in book.t["Rooms"] if rtype in _list(r["type"])]
        supply = sum(book.room_capacity(r) for r in rooms)
        assert periods <= LOAD_LIMIT * supply, (rtype, periods, supply)
        biggest = max(int(c["max_size"]) for c in book.courses.values() if c["room_type"] == rtype)
        assert max(int(r["capacity"]) for r in rooms) >= biggest, rtype


@pytest.mark.parametrize(("name", "students"), CASES, ids=IDS)
def test_staff_have_slack_for_every_subject(name, students):
    book = Book(tables(name, students))
    staff = book.t["Staff"]
    demand: Counter[str] = Counter()
    for cid, c in book.courses.items():
        demand[c["subject"]] += (
            book.groups(cid) * book.periods(cid) * int(c["staff_per_group"] or 1)
        )
    for subject, periods in demand.items():
        able = [
            st
            for st in staff
            if any(book.can_teach(st, c) for c in book.courses.values() if c["subject"] == subject)
        ]
        supply = sum(book.staff_capacity(st) for st in able)
        assert periods <= LOAD_LIMIT * supply, (subject, periods, supply)


@pytest.mark.parametrize(("name", "students"), CASES, ids=IDS)
def test_staff_can_cover_all_courses_at_once(name, students):
    """Per-subject slack is not enough when staff teach two subjects, or when a group needs
    several staff at once: share the periods out, each person at most once per group, only
    to staff with as many free days as the course has lessons."""
    book = Book(tables(name, students))
    edges: dict[tuple[str, str], int] = {}
    total = 0
    for cid, c in book.courses.items():
        need = book.groups(cid) * book.periods(cid) * int(c["staff_per_group"] or 1)
        total += need
        edges[("src", "c:" + cid)] = need
        lessons = len(_list(c["lessons"]))
        able = [
            st
            for st in book.t["Staff"]
            if book.can_teach(st, c) and book.days_available(st) >= min(lessons, len(book.days))
        ]
        assert len(able) >= int(c["staff_per_group"] or 1), cid
        for st in able:
            # One person is at most one of a group's staff: a share of one group's periods.
            edges[("c:" + cid, "s:" + st["staff"])] = book.groups(cid) * book.periods(cid)
    for st in book.t["Staff"]:
        edges[("s:" + st["staff"], "sink")] = math.floor(LOAD_LIMIT * book.staff_capacity(st))
    assert _max_flow(edges, "src", "sink") == total


@pytest.mark.parametrize(("name", "students"), CASES, ids=IDS)
def test_every_student_keeps_free_periods(name, students):
    book = Book(tables(name, students))
    for sid, reqs in book.requests.items():
        s = book.students[sid]
        home = book.expand(_list(s.get("home_days")))
        core = sum(book.periods(c) for c, kind, _ in reqs if kind == "core")
        choices = sorted((book.periods(c) for c, kind, _ in reqs if kind != "core"), reverse=True)
        quota = sum(1 for _, kind, _ in reqs if kind == "option")
        busy = core + sum(choices[:quota]) + len(book.meets - home)
        daytime = [x for x in book.slots if x not in home and x not in book.evening]
        assert busy <= len(daytime) - 3, (sid, busy, len(daytime))


@pytest.mark.parametrize(("name", "students"), CASES, ids=IDS)
def test_requests_are_well_formed(name, students):
    book = Book(tables(name, students))
    stage_rows = {(r["student"], r["subject"]) for r in book.t.get("Stages", [])}
    for sid, reqs in book.requests.items():
        year = int(book.students[sid]["year"])
        courses = [c for c, _, _ in reqs]
        assert len(courses) == len(set(courses)), sid  # nobody asks twice for one course
        for cid, kind, rank in reqs:
            allowed = _list(book.courses[cid]["years"])
            assert not allowed or str(year) in allowed, (sid, year, cid)
            assert (kind == "core") == (rank is None), (sid, cid, kind, rank)
        ranks = sorted(r for _, kind, r in reqs if kind != "core")
        assert ranks == list(range(1, len(ranks) + 1)), sid
        options = [r for _, kind, r in reqs if kind == "option"]
        alternates = [r for _, kind, r in reqs if kind == "alternate"]
        assert not options or 1 <= len(alternates) <= 2
        assert all(o < a for o in options for a in alternates)
    for r in book.t["Requests"]:
        if r["subject"]:
            assert (r["student"], r["subject"]) in stage_rows
    for cid, c in book.courses.items():
        assert 1 <= int(c["min_size"]) <= book.demand()[cid], cid  # every course can run


# ---- what each example is there to show ------------------------------------------------------
def test_tiny_is_small_enough_to_check_by_hand():
    t = tables("tiny")
    book = Book(t)
    assert len(t["Students"]) == 40
    assert len(t["Calendar"]) == 25 and len(book.days) == 5
    assert len(t["Courses"]) <= 8 and len(t["Staff"]) <= 10 and len(t["Rooms"]) <= 4
    assert 1 <= len(t["TutorGroups"]) <= 2
    assert all(g["room"] for g in t["TutorGroups"])
    assert [r["room"] for r in t["Rooms"] if "lab" in _list(r["type"])] == ["LAB1"]
    kinds = Counter(r["type"] for r in t["Requests"])
    assert kinds["option"] == 80 and kinds["alternate"] == 40
    assert any(c["sections"] for c in t["Courses"])


def test_stage_not_age_sets_core_subjects_by_stage_across_ages():
    t = tables("stage-not-age")
    book = Book(t)
    assert {int(s["year"]) for s in t["Students"]} == {7, 8, 9, 10, 11}
    assert len(t["Stages"]) == 3 * len(t["Students"])
    subject_requests = [r for r in t["Requests"] if r["subject"]]
    assert {r["subject"] for r in subject_requests} == {"Maths", "English", "Science"}
    # A stage course mixes year groups two or more years apart.
    mixed = 0
    for cid, c in book.courses.items():
        if c["subject"] == "Maths" and c["stage"]:
            years = {
                int(book.students[s]["year"])
                for s, reqs in book.requests.items()
                if any(x == cid for x, _, _ in reqs)
            }
            mixed += max(years) - min(years) >= 2
    assert mixed >= 3
    assert any(":" in q for st in t["Staff"] for q in _list(st["subjects"]))  # stage-limited staff
    ks4 = {s["student"] for s in t["Students"] if int(s["year"]) >= 10}
    assert {r["student"] for r in t["Requests"] if r["type"] == "alternate"} == ks4
    assert {p["pathway"] for p in t["Pathways"]} == {"EBACC10", "EBACC11", "VOC10", "VOC11"}
    assert any(st["unavailable"] for st in t["Staff"])  # part-timers


def test_all_through_has_its_features():
    t = tables("all-through")
    book = Book(t)
    courses = list(book.courses.values())
    assert {int(s["year"]) for s in t["Students"]} == set(range(1, 14))
    vertical = [g for g in t["TutorGroups"] if g["vertical"] == "yes"]
    assert len(vertical) >= 8 and all(g["house"] for g in vertical)
    families = Counter(s["family"] for s in t["Students"] if s["family"])
    assert families and all(n >= 2 for n in families.values())
    projects = [c for c in courses if c["kind"] == "project"]
    assert projects and all(
        int(c["staff_per_group"]) > 1
        and int(c["max_size"]) >= 100
        and c["room_type"] == "hall"
        and len(_list(c["lessons"])) == 1
        for c in projects
    )
    assert any(c["kind"] == "tutorial" and int(c["max_size"]) == 1 for c in courses)
    assert any(c["kind"] == "assessment" for c in courses)
    assert any(c["mode"] == "online" for c in courses)
    primary_staff = {st["staff"] for st in t["Staff"] if "Primary" in _list(st["subjects"])}
    classes = [g for g in t["TutorGroups"] if g["vertical"] == "no"]
    assert classes and all(g["tutor"] in primary_staff for g in classes)  # class teachers
    home = {int(s["year"]) for s in t["Students"] if s["home_days"]}
    assert home == {12, 13}
    # Evening rows after 16:00, and a course whose only teacher works evenings.
    assert book.evening and all(
        str(r["start"]) >= "16:00"
        for r in t["Calendar"]
        if f"{r['day']} {r['period']}" in book.evening
    )
    evening_only = [
        c
        for c in courses
        if c["staff"]
        and all(
            set(book.slots) - book.expand(_list(st["unavailable"])) <= book.evening
            for st in t["Staff"]
            if st["staff"] in _list(c["staff"])
        )
    ]
    assert evening_only and all(_list(c["years"]) == ["12", "13"] for c in evening_only)


def test_federation_has_two_sites_travel_and_a_shared_space():
    t = tables("federation")
    book = Book(t)
    sites = {r["site"] or "Main" for r in t["Rooms"]}
    assert sites == {"Main", "Riverside"}
    assert t["Travel"] == [{"from_site": "Main", "to_site": "Riverside", "minutes": 20}]
    shared = [r for r in t["Rooms"] if r["max_groups"] == 3]
    assert len(shared) == 1 and int(shared[0]["capacity"]) >= 3 * 30
    assert len(book.days) == 10 and all(d.startswith(("Wk1 ", "Wk2 ")) for d in book.days)
    partner_types = {ty for r in t["Rooms"] if r["site"] == "Riverside" for ty in _list(r["type"])}
    main_types = {ty for r in t["Rooms"] if r["site"] != "Riverside" for ty in _list(r["type"])}
    only_partner = partner_types - main_types
    assert only_partner
    sixth = [c for c in book.courses.values() if c["room_type"] in only_partner]
    assert sixth and all(set(_list(c["years"])) <= {"12", "13"} for c in sixth)
