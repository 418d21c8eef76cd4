"""Soft MinDays kept by FET and by Pathways, from a side-by-side run (issue 13).

For each file folder ``WORK/fNNN`` that ``bench/fet_side_by_side.py --work WORK`` wrote,
counts the pairs of activities named together by the file's active
MinDaysBetweenActivities below 100% and, in FET's timetable (``fet/timetables/*/
*_activities.xml``) and in Pathways' (``pathways/groups.csv``; an activity taken apart is
the course ``A<id>``), how many of those pairs fall on one day, and of those under
``Consecutive_If_Same_Day`` how many are one right after the other. Prints a line per file
and the totals.

    python bench/fet_min_days_same_day.py /tmp/fet_side_by_side
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scheduler.importers.fet import FetFile, read_fet
from scheduler.importers.fet_timetable import read_activities_xml

#: activity id -> (day, first hour index, last hour index)
Places = dict[int, tuple[str, int, int]]


def fet_places(folder: Path, fet: FetFile) -> Places | None:
    found = sorted(folder.glob("fet/timetables/*/*_activities.xml"))
    if not found:
        return None
    hours = list(fet.hours)
    duration = {a.id: a.duration for a in fet.activities}
    out: Places = {}
    for aid, p in read_activities_xml(found[0]).items():
        if p.day and p.hour in hours:
            h = hours.index(p.hour)
            out[aid] = (p.day, h, h + duration.get(aid, 1) - 1)
    return out


def pathways_places(folder: Path) -> Places | None:
    groups = folder / "pathways" / "groups.csv"
    if not groups.exists():
        return None
    slots: dict[str, list[tuple[str, int]]] = defaultdict(list)
    with groups.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            slots[row["course"]].append((row["day"], int(row["period"])))
    out: Places = {}
    for course, got in slots.items():
        days = {d for d, _ in got}
        if course[1:].isdigit() and len(days) == 1:  # a course of one lesson
            periods = [p for _, p in got]
            out[int(course[1:])] = (got[0][0], min(periods), max(periods))
    return out


def count(fet: FetFile, places: Places) -> Counter[str]:
    c: Counter[str] = Counter()
    for k in fet.constraints:
        if k.tag != "ConstraintMinDaysBetweenActivities" or not k.active or k.hard:
            continue
        ids = [int(x) for x in k.all("Activity_Id") if x.isdigit() and int(x) in places]
        together = (k.get("Consecutive_If_Same_Day") or "").strip().casefold() == "true"
        for n, x in enumerate(ids):
            for y in ids[n + 1 :]:
                (dx, fx, lx), (dy, fy, ly) = places[x], places[y]
                c["pairs"] += 1
                if dx != dy:
                    continue
                c["same day"] += 1
                if together:
                    c["same day, consecutive if same day"] += 1
                    c["  of those one right after the other"] += lx + 1 == fy or ly + 1 == fx
    return c


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("work", type=Path, help="the side-by-side bench's --work folder")
    args = ap.parse_args()
    totals = {"FET": Counter[str](), "Pathways": Counter[str]()}
    for folder in sorted(args.work.glob("f[0-9]*")):
        source = folder / "input.fet"
        if not source.exists():
            continue
        fet = read_fet(source)
        for who, places in (
            ("FET", fet_places(folder, fet)),
            ("Pathways", pathways_places(folder)),
        ):
            if places is None:
                continue
            got = count(fet, places)
            totals[who].update(got)
            print(f"{folder.name} {who}: {dict(got)}")
    for who, got in totals.items():
        print(f"total {who}: {dict(got)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
