"""What the Rules sheet's families share (docs/workbook.md, "Rules", added by the
project): finding a rule's lessons among the timetable phase's groups, and the
placement variables that say where each lesson starts and on which day.

A lesson reference's L-th lesson is the course's L-th (the lessons rule takes identical
lessons of a group in start order, so the k-th lesson of a length is the k-th of that
length in time order, as :class:`scheduler.model.LessonRef` says). A group the timetable
does not place has none of its placement variables set, so a rule on it holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial

from ortools.sat.python import cp_model

from constraints.base import SectionModel, Term, TimetableModel
from scheduler.model import School, Student, TimeRule

Lesson = tuple[str, int]  # (group id, lesson index)


def rules_of(tm: TimetableModel, *kinds: str) -> list[TimeRule]:
    return list(tm.school.rules_of(*kinds))


def lesson_sets(tm: TimetableModel, rule: TimeRule) -> list[list[Lesson]]:
    """The rule's lessons among the groups being placed, set by set (each lesson once)."""
    groups: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for g in tm.groups:
        groups[g.course].append((g.id, g.number))
    out: list[list[Lesson]] = []
    for refs in rule.lesson_sets(groups):
        lessons: dict[Lesson, None] = {}
        for gid, li in refs:
            n = len(tm.place[gid])
            for k in range(n) if li is None else [li] if li < n else []:
                lessons[(gid, k)] = None
        if rule.by_lesson_number:
            numbers = sorted({k for _, k in lessons})
            out.extend([x for x in lessons if x[1] == k] for k in numbers)
        elif lessons:
            out.append(list(lessons))
    return [x for x in out if x]


def starts(tm: TimetableModel, lesson: Lesson) -> dict[int, list[cp_model.IntVar]]:
    """First slot -> the placement variables starting the lesson there."""
    gid, li = lesson
    out: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for run, v in tm.place[gid][li].items():
        out[run[0]].append(v)
    return out


def covering(
    tm: TimetableModel, lessons: list[Lesson], within: frozenset[int] | None = None
) -> dict[int, list[cp_model.IntVar]]:
    """Slot -> the placement variables of these lessons that cover it (a lesson of two
    periods covers both), lesson by lesson; only the slots ``within`` when given."""
    out: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for gid, li in lessons:
        for run, v in tm.place[gid][li].items():
            for t in run:
                if within is None or t in within:
                    out[t].append(v)
    return out


def on_day(tm: TimetableModel, lesson: Lesson) -> dict[int, list[cp_model.IntVar]]:
    """Day index -> the placement variables putting the lesson on that day."""
    gid, li = lesson
    slots = tm.school.calendar.slots
    out: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for run, v in tm.place[gid][li].items():
        out[slots[run[0]].day_index].append(v)
    return out


def staff_groups(tm: TimetableModel, rule: TimeRule) -> dict[str, list[str]]:
    """The rule's staff (every member of staff when it names none) -> the groups being
    placed that they teach."""
    teaches: dict[str, list[str]] = defaultdict(list)
    for gid, people in tm.staff_of.items():
        for p in people:
            teaches[p].append(gid)
    return {p: teaches[p] for p in tm.school.rule_staff(rule) if teaches.get(p)}


def student_kinds(tm: TimetableModel, rule: TimeRule) -> list[tuple[Student, list[str]]]:
    """The rule's students (every student when it names none) with the groups being
    placed of their courses, one per kind: students of the same groups and the same
    unavailable slots share the rule's constraints (the workbook admits students' rules
    only where every course has one group, so those are the student's groups)."""
    school = tm.school
    groups: dict[str, list[str]] = defaultdict(list)
    for g in tm.groups:
        groups[g.course].append(g.id)
    seen: set[tuple[frozenset[str], frozenset[int]]] = set()
    out = []
    for sid in school.rule_students(rule):
        student = school.student_by_id.get(sid)
        if student is None:
            continue
        courses = {r.course for r in school.student_requests.get(sid, ())}
        gids = [gid for c in sorted(courses) for gid in groups.get(c, [])]
        key = (frozenset(gids), student.unavailable)
        if key not in seen:
            seen.add(key)
            out.append((student, gids))
    return out


