"""What if? Whole-school scenarios compared side by side.

A scenario file (YAML) names a base school and lists scenarios, each a list of changes
(:mod:`~scheduler.scenarios.transforms`). :func:`run_files` builds every scenario,
validates it like any workbook, solves them on Dask distributed
(:mod:`~scheduler.scenarios.cluster`: a LocalCluster, or an existing scheduler's
workers), checks each timetable here and writes the comparison
(:mod:`~scheduler.scenarios.report`). See ``docs/scenarios.md``.
"""

from scheduler.scenarios.metrics import COLUMNS, RunFigures, run_figures
from scheduler.scenarios.runner import (
    PreparedRun,
    RunOptions,
    RunResult,
    finish_one,
    prepare_runs,
    run_files,
    solve_one,
    solve_runs,
)
from scheduler.scenarios.spec import (
    BaseSpec,
    Change,
    Scenario,
    ScenarioError,
    ScenarioFile,
    load_scenario_file,
)
from scheduler.scenarios.tables_ops import ChangeError, matches
from scheduler.scenarios.transforms import TRANSFORMATIONS, apply_change

__all__ = [
    "COLUMNS",
    "TRANSFORMATIONS",
    "BaseSpec",
    "Change",
    "ChangeError",
    "PreparedRun",
    "RunFigures",
    "RunOptions",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "ScenarioFile",
    "apply_change",
    "finish_one",
    "load_scenario_file",
    "matches",
    "prepare_runs",
    "run_figures",
    "run_files",
    "solve_one",
    "solve_runs",
]
