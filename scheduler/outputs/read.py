"""Read the files a solve wrote back into a :class:`~scheduler.solution.Solution`.

This is the checker's way in: ``pathways check SCHOOL OUTDIR`` reads the written
files, never the solver's memory, so it verifies what a school will actually use.

Where each part of the Solution comes from:

- groups, their course, staff and lessons: ``groups.csv`` (one row per group per slot;
  the slots of one group on one day form runs of consecutive Calendar rows, and a run is
  one lesson, or several when its length is a sum of the course's lesson lengths);
- the students of each group: ``timetable.csv``;
- ``tutor_of``: ``tutor_groups.csv``;
- ``outcomes``: ``requests.csv``;
- status, objective, bound, objective terms, wall time, interrupted and any other
  numeric figures (into ``stats``): ``summary.json``.

Two kinds of trouble are told apart:

- **Malformed output** (a missing file or column, a slot label not in the Calendar, a
  size or rank that is not a whole number, a status that is not one of the allowed
  words, summary.json that is not JSON) cannot be read: :class:`OutputError` lists every
  such problem, each naming the file, line and column.
- **Inconsistencies between readable files** (``groups.csv`` says a group has 12
  students but ``timetable.csv`` lists 11; a student's row names another room than the
  group's row; a student listed for only some of a group's lessons; tutor time on a
  home day; figures in summary.json that the timetable does not give) are not fixed.
  Each one is kept in :attr:`Solution.output_issues` as an
  :class:`~scheduler.solution.OutputIssue` with a rule name, and the checker reports it.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scheduler.files.columns import (
    GROUPS_COLUMNS,
    REQUESTS_COLUMNS,
    TIMETABLE_COLUMNS,
    TUTOR,
    TUTOR_GROUPS_COLUMNS,
    join_items,
    split_items,
)
from scheduler.files.csvrows import CsvUnreadable, read_rows
from scheduler.model import Course, RequestType, School, group_number, hhmm
from scheduler.score import figure_keys, figures
from scheduler.solution import (
    Group,
    Lesson,
    OutputIssue,
    RequestOutcome,
    RequestStatus,
    Solution,
    Status,
)

log = logging.getLogger(__name__)


#: At most this many problems are listed (a wrong Calendar makes one per row).
MAX_ERRORS = 100

#: summary.json keys that are not restored into ``Solution.stats``.
_SUMMARY_KEYS = frozenset(
    {"status", "objective", "bound", "wall_s", "interrupted", "objective_terms", "input_sha256"}
)
#: Figures the reader compares with what the timetable gives.
_COMPARED_FIGURES = (
    "students",
    "requests_core",
    "requests_core_met",
    "requests_option",
    "requests_option_met",
    "first_choice_met",
    "groups",
    "students_fully_satisfied",
)


class OutputError(Exception):
    """The output files cannot be read; ``messages`` name the file, line and column."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__(f"{len(messages)} problem(s) reading the timetable files")


def read_solution(outdir: str | os.PathLike[str], school: School) -> Solution:
    """Read a solve's output folder back into a Solution for ``school``.

    Raises :class:`OutputError` (never another exception) when a file cannot be read.
    """
    try:
        return _Reader(Path(outdir), school).read()
    except OutputError:
        raise
    except Exception as exc:  # a safety net: a timetabler must never see a traceback
        # The details go to the debug log only: the CLI shows warnings, and a traceback
        # there is exactly what must not happen.
        log.debug("unexpected failure reading %s", outdir, exc_info=True)
        message = f"the timetable files could not be read ({type(exc).__name__}: {exc})"
        raise OutputError([f"{outdir}: {message}"]) from exc


# --------------------------------------------------------------------------------------


Row = dict[str, str]


@dataclass
class _GroupRows:
    """What groups.csv says about one group."""

    id: str
    course: str
    staff: tuple[str, ...]
    size: int
    line: int  # first line
    slots: dict[int, tuple[str | None, tuple[str, ...], int]] = field(default_factory=dict)
    # slot -> (room, staff, line)


