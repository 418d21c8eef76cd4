"""A tiny school and a hand-made valid timetable for it, used by the checker and output tests.

The school has two days of five periods, a shared space (HALL), two sites (Main and
North, 30 minutes apart), an online course (CS), a double lesson (SC), a home-learning
student (S3, at home on Tuesdays) and two vertical tutor groups of house Red.

Slots (index: label, times)::

    0 Mon 1 09:00-10:00   5 Tue 1 09:00-10:00
    1 Mon 2 10:00-11:00   6 Tue 2 10:00-11:00
    2 Mon 3 11:20-12:20   7 Tue 3 11:20-12:20
    3 Mon 4 13:00-14:00   8 Tue 4 13:00-14:00
    4 Mon 5 14:00-15:00   9 Tue 5 14:00-15:00

The valid timetable (students in brackets)::

    MA-3.1  T1  Mon 2 R1, Tue 2 R1      (S1 S2 S4)
    SC.1    T2  Tue 3-4 LAB (double)    (S1)
    AR.1    T3  Mon 3 HALL              (S1)   } HALL is shared by 2 groups
    AR.2    T4  Mon 3 HALL              (S2)   }
    CS.1    T5  Tue 2 online            (S3)   on S3's home day: allowed online
    GE.1    T6  Mon 4 N1 (North site)   (S3 S4)   S4: MA ends 11:00, GE starts 13:00
    TG-A    T4  meets Mon 1 in R1       (S1 S2)   year 7: 2, year 8: 0
    TG-B    T5  meets Tue 1, no room    (S3 S4 S5) year 7: 1, year 8: 2; S3 at home Tue
"""

from __future__ import annotations

from dataclasses import replace

from scheduler.model import (
    Calendar,
    Course,
    Mode,
    Qualification,
    Request,
    RequestType,
    Room,
    School,
    Settings,
    Slot,
    Staff,
    Student,
    TutorGroup,
)
from scheduler.score import expected_outcomes
from scheduler.solution import Group, Lesson, RequestStatus, Solution, Status

TIMES = [
    (9 * 60, 10 * 60),
    (10 * 60, 11 * 60),
    (11 * 60 + 20, 12 * 60 + 20),
    (13 * 60, 14 * 60),
    (14 * 60, 15 * 60),
]
MON = {p: p - 1 for p in range(1, 6)}  # period -> slot index
TUE = {p: p + 4 for p in range(1, 6)}


def calendar(days: tuple[str, ...] = ("Mon", "Tue")) -> Calendar:
    """The tiny school's days, each of the five periods of :data:`TIMES`."""
    slots = []
    for d, day in enumerate(days):
        for p, (start, end) in enumerate(TIMES):
            slots.append(
                Slot(
                    index=len(slots),
                    day=day,
                    period=str(p + 1),
                    start=start,
                    end=end,
                    day_index=d,
                    position=p,
                )
            )
    return Calendar(tuple(slots))


