"""Proven upper bounds on what any timetable of a school can meet (issue 15, part 1).

Each bound comes from a relaxation that is correct by construction: a rule of the
school is kept whole, every other rule is dropped, so no timetable that keeps all the
rules can meet more. Three relaxations, and the smaller of what they allow:

* **per course**: the places its groups can offer. Its eligible staff, each teaching
  at most their capacity (free slots, capped by ``max_periods``; other courses ignored)
  in whole groups of ``staff_per_group``; a fixed ``sections`` count; its rooms' seats
  over the cycle (every eligible room's capacity at every slot it is open, other
  courses ignored) and the largest group one of its rooms can seat.
  A course fewer students may take (their year open to it) than its ``min_size`` never
  runs.
* **per student**: the week. A student is in one place at a time, so the requests
  met fit the slots they can attend: not the slots they are surely in tutor time
  (``plan.tutor_busy``: every tutor group they may join meets then; none on home days),
  and for lessons in school not their home-learning days (online lessons may fall
  there): at most as many requests as fit, smallest first. A request for a course not
  open to the student's year is never met.
* **per student, options**: at most their option quota (the number of options they
  asked for, alternates included in what may be met).

No OR-Tools here: the bounds are arithmetic on the domain model, and the checker's
figures are what they bound (``scheduler.score.figures``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.model import Course, Request, RequestType, School
from scheduler.plan import tutor_busy


@dataclass(frozen=True)
class Bounds:
    """At most this many can be met by any timetable that keeps every hard rule."""

    core: int
    options: int
    first_choices: int

    def as_dict(self) -> dict[str, int]:
        return {
            "core_met_at_most": self.core,
            "options_met_at_most": self.options,
            "first_choices_met_at_most": self.first_choices,
        }


def course_places(school: School, course: Course) -> int:
    """Students a course's groups can seat at most, whatever else the timetable does."""
    periods = course.periods
    if periods <= 0:
        return 0
    takers = sum(
        1
        for r in school.course_requests.get(course.id, ())
        if r.student in school.student_by_id
        and course.open_to(school.student_by_id[r.student].year)
    )
    if takers < max(course.min_size, 1):
        return 0
    groups: int | None = course.sections
    if course.staff_per_group > 0:
        teachers = sum(
            school.staff_capacity(p) // periods
            for p in school.eligible_staff(course)
            if p in school.staff_by_id
        )
        by_staff = teachers // course.staff_per_group
        groups = by_staff if groups is None else min(groups, by_staff)
    size = max(course.max_size, 0)
    if not course.online:
        rooms = [school.room_by_id[r] for r in school.eligible_rooms(course)]
        if not rooms:
            return 0
        size = min(size, max(r.capacity for r in rooms))
        # Seat-periods the rooms offer over the cycle, for this course alone.
        seat_periods = sum(r.capacity * school.room_open(r) for r in rooms)
        by_rooms = max(seat_periods, 0) // periods
        if groups is None:
            return min(by_rooms, takers)
        return min(groups * size, by_rooms)
    if groups is None:
        return takers
    return groups * size


def _fit(periods: list[int], slots: int) -> int:
    """How many of these requests fit ``slots`` periods at most (smallest first)."""
    n = used = 0
    for p in sorted(periods):
        if used + p > slots:
            break
        used += p
        n += 1
    return n


def _student_fit(
    school: School, requests: Sequence[Request], slots_total: int, in_school: int
) -> int:
    """Requests of one student that can fit their week: lessons in school outside their
    home-learning slots, online lessons anywhere, never two at once."""
    courses = [school.course_by_id[r.course] for r in requests if r.course in school.course_by_id]
    at_school = [c.periods for c in courses if not c.online]
    online = [c.periods for c in courses if c.online]
    best = 0
    # Online lessons may use the home slots; take the school ones that fit the rest,
    # then online ones in what is left (each order of smallest-first is a knapsack by
    # count; trying every split of school lessons keeps the bound valid and tight enough).
    at_school.sort()
    used = 0
    for k in range(len(at_school) + 1):
        if k:
            used += at_school[k - 1]
        if used > in_school:
            break
        best = max(best, k + _fit(online, slots_total - used))
    return best


def bounds(school: School) -> Bounds:
    """The smallest of the relaxations' bounds for core requests, options and first
    choices (see the module's docstring)."""
    places = {c.id: course_places(school, c) for c in school.courses}
    core_by_course: Counter[str] = Counter()
    option_by_course: Counter[str] = Counter()
    first_by_course: Counter[str] = Counter()
    core_students = options_students = first_students = 0
    for st in school.students:
        reqs = school.student_requests.get(st.id, ())
        # Slots open to this student's lessons: outside their sure tutor time (which is
        # never on a home day), and for lessons in school outside their home days too.
        # Slots they are unavailable at hold no lesson at all.
        slots = school.calendar.num_slots - len(tutor_busy(school, st.id) | st.unavailable)
        in_school = slots - len(school.home_slots(st) - st.unavailable)
        possible = [
            r
            for r in reqs
            if places.get(r.course, 0) > 0 and school.course_by_id[r.course].open_to(st.year)
        ]
        core = [r for r in possible if r.type is RequestType.CORE]
        chosen = [r for r in possible if r.type is not RequestType.CORE]
        core_students += _student_fit(school, core, slots, in_school)
        options_students += min(
            school.option_quota(st.id), _student_fit(school, chosen, slots, in_school)
        )
        core_by_course.update(r.course for r in core)
        option_by_course.update(r.course for r in chosen)
        order = school.choices(st.id)
        if (
            order
            and order[0] in possible
            and school.option_quota(st.id) > 0
            and _student_fit(school, order[:1], slots, in_school)
        ):
            first_students += 1
            first_by_course[order[0].course] += 1
    core_courses = sum(min(n, places[c]) for c, n in core_by_course.items())
    option_courses = sum(min(n, places[c]) for c, n in option_by_course.items())
    first_courses = sum(min(n, places[c]) for c, n in first_by_course.items())
    return Bounds(
        core=min(core_students, core_courses),
        options=min(options_students, option_courses),
        first_choices=min(first_students, first_courses),
    )
