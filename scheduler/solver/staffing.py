"""Staffing: who teaches each planned group, before any time is placed.

Schools staff their curriculum before they timetable it; doing the same keeps the
timetable model linear (a member of staff's lessons are a fixed set of groups). Each
group gets ``staff_per_group`` distinct eligible staff (rule 5: the same staff for all
its lessons), within each person's ``max_periods`` and free periods (rule 11: lessons
only). Loads are balanced, and a course's groups are spread over several teachers
where possible so they can run side by side.

Team-taught groups (``staff_per_group`` > 1) are staffed by fixed teams where possible:
two such groups whose staff partly overlap can never run at once, yet neither can run
alongside a third group of the remaining staff. Measured on the 2,000-student
all-through example: project groups of 3 staff drawn freely from 6 pairwise shared
someone, so all 10 three-period project blocks had to run one after another, which did
not fit the week.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.model import School
from scheduler.plan import PlannedGroup, lessons_fit
from scheduler.solver.budget import Clock, solve_phase


@dataclass(frozen=True)
class Staffing:
    """The outcome: staff per group id, or the reasons it could not be done."""

    staff_of: dict[str, tuple[str, ...]]  # only the groups that could be staffed
    problems: tuple[str, ...] = ()
    unstaffed: tuple[str, ...] = ()  # optional groups left out for want of staff
    #: Of those, the ones no qualified person is free to teach on enough days.
    unfit: tuple[str, ...] = ()
    timed_out: bool = False  # no answer in time (not proof that staff are short)


def assign_staff(
    school: School,
    groups: tuple[PlannedGroup, ...],
    time_limit: float,
    seed: int,
    workers: int,
    clock: Clock | None = None,
    keep: dict[str, tuple[str, ...]] | None = None,
    published_slots: dict[str, frozenset[int]] | None = None,
    keep_hard: bool = False,
    quick: bool = False,
) -> Staffing:
    """Staff for every planned group (see the module docstring). ``keep`` (group id ->
    staff: a published timetable's, when re-solving) is kept wherever it still may be:
    each person taken off a group costs more than any balance of loads, and a group that
    must change staff goes where possible to someone free at its ``published_slots``
    (group id -> slots), so that its lessons need not move. ``keep_hard`` (``solve --from
    ... --keep staff``): every kept person who may still teach the group must.
    ``quick`` (a first timetable's staffing, done again with more time when it is cut
    short): when the search with every needed group staffed ends unanswered, the answer
    is "timed out" rather than the drop over every group."""
    keep = keep or {}
    published_slots = published_slots or {}
    m = cp_model.CpModel()
    pick: dict[str, dict[str, cp_model.IntVar]] = {}
    load: dict[str, list] = defaultdict(list)
    per_course: dict[tuple[str, str], list] = defaultdict(list)
    problems = []
    used: dict[str, cp_model.IntVar] = {}
    dropped: list = []
    unfit: list[str] = []  # optional groups nobody free on enough days may teach
    busy = {p.id: school.staff_busy(p.id) for p in school.staff}
    for g in groups:
        course = school.course_by_id[g.course]
        qualified = [p for p in school.eligible_staff(course) if p in school.staff_by_id]
        # Only staff whose free days can hold the course's lessons (a part-timer free on
        # three days cannot teach a four-lesson course: such groups could never be placed).
        eligible = [p for p in qualified if lessons_fit(school, course.lessons, busy[p])]
        if len(eligible) < course.staff_per_group:
            if g.required or len(qualified) < course.staff_per_group:
                problems.append(
                    f"{course.label} needs {course.staff_per_group} staff per group but only "
                    f"{len(eligible)} may teach it"
                    + (
                        f" on enough free days for its {len(course.lessons)} lessons"
                        if len(eligible) < len(qualified)
                        else ""
                    )
                )
            else:
                unfit.append(g.id)
            continue
        pick[g.id] = {p: m.new_bool_var(f"z[{g.id},{p}]") for p in eligible}
        # Locks (the Locks sheet): a locked group has exactly its locked staff.
        problems.extend(_keep_locked_staff(school, g.id, pick[g.id], m))
        if g.required:
            m.add(sum(pick[g.id].values()) == course.staff_per_group)
        else:
            # Optional: a group nobody can teach is dropped, costing by its priority.
            used[g.id] = m.new_bool_var(f"staffed[{g.id}]")
            m.add(sum(pick[g.id].values()) == course.staff_per_group * used[g.id])
            dropped.append((10 ** (2 * g.priority)) * (1 - used[g.id]))
        for p, v in pick[g.id].items():
            load[p].append(course.periods * v)
            per_course[(p, g.course)].append(v)
    if problems:
        return Staffing({}, tuple(problems))
    ratio = m.new_int_var(0, 1000, "max_load_permille")
    for p, parts in load.items():
        cap = school.staff_capacity(p)
        m.add(sum(parts) <= cap)
        if cap > 0:
            m.add(1000 * sum(parts) <= ratio * cap)
    doubled = []
    for (_, cid), vs in per_course.items():
        if len(vs) > 1 and school.course_by_id[cid].staff_per_group == 1:
            extra = m.new_int_var(0, len(vs), "")
            m.add(extra >= sum(vs) - 1)
            doubled.append(extra)
    balance = 10 * ratio + sum(doubled) + TEAM_WEIGHT * sum(_partial_teams(school, groups, pick, m))
    changed = [
        1 - pick[gid][p] for gid, staff in keep.items() for p in staff if p in pick.get(gid, {})
    ]
    if keep_hard:
        for gid, staff in keep.items():
            for p in staff:
                if p in pick.get(gid, {}):
                    m.add(pick[gid][p] == 1)
    if changed:
        busy_then: dict[str, set[int]] = defaultdict(set)
        for gid, staff in keep.items():
            for p in staff:
                busy_then[p].update(published_slots.get(gid, ()))
        # Taking on a group whose published times meet one's own published lessons.
        clash = [
            v
            for gid, row in pick.items()
            for p, v in row.items()
            if p not in keep.get(gid, ()) and busy_then[p] & published_slots.get(gid, frozenset())
        ]
        balance = KEEP_WEIGHT * sum(changed) + CLASH_WEIGHT * sum(clash) + balance
        for gid, staff in keep.items():
            for p, v in pick.get(gid, {}).items():
                m.add_hint(v, p in staff)
    # First: every group staffed, loads balanced. The lexicographic weights of the full
    # model slow CP-SAT badly (2,000 students: 5 groups dropped in 10 s, none in 40 s),
    # while this model usually solves at once.
    every = m.clone()
    for v in used.values():
        every.add(every.get_bool_var_from_proto_index(v.index) == 1)
    every.minimize(balance)

    def solve(
        model: cp_model.CpModel, seconds: float, presolve: bool = True
    ) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
        return solve_phase(model, seconds, clock, "staffing", seed, workers, presolve=presolve)

    solver, status = solve(every, max(1.0, time_limit / 2))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) and dropped:
        # Not everything can be staffed: first the fewest (least needed) groups dropped,
        # alone, then loads balanced with those groups out. Together, the drop's huge
        # weight hid the balance's bound and the balance improved slowly (B: 2 groups
        # dropped at 2 s, 1 at 4.3 s).
        # The drop first with every group the requests need staffed (only spare groups,
        # planned for choice of times, may go): where staff have periods to spare, only
        # spare groups go, and this search is proven at once or nearly (A and B: 1.4 s).
        # The drop over all groups at once, on a wall-clock limit, left groups the
        # requests need unstaffed, even a course's first group: B 10 (PRJ.1, PE77.1),
        # a 3,000-student copy of A 91, of B 356 (BENCHMARKS.md, thirty-sixth session).
        # With presolve: on the 3,000-student copy of A it then dropped 63 spare groups
        # in its time, without 165. The balance after it runs without presolve: reached
        # in 3 s, it beat what the one search with presolve reached in 6 s (1,500
        # students: 10,649 against 11,004). (When every group can be staffed, that one
        # search keeps its presolve: without it, on a 2,791-student school, the
        # staffing's lessons could not all be placed in a 300 s solve, once, where with
        # it they were.)
        spare = {g.id for g in groups if g.spare}
        needed = m.clone()
        for gid, v in used.items():
            if gid not in spare:
                needed.add(needed.get_bool_var_from_proto_index(v.index) == 1)
        needed.minimize(sum(dropped))
        solver, status = solve(needed, max(1.0, time_limit / 4))
        if status == cp_model.UNKNOWN and quick:
            # Not proof that staff are short: the drop over every group, in the same
            # short time, left 763 needed groups of 1,478 unstaffed on a 3,000-student
            # copy of the 600-student regression school, whose staffing with more time
            # leaves none (BENCHMARKS.md, thirty-seventh session).
            return Staffing({}, ("staffing cut short",), timed_out=True)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # Staff too few for the groups the requests need: the drop over all groups,
            # without presolve (then proven in 0.2-1.8 s on the regression schools).
            m.minimize(sum(dropped))
            solver, status = solve(m, max(1.0, time_limit / 4), presolve=False)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            for v in used.values():
                m.add(v == solver.value(v))
            m.clear_hints()
            for row in pick.values():
                for v in row.values():
                    m.add_hint(v, solver.value(v))
            m.minimize(balance)
            again, status2 = solve(m, max(1.0, time_limit / 4), presolve=False)
            if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                solver, status = again, status2
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if status == cp_model.UNKNOWN:
            return Staffing(
                {},
                (
                    (
                        f"choosing staff for {len(groups)} groups was not finished within "
                        f"{time_limit:.0f} s; try a longer --time-limit"
                    ),
                ),
                timed_out=True,
            )
        return Staffing({}, tuple(explain_shortage(school, groups)))
    staff_of = {
        gid: tuple(p for p, v in row.items() if solver.value(v))
        for gid, row in pick.items()
        if gid not in used or solver.value(used[gid])
    }
    unstaffed = tuple(unfit) + tuple(gid for gid, v in used.items() if not solver.value(v))
    return Staffing(staff_of, unstaffed=unstaffed, unfit=tuple(unfit))


#: Cost of taking one person off a group they taught in the published timetable: above
#: any balance of loads (10 per permille of the busiest load, at most 10,000).
KEEP_WEIGHT = 100_000
#: Cost of giving a group, when it must change staff, to someone busy at its published
#: times (its lessons would then move): below keeping staff, above any balance of loads.
CLASH_WEIGHT = 20_000

#: Cost of two team-taught groups sharing some but not all of their staff, against 10
#: per permille of the busiest person's load.
TEAM_WEIGHT = 20


def _partial_teams(
    school: School,
    groups: tuple[PlannedGroup, ...],
    pick: dict[str, dict[str, cp_model.IntVar]],
    m: cp_model.CpModel,
) -> list:
    """One Boolean per pair of team-taught groups that share some, but not all, staff."""
    team = [g for g in groups if g.id in pick and school.course_by_id[g.course].staff_per_group > 1]
    out = []
    for i, g1 in enumerate(team):
        for g2 in team[i + 1 :]:
            common = sorted(set(pick[g1.id]) & set(pick[g2.id]))
            if not common:
                continue
            k = min(
                school.course_by_id[g1.course].staff_per_group,
                school.course_by_id[g2.course].staff_per_group,
            )
            both = []
            for p in common:
                b = m.new_bool_var("")
                m.add_bool_and([pick[g1.id][p], pick[g2.id][p]]).only_enforce_if(b)
                m.add_bool_or([~pick[g1.id][p], ~pick[g2.id][p]]).only_enforce_if(~b)
                both.append(b)
            whole = m.new_bool_var("")  # the smaller team lies within the other
            m.add(sum(both) >= k).only_enforce_if(whole)
            partial = m.new_bool_var("")
            for b in both:
                m.add(partial >= b - whole)
            out.append(partial)
    return out


def explain_shortage(school: School, groups: tuple[PlannedGroup, ...]) -> list[str]:
    """Subjects whose groups need more periods than their qualified staff can give."""
    need: dict[tuple[str, ...], int] = defaultdict(int)
    labels: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for g in groups:
        course = school.course_by_id[g.course]
        key = tuple(sorted(school.eligible_staff(course)))
        need[key] += course.periods * course.staff_per_group
        labels[key].add(course.subject)
    out = []
    for key, periods in need.items():
        # Everyone who can teach any of these courses could help, so compare with all of it.
        have = sum(school.staff_capacity(p) for p in key if p in school.staff_by_id)
        if periods > have:
            out.append(
                f"{', '.join(sorted(labels[key]))}: the planned groups need {periods} periods "
                f"but the staff who may teach them ({', '.join(key)}) have {have}"
            )
    if not out:
        out.append(
            "staff cannot cover every planned group within their max_periods and free periods "
            "(shared staff are over-committed across subjects)"
        )
    return out


def _keep_locked_staff(
    school: School, gid: str, pick: dict[str, cp_model.IntVar], m: cp_model.CpModel
) -> list[str]:
    """Locks (the Locks sheet): the group's staff are its locked staff, nobody else; a
    locked person who may not teach it on enough free days is a problem (the solve
    cannot keep the lock)."""
    out = []
    for lock in school.locks_of.get(gid, ()):
        if not lock.staff:
            continue
        missing = [p for p in lock.staff if p not in pick]
        if missing:
            out.append(
                f"{gid} is locked to {', '.join(lock.staff)} ({lock.where}), but "
                f"{', '.join(missing)} may not teach it on enough free days for its lessons"
            )
        for p, v in pick.items():
            if p not in lock.staff:
                m.add(v == 0)
    return out