def tiny_school(**changes) -> School:
    """The tiny school; keyword arguments replace whole fields (e.g. rooms=...)."""
    q = Qualification
    school = School(
        calendar=calendar(),
        rooms=(
            Room("R1", 30, frozenset({"classroom"}), unavailable=frozenset({TUE[5]})),
            Room("LAB", 20, frozenset({"lab"})),
            Room("HALL", 10, frozenset({"classroom", "hall"}), max_groups=2),
            Room("N1", 20, frozenset({"classroom"}), site="North"),
        ),
        staff=(
            Staff("T1", "Ann", (q("Maths", 1, 4),), max_periods=6),
            Staff("T2", "Ben", (q("Science"),)),
            Staff("T3", "Cat", (q("Art"),), unavailable=frozenset(TUE.values())),
            Staff("T4", "Dan", (q("Maths"), q("Art"), q("Geography"))),
            Staff("T5", "Eve", (q("Computing"),)),
            Staff("T6", "Fay", (q("Geography"),)),
        ),
        courses=(
            Course(
                "MA-3",
                "Maths",
                (1, 1),
                1,
                30,
                stage=3,
                room_type="classroom",
                sections=1,
                years=frozenset({7, 8}),
            ),
            Course("SC", "Science", (2,), 1, 20, room_type="lab"),
            Course("AR", "Art", (1,), 1, 10, room_type="hall"),
            Course("CS", "Computing", (1,), 1, 30, staff=("T5",), mode=Mode.ONLINE),
            Course("GE", "Geography", (1,), 2, 20),
        ),
        students=(
            Student("S1", 7, "Sam", tutor_group="TG-A", house="Red", family="F1"),
            Student("S2", 7, "Sue", house="Red", family="F1"),
            Student("S3", 8, "Tom", house="Red", home_days=frozenset({"Tue"})),
            Student("S4", 8, "Uma"),
            Student("S5", 7, "Val"),
        ),
        requests=(
            Request("S1", "MA-3", RequestType.CORE),
            Request("S1", "SC", RequestType.OPTION, 1),
            Request("S1", "AR", RequestType.OPTION, 2),
            Request("S1", "GE", RequestType.ALTERNATE, 3),
            Request("S2", "MA-3", RequestType.CORE),
            Request("S2", "AR", RequestType.OPTION, 1),
            Request("S2", "CS", RequestType.ALTERNATE, 2),
            Request("S3", "CS", RequestType.CORE),
            Request("S3", "GE", RequestType.OPTION, 1),
            Request("S4", "MA-3", RequestType.CORE),
            Request("S4", "GE", RequestType.OPTION, 1),
            Request("S4", "SC", RequestType.OPTION, 2),
        ),
        tutor_groups=(
            TutorGroup("TG-A", "T4", 3, frozenset({MON[1]}), room="R1", house="Red", vertical=True),
            TutorGroup("TG-B", "T5", 3, frozenset({TUE[1]}), house="Red", vertical=True),
        ),
        travel=(("Main", "North", 30),),
        settings=Settings(),
        name="tiny",
        source_sha256="ab" * 32,
    )
    return replace(school, **changes) if changes else school


def replace_in(items: tuple, key: str, **changes) -> tuple:
    """A copy of a tuple of dataclasses with the one whose id is ``key`` changed."""
    assert any(x.id == key for x in items), key
    return tuple(replace(x, **changes) if x.id == key else x for x in items)


def moved(sol: Solution, gid: str, index: int, **changes) -> Solution:
    """``sol`` with one lesson of a group changed (``slots``, ``room``)."""
    lessons = list(sol.group_by_id[gid].lessons)
    lessons[index] = replace(lessons[index], **changes)
    return replace(sol, groups=replace_in(sol.groups, gid, lessons=tuple(lessons)))


def group(
    gid: str,
    staff: tuple[str, ...],
    students: set[str],
    *lessons: tuple[tuple[int, ...], str | None],
) -> Group:
    course, number = gid.rsplit(".", 1)
    return Group(
        gid,
        course,
        int(number),
        tuple(Lesson(s, r) for s, r in lessons),
        staff,
        frozenset(students),
    )


def valid_groups() -> tuple[Group, ...]:
    return (
        group("MA-3.1", ("T1",), {"S1", "S2", "S4"}, ((MON[2],), "R1"), ((TUE[2],), "R1")),
        group("SC.1", ("T2",), {"S1"}, ((TUE[3], TUE[4]), "LAB")),
        group("AR.1", ("T3",), {"S1"}, ((MON[3],), "HALL")),
        group("AR.2", ("T4",), {"S2"}, ((MON[3],), "HALL")),
        group("CS.1", ("T5",), {"S3"}, ((TUE[2],), None)),
        group("GE.1", ("T6",), {"S3", "S4"}, ((MON[4],), "N1")),
    )


TUTOR_OF = {"S1": "TG-A", "S2": "TG-A", "S3": "TG-B", "S4": "TG-B", "S5": "TG-B"}

