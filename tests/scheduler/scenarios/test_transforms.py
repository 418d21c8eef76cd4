"""Every scenario transformation on a hand-made school of four students, with the exact
expected tables; every result is read back and validated like any workbook."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from scheduler.scenarios.tables_ops import ChangeError, matches
from scheduler.scenarios.transforms import TRANSFORMATIONS, apply_change
from scheduler.workbook.problems import InputError
from scheduler.workbook.read import load_school
from scheduler.workbook.tables import Tables, write_tables
from tests.scenario_fixtures import course_row, school_tables


def change(name: str, **settings: Any) -> Tables:
    """Apply one change to a fresh fixture, and check the fixture was left as it was."""
    before = school_tables()
    kept = copy.deepcopy(before)
    after = apply_change(before, name, settings)
    assert before == kept, f"{name} changed its input"
    return after


def rows(tables: Tables, sheet: str, column: str, value: Any) -> list[dict[str, Any]]:
    return [r for r in tables[sheet] if r.get(column) == value]


def loads(tables: Tables, tmp_path) -> None:
    """The tables are a valid workbook (no errors, no warnings)."""
    folder = tmp_path / "book"
    write_tables(tables, folder)
    try:
        _, warnings = load_school(folder)
    except InputError as exc:
        pytest.fail("; ".join(str(p) for p in exc.problems))
    assert [str(w) for w in warnings] == []


# ---- the generic change ----------------------------------------------------------------


def test_set_changes_only_matching_rows():
    out = change("set", sheet="courses", where={"subject": "maths"}, values={"Max Size": 20})
    base = school_tables()
    assert [r["max_size"] for r in out["Courses"]] == [20, 20, 30, 30, 30, 30, 30]
    assert [r for r in out["Courses"] if r["subject"] != "Maths"] == [
        r for r in base["Courses"] if r["subject"] != "Maths"
    ]


def test_set_with_list_filter_and_list_value():
    out = change(
        "set",
        sheet="Students",
        where={"student": ["S1", "S4"]},
        values={"home_days": ["Mon", "Tue"], "house": None},
    )
    assert [(r["student"], r.get("home_days")) for r in out["Students"]] == [
        ("S1", "Mon,Tue"),
        ("S2", None),
        ("S3", None),
        ("S4", "Mon,Tue"),
    ]


def test_set_with_a_filter_matching_nothing_is_an_error():
    with pytest.raises(ChangeError, match="no row of Courses has subject = Latin"):
        change("set", sheet="Courses", where={"subject": "Latin"}, values={"max_size": 5})
    with pytest.raises(ChangeError, match="no sheet called 'Lessons'"):
        change("set", sheet="Lessons", values={"x": 1})


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"years": 7}, ["MA7", "HI7", "GE7"]),
        ({"years": [8, "9"]}, ["MA8", "HI8"]),
        ({"stage": ">=2"}, ["EN-3"]),
        ({"stage": None, "subject": "!=Maths"}, ["HI7", "HI8", "GE7"]),
        ({"course": "MA*"}, ["MA7", "MA8"]),
        ({"years": "!=7"}, ["MA8", "HI8", "EN-1", "EN-3"]),
        ({"sections": "!=null"}, ["MA8"]),
    ],
)
def test_filters(where, expected):
    assert [r["course"] for r in school_tables()["Courses"] if matches(r, where)] == expected


def test_settings_updates_and_adds_keys():
    out = change("settings", time_limit_s=30, weight_idle_student=5)
    assert out["Settings"] == [
        {"key": "time_limit_s", "value": 30},
        {"key": "weight_idle_student", "value": 5},
    ]


# ---- rooms and staff -------------------------------------------------------------------


def test_add_rooms_numbers_a_prefix():
    out = change(
        "add_rooms",
        rooms=[
            {
                "room": "OPEN",
                "capacity": 90,
                "type": ["classroom", "open-plan"],
                "max_groups": 3,
                "count": 2,
            },
            {"room": "HALL", "capacity": 120, "type": "hall"},
        ],
    )
    assert out["Rooms"][3:] == [
        {"room": "OPEN1", "capacity": 90, "type": "classroom,open-plan", "max_groups": 3},
        {"room": "OPEN2", "capacity": 90, "type": "classroom,open-plan", "max_groups": 3},
        {"room": "HALL", "capacity": 120, "type": "hall"},
    ]
    with pytest.raises(ChangeError, match="already a room C1"):
        change("add_rooms", rooms=[{"room": "C1", "capacity": 5, "type": "lab"}])


def test_remove_rooms_takes_the_last_matching_and_frees_tutor_groups():
    out = change("remove_rooms", where={"type": "classroom"}, count=1)
    assert [r["room"] for r in out["Rooms"]] == ["C1", "LAB1"]
    assert [(g["group"], g["room"]) for g in out["TutorGroups"]] == [("7A", "C1"), ("8A", None)]
    with pytest.raises(ChangeError, match="only 2 room"):
        change("remove_rooms", where={"type": "classroom"}, count=3)
    with pytest.raises(ChangeError, match="no room X9"):
        change("remove_rooms", rooms=["X9"])


def test_add_staff():
    out = change(
        "add_staff",
        staff=[{"staff": "TUT", "subjects": ["Maths", "English"], "max_periods": 4, "count": 2}],
    )
    assert out["Staff"][4:] == [
        {"staff": "TUT1", "subjects": "Maths,English", "max_periods": 4},
        {"staff": "TUT2", "subjects": "Maths,English", "max_periods": 4},
    ]


# ---- courses ---------------------------------------------------------------------------


def test_group_sizes_single_tutorials_clear_fixed_sections():
    out = change("group_sizes", where={"course": "MA8"}, max_size=1)
    assert rows(out, "Courses", "course", "MA8") == [
        course_row("MA8", "Maths", "1,1", "8", max_size=1, min_size=1, sections=None)
    ]


def test_group_sizes_lectures():
    out = change(
        "group_sizes",
        where={"subject": "History"},
        min_size=2,
        max_size=120,
        room_type="hall",
        staff_per_group=2,
    )
    assert rows(out, "Courses", "subject", "History") == [
        course_row(
            "HI7",
            "History",
            "1",
            "7",
            min_size=2,
            max_size=120,
            room_type="hall",
            staff_per_group=2,
        ),
        course_row(
            "HI8",
            "History",
            "1",
            "8",
            min_size=2,
            max_size=120,
            room_type="hall",
            staff_per_group=2,
        ),
    ]


def test_online_courses():
    out = change("online_courses", where={"subject": "Geography"}, max_size=40)
    assert rows(out, "Courses", "course", "GE7") == [
        course_row("GE7", "Geography", "1", "7", room_type=None, mode="online", max_size=40)
    ]


def test_projects_merge_subjects_into_one_course_per_year():
    out = change(
        "projects_replace_lessons",
        subjects=["History", "Geography"],
        years=[7],
        block=2,
        max_size=60,
        staff_per_group=2,
    )
    # HI7 (1 period) + GE7 (1 period) -> one project of 2 periods, in one block of 2.
    assert [r["course"] for r in out["Courses"]] == ["MA7", "MA8", "PRJ-7", "HI8", "EN-1", "EN-3"]
    assert rows(out, "Courses", "course", "PRJ-7") == [
        {
            "course": "PRJ-7",
            "subject": "Project",
            "stage": None,
            "lessons": "2",
            "min_size": 1,
            "max_size": 60,
            "room_type": "classroom",
            "staff": "T2,T3",
            "sections": None,
            "years": "7",
            "mode": None,
            "kind": "project",
            "staff_per_group": 2,
        }
    ]
    # S1's option (rank 1) and alternate (rank 2) become one option of rank 1.
    assert [(r["student"], r["course"], r["type"], r["rank"]) for r in out["Requests"][:6]] == [
        ("S1", "MA7", "core", None),
        ("S1", "PRJ-7", "option", 1),
        ("S1", None, "core", None),
        ("S2", "MA7", "core", None),
        ("S2", "PRJ-7", "core", None),
        ("S3", "HI8", "core", None),
    ]


def test_projects_without_merge_only_reshape_lessons():
    out = change("projects_replace_lessons", subjects=["Maths"], block=2, merge=False)
    assert [(r["course"], r["lessons"], r["kind"]) for r in out["Courses"][:2]] == [
        ("MA7", "2", "project"),
        ("MA8", "2", "project"),
    ]
    assert out["Requests"] == school_tables()["Requests"]
    with pytest.raises(ChangeError, match="longer than the longest day"):
        change("projects_replace_lessons", subjects=["Maths"], block=4)


def test_stage_not_age_from_another_subject():
    out = change("stage_not_age", subjects=["History"], stage_from="English")
    # S2 is English stage 1, S1 and S3 stage 3; S4 has no English stage: year 8 -> stage 2
    # (stage 1 = year 7, the youngest year History is taught).
    assert [r["course"] for r in out["Courses"]] == [
        "MA7",
        "MA8",
        "HI-1",
        "HI-2",
        "HI-3",
        "GE7",
        "EN-1",
        "EN-3",
    ]
    hi = {r["course"]: r for r in out["Courses"] if r["subject"] == "History"}
    assert hi["HI-2"] == course_row("HI-2", "History", "1", None, stage=2)
    assert (hi["HI-1"]["stage"], hi["HI-3"]["stage"]) == (1, 3)
    assert [
        (r["student"], r["course"], r["subject"], r["type"], r["rank"])
        for r in out["Requests"]
        if r["subject"] == "History"
    ] == [
        ("S1", None, "History", "option", 1),
        ("S2", None, "History", "core", None),
        ("S3", None, "History", "core", None),
        ("S4", None, "History", "option", 1),
    ]
    assert out["Stages"][3:] == [
        {"student": "S1", "subject": "History", "stage": 3},
        {"student": "S2", "subject": "History", "stage": 1},
        {"student": "S3", "subject": "History", "stage": 3},
        {"student": "S4", "subject": "History", "stage": 2},
    ]


def test_stage_not_age_by_year_rewrites_pathways():
    out = change("stage_not_age", subjects=["Maths"], years=[7, 8])
    assert [(r["course"], r["stage"], r["years"]) for r in out["Courses"][:2]] == [
        ("MA-1", 1, None),
        ("MA-2", 2, None),
    ]
    assert out["Pathways"] == [
        {"pathway": "CORE8", "course": None, "subject": "Maths", "type": "core", "rank": None}
    ]
    assert {(r["student"], r["stage"]) for r in out["Stages"] if r["subject"] == "Maths"} == {
        ("S1", 1),
        ("S2", 1),
        ("S3", 2),
        ("S4", 2),
    }
    with pytest.raises(ChangeError, match="no year-group course of English"):
        change("stage_not_age", subjects=["English"])


# ---- students, time and tutor groups ---------------------------------------------------


def test_home_learning():
    out = change("home_learning", years=[8], days=["tue"])
    assert [(r["student"], r.get("home_days")) for r in out["Students"]] == [
        ("S1", None),
        ("S2", None),
        ("S3", "Tue"),
        ("S4", "Tue"),
    ]
    half = change("home_learning", days=["Mon"], share=0.5, seed=3)
    assert sum(1 for r in half["Students"] if r.get("home_days")) == 2
    assert half == change("home_learning", days=["Mon"], share=0.5, seed=3)  # seeded
    with pytest.raises(ChangeError, match="'Fri' is not a day of the Calendar"):
        change("home_learning", days=["Fri"])


def test_personalise_turns_alternates_into_options():
    out = change("personalise", years=[7], extra_options=1, min_size=1)
    assert out["Requests"][2] == {
        "student": "S1",
        "course": "GE7",
        "subject": None,
        "type": "option",
        "rank": 2,
    }
    assert sum(1 for r in out["Requests"] if r["type"] == "alternate") == 0
    with pytest.raises(ChangeError, match="no student of those years has an alternate"):
        change("personalise", years=[8])


def test_test_when_ready_adds_sittings():
    out = change(
        "test_when_ready", subjects=["maths"], share=1.0, max_size=60, room_type="classroom"
    )
    assert out["Courses"][-1] == {
        "course": "TWR-MA",
        "subject": "Maths",
        "stage": None,
        "lessons": 1,
        "min_size": 1,
        "max_size": 60,
        "room_type": "classroom",
        "kind": "assessment",
    }
    # S1, S2 and S4 ask for Maths on the Requests sheet; S3 through pathway CORE8.
    assert out["Requests"][9:] == [
        {"student": s, "course": "TWR-MA", "type": "core", "rank": None}
        for s in ("S1", "S2", "S3", "S4")
    ]


def test_open_longer_adds_periods_after_each_day():
    out = change("open_longer", periods=1, days=["Mon"], gap=15, length=45, room_types=["lab"])
    assert [(r["day"], r["period"], r["start"], r["end"]) for r in out["Calendar"]] == [
        ("Mon", "1", "09:00", "10:00"),
        ("Mon", "2", "10:00", "11:00"),
        ("Mon", "3", "11:00", "12:00"),
        ("Mon", "4", "12:15", "13:00"),
        ("Tue", "1", "09:00", "10:00"),
        ("Tue", "2", "10:00", "11:00"),
        ("Tue", "3", "11:00", "12:00"),
    ]
    assert [(r["room"], r.get("unavailable")) for r in out["Rooms"]] == [
        ("C1", "Mon 4"),
        ("C2", "Mon 4"),
        ("LAB1", None),
    ]


def test_open_longer_with_named_periods():
    out = change("open_longer", periods=[{"period": "E", "start": "16:00", "end": "17:00"}])
    assert [(r["day"], r["period"]) for r in out["Calendar"] if r["period"] == "E"] == [
        ("Mon", "E"),
        ("Tue", "E"),
    ]
    with pytest.raises(ChangeError, match="Mon already has a period 3"):
        change("open_longer", periods=[{"period": "3", "start": "16:00", "end": "17:00"}])


def test_vertical_tutoring_in_houses():
    out = change("vertical_tutoring", houses=["Ash", "Oak"])
    assert out["TutorGroups"] == [
        {
            "group": "7A",
            "tutor": "T1",
            "room": "C1",
            "capacity": 10,
            "meets": "Mon 1",
            "vertical": "yes",
            "house": "Ash",
        },
        {
            "group": "8A",
            "tutor": "T2",
            "room": "C2",
            "capacity": 10,
            "meets": "Mon 1",
            "vertical": "yes",
            "house": "Oak",
        },
    ]
    assert [(r["student"], r["house"], r["tutor_group"]) for r in out["Students"]] == [
        ("S1", "Ash", None),
        ("S2", "Oak", None),
        ("S3", "Ash", None),
        ("S4", "Oak", None),
    ]


def test_vertical_tutoring_makes_room_for_everyone():
    out = change("vertical_tutoring", capacity=1)
    assert [g["capacity"] for g in out["TutorGroups"]] == [1, 1]
    small = school_tables()
    for g in small["TutorGroups"]:
        g["capacity"] = 1
    out = apply_change(small, "vertical_tutoring", {})
    assert [g["capacity"] for g in out["TutorGroups"]] == [2, 2]  # 4 students, 2 groups


def test_vertical_tutoring_seats_houses_as_written():
    # Houses are compared as written (TutorGroup.takes_house): the groups of house Ash do
    # not seat the students of house ash, so only Ash's group grows.
    small = school_tables()
    for g, house in zip(small["TutorGroups"], ["Ash", "ash"]):
        g["capacity"], g["house"] = 1, house
    for r, house in zip(small["Students"], ["Ash", "Ash", "Ash", "ash"]):
        r["house"] = house
    out = apply_change(small, "vertical_tutoring", {})
    assert [(g["house"], g["capacity"]) for g in out["TutorGroups"]] == [("Ash", 3), ("ash", 1)]


# ---- new year groups -------------------------------------------------------------------


def test_add_primary():
    out = change(
        "add_primary",
        years=[1],
        students_per_year=3,
        class_size=3,
        max_periods=4,
        curriculum=[{"course": "LIT", "lessons": [1, 1], "room_type": "primary"}],
    )
    assert out["Courses"][-1] == {
        "course": "P1-LIT",
        "subject": "Primary",
        "lessons": "1,1",
        "min_size": 1,
        "max_size": 3,
        "room_type": "primary",
        "years": 1,
        "kind": "lesson",
    }
    assert [r["student"] for r in out["Students"][4:]] == ["P1-1", "P1-2", "P1-3"]
    assert [r for r in out["Requests"] if r["course"] == "P1-LIT"] == [
        {"student": f"P1-{i}", "course": "P1-LIT", "type": "core", "rank": None} for i in (1, 2, 3)
    ]
    # 2 periods for the one class: ceil(2 / (0.8 x 4)) = 1 teacher, 1 primary room.
    assert [r["staff"] for r in out["Staff"][4:]] == ["PT-P1"]
    assert out["Rooms"][3:] == [{"room": "PPRI1", "capacity": 3, "type": "primary"}]
    assert out["TutorGroups"][2:] == [
        {
            "group": "1A",
            "tutor": "PT-P1",
            "room": "PPRI1",
            "capacity": 5,
            "meets": "Mon 1",
            "vertical": "no",
        }
    ]
    assert {r["tutor_group"] for r in out["Students"][4:]} == {"1A"}
    with pytest.raises(ChangeError, match="already has year 7"):
        change("add_primary", years=[6, 7])


def test_add_sixth_form():
    out = change(
        "add_sixth_form",
        subjects=["Maths", "History"],
        years=[12],
        students_per_year=2,
        choices=1,
        alternates=1,
        lessons=[1],
        min_size=1,
        max_size=5,
    )
    new = [r for r in out["Requests"] if r["student"].startswith("S12-")]
    assert [(r["student"], r["type"], r["rank"]) for r in new] == [
        ("S12-1", "option", 1),
        ("S12-1", "alternate", 2),
        ("S12-2", "option", 1),
        ("S12-2", "alternate", 2),
    ]
    assert {r["course"] for r in new} == {"A-MA12", "A-HI12"}
    assert [(r["course"], r["room_type"], r["years"]) for r in out["Courses"][7:]] == [
        ("A-MA12", "classroom", 12),
        ("A-HI12", "classroom", 12),
    ]
    assert [r["staff"] for r in out["Staff"][4:]] == ["T6-MA1", "T6-HI1"]
    assert [g["group"] for g in out["TutorGroups"]] == ["7A", "8A", "12A"]


def test_all_through_skips_years_the_school_has():
    out = change("all_through", primary={"years": "6-7", "students_per_year": 2, "class_size": 2})
    assert sorted({r["year"] for r in out["Students"]}) == [6, 7, 8]
    with pytest.raises(ChangeError, match="already has every year group"):
        change("all_through", primary={"years": [7, 8]})


# ---- checking the settings -------------------------------------------------------------


def test_unknown_change_and_settings_are_reported():
    with pytest.raises(ChangeError, match="no change called 'open_late'"):
        change("open_late")
    with pytest.raises(ChangeError, match="open_longer has no setting 'dayz'"):
        change("open_longer", dayz=["Mon"])
    with pytest.raises(ChangeError, match="home_learning needs the setting"):
        change("home_learning")
    with pytest.raises(ChangeError, match="years should be a whole number"):
        change("home_learning", days=["Mon"], years=["seven"])


#: One sound use of every transformation (the set is checked against the registry), after
#: any changes it needs first to make sense for this small school.
EVERY_CHANGE: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "set": [("set", {"sheet": "Courses", "where": {"course": "HI7"}, "values": {"max_size": 10}})],
    "settings": [("settings", {"weight_idle_student": 3})],
    "add_rooms": [
        (
            "add_rooms",
            {"rooms": [{"room": "OPEN", "capacity": 60, "type": "classroom", "max_groups": 2}]},
        )
    ],
    "remove_rooms": [("remove_rooms", {"rooms": ["LAB1"]})],
    "add_staff": [("add_staff", {"staff": [{"staff": "NEW", "subjects": "History"}]})],
    "group_sizes": [("group_sizes", {"where": {"subject": "History"}, "max_size": 1})],
    "online_courses": [("online_courses", {"where": {"course": "GE7"}})],
    "projects_replace_lessons": [
        (
            "projects_replace_lessons",
            {"subjects": ["History", "Geography"], "years": [7], "block": 2},
        )
    ],
    "stage_not_age": [("stage_not_age", {"subjects": ["History"], "stage_from": "English"})],
    "home_learning": [
        ("open_longer", {"periods": 1}),
        ("home_learning", {"years": [8], "days": ["Tue"]}),
    ],
    "personalise": [("personalise", {"extra_options": 1, "min_size": 1})],
    "test_when_ready": [
        ("test_when_ready", {"subjects": ["Maths"], "share": 0.5, "room_type": "classroom"})
    ],
    "open_longer": [("open_longer", {"periods": 2, "gap": 10})],
    "vertical_tutoring": [("vertical_tutoring", {"houses": 2})],
    "add_primary": [
        (
            "add_primary",
            {
                "years": [5, 6],
                "students_per_year": 4,
                "class_size": 4,
                "curriculum": [{"course": "NUM", "lessons": "1,1"}],
            },
        )
    ],
    "add_sixth_form": [
        (
            "add_sixth_form",
            {
                "subjects": ["Maths", "History", "Geography"],
                "years": [12, 13],
                "students_per_year": 3,
                "choices": 2,
                "lessons": [1],
            },
        )
    ],
    "all_through": [
        (
            "all_through",
            {
                "primary": {
                    "years": [6],
                    "students_per_year": 2,
                    "curriculum": [{"course": "NUM", "lessons": 2}],
                },
                "sixth_form": {
                    "subjects": ["Maths", "History"],
                    "students_per_year": 2,
                    "choices": 1,
                    "lessons": [1, 1],
                },
            },
        )
    ],
}


def test_every_transformation_is_exercised():
    assert set(EVERY_CHANGE) == set(TRANSFORMATIONS)
    assert all(steps[-1][0] == name for name, steps in EVERY_CHANGE.items())


@pytest.mark.parametrize("name", sorted(EVERY_CHANGE))
def test_every_transformation_gives_a_valid_workbook(name, tmp_path):
    tables = school_tables()
    for step, settings in EVERY_CHANGE[name]:
        tables = apply_change(tables, step, settings)
    loads(tables, tmp_path)
