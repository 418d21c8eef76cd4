"""The domain model's own answers (scheduler/model.py): which tutor groups a student may
join and which vertical groups are balanced together. A house is text compared as
written: docs/workbook.md makes only sheet names and column headers case-insensitive."""

from __future__ import annotations

from dataclasses import replace

from scheduler.model import Student, TutorGroup, days_named
from tests.checker_fixtures import tiny_school


def group(gid: str, house: str | None, vertical: bool = True) -> TutorGroup:
    return TutorGroup(gid, "T4", 3, frozenset({0}), house=house, vertical=vertical)


def test_takes_house_is_exact_where_both_have_one() -> None:
    red = group("TG", "Red")
    assert red.takes_house("Red") and red.takes_house(None)
    assert not red.takes_house("red") and not red.takes_house("Red ")
    assert group("TG", None).takes_house("red")
    assert red.open_to(Student("S1", 7, house="Red"))
    assert not red.open_to(Student("S1", 7, house="RED"))


def test_vertical_sets_by_house_as_written() -> None:
    groups = (
        group("A", "Red"),
        group("B", "red"),
        group("C", "Red"),
        group("D", None),
        group("E", None),
        group("F", "Red", vertical=False),
        group("G", "red"),
    )
    school = tiny_school(tutor_groups=groups)
    assert [[t.id for t in ts] for ts in school.vertical_sets] == [
        ["A", "C"],
        ["B", "G"],
        ["D", "E"],
    ]


def test_vertical_sets_whole_school_without_houses() -> None:
    groups = tuple(replace(t, house=None) for t in tiny_school().tutor_groups)
    assert [[t.id for t in ts] for ts in tiny_school(tutor_groups=groups).vertical_sets] == [
        ["TG-A", "TG-B"]
    ]
    assert tiny_school(tutor_groups=groups[:1]).vertical_sets == ()


def test_tutor_time_is_the_groups_meets_but_home_days() -> None:
    school = tiny_school()
    tg = school.tutor_groups[0]
    home_day = school.calendar.slots[min(tg.meets)].day
    student = Student("S9", 7, home_days=frozenset({home_day}))
    assert school.tutor_time(Student("S8", 7), tg.id) == tg.meets
    assert school.tutor_time(student, tg.id) == tg.meets - school.home_slots(student)
    assert min(tg.meets) not in school.tutor_time(student, tg.id)
    assert school.tutor_time(student, None) == school.tutor_time(student, "no such") == frozenset()


def test_room_open_is_every_slot_but_the_rooms_unavailable_ones() -> None:
    school = tiny_school()
    room = replace(school.rooms[0], unavailable=frozenset({0, 1}))
    assert school.room_open(school.rooms[0]) == school.calendar.num_slots - len(
        school.rooms[0].unavailable
    )
    assert school.room_open(room) == school.calendar.num_slots - 2


def test_days_named_exact_label_else_every_week_of_the_weekday() -> None:
    days = ("Wk1 Mon", "Wk1 Tue", "Wk2 Mon", "Wk2 Tue")
    assert days_named(days, " wk1 mon ") == ("Wk1 Mon",)
    assert days_named(days, "MON") == ("Wk1 Mon", "Wk2 Mon")
    assert days_named(days, "Wed") == ()


def test_a_run_of_slots_in_words() -> None:
    """One wording of a lesson's slots, for the checker's messages and changes.csv."""
    cal = tiny_school().calendar
    mon3, mon4 = cal.by_label["Mon 3"], cal.by_label["Mon 4"]
    assert cal.run_label((mon3,)) == "Mon 3"
    assert cal.run_label((mon3, mon4)) == "Mon 3-4"


def test_lessons_a_day_one_while_days_last_then_spread_evenly() -> None:
    """Rule 4 as the solver keeps it: one lesson of a group a day while the cycle has a
    day for each, then ceil(lessons / days)."""
    cal = tiny_school().calendar
    days = cal.num_days
    assert cal.lessons_a_day(0) == 1
    assert cal.lessons_a_day(days) == 1
    assert cal.lessons_a_day(days + 1) == 2
    assert cal.lessons_a_day(2 * days) == 2
    assert cal.lessons_a_day(2 * days + 1) == 3


def test_group_ids_made_and_read_back() -> None:
    from scheduler.model import group_id, group_number

    assert group_id("MA-3", 2) == "MA-3.2"
    assert group_number("MA-3.2", "MA-3") == 2
    assert group_number("MA-3.x", "MA-3") is None and group_number("MA.2", "MA-3") is None
