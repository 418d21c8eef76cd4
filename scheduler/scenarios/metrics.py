"""The figures a curriculum lead compares between scenarios, counted from a timetable.

Everything here is counted from the :class:`~scheduler.solution.Solution` and the
school, the way the checker counts (running groups only, tutor time as occupied time),
never from solver values. :data:`COLUMNS` lists the figures once, with their headings
and formats, for the terminal table, ``comparison.xlsx`` and ``comparison.html`` alike.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from statistics import mean
from typing import Any

from scheduler.model import School
from scheduler.score import figures, idle_count, pct, running_groups, students_occupied
from scheduler.solution import Solution

__all__ = ["COLUMNS", "Column", "RunFigures", "run_figures"]


@dataclass(frozen=True)
class RunFigures:
    """One solved school's figures (percentages 0-100; ``None`` when there is nothing to count)."""

    status: str
    wall_s: float
    objective: float | None
    bound: float | None
    students: int
    staff: int
    rooms: int
    slots: int
    requests_core: int
    core_met_pct: float | None
    options_met_pct: float | None
    first_choice_met_pct: float | None
    students_fully_satisfied: int
    students_fully_satisfied_pct: float | None
    groups: int
    group_size_mean: float | None
    group_size_min: int | None
    group_size_max: int | None
    staff_load_mean: float | None  # periods taught per cycle, over every member of staff
    staff_load_max: int | None
    idle_per_student: float | None  # idle periods per student per cycle
    unique_timetables_pct: float | None  # students whose set of groups nobody else has
    room_use: dict[str, float] = field(default_factory=dict)  # room type -> % of room-slots used
    hard_violations: int = 0
    interrupted: bool = False

    @property
    def gap_pct(self) -> float | None:
        """How far the timetable might still be from the best possible, in % of its score."""
        if self.objective is None or self.bound is None:
            return None
        if not 0 <= self.bound <= self.objective:
            # A bound from a solver phase that scores differently says nothing here.
            return None
        return round(100.0 * (self.objective - self.bound) / max(1.0, self.objective), 1)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["gap_pct"] = self.gap_pct
        return out


def run_figures(school: School, solution: Solution, hard_violations: int = 0) -> RunFigures:
    """Count the comparison figures of ``solution`` for ``school``."""
    groups = running_groups(solution)
    f = figures(school, solution)
    sizes = [g.size for g in groups]

    # Staff load: periods taught in the cycle, counting every member of staff.
    load: Counter[str] = Counter({t.id: 0 for t in school.staff})
    for g in groups:
        for t in g.staff:
            load[t] += len(g.slots)

    # Room use: of the slots each room is open, the share in which it holds a lesson.
    used: dict[str, set[int]] = defaultdict(set)
    for g in groups:
        for lesson in g.lessons:
            if lesson.room is not None:
                used[lesson.room].update(lesson.slots)
    open_by_type: Counter[str] = Counter()
    used_by_type: Counter[str] = Counter()
    for room in school.rooms:
        open_slots = school.room_open(room)
        for t in room.types:
            open_by_type[t] += open_slots
            used_by_type[t] += len(used.get(room.id, set()) - room.unavailable)
    room_use = {t: pct(used_by_type[t], open_by_type[t]) or 0.0 for t in sorted(open_by_type)}

    # Students' idle periods and how personal their timetables are.
    occupied = students_occupied(school, groups, solution.tutor_of)
    signature: dict[str, frozenset[str]] = defaultdict(frozenset)
    member: dict[str, list[str]] = defaultdict(list)
    for g in groups:
        for s in g.students:
            member[s].append(g.id)
    for st in school.students:
        signature[st.id] = frozenset(member.get(st.id, ()))
    idle = [idle_count(school, occupied[st.id]) for st in school.students]
    shared = Counter(signature.values())
    unique = sum(1 for st in school.students if shared[signature[st.id]] == 1)

    return RunFigures(
        status=solution.status.value,
        wall_s=round(solution.wall_s, 1),
        objective=solution.objective,
        bound=solution.bound,
        students=f.students,
        staff=len(school.staff),
        rooms=len(school.rooms),
        slots=school.calendar.num_slots,
        requests_core=f.requests_core,
        core_met_pct=f.core_met_pct,
        options_met_pct=f.options_met_pct,
        first_choice_met_pct=f.first_choice_met_pct,
        students_fully_satisfied=f.students_fully_satisfied,
        students_fully_satisfied_pct=f.students_fully_satisfied_pct,
        groups=len(groups),
        group_size_mean=round(mean(sizes), 1) if sizes else None,
        group_size_min=min(sizes) if sizes else None,
        group_size_max=max(sizes) if sizes else None,
        staff_load_mean=round(mean(load.values()), 1) if load else None,
        staff_load_max=max(load.values()) if load else None,
        idle_per_student=round(mean(idle), 2) if idle else None,
        unique_timetables_pct=pct(unique, len(school.students)),
        room_use=room_use,
        hard_violations=hard_violations,
        interrupted=solution.interrupted,
    )


@dataclass(frozen=True)
class Column:
    """A figure as the comparison shows it: key, heading, unit, and whether more is better."""

    key: str
    heading: str
    unit: str = ""
    higher_is_better: bool | None = None  # None: neither (a size, a time)
    digits: int = 1

    def value(self, figs: RunFigures) -> Any:
        return figs.as_dict().get(self.key)

    def text(self, figs: RunFigures | None) -> str:
        if figs is None:
            return "-"
        v = self.value(figs)
        if v is None:
            return "-"
        if isinstance(v, float):
            return f"{v:.{self.digits}f}{self.unit}"
        return f"{v}{self.unit}"


#: The comparison's figures, in the order they are shown.
COLUMNS: tuple[Column, ...] = (
    Column("students", "Students", digits=0),
    Column("core_met_pct", "Core met", "%", True),
    Column("options_met_pct", "Options met", "%", True),
    Column("first_choice_met_pct", "First choices met", "%", True),
    Column("students_fully_satisfied", "Students fully satisfied", "", True, 0),
    Column("students_fully_satisfied_pct", "Fully satisfied", "%", True),
    Column("groups", "Groups", digits=0),
    Column("group_size_mean", "Mean group size"),
    Column("group_size_min", "Smallest group", digits=0),
    Column("group_size_max", "Largest group", digits=0),
    Column("staff", "Staff", digits=0),
    Column("staff_load_mean", "Staff load, mean (periods)"),
    Column("staff_load_max", "Staff load, max (periods)", digits=0),
    Column("idle_per_student", "Idle periods per student", "", False, 2),
    Column("unique_timetables_pct", "Unique timetables", "%", True),
    Column("status", "Solve status"),
    Column("wall_s", "Solve time (s)"),
    Column("objective", "Score (lower is better)", "", False, 0),
    Column("bound", "Best possible score", "", None, 0),
    Column("gap_pct", "Gap to best possible", "%", False),
    Column("hard_violations", "Check: rules broken", "", False, 0),
)
