"""Re-solve from a published timetable with the least disruption (``pathways solve
--from PUBLISHED``).

A timetable is published and then lives all year: a student swaps an option, a teacher
goes part-time, new students arrive. Solving again from nothing would move hundreds of
lessons and students nobody asked to move. Here the published timetable is kept as far
as the rules allow, in this order of cost (dearest first):

1. **Groups** are the published groups (same ids), and groups of courses new to the
   workbook; newcomers take the seats the published groups have.
2. **Staff**: each published group keeps its staff wherever they may still teach it
   (:func:`scheduler.solver.staffing.assign_staff`'s ``keep``: taking anyone off a
   group costs more than any balance of loads).
3. **Times**: if every published lesson still keeps every rule where it is, no lesson
   moves and no search runs. Otherwise the timetable model of the hard rules is solved
   with every lesson's published run hinted and each lesson moved costing
   ``MOVE_WEIGHT`` (above any students' clash cost), so only lessons that must move
   move, and with them as few others as the rules need. ``--keep times`` forbids moving
   any lesson the rules let stay (``--keep staff``: no group changes staff where its
   published staff may still teach it; ``--keep rooms``: a lesson at its published time
   keeps its published room).
4. **Rooms and tutor groups**: the published ones first, where still free and fitting.
5. **Students**: a student whose published groups may all still be taken together keeps
   them exactly and is not placed again; the others (new students, changed requests,
   groups that moved or closed under them) are placed around them, their published
   groups tried first. No search over everyone follows (it would move students nobody
   asked to move).

What changed is for :mod:`scheduler.changes` to say (``changes.csv``); the independent
checker judges the result like any other solve.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from constraints.base import Strictness, Term
from scheduler.changes import asked_to_change
from scheduler.model import School
from scheduler.plan import (
    PlannedGroup,
    PlannedLesson,
    group_id,
    groups_needed,
    locked_groups,
)
from scheduler.solution import Solution, SolveStats, Status
from scheduler.solver import engine
from scheduler.solver.budget import POLICY
from scheduler.solver.staffing import assign_staff

#: Cost of one lesson away from its published run, in the timetable model (a student's
#: core clash costs 10 per student and slot there, so a group of 30 with five lessons
#: at most 1,500): moving a lesson is dearer than any clash it could spare.
MOVE_WEIGHT = 100_000
#: Share of what is left that the timetable search may take when lessons must move.
TIMES_SHARE = 0.5


@dataclass
class Published:
    """What the students' phase keeps of a published timetable."""

    start: dict[str, set[str]] = field(default_factory=dict)  # student -> group ids
    prefer: dict[str, dict[str, str]] = field(default_factory=dict)  # student -> course -> id
    rooms: dict[tuple[str, int], str] = field(default_factory=dict)  # (group, lesson) -> room
    tutors: dict[str, str] = field(default_factory=dict)  # student -> tutor group
    keep_rooms: bool = False  # --keep rooms: a lesson at its published time keeps its room
    asked: set[str] = field(default_factory=set)  # new students, changed requests: first


def published_groups(
    school: School, published: Solution, slack: float = 0.9
) -> tuple[PlannedGroup, ...]:
    """The groups to run: the published ones of courses still in the workbook (their ids
    and numbers), and groups planned as usual for courses new to the workbook. A course's
    new students take the seats its published groups have (adding a group would move
    lessons to make room for it)."""
    cal = school.calendar
    by_course = published.course_groups
    out: list[PlannedGroup] = []
    for course in school.courses:
        lessons = tuple(PlannedLesson(n, cal.runs(n)) for n in course.lessons)
        mine = by_course.get(course.id, ())
        if mine:
            # Newcomers take the seats there are (a new group would move lessons); a
            # group the Locks sheet names beyond the published ones is planned too.
            numbers = sorted(
                {g.number for g in mine} | set(range(1, locked_groups(school, course.id) + 1))
            )
        else:
            need = (
                course.sections
                if course.sections is not None
                else groups_needed(school, course, slack)
            )
            numbers = list(range(1, max(need, locked_groups(school, course.id)) + 1))
        published_id = {g.number: g.id for g in mine}
        for k, number in enumerate(numbers):
            out.append(
                PlannedGroup(
                    id=published_id.get(number, group_id(course.id, number)),
                    course=course.id,
                    number=number,
                    lessons=lessons,
                    required=course.sections is not None,
                    priority=3 if k == 0 else 2,
                )
            )
    return tuple(out)


def published_runs(
    planned: tuple[PlannedGroup, ...], published: Solution
) -> dict[str, tuple[tuple[int, ...], ...]]:
    """Each published group's lessons as runs in its planned lessons' order (matched by
    length, earliest first: the lessons rule orders identical lessons by start). Groups
    whose lessons no longer match the course's (a changed lesson pattern) have none."""
    out: dict[str, tuple[tuple[int, ...], ...]] = {}
    for g in planned:
        old = published.group_by_id.get(g.id)
        if old is None:
            continue
        left = sorted(lesson.slots for lesson in old.lessons)
        if sorted(len(r) for r in left) != sorted(x.length for x in g.lessons):
            continue
        runs = []
        for lesson in g.lessons:
            k = next(i for i, run in enumerate(left) if len(run) == lesson.length)
            runs.append(left.pop(k))
        out[g.id] = tuple(runs)
    return out


