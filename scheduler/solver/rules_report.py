"""Which of the Rules sheet's hard rows stand in the way of a timetable (``pathways
explain`` on a school with hard Rules rows).

When no timetable comes in time, ``pathways solve`` can only say so. This report runs the
solve up to its first timetable with :attr:`SolveOptions.diagnose_rules`: where the quick
placement is incomplete, the engine (:func:`scheduler.solver.engine.rules_in_the_way`)
places every lesson without the hard rows, then looks for the placement that breaks them
least, and names the rows that placement still breaks and by how much. A row named here
is where a timetabler starts: make it soft (a weight), loosen it, or give the solve
longer. Nothing here is proof that the rows cannot hold together; the words say so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

from scheduler.model import School, TimeRule
from scheduler.solver.engine import SolveOptions, solve_school

#: The rows named in words at most (most broken first; ``rows`` has them all): FET's
#: GYR-more-difficult's nearest placement broke 191 of its 803 hard rows.
SHOWN = 20


@dataclass
class RulesReport:
    """What :func:`rules_report` found (``as_dict`` for JSON; ``lines`` in words)."""

    rows_hard: int
    seconds: float
    limit: float
    #: A first timetable came without the diagnosis: it keeps every hard row.
    timetable: bool = False
    #: Every lesson placed with the hard rows left out (None: not looked for).
    placed_without_rows: bool | None = None
    placed_without_rows_s: float | None = None
    #: The nearest placement's excess over the rows, summed (0: it keeps every row;
    #: None: none found with the rows counted).
    over_total: int | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    #: The school solved again up to its first timetable with the named rows soft
    #: (:func:`try_soft`): ``timetable`` (one came and the checker found no hard
    #: violation), ``seconds``, ``limit``; None where that was not tried.
    tried: dict[str, Any] | None = None
    #: Why the solve made no first timetable, where it made none without the diagnosis
    #: (its explanation, e.g. a students' placement that broke a rule).
    why: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows_hard": self.rows_hard,
            "seconds": round(self.seconds, 1),
            "limit": self.limit,
            "timetable": self.timetable,
            "placed_without_rows": self.placed_without_rows,
            "placed_without_rows_s": self.placed_without_rows_s,
            "over_total": self.over_total,
            "rows": self.rows,
            "tried": self.tried,
            "why": self.why,
            "lines": self.lines(),
        }

    def lines(self) -> list[str]:
        """The answer in the school's words, the first line a headline."""
        n = self.rows_hard
        if self.timetable:
            return [f"A first timetable keeps every one of the {n} hard Rules rows."]
        if self.placed_without_rows is None:
            because = f": {self.why[0]}" if self.why else ""
            return [
                (
                    f"No first timetable came in {self.limit:g} s (--solve-limit), before any "
                    f"search that weighs the {n} hard Rules rows{because}."
                )
            ]
        if not self.placed_without_rows:
            return [
                (
                    f"Even without the {n} hard Rules rows, no placement of every lesson was "
                    f"found in {self.seconds:.0f} s: the rows are not all that stands in the way "
                    "(the lessons' staff, rooms and classes leave little room; see the conflicts "
                    "above, if any), or the search needs longer (--solve-limit)."
                )
            ]
        placed = (
            f"Every lesson has a place without the {n} hard Rules rows (found in "
            f"{self.placed_without_rows_s:g} s)."
        )
        if self.over_total is None:
            return [
                placed,
                (
                    f"No placement with the rows counted was found in {self.limit:g} s "
                    "(--solve-limit)."
                ),
            ]
        if self.over_total == 0:
            return [
                placed,
                (
                    "A placement that keeps every row was found too: the solve needs longer "
                    "(a longer --time-limit)."
                ),
            ]
        return [
            placed,
            (
                f"The nearest placement found with them breaks {len(self.rows)} of the rows "
                f"({self.over_total} over in all; not a proof that they cannot hold, the "
                "nearest found in "
                f"{self.seconds:.0f} s). Making these soft (a weight) or looser is where to start:"
            ),
            *(f"{r['where']} {r['says']}: {r['over']} over{_whom(r)}" for r in self.rows[:SHOWN]),
            *(
                [f"... and {len(self.rows) - SHOWN} more rows (--json lists them all)"]
                if len(self.rows) > SHOWN
                else []
            ),
            *self._tried_words(),
        ]

    def _tried_words(self) -> list[str]:
        t = self.tried
        if t is None:
            return []
        n = len(self.rows)
        rows = "With this row soft (weight 1)" if n == 1 else f"With these {n} rows soft (weight 1)"
        if t["timetable"]:
            done = f"the solve made a first timetable in {t['seconds']:.1f} s"
            return [f"{rows}, {done} (solved for real, no hard violation)."]
        return [f"{rows}, the solve still made no timetable in {t['limit']:g} s."]


