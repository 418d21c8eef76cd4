"""Large-neighbourhood search over the section model: better student placements, a few
students at a time.

On a large school CP-SAT's search over the whole section model finds nothing better than
the greedy placement it starts from (measured: on 1,000 and 2,000 students the greedy's
objective was the final one in every benchmark run). Here every student but a small
neighbourhood is held at their current groups and tutor group, every room is held but
those of the groups of the courses the neighbourhood grew from, and CP-SAT re-places the
neighbourhood exactly. A better placement is kept; the next neighbourhood starts from it.

A neighbourhood grows from a few unmet requests (core first, then options of students
short of their quota, otherwise any request): the student, others in the groups of the
course they are missing (who might move to another group of it to make room), and others
in the student's own groups' courses (who might swap groups with them).

Like the rest of the model building, this module speaks CP-SAT: it changes variable
domains in the model in place for one search and restores them after.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from constraints.base import SectionModel
from scheduler.model import RequestType
from scheduler.solver.budget import Clock, wall_clock

#: Unmet requests a neighbourhood grows from.
SEEDS = 3
#: Students drawn into a neighbourhood per seed, at first; it grows while the searches
#: prove their neighbourhoods optimal quickly and shrinks while they do not.
FIRST_SIZE, MIN_SIZE, MAX_SIZE = 20, 5, 400

Search = Callable[[cp_model.CpModel, float], tuple[cp_model.CpSolver, cp_model.CpSolverStatus]]


class _Hood:
    """Where each student's variables are, and which students are in which groups."""

    def __init__(self, sm: SectionModel) -> None:
        self.sm = sm
        self.take = {s: {g: v.index for g, v in row.items()} for s, row in sm.take.items()}
        self.tutor = {s: [v.index for v in row.values()] for s, row in sm.tutor.items()}
        self.rooms: dict[str, list[int]] = defaultdict(list)
        for (gid, _), row in sm.room.items():
            self.rooms[gid].extend(v.index for v in row.values())
        self.met = {i: v.index for i, v in sm.met.items()}
        self.members: dict[str, set[str]] = {}

    def seen(self, values: list[int]) -> None:
        """Record who is in which group in ``values``."""
        self.members = defaultdict(set)
        for s, row in self.take.items():
            for gid, i in row.items():
                if values[i]:
                    self.members[gid].add(s)

    def seeds(self, values: list[int], rng: random.Random) -> list[int]:
        """Request indices to grow from: unmet core, else options short of quota, else any."""
        school = self.sm.school
        core, short = [], []
        met_options: dict[str, int] = defaultdict(int)
        for i, req in enumerate(school.requests):
            if req.type is not RequestType.CORE and values[self.met[i]]:
                met_options[req.student] += 1
        for i, req in enumerate(school.requests):
            if values[self.met[i]]:
                continue
            if req.type is RequestType.CORE:
                core.append(i)
            elif met_options[req.student] < school.option_quota(req.student):
                short.append(i)
        pool = core or short or list(range(len(school.requests)))
        picked = rng.sample(pool, min(SEEDS, len(pool)))
        if core and len(picked) < SEEDS and short:
            picked += rng.sample(short, min(SEEDS - len(picked), len(short)))
        return picked

    def grow(
        self, seeds: list[int], per_seed: int, rng: random.Random, values: list[int]
    ) -> set[str]:
        """The students of one neighbourhood."""
        sm, school = self.sm, self.sm.school
        hood: set[str] = set()
        for i in seeds:
            req = school.requests[i]
            hood.add(req.student)
            others: set[str] = set()
            for g in sm.course_groups.get(req.course, []):
                others |= self.members.get(g.id, set())
            for gid, j in self.take.get(req.student, {}).items():
                if values[j]:
                    for g in sm.course_groups.get(sm.group_by_id[gid].course, []):
                        others |= self.members.get(g.id, set())
            others -= hood
            hood |= set(rng.sample(sorted(others), min(per_seed, len(others))))
        return hood

    def held(self, hood: set[str], seeds: list[int]) -> set[int]:
        """Variable indices held at their current values while ``hood`` is re-placed.

        Rooms stay where they are, except for the groups of the seeds' courses (which may
        need a larger room to take the seed student): freeing the rooms of every group the
        neighbourhood could join left most rooms of a large school free, and each search
        spent its time there.
        """
        if hood >= self.take.keys():
            return set()  # everyone is in: the whole model, nothing held
        out: list[int] = []
        for s, row in self.take.items():
            if s not in hood:
                out.extend(row.values())
        for s, idxs in self.tutor.items():
            if s not in hood:
                out.extend(idxs)
        courses = {self.sm.school.requests[i].course for i in seeds}
        for gid, idxs in self.rooms.items():
            if self.sm.group_by_id[gid].course not in courses:
                out.extend(idxs)
        return set(out)


