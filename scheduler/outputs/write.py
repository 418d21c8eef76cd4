"""Write a solved timetable as the files of docs/outputs.md.

Files: ``timetable.csv``, ``groups.csv``, ``requests.csv``, ``tutor_groups.csv`` (when
the school has tutor groups), ``summary.json``, the week grids ``students.xlsx``,
``staff.xlsx`` and ``rooms.xlsx`` (drawn by :mod:`scheduler.exports.xlsx`) and
``context.json``, what ``pathways export`` needs to know about the school (see
docs/exports.md). Conventions are in docs/outputs-conventions.md.

Everything is written into a temporary folder and switched in by
:func:`scheduler.files.atomic.atomic_dir` with renames, so a reader (or a ``kill -9`` at any
moment) never sees a half-written or mixed result. Of the old folder's files, those the
new result does not write are kept (a user's own notes), except what the old solve made
and the new one replaces or makes stale (:data:`NOT_KEPT`).
The writer writes what the solution says; it fixes nothing. The figures of
``summary.json`` come from :func:`scheduler.score.figures`, the same function the
checker reports, so the two can never disagree.
"""

from __future__ import annotations

import json
import logging
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from scheduler.exports.grid import CONTEXT_FILE, Context, Entry, build
from scheduler.exports.xlsx import write_workbooks
from scheduler.files.atomic import atomic_dir, write_step
from scheduler.files.columns import (
    GROUPS_COLUMNS,
    REQUESTS_COLUMNS,
    TIMETABLE_COLUMNS,
    TUTOR,
    TUTOR_GROUPS_COLUMNS,
    join_items,
)
from scheduler.files.csvrows import write_rows
from scheduler.model import School, Slot, hhmm
from scheduler.score import expected_outcomes, figures, running_groups
from scheduler.solution import RequestOutcome, RequestStatus, Solution

log = logging.getLogger(__name__)


#: Files and folders of an old result that never survive a new one: the solve's own files
#: (``tutor_groups.csv`` of a school that has no tutor groups any more), the scenario
#: runner's ``check.json`` and the default folder of ``pathways export``, both made from
#: the old timetable. Anything else in the folder is the user's and is kept.
NOT_KEPT = frozenset(
    {
        "timetable.csv",
        "groups.csv",
        "requests.csv",
        "tutor_groups.csv",
        "summary.json",
        "students.xlsx",
        "staff.xlsx",
        "rooms.xlsx",
        CONTEXT_FILE,
        "check.json",
        "changes.csv",
        "exports",
    }
)


def _kept(rel: str) -> bool:
    return rel.split("/", 1)[0] not in NOT_KEPT


def write_outputs(
    school: School,
    solution: Solution,
    outdir: str | os.PathLike[str],
    also: Callable[[Path], None] | None = None,
) -> None:
    """Write every output file of a solve into ``outdir``, atomically.

    ``also(folder)``, when given, is called with the new folder once every output file is
    in it, before the switch: what it writes there (the scenario runner's ``check.json``)
    is switched in with the rest, so the folder is at every moment all old or all new. An
    error it raises leaves the old folder as it was.
    """
    outdir = Path(outdir)
    entries = _entries(school, solution)
    timetable_rows = list(_timetable_rows(school, entries))
    group_rows = list(_group_rows(school, solution))
    with atomic_dir(outdir, keep=_kept) as tmp:
        write_rows(tmp / "timetable.csv", TIMETABLE_COLUMNS, timetable_rows)
        write_step("timetable.csv")
        write_rows(tmp / "groups.csv", GROUPS_COLUMNS, group_rows)
        write_step("groups.csv")
        write_rows(tmp / "requests.csv", REQUESTS_COLUMNS, _request_rows(school, solution))
        write_step("requests.csv")
        if school.tutor_groups:
            write_rows(
                tmp / "tutor_groups.csv", TUTOR_GROUPS_COLUMNS, _tutor_group_rows(school, solution)
            )
            write_step("tutor_groups.csv")
        summary = summary_dict(school, solution)
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        write_step("summary.json")
        # The week grids are drawn from the very rows written above, as `pathways export`
        # draws them from the files, so a re-export gives the same grids.
        context = Context.from_school(school)
        (tmp / CONTEXT_FILE).write_text(context.to_json(), encoding="utf-8")
        write_step(CONTEXT_FILE)
        write_workbooks(build(context, timetable_rows, group_rows), tmp)
        if also is not None:
            also(tmp)
            write_step("also")
    log.info("wrote the timetable to %s", outdir)