def resolve(
    school: School,
    published: Solution,
    kinds: frozenset[str],
    opts,
    prog,
    started: float,
    deadline: float,
    interrupted: list[bool],
    max_changed: int | None = None,
) -> Solution:
    """The re-solve (see the module docstring); called by ``engine.solve_school``.
    ``kinds``: what may not change where the rules allow (``times``, ``staff``, ``rooms``);
    ``max_changed``: at most this many students not asked to change
    (:func:`scheduler.changes.asked_to_change`) in groups whose lessons move."""
    stats = SolveStats(resolved_from_published=True)
    planned = published_groups(school, published, opts.slack_for(school))
    stats["groups_planned"] = len(planned)
    prog.update(phase="staffing")
    keep = {
        g.id: g.staff
        for g in published.groups
        if g.course in school.course_by_id
        and all(p in school.staff_by_id for p in g.staff)
        and len(g.staff) == school.course_by_id[g.course].staff_per_group
    }
    staffing = assign_staff(
        school,
        planned,
        POLICY.staffing(opts.time_limit),
        opts.seed,
        opts.workers,
        engine.CLOCK[0],
        keep=keep,
        published_slots={g.id: g.slots for g in published.groups},
        keep_hard="staff" in kinds,
    )
    if staffing.problems:
        status = Status.UNKNOWN if staffing.timed_out else Status.INFEASIBLE
        why = list(staffing.problems)
        if "staff" in kinds and not staffing.timed_out:
            why.insert(0, "with --keep staff no staffing exists: re-solve without it")
        return engine.failed_solution(school, status, why, started)
    not_run = engine.unstaffed_reasons(school, planned, staffing)
    everything = planned
    planned = tuple(g for g in planned if g.id in staffing.staff_of)
    staff_of = staffing.staff_of
    stats["staff_changed"] = sum(
        1 for gid, staff in keep.items() if gid in staff_of and set(staff_of[gid]) != set(staff)
    )

    # Students: their published groups (courses they still ask for), then a provisional
    # group for what is new.
    requested = {(r.student, r.course) for r in school.requests}
    planned_ids = {g.id for g in planned}
    kept = Published(asked=asked_to_change(school, published), keep_rooms="rooms" in kinds)
    for g in published.groups:
        if g.id not in planned_ids:
            continue
        for sid in g.students:
            if (sid, g.course) in requested:
                kept.start.setdefault(sid, set()).add(g.id)
                kept.prefer.setdefault(sid, {})[g.course] = g.id
    kept.tutors = {
        s: tg
        for s, tg in published.tutor_of.items()
        if s in school.student_by_id and tg in school.tutor_group_by_id
    }
    # The timetable keeps apart what students have now; newcomers and new requests take
    # the seats the times leave (they move no lesson).
    tentative = kept.prefer

    runs = published_runs(planned, published)
    bystanders: dict[str, int] | None = None
    if max_changed is not None:
        bystanders = {g.id: len(g.students - kept.asked) for g in published.groups}
    timed = _place_lessons(
        school,
        planned,
        staff_of,
        runs,
        tentative,
        "times" in kinds,
        opts,
        prog,
        stats,
        deadline,
        interrupted,
        (bystanders, max_changed),
    )
    if isinstance(timed, Solution):
        return timed
    groups, missing = timed
    # Rooms keyed by the planned lesson order (the section model's): runs were matched
    # earliest first, so the k-th lesson of a length is the k-th such published one.
    kept.rooms = _rooms_by_lesson(planned, published, groups)

    def students(quick: bool) -> Solution:
        return engine.section_round(
            school,
            groups,
            planned,
            {**not_run, **missing},
            kept.prefer,
            opts,
            prog,
            max(1.0, deadline - engine.clock_now()),
            interrupted,
            stats,
            started,
            deadline,
            quick=quick,
            start=kept.start if quick else None,
            previous=kept,
        )

    result = students(quick=True)
    if not result.groups and not interrupted[0]:
        # The greedy placement around the published one broke a rule (say tutor groups
        # too full for the newcomers): search the students' model instead, which may
        # move students nobody asked to move, rather than give no timetable.
        stats["students_searched"] = True
        result = students(quick=False)
    final = SolveStats({**stats, **result.stats})
    if result.groups:
        engine.report_not_run(
            final,
            planned,
            groups,
            [g for g in everything if g.id in staffing.unstaffed],
            {**not_run, **missing},
        )
    return replace(result, wall_s=round(time.monotonic() - started, 2), stats=final)


