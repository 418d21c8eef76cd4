"""The import guard: nothing outside the solve layer loads OR-Tools.

Reading and validating a workbook, reasons, the checker, writing and reading outputs,
exports, scenarios (until they solve), the public API's import and the command line
(until ``pathways solve`` runs) must work without OR-Tools, ``constraints/`` or the
solve engine: they stay fast to import and usable where the solver is not installed,
and the checker stays independent of what it judges.

Each check runs in a fresh Python process, so that what other tests imported cannot
hide a leak. Every module under ``scheduler/`` and ``examples/`` is covered unless it
is one of :data:`SOLVE_LAYER`: a new module is guarded without being listed here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: The solve layer: the package of the solve's phases (scheduler/solver/), which may import
#: OR-Tools, and the planning of groups it starts from.
SOLVE_PACKAGE = "scheduler.solver"
SOLVE_LAYER = frozenset({"scheduler.plan"})

#: What a guarded module must not load: OR-Tools, the rule families, the solve engine.
FORBIDDEN = "ortools", "constraints", "scheduler.solver"

#: Prints what of FORBIDDEN is loaded, as JSON.
_LOADED = (
    "import json, sys; "
    f"print(json.dumps(sorted(m for m in sys.modules if any(m == f or m.startswith(f + '.') "
    f"for f in {FORBIDDEN!r}))))"
)


def guarded_modules() -> list[str]:
    """Every module of ``scheduler/`` and ``examples/`` outside the solve layer."""
    names = []
    for package in ("scheduler", "examples"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            if name not in SOLVE_LAYER and not (
                name == SOLVE_PACKAGE or name.startswith(SOLVE_PACKAGE + ".")
            ):
                names.append(name)
    return names


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_guard_covers_what_it_must() -> None:
    names = guarded_modules()
    for name in (
        "scheduler",
        "scheduler.api",
        "scheduler.workbook",
        "scheduler.workbook.read",
        "scheduler.workbook.validate",
        "scheduler.workbook.tables",
        "scheduler.workbook.problems",
        "scheduler.workbook.summary",
        "scheduler.reasons",
        "scheduler.checker",
        "scheduler.score",
        "scheduler.scenarios",
        "scheduler.scenarios.runner",
        "scheduler.outputs.write",
        "scheduler.outputs.read",
        "scheduler.files.atomic",
        "scheduler.exports.run",
        "scheduler.cli",
        "scheduler.cli.common",
        "scheduler.cli.validate",
        "scheduler.cli.check",
        "scheduler.cli.example",
        "scheduler.cli.solve",
        "scheduler.cli.export",
        "scheduler.cli.scenario",
        "examples.generator",
    ):
        assert name in names, name
    assert not SOLVE_LAYER & set(names)
    assert not [n for n in names if n.startswith(SOLVE_PACKAGE)]


def test_no_module_outside_the_solve_layer_loads_ortools() -> None:
    """One fresh process imports every guarded module in turn and notes, after each, what
    of FORBIDDEN it brought in (a leak is then named by the first module that made it)."""
    code = (
        "import importlib, json, sys\n"
        f"FORBIDDEN = {FORBIDDEN!r}\n"
        "def loaded():\n"
        "    return sorted(m for m in sys.modules\n"
        "                  if any(m == f or m.startswith(f + '.') for f in FORBIDDEN))\n"
        "leaks = {}\n"
        f"for name in {guarded_modules()!r}:\n"
        "    before = set(loaded())\n"
        "    importlib.import_module(name)\n"
        "    new = [m for m in loaded() if m not in before]\n"
        "    if new:\n"
        "        leaks[name] = new[:3]\n"
        "print(json.dumps(leaks))\n"
    )
    out = _run(code)
    assert out.returncode == 0, out.stderr
    leaks = json.loads(out.stdout)
    assert leaks == {}, f"modules that load the solver when imported: {leaks}"


def test_the_public_api_imports_without_ortools() -> None:
    """``from scheduler import ...`` every public name: OR-Tools only when solve() runs."""
    import scheduler

    names = ", ".join(scheduler.__all__)
    out = _run(f"from scheduler import {names}; {_LOADED}")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> tuple[Path, Path]:
    """The tiny example as a workbook and a folder holding a timetable of it."""
    from examples.generator import generate
    from scheduler import check, export, load_school, solve
    from scheduler.workbook.tables import write_tables

    tmp = tmp_path_factory.mktemp("guard")
    book = write_tables(generate("tiny"), tmp / "tiny.xlsx")
    school = load_school(book)
    solution = solve(school, time_limit=5, seed=1, workers=1)
    assert check(school, solution).ok
    export(school, solution, tmp / "out", formats=())
    return book, tmp / "out"


def test_the_commands_that_do_not_solve_never_load_ortools(solved, tmp_path) -> None:
    """validate, check, export, example and scenario changes, run in one fresh process,
    leave OR-Tools unloaded (``pathways solve`` and ``scenario run`` import it when they
    solve, and only then)."""
    book, out = solved
    commands = [
        ["validate", str(book)],
        ["validate", str(book), "--json"],
        ["check", str(book), str(out)],
        ["export", str(out), "--out", str(tmp_path / "exports")],
        ["example", "tiny", "--out", str(tmp_path / "again.xlsx")],
        ["scenario", "changes"],
    ]
    code = (
        "import json, sys\n"
        "from typer.testing import CliRunner\n"
        "from scheduler.cli import app\n"
        "codes = [CliRunner().invoke(app, argv).exit_code\n"
        f"         for argv in {commands!r}]\n"
        "print(json.dumps(codes))\n"
        f"{_LOADED}\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr
    codes, loaded = result.stdout.strip().splitlines()[-2:]
    assert json.loads(codes) == [0] * len(commands)
    assert json.loads(loaded) == []


def _scheduler_imports(path: Path) -> set[str]:
    """The ``scheduler`` modules a file imports, anywhere in it (functions included)."""
    import ast

    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("scheduler"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scheduler"):
            out.add(node.module or "")
    return out


def test_outputs_sit_above_exports_and_files_below_both() -> None:
    """One way only: scheduler.outputs (the solve's writer and reader) may import
    scheduler.exports (the week grids and context.json it writes) and scheduler.files;
    scheduler.exports never imports scheduler.outputs; scheduler.files imports nothing of
    scheduler (atomic writes and the output files' columns, shared by both)."""
    exports = {
        p.name: _scheduler_imports(p) for p in sorted((ROOT / "scheduler/exports").glob("*.py"))
    }
    assert "run.py" in exports and "grid.py" in exports
    upward = {
        n: sorted(m for m in i if m.startswith("scheduler.outputs")) for n, i in exports.items()
    }
    assert {n: m for n, m in upward.items() if m} == {}
    files = {p.name: _scheduler_imports(p) for p in sorted((ROOT / "scheduler/files").glob("*.py"))}
    assert set(files) >= {"atomic.py", "columns.py"}
    assert {n: i for n, i in files.items() if i} == {}
    # and the writer does draw on the exports (so the order is outputs > exports > files)
    assert "scheduler.exports.grid" in _scheduler_imports(ROOT / "scheduler/outputs/write.py")