def people(tm: TimetableModel, rule: TimeRule) -> list[tuple[str, list[str]]]:
    """(who, the groups being placed that concern them) for a row of a ``staff_...`` kind
    (:func:`staff_groups`) or a ``students_...`` kind (:func:`student_kinds`)."""
    if rule.kind.startswith("staff_"):
        return list(staff_groups(tm, rule).items())
    return [(student.id, gids) for student, gids in student_kinds(tm, rule)]


def per_person(
    tm: TimetableModel,
    staff: tuple[str, ...],
    students: tuple[str, ...],
    each: Callable[[TimetableModel, TimeRule, str, list[str]], list[Term]],
) -> list[Term]:
    """The terms ``each(tm, rule, who, groups)`` makes for every person of every row of
    the ``staff`` kinds, then of the ``students`` kinds (the order the model is built in)."""
    terms: list[Term] = []
    for rule in (*rules_of(tm, *staff), *rules_of(tm, *students)):
        for who, gids in people(tm, rule):
            terms.extend(each(tm, rule, who, gids))
    return terms


def one_value(
    tm: TimetableModel,
    rule: TimeRule,
    k: int,
    lessons: list[Lesson],
    top: int,
    value: Callable[[Lesson], cp_model.LinearExprT],
    name: str,
) -> list[Term]:
    """One value for the row's ``k``-th set (a variable from 0 to ``top`` named
    ``name[row,k]``), which ``value(lesson)`` equals for each lesson whose group is
    timetabled: hard, or soft at the row's weight per lesson apart (a Boolean
    ``name_apart[row,group,lesson]``, the objective term ``rule_<kind>``)."""
    m = tm.model
    common = m.new_int_var(0, top, f"{name}[{rule.row},{k}]")
    terms: list[Term] = []
    for gid, li in lessons:
        here = value((gid, li))
        if rule.hard:
            m.add(here == common).only_enforce_if(tm.placed[gid])
            continue
        apart = m.new_bool_var(f"{name}_apart[{rule.row},{gid},{li}]")
        m.add(here == common).only_enforce_if([tm.placed[gid], ~apart])
        terms.append(Term(f"rule_{rule.kind}", apart, rule.weight or 1, rule.row))
    return terms


def at_most(
    m: cp_model.CpModel,
    rule: TimeRule,
    xs: list,
    most: int,
    var: str,
    term: str = "",
    who: str = "",
) -> list[Term]:
    """At most ``most`` of ``xs`` (0/1 expressions): a constraint when the row is hard,
    else an excess variable (named ``var``) costing the row's weight per unit over, the
    objective term ``term`` (default ``rule_<kind>``)."""
    if rule.hard:
        m.add(sum(xs) <= most)
        return []
    over = m.new_int_var(0, len(xs), var)
    m.add(over >= sum(xs) - most)
    return [Term(term or f"rule_{rule.kind}", over, rule.weight or 1, rule.row, who)]


def at_least_if_any(
    m: cp_model.CpModel,
    rule: TimeRule,
    xs: list[cp_model.IntVar],
    least: int,
    flag: str,
    short: str,
    always: bool = False,
    who: str = "",
) -> list[Term]:
    """At least ``least`` of ``xs`` (Booleans) whenever one of them is 1 (always, when
    ``always``): a Boolean named ``flag`` that each implies; a constraint when the row is
    hard, else a shortfall variable ``short`` costing the row's weight per unit short,
    the objective term ``rule_<kind>``."""
    some = m.new_bool_var(flag)
    if always:
        m.add(some == 1)
    for x in xs:
        m.add_implication(x, some)
    if rule.hard:
        m.add(sum(xs) >= least * some)
        return []
    missing = m.new_int_var(0, least, short)
    m.add(missing >= least * some - sum(xs))
    return [Term(f"rule_{rule.kind}", missing, rule.weight or 1, rule.row, who)]


