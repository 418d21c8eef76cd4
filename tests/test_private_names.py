"""No test reaches into a module's private names (issue 16): a test uses what
``scheduler/``, ``constraints/`` and ``examples/`` offer, or the helper is made public.

Read from the tests' source (no import): ``from m import _name``, ``module._name`` and
``monkeypatch.setattr(module, "_name", ...)`` on a module of the project."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("scheduler", "constraints", "examples")

#: Reaches left on purpose, each with why: the test and the module to change together.
ALLOWED: set[tuple[str, str]] = set()


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def reaches(path: Path) -> list[str]:
    """The private names of the project that the test file at ``path`` uses."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: dict[str, str] = {}  # local name -> the project's module it is bound to
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] in PACKAGES:
                    modules[a.asname or a.name] = a.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] not in PACKAGES:
                continue
            for a in node.names:
                if _private(a.name):
                    out.append(f"{node.module}.{a.name}")
                elif _is_module(f"{node.module}.{a.name}"):
                    modules[a.asname or a.name] = f"{node.module}.{a.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            if ast.unparse(node.value) in modules:
                out.append(f"{ast.unparse(node.value)}.{node.attr}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "setattr"
            and len(node.args) >= 2
            and ast.unparse(node.args[0]) in modules
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
        ):
            out.append(f"{ast.unparse(node.args[0])}.{node.args[1].value}")
    return out


def test_no_test_reaches_into_private_names() -> None:
    found = sorted(
        {
            (str(p.relative_to(ROOT)), name)
            for p in (ROOT / "tests").rglob("*.py")
            for name in reaches(p)
        }
        - ALLOWED
    )
    assert not found, f"tests using private names (make them public, or use the API): {found}"


def test_the_scan_finds_each_kind_of_reach(tmp_path: Path) -> None:
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "import scheduler.solver.engine as eng\n"
        "from scheduler.solver import engine\n"
        "from scheduler.checker import _Ctx, check_solution\n"
        "def test(monkeypatch):\n"
        "    eng._better(None, None)\n"
        "    monkeypatch.setattr(engine, '_place_everything', None)\n"
        "    monkeypatch.setattr(engine, 'solve_school', None)\n"
        "    check_solution.__name__\n",
        encoding="utf-8",
    )
    assert sorted(reaches(sample)) == [
        "eng._better",
        "engine._place_everything",
        "scheduler.checker._Ctx",
    ]
