"""Idle periods: fewer gaps in students' and staff's days (docs/objective.md).

Section phase only, where every lesson's time is fixed. ``idle_student`` is exact:
per student and day, a slot is idle when the student is free there but busy both
earlier and later that day; ``idle_staff`` likewise, a lesson keeping its teacher busy
only when its group runs.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from constraints.base import Rule, SectionModel, Term


class IdleRule(Rule):
    def __init__(self) -> None:
        super().__init__(name="idle", title="idle periods")

    def section(self, sm: SectionModel) -> list[Term]:
        if not sm.model_idle:
            return []
        school = sm.school
        cal = school.calendar
        # Staff: times are fixed; a lesson keeps its teacher busy only if its group runs.
        staff_occ: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        for g in sm.groups:
            for p in g.staff:
                for t in g.slots:
                    staff_occ[p][t].append(sm.runs[g.id])
        for tg in school.tutor_groups:
            for t in tg.meets:
                staff_occ[tg.tutor][t].append(1)
        w = school.settings.weights
        staff_terms = []
        if w.idle_staff > 0:
            for p, occ in staff_occ.items():
                for day in cal.days:
                    staff_terms.extend(self._day_idle(sm, f"staff {p}", cal.day_slots[day], occ))
        # Students: occupancy per slot is linear in take/tutor variables.
        student_terms = []
        if w.idle_student > 0:
            for student in school.students:
                occ = defaultdict(list)
                for gid, v in sm.take.get(student.id, {}).items():
                    for t in sm.group_by_id[gid].slots:
                        occ[t].append(v)
                for tg_id, v in sm.tutor.get(student.id, {}).items():
                    for t in school.tutor_time(student, tg_id):
                        occ[t].append(v)
                for day in cal.days:
                    student_terms.extend(self._day_idle(sm, student.id, cal.day_slots[day], occ))
        return [
            Term("idle_student", sum(student_terms), w.idle_student),
            Term("idle_staff", sum(staff_terms), w.idle_staff),
        ]

    @staticmethod
    def _day_idle(sm: SectionModel, student: str, slots: tuple[int, ...], occ) -> list:
        """Exact idle indicators of one person's day (started/remaining prefix flags).

        ``occ[t]`` lists what makes the person busy at slot t (0/1 variables or the
        constant 1); at most one of them is 1.
        """
        m = sm.model
        live = [i for i, t in enumerate(slots) if occ.get(t)]
        if len(live) < 2:
            return []
        lo, hi = live[0], live[-1]
        span = slots[lo : hi + 1]
        busy = [sum(occ.get(t, [])) for t in span]
        started: list[cp_model.IntVar] = []
        remaining: list[cp_model.IntVar] = []
        for i, b in enumerate(busy):
            s = m.new_bool_var(f"started[{student},{span[i]}]")
            if i == 0:
                m.add(s == b)
            else:
                m.add(s >= started[-1])
                m.add(s >= b)
                m.add(s <= started[-1] + b)
            started.append(s)
        for i in range(len(busy) - 1, -1, -1):
            r = m.new_bool_var(f"remaining[{student},{span[i]}]")
            b = busy[i]
            if i == len(busy) - 1:
                m.add(r == b)
            else:
                m.add(r >= remaining[0])
                m.add(r >= b)
                m.add(r <= remaining[0] + b)
            remaining.insert(0, r)
        out = []
        for i in range(1, len(busy) - 1):
            idle = m.new_bool_var(f"idle[{student},{span[i]}]")
            m.add(idle <= started[i - 1])
            m.add(idle <= remaining[i + 1])
            m.add(idle <= 1 - busy[i])
            m.add(idle >= started[i - 1] + remaining[i + 1] - busy[i] - 1)
            out.append(idle)
        return out
