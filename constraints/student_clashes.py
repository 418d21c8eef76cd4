"""Students: one lesson at a time, none on home-learning days or in tutor time.

Timetable phase (students not yet placed): for courses that students request
together, avoid slots where *every* group of one course and every group of the other
run at once (those students could never take both). The penalty is weighted by how many
students ask for both and how much they need them (core above options). Slots where a
course's requesters are busy (tutor time, home days) are avoided likewise; with a
provisional placement, group by group for the group's own students.

Section phase: exact. A student is in at most one lesson per slot, never in a
school-mode lesson on a home day, never in a lesson during their tutor time, and only in
courses open to their year.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import cast

from constraints.base import Rule, SectionModel, Strictness, Term, TimetableModel
from scheduler.model import RequestType, School
from scheduler.plan import tutor_busy

#: Course pairs with at most this many pairs of groups are estimated group by group.
GROUP_LEVEL = 4

#: How much a request weighs in the timetable phase's clash estimate.
NEED = {RequestType.CORE: 10, RequestType.OPTION: 3, RequestType.ALTERNATE: 1}


def blocked_slots(school: School, student_id: str, online: bool) -> frozenset[int]:
    """Slots a student can never attend a lesson of a course (school-mode or online)."""
    key = ("blocked_slots", student_id, online)
    found = school.memo.get(key)
    if found is None:
        student = school.student_by_id[student_id]
        busy = set(tutor_busy(school, student_id)) | student.unavailable
        if not online:
            busy |= school.home_slots(student)
        found = school.memo[key] = frozenset(busy)
    return found


def fixed_core_sections(school: School, groups) -> dict[str, frozenset[str]]:
    """Each student's core fixed sections among ``groups``: the groups of a ``sections``
    count that are their course's only group. They leave the student no other group and
    must run, so no provisional choice keeps them apart: the strict rungs, the first
    timetable's model and the greedy lesson placement all do."""
    per_course: dict[str, int] = defaultdict(int)
    for g in groups:
        per_course[g.course] += 1
    only = {g.course: g.id for g in groups if g.required and per_course[g.course] == 1}
    out: dict[str, frozenset[str]] = {}
    for student in school.students:
        mine = frozenset(
            only[r.course]
            for r in school.student_requests.get(student.id, ())
            if r.type is RequestType.CORE and r.course in only
        )
        if mine:
            out[student.id] = mine
    return out


#: The students' Rules kinds a lesson missed can break: a missed lesson can open a gap,
#: leave a day short of its least periods, or start a day later. A missed lesson only
#: lowers a day's periods, a run in a row, a span, days at some slots and site changes,
#: and only lengthens rests and the gaps between sites, so the other kinds' rows hold.
BROKEN_BY_A_MISSED_LESSON = frozenset(
    {
        "students_max_gaps_week",
        "students_max_gaps_day",
        "students_min_periods_day",
        "students_min_periods_every_day",
        "students_early_start",
    }
)


def ruled_students(school: School) -> frozenset[str]:
    """Students named by a hard row of a kind a missed lesson can break
    (:data:`BROKEN_BY_A_MISSED_LESSON`). The timetable phase keeps those rows on the
    lesson times as if each such student attends every one of their groups, so a fixed
    section they miss can break the row: on FET's dgspro200809 the "soft" rung let 7g-2's
    fixed classes overlap, the students' phase left them out of one, and 7g-2 then had 3
    periods on Dienstag where the row asks at least 4: no timetable. The loose rungs keep
    these students' fixed sections apart as the strict ones do."""
    key = ("ruled_students",)
    found = school.memo.get(key)
    if found is None:
        found = school.memo[key] = frozenset(
            sid
            for r in school.hard_rules
            if r.kind in BROKEN_BY_A_MISSED_LESSON
            for sid in school.rule_students(r)
        )
    return found