class _Reader:
    def __init__(self, outdir: Path, school: School) -> None:
        self.outdir = outdir
        self.school = school
        self.errors: list[str] = []
        self.issues: list[OutputIssue] = []

    # ---- plumbing --------------------------------------------------------------------
    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def issue(self, rule: str, message: str, hard: bool = True) -> None:
        self.issues.append(OutputIssue(rule, message, hard))

    def rows(
        self, name: str, columns: tuple[str, ...], required: bool = True
    ) -> list[tuple[int, Row]] | None:
        """The rows of a CSV file as (line number, column -> trimmed text)."""
        path = self.outdir / name
        if not path.is_file():
            if required:
                self.error(name, f"the file is missing from {self.outdir}")
            return None
        try:
            table = read_rows(path, columns)
        except CsvUnreadable as exc:
            if exc.empty:
                self.error(f"{name} line 1", "the file is empty; expected a header row")
            for c in exc.missing:
                self.error(f"{name} line 1, column {c}", "this column is missing")
            if exc.reason:
                self.error(name, f"cannot be read as a UTF-8 CSV file ({exc.reason})")
            return None
        return [(row.line, row.values) for row in table.rows]

    def whole(self, where: str, column: str, text: str) -> int | None:
        try:
            return int(text)
        except ValueError:
            self.error(f"{where}, column {column}", f"{text!r} is not a whole number")
            return None

    def slot(self, name: str, line: int, row: Row) -> int | None:
        """The Calendar slot of a row's day and period; its start/end must be the Calendar's."""
        label = f"{row['day']} {row['period']}"
        i = self.school.calendar.by_label.get(label)
        if i is None:
            self.error(
                f"{name} line {line}, columns day/period",
                f"{label!r} is not a slot of the Calendar",
            )
            return None
        s = self.school.calendar.slots[i]
        for col, want in (("start", hhmm(s.start)), ("end", hhmm(s.end))):
            if _minutes(row[col]) != _minutes(want):
                self.issue(
                    "output_times",
                    f"{name} line {line}, column {col}: {row[col]!r} is "
                    f"not the Calendar's {col} of {label} ({want})",
                )
        return i

    def at(self, i: int) -> str:
        return self.school.calendar.slots[i].label

    # ---- the whole read --------------------------------------------------------------
    def read(self) -> Solution:
        if not self.outdir.is_dir():
            raise OutputError([f"{self.outdir}: there is no output folder here"])
        summary = self.read_summary()
        group_rows = self.read_groups()
        tutor_of = self.read_tutor_groups()
        outcomes = self.read_requests()
        members, tutor_rows = self.read_timetable(group_rows)
        if self.errors:
            shown = self.errors[:MAX_ERRORS]
            if len(self.errors) > MAX_ERRORS:
                shown.append(f"... and {len(self.errors) - MAX_ERRORS} more problem(s)")
            raise OutputError(shown)
        assert group_rows is not None and members is not None and tutor_rows is not None
        assert outcomes is not None and tutor_of is not None and summary is not None

        groups = self.build_groups(group_rows, members)
        self.compare_tutor_time(tutor_of, tutor_rows)
        solution = Solution(
            groups=tuple(groups),
            tutor_of=tutor_of,
            outcomes=tuple(outcomes),
            status=summary["status"],
            objective=summary["objective"],
            objective_terms=summary["objective_terms"],
            bound=summary["bound"],
            wall_s=summary["wall_s"],
            interrupted=summary["interrupted"],
            stats=summary["stats"],
        )
        self.compare_summary(summary["raw"], solution)
        if self.issues:
            log.info("%d inconsistencies between the files in %s", len(self.issues), self.outdir)
            solution = replace(solution, output_issues=tuple(self.issues))
        return solution

    # ---- summary.json ------------------------------------------------------------------
    def read_summary(self) -> dict[str, Any] | None:
        name = "summary.json"
        path = self.outdir / name
        if not path.is_file():
            self.error(name, f"the file is missing from {self.outdir}")
            return None
        try:
            raw = json.loads(path.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as exc:
            self.error(
                f"{name} line {exc.lineno}, column {exc.colno}", f"not valid JSON ({exc.msg})"
            )
            return None
        except (UnicodeDecodeError, OSError) as exc:
            self.error(name, f"cannot be read ({exc})")
            return None
        if not isinstance(raw, dict):
            self.error(name, "expected a JSON object of figures")
            return None
        out: dict[str, Any] = {"raw": raw}
        if "status" not in raw:
            self.error(f"{name}, key status", "this key is missing")
        else:
            try:
                out["status"] = Status(raw["status"])
            except ValueError:
                allowed = ", ".join(s.value for s in Status)
                self.error(f"{name}, key status", f"{raw['status']!r} is not one of {allowed}")
        for key in ("objective", "bound"):
            v = raw.get(key)
            if v is not None and not _is_number(v):
                self.error(f"{name}, key {key}", f"{v!r} is not a number")
            out[key] = v
        wall = raw.get("wall_s")
        if "wall_s" not in raw:
            self.error(f"{name}, key wall_s", "this key is missing")
        elif not _is_number(wall):
            self.error(f"{name}, key wall_s", f"{wall!r} is not a number of seconds")
        out["wall_s"] = wall
        interrupted = raw.get("interrupted", False)
        if not isinstance(interrupted, bool):
            self.error(f"{name}, key interrupted", f"{interrupted!r} is not true or false")
        out["interrupted"] = interrupted
        terms = raw.get("objective_terms", {})
        if not isinstance(terms, dict) or not all(_is_number(v) for v in terms.values()):
            self.error(f"{name}, key objective_terms", "expected names with numbers")
            terms = {}
        out["objective_terms"] = dict(terms)
        known = _SUMMARY_KEYS | set(figure_keys())
        out["stats"] = {k: v for k, v in raw.items() if k not in known and _is_number(v)}
        return out

    def compare_summary(self, raw: dict[str, Any], solution: Solution) -> None:
        got = figures(self.school, solution).as_dict()
        for key in _COMPARED_FIGURES:
            if key in raw and raw[key] != got[key]:
                self.issue(
                    "summary",
                    f"summary.json, key {key}: says {raw[key]!r}; the timetable "
                    f"files give {got[key]!r}",
                    hard=False,
                )
        sha = raw.get("input_sha256")
        if sha and self.school.source_sha256 and sha != self.school.source_sha256:
            self.issue(
                "summary",
                "summary.json, key input_sha256: this timetable was made from "
                "a different version of the workbook",
                hard=False,
            )

    # ---- groups.csv ----------------------------------------------------------------------
    def read_groups(self) -> dict[str, _GroupRows] | None:
        name = "groups.csv"
        rows = self.rows(name, GROUPS_COLUMNS)
        if rows is None:
            return None
        out: dict[str, _GroupRows] = {}
        for line, row in rows:
            where = f"{name} line {line}"
            i = self.slot(name, line, row)
            size = self.whole(where, "size", row["size"])
            if not row["group"]:
                self.error(f"{where}, column group", "the group id is blank")
                continue
            if i is None or size is None:
                continue
            staff = split_items(row["staff"])
            room = row["room"] or None
            g = out.get(row["group"])
            if g is None:
                g = out[row["group"]] = _GroupRows(row["group"], row["course"], staff, size, line)
            else:
                if row["course"] != g.course:
                    self.issue(
                        "output_files",
                        f"{where}: group {g.id} is of course "
                        f"{row['course']} here but {g.course} on line {g.line}",
                    )
                if staff != g.staff:
                    self.issue(
                        "same_staff",
                        f"{where}: group {g.id} is taught by "
                        f"{_shown(staff)} at {self.at(i)} but by {_shown(g.staff)} on line "
                        f"{g.line}; a group keeps the same staff for all its lessons",
                    )
                if size != g.size:
                    self.issue(
                        "output_files",
                        f"{where}: group {g.id} has size {size} here but {g.size} on line {g.line}",
                    )
            if i in g.slots:
                self.issue("output_files", f"{where}: group {g.id} is listed twice at {self.at(i)}")
                continue
            g.slots[i] = (room, staff, line)
        return out

    def build_groups(
        self, group_rows: dict[str, _GroupRows], members: dict[str, set[str]]
    ) -> list[Group]:
        numbers: Counter[str] = Counter()
        out: list[Group] = []
        for g in group_rows.values():
            numbers[g.course] += 1
            # The n of its id <course>.<n>, else its order within the course.
            number = group_number(g.id, g.course)
            students = frozenset(members.get(g.id, ()))
            if g.size != len(students):
                self.issue(
                    "declared_size",
                    f"groups.csv line {g.line}: group {g.id} has size "
                    f"{g.size} but timetable.csv lists {len(students)} student(s) in it",
                )
            if not students:
                self.issue(
                    "output_files",
                    f"groups.csv line {g.line}: group {g.id} has no "
                    "students in timetable.csv; groups.csv lists only groups that run",
                )
            out.append(
                Group(
                    id=g.id,
                    course=g.course,
                    number=numbers[g.course] if number is None else number,
                    lessons=tuple(self.lessons(g)),
                    staff=g.staff,
                    students=students,
                )
            )
        return out

    def lessons(self, g: _GroupRows) -> list[Lesson]:
        """A group's lessons from its slots: runs of consecutive rows of one day, split
        into the course's lesson lengths where that is possible."""
        cal = self.school.calendar
        runs: list[list[int]] = []
        for i in sorted(g.slots):
            prev = runs[-1][-1] if runs else None
            if (
                prev is not None
                and cal.slots[prev].day == cal.slots[i].day
                and cal.slots[prev].position + 1 == cal.slots[i].position
            ):
                runs[-1].append(i)
            else:
                runs.append([i])
        rooms = {i: g.slots[i][0] for i in g.slots}
        course = self.school.course_by_id.get(g.course)
        out: list[Lesson] = []
        for part in split_into_lessons(runs, rooms, course):
            used = list(dict.fromkeys(rooms[i] for i in part))
            if len(used) > 1:
                shown = ", ".join(r or "no room" for r in used)
                self.issue(
                    "lesson_room",
                    f"groups.csv line {g.slots[part[0]][2]}: group {g.id} "
                    f"changes room during its lesson at {self.at(part[0])} ({shown})",
                )
            out.append(Lesson(tuple(part), used[0]))
        return out

    # ---- timetable.csv --------------------------------------------------------------------
    def read_timetable(
        self, groups: dict[str, _GroupRows] | None
    ) -> tuple[
        dict[str, set[str]] | None,
        dict[str, dict[int, tuple[str, str | None, tuple[str, ...], int]]] | None,
    ]:
        name = "timetable.csv"
        rows = self.rows(name, TIMETABLE_COLUMNS)
        if rows is None:
            return None, None
        members: dict[str, set[str]] = defaultdict(set)
        attended: dict[tuple[str, str], set[int]] = defaultdict(set)
        first_line: dict[tuple[str, str], int] = {}
        tutor_rows: dict[str, dict[int, tuple[str, str | None, tuple[str, ...], int]]] = (
            defaultdict(dict)
        )
        for line, row in rows:
            where = f"{name} line {line}"
            i = self.slot(name, line, row)
            s, gid = row["student"], row["group"]
            if i is None or groups is None:
                continue
            room, staff = row["room"] or None, split_items(row["staff"])
            if row["course"] == TUTOR:
                if i in tutor_rows[s]:
                    self.issue(
                        "output_files", f"{where}: student {s} has tutor time twice at {self.at(i)}"
                    )
                tutor_rows[s][i] = (gid, room, staff, line)
                continue
            g = groups.get(gid)
            if g is None:
                self.issue(
                    "output_files",
                    f"{where}: student {s} is in group {gid}, which groups.csv does not list",
                )
                continue
            if row["course"] != g.course:
                self.issue(
                    "output_files",
                    f"{where}: group {gid} is of course {row['course']} "
                    f"here but {g.course} in groups.csv",
                )
            if i not in g.slots:
                self.issue(
                    "output_files",
                    f"{where}: student {s} has group {gid} at "
                    f"{self.at(i)}, when groups.csv gives it no lesson",
                )
                continue
            g_room, g_staff, g_line = g.slots[i]
            if room != g_room:
                self.issue(
                    "output_files",
                    f"{where}: student {s} has group {gid} at "
                    f"{self.at(i)} in room {room or '(none)'}; groups.csv line {g_line} "
                    f"says {g_room or '(none)'}",
                )
            if staff != g_staff:
                self.issue(
                    "output_files",
                    f"{where}: student {s} has group {gid} at "
                    f"{self.at(i)} with {_shown(staff)}; groups.csv line {g_line} says "
                    f"{_shown(g_staff)}",
                )
            if i in attended[(s, gid)]:
                self.issue(
                    "output_files", f"{where}: student {s} has group {gid} twice at {self.at(i)}"
                )
            members[gid].add(s)
            attended[(s, gid)].add(i)
            first_line.setdefault((s, gid), line)
        if groups is not None:
            for (s, gid), slots in attended.items():
                missing = sorted(groups[gid].slots.keys() - slots)
                if missing:
                    self.issue(
                        "attends_all_lessons",
                        f"{name} line {first_line[(s, gid)]}: "
                        f"student {s} is in group {gid} but has no row for its lesson(s) "
                        f"at {', '.join(self.at(i) for i in missing)}",
                    )
        return members, tutor_rows

    def compare_tutor_time(
        self,
        tutor_of: dict[str, str],
        tutor_rows: dict[str, dict[int, tuple[str, str | None, tuple[str, ...], int]]],
    ) -> None:
        """Tutor-time rows must be exactly the tutor group's meets, except home days."""
        sch = self.school
        name = "timetable.csv"
        for s in sorted(tutor_of.keys() | tutor_rows.keys()):
            rows = tutor_rows.get(s, {})
            tg = sch.tutor_group_by_id.get(tutor_of.get(s, ""))
            st = sch.student_by_id.get(s)
            home = sch.home_slots(st) if st is not None else frozenset()
            for i, (gid, room, staff, line) in sorted(rows.items()):
                where = f"{name} line {line}"
                if tg is None or gid != tg.id:
                    self.issue(
                        "tutor_time",
                        f"{where}: student {s} has tutor time with {gid}, "
                        f"but tutor_groups.csv puts them in {tutor_of.get(s, 'no group')}",
                    )
                elif i in home:
                    self.issue(
                        "tutor_home_day",
                        f"{where}: student {s} has tutor time at "
                        f"{self.at(i)}, on their home-learning day",
                    )
                elif i not in tg.meets:
                    self.issue(
                        "tutor_time",
                        f"{where}: student {s} has tutor time at "
                        f"{self.at(i)}, but tutor group {tg.id} does not meet then",
                    )
                elif room != tg.room or staff != (tg.tutor,):
                    self.issue(
                        "tutor_time",
                        f"{where}: tutor time of {tg.id} is in room "
                        f"{room or '(none)'} with {_shown(staff)}; the TutorGroups sheet "
                        f"gives room {tg.room or '(none)'} and tutor {tg.tutor}",
                    )
            if tg is not None:
                missing = sorted(tg.meets - home - rows.keys())
                if missing:
                    self.issue(
                        "tutor_time",
                        f"{name}: student {s} has no tutor-time row at "
                        f"{', '.join(self.at(i) for i in missing)}, when tutor group "
                        f"{tg.id} meets",
                    )

    # ---- tutor_groups.csv ------------------------------------------------------------------
    def read_tutor_groups(self) -> dict[str, str] | None:
        name = "tutor_groups.csv"
        rows = self.rows(name, TUTOR_GROUPS_COLUMNS, required=bool(self.school.tutor_groups))
        if rows is None:
            return None if self.school.tutor_groups else {}
        out: dict[str, str] = {}
        for line, row in rows:
            where = f"{name} line {line}"
            s, gid = row["student"], row["group"]
            year = self.whole(where, "year", row["year"]) if row["year"] else None
            if s in out:
                self.issue(
                    "output_files",
                    f"{where}: student {s} is listed again (in {gid}); "
                    f"their first row puts them in {out[s]}",
                )
                continue
            out[s] = gid
            tg = self.school.tutor_group_by_id.get(gid)
            if tg is not None and row["tutor"] != tg.tutor:
                self.issue(
                    "output_files",
                    f"{where}, column tutor: {row['tutor']!r}; the "
                    f"TutorGroups sheet gives {tg.tutor} as the tutor of {gid}",
                )
            st = self.school.student_by_id.get(s)
            if st is not None and year is not None and year != st.year:
                self.issue(
                    "output_files",
                    f"{where}, column year: {year}; student {s} is in year {st.year}",
                )
        return out

    # ---- requests.csv ------------------------------------------------------------------
    def read_requests(self) -> list[RequestOutcome] | None:
        name = "requests.csv"
        rows = self.rows(name, REQUESTS_COLUMNS)
        if rows is None:
            return None
        types = {t.value for t in RequestType}
        out: list[RequestOutcome] = []
        for line, row in rows:
            where = f"{name} line {line}"
            rank = self.whole(where, "rank", row["rank"]) if row["rank"] else None
            ok = rank is not None or not row["rank"]
            if row["type"] not in types:
                self.error(
                    f"{where}, column type",
                    f"{row['type']!r} is not one of {', '.join(sorted(types))}",
                )
                ok = False
            try:
                status = RequestStatus(row["status"])
            except ValueError:
                allowed = ", ".join(s.value for s in RequestStatus)
                self.error(f"{where}, column status", f"{row['status']!r} is not one of {allowed}")
                continue
            if ok:
                out.append(
                    RequestOutcome(
                        row["student"],
                        row["course"],
                        row["type"],
                        rank,
                        status,
                        row["group"] or None,
                        row["reason"],
                    )
                )
        return out


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _minutes(text: str) -> int | None:
    try:
        h, m = text.strip().split(":")
        return int(h) * 60 + int(m)
    except ValueError:
        return None


def _shown(staff: tuple[str, ...]) -> str:
    return join_items(staff) or "no staff"


def _compositions(n: int, parts: list[int]) -> Iterator[tuple[int, ...]]:
    """Every way to write n as an ordered sum of the given part sizes."""
    if n == 0:
        yield ()
        return
    for p in parts:
        if p <= n:
            for rest in _compositions(n - p, parts):
                yield (p, *rest)


def split_into_lessons(
    runs: list[list[int]], rooms: dict[int, str | None], course: Course | None
) -> list[list[int]]:
    """Cut runs of slots into lessons whose lengths are exactly the course's lessons.

    A whole run as one lesson is preferred, then cuts where the room changes, then fewer
    cuts. When no cutting gives the course's lengths, each run is one lesson (the checker
    then reports the lengths it sees).
    """
    if course is None or not runs:
        return runs
    target = Counter(course.lessons)
    sizes = sorted(target)

    def options(run: list[int]) -> list[tuple[int, ...]]:
        changes = {k for k in range(1, len(run)) if rooms[run[k]] != rooms[run[k - 1]]}
        found = [c for c in _compositions(len(run), sizes) if all(target[p] for p in c)]

        def cost(comp: tuple[int, ...]) -> tuple[int, int]:
            cuts = {sum(comp[:k]) for k in range(1, len(comp))}
            return (len(changes - cuts), len(comp))

        return sorted(found, key=cost)

    per_run = [options(r) for r in runs]
    chosen: list[tuple[int, ...]] = []
    dead_ends: set[tuple[int, tuple[tuple[int, int], ...]]] = set()  # keeps the search small

    def search(k: int, left: Counter[int]) -> bool:
        if k == len(runs):
            return not +left
        state = (k, tuple(sorted((+left).items())))
        if state in dead_ends:
            return False
        for comp in per_run[k]:
            need = Counter(comp)
            if all(left[p] >= n for p, n in need.items()):
                chosen.append(comp)
                if search(k + 1, left - need):
                    return True
                chosen.pop()
        dead_ends.add(state)
        return False

    if not search(0, target):
        return runs
    out: list[list[int]] = []
    for run, comp in zip(runs, chosen):
        start = 0
        for p in comp:
            out.append(run[start : start + p])
            start += p
    return out
