"""Comparison figures counted by hand, the report files, and a whole scenario run end to
end on the tiny example (two scenarios, 10 s each, two solves at once)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from openpyxl import load_workbook
from rich.console import Console
from typer.testing import CliRunner

from scheduler.checker import check_solution
from scheduler.cli import app
from scheduler.scenarios.metrics import COLUMNS, run_figures
from scheduler.scenarios.report import bar_chart, render_comparison, write_comparison
from scheduler.scenarios.runner import RunResult
from scheduler.solution import Group, Lesson, Solution, Status
from scheduler.workbook.read import load_school
from scheduler.workbook.tables import write_tables
from tests.scenario_fixtures import TINY_RUNS, assert_checked, scenario_file, school_tables

runner = CliRunner()


def _school(tmp_path):
    write_tables(school_tables(), tmp_path / "school")
    return load_school(tmp_path / "school")[0]


def _solution(school) -> Solution:
    """A hand-made timetable of the fixture school (slots: Mon 1-3 = 0-2, Tue 1-3 = 3-5)."""
    s = school.calendar.by_label
    return Solution(
        groups=(
            Group(
                "MA7.1",
                "MA7",
                1,
                (Lesson((s["Mon 2"],), "C1"), Lesson((s["Tue 1"],), "C1")),
                ("T1",),
                frozenset({"S1", "S2"}),
            ),
            Group(
                "HI7.1", "HI7", 1, (Lesson((s["Mon 3"],), "C2"),), ("T2",), frozenset({"S1", "S2"})
            ),
            Group(
                "MA8.1",
                "MA8",
                1,
                (Lesson((s["Mon 2"],), "C2"), Lesson((s["Tue 3"],), "C2")),
                ("T4",),
                frozenset({"S3", "S4"}),
            ),
            Group("HI8.1", "HI8", 1, (Lesson((s["Tue 1"],), "C1"),), ("T3",), frozenset({"S3"})),
            Group("EN-3.1", "EN-3", 1, (Lesson((s["Tue 2"],), "C2"),), ("T4",), frozenset({"S1"})),
        ),
        tutor_of={"S1": "7A", "S2": "7A", "S3": "8A", "S4": "8A"},
        status=Status.FEASIBLE,
        objective=120.0,
        bound=100.0,
        wall_s=3.25,
    )


def test_figures_counted_by_hand(tmp_path):
    school = _school(tmp_path)
    f = run_figures(school, _solution(school))
    assert (f.status, f.wall_s, f.students, f.staff, f.rooms, f.slots) == (
        "feasible",
        3.2,
        4,
        4,
        3,
        6,
    )
    # Core: S1 MA7, EN-3; S2 MA7, HI7; S3 HI8, MA8 (pathway); S4 MA8: 7 of 7 met.
    assert f.core_met_pct == 100.0
    # Options: S1 (quota 1) gets HI7, S4 (quota 1) misses HI8: 1 of 2. First choice: S1 only.
    assert (f.options_met_pct, f.first_choice_met_pct) == (50.0, 50.0)
    assert (f.students_fully_satisfied, f.students_fully_satisfied_pct) == (3, 75.0)
    # Sizes 2, 2, 2, 1, 1.
    assert (f.groups, f.group_size_mean, f.group_size_min, f.group_size_max) == (5, 1.6, 1, 2)
    # Periods taught: T1 2, T2 1, T3 1, T4 3 -> mean 7/4.
    assert (f.staff_load_mean, f.staff_load_max) == (1.8, 3)
    # Classrooms C1 (Mon 2, Tue 1) and C2 (Mon 3, Mon 2, Tue 3, Tue 2): 6 of 12; the lab 0 of 6.
    assert f.room_use == {"classroom": 50.0, "lab": 0.0}
    # Idle: S3 has tutor Mon 1, MA Mon 2; Tue 1 HI and Tue 3 MA: one idle period (Tue 2).
    # S4: Tue 3 only that day; S1: Tue 1, Tue 2; S2 Tue 1. Mean 1/4.
    assert f.idle_per_student == 0.25
    # S1 {MA7, HI7, EN-3}, S2 {MA7, HI7}, S3 {MA8, HI8}, S4 {MA8}: all different.
    assert f.unique_timetables_pct == 100.0
    assert f.gap_pct == round(100 * 20 / 120, 1)
    # The checker counts the headline figures the same way.
    report = check_solution(school, _solution(school))
    assert report.figures.core_met_pct == f.core_met_pct
    assert report.figures.options_met_pct == f.options_met_pct


def _result(name: str, base: str, figs) -> RunResult:
    return RunResult(
        name=name,
        slug=name.lower().replace(" ", "-"),
        base=base,
        base_label="test",
        description=f"<{name}>",
        changes=("open_longer: periods=1",),
        outdir=name,
        figures=figs,
    )


def test_comparison_files(tmp_path):
    school = _school(tmp_path)
    figs = run_figures(school, _solution(school))
    worse = run_figures(
        school, Solution(groups=_solution(school).groups[:2], status=Status.FEASIBLE)
    )
    results = [
        _result("base", "base", figs),
        _result("Less <taught>", "base", worse),
        RunResult(
            "Broken",
            "broken",
            "base",
            "test",
            "",
            (),
            "broken",
            error="no timetable was found",
            status="unknown",
            wall_s=101.9,
        ),
    ]
    write_comparison(results, tmp_path / "cmp", title="Test & co", seconds=61)
    data = json.loads((tmp_path / "cmp" / "comparison.json").read_text())
    assert [r["scenario"] for r in data["runs"]] == ["base", "Less <taught>", "Broken"]
    assert data["runs"][1]["core_met_pct"] == worse.core_met_pct
    assert data["runs"][2]["error"] == "no timetable was found"
    # A solve without a timetable keeps its status and time, and no figures.
    assert (data["runs"][2]["status"], data["runs"][2]["wall_s"]) == ("unknown", 101.9)
    assert "core_met_pct" not in data["runs"][2]
    assert data["runs"][0]["check_passes"] and not data["runs"][2]["check_passes"]

    wb = load_workbook(tmp_path / "cmp" / "comparison.xlsx")
    assert wb.sheetnames == ["Comparison", "Room use", "Changes"]
    ws = wb["Comparison"]
    header = [c.value for c in ws[1]]
    assert header == ["Scenario", "Base", "Check"] + [c.heading for c in COLUMNS]
    core = header.index("Core met")
    assert [ws.cell(row=i, column=core + 1).value for i in (2, 3, 4)] == [
        100.0,
        worse.core_met_pct,
        None,
    ]
    status, time = header.index("Solve status"), header.index("Solve time (s)")
    assert [c.value for c in ws[4]][status : time + 1] == ["unknown", 101.9]
    assert ws.cell(row=4, column=3).value == "no timetable was found"
    # Worse than the base: shaded red.
    assert ws.cell(row=3, column=core + 1).fill.fgColor.rgb.endswith("F8DCDC")
    assert [c.value for c in wb["Room use"][2]] == ["base", 50.0, 0.0]

    page = (tmp_path / "cmp" / "comparison.html").read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert "Test &amp; co" in page and "&lt;taught&gt;" in page and "<taught>" not in page
    assert page.count("<svg") == 10
    # Self-contained: nothing fetched from elsewhere, no scripts.
    assert "<script" not in page and "<link" not in page
    assert re.findall(r'(?:src|href)="(?:https?:)?//', page) == []
    assert "1 scenario(s) without a sound timetable: Broken" in page

    console = Console(record=True, width=200)
    render_comparison(results, console)
    text = console.export_text()
    assert "Less <taught>" in text and "Broken: no timetable was found" in text
    less = next(line for line in text.splitlines() if "Less <taught>" in line)
    assert f"{worse.core_met_pct:.1f}%" in less and "passes" in less
    broken = next(line for line in text.splitlines() if "│ Broken" in line)
    assert "unknown" in broken and "101.9" in broken and "no timetable" in broken


def test_bar_chart_scales_and_labels():
    svg = bar_chart("Core", ["base", "A"], [50.0, None], "%", [True, False], max_value=100)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    # Plot width 460 - 180 - 60 = 220: 50% of it.
    assert 'width="110.0"' in svg and "no timetable" in svg and "50.0%" in svg


def test_run_end_to_end_on_the_tiny_example(tmp_path):
    """Two scenarios on the tiny example, solved two at a time; every timetable checks."""
    scen = scenario_file(tmp_path)
    out = tmp_path / "out"
    r = runner.invoke(
        app,
        [
            "scenario",
            "run",
            str(scen),
            "--out",
            str(out),
            "--time-limit",
            "10",
            "--jobs",
            "2",
            "--seed",
            "1",
            "--write-workbook",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "What if? Scenarios compared" in r.stdout
    data = json.loads((out / "comparison.json").read_text())
    assert [run["scenario"] for run in data["runs"]] == TINY_RUNS
    for run in data["runs"]:
        assert run["check_passes"], run
        assert run["status"] in ("optimal", "feasible")
        folder = out / run["folder"]
        summary = json.loads((folder / "summary.json").read_text())
        # The comparison's figures are the solve's own figures.
        assert run["core_met_pct"] == summary["core_met_pct"]
        assert run["options_met_pct"] == summary["options_met_pct"]
        assert run["groups"] == summary["groups"]
        assert_checked(out, run)  # the workbook and timetable pass an independent check
        assert json.loads((folder / "check.json").read_text())["hard_violations"] == 0
    evening = next(run for run in data["runs"] if run["scenario"] == "Evening period")
    assert evening["slots"] == data["runs"][0]["slots"] + 5
    online = next(run for run in data["runs"] if run["scenario"].startswith("History"))
    assert online["rooms"] == data["runs"][0]["rooms"]
    assert (out / "comparison.xlsx").exists() and (out / "comparison.html").exists()


def test_bad_scenario_file_exits_2_and_solves_nothing(tmp_path):
    scen = tmp_path / "bad.yaml"
    scen.write_text(
        "base: {example: tiny}\nscenarios:\n  - name: X\n    changes: [{open_late: {}}]\n"
    )
    out = tmp_path / "out"
    r = runner.invoke(app, ["scenario", "run", str(scen), "--out", str(out)])
    assert r.exit_code == 2
    assert "no change called 'open_late'" in r.output
    assert "Traceback" not in r.output
    assert not (out / "comparison.json").exists()
    r = runner.invoke(app, ["scenario", "run", str(scen), "--out", str(out), "--workers", "0"])
    # The bounds of pathways solve's numbers (scheduler.model.number_problems).
    assert r.exit_code == 2 and "--workers 0 is out of range" in r.output
    assert "Nothing was solved." in r.output


def test_changes_lists_every_transformation():
    r = runner.invoke(app, ["scenario", "changes"])
    assert r.exit_code == 0
    for name in ("open_longer", "home_learning", "stage_not_age", "set", "all_through"):
        assert name in r.stdout


def test_shipped_scenarios_are_documented():
    docs = (Path(__file__).resolve().parents[3] / "docs" / "scenarios.md").read_text()
    from scheduler.scenarios.transforms import TRANSFORMATIONS

    for name in TRANSFORMATIONS:
        assert f"`{name}`" in docs, name


def test_check_json_is_in_the_new_folder_before_it_is_switched_in(tmp_path, monkeypatch):
    """The folder is all old or all new: check.json is written before the switch, not after."""
    import scheduler.solver.engine
    from scheduler.files import atomic
    from scheduler.scenarios.runner import PreparedRun, solve_one

    school = _school(tmp_path)
    outdir = tmp_path / "out" / "base"
    outdir.mkdir(parents=True)
    (outdir / "summary.json").write_text("{}")
    (outdir / "check.json").write_text('{"old": true}')
    monkeypatch.setattr(scheduler.solver.engine, "solve_school", lambda *a, **k: _solution(school))
    seen = []

    def step(label: str) -> None:
        if label == "new folder in place":
            seen.append(json.loads((outdir / "check.json").read_text()))

    monkeypatch.setattr(atomic, "write_step", step)
    run = PreparedRun(
        name="base",
        slug="base",
        base="base",
        base_label="test",
        description="",
        changes=(),
        school=school,
        warnings=0,
        time_limit=1.0,
        seed=0,
    )
    res = solve_one(run, outdir, workers=1)
    assert res.figures is not None and not res.error, res
    assert len(seen) == 1 and "old" not in seen[0] and "hard_violations" in seen[0]
    assert json.loads((outdir / "check.json").read_text()) == seen[0]
    assert sorted(p.name for p in outdir.parent.iterdir()) == ["base"]  # no temporary folder
