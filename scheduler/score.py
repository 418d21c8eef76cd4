"""The figures of a timetable: who is placed where, the headline figures, the objective
recomputed term by term (docs/objective.md), idle periods and what became of each request.

One library for everything that counts a timetable: the checker (:mod:`scheduler.checker`,
which judges the rules and reports these figures), the writer (``summary.json`` and
``requests.csv``: :mod:`scheduler.outputs.write`), the reader (:mod:`scheduler.outputs.read`),
the unmet requests' reasons (:mod:`scheduler.reasons`) and the scenario comparison
(:mod:`scheduler.scenarios.metrics`). So the figures a solve writes and the figures a check
reports can never disagree by accident.

Only groups that run (one student or more) count: an empty group is not taught.
Domain code: never imports OR-Tools, ``constraints/`` or the solver.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields

from scheduler.model import Request, RequestType, School, Student, Weights
from scheduler.model import rank_cost as rank_of
from scheduler.solution import Group, RequestOutcome, RequestStatus, Solution


def pct(part: float, whole: float) -> float | None:
    """``part`` as a percentage of ``whole`` to one decimal; None when ``whole`` is 0 (the
    figures' and the scenario metrics' percentages alike)."""
    return round(100.0 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class Figures:
    """Headline figures of a timetable (written to summary.json, shown by ``check``)."""

    students: int
    requests_core: int
    requests_core_met: int
    requests_option: int  # number of `option` requests = sum of the students' option quotas
    requests_option_met: int  # options and alternates met
    first_choice_met: int  # students whose choice at position 1 is met
    students_with_choices: int  # students with at least one option or alternate
    students_fully_satisfied: int  # every core and every option met
    groups: int  # groups with at least one student

    @property
    def core_met_pct(self) -> float | None:
        return pct(self.requests_core_met, self.requests_core)

    @property
    def options_met_pct(self) -> float | None:
        return pct(self.requests_option_met, self.requests_option)

    @property
    def first_choice_met_pct(self) -> float | None:
        return pct(self.first_choice_met, self.students_with_choices)

    @property
    def students_fully_satisfied_pct(self) -> float | None:
        return pct(self.students_fully_satisfied, self.students)

    def as_dict(self) -> dict[str, int | float | None]:
        """The figures as summary.json keys (percentages are None when there is nothing to count)."""
        return {
            "students": self.students,
            "requests_core": self.requests_core,
            "requests_core_met": self.requests_core_met,
            "requests_option": self.requests_option,
            "requests_option_met": self.requests_option_met,
            "options_quota": self.requests_option,
            "first_choice_met": self.first_choice_met,
            "students_with_choices": self.students_with_choices,
            "groups": self.groups,
            "students_fully_satisfied": self.students_fully_satisfied,
            "core_met_pct": self.core_met_pct,
            "options_met_pct": self.options_met_pct,
            "first_choice_met_pct": self.first_choice_met_pct,
            "students_fully_satisfied_pct": self.students_fully_satisfied_pct,
        }


def figure_keys() -> tuple[str, ...]:
    """The summary.json keys that :meth:`Figures.as_dict` gives."""
    zero = Figures(**{f.name: 0 for f in fields(Figures)})
    return tuple(zero.as_dict())


def running_groups(solution: Solution) -> tuple[Group, ...]:
    """Groups that run: those with at least one student (an empty group is not taught)."""
    return tuple(g for g in solution.groups if g.students)


def placements(solution: Solution) -> dict[str, dict[str, list[str]]]:
    """student -> course -> ids of the running groups of that course the student is in."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for g in running_groups(solution):
        for s in g.students:
            out[s][g.course].append(g.id)
    return out


def is_met(placed: dict[str, dict[str, list[str]]], req: Request) -> bool:
    """Whether ``req`` is met: its student is in a running group of its course (``placed``
    from :func:`placements`)."""
    return bool(placed.get(req.student, {}).get(req.course))


def choice_order(school: School, student: str) -> list[Request]:
    """A student's options and alternates in choice order (docs/objective.md; the order
    is the domain model's, School.choice_order). The first element is position 1."""
    return school.choices(student)


def figures(school: School, solution: Solution) -> Figures:
    """Headline figures, counted from group membership (not from the request outcomes)."""
    placed = placements(solution)
    core = [r for r in school.requests if r.type is RequestType.CORE]
    chosen = [r for r in school.requests if r.type is not RequestType.CORE]
    first_met = with_choices = fully = 0
    for st in school.students:
        order = choice_order(school, st.id)
        if order:
            with_choices += 1
            first_met += is_met(placed, order[0])
        reqs = school.student_requests.get(st.id, ())
        wanted = [r for r in reqs if r.type is not RequestType.ALTERNATE]
        fully += all(is_met(placed, r) for r in wanted)
    return Figures(
        students=len(school.students),
        requests_core=len(core),
        requests_core_met=sum(is_met(placed, r) for r in core),
        requests_option=sum(1 for r in chosen if r.type is RequestType.OPTION),
        requests_option_met=sum(is_met(placed, r) for r in chosen),
        first_choice_met=first_met,
        students_with_choices=with_choices,
        students_fully_satisfied=fully,
        groups=len(running_groups(solution)),
    )


#: Objective weights: Settings key -> default (docs/objective.md; scheduler.model.Weights).
DEFAULT_WEIGHTS: dict[str, int] = Weights().by_key()

