"""The first timetable's students placed by the students' model when the greedy placement
breaks a rule it does not read (issue 13).

A FET school whose lessons are all locked: Art (Ada, 7A-1) on Mon at 08:00 and Music
(Ada, 7A-1) right after it must share a room (ActivitiesSameRoomIfConsecutive), and may
use the Small room or the Big one; Drama (Bo, 7A-2) at 09:00 fits the Small room only;
Science and PE (Cy, 7A-2) later in the morning, the Big room only. The greedy rooming
gives Art the Small room (the one fewer lessons could use), then Drama the Small room at
09:00 and Music the Big one: a break of the rule. Before, that first timetable was
dropped and ``solve --first`` went on to the ladder's round for its timetable; now the
students' model rooms them on the same times (Art and Music in the Big room)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from scheduler.cli import app
from scheduler.importers.fet import build_tables, parse_fet
from scheduler.workbook.tables import write_tables
from tests.fet_fixtures import HOURS, activity, activity_ids, constraint, fet_head, runner


def _locked(aid: int, hour: int) -> str:
    return constraint(
        "ActivityPreferredStartingTime",
        f"<Activity_Id>{aid}</Activity_Id><Preferred_Day>Mon</Preferred_Day>"
        f"<Preferred_Hour>{HOURS[hour]}</Preferred_Hour>"
        "<Permanently_Locked>true</Permanently_Locked>",
    )


def _rooms(aid: int, *rooms: str) -> str:
    if len(rooms) == 1:
        return constraint(
            "ActivityPreferredRoom", f"<Activity_Id>{aid}</Activity_Id><Room>{rooms[0]}</Room>"
        )
    listed = "".join(f"<Preferred_Room>{r}</Preferred_Room>" for r in rooms)
    return constraint(
        "ActivityPreferredRooms",
        f"<Activity_Id>{aid}</Activity_Id><Number_of_Preferred_Rooms>{len(rooms)}"
        f"</Number_of_Preferred_Rooms>{listed}",
    )


FET = f"""{fet_head("Same room FET school", ["Ada", "Bo", "Cy"])}<Activities_List>
{activity(1, 0, "Ada", "Art", "7A-1")}
{activity(2, 0, "Ada", "Music", "7A-1")}
{activity(3, 0, "Bo", "Drama", "7A-2")}
{activity(4, 0, "Cy", "Science", "7A-2")}
{activity(5, 0, "Cy", "PE", "7A-2")}
</Activities_List>
<Buildings_List></Buildings_List>
<Rooms_List>
<Room><Name>Small</Name><Building></Building><Capacity>10</Capacity></Room>
<Room><Name>Big</Name><Building></Building><Capacity>30</Capacity></Room>
</Rooms_List>
<Time_Constraints_List>
{_locked(1, 0)}{_locked(2, 1)}{_locked(3, 1)}{_locked(4, 2)}{_locked(5, 3)}
</Time_Constraints_List>
<Space_Constraints_List>
{_rooms(1, "Small", "Big")}{_rooms(2, "Small", "Big")}{_rooms(3, "Small")}
{_rooms(4, "Big")}{_rooms(5, "Big")}
{constraint("ActivitiesSameRoomIfConsecutive", activity_ids(1, 2))}
</Space_Constraints_List>
</fet>
"""


def test_a_first_timetable_whose_greedy_rooms_break_a_rule_is_mended(tmp_path: Path) -> None:
    tables, report = build_tables(parse_fet(FET.encode()), source="same-room.fet")
    assert report.complete, report.text()
    book = tmp_path / "same-room.xlsx"
    write_tables(tables, book)
    out = tmp_path / "out"
    args = ["solve", str(book), "--out", str(out), "--first", "--workers", "1"]
    r = runner.invoke(app, [*args, "--time-limit", "20", "--seed", "1", "--quiet"])
    assert r.exit_code == 0, r.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["stopped_at_first"] is True
    assert summary["rounds"] == 0  # the first timetable itself, not the ladder's
    assert summary["first_students_searched"] == 1
    r = runner.invoke(app, ["check", str(book), str(out), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["hard_violations"] == 0
    with (out / "timetable.csv").open(newline="", encoding="utf-8") as f:
        rooms = {(row["course"], row["room"]) for row in csv.DictReader(f)}
    assert {room for course, room in rooms if course in ("A1", "A2")} == {"Big"}