def _place_lessons(
    school,
    planned,
    staff_of,
    runs,
    tentative,
    keep_times,
    opts,
    prog,
    stats,
    deadline,
    interrupted,
    cap=(None, None),
):
    """Times for every group: the published runs if they all still hold; else the fewest
    moves that keep every student's published core groups apart (then, if there is
    none, the fewest moves with clashes at a cost). ``cap`` (students not asked to change
    per group, most of them whose groups may move) bounds the moves. Returns (timed
    groups, reasons) or a failed Solution."""
    prog.update(phase="keeping lessons where they are")
    found: dict[str, tuple[tuple[int, ...], ...]] | None = None
    status = cp_model.UNKNOWN
    for strictness in (Strictness.CORE, Strictness.SOFT):
        tm, terms = engine.timetable_model(
            school, planned, staff_of, {}, tentative, strictness, (), stats
        )
        if len(runs) == len(planned) and engine.holds(tm, runs, opts, interrupted, prog):
            stats["lessons_moved"] = 0
            return engine.timed_from_runs(school, planned, staff_of, tm, runs, stats)
        last = strictness is Strictness.SOFT
        found, status = _fewest_moves(
            tm, terms, planned, runs, keep_times, opts, prog, deadline, interrupted, last, cap
        )
        if found is not None:
            break
    if found is None:
        why = (
            engine.diagnose_timetable(school, planned, staff_of, opts)
            if status == cp_model.INFEASIBLE
            else ["no timetable close to the published one was found within the time limit"]
        )
        if cap[1] is not None and status == cp_model.INFEASIBLE:
            capped = (
                f"with --max-changed {cap[1]} no timetable exists: moving the lessons that "
                f"must move changes more than {cap[1]} students who asked for no change; "
                "raise the cap"
            )
            why = [capped, *why]
        if keep_times and status == cp_model.INFEASIBLE:
            stuck = (
                "with --keep times no timetable exists: the lessons that must move (their "
                "published times break a rule now) have nowhere to go while every other "
                "lesson stays; re-solve without --keep times to let others move too"
            )
            why = [stuck, *why]
        return engine.failed_solution(
            school,
            Status.INFEASIBLE if status == cp_model.INFEASIBLE else Status.UNKNOWN,
            why,
            time.monotonic(),
        )
    stats["published_kept_apart"] = strictness.value
    stats["lessons_moved"] = sum(
        1 for gid, old in runs.items() for a, b in zip(old, found.get(gid, ())) if a != b
    )
    return engine.timed_from_runs(school, planned, staff_of, tm, found, stats)


def _fewest_moves(
    tm, terms, planned, runs, keep_times, opts, prog, deadline, interrupted, last, cap=(None, None)
):
    """(runs for every group, moving as few published lessons as it can: each costs
    ``MOVE_WEIGHT``; or None when nothing was found) and the search's status. The strict
    try (``last`` false) gets half the time of the last."""
    stay = []
    variables = tm.model.proto.variables
    for g in planned:
        if g.id not in runs:
            continue
        engine.fix_value(variables[tm.placed[g.id].index], 1)
        for per, run in zip(tm.place[g.id], runs[g.id]):
            v = per.get(run)
            if v is None:
                continue  # its run is no longer allowed: it must move
            if keep_times:
                engine.fix_value(variables[v.index], 1)
            stay.append(v)
            tm.model.add_hint(v, 1)
    bystanders, most = cap
    if bystanders is not None and most is not None:
        # A group moves if any of its lessons leaves its published run: its students not
        # asked to change then change (counted once per group: a bound from above).
        affected = []
        for g in planned:
            n = bystanders.get(g.id, 0)
            if not n or g.id not in runs:
                continue
            moves = tm.model.new_bool_var(f"moves[{g.id}]")
            for per, run in zip(tm.place[g.id], runs[g.id]):
                v = per.get(run)
                tm.model.add(moves == 1) if v is None else tm.model.add(moves >= 1 - v)
            affected.append(n * moves)
        tm.model.add(sum(affected) <= most)
    moved = Term("lessons_moved", sum(1 - v for v in stay), MOVE_WEIGHT)
    engine.set_objective(tm.model, [*terms, moved])
    prog.update(phase="moving the lessons that must move")
    share = TIMES_SHARE if last else TIMES_SHARE / 2
    budget = max(1.0, share * (deadline - engine.clock_now()))
    solver, status = engine.run_search(
        tm.model, budget, opts, None, interrupted, lambda: prog.update(), kind="resolve"
    )
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, status
    return engine.runs_of(tm, tm.model, solver), status


def _rooms_by_lesson(planned, published: Solution, timed) -> dict[tuple[str, int], str]:
    """The published room of each (group, lesson index) whose lesson kept its run."""
    out: dict[tuple[str, int], str] = {}
    for g in timed:
        old = published.group_by_id.get(g.id)
        if old is None:
            continue
        room_at = {lesson.slots: lesson.room for lesson in old.lessons}
        for li, lesson in enumerate(g.lessons):
            room = room_at.get(tuple(lesson.slots))
            if room is not None:
                out[(g.id, li)] = room
    return out
