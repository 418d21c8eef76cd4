"""Scenario files: a base school and named lists of changes, written in YAML.

.. code-block:: yaml

    title: Open longer
    description: What if the school opened for two evening periods, four days a week?
    base: {example: stage-not-age, students: 600}   # or: base: our-school.xlsx
    # or several schools, each scenario made of each: base: [north.xlsx, south.xlsx]
    time_limit: 120                                 # seconds per solve (optional)
    scenarios:
      - name: Evenings Mon-Thu
        description: Two extra periods after school, Monday to Thursday.
        changes:
          - open_longer: {periods: 2, days: [Mon, Tue, Wed, Thu], gap: 15}

Every change is a one-key mapping: the name of a transformation
(:data:`scheduler.scenarios.transforms.TRANSFORMATIONS`) and its settings. A file is
read completely before anything is solved, and every mistake in it is reported at once
(:class:`ScenarioError`), with the line it is on where YAML knows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scheduler.model import SEED_MAX, TIME_LIMIT_MAX_S
from scheduler.scenarios.tables_ops import normalise_cells
from scheduler.scenarios.transforms import TRANSFORMATIONS
from scheduler.workbook.tables import Tables

__all__ = [
    "BaseSpec",
    "Change",
    "Scenario",
    "ScenarioError",
    "ScenarioFile",
    "load_scenario_file",
    "slug",
]

FILE_KEYS = ("title", "description", "base", "time_limit", "seed", "scenarios")
SCENARIO_KEYS = ("name", "description", "changes")
BASE_KEYS = ("example", "students", "seed", "path")


class ScenarioError(Exception):
    """Mistakes in scenario files (or in a scenario's result), one message each."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


def slug(name: str) -> str:
    """A folder name for a scenario: ``Open longer (evenings)`` -> ``open-longer-evenings``."""
    text = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")
    return text or "scenario"


@dataclass(frozen=True)
class Change:
    """One transformation and its settings."""

    name: str
    settings: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """The change as written, e.g. ``open_longer: periods=2, days=[Mon, Tue]``."""

        def show(v: Any) -> str:
            if isinstance(v, (list, tuple)):
                return "[" + ", ".join(show(x) for x in v) + "]"
            if isinstance(v, dict):
                return "{" + ", ".join(f"{k}: {show(x)}" for k, x in v.items()) + "}"
            return str(v)

        if not self.settings:
            return self.name
        return f"{self.name}: " + ", ".join(f"{k}={show(v)}" for k, v in self.settings.items())


@dataclass(frozen=True)
class Scenario:
    """A named what-if: changes applied in order to the base school."""

    name: str
    description: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class BaseSpec:
    """The school a scenario file starts from: a generated example or a workbook."""

    example: str | None = None
    students: int | None = None
    seed: int = 0
    path: Path | None = None

    @property
    def key(self) -> tuple[Any, ...]:
        """Files with the same key share one base solve."""
        return (
            self.example,
            self.students,
            self.seed,
            str(self.path.resolve()) if self.path else None,
        )

    @property
    def label(self) -> str:
        """The base in words: ``stage-not-age example, 600 students`` or the file name."""
        if self.path is not None:
            return self.path.name
        text = f"{self.example} example"
        if self.students is not None:
            text += f", {self.students} students"
        if self.seed:
            text += f", seed {self.seed}"
        return text

    @property
    def slug(self) -> str:
        if self.path is not None:
            return slug(self.path.stem)
        parts = [
            self.example or "school",
            str(self.students or ""),
            f"s{self.seed}" if self.seed else "",
        ]
        return slug("-".join(p for p in parts if p))

    def tables(self) -> Tables:
        """The base school's workbook tables.

        An example is generated; a workbook is read sheet by sheet (the contract's sheets
        and columns; what the reader ignores is left out). Raises :class:`ScenarioError`
        if the workbook cannot be read at all; its content is validated later, by the
        reader itself.
        """
        if self.path is None:
            from examples.generator import generate

            return generate(self.example or "", students=self.students, seed=self.seed)
        from scheduler.workbook.problems import Severity
        from scheduler.workbook.read import read_book

        sheets, _, problems = read_book(self.path)
        errors = [str(p) for p in problems if p.severity is Severity.ERROR]
        if errors:
            raise ScenarioError([f"base workbook {self.path}: {e}" for e in errors])
        return normalise_cells(
            {name: [dict(r.cells) for r in sheet.rows] for name, sheet in sheets.items()}
        )


@dataclass(frozen=True)
class ScenarioFile:
    """A whole scenario file."""

    path: Path
    title: str
    description: str
    base: BaseSpec
    scenarios: tuple[Scenario, ...]
    time_limit: float | None = None
    seed: int | None = None
    more_bases: tuple[BaseSpec, ...] = ()  # `base: [A, B, ...]`: the schools after the first

    @property
    def bases(self) -> tuple[BaseSpec, ...]:
        """Every school the file's scenarios are made of, in the file's order."""
        return (self.base, *self.more_bases)


def _yaml_error(path: Path, exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    where = f", line {mark.line + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc)
    return f"{path.name}{where}: not readable as YAML ({problem})"


def _base(raw: Any, path: Path, errors: list[str]) -> BaseSpec | None:
    from examples.generator import EXAMPLES, MAX_STUDENTS

    where = f"{path.name}, base"
    if isinstance(raw, str):
        raw = {"path": raw}
    if not isinstance(raw, dict):
        errors.append(f"{where}: expected a workbook path or {{example: NAME, students: N}}")
        return None
    unknown = [k for k in raw if k not in BASE_KEYS]
    if unknown:
        errors.append(
            f"{where}: unknown key(s) {', '.join(map(str, unknown))}; "
            f"expected {', '.join(BASE_KEYS)}"
        )
    example, book = raw.get("example"), raw.get("path")
    if (example is None) == (book is None):
        errors.append(
            f"{where}: give either example (one of {', '.join(EXAMPLES)}) or a workbook path"
        )
        return None
    seed = raw.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool):
        errors.append(f"{where}: seed should be a whole number, not {seed!r}")
        seed = 0
    if book is not None:
        p = Path(str(book)).expanduser()
        if not p.is_absolute():
            p = path.parent / p  # relative to the scenario file, as a reader expects
        if not p.exists():
            errors.append(f"{where}: workbook {p} not found")
        return BaseSpec(path=p)
    if example not in EXAMPLES:
        errors.append(
            f"{where}: no example called {example!r}; choose one of: {', '.join(EXAMPLES)}"
        )
        return None
    students = raw.get("students")
    if students is not None and (
        not isinstance(students, int)
        or isinstance(students, bool)
        or not 1 <= students <= MAX_STUDENTS
    ):
        errors.append(
            f"{where}: students should be a whole number from 1 to {MAX_STUDENTS}, not {students!r}"
        )
        students = None
    return BaseSpec(example=str(example), students=students, seed=seed)


def _changes(raw: Any, where: str, errors: list[str]) -> tuple[Change, ...]:
    if raw is None:
        errors.append(f"{where}: has no changes")
        return ()
    if not isinstance(raw, list):
        errors.append(
            f"{where}: changes should be a list, each item like `- open_longer: {{periods: 2}}`"
        )
        return ()
    out = []
    for i, item in enumerate(raw, start=1):
        at = f"{where}, change {i}"
        if isinstance(item, str):
            item = {item: None}
        if not isinstance(item, dict) or len(item) != 1:
            errors.append(
                f"{at}: expected one change name with its settings, e.g. "
                "`- home_learning: {years: [12, 13], days: [Fri]}`"
            )
            continue
        ((name, settings),) = item.items()
        name = str(name)
        if name not in TRANSFORMATIONS:
            errors.append(
                f"{at}: there is no change called {name!r}; the changes are: "
                f"{', '.join(TRANSFORMATIONS)}"
            )
            continue
        if settings is None:
            settings = {}
        if not isinstance(settings, dict):
            errors.append(f"{at} ({name}): settings should be `key: value` pairs, not {settings!r}")
            continue
        out.append(Change(name, {str(k): v for k, v in settings.items()}))
    return tuple(out)


def load_scenario_file(path: str | Path) -> ScenarioFile:
    """Read and check a scenario file; raises :class:`ScenarioError` listing every mistake."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError([f"{path}: could not be read ({exc.strerror or exc})"]) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError([_yaml_error(path, exc)]) from None
    if not isinstance(raw, dict):
        raise ScenarioError(
            [f"{path.name}: expected keys base and scenarios at the top of the file"]
        )
    errors: list[str] = []
    unknown = [k for k in raw if k not in FILE_KEYS]
    if unknown:
        errors.append(
            f"{path.name}: unknown key(s) {', '.join(map(str, unknown))}; "
            f"expected {', '.join(FILE_KEYS)}"
        )
    # Several schools: `base: [a.xlsx, b.xlsx]`, every scenario made of each.
    given = raw.get("base")
    raw_bases: list[Any] = given if isinstance(given, list) else [given]
    if "base" in raw and not raw_bases:
        errors.append(f"{path.name}, base: an empty list; name at least one school")
    found = [_base(b, path, errors) for b in raw_bases] if "base" in raw else []
    bases = [b for b in found if b is not None]
    if len({b.key for b in bases}) < len(bases):
        errors.append(f"{path.name}, base: a school is named twice")
    base = bases[0] if bases and len(bases) == len(found) else None
    if "base" not in raw:
        errors.append(
            f"{path.name}: no base; add e.g. `base: {{example: stage-not-age, students: 600}}`"
        )
    # The bounds of `pathways solve` and the Settings sheet, held in scheduler.model.
    time_limit = raw.get("time_limit")
    if time_limit is not None and (
        isinstance(time_limit, bool)
        or not isinstance(time_limit, (int, float))
        or not 0 < time_limit <= TIME_LIMIT_MAX_S
    ):  # nan too
        errors.append(
            f"{path.name}: time_limit should be a number of seconds above 0 and at most "
            f"{TIME_LIMIT_MAX_S} (a week), not {time_limit!r}"
        )
        time_limit = None
    seed = raw.get("seed")
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= SEED_MAX
    ):
        errors.append(
            f"{path.name}: seed should be a whole number from 0 to {SEED_MAX}, not {seed!r}"
        )
        seed = None
    scenarios: list[Scenario] = []
    raw_list = raw.get("scenarios")
    if not isinstance(raw_list, list) or not raw_list:
        errors.append(f"{path.name}: scenarios should be a list of at least one scenario")
        raw_list = []
    seen: set[str] = set()
    for i, item in enumerate(raw_list, start=1):
        where = f"{path.name}, scenario {i}"
        if not isinstance(item, dict):
            errors.append(f"{where}: expected name, description and changes")
            continue
        name = str(item.get("name") or "").strip()
        if name:
            where = f"{path.name}, scenario {name!r}"
        bad = [k for k in item if k not in SCENARIO_KEYS]
        if bad:
            errors.append(
                f"{where}: unknown key(s) {', '.join(map(str, bad))}; "
                f"expected {', '.join(SCENARIO_KEYS)}"
            )
        if not name:
            errors.append(f"{where}: has no name")
            continue
        if slug(name) in seen or slug(name).startswith("base"):
            errors.append(
                f"{where}: the name is used twice (or starts with 'base'); "
                "give each scenario its own name"
            )
            continue
        seen.add(slug(name))
        changes = _changes(item.get("changes"), where, errors)
        scenarios.append(Scenario(name, str(item.get("description") or "").strip(), changes))
    if errors or base is None:
        raise ScenarioError(errors)
    return ScenarioFile(
        path=path,
        title=str(raw.get("title") or path.stem),
        description=str(raw.get("description") or "").strip(),
        base=base,
        more_bases=tuple(bases[1:]),
        scenarios=tuple(scenarios),
        time_limit=float(time_limit) if time_limit is not None else None,
        seed=seed,
    )