def improve_sections(
    sm: SectionModel,
    start: cp_model.CpSolver,
    search: Search,
    budget: float,
    seed: int,
    stop: Callable[[], bool],
    on_better: Callable[[cp_model.CpSolver], None],
    clock: Clock | None = None,
) -> tuple[cp_model.CpSolver, dict[str, float]]:
    """Improve the section model's solution held by ``start`` for ``budget`` seconds.

    ``search(model, limit)`` runs one CP-SAT search; ``stop()`` says to finish now (Ctrl-C).
    Returns the solver holding the best solution (``start`` if nothing better was found)
    and figures for the summary. ``clock`` (scheduler.solver.budget) says how time is counted:
    by the wall where none is given.
    """
    clock = clock or wall_clock(budget)
    began = clock.now()
    proto = sm.model.proto
    n = len(proto.variables)
    lows = [v.domain[0] for v in proto.variables]
    highs = [v.domain[len(v.domain) - 1] for v in proto.variables]
    best = start
    values = list(start.response_proto.solution)
    objective = start.objective_value
    hood_of = _Hood(sm)
    hood_of.seen(values)
    rng = random.Random(seed)
    per_seed = FIRST_SIZE
    # One search: long enough to load the model and search a little (about 1 s on 1,000
    # students, more on larger schools).
    limit = 1.0 + 0.5 * len(sm.school.students) / 1000
    tries = better = 0
    held: set[int] = set()  # variables now held at their value (changed only where needed)

    def hold(want: set[int]) -> None:
        nonlocal held
        for i in want - held:
            d = proto.variables[i].domain
            d[0] = d[len(d) - 1] = values[i]
        for i in held - want:
            d = proto.variables[i].domain
            d[0], d[len(d) - 1] = lows[i], highs[i]
        held = want

    try:
        while not stop() and clock.now() - began + 0.5 * limit < budget:
            tries += 1
            seeds = hood_of.seeds(values, rng)
            hood = hood_of.grow(seeds, per_seed, rng, values)
            hold(hood_of.held(hood, seeds))
            proto.clear_solution_hint()
            proto.solution_hint.vars.extend(range(n))
            proto.solution_hint.values.extend(values)
            left = budget - (clock.now() - began)
            solver, status = search(sm.model, max(0.2, min(limit, left)))
            whole = not held
            took = clock.search_seconds(solver.deterministic_time, solver.wall_time)
            if status == cp_model.OPTIMAL and took < 0.5 * limit:
                per_seed = min(MAX_SIZE, int(per_seed * 1.25) + 1)
            elif status != cp_model.OPTIMAL:
                per_seed = max(MIN_SIZE, int(per_seed * 0.8))
            if (
                status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
                and solver.objective_value < objective - 0.5
            ):
                better += 1
                best, objective = solver, solver.objective_value
                # Only the neighbourhood's variables changed: held ones keep their values.
                values = list(solver.response_proto.solution)
                hood_of.seen(values)
                on_better(best)
            if whole and status == cp_model.OPTIMAL:
                break  # the whole model solved to optimality: nothing left to improve
    finally:
        hold(set())
    proto.clear_solution_hint()
    return best, {
        "neighbourhoods_tried": tries,
        "neighbourhoods_better": better,
        "neighbourhood_students": per_seed,
    }
