"""Tiny FET files for the importer's tests: the hours, the opening every test file shares
(three days of four hours, the teachers, a year Y7 of one group 7A in two subgroups), and
the pieces constraints and activities are written with."""

from __future__ import annotations

HOURS = ("08:00-08:50", "09:00-09:50", "10:00-10:50", "11:00-11:50")


def fet_head(name: str, teachers: list[str], sizes: tuple[int, int] = (2, 2)) -> str:
    """From the XML declaration to the end of the students: ``sizes`` are 7A-1's and
    7A-2's numbers of students (Y7 and 7A hold both)."""
    one, two = sizes
    days = "".join(f"<Day><Name>{d}</Name></Day>" for d in ("Mon", "Tue", "Wed"))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<fet version="6.0.4">
<Institution_Name>{name}</Institution_Name>
<Days_List><Number_of_Days>3</Number_of_Days>
{days}
</Days_List>
<Hours_List><Number_of_Hours>4</Number_of_Hours>
{"".join(f"<Hour><Name>{h}</Name></Hour>" for h in HOURS)}
</Hours_List>
<Teachers_List>{"".join(f"<Teacher><Name>{t}</Name></Teacher>" for t in teachers)}</Teachers_List>
<Students_List>
<Year><Name>Y7</Name><Number_of_Students>{one + two}</Number_of_Students>
<Group><Name>7A</Name><Number_of_Students>{one + two}</Number_of_Students>
<Subgroup><Name>7A-1</Name><Number_of_Students>{one}</Number_of_Students></Subgroup>
<Subgroup><Name>7A-2</Name><Number_of_Students>{two}</Number_of_Students></Subgroup>
</Group></Year>
</Students_List>
"""


def constraint(tag: str, body: str, weight: int = 100) -> str:
    return (
        f"<Constraint{tag}><Weight_Percentage>{weight}</Weight_Percentage>{body}"
        f"<Active>true</Active></Constraint{tag}>"
    )


def activity_ids(*ids: int) -> str:
    return f"<Number_of_Activities>{len(ids)}</Number_of_Activities>" + "".join(
        f"<Activity_Id>{i}</Activity_Id>" for i in ids
    )
