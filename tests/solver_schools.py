"""Tiny hand-built schools for the solver's tests (domain objects, no workbook needed).

Each builder returns a School small enough to reason about by hand; the docstrings say
what the right answer is.
"""

from __future__ import annotations

from dataclasses import replace

from scheduler.model import (
    Calendar, Course, Mode, Qualification, Request, RequestType, Room, School, Settings, Slot,
    Staff, Student, TutorGroup,
)


def calendar(days: tuple[str, ...] = ("Mon", "Tue", "Wed"), periods: int = 4,
             start: int = 9 * 60, length: int = 60) -> Calendar:
    slots = []
    for d, day in enumerate(days):
        for p in range(periods):
            s = start + p * length
            slots.append(Slot(len(slots), day, str(p + 1), s, s + length - 5, d, p))
    return Calendar(tuple(slots))


def req(student: str, course: str, kind: str = "core", rank: int | None = None) -> Request:
    return Request(student, course, RequestType(kind), rank, origin="test")


def two_courses(students: int = 6, settings: Settings | None = None) -> School:
    """Two core courses, one teacher each, one room: both fit (2 lessons each in 12 slots).

    Optimum: every core request met, no options, one group per course, no gaps needed:
    objective = 0 except idle periods, which the solver can avoid entirely.
    """
    cal = calendar()
    ids = [f"S{i}" for i in range(1, students + 1)]
    return School(
        calendar=cal,
        rooms=(Room("R1", 30, frozenset({"classroom"})),),
        staff=(Staff("T1", qualifications=(Qualification("Maths"),)),
               Staff("T2", qualifications=(Qualification("English"),))),
        courses=(Course("MA", "Maths", (1, 1), 1, 30), Course("EN", "English", (1, 1), 1, 30)),
        students=tuple(Student(s, 9) for s in ids),
        requests=tuple(req(s, c) for s in ids for c in ("MA", "EN")),
        settings=settings or Settings(time_limit_s=10, seed=1, workers=1),
    )


def options_school() -> School:
    """Four students with options A (rank 1), B (2), C (3) and alternate D (4): quota 3.

    B's and C's only teachers are free only at Mon 1, so B and C clash and nobody can
    take both. Best: every student gets A, B and the alternate D. Objective:
    option_rank = 10 x (B at position 2: 1) + 10 x (D at position 4: 3) = 40 per
    student, 160 in all; shortfall 0; C does not run.
    """
    cal = calendar()
    everything_but = lambda keep: frozenset(i for i in range(cal.num_slots) if i not in keep)
    ids = ["S1", "S2", "S3", "S4"]
    reqs = []
    for s in ids:
        reqs += [req(s, "A", "option", 1), req(s, "B", "option", 2),
                 req(s, "C", "option", 3), req(s, "D", "alternate", 4)]
    return School(
        calendar=cal,
        rooms=(Room("R1", 30, frozenset({"classroom"})), Room("R2", 30, frozenset({"classroom"}))),
        staff=(Staff("TA", qualifications=(Qualification("Art"),)),
               Staff("TB", qualifications=(Qualification("Biology"),), unavailable=everything_but({0})),
               Staff("TC", qualifications=(Qualification("Chemistry"),), unavailable=everything_but({0})),
               Staff("TD", qualifications=(Qualification("Drama"),))),
        courses=(Course("A", "Art", (1,), 1, 10), Course("B", "Biology", (1,), 1, 4),
                 Course("C", "Chemistry", (1,), 1, 4), Course("D", "Drama", (1,), 1, 4)),
        students=tuple(Student(s, 10) for s in ids),
        requests=tuple(reqs),
        settings=Settings(time_limit_s=10, seed=1, workers=1),
    )


def with_settings(school: School, **extra: str) -> School:
    return replace(school, settings=replace(school.settings, extra=tuple(extra.items())))
