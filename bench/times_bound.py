"""How many requests a timetable's lesson times allow, whatever the seating.

    python bench/times_bound.py OUT [OUT ...]

For each solve's output folder (groups.csv, requests.csv, summary.json), every student is
given, by an exact search of their own, the groups of their courses that meet the most
core requests and then the most options (up to their option quota) without two groups at
one slot, with every group's times as the timetable has them and no group ever full.
Summed over the students this is an upper bound on what any seating of these lesson
times can meet (capacities, rooms, tutor time, travel and home days left out), next to
what the solve's own seating met. Where the two are close, it is the lesson times, not
the seating, that leave requests unmet.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

CORE = 1000  # a core request outweighs every option a student can have


def _best(
    courses: list[tuple[str, bool]],
    groups: list[list[str]],
    slots: dict[str, frozenset[tuple[str, str]]],
    quota: int,
) -> int:
    """CORE * core requests + options (at most ``quota``) of the best clash-free choice
    of one group or none per course (``groups``: each course's groups)."""
    best = 0

    def search(k: int, used: frozenset, cores: int, options: int, cores_left: int) -> None:
        nonlocal best
        if CORE * (cores + cores_left) + min(options + len(courses) - k, quota) <= best:
            return
        if k == len(courses):
            best = max(best, CORE * cores + min(options, quota))
            return
        is_core = courses[k][1]
        for g in groups[k]:
            if not slots[g] & used:
                search(
                    k + 1,
                    used | slots[g],
                    cores + is_core,
                    options + (not is_core),
                    cores_left - is_core,
                )
        search(k + 1, used, cores, options, cores_left - is_core)

    search(0, frozenset(), 0, 0, sum(is_core for _, is_core in courses))
    return best


def bound(out: Path) -> dict[str, int]:
    meets: dict[str, set[tuple[str, str]]] = defaultdict(set)
    of_course: dict[str, set[str]] = defaultdict(set)
    with open(out / "groups.csv", newline="") as f:
        for row in csv.DictReader(f):
            meets[row["group"]].add((row["day"], row["period"]))
            of_course[row["course"]].add(row["group"])
    slots = {g: frozenset(s) for g, s in meets.items()}
    requests: dict[str, list[dict[str, str]]] = defaultdict(list)
    with open(out / "requests.csv", newline="") as f:
        for row in csv.DictReader(f):
            requests[row["student"]].append(row)
    keys = ("core", "core_met", "core_bound", "options", "options_met", "options_bound")
    total = dict.fromkeys(keys, 0)
    for rows in requests.values():
        core = [r["course"] for r in rows if r["type"] == "core"]
        others = [r["course"] for r in rows if r["type"] != "core"]
        quota = sum(r["type"] == "option" for r in rows)
        total["core"] += len(core)
        total["options"] += quota
        total["core_met"] += sum(r["status"] == "met" for r in rows if r["type"] == "core")
        total["options_met"] += sum(r["status"] == "met" for r in rows if r["type"] != "core")
        courses = [(c, True) for c in core] + [(c, False) for c in others]
        courses.sort(key=lambda c: (not c[1], len(of_course.get(c[0], ()))))
        options = [sorted(of_course.get(c, ())) for c, _ in courses]
        best = _best(courses, options, slots, quota)
        total["core_bound"] += best // CORE
        total["options_bound"] += best % CORE
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outs", nargs="+", type=Path)
    args = ap.parse_args()
    print("| solve | core met / times allow / asked | options met / times allow / quota |")
    print("|---|---|---|")
    for out in args.outs:
        t = bound(out)
        summary = json.loads((out / "summary.json").read_text())
        assert summary["requests_core_met"] == t["core_met"], "requests.csv and summary differ"
        print(
            f"| {out} | {t['core_met']} / {t['core_bound']} / {t['core']} "
            f"| {t['options_met']} / {t['options_bound']} / {t['options']} |"
        )


if __name__ == "__main__":
    main()
