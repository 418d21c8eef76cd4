"""``pathways import fet`` of rooms filled to FET's count of students: FET lets an
activity into a room whose capacity holds the numbers its student sets declare (a group's
own Number_of_Students), while the workbook's students are those of the subgroups, whose
numbers need not add up to the group's. A room FET fills keeps that activity (its
capacity grows, and the report says so); a room FET keeps the activity out of stays as
it was. FET's own timetable of such a file passes ``pathways check``."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.importers.fet import build_tables, parse_fet
from tests.fet_fixtures import activity, constraint, fet_head, solve_tables


def fet(group_declares: int, room_holds: int) -> str:
    """Year Y7 of one group 7A (declaring ``group_declares`` students) in two subgroups of
    18. Ada teaches 7A Science (1, 2: split) in the Lab (``room_holds`` seats), Bo 7A-1
    Art in the Lab too."""
    head = fet_head("Room sizes FET school", ["Ada", "Bo"], sizes=(18, 18)).replace(
        "<Group><Name>7A</Name><Number_of_Students>36<",
        f"<Group><Name>7A</Name><Number_of_Students>{group_declares}<",
    )
    return f"""{head}<Activities_List>
{activity(1, 1, "Ada", "Science", "7A")}
{activity(2, 1, "Ada", "Science", "7A")}
{activity(3, 0, "Bo", "Art", "7A-1")}
</Activities_List>
<Buildings_List></Buildings_List>
<Rooms_List>
<Room><Name>Lab</Name><Building></Building><Capacity>{room_holds}</Capacity></Room>
</Rooms_List>
<Time_Constraints_List></Time_Constraints_List>
<Space_Constraints_List>
{constraint("SubjectPreferredRoom", "<Subject>Science</Subject><Room>Lab</Room>")}
{constraint("SubjectPreferredRoom", "<Subject>Art</Subject><Room>Lab</Room>")}
</Space_Constraints_List>
</fet>
"""


def _lab(tables) -> int:
    (lab,) = [r for r in tables["Rooms"] if r["room"] == "Lab"]
    return int(lab["capacity"])


def test_a_room_fet_fills_with_a_group_seats_its_subgroups_students(tmp_path: Path) -> None:
    # 7A declares 35, its subgroups hold 36: FET puts 7A in the Lab of 35.
    tables, report = build_tables(parse_fet(fet(35, 35).encode()), source="sizes.fet")
    assert report.complete, report.text()
    assert _lab(tables) == 36
    assert any("Lab: 35 -> 36" in note for note in report.notes), report.notes
    _, check = solve_tables(tables, tmp_path, "sizes")
    assert check["hard_violations"] == 0


@pytest.mark.parametrize(
    ("declares", "holds"),
    [
        (36, 36),  # the numbers add up: nothing to grow
        (36, 35),  # FET keeps 7A out of the Lab as well
    ],
)
def test_a_room_keeps_its_capacity_otherwise(declares: int, holds: int) -> None:
    tables, report = build_tables(parse_fet(fet(declares, holds).encode()), source="sizes.fet")
    assert _lab(tables) == holds
    assert not any("larger capacity" in note for note in report.notes), report.notes