def mixed_year_courses(school: School) -> frozenset[str]:
    """Courses requested by students of more than one year (projects across key stages,
    stage-not-age sets, assessment sittings): the provisional placement cuts their groups
    across year cohorts, so keeping them apart from every other core group is the
    hardest part of a provisional placement to honour."""
    years: dict[str, set[int]] = defaultdict(set)
    for r in school.requests:
        years[r.course].add(school.student_by_id[r.student].year)
    return frozenset(c for c, ys in years.items() if len(ys) > 1)


def fill_the_week(tm: TimetableModel, gids: list[str]) -> None:
    """Groups that never overlap (one student's fixed classes) and whose lessons fill
    every slot any of them may take: once all are placed, each such slot holds exactly
    one of their lessons. Redundant, but it tells CP-SAT what the at-most-one rows only
    imply: FET's KPS (21 classes, 49 periods each in 49 free slots) got a complete
    placement in 7 s with it, none in 30 s without."""
    if len(gids) < 2:
        return
    load = sum(lesson.length for g in gids for lesson in tm.group_by_id[g].lessons)
    free = {t for g in gids for t in tm.slots_of(g)}
    if load != len(free):
        return
    placed = [tm.placed[g] for g in gids]
    for t in sorted(free):
        tm.model.add(sum(v for g in gids for v in tm.occupies(g, t)) == 1).only_enforce_if(placed)


