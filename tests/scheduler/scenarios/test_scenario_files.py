"""Scenario files: what a sound file gives, every mistake reported at once, and the
eleven shipped scenarios all build valid schools."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.scenarios.runner import RunOptions, prepare_runs
from scheduler.scenarios.spec import (
    BaseSpec,
    Change,
    ScenarioError,
    ScenarioFile,
    load_scenario_file,
    slug,
)
from scheduler.scenarios.transforms import TRANSFORMATIONS
from scheduler.workbook.tables import write_tables
from tests.scenario_fixtures import scenario_file, school_tables

SHIPPED = Path(__file__).resolve().parents[3] / "examples" / "scenarios"


def test_a_sound_file(tmp_path):
    f = load_scenario_file(
        scenario_file(
            tmp_path,
            """
title: Longer days
base: {example: tiny, students: 30, seed: 2}
time_limit: 15
scenarios:
  - name: Evening (Mon)
    description: one more period
    changes:
      - open_longer: {periods: 1, days: [Mon]}
      - settings: {weight_idle_student: 2}
""",
        )
    )
    assert f.title == "Longer days"
    assert f.base == BaseSpec(example="tiny", students=30, seed=2)
    assert f.base.label == "tiny example, 30 students, seed 2"
    assert f.time_limit == 15.0
    (sc,) = f.scenarios
    assert sc.name == "Evening (Mon)" and slug(sc.name) == "evening-mon"
    assert sc.changes == (
        Change("open_longer", {"periods": 1, "days": ["Mon"]}),
        Change("settings", {"weight_idle_student": 2}),
    )
    assert sc.changes[0].describe() == "open_longer: periods=1, days=[Mon]"


def test_every_mistake_is_reported_together(tmp_path):
    path = scenario_file(
        tmp_path,
        """
base: {example: nowhere}
colour: blue
scenarios:
  - name: A
    changes:
      - open_late: {periods: 1}
      - {open_longer: {periods: 1}, home_learning: {days: [Fri]}}
  - name: A
    changes: []
  - description: no name
    changes: [open_longer]
  - name: B
    changes:
      - open_longer: 3
""",
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario_file(path)
    assert info.value.messages == [
        (
            "what-if.yaml: unknown key(s) colour; expected title, description, base, time_limit, seed, "
            "scenarios"
        ),
        (
            "what-if.yaml, base: no example called 'nowhere'; choose one of: tiny, stage-not-age, "
            "all-through, federation"
        ),
        (
            "what-if.yaml, scenario 'A', change 1: there is no change called 'open_late'; the changes are: "
            + ", ".join(TRANSFORMATIONS)
        ),
        (
            "what-if.yaml, scenario 'A', change 2: expected one change name with its settings, e.g. "
            "`- home_learning: {years: [12, 13], days: [Fri]}`"
        ),
        (
            "what-if.yaml, scenario 'A': the name is used twice (or starts with 'base'); give each scenario "
            "its own name"
        ),
        "what-if.yaml, scenario 3: has no name",
        "what-if.yaml, scenario 'B', change 1 (open_longer): settings should be `key: value` pairs, not 3",
    ]


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = scenario_file(tmp_path, "base: {example: tiny}\nscenarios:\n  - name: [unclosed\n")
    with pytest.raises(ScenarioError, match=r"what-if.yaml, line 4: not readable as YAML"):
        load_scenario_file(path)


def _on_ours(tmp_path: Path, scenarios: str) -> ScenarioFile:
    """A scenario file whose base is school_tables() written beside it as ours.xlsx."""
    write_tables(school_tables(), tmp_path / "ours.xlsx")
    return load_scenario_file(scenario_file(tmp_path, "base: ours.xlsx\nscenarios:\n" + scenarios))


def test_base_workbook_relative_to_the_file(tmp_path):
    f = _on_ours(
        tmp_path,
        """
  - name: Vertical
    changes: [{vertical_tutoring: {houses: 2}}]
""",
    )
    assert f.base.path == tmp_path / "ours.xlsx"
    assert f.base.label == "ours.xlsx"
    # A workbook base is read back into tables that rebuild the same school.
    tables = f.base.tables()
    assert [r["course"] for r in tables["Courses"]] == [
        r["course"] for r in school_tables()["Courses"]
    ]
    runs = prepare_runs([f], tmp_path / "out", RunOptions(write_workbook=True))
    assert [r.name for r in runs] == ["base", "Vertical"]
    assert runs[0].workbook == tmp_path / "ours.xlsx"  # the school's own workbook, not a copy
    assert runs[1].workbook == tmp_path / "out" / "workbooks" / "vertical.xlsx"
    assert runs[1].workbook.exists()
    assert all(tg.vertical for tg in runs[1].school.tutor_groups)
    assert [s.house for s in runs[1].school.students] == [
        "House 1",
        "House 2",
        "House 1",
        "House 2",
    ]


def test_a_change_that_breaks_the_school_is_reported_before_solving(tmp_path):
    f = _on_ours(
        tmp_path,
        """
  - name: No classrooms
    changes: [{remove_rooms: {where: {type: classroom}}}]
  - name: Typo
    changes: [{online_courses: {where: {subject: Hsitory}}}]
