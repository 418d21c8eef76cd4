"""Seat a solve's students again on its lesson times with the greedy placement alone.

    python bench/reseat_greedy.py BOOK OUT [--seed 1] [--seconds 30]

Reads the workbook and a solve's output folder, keeps every group's lessons and staff as
published, builds the students' model (restrictions only, no objective) and runs
``greedy_sections`` with the published groups as each student's preferred ones. Prints
its time, search nodes and the core requests and options (up to each quota) it meets.
Rooms, tutor groups and the search after it are left out: it measures the greedy student
placement on fixed times, to compare commits on the same timetable.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from constraints.base import SectionModel, TimedGroup, TimedLesson
from constraints.registry import rules
from scheduler.model import RequestType
from scheduler.outputs.read import read_solution
from scheduler.solver.resolve import published_groups, published_runs
from scheduler.solver.section_greedy import greedy_sections
from scheduler.workbook.read import load_school


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("book")
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=30.0)
    args = ap.parse_args()
    school, _ = load_school(args.book)
    published = read_solution(args.out, school)
    planned = published_groups(school, published)
    runs = published_runs(planned, published)
    timed = tuple(
        TimedGroup(
            g.id,
            g.course,
            g.number,
            tuple(TimedLesson(run) for run in runs[g.id]),
            published.group_by_id[g.id].staff,
            g.required,
        )
        for g in planned
        if g.id in runs
    )
    sm = SectionModel(school, timed)
    sm.model_idle = False
    for rule in rules():
        rule.restrict_section(sm)
    sm.make_variables()
    prefer: dict[str, dict[str, str]] = {}
    for g in published.groups:
        for s in g.students:
            prefer.setdefault(s, {})[g.course] = g.id
    began = time.perf_counter()
    nodes = [0]
    chosen = greedy_sections(sm, args.seed, prefer, args.seconds, None, nodes)
    took = time.perf_counter() - began
    course_of = {g.id: g.course for g in timed}
    core = core_met = quota = options_met = 0
    for st in school.students:
        mine = {course_of[g] for g in chosen.get(st.id, ())}
        asked = school.student_requests.get(st.id, ())
        core += sum(r.type is RequestType.CORE for r in asked)
        core_met += sum(r.type is RequestType.CORE and r.course in mine for r in asked)
        q = school.option_quota(st.id)
        quota += q
        options_met += min(
            q, sum(r.type is not RequestType.CORE and r.course in mine for r in asked)
        )
    print(
        f"{Path(args.out).name}: greedy {took:.1f} s, {nodes[0]:,} nodes: "
        f"core {core_met}/{core}, options {options_met}/{quota}"
    )


if __name__ == "__main__":
    main()