class StudentClashes(Rule):
    def __init__(self) -> None:
        super().__init__(name="student_clashes", title="student clashes, home days, years")

    # ---- timetable phase ---------------------------------------------------------
    def restrict_timetable(self, tm: TimetableModel) -> None:
        school = tm.school
        for course in school.courses:
            reqs = school.course_requests.get(course.id, ())
            if not reqs:
                continue
            always = None
            for r in reqs:
                b = blocked_slots(school, r.student, course.online)
                always = set(b) if always is None else always & b
            if always:
                for g in tm.groups:
                    if g.course == course.id:
                        tm.forbid(g.id, always)

    def timetable(self, tm: TimetableModel) -> list[Term]:
        school, m = tm.school, tm.model
        course_groups: dict[str, list[str]] = defaultdict(list)
        for g in tm.groups:
            course_groups[g.course].append(g.id)
        pair_weight: dict[tuple[str, str], int] = defaultdict(int)
        blocked_weight: dict[tuple[str, int], int] = defaultdict(int)
        for student in school.students:
            reqs = school.student_requests.get(student.id, ())
            for a, b in combinations(reqs, 2):
                if a.course == b.course:
                    continue
                key = (min(a.course, b.course), max(a.course, b.course))
                pair_weight[key] += min(NEED[a.type], NEED[b.type])
            for r in reqs:
                course = school.course_by_id[r.course]
                for t in blocked_slots(school, student.id, course.online):
                    blocked_weight[(r.course, t)] += NEED[r.type]
        full: dict[tuple[str, int], object] = {}

        def full_at(course: str, t: int):
            """1 when every group of the course has a lesson at slot t."""
            key = (course, t)
            if key not in full:
                gids = course_groups.get(course, [])
                per = [tm.occupies(g, t) for g in gids]
                if not gids or any(not vs for vs in per):
                    full[key] = None
                elif len(gids) == 1:
                    full[key] = sum(per[0])
                else:
                    v = m.new_bool_var(f"full[{course},{t}]")
                    m.add(v >= sum(x for vs in per for x in vs) - (len(gids) - 1))
                    full[key] = v
            return full[key]

        if tm.tentative is not None:
            # Provisional placement known: rule out clashes group by group instead of
            # estimating them course by course.
            clash_terms = self._tentative(tm)
            pair_weight = {}
        else:
            clash_terms = []
        # Hard: a student's core courses are never *all* at one slot together (if every
        # group of two of them met at once, that student could not take both). One
        # constraint per distinct set of core courses and slot.
        cliques: set[frozenset[str]] = set()
        for student in school.students if tm.tentative is None else ():
            core = frozenset(
                r.course
                for r in school.student_requests.get(student.id, ())
                if r.type is RequestType.CORE and course_groups.get(r.course)
            )
            if len(core) > 1:
                cliques.add(core)
        settled: set[tuple[str, str]] = set()
        for clique in cliques:
            ordered = sorted(clique)
            for t in range(school.calendar.num_slots):
                parts = [f for f in (full_at(c, t) for c in ordered) if f is not None]
                if len(parts) > 1:
                    m.add(sum(parts) <= 1)
            singles = [c for c in ordered if len(course_groups[c]) == 1]
            settled.update(combinations(singles, 2))
            if len(singles) == len(ordered):
                fill_the_week(tm, [course_groups[c][0] for c in ordered])

        for (c1, c2), w in pair_weight.items():
            if (c1, c2) in settled:
                continue  # two single-group core courses: the hard rule above decides
            g1s, g2s = course_groups.get(c1, []), course_groups.get(c2, [])
            if g1s and g2s and len(g1s) * len(g2s) <= GROUP_LEVEL:
                # Few groups: estimate at group level. Students of both courses spread over
                # the n1 x n2 pairs of groups; each overlapping pair costs its share.
                share = max(1, round(w / (len(g1s) * len(g2s))))
                for ga in g1s:
                    for gb in g2s:
                        for t in set(tm.slots_of(ga)) & set(tm.slots_of(gb)):
                            ov = m.new_bool_var(f"ov[{ga},{gb},{t}]")
                            m.add(ov >= sum(tm.occupies(ga, t)) + sum(tm.occupies(gb, t)) - 1)
                            clash_terms.append(share * ov)
                continue
            for t in range(school.calendar.num_slots):
                f1, f2 = full_at(c1, t), full_at(c2, t)
                if f1 is None or f2 is None:
                    continue
                both = m.new_bool_var(f"both[{c1},{c2},{t}]")
                m.add(both >= f1 + f2 - 1)
                clash_terms.append(w * both)
        learned_terms = []
        for (g1, g2), w in tm.learned.items():
            if g1 not in tm.place or g2 not in tm.place:
                continue
            for t in set(tm.slots_of(g1)) & set(tm.slots_of(g2)):
                ov = m.new_bool_var(f"overlap[{g1},{g2},{t}]")
                m.add(ov >= sum(tm.occupies(g1, t)) + sum(tm.occupies(g2, t)) - 1)
                learned_terms.append(w * ov)
        blocked_terms = []
        exact_courses: set[str] = set()
        if tm.tentative is not None:
            # Provisional placement known: count each group's own students who cannot
            # attend at a slot, instead of a share of the course's.
            exact_courses = {c for row in tm.tentative.values() for c in row}
            for (gid, t), w in self.blocked_tentative(tm).items():
                for v in tm.occupies(gid, t):
                    blocked_terms.append(w * v)
        for (cid, t), w in blocked_weight.items():
            if cid in exact_courses:
                continue
            gids = course_groups.get(cid, [])
            for gid in gids:
                for v in tm.occupies(gid, t):
                    # Each group seats about 1/n of the course's requesters.
                    blocked_terms.append(max(1, w // len(gids)) * v)
        return [
            Term("student_clash_estimate", sum(clash_terms), 10),
            Term("student_clash_learned", sum(learned_terms), 10),
            Term("student_blocked_estimate", sum(blocked_terms), 10),
        ]

    @staticmethod
    def blocked_tentative(tm: TimetableModel) -> dict[tuple[str, int], int]:
        """With a provisional placement: for each group and slot, how much its provisional
        students need it where they cannot attend then (tutor time, home days)."""
        school = tm.school
        tentative = cast("dict[str, dict[str, str]]", tm.tentative)  # the caller checked it is set
        out: dict[tuple[str, int], int] = defaultdict(int)
        for student in school.students:
            placed = tentative.get(student.id, {})
            for r in school.student_requests.get(student.id, ()):
                gid = placed.get(r.course)
                if gid is None or gid not in tm.place:
                    continue
                online = school.course_by_id[r.course].online
                for t in blocked_slots(school, student.id, online):
                    out[(gid, t)] += NEED[r.type]
        return out

    @staticmethod
    def _tentative(tm: TimetableModel) -> list:
        """Keep each student's provisional groups apart.

        ``tm.tentative_hard`` (:class:`constraints.base.Strictness`) says how strictly.
        Option groups not kept apart as a rule overlap at a cost per student.
        """
        school, m = tm.school, tm.model
        mode = tm.tentative_hard
        tentative = cast("dict[str, dict[str, str]]", tm.tentative)  # the caller checked it is set
        mixed = mixed_year_courses(school) if mode is Strictness.YEAR else frozenset()
        # A student's core fixed sections: the strict rungs keep them apart even without
        # a provisional placement (the first timetable's model has none), as the last
        # rung does by its course cliques. The "year" and "soft" rungs let them overlap
        # at a cost: a timetable where a few students miss a course beats none (an
        # imported school of fixed classes, FET's Van Rhyn, got one only so); where a
        # fixed section then seats nobody, the students' phase says so and the solve
        # tries the next rung. Not for students of a hard students' row a missed
        # section can break (:func:`ruled_students`).
        fixed = fixed_core_sections(school, tm.groups)
        ruled = ruled_students(school)
        hard_sets: dict[frozenset[str], int] = defaultdict(int)
        core_sets: dict[frozenset[str], int] = defaultdict(int)
        full_sets: dict[frozenset[str], int] = defaultdict(int)
        for student in school.students:
            placed = tentative.get(student.id, {})
            core_courses = [
                r.course
                for r in school.student_requests.get(student.id, ())
                if r.type is RequestType.CORE and placed.get(r.course) in tm.place
            ]
            core = frozenset(placed[c] for c in core_courses)
            every = frozenset(g for g in placed.values() if g in tm.place)
            if mode is Strictness.ALL:
                core = every
            forced = fixed.get(student.id, frozenset())
            if mode is Strictness.SOFT:
                hard: frozenset[str] = forced if student.id in ruled else frozenset()
            elif mode is Strictness.YEAR:
                hard = frozenset(placed[c] for c in core_courses if c not in mixed)
                if student.id in ruled:
                    hard |= forced
            else:
                hard = core | forced
            if len(hard) > 1:
                hard_sets[hard] += 1
            if len(core) > len(hard) and len(core) > 1:
                core_sets[core] += 1
            if len(every) > len(core) and len(every) > 1:
                full_sets[every] += 1
        for groups in hard_sets:
            ordered = sorted(groups)
            for t in range(school.calendar.num_slots):
                vs = [v for g in ordered for v in tm.occupies(g, t)]
                if len(vs) > 1:
                    m.add_at_most_one(vs)
            fill_the_week(tm, ordered)
        terms = []
        for sets, need in (
            (core_sets, NEED[RequestType.CORE]),
            (full_sets, NEED[RequestType.OPTION]),
        ):
            for groups, n in sets.items():
                ordered = sorted(groups)
                for t in range(school.calendar.num_slots):
                    vs = [v for g in ordered for v in tm.occupies(g, t)]
                    if len(vs) > 1:
                        extra = m.new_int_var(0, len(vs) - 1, "")
                        m.add(sum(vs) <= 1 + extra)
                        terms.append(need * n * extra)
        return terms

    # ---- section phase -----------------------------------------------------------
    def restrict_section(self, sm: SectionModel) -> None:
        school = sm.school
        for student in school.students:
            for r in school.student_requests.get(student.id, ()):
                course = school.course_by_id[r.course]
                closed = not course.open_to(student.year)
                blocked = blocked_slots(school, student.id, course.online)
                for g in sm.course_groups.get(r.course, []):
                    if closed or blocked.intersection(g.slots):
                        sm.ban(student.id, g.id)

    def section(self, sm: SectionModel) -> list[Term]:
        if sm.variables_only:
            return []
        for student in sm.take:
            for vs in sm.student_slot_load(student).values():
                if len(vs) > 1:
                    sm.model.add_at_most_one(vs)
        return []
