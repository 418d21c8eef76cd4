"""Group sizes: a group that runs has between min_size and max_size students.

A fixed ``sections`` count is exact (rule 12): all its groups run. Term
``group_balance``: per course with several groups, largest running group minus smallest.
"""

from __future__ import annotations

from constraints.base import Rule, SectionModel, Term
from constraints.requests import weight


class GroupSizes(Rule):
    def __init__(self) -> None:
        super().__init__(name="group_sizes", title="group sizes and sections")

    def section(self, sm: SectionModel) -> list[Term]:
        school, m = sm.school, sm.model
        balance = []
        for course_id, groups in sm.course_groups.items():
            course = school.course_by_id[course_id]
            for g in groups:
                size, runs = sm.size[g.id], sm.runs[g.id]
                m.add(size >= course.min_size).only_enforce_if(runs)
                m.add(size == 0).only_enforce_if(~runs)
                if g.required:
                    m.add(runs == 1)
            if len(groups) > 1:
                big = m.new_int_var(0, course.max_size, f"largest[{course_id}]")
                small = m.new_int_var(0, course.max_size, f"smallest[{course_id}]")
                for g in groups:
                    m.add(big >= sm.size[g.id])
                    m.add(small <= sm.size[g.id]).only_enforce_if(sm.runs[g.id])
                m.add(small <= big)
                balance.append(big - small)
        return [Term("group_balance", sum(balance), weight(school, "weight_balance", 1))]
