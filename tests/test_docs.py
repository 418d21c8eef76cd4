"""The contracts that travel with the project: docs/ links only what a clone has, and
docs/workbook.md states the bounds validation enforces."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scheduler import model
from scheduler.workbook import validate

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _pages() -> list[Path]:
    return [ROOT / "README.md", ROOT / "examples" / "README.md", *sorted(DOCS.glob("*.md"))]


def test_links_point_inside_the_project() -> None:
    for page in _pages():
        text = page.read_text(encoding="utf-8")
        assert "shared/spec" not in text, page
        for target in re.findall(r"\]\(([^)#\s]+)", text):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            assert (page.parent / target).exists(), (page.name, target)


def test_workbook_md_states_the_bounds_validation_enforces() -> None:
    text = (DOCS / "workbook.md").read_text(encoding="utf-8")
    section = text.split("## Values checked (added by the project)", 1)[1]
    rows = {
        tuple(c.strip() for c in line.strip("| ").split("|")[:2]): line
        for line in section.splitlines()
        if line.startswith("  | ")
    }

    def says(sheet: str, column: str, *numbers: int) -> None:
        line = rows[sheet, column]
        for n in numbers:
            assert f"{n:,}" in line, (sheet, column, n, line)

    says("Rooms", "capacity", validate.MAX_SEATS)
    says("Rooms", "max_groups", validate.MAX_GROUPS_AT_ONCE)
    says("Staff", "max_periods", validate.MAX_PERIODS)
    says("Courses", "min_size, max_size", validate.MAX_SEATS)
    says("Courses", "staff_per_group", validate.MAX_STAFF_PER_GROUP)
    says("Courses", "sections", validate.MAX_SECTIONS)
    says("Locks", "group", validate.MAX_SECTIONS)
    says("Requests, Pathways", "rank", validate.MAX_RANK)
    says("TutorGroups", "capacity", validate.MAX_SEATS)
    says("Travel", "minutes", validate.MAX_TRAVEL_MINUTES)
    says("Settings", "time_limit_s", model.TIME_LIMIT_MAX_S)
    says("Settings", "seed", model.SEED_MAX)
    says("Settings", "workers", model.WORKERS_MAX)
    says("Settings", "weight_* (objective weights)", model.WEIGHT_MAX)


SHARED = Path("/work/shared/spec/workbook.md")


@pytest.mark.skipif(not SHARED.exists(), reason="no shared contract on this machine")
def test_workbook_md_only_adds_to_the_shared_contract() -> None:
    ours = (DOCS / "workbook.md").read_text(encoding="utf-8")
    shared = SHARED.read_text(encoding="utf-8")
    body = ours.split("\n\n", 1)[1]  # after the note that this is the project's copy
    assert body.startswith(shared.rstrip("\n")), "docs/workbook.md changed the shared text"