def _whom(row: dict[str, Any], most: int = 5) -> str:
    """Whom a row's excess is over, e.g. " (Albonetti 1, Barletta 1)"."""
    whom = row.get("whom") or []
    if not whom:
        return ""
    words = [f"{who} {n}" for who, n in whom[:most]]
    more = f", {len(whom) - most} more" if len(whom) > most else ""
    return f" ({', '.join(words)}{more})"


def row_says(rule: TimeRule) -> str:
    """A Rules row in brief: its kind, value, and whom or which lessons it is about."""
    parts = [rule.kind]
    if rule.value is not None:
        parts.append(str(rule.value))
    who = rule.staff or rule.students
    if who:
        parts.append(", ".join(who[:4]) + (" ..." if len(who) > 4 else ""))
    if rule.lessons:
        refs = [str(x) for x in rule.lessons]
        parts.append(", ".join(refs[:4]) + (" ..." if len(refs) > 4 else ""))
    return " ".join(parts)


def rules_report(
    school: School, limit: float, seed: int, workers: int, try_them: bool = False
) -> RulesReport | None:
    """Solve up to the first timetable within ``limit`` seconds, and where its placement
    is incomplete, say which hard Rules rows stand in the way; ``try_them``: then solve
    the school again with those rows soft (:func:`try_soft`). None where the school has
    no hard Rules row."""
    hard = school.hard_rules
    if not hard:
        return None
    opts = SolveOptions.from_settings(school.settings, time_limit=limit, seed=seed, workers=workers)
    began = time.monotonic()
    solution = solve_school(
        school, replace(opts, first_only=True, diagnose_rules=True), progress=False
    )
    report = RulesReport(len(hard), time.monotonic() - began, limit)
    found = solution.stats.get("rules_in_the_way")
    if not isinstance(found, dict):
        report.timetable = bool(solution.groups)
        report.why = [] if report.timetable else solution.stats.explanation
        return report
    report.placed_without_rows = bool(found.get("core_placed"))
    report.placed_without_rows_s = found.get("core_s")
    report.over_total = found.get("over_total")
    report.rows = [
        {**r, "says": row_says(school.time_rules[r["index"]])} for r in found.get("rows", [])
    ]
    if try_them and report.rows:
        report.tried = try_soft(school, [r["index"] for r in report.rows], opts)
    return report


def try_soft(school: School, indices: list[int], opts: SolveOptions) -> dict[str, Any]:
    """The school solved up to its first timetable with these rows of
    ``school.time_rules`` soft (weight 1), the timetable judged by the independent
    checker: whether the rows named are really what stood in the way (FET's
    liceo-scientifico with its one row soft: a first timetable at 34 s; none before)."""
    from scheduler.checker import check_solution

    soft = set(indices)
    changed = replace(
        school,
        time_rules=tuple(
            replace(r, weight=1) if i in soft else r for i, r in enumerate(school.time_rules)
        ),
    )
    began = time.monotonic()
    solution = solve_school(changed, replace(opts, first_only=True), progress=False)
    seconds = time.monotonic() - began
    holds = bool(solution.groups) and not check_solution(changed, solution).hard_violations
    return {"timetable": holds, "seconds": round(seconds, 1), "limit": opts.time_limit}