@dataclass(frozen=True)
class StaffView:
    """What a family of staff rows reads from one phase's model: the model, the school,
    each row's staff with the groups they teach, the variables that hold one of some
    groups' lessons at a slot (``busy``), and whether a group is held at all (``held``).

    The timetable phase's are placement variables (:meth:`of_timetable`). In the
    students' phase (:meth:`of_section`) the times are fixed, but a group no student
    joins does not run, and its staff are then free where the timetable phase counted a
    lesson; that can break a row asking for at least something (a day's periods, days)
    or for few gaps, so such families keep their hard rows there too, on the groups'
    ``runs`` variables."""

    model: cp_model.CpModel
    school: School
    staff_groups: Callable[[TimeRule], dict[str, list[str]]]
    busy: Callable[[list[str], int], list[cp_model.IntVar]]
    held: Mapping[str, cp_model.IntVar]

    @classmethod
    def of_timetable(cls, tm: TimetableModel) -> StaffView:
        return cls(tm.model, tm.school, partial(staff_groups, tm), partial(busy, tm), tm.placed)

    @classmethod
    def of_section(cls, sm: SectionModel) -> StaffView:
        teaches: dict[str, list[str]] = defaultdict(list)
        for g in sm.groups:
            for p in g.staff:
                teaches[p].append(g.id)

        def groups_of(rule: TimeRule) -> dict[str, list[str]]:
            return {p: teaches[p] for p in sm.school.rule_staff(rule) if teaches.get(p)}

        def runs_at(gids: list[str], slot: int) -> list[cp_model.IntVar]:
            return [sm.runs[g] for g in gids if slot in sm.group_by_id[g].slots]

        return cls(sm.model, sm.school, groups_of, runs_at, sm.runs)


def busy(tm: TimetableModel, gids: list[str], slot: int) -> list[cp_model.IntVar]:
    """The placement variables that put one of these groups' lessons on the slot."""
    return [v for gid in gids for v in tm.occupies(gid, slot)]


def busy_flags(
    tm: TimetableModel, gids: list[str], slots: Iterable[int], name: str, key: str
) -> dict[int, cp_model.IntVar]:
    """Slot -> a Boolean that is 1 when one of these groups' lessons is held then
    (:func:`any_of` the placement variables, ``name[key,slot]``), for each of ``slots``
    at which one may be."""
    out: dict[int, cp_model.IntVar] = {}
    for t in slots:
        flag = any_of(tm.model, busy(tm, gids, t), f"{name}[{key},{t}]")
        if flag is not None:
            out[t] = flag
    return out


def busy_days(
    tm: TimetableModel,
    gids: list[str],
    name: str,
    key: str,
    within: frozenset[int] | None = None,
) -> list[cp_model.IntVar]:
    """A Boolean ``name[key,day]`` for each day one of these groups' lessons may be held
    (at one of the slots ``within``, when given), set by each placement variable that
    holds one then; days none can be held get none."""
    m = tm.model
    cal = tm.school.calendar
    out: list[cp_model.IntVar] = []
    for day in cal.days:
        slots = [t for t in cal.day_slots[day] if within is None or t in within]
        vs = [v for t in slots for v in busy(tm, gids, t)]
        if not vs:
            continue
        flag = m.new_bool_var(f"{name}[{key},{day}]")
        for v in vs:
            m.add_implication(v, flag)
        out.append(flag)
    return out


def any_of(m: cp_model.CpModel, vs: list[cp_model.IntVar], name: str) -> cp_model.IntVar | None:
    """A Boolean that is 1 whenever one of ``vs`` is (None without any; the variable itself
    when there is one; else a new variable ``name`` that each of them implies)."""
    if not vs:
        return None
    if len(vs) == 1:
        return vs[0]
    u = m.new_bool_var(name)
    for v in vs:
        m.add_implication(v, u)
    return u
