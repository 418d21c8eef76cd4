"""Planning the teaching groups a solve may run: how many per course, and their shape.

This is domain code (no solver). It turns a :class:`School` into the general core the
solver works on: a list of :class:`PlannedGroup`, each with its lessons and, for every
lesson, the candidate runs of slots it may take. Other front ends (e.g. a public
benchmark format whose classes have candidate times and rooms) can produce the same
structures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scheduler.model import Course, RequestType, School

# Re-exported: the solver (engine.py, resolve.py) takes group_id from here.
from scheduler.model import group_id as group_id  # noqa: PLC0414


@dataclass(frozen=True, slots=True)
class PlannedLesson:
    """One lesson of a planned group and the runs of slots it may take."""

    length: int
    candidates: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True)
class PlannedGroup:
    """A group the solver may run: its id, course and lessons.

    ``required`` is true for groups that must run (a fixed ``sections`` count).
    ``priority`` says how much staffing it matters when staff are short: 3 for a course's
    first group, 2 for groups its demand needs, 1 for spare groups planned for slack.
    """

    id: str
    course: str
    number: int
    lessons: tuple[PlannedLesson, ...]
    required: bool
    priority: int = 2
    #: The years whose students the group is for in the provisional placement (empty:
    #: any of the course's students); see :func:`cohort_chunks`.
    cohort: tuple[int, ...] = ()

    @property
    def spare(self) -> bool:
        """Planned beyond the seats its course's requests need (for choice of times), not
        one of a fixed ``sections`` count: nobody needs it to run."""
        return self.priority == 1 and not self.required


def demand(school: School, course: Course) -> int:
    """Students who may need a place: core and option requests (alternates stand in)."""
    return sum(
        1 for r in school.course_requests.get(course.id, ()) if r.type is not RequestType.ALTERNATE
    )


def expected_size(school: School, course: Course, groups: int) -> int:
    """Students a group of the course will probably have: demand shared over its groups."""
    if groups <= 0:
        return course.min_size
    share = -(-demand(school, course) // groups)
    return max(course.min_size, min(course.max_size, share))


def groups_needed(school: School, course: Course, slack: float = 0.9) -> int:
    """How many groups to plan for a course.

    A fixed ``sections`` count is exact. Otherwise enough groups to seat the demand at
    ``slack`` of ``max_size`` (so sectioning has room to manoeuvre), never more than
    the demand can fill to ``min_size``, and at least one (a course nobody can join is
    still planned so that its requests get a reason).
    """
    if course.sections is not None:
        return course.sections
    need = demand(school, course)
    if need == 0:
        alternates = len(school.course_requests.get(course.id, ()))
        return 1 if alternates else 0
    return _chunk_groups(need, course, slack)


def locked_groups(school: School, course: str) -> int:
    """The highest group number of a course that the Locks sheet names (0: none)."""
    return max((lock.group for lock in school.locks if lock.course == course), default=0)


def lessons_fit(
    school: School, lengths: tuple[int, ...], blocked: set[int] | frozenset[int]
) -> bool:
    """Whether lessons of these lengths can be laid on slots outside ``blocked``: each on
    consecutive free slots of one day, on different days when the cycle has enough days
    (rule 4). A part-timer free on three days cannot teach a four-lesson course.

    The days that can hold a lesson of length L include those that can hold a longer
    one, so laying the longest lessons first on any fitting day is exact (Hall's
    condition for nested sets).
    """
    cal = school.calendar
    per_day = cal.lessons_a_day(len(lengths))
    fitting: dict[int, set[str]] = {}
    for n in set(lengths):
        fitting[n] = {cal.slots[run[0]].day for run in cal.runs(n) if not blocked.intersection(run)}
    for k, n in enumerate(sorted(lengths, reverse=True)):
        if len(fitting[n]) * per_day < k + 1:
            return False
    return True


def _chunk_groups(need: int, course: Course, slack: float) -> int:
    """Groups that seat ``need`` students at ``slack`` of ``max_size``, never more than
    ``need`` fills to ``min_size``, at least one (the rule of :func:`groups_needed`)."""
    tight = math.ceil(need / course.max_size)
    roomy = math.ceil(need / max(1.0, course.max_size * slack))
    most = max(1, need // course.min_size)
    return max(1, min(max(tight, roomy), max(tight, most)))


def cohort_chunks(school: School, course: Course) -> list[tuple[tuple[int, ...], int]]:
    """A core course taken by several years (stage-not-age sets, a project across a key
    stage), cut into year cohorts: [(years, students)], in year order.

    Each year is a chunk of its own; a chunk too small to fill half a group (or under
    ``min_size``) joins the smaller of its neighbours: a few students of a year are set
    with the next year rather than given a group of their own. Empty when the course is
    not such a course (one year, no core requests, a fixed number of sections, a
    tutorial or a sitting, which fill students' free periods), or when every year ends
    up in one chunk.
    """
    if course.sections is not None or course.kind not in ("lesson", "project"):
        return []
    least = max(course.min_size, -(-course.max_size // 2))
    per_year: dict[int, int] = {}
    core = False
    for r in school.course_requests.get(course.id, ()):
        if r.type is RequestType.ALTERNATE:
            continue
        core = core or r.type is RequestType.CORE
        year = school.student_by_id[r.student].year
        per_year[year] = per_year.get(year, 0) + 1
    if not core or len(per_year) < 2:
        return []
    chunks: list[tuple[tuple[int, ...], int]] = [((y,), n) for y, n in sorted(per_year.items())]
    while len(chunks) > 1:
        small = [i for i, (_, n) in enumerate(chunks) if n < least]
        if not small:
            break
        i = min(small, key=lambda k: chunks[k][1])
        if i == 0:
            j = 1
        elif i == len(chunks) - 1:
            j = i - 1
        else:
            j = i - 1 if chunks[i - 1][1] <= chunks[i + 1][1] else i + 1
        a, b = sorted((i, j))
        chunks[a : b + 1] = [(chunks[a][0] + chunks[b][0], chunks[a][1] + chunks[b][1])]
    return chunks if len(chunks) > 1 else []


#: The slacks :func:`choose_slack` tries, loosest first (0.9: every school's before the
#: thirty-fifth session, and still the slack of a school whose staff have little to spare).
SLACKS = (0.9, 0.8, 0.7, 0.6)
#: A school plans spare groups only if its groups at the loosest slack need at most this
#: share of its staff's periods (:func:`staff_share`) ...
SPARE_STAFF_SHARE = 0.7
#: ... and then at the lowest slack whose groups need at most this share.
#:
#: Measured (BENCHMARKS.md, thirtieth and thirty-fifth sessions; reproducible whole solves,
#: objective, core and options): the 600-student regression school (61% of its staff's
#: periods at 0.9) met most at 0.6 (86%), on both seeds tried; the 1,500-student
#: federation (67%) at 0.7 (85%), both seeds. The examples (73-77% at 0.9) were worse by
#: the objective on five of six at 0.7 or 0.8 (their spare groups cost core requests),
#: and the varied generator's schools (86-91%) lost core requests at 0.8 (spare groups
#: unstaffed, the first timetable twice as late on 2,791 students). Varied schools hired
#: with staff to spare (``--staff-load 0.65``) were better on two of six, worse on four:
#: spare periods are not all that makes the regression schools gain.
MOST_STAFF_SHARE = 0.86


def staff_share(school: School, groups: tuple[PlannedGroup, ...]) -> float:
    """The share of the staff's periods (``School.staff_capacity``, summed) that teaching
    every one of these groups would take (inf with no staff periods at all)."""
    capacity = sum(school.staff_capacity(p.id) for p in school.staff)
    need = sum(
        school.course_by_id[g.course].periods * school.course_by_id[g.course].staff_per_group
        for g in groups
    )
    return need / capacity if capacity > 0 else math.inf


def choose_slack(school: School) -> float:
    """The slack to plan a school's groups at: the loosest of :data:`SLACKS`, unless its
    groups leave the staff periods to spare (at most :data:`SPARE_STAFF_SHARE` of them
    needed); then the lowest whose groups need at most :data:`MOST_STAFF_SHARE`.

    A lower slack plans spare groups: students get more choice of times, so more of
    their requests fit together. Where the staff have many periods to spare this pays;
    where they do not, spare groups take the periods the placement needs to move lessons,
    or go unstaffed.
    """
    if staff_share(school, plan_groups(school, SLACKS[0])) > SPARE_STAFF_SHARE:
        return SLACKS[0]
    for slack in reversed(SLACKS):
        if staff_share(school, plan_groups(school, slack, pooled=False)) <= MOST_STAFF_SHARE:
            return slack
    return SLACKS[0]


#: Spare groups are planned only while every pool of staff or rooms they need stays within
#: this share of its periods (:func:`_group_counts`): the share the school's staff as a
#: whole may have taken, asked of each pool (measured: BENCHMARKS.md, thirty-ninth session).
POOL_SHARE = MOST_STAFF_SHARE


def _group_counts(
    school: School, slack: float, by_cohort: bool, pooled: bool
) -> dict[str, list[tuple[tuple[int, ...], int]]]:
    """Groups to plan per course: [(cohort years, groups)], one entry per year cohort
    (:func:`cohort_chunks`; one entry with no years for a course planned as a whole).

    As many as the loosest slack plans, then spare groups up to ``slack``'s count, one at
    a time round the courses, while every pool they draw on stays within
    :data:`POOL_SHARE` of its periods (unless not ``pooled``: every course at
    ``slack``'s count).

    A pool is the staff who may teach a course, or the rooms of its kind. A group loads
    every pool that holds its course's whole pool (a Hall-type count: the groups that
    can only use a pool's members must fit in it). Spare groups where a pool is full
    take the periods the placement needs to move lessons, or go unstaffed.
    """
    loose = max(slack, SLACKS[0])
    # (course, cohort years) -> groups, in course and cohort order.
    base: dict[tuple[str, tuple[int, ...]], int] = {}
    target: dict[tuple[str, tuple[int, ...]], int] = {}
    for course in school.courses:
        chunks = cohort_chunks(school, course) if by_cohort else []
        if chunks:
            for years, n in chunks:
                base[course.id, years] = _chunk_groups(n, course, loose)
                target[course.id, years] = _chunk_groups(n, course, slack)
        else:
            base[course.id, ()] = groups_needed(school, course, loose)
            target[course.id, ()] = groups_needed(school, course, slack)
    counts = target
    if pooled and any(target[k] > base[k] for k in base):
        counts = _pooled_counts(school, base, target)
    out: dict[str, list[tuple[tuple[int, ...], int]]] = {}
    for (course_id, years), n in counts.items():
        out.setdefault(course_id, []).append((years, n))
    return out


def _pooled_counts(
    school: School,
    base: dict[tuple[str, tuple[int, ...]], int],
    target: dict[tuple[str, tuple[int, ...]], int],
) -> dict[tuple[str, tuple[int, ...]], int]:
    """:func:`_group_counts`'s spare groups: from ``base`` towards ``target``, one at a
    time round the courses, while every pool they load stays within :data:`POOL_SHARE`."""
    # Pools: ("rooms" | "staff", members) -> periods they offer.
    pools: dict[tuple[str, frozenset[str]], int] = {}
    uses: dict[str, list[tuple[tuple[str, frozenset[str]], int]]] = {}
    for course in school.courses:
        rooms = frozenset(() if course.online else school.eligible_rooms(course))
        staff = frozenset(school.eligible_staff(course))
        uses[course.id] = [
            (pool, periods)
            for pool, periods in (
                (("rooms", rooms), course.periods),
                (("staff", staff), course.periods * course.staff_per_group),
            )
            if pool[1]
        ]
        for kind, members in (("rooms", rooms), ("staff", staff)):
            if members and (kind, members) not in pools:
                pools[kind, members] = (
                    sum(school.room_supply(school.room_by_id[r]) for r in members)
                    if kind == "rooms"
                    else sum(school.staff_capacity(p) for p in members)
                )
    holders = {
        c: [
            (q, periods)
            for (kind, members), periods in own
            for q in pools
            if q[0] == kind and members <= q[1]
        ]
        for c, own in uses.items()
    }
    load = dict.fromkeys(pools, 0)
    for (c, _), n in base.items():
        for q, periods in holders[c]:
            load[q] += n * periods
    counts = dict(base)
    grew = True
    while grew:
        grew = False
        for key, n in counts.items():
            if n >= target[key]:
                continue
            need = holders[key[0]]
            if all(load[q] + periods <= POOL_SHARE * pools[q] for q, periods in need):
                counts[key] += 1
                for q, periods in need:
                    load[q] += periods
                grew = True
    return counts


def plan_groups(
    school: School, slack: float = 0.9, by_cohort: bool = False, pooled: bool = True
) -> tuple[PlannedGroup, ...]:
    """Every group the solver may run, with candidate runs for each lesson.

    ``by_cohort``: a core course taken by several years gets groups for each year cohort
    (:func:`cohort_chunks`), so that its provisional groups each belong to one year's
    timetable, as a timetabler blocks each year's sets (more groups, each tied to
    fewer others); otherwise groups are planned for the course's demand as a whole.
    ``pooled``: spare groups only where their staff and rooms have periods to spare
    (:func:`_group_counts`); otherwise every course gets ``slack``'s count.
    """
    cal = school.calendar
    runs_by_length = {n: cal.runs(n) for c in school.courses for n in c.lessons}
    counts = _group_counts(school, slack, by_cohort, pooled)
    out: list[PlannedGroup] = []
    for course in school.courses:
        lessons = tuple(PlannedLesson(n, runs_by_length[n]) for n in course.lessons)
        tight = groups_needed(school, course, 1.0)
        cohorts = [years for years, n in counts[course.id] for _ in range(n)]
        # Every group a lock names exists (the Locks sheet may name a group beyond the
        # demand's count, e.g. a block agreed with a partner school).
        cohorts += [()] * (locked_groups(school, course.id) - len(cohorts))
        for k, cohort in enumerate(cohorts, start=1):
            out.append(
                PlannedGroup(
                    id=group_id(course.id, k),
                    course=course.id,
                    number=k,
                    lessons=lessons,
                    required=course.sections is not None,
                    priority=3 if k == 1 else (2 if k <= tight else 1),
                    cohort=cohort,
                )
            )
    return tuple(out)


def eligible_tutor_groups(school: School, student_id: str) -> tuple[str, ...]:
    """Tutor groups a student may join: the fixed one, else every group of their house."""
    student = school.student_by_id[student_id]
    if student.tutor_group is not None:
        return (student.tutor_group,)
    return tuple(t.id for t in school.tutor_groups if t.open_to(student))


def tutor_busy(school: School, student_id: str) -> frozenset[int]:
    """Slots a student is surely in tutor time, whichever eligible tutor group they join.

    Home-learning students have no tutor time on their home days (rule 6).
    """
    if not school.tutor_groups:
        return frozenset()
    groups = eligible_tutor_groups(school, student_id)
    if not groups:
        return frozenset()
    student = school.student_by_id[student_id]
    return frozenset.intersection(*(school.tutor_time(student, g) for g in groups))


def tentative_sections(
    school: School,
    groups: tuple[PlannedGroup, ...],
    given: dict[str, dict[str, str]] | None = None,
) -> dict[str, dict[str, str]]:
    """A first, provisional placement of students into planned groups: student -> course -> group.

    Before any time is fixed, students are put in groups so that students with the same
    curriculum share group numbers (students are ordered by year and set of core
    courses, then set of options, and each course's requesters are cut into consecutive,
    balanced groups).
    The timetable phase then keeps every student's provisional core groups apart, which
    guarantees a timetable where all those students can take all their core courses;
    the section phase is free to improve on this placement. Alternates are left out.
    ``given`` (student -> course -> group, e.g. from option blocking) is used as it is
    for every course it covers.
    """
    given = given or {}
    fixed_courses = {c for row in given.values() for c in row}
    per_course: dict[str, list[PlannedGroup]] = {}
    for g in groups:
        per_course.setdefault(g.course, []).append(g)
    core_sig: dict[str, tuple[str, ...]] = {}
    for st in school.students:
        core_sig[st.id] = tuple(
            sorted(
                r.course
                for r in school.student_requests.get(st.id, ())
                if r.type is RequestType.CORE
            )
        )
    option_sig = {
        st.id: tuple(
            sorted(
                r.course
                for r in school.student_requests.get(st.id, ())
                if r.type is RequestType.OPTION
            )
        )
        for st in school.students
    }
    rank = {
        st.id: i
        for i, st in enumerate(
            sorted(school.students, key=lambda s: (s.year, core_sig[s.id], option_sig[s.id], s.id))
        )
    }
    out: dict[str, dict[str, str]] = {st.id: {} for st in school.students}
    for course in school.courses:
        mine = per_course.get(course.id, [])
        if not mine or course.id in fixed_courses:
            continue
        who = sorted(
            {
                r.student
                for r in school.course_requests.get(course.id, ())
                if r.type is not RequestType.ALTERNATE
            },
            key=lambda s: rank.get(s, 0),
        )
        if len(who) < course.min_size:
            continue
        # Groups planned for a year cohort seat that cohort's students; the rest share
        # what is left.
        parts: dict[tuple[int, ...], list[PlannedGroup]] = {}
        for g in mine:
            parts.setdefault(g.cohort, []).append(g)
        year_of = {st: school.student_by_id[st].year for st in who}
        for cohort, gs in parts.items():
            mine_who = [s for s in who if not cohort or year_of[s] in cohort]
            if cohort:
                who = [s for s in who if year_of[s] not in cohort]
            _cut(mine_who, gs, course.max_size, course.id, out)
    for s, row in given.items():
        out.setdefault(s, {}).update(row)
    # A student locked to a group (the Locks sheet) is provisionally there.
    planned_ids = {g.id for g in groups}
    for lock in school.locks:
        if lock.student is not None and lock.group_id in planned_ids:
            out.setdefault(lock.student, {})[lock.course] = lock.group_id
    return out


def _cut(
    who: list[str],
    groups: list[PlannedGroup],
    max_size: int,
    course: str,
    out: dict[str, dict[str, str]],
) -> None:
    """Cut students (in order) into consecutive, balanced runs, one per group."""
    if not who or not groups:
        return
    n = len(groups)
    seats = min(len(who), n * max_size)
    base, extra = divmod(seats, n)
    start = 0
    for k, g in enumerate(groups):
        size = base + (1 if k < extra else 0)
        for s in who[start : start + size]:
            out.setdefault(s, {})[course] = g.id
        start += size
