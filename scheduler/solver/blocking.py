"""Option blocks: the option groups of a cohort arranged in columns that run side by side.

Schools make options work by *blocking*: the groups of option subjects are put in a few
blocks (columns); the groups of one block meet at the same times, and every student
takes at most one option per block. Chosen well, the blocks give nearly every student
all their options, and the timetable then only has to keep the blocks apart.

Phase ``blocking`` (a small CP-SAT model, before the timetable): for every cohort (the
option-only courses linked by the students who choose them, with one lesson pattern),
put each planned group in one of ``quota`` blocks and each student's options in distinct
blocks, maximising the options given (first choices worth most), within group sizes,
staff (a teacher teaches at most one group per block) and rooms (per block, no more
groups needing a kind of room than there are such rooms).

Timetable phase (rule ``option_blocks``, constraints/option_blocks.py): groups of one
block take the same runs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from ortools.sat.python import cp_model

from constraints.rooms import rooms_for
from constraints.student_clashes import blocked_slots
from scheduler.model import RequestType, School, Weights, rank_cost
from scheduler.plan import PlannedGroup, lessons_fit
from scheduler.solver.budget import Clock, solve_phase

#: An option met at a position is worth what the objective says with its default weights
#: (docs/objective.md), as in the greedy student placement.
_DEFAULT = Weights()


@dataclass
class Blocking:
    """Which groups run side by side, and a provisional group for each student's options."""

    blocks: list[list[str]] = field(default_factory=list)  # group ids meeting together
    placement: dict[str, dict[str, str]] = field(default_factory=dict)  # student -> course -> group
    given: int = 0
    asked: int = 0


def _cohorts(school: School, courses: set[str]) -> list[set[str]]:
    """Option-only courses linked by students who choose both, split by lesson pattern."""
    parent = {c: c for c in courses}

    def find(c: str) -> str:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for reqs in school.student_requests.values():
        mine = [r.course for r in reqs if r.type is RequestType.OPTION and r.course in courses]
        for a, b in pairwise(mine):
            parent[find(a)] = find(b)
    groups: dict[tuple[str, tuple[int, ...]], set[str]] = defaultdict(set)
    for c in courses:
        groups[(find(c), tuple(sorted(school.course_by_id[c].lessons)))].add(c)
    return [g for g in groups.values() if len(g) > 1]


def block_options(
    school: School,
    planned: tuple[PlannedGroup, ...],
    staff_of: dict[str, tuple[str, ...]],
    time_limit: float,
    seed: int,
    workers: int,
    clock: Clock | None = None,
) -> Blocking:
    """Arrange option groups in blocks (see module docstring)."""
    option_only = {
        c.id
        for c in school.courses
        if school.course_requests.get(c.id)
        and all(r.type is not RequestType.CORE for r in school.course_requests[c.id])
        and c.sections is None
    }
    by_course: dict[str, list[PlannedGroup]] = defaultdict(list)
    for g in planned:
        if g.course in option_only and g.id in staff_of:
            by_course[g.course].append(g)
    result = Blocking()
    cohorts = _cohorts(school, set(by_course))
    for cohort in cohorts:
        # ``time_limit`` is for all cohorts together.
        _block_cohort(
            school,
            cohort,
            by_course,
            staff_of,
            time_limit / len(cohorts),
            seed,
            workers,
            result,
            clock,
        )
    return result


