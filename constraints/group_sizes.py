"""Group sizes: a group that runs has between min_size and max_size students.

A fixed ``sections`` count is exact (rule 12): all its groups run. Term
``group_balance``: per course with several groups, largest running group minus smallest.
"""

from __future__ import annotations

from constraints.base import Rule, SectionModel, Term


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
                # Exact (not just bounds), so the term's value matches the checker's even
                # before the search proves optimality: largest running size minus
                # smallest, 0 when fewer than two groups run.
                cap = course.max_size
                big = m.new_int_var(0, cap, f"largest[{course_id}]")
                small = m.new_int_var(0, cap, f"smallest[{course_id}]")
                m.add_max_equality(big, [sm.size[g.id] for g in groups])
                # A group that does not run counts as max_size, so it never is the smallest.
                m.add_min_equality(
                    small, [sm.size[g.id] + cap - cap * sm.runs[g.id] for g in groups]
                )
                spread = m.new_int_var(0, cap, f"spread[{course_id}]")
                m.add_max_equality(spread, [0, big - small])
                balance.append(spread)
        return [Term("group_balance", sum(balance), school.settings.weights.balance)]
