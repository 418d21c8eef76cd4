"""Lessons side by side: two lessons on one day, one right after the other (Rules
sheet, ``consecutive``: the second starts at the period after the first's last;
``grouped``: either one first); or three lessons (``grouped`` only) one after another
on one day, in any order.

A row names two lessons (``MA.1:1, EN.1:2``, or a group or course that has one lesson
only); its ``slots``, if any, are skipped between them (breaks: a lesson after the break
that follows the first is right after it, as in FET). Timetable phase: each run of the first lesson, when taken and the second lesson's
group is timetabled, needs the second at a run starting right after it (or, for
``grouped``, ending right before it) on the same day. Hard, or soft at ``weight`` per
pair apart. Three lessons grouped: no two of them overlap, and each, when taken, is
right after or right before one of the other two (of three lessons, that makes one
block; when one's group is not timetabled, the other two are grouped); soft at
``weight`` per three not in one block. FET's TwoActivitiesConsecutive,
TwoActivitiesGrouped and ThreeActivitiesGrouped.

The checker's twin is ``lesson_pairs`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from constraints.base import Rule, Term, TimetableModel
from constraints.time_rules import Lesson, lesson_sets, rules_of
from scheduler.model import TimeRule


class LessonPairs(Rule):
    def __init__(self) -> None:
        super().__init__(name="lesson_pairs", title="lessons one right after the other")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        day_of = [s.day_index for s in tm.school.calendar.slots]
        terms: list[Term] = []
        for rule in rules_of(tm, "consecutive", "grouped"):
            for lessons in lesson_sets(tm, rule):
                if len(lessons) == 3 and rule.kind == "grouped":
                    terms.extend(self._three(tm, rule, lessons))
                    continue
                if len(lessons) != 2:
                    continue  # a lesson whose group is not timetabled: the rule holds
                a, b = lessons
                b_from = self._by(tm, b, first=True)
                b_to = self._by(tm, b, first=False)
                apart = None
                if not rule.hard:
                    apart = m.new_bool_var(f"pair_apart[{rule.row},{a},{b}]")
                    terms.append(Term(f"rule_{rule.kind}", apart, rule.weight or 1, rule.row))
                gid_b = b[0]
                for run, v in tm.place[a[0]][a[1]].items():
                    after, before = self._next_to(rule, run, day_of)
                    fits: list[cp_model.IntVar] = []
                    if after is not None:
                        fits.extend(b_from.get(after, []))
                    if rule.kind == "grouped" and before is not None:
                        fits.extend(b_to.get(before, []))
                    when = [v, tm.placed[gid_b]] + ([] if apart is None else [~apart])
                    if fits:
                        m.add(sum(fits) >= 1).only_enforce_if(when)
                    else:
                        m.add_bool_or([~x for x in when])
        return terms

    def _three(self, tm: TimetableModel, rule: TimeRule, lessons: list[Lesson]) -> list[Term]:
        """Three lessons grouped: none overlaps another, and each is next to another."""
        m = tm.model
        day_of = [s.day_index for s in tm.school.calendar.slots]
        apart = None
        out: list[Term] = []
        if not rule.hard:
            apart = m.new_bool_var(f"three_apart[{rule.row},{lessons[0]}]")
            out.append(Term("rule_grouped", apart, rule.weight or 1, rule.row))
        unless = [] if apart is None else [apart]
        for i, j in ((0, 1), (0, 2), (1, 2)):
            (gx, lx), (gy, ly) = lessons[i], lessons[j]
            for t in set(tm.slots_of(gx)) & set(tm.slots_of(gy)):
                ax = [v for run, v in tm.place[gx][lx].items() if t in run]
                ay = [v for run, v in tm.place[gy][ly].items() if t in run]
                if ax and ay:
                    m.add(sum(ax) + sum(ay) <= 1).only_enforce_if([~u for u in unless])
        ends = {x: (self._by(tm, x, first=True), self._by(tm, x, first=False)) for x in lessons}
        for x in lessons:
            others = [y for y in lessons if y != x]
            for run, v in tm.place[x[0]][x[1]].items():
                after, before = self._next_to(rule, run, day_of)
                fits: dict[Lesson, list[cp_model.IntVar]] = {}
                for y in others:
                    starts, finishes = ends[y]
                    near: list[cp_model.IntVar] = []
                    if after is not None:
                        near.extend(starts.get(after, []))
                    if before is not None:
                        near.extend(finishes.get(before, []))
                    fits[y] = near
                y, z = others
                py, pz = tm.placed[y[0]], tm.placed[z[0]]
                # Next to whichever of the other two are timetabled.
                for when, near in (
                    ([v, py, pz], fits[y] + fits[z]),
                    ([v, py, ~pz], fits[y]),
                    ([v, ~py, pz], fits[z]),
                ):
                    m.add_bool_or([*(~c for c in when), *near, *unless])
        return out

    @staticmethod
    def _next_to(
        rule: TimeRule, run: tuple[int, ...], day_of: list[int]
    ) -> tuple[int | None, int | None]:
        """The slots just after and just before a lesson held at ``run``, passing over the
        row's slots (breaks), each None when it is not on the lesson's day."""
        after, before = run[-1] + 1, run[0] - 1
        while after in rule.slots:
            after += 1
        while before in rule.slots:
            before -= 1
        day = day_of[run[0]]
        return (
            after if after < len(day_of) and day_of[after] == day else None,
            before if before >= 0 and day_of[before] == day else None,
        )

    @staticmethod
    def _by(tm: TimetableModel, lesson: Lesson, first: bool) -> dict[int, list[cp_model.IntVar]]:
        """First (or last) slot -> the placement variables of the lesson there."""
        gid, li = lesson
        out: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for run, v in tm.place[gid][li].items():
            out[run[0] if first else run[-1]].append(v)
        return out