def _block_cohort(
    school,
    cohort,
    by_course,
    staff_of,
    time_limit,
    seed,
    workers,
    result,
    clock: Clock | None = None,
) -> None:
    students = sorted(
        {
            r.student
            for c in cohort
            for r in school.course_requests[c]
            if r.type is RequestType.OPTION
        }
    )
    # As many blocks as a student of the cohort can take options in it (their quota, at
    # most the cohort's options they chose): an option of another cohort (another
    # lesson pattern) is not in these blocks, and an extra block only takes slots.
    k = max(
        min(
            school.option_quota(s),
            sum(
                1
                for r in school.student_requests[s]
                if r.type is RequestType.OPTION and r.course in cohort
            ),
        )
        for s in students
    )
    if k < 2:
        return
    m = cp_model.CpModel()
    groups = [g for c in sorted(cohort) for g in by_course[c]]
    blk = {(g.id, b): m.new_bool_var(f"b[{g.id},{b}]") for g in groups for b in range(k)}
    for g in groups:
        # At most one block: a group left out of every block (say its teacher has more
        # groups in the cohort than there are blocks) gives no student a provisional
        # place, and is timetabled like any other group.
        m.add_at_most_one(blk[(g.id, b)] for b in range(k))
    teaches: dict[str, list[str]] = defaultdict(list)
    for g in groups:
        for p in staff_of[g.id]:
            teaches[p].append(g.id)
    for gids in teaches.values():
        for b in range(k):
            if len(gids) > 1:
                m.add_at_most_one(blk[(gid, b)] for gid in gids)
    # Two groups whose slots closed to them together (their staff's unavailability and
    # tutor time, slots none of their course's students can attend) leave too few days
    # for the lessons never share a block: such a block could never meet (a
    # 600-student school's sixth-form block of two part-timers' groups and students at
    # home on Fridays made every rung with blocks infeasible).
    closed = {g.id: _closed(school, g, staff_of[g.id]) for g in groups}
    lessons = {g.id: school.course_by_id[g.course].lessons for g in groups}
    for i, g1 in enumerate(groups):
        for g2 in groups[i + 1 :]:
            if not lessons_fit(school, lessons[g1.id], closed[g1.id] | closed[g2.id]):
                for b in range(k):
                    m.add_at_most_one([blk[(g1.id, b)], blk[(g2.id, b)]])
    kinds: dict[frozenset[str], list[str]] = defaultdict(list)
    for g in groups:
        course = school.course_by_id[g.course]
        if not course.online:
            kinds[frozenset(rooms_for(school, course))].append(g.id)
    for kind, gids in kinds.items():
        room_count = sum(school.room_by_id[r].max_groups for r in kind)
        for b in range(k):
            m.add(sum(blk[(gid, b)] for gid in gids) <= max(1, room_count))
    # Students: each chosen option in one block (or none); one option per block.
    course_in: dict[tuple[str, int], cp_model.IntVar] = {}
    for c in cohort:
        for b in range(k):
            v = m.new_bool_var(f"open[{c},{b}]")
            m.add_max_equality(v, [blk[(g.id, b)] for g in by_course[c]])
            course_in[(c, b)] = v
    take: dict[tuple[str, str, int], cp_model.IntVar] = {}
    value = []
    seats: dict[tuple[str, int], list] = defaultdict(list)
    for s in students:
        order = [school.requests[i] for i in school.choice_order(s)]
        wanted = [
            (p, r.course)
            for p, r in enumerate(order, start=1)
            if r.type is RequestType.OPTION and r.course in cohort
        ]
        for p, c in wanted:
            row = []
            for b in range(k):
                v = m.new_bool_var("")
                m.add_implication(v, course_in[(c, b)])
                take[(s, c, b)] = v
                row.append(v)
                seats[(c, b)].append(v)
            m.add_at_most_one(row)
            value.append((_DEFAULT.option - _DEFAULT.rank * rank_cost(p)) * sum(row))
        for b in range(k):
            m.add_at_most_one(take[(s, c, b)] for _, c in wanted)
    for (c, b), vs in seats.items():
        cap = school.course_by_id[c].max_size
        m.add(sum(vs) <= sum(cap * blk[(g.id, b)] for g in by_course[c]))
    m.maximize(sum(value))
    # Within half a percent is good enough.
    solver, status = solve_phase(
        m, max(1.0, time_limit), clock, "blocking", seed, workers, gap=0.005
    )
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return
    members: dict[int, list[str]] = defaultdict(list)
    for g in groups:
        for b in range(k):
            if solver.value(blk[(g.id, b)]):
                members[b].append(g.id)
    result.blocks.extend(gids for gids in members.values() if len(gids) > 1)
    # Provisional groups: fill each block's groups of a course in turn.
    fill: dict[str, int] = defaultdict(int)
    for (s, c, b), v in sorted(take.items()):
        if not solver.value(v):
            continue
        options = [g.id for g in by_course[c] if g.id in members[b]]
        pick = min(options, key=lambda gid: fill[gid])
        fill[pick] += 1
        result.placement.setdefault(s, {})[c] = pick
        result.given += 1
    result.asked += sum(
        1
        for s in students
        for r in school.student_requests[s]
        if r.type is RequestType.OPTION and r.course in cohort
    )


def _closed(school: School, group: PlannedGroup, staff: tuple[str, ...]) -> frozenset[int]:
    """Slots a group can never meet at: its staff's, and those none of its course's
    students can attend."""
    out: set[int] = set()
    for p in staff:
        out |= school.staff_busy(p)
    course = school.course_by_id[group.course]
    always: set[int] | None = None
    for r in school.course_requests.get(course.id, ()):
        b = blocked_slots(school, r.student, course.online)
        always = set(b) if always is None else always & b
        if not always:
            break
    return frozenset(out | (always or set()))
