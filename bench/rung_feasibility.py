"""Which of the ladder's questions a school's provisional placement allows (issue 12).

The solve's ladder (docs/solver.md, step 6) asks in turn for a complete lesson placement
that keeps each student's provisional groups apart, strictly first. On a school where
every strict rung fails, the ladder's timetables usually lose to the greedy first one;
this script says which rung fails, and for which year, so a design change can aim at the
cause. It staffs, blocks options and places students provisionally as the solve's first
steps do (seed 1), then runs one pure feasibility search per question (every group
placed, no objective; CP-SAT with two free workers, ``--seconds`` each):

- ``none``: the hard rules alone (no student kept apart);
- ``blocks``: the hard rules, each option block meeting together;
- ``RUNG_b`` / ``RUNG_n``: the ladder's rung ``RUNG`` (all, core, year, soft), with or
  without option blocks;
- ``options_b``: option blocks together, every student's options and the core groups of
  courses taken by one year apart, the core groups of courses taken by several years
  (stage sets, a project across a key stage) free;
- ``year:Y``: the "core" rung for the students of year ``Y`` alone.

    python bench/rung_feasibility.py ../shared/schools/school-a-600.xlsx --plan cohort \\
        year:7 year:8 year:9 core_n options_b
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ortools.sat.python import cp_model

from constraints.base import Strictness
from constraints.student_clashes import mixed_year_courses
from scheduler.api import load_school
from scheduler.model import RequestType
from scheduler.plan import plan_groups, tentative_sections
from scheduler.solver.blocking import block_options
from scheduler.solver.budget import Clock
from scheduler.solver.engine import CLOCK, timetable_model
from scheduler.solver.staffing import assign_staff


def _apart(tm, sets) -> None:
    """Each set of groups never overlaps (one student's groups)."""
    for groups in sets:
        for t in range(tm.school.calendar.num_slots):
            vs = [v for g in sorted(groups) for v in tm.occupies(g, t)]
            if len(vs) > 1:
                tm.model.add_at_most_one(vs)


def question(school, staffed, staff_of, blocks, tent, name: str):
    """The timetable model of one question (see the module docstring)."""
    if name == "none":
        return timetable_model(school, staffed, staff_of, {}, {}, Strictness.SOFT, (), {})[0]
    if name == "blocks":
        return timetable_model(school, staffed, staff_of, {}, {}, Strictness.SOFT, blocks, {})[0]
    if name.startswith("year:"):
        year = int(name.split(":")[1])
        mine = {s: row for s, row in tent.items() if school.student_by_id[s].year == year}
        return timetable_model(school, staffed, staff_of, {}, mine, Strictness.CORE, (), {})[0]
    if name == "options_b":
        tm = timetable_model(school, staffed, staff_of, {}, {}, Strictness.SOFT, blocks, {})[0]
        mixed = mixed_year_courses(school)
        sets = set()
        for s, row in tent.items():
            apart = {
                row[r.course]
                for r in school.student_requests.get(s, ())
                if row.get(r.course) in tm.place
                and (r.type is RequestType.OPTION or r.course not in mixed)
            }
            if len(apart) > 1:
                sets.add(frozenset(apart))
        _apart(tm, sets)
        return tm
    rung, _, with_blocks = name.partition("_")
    return timetable_model(
        school,
        staffed,
        staff_of,
        {},
        tent,
        Strictness(rung),
        blocks if with_blocks == "b" else (),
        {},
    )[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workbook", type=Path)
    ap.add_argument("questions", nargs="+")
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--plan", choices=("plain", "cohort"), default="plain")
    args = ap.parse_args()
    school = load_school(args.workbook)
    CLOCK[0] = clock = Clock(10_000, True, interleave=True, guard=False)
    planned = plan_groups(school, 0.9, by_cohort=args.plan == "cohort")
    staffing = assign_staff(school, planned, 12, 1, 2, clock)
    blocking = block_options(school, planned, staffing.staff_of, 9.6, 1, 2, clock)
    staffed = tuple(g for g in planned if g.id in staffing.staff_of)
    tent = tentative_sections(school, staffed, blocking.placement)
    print(f"{len(staffed)} groups, {len(blocking.blocks)} option blocks", flush=True)
    for name in args.questions:
        tm = question(school, staffed, staffing.staff_of, blocking.blocks, tent, name)
        model = tm.model
        model.clear_objective()
        for v in tm.placed.values():
            model.add(v == 1)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 2
        solver.parameters.max_time_in_seconds = args.seconds
        t0 = time.perf_counter()
        status = solver.solve(model)
        print(
            f"{name}: {solver.status_name(status)} in {time.perf_counter() - t0:.1f} s", flush=True
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