def summary_dict(school: School, solution: Solution) -> dict[str, Any]:
    """The content of summary.json: the solve's figures, then ``solution.stats``."""
    out: dict[str, Any] = {
        "status": solution.status.value,
        "objective": solution.objective,
        "bound": solution.bound,
        "wall_s": solution.wall_s,
        "interrupted": solution.interrupted,
    }
    out.update(figures(school, solution).as_dict())
    out["objective_terms"] = dict(solution.objective_terms)
    out["input_sha256"] = school.source_sha256
    for key, value in solution.stats.items():
        # Figures counted from the timetable win over a stat of the same name.
        if key in out:
            if out[key] != value:
                log.debug(
                    "summary.json %s: keeping %r over solution.stats %r", key, out[key], value
                )
            continue
        out[key] = value
    return out


# --------------------------------------------------------------------------------------
# What happens in each slot, for whom
# --------------------------------------------------------------------------------------


class _Entries:
    """Every entry of the timetable, indexed by student."""

    def __init__(self) -> None:
        self.by_student: dict[str, list[Entry]] = defaultdict(list)


def _entries(school: School, solution: Solution) -> _Entries:
    out = _Entries()
    for g in running_groups(solution):
        for lesson in g.lessons:
            for i in lesson.slots:
                e = Entry(i, g.course, g.id, lesson.room, g.staff)
                for s in g.students:
                    out.by_student[s].append(e)
    members: dict[str, list[str]] = defaultdict(list)
    for s, tg_id in solution.tutor_of.items():
        members[tg_id].append(s)
    students = school.student_by_id
    for tg in school.tutor_groups:
        for s in members.get(tg.id, ()):
            st = students.get(s)
            # Home-learning students have no tutor time on their home days (rule 6).
            for i in sorted(school.tutor_time(st, tg.id) if st is not None else tg.meets):
                out.by_student[s].append(Entry(i, TUTOR, tg.id, tg.room, (tg.tutor,)))
    for lst in out.by_student.values():
        lst.sort(key=lambda e: (e.slot, e.course == TUTOR, e.group))
    return out


# --------------------------------------------------------------------------------------
# CSV files
# --------------------------------------------------------------------------------------


def _slot_cells(slot: Slot) -> list[str]:
    return [slot.day, slot.period, hhmm(slot.start), hhmm(slot.end)]


def _slot_of(school: School, i: int) -> Slot:
    slots = school.calendar.slots
    if not 0 <= i < len(slots):
        raise ValueError(f"slot {i} is not in the Calendar ({len(slots)} slots)")
    return slots[i]


def _timetable_rows(school: School, entries: _Entries) -> Iterable[list[Any]]:
    order = {st.id: n for n, st in enumerate(school.students)}
    for s in sorted(entries.by_student, key=lambda s: (order.get(s, len(order)), s)):
        for e in entries.by_student[s]:
            yield [
                s,
                *_slot_cells(_slot_of(school, e.slot)),
                e.course,
                e.group,
                e.room or "",
                join_items(e.staff),
            ]


def _group_rows(school: School, solution: Solution) -> Iterable[list[Any]]:
    for g in running_groups(solution):
        by_slot = sorted((i, lesson.room) for lesson in g.lessons for i in lesson.slots)
        for i, room in by_slot:
            yield [
                g.id,
                g.course,
                *_slot_cells(_slot_of(school, i)),
                room or "",
                join_items(g.staff),
                g.size,
            ]


def _request_rows(school: School, solution: Solution) -> Iterable[list[Any]]:
    outcomes: tuple[RequestOutcome, ...] = solution.outcomes
    if not outcomes and school.requests:
        # The solver gave no outcomes (e.g. no timetable was found): state what the
        # groups give, rule 7, so requests.csv still has one row per request.
        outcomes = tuple(_with_reason(o) for o in expected_outcomes(school, solution))
    for o in outcomes:
        yield [
            o.student,
            o.course,
            o.type,
            "" if o.rank is None else o.rank,
            o.status.value,
            o.group or "",
            o.reason,
        ]


def _with_reason(o: RequestOutcome) -> RequestOutcome:
    if o.status is not RequestStatus.UNMET:
        return o
    return replace(o, reason=f"not placed in a group of {o.course}")


def _tutor_group_rows(school: School, solution: Solution) -> Iterable[list[Any]]:
    tgs = school.tutor_group_by_id
    students = school.student_by_id
    order = {st.id: n for n, st in enumerate(school.students)}
    for s in sorted(solution.tutor_of, key=lambda s: (order.get(s, len(order)), s)):
        tg_id = solution.tutor_of[s]
        tg = tgs.get(tg_id)
        st = students.get(s)
        yield [s, tg_id, tg.tutor if tg else "", st.year if st else ""]