""",
    )
    with pytest.raises(ScenarioError) as info:
        prepare_runs([f], tmp_path / "out", RunOptions(write_workbook=True))
    messages = info.value.messages
    assert messages[0] == "what-if.yaml, scenario 'No classrooms': the changed school has errors:"
    assert any("classroom" in m for m in messages[1:-1])
    assert messages[-1] == (
        "what-if.yaml, scenario 'Typo', change 1 (online_courses): online_courses: "
        "no course has subject = Hsitory"
    )
    assert not (tmp_path / "out" / "workbooks" / "no-classrooms.xlsx").exists()


def test_the_shipped_scenarios_build_valid_schools(tmp_path):
    """All eleven questions, on the 600-student example: one base, eleven valid variants."""
    files = sorted(SHIPPED.glob("*.yaml"))
    assert len(files) == 11
    loaded = [load_scenario_file(p) for p in files]
    assert {f.base.key for f in loaded} == {BaseSpec(example="stage-not-age", students=600).key}
    runs = prepare_runs(loaded, tmp_path, RunOptions())
    assert len(runs) == 12 and runs[0].is_base
    base = runs[0].school
    by_name = {r.name: r.school for r in runs}
    assert all(len(r.school.students) == 600 for r in runs if r.name != "Reception to year 13")
    assert len(by_name["Reception to year 13"].students) == 600 + 7 * 30 + 2 * 40
    assert by_name["Two evening periods Mon-Thu"].calendar.num_slots == base.calendar.num_slots + 8
    assert all(tg.vertical for tg in by_name["Vertical tutor groups in four houses"].tutor_groups)
    assert (
        sum(
            1 for r in by_name["Two open-plan spaces for six classrooms"].rooms if r.max_groups == 3
        )
        == 2
    )
    assert any(c.online for c in by_name["Four option subjects online"].courses)


def test_numbers_of_a_file_have_the_bounds_of_a_solve(tmp_path):
    """A file's time_limit and seed meet the bounds of `pathways solve` (scheduler.model),
    and a generated base's students those of `pathways example`."""
    from examples.generator import MAX_STUDENTS
    from scheduler.model import SEED_MAX, TIME_LIMIT_MAX_S

    ok = load_scenario_file(
        scenario_file(
            tmp_path,
            f"""
base: {{example: tiny, students: {MAX_STUDENTS}}}
time_limit: {TIME_LIMIT_MAX_S}
seed: {SEED_MAX}
scenarios: [{{name: A, changes: []}}]
""",
            "ok.yaml",
        )
    )
    assert (ok.time_limit, ok.seed, ok.base.students) == (TIME_LIMIT_MAX_S, SEED_MAX, MAX_STUDENTS)
    for line, expected in [
        (f"time_limit: {TIME_LIMIT_MAX_S + 1}", "time_limit should be a number of seconds"),
        ("time_limit: .nan", "time_limit should be a number of seconds"),
        ("time_limit: .inf", "time_limit should be a number of seconds"),
        (f"seed: {SEED_MAX + 1}", f"seed should be a whole number from 0 to {SEED_MAX}"),
        ("seed: -1", f"seed should be a whole number from 0 to {SEED_MAX}"),
    ]:
        with pytest.raises(ScenarioError) as err:
            load_scenario_file(
                scenario_file(
                    tmp_path,
                    f"base: {{example: tiny}}\n{line}\nscenarios: [{{name: A, changes: []}}]\n",
                )
            )
        assert any(expected in m for m in err.value.messages), (line, err.value.messages)
    with pytest.raises(ScenarioError) as err:
        load_scenario_file(
            scenario_file(
                tmp_path,
                f"base: {{example: tiny, students: {MAX_STUDENTS + 1}}}\n"
                "scenarios: [{name: A, changes: []}]\n",
            )
        )
    assert any(
        f"students should be a whole number from 1 to {MAX_STUDENTS}" in m
        for m in err.value.messages
    ), err.value.messages