#: Objective terms in the order of docs/objective.md.
TERMS = (
    "core_unmet",
    "option_shortfall",
    "option_rank",
    "group_balance",
    "idle_student",
    "idle_staff",
)


def idle_count(school: School, occupied: Iterable[int]) -> int:
    """One person's idle periods (docs/objective.md): on each day, the periods between
    their first and last occupied ones that they have free. Slots not in the Calendar
    are not counted."""
    slots = school.calendar.slots
    by_day: dict[str, set[int]] = defaultdict(set)
    for i in occupied:
        if 0 <= i < len(slots):
            by_day[slots[i].day].add(slots[i].position)
    return sum(max(p) - min(p) + 1 - len(p) for p in by_day.values())


def idle_periods(
    school: School, groups: Iterable[Group], tutor_of: dict[str, str]
) -> tuple[int, int]:
    """(students' idle periods, staff's idle periods) over ``groups`` and tutor time.

    A student is occupied by their groups' slots and their tutor group's meetings except
    on their home days (rule 6); a member of staff by the groups they teach and the
    tutor groups they tutor. ``tutor_of``: student -> tutor group id.
    """
    groups = tuple(groups)
    student_busy = students_occupied(school, groups, tutor_of)
    staff_busy: dict[str, set[int]] = defaultdict(set)
    for g in groups:
        for t in g.staff:
            staff_busy[t] |= g.slots
    for tg in school.tutor_groups:
        staff_busy[tg.tutor] |= tg.meets
    return (
        sum(idle_count(school, busy) for busy in student_busy.values()),
        sum(idle_count(school, busy) for busy in staff_busy.values()),
    )


def students_occupied(
    school: School, groups: Iterable[Group], tutor_of: dict[str, str]
) -> dict[str, set[int]]:
    """Each student's occupied slots: their groups' slots and their tutor group's meetings
    except on their home days (rule 6). ``tutor_of``: student -> tutor group id."""
    busy: dict[str, set[int]] = defaultdict(set)
    for g in groups:
        for s in g.students:
            busy[s] |= g.slots
    for st in school.students:
        busy[st.id] |= school.tutor_time(st, tutor_of.get(st.id))
    return busy


def tutor_time(school: School, solution: Solution, student: Student) -> frozenset[int]:
    """Slots of a student's tutor time in the tutor group the solution gives them
    (:meth:`School.tutor_time`: its meets, except home days)."""
    return school.tutor_time(student, solution.tutor_of.get(student.id))


def objective_terms(school: School, solution: Solution) -> dict[str, float]:
    """Each objective term of docs/objective.md, recomputed from the timetable."""
    w = school.settings.weights
    placed = placements(solution)
    groups = running_groups(solution)

    core_unmet = sum(
        1 for r in school.requests if r.type is RequestType.CORE and not is_met(placed, r)
    )
    shortfall = rank_cost = 0
    for st in school.students:
        order = choice_order(school, st.id)
        met_positions = [p for p, r in enumerate(order, start=1) if is_met(placed, r)]
        shortfall += max(0, school.option_quota(st.id) - len(met_positions))
        rank_cost += sum(rank_of(p) for p in met_positions)

    balance = 0
    for course in school.courses:
        sizes = [g.size for g in groups if g.course == course.id]
        if len(sizes) >= 2:
            balance += max(sizes) - min(sizes)

    idle_student, idle_staff = idle_periods(school, groups, solution.tutor_of)

    terms: dict[str, float] = {
        "core_unmet": w.core * core_unmet,
        "option_shortfall": w.option * shortfall,
        "option_rank": w.rank * rank_cost,
        "group_balance": w.balance * balance,
        "idle_student": w.idle_student * idle_student,
        "idle_staff": w.idle_staff * idle_staff,
    }
    if has_soft_rules(school):
        terms["soft_rules"] = soft_rules_term(school, solution)
    return terms


def has_soft_rules(school: School) -> bool:
    """Whether the school has soft Rules rows (only then is ``soft_rules`` a term)."""
    return any(not r.hard for r in school.time_rules)


def soft_rules_term(school: School, solution: Solution) -> float:
    """docs/objective.md's ``soft_rules``: the soft Rules rows' cost, as the checker counts
    what each row breaks (imported here, not at the top: the checker imports this module)."""
    from scheduler.checker import soft_rules_cost

    return float(soft_rules_cost(school, solution))


def expected_outcomes(school: School, solution: Solution) -> tuple[RequestOutcome, ...]:
    """What became of each request according to the groups (rule 7), in request order.

    Reasons are left blank: why a request is unmet is the solver's to explain.
    """
    placed = placements(solution)
    met_choices: Counter[str] = Counter(
        r.student for r in school.requests if r.type is not RequestType.CORE and is_met(placed, r)
    )
    out: list[RequestOutcome] = []
    for r in school.requests:
        gids = placed.get(r.student, {}).get(r.course, [])
        if gids:
            status = RequestStatus.MET
        elif r.type is RequestType.ALTERNATE and met_choices[r.student] >= school.option_quota(
            r.student
        ):
            status = RequestStatus.NOT_NEEDED
        else:
            status = RequestStatus.UNMET
        out.append(
            RequestOutcome(
                student=r.student,
                course=r.course,
                type=r.type.value,
                rank=r.rank,
                status=status,
                group=gids[0] if gids else None,
            )
        )
    return tuple(out)