# The objective of the valid timetable with default weights (docs/objective.md):
#   core_unmet       0: every core request is met
#   option_shortfall 100 x 1: S4 chose 2 options (GE, SC) and got only GE
#   option_rank      10 x 1: S1's AR is choice 2 (p - 1 = 1); every other met choice is p = 1
#   group_balance    0: AR.1 and AR.2 have 1 student each
#   idle_student     1 x 1: S4 on Mon has MA at period 2, GE at 4, nothing at 3
#   idle_staff       1 x 1: T4 on Mon tutors TG-A at period 1, teaches AR.2 at 3
VALID_TERMS = {
    "core_unmet": 0,
    "option_shortfall": 100,
    "option_rank": 10,
    "group_balance": 0,
    "idle_student": 1,
    "idle_staff": 1,
}
VALID_OBJECTIVE = 112


def valid_solution() -> Solution:
    """The valid timetable with its outcomes, objective and figures as a solver would give."""
    school = tiny_school()
    base = Solution(groups=valid_groups(), tutor_of=dict(TUTOR_OF))
    outcomes = tuple(
        replace(o, reason="left unmet to keep this hand-made example small")
        if o.status is RequestStatus.UNMET
        else o
        for o in expected_outcomes(school, base)
    )
    return replace(
        base,
        outcomes=outcomes,
        status=Status.OPTIMAL,
        objective=VALID_OBJECTIVE,
        objective_terms=dict(VALID_TERMS),
        bound=VALID_OBJECTIVE,
        wall_s=0.25,
        stats={"time_to_first_s": 0.125},
    )


HAND_OUTCOMES = (
    # The statuses worked out by hand (rule 7), to test expected_outcomes itself.
    ("S1", "MA-3", RequestStatus.MET, "MA-3.1"),
    ("S1", "SC", RequestStatus.MET, "SC.1"),
    ("S1", "AR", RequestStatus.MET, "AR.1"),
    ("S1", "GE", RequestStatus.NOT_NEEDED, None),  # alternate; S1's 2 options are both met
    ("S2", "MA-3", RequestStatus.MET, "MA-3.1"),
    ("S2", "AR", RequestStatus.MET, "AR.2"),
    ("S2", "CS", RequestStatus.NOT_NEEDED, None),  # alternate; S2's 1 option is met
    ("S3", "CS", RequestStatus.MET, "CS.1"),
    ("S3", "GE", RequestStatus.MET, "GE.1"),
    ("S4", "MA-3", RequestStatus.MET, "MA-3.1"),
    ("S4", "GE", RequestStatus.MET, "GE.1"),
    ("S4", "SC", RequestStatus.UNMET, None),
)


def variant(
    solution: Solution,
    *,
    school: School | None = None,
    groups=None,
    tutor_of=None,
    fix_outcomes: bool = True,
    **changes,
) -> Solution:
    """A changed copy of a solution. Outcomes are re-derived from the new groups (keeping
    reasons) so that a variant breaks only the rule it is about; objective figures are
    dropped so the soft `objective` rule stays quiet."""
    school = school or tiny_school()
    new = replace(
        solution,
        groups=groups if groups is not None else solution.groups,
        tutor_of=tutor_of if tutor_of is not None else solution.tutor_of,
        objective=None,
        objective_terms={},
        **changes,
    )
    if fix_outcomes:
        reasons = {(o.student, o.course, o.type): o.reason for o in solution.outcomes}
        new = replace(
            new,
            outcomes=tuple(
                replace(o, reason=reasons.get((o.student, o.course, o.type), ""))
                for o in expected_outcomes(school, new)
            ),
        )
    return new


def with_group(solution: Solution, gid: str, **changes) -> tuple[Group, ...]:
    """The solution's groups with one changed (lessons given as (slots, room) pairs)."""
    if "lessons" in changes:
        changes["lessons"] = tuple(Lesson(s, r) for s, r in changes["lessons"])
    if "students" in changes:
        changes["students"] = frozenset(changes["students"])
    assert gid in solution.group_by_id, gid
    return tuple(replace(g, **changes) if g.id == gid else g for g in solution.groups)


def hard_rules(report) -> set[str]:
    return {v.rule for v in report.hard_violations}


def soft_rules(report) -> set[str]:
    return {v.rule for v in report.soft_violations}
