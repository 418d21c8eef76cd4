"""A school at a glance: what `pathways validate` prints for a workbook without errors.

:func:`school_summary` gives plain JSON-serialisable figures; :func:`render_summary`
prints them as rich tables. Demand is counted as in :mod:`scheduler.workbook.validate`:
groups needed = fixed sections, else ceil(core + option requests / max_size); alternates
only stand in for options and are not counted.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.table import Table

from scheduler.model import RequestType, School
from scheduler.workbook.validate import (
    groups_to_seat,
    num_requests,
    room_type_demand,
    subject_staff_demand,
)

__all__ = ["render_summary", "school_summary"]


def school_summary(school: School) -> dict[str, Any]:
    """Figures of a school: people, requests, groups needed, and demand against supply.

    Keys: ``name``, ``source_sha256``, ``days``, ``slots``, ``students``,
    ``students_by_year`` (year as text -> count), ``requests``, ``requests_by_type``,
    ``courses``, ``rooms``, ``staff``, ``tutor_groups``, ``groups_needed`` (course ->
    groups), ``groups_needed_total``, ``room_types`` (rows of room_type,
    periods_demanded, periods_available) and ``subjects`` (rows of subject,
    periods_demanded, staff_periods_available, staff).
    """
    years = Counter(s.year for s in school.students)
    types = Counter(r.type.value for r in school.requests)
    groups = {c.id: groups_to_seat(school, c) for c in school.courses}
    room_rows = [
        {"room_type": key, "periods_demanded": need, "periods_available": have}
        for key, (need, have, _) in room_type_demand(school).items()
    ]
    subject_rows = [
        {
            "subject": subject,
            "periods_demanded": need,
            "staff_periods_available": have,
            "staff": staff,
        }
        for subject, (need, have, _, staff) in subject_staff_demand(school).items()
    ]
    return {
        "name": school.name,
        "source_sha256": school.source_sha256,
        "days": school.calendar.num_days,
        "slots": school.calendar.num_slots,
        "students": len(school.students),
        "students_by_year": {str(y): years[y] for y in sorted(years)},
        "requests": len(school.requests),
        "requests_by_type": {t.value: types.get(t.value, 0) for t in RequestType},
        "courses": len(school.courses),
        "course_requests": {
            c.id: num_requests(school, c, frozenset(RequestType)) for c in school.courses
        },
        "rooms": len(school.rooms),
        "staff": len(school.staff),
        "tutor_groups": len(school.tutor_groups),
        "groups_needed": groups,
        "groups_needed_total": sum(groups.values()),
        "room_types": room_rows,
        "subjects": subject_rows,
    }


def _ratio_style(need: int, have: int) -> str:
    if need > have:
        return "bold red"
    if need > 0.9 * have:
        return "yellow"
    return ""


def render_summary(summary: dict[str, Any], console: Console) -> None:
    """Print a summary made by :func:`school_summary` as readable tables."""
    overview = Table(title=f"School {summary.get('name', '')}", show_header=False)
    overview.add_column("what")
    overview.add_column("count", justify="right")
    for label, key in (
        ("days", "days"),
        ("slots in the cycle", "slots"),
        ("students", "students"),
        ("requests", "requests"),
        ("courses", "courses"),
        ("rooms", "rooms"),
        ("staff", "staff"),
        ("tutor groups", "tutor_groups"),
        ("groups needed", "groups_needed_total"),
    ):
        overview.add_row(label, str(summary.get(key, 0)))
    console.print(overview)

    people = Table(title="Students by year")
    people.add_column("year")
    people.add_column("students", justify="right")
    for year, n in summary.get("students_by_year", {}).items():
        people.add_row(year, str(n))
    requests = Table(title="Requests by type")
    requests.add_column("type")
    requests.add_column("requests", justify="right")
    for kind, n in summary.get("requests_by_type", {}).items():
        requests.add_row(kind, str(n))
    console.print(people)
    console.print(requests)

    courses = Table(title="Groups needed per course")
    courses.add_column("course")
    courses.add_column("requests", justify="right")
    courses.add_column("groups", justify="right")
    reqs = summary.get("course_requests", {})
    for course, n in summary.get("groups_needed", {}).items():
        courses.add_row(course, str(reqs.get(course, "")), str(n))
    console.print(courses)

    rooms = Table(title="Room periods per cycle: demanded vs available")
    rooms.add_column("room type")
    rooms.add_column("demanded", justify="right")
    rooms.add_column("available", justify="right")
    for row in summary.get("room_types", []):
        need, have = row["periods_demanded"], row["periods_available"]
        rooms.add_row(row["room_type"], str(need), str(have), style=_ratio_style(need, have))
    console.print(rooms)

    subjects = Table(title="Teaching periods per cycle: demanded vs qualified staff's time")
    subjects.add_column("subject")
    subjects.add_column("demanded", justify="right")
    subjects.add_column("staff available", justify="right")
    subjects.add_column("staff")
    for row in summary.get("subjects", []):
        need, have = row["periods_demanded"], row["staff_periods_available"]
        staff = row.get("staff", [])
        shown = ", ".join(staff[:6]) + (f" +{len(staff) - 6}" if len(staff) > 6 else "")
        subjects.add_row(
            row["subject"], str(need), str(have), shown, style=_ratio_style(need, have)
        )
    console.print(subjects)
