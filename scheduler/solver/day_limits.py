"""The hard limits of the Rules sheet that a greedy placement keeps as it grows: a
person's most periods a day (``staff_max_periods_day``, ``students_max_periods_day``),
most days (``staff_max_days``) and most periods in a row (``staff_max_in_a_row``,
``students_max_in_a_row``), and lessons kept apart (``min_days_apart``, ``min_gap``).

Each only gets tighter as lessons are added, so a placement that keeps them lesson by
lesson keeps them whole. The greedy lesson placement (:mod:`scheduler.solver.lesson_greedy`)
asks :meth:`DayLimits.allows` before it takes a run and tells :meth:`DayLimits.count`
what it puts in and takes out. Without them, a school with one such row got no greedy
placement at all (the timetable model refused it) and CP-SAT placed its lessons from
nothing (BENCHMARKS.md, thirty-first session). The rule families themselves are in
``constraints/`` (``staff_day_load``, ``staff_days``, ``student_day_load``, ``in_a_row``,
``min_days``, ``min_gap``); what counts is what they count: periods of lessons, a
lesson's day its first slot's, periods in a row by their order in the day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import permutations

from constraints.base import TimetableModel
from constraints.time_rules import Lesson, lesson_sets, rules_of

Run = tuple[int, ...]

#: Rules kinds on a person's day or week: (whose, which limit).
PERSON_KINDS = {
    "staff_max_periods_day": ("staff", "day"),
    "staff_max_days": ("staff", "days"),
    "staff_max_in_a_row": ("staff", "row"),
    "students_max_periods_day": ("students", "day"),
    "students_max_in_a_row": ("students", "row"),
}

#: Rules kinds on pairs of lessons: lessons at least N days apart, or N periods apart
#: on the same day.
PAIR_KINDS = ("min_days_apart", "min_gap")


class DayLimits:
    """Per member of staff and per student, what their days may still take; per lesson,
    the lessons it must keep apart from."""

    def __init__(self, tm: TimetableModel) -> None:
        school = tm.school
        cal = school.calendar
        self.day_of = [s.day for s in cal.slots]
        self.position = [s.day_index for s in cal.slots]
        self.day_slots = cal.day_slots
        # (whose, id) -> {"day" | "days" | "row": the smallest hard value}
        self.limits: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
        for rule in rules_of(tm, *PERSON_KINDS):
            if not rule.hard or rule.value is None:
                continue
            whose, which = PERSON_KINDS[rule.kind]
            people = school.rule_staff(rule) if whose == "staff" else school.rule_students(rule)
            for who in people:
                mine = self.limits[(whose, who)]
                mine[which] = min(mine.get(which, rule.value), rule.value)
        # Lessons a hard row keeps apart: lesson -> [(other, kind, value)]. A group's
        # lessons of one length are told apart only by their start order (the k-th of
        # them to start is lesson k), known only once all are chosen: so a run of one of
        # them keeps the rows of them all.
        pairs: dict[Lesson, list[tuple[Lesson, str, int]]] = defaultdict(list)
        for rule in rules_of(tm, *PAIR_KINDS):
            if not rule.hard or rule.value is None:
                continue
            for lessons in lesson_sets(tm, rule):
                for a, b in permutations(lessons, 2):
                    # (A min_gap of 0 only keeps lessons from overlapping, which a
                    # group's own never do.)
                    if rule.value > 0 or (rule.kind == "min_gap" and a[0] != b[0]):
                        pairs[a].append((b, rule.kind, rule.value))
        self.pairs: dict[Lesson, list[tuple[Lesson, str, int]]] = {}
        self.alike: dict[Lesson, list[int]] = {}  # lesson -> its group's of its length
        for gid, li in {x for a, bs in pairs.items() for x in (a, *(b for b, _, _ in bs))}:
            lengths = [lesson.length for lesson in tm.group_by_id[gid].lessons]
            alike = [k for k, n in enumerate(lengths) if n == lengths[li]]
            rows = [x for k in alike for x in pairs.get((gid, k), ())]
            for k in alike:
                self.alike[(gid, k)] = alike
                if rows:
                    self.pairs[(gid, k)] = rows
        # (whose, id) -> day -> the slots of their lessons placed so far
        self.busy: dict[tuple[str, str], dict[str, set[int]]] = defaultdict(
            lambda: defaultdict(set)
        )

    def __bool__(self) -> bool:
        return bool(self.limits or self.pairs)

    def allows(
        self,
        gid: str,
        li: int,
        run: Run,
        staff: tuple[str, ...],
        students: Sequence[str],
        chosen: dict[int, tuple[Run, str | None]],
        placed_run: dict[Lesson, Run],
    ) -> bool:
        """Whether the group's lesson ``li`` may take ``run``, with its lessons ``chosen``
        so far (lesson index -> run, room) and everything placed (``placed_run``)."""
        day = self.day_of[run[0]]
        mine = set(run)
        days = {day}
        for r, _ in chosen.values():
            days.add(self.day_of[r[0]])
            if self.day_of[r[0]] == day:
                mine.update(r)
        for whose, people in (("staff", staff), ("students", students)):
            for who in people:
                limit = self.limits.get((whose, who))
                if limit is None:
                    continue
                on = self.busy[(whose, who)]
                today = on[day] | mine
                if "day" in limit and len(today) > limit["day"]:
                    return False
                if "days" in limit and len({d for d, s in on.items() if s} | days) > limit["days"]:
                    return False
                if "row" in limit and self._longest(day, today) > limit["row"]:
                    return False
        for other, kind, value in self.pairs.get((gid, li), ()):
            if other[0] == gid:  # chosen in this call: any of its length may be it
                others = [chosen[k][0] for k in self.alike[other] if k in chosen]
            else:
                found = placed_run.get(other)
                others = [found] if found is not None else []
            if any(self._close(kind, value, run, r) for r in others):
                return False
        return True

    def count(
        self, runs: list[Run], staff: tuple[str, ...], students: Sequence[str], step: int
    ) -> None:
        """Add (``step`` 1) or take out (-1) a group's lessons."""
        for whose, people in (("staff", staff), ("students", students)):
            for who in people:
                if (whose, who) not in self.limits:
                    continue
                on = self.busy[(whose, who)]
                for run in runs:
                    if step > 0:
                        on[self.day_of[run[0]]].update(run)
                    else:
                        on[self.day_of[run[0]]].difference_update(run)

    def _longest(self, day: str, busy: set[int]) -> int:
        """The most periods of ``busy`` one after another in the day."""
        best = now = 0
        for t in self.day_slots[day]:
            now = now + 1 if t in busy else 0
            best = max(best, now)
        return best

    def _close(self, kind: str, value: int, a: Run, b: Run) -> bool:
        """Whether two lessons' runs are closer than a row of ``kind`` allows."""
        if kind == "min_days_apart":
            return abs(self.position[a[0]] - self.position[b[0]]) < value
        return (
            self.day_of[a[0]] == self.day_of[b[0]] and max(b[0] - a[-1], a[0] - b[-1]) - 1 < value
        )
