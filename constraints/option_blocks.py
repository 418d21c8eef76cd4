"""Option blocks meet together (timetable phase): the groups of one block take the same
runs. Which groups form a block is decided before the timetable, by the blocking phase
(:mod:`scheduler.solver.blocking`).
"""

from __future__ import annotations

from itertools import pairwise

from constraints.base import Rule, Term, TimetableModel


class OptionBlocks(Rule):
    """Groups of one option block meet at the same times."""

    def __init__(self) -> None:
        super().__init__(name="option_blocks", title="option blocks meet together")

    def timetable(self, tm: TimetableModel) -> list[Term]:
        m = tm.model
        for block in tm.blocks:
            gids = [g for g in block if g in tm.place]
            for a, b in pairwise(gids):
                m.add(tm.placed[a] == tm.placed[b])
                for per_a, per_b in zip(tm.place[a], tm.place[b]):
                    for run in set(per_a) | set(per_b):
                        va, vb = per_a.get(run), per_b.get(run)
                        if va is not None and vb is not None:
                            m.add(va == vb)
                        else:
                            m.add((va if va is not None else vb) == 0)
        return []
