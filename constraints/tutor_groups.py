"""Tutor groups: every student in one, within capacity, house and family kept together.

Vertical groups (rule 3): for every year, the numbers of that year's students in any
two vertical groups of the same house (the whole school where groups have no houses)
differ by at most 2. Tutor time holds no lessons for its students (section phase) or
its tutor (see :mod:`constraints.staff`).
"""

from __future__ import annotations

from collections import defaultdict

from constraints.base import Rule, SectionModel, Term
from scheduler.plan import eligible_tutor_groups


class TutorGroupRule(Rule):
    def __init__(self) -> None:
        super().__init__(name="tutor_groups", title="tutor groups")

    def section(self, sm: SectionModel) -> list[Term]:
        school, m = sm.school, sm.model
        if not school.tutor_groups:
            return []
        members: dict[str, list] = defaultdict(list)
        for student in school.students:
            row = {}
            for tg in eligible_tutor_groups(school, student.id):
                row[tg] = m.new_bool_var(f"tutor[{student.id},{tg}]")
                members[tg].append((student, row[tg]))
            sm.tutor[student.id] = row
            if sm.variables_only:
                continue
            m.add_exactly_one(row.values())
            # Lessons may not fall in this tutor group's time (where not already banned).
            for tg, v in row.items():
                meets = school.tutor_time(student, tg)
                for gid, take in sm.take.get(student.id, {}).items():
                    if meets.intersection(sm.group_by_id[gid].slots):
                        m.add_bool_or([~take, ~v])
        if sm.variables_only:
            return []
        for group in school.tutor_groups:
            m.add(sum(v for _, v in members[group.id]) <= group.capacity)
        families: dict[str, list[str]] = defaultdict(list)
        for student in school.students:
            if student.family:
                families[student.family].append(student.id)
        for kin in families.values():
            first = sm.tutor[kin[0]]
            for other_id in kin[1:]:
                other = sm.tutor[other_id]
                for tg in set(first) | set(other):
                    a, b = first.get(tg), other.get(tg)
                    if a is None or b is None:
                        m.add((a if a is not None else b) == 0)
                    else:
                        m.add(a == b)
        for tgs in school.vertical_sets:
            part = [t.id for t in tgs]
            years = sorted({s.year for s in school.students})
            for year in years:
                counts = [sum(v for s, v in members[tg] if s.year == year) for tg in part]
                hi = m.new_int_var(0, len(school.students), f"vhi[{part[0]},{year}]")
                lo = m.new_int_var(0, len(school.students), f"vlo[{part[0]},{year}]")
                for c in counts:
                    m.add(hi >= c)
                    m.add(lo <= c)
                m.add(hi - lo <= 2)
        return []
