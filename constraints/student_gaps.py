"""Students' gaps: at most N free periods between a student's lessons, in the cycle
(Rules sheet, ``students_max_gaps_week``) or in any one day (``students_max_gaps_day``);
blank ``students``: every student.

A gap is a period of a day when the student is free (not ``unavailable``, and not one of
the row's ``slots``: breaks, say) and has no lesson, with a lesson earlier and later that
day; tutor time does not count. The workbook's validation admits the rule only for
students whose every course has one group (``sections`` 1), so their lessons are known
once the lessons' times are: it is a timetable-phase rule. Students whose courses are the
same (and who are unavailable at the same slots) share one set of constraints. Hard, or
soft at ``weight`` per gap over. FET's Students(Set)MaxGapsPerWeek / PerDay.

The checker's twin is ``student_gaps`` in :mod:`scheduler.checker`.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.base import Rule, Term, TimetableModel
from constraints.staff_gaps import StaffGaps
from constraints.time_rules import busy, rules_of, student_kinds


class StudentGaps(Rule):
    def __init__(self) -> None:
        super().__init__(name="student_gaps", title="students' gaps between lessons")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        cal = tm.school.calendar
        terms: list[Term] = []
        # Students of the same groups and free periods share their gap indicators, across
        # rows too (FET's usual pair: a row per day and a row per week).
        made: dict[tuple, list[cp_model.IntVar]] = {}
        for rule in rules_of(tm, "students_max_gaps_week", "students_max_gaps_day"):
            for student, gids in student_kinds(tm, rule):
                if not gids:
                    continue
                sid = student.id
                away = student.unavailable | rule.slots
                per_day: list[list[cp_model.IntVar]] = []
                for day in cal.days:
                    key = (frozenset(gids), frozenset(away), day)
                    if key not in made:
                        occ = [busy(tm, gids, t) for t in cal.day_slots[day] if t not in away]
                        made[key] = StaffGaps._gaps(m, f"{sid},{day},{len(made)}", occ)
                    per_day.append(made[key])
                terms.extend(StaffGaps._limit(m, rule, per_day, sid))
        return terms
