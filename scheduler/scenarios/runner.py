"""Run scenario files: build every variant, solve them side by side, check each one.

1. **Prepare** (in this process, before anything is solved): each scenario file's base
   school is generated or read; each scenario's changes are applied to the base tables;
   the result is written as a workbook and read back with
   :func:`scheduler.workbook.read.load_school`, so it is validated like any workbook.
   Every problem in every scenario is collected and reported together; nothing is
   solved unless all of them are sound.
2. **Solve** the bases and the scenarios on Dask distributed
   (:mod:`scheduler.scenarios.cluster`): a ``LocalCluster`` of ``jobs`` worker processes
   (the machine's cores shared between them), or the workers of an existing scheduler
   (``cluster``). Each timetable comes back here and is written into its own output
   folder, read back and checked independently (as ``pathways check`` does).
3. **Compare**: :mod:`scheduler.scenarios.report` writes ``comparison.xlsx``,
   ``comparison.html`` and ``comparison.json``.

Files with the same base share one base solve, so ``pathways scenario run
examples/scenarios/*.yaml`` solves the 600-student example once, not eleven times.
"""

from __future__ import annotations

import logging
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scheduler.model import School
from scheduler.scenarios.metrics import RunFigures, run_figures
from scheduler.scenarios.spec import ScenarioError, ScenarioFile, load_scenario_file, slug
from scheduler.scenarios.tables_ops import ChangeError
from scheduler.scenarios.transforms import apply_change
from scheduler.workbook.problems import InputError, Severity
from scheduler.workbook.tables import Tables, write_tables

if TYPE_CHECKING:
    from scheduler.scenarios.cluster import Progress
    from scheduler.solution import Solution

log = logging.getLogger(__name__)

__all__ = [
    "PreparedRun",
    "RunOptions",
    "RunResult",
    "finish_one",
    "prepare_runs",
    "run_files",
    "solve_one",
    "solve_runs",
]

#: At most this many problems of one scenario's workbook are listed (then "and N more").
MAX_PROBLEMS = 12


@dataclass(frozen=True)
class RunOptions:
    """How to run: per-solve time limit and seed (``None`` = scenario file, then Settings),
    solves at once (the LocalCluster's worker processes), solver threads per solve
    (``None`` = the cores shared out), whether to write each scenario's workbook, and the
    address of an existing Dask scheduler to solve on instead of a LocalCluster."""

    time_limit: float | None = None
    seed: int | None = None
    jobs: int | None = None
    write_workbook: bool = False
    workers: int | None = None
    cluster: str | None = None


@dataclass
class PreparedRun:
    """A school ready to solve: a base or a scenario, validated."""

    name: str
    slug: str
    base: str  # the base's name (a base names itself)
    base_label: str
    description: str
    changes: tuple[str, ...]
    school: School
    warnings: int
    time_limit: float
    seed: int
    workbook: Path | None = None

    @property
    def is_base(self) -> bool:
        return self.name == self.base


@dataclass
class RunResult:
    """What one solve gave: its figures, or why there are none."""

    name: str
    slug: str
    base: str
    base_label: str
    description: str
    changes: tuple[str, ...]
    outdir: str
    workbook: str | None = None
    figures: RunFigures | None = None
    error: str = ""
    status: str = ""  # the solve's status, also when it found no timetable
    wall_s: float | None = None
    violations: list[str] = field(default_factory=list)  # hard violations, first few

    @property
    def is_base(self) -> bool:
        return self.name == self.base

    @property
    def ok(self) -> bool:
        """Solved, with a timetable that breaks no hard rule."""
        return self.figures is not None and not self.error and self.figures.hard_violations == 0


# ---------------------------------------------------------------------------------------
# Preparing
# ---------------------------------------------------------------------------------------


def _load(tables: Tables, where: Path | None, tmp: Path, name: str) -> School:
    """Write ``tables`` (as ``where`` when given, else CSV files in ``tmp``) and read them
    back, so the reader validates them exactly as it would a timetabler's workbook."""
    from scheduler.workbook.read import load_school

    target = where if where is not None else tmp / slug(name)
    write_tables(tables, target)
    school, _ = load_school(target)
    return school


def _problems(exc: InputError) -> list[str]:
    errors = [p for p in exc.problems if p.severity is Severity.ERROR]
    shown = [str(p) for p in errors[:MAX_PROBLEMS]]
    if len(errors) > MAX_PROBLEMS:
        shown.append(f"and {len(errors) - MAX_PROBLEMS} more")
    return shown


def prepare_runs(files: list[ScenarioFile], out: Path, opts: RunOptions) -> list[PreparedRun]:
    """Build and validate every base and scenario; raises :class:`ScenarioError` listing
    every problem (a change that cannot be made, a changed school the reader rejects)."""
    from scheduler.workbook.read import load_school

    errors: list[str] = []
    runs: list[PreparedRun] = []
    bases: dict[tuple[Any, ...], tuple[PreparedRun, Tables]] = {}
    several = len({b.key for f in files for b in f.bases}) > 1
    books = out / "workbooks" if opts.write_workbook else None
    taken: set[str] = set()
    book: Path | None
    with tempfile.TemporaryDirectory(prefix="pathways-scenarios-") as tmp_name:
        tmp = Path(tmp_name)
        for f, base_spec in [(file, b) for file in files for b in file.bases]:
            if base_spec.key not in bases:
                name = f"base ({base_spec.label})" if several else "base"
                base_slug = f"base-{base_spec.slug}" if several else "base"
                try:
                    tables = base_spec.tables()
                    if base_spec.path is not None:
                        school, warns = load_school(base_spec.path)
                        book = base_spec.path  # the timetabler's own workbook: not copied
                    else:
                        book = books / f"{base_slug}.xlsx" if books is not None else None
                        school = _load(tables, book, tmp, base_slug)
                        warns = []
                except ScenarioError as exc:
                    errors.extend(exc.messages)
                    continue
                except InputError as exc:
                    errors.append(f"base {base_spec.label} has errors:")
                    errors.extend(f"  {p}" for p in _problems(exc))
                    continue
                except ValueError as exc:  # e.g. an example that cannot be generated
                    errors.append(f"base {base_spec.label}: {exc}")
                    continue
                run = PreparedRun(
                    name=name,
                    slug=base_slug,
                    base=name,
                    base_label=base_spec.label,
                    description=f"The school as it is ({base_spec.label}).",
                    changes=(),
                    school=school,
                    warnings=len(warns),
                    time_limit=_limit(opts, f, school),
                    seed=_seed(opts, f, school),
                    workbook=book,
                )
                bases[base_spec.key] = (run, tables)
                taken.add(run.slug)
                runs.append(run)
            base_run, base_tables = bases[base_spec.key]
            for sc in f.scenarios:
                # With several schools, each scenario's name says whose it is.
                name = f"{sc.name} ({base_spec.label})" if several else sc.name
                if slug(name) in taken:
                    name = f"{f.path.stem}: {sc.name}"
                run_slug = slug(name)
                taken.add(run_slug)
                where = f"{f.path.name}, scenario {sc.name!r}"
                tables = base_tables
                failed = False
                for i, change in enumerate(sc.changes, start=1):
                    try:
                        tables = apply_change(tables, change.name, change.settings)
                    except ChangeError as exc:
                        errors.append(f"{where}, change {i} ({change.name}): {exc}")
                        failed = True
                        break
                if failed:
                    continue
                book = books / f"{run_slug}.xlsx" if books is not None else None
                try:
                    school = _load(tables, book, tmp, run_slug)
                except InputError as exc:
                    errors.append(f"{where}: the changed school has errors:")
                    errors.extend(f"  {p}" for p in _problems(exc))
                    if book is not None and book.exists():
                        book.unlink()  # half a scenario is no use to a timetabler
                    continue
                runs.append(
                    PreparedRun(
                        name=name,
                        slug=run_slug,
                        base=base_run.name,
                        base_label=base_run.base_label,
                        description=sc.description,
                        changes=tuple(c.describe() for c in sc.changes),
                        school=school,
                        warnings=0,
                        time_limit=_limit(opts, f, school),
                        seed=_seed(opts, f, school),
                        workbook=book,
                    )
                )
    if errors:
        raise ScenarioError(errors)
    # Grouped by school (in the order the schools first come), each base first.
    order = {key: i for i, key in enumerate(bases)}
    by_name = {run.name: key for key, (run, _) in bases.items()}
    return sorted(runs, key=lambda r: order[by_name[r.base]])


def _limit(opts: RunOptions, f: ScenarioFile, school: School) -> float:
    # Precedence as for `pathways solve`: command line, then the file, then Settings.
    if opts.time_limit is not None:
        return float(opts.time_limit)
    if f.time_limit is not None:
        return float(f.time_limit)
    return float(school.settings.time_limit_s)


def _seed(opts: RunOptions, f: ScenarioFile, school: School) -> int:
    if opts.seed is not None:
        return opts.seed
    if f.seed is not None:
        return f.seed
    return int(school.settings.seed)


# ---------------------------------------------------------------------------------------
# Solving (on Dask workers) and writing (here)
# ---------------------------------------------------------------------------------------


def _result(run: PreparedRun, outdir: Path) -> RunResult:
    return RunResult(
        name=run.name,
        slug=run.slug,
        base=run.base,
        base_label=run.base_label,
        description=run.description,
        changes=run.changes,
        outdir=str(outdir),
        workbook=str(run.workbook) if run.workbook is not None else None,
    )


def solve_one(run: PreparedRun, outdir: Path, workers: int) -> RunResult:
    """Solve one school here, write its outputs, read them back and check them
    (:func:`finish_one`). Never raises (a failure becomes ``RunResult.error``)."""
    from scheduler.scenarios.cluster import solve_remote

    return finish_one(run, outdir, solve_remote(run.school, run.time_limit, run.seed, workers))


def finish_one(run: PreparedRun, outdir: Path, solved: Solution | str) -> RunResult:
    """Write a solve's timetable into ``outdir``, read it back and check it.

    ``solved`` is the solve's :class:`~scheduler.solution.Solution`, or why there is none.
    The check reads the new folder before it is switched in and saves its report there as
    ``check.json``: the folder is at every moment the old result or the new one with its
    check, never the new one with the old check or none. Never raises (a failure becomes
    ``RunResult.error``).
    """
    import json

    from scheduler.checker import CheckReport, check_solution
    from scheduler.outputs.read import OutputError, read_solution
    from scheduler.outputs.write import write_outputs

    result = _result(run, outdir)
    if isinstance(solved, str):
        result.error = solved
        return result
    solution = solved
    try:
        read_back: list[tuple[Solution, CheckReport]] = []

        def check(folder: Path) -> None:
            """Check what was written, as `pathways check` would, not what is in memory;
            check.json goes into the new folder before it is switched in."""
            if not solution.groups:
                return
            try:
                written = read_solution(folder, run.school)
            except OutputError as exc:
                # The messages name the folder being written: name the one the user sees.
                shown = [m.replace(str(folder), str(outdir)) for m in exc.messages[:3]]
                result.error = "the timetable files could not be read back: " + "; ".join(shown)
                return
            report = check_solution(run.school, written)
            (folder / "check.json").write_text(
                json.dumps(report.as_dict(), indent=2) + "\n", encoding="utf-8"
            )
            read_back.append((written, report))

        with _ctrl_c_held():
            write_outputs(run.school, solution, outdir, also=check)
        result.status, result.wall_s = solution.status.value, round(solution.wall_s, 1)
        if not solution.groups:
            # No timetable: nothing to check or compare. The solver's own explanation, in a
            # timetabler's words, when it gives one (summary.json has it too).
            reasons = solution.stats.explanation
            result.error = "; ".join(reasons) if reasons else "no timetable was found"
            return result
        if not read_back:
            return result  # could not be read back: result.error says why
        written, report = read_back[0]
        result.violations = [v.message for v in report.hard_violations[:5]]
        result.figures = run_figures(run.school, written, len(report.hard_violations))
    except Exception as exc:  # one failed scenario must not stop the others
        log.exception("scenario %s failed", run.name)
        result.error = (
            f"could not be solved because of an internal error ({type(exc).__name__}: {exc})"
        )
    return result


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold Ctrl-C while a finished solve's timetable is written and checked (seconds):
    the solve took far longer, and Ctrl-C keeps every finished one. Raised after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt


def solve_runs(
    runs: list[PreparedRun],
    out: Path,
    jobs: int | None = None,
    on_done: Callable[[RunResult, int, int], None] | None = None,
    workers: int | None = None,
    cluster: str | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> tuple[list[RunResult], bool]:
    """Solve every run on Dask, write and check each one here; results in run order.

    Without ``cluster``: a ``LocalCluster`` of ``jobs`` worker processes (default one per
    core, at most one per run), one solve per worker at a time; with ``jobs`` 1, the
    solves run one after another in this process, without a cluster. With ``cluster``
    (a scheduler's address, ``tcp://host:8786``): that scheduler's workers.

    Each solve gets ``workers`` solver threads, by default the cores shared between the
    solves at once but at least 2: the solver's threads search in different ways, and in
    our runs a single thread often found no first timetable of a 600-student school in two
    minutes where two threads did, even with two solves sharing two cores. ``on_done(result,
    finished, total)`` is called as each one is written; ``on_progress(progress)`` when the
    count of solves done, running and queued changes. Returns ``(results, interrupted)``.
    After Ctrl-C the solves not finished are cancelled and every finished one is kept
    (run one at a time here, the solve under way hands back its best timetable so far).
    A solve whose workers died is rerun on another (Dask's allowed failures); each run
    has one result.
    """
    from scheduler.scenarios.cluster import (
        Progress,
        Task,
        open_client,
        run_tasks,
        solver_threads,
    )

    cores = os.cpu_count() or 1
    jobs = max(1, min(jobs or cores, len(runs) or 1))
    results: dict[str, RunResult] = {}
    total = len(runs)

    def record(res: RunResult) -> None:
        results[res.slug] = res
        if on_done is not None:
            on_done(res, len(results), total)

    if not runs:
        return [], False
    if jobs == 1 and cluster is None:
        # One at a time: no cluster needed (and Ctrl-C reaches the solve directly).
        each = solver_threads(workers, 1)
        for i, run in enumerate(runs):
            if on_progress is not None:
                on_progress(Progress(i, 1, total - i - 1))
            res = solve_one(run, out / run.slug, each)
            record(res)
            if res.figures is not None and res.figures.interrupted:
                return [results[r.slug] for r in runs if r.slug in results], True
        return [results[r.slug] for r in runs if r.slug in results], False

    by_name = {run.slug: run for run in runs}

    def on_result(task: Task, solved: Solution | str) -> None:
        run = by_name[task.name]
        if run.slug not in results:  # never twice into the results
            record(finish_one(run, out / run.slug, solved))

    with open_client(cluster, jobs) as client:  # ClusterError: no scheduler, no workers
        each = solver_threads(workers, jobs, client if cluster is not None else None)
        tasks = [Task(r.slug, r.school, r.time_limit, r.seed, each) for r in runs]
        interrupted = run_tasks(client, tasks, on_result, on_progress)
    return [results[r.slug] for r in runs if r.slug in results], interrupted


def run_files(
    paths: list[Path],
    out: Path,
    opts: RunOptions,
    on_done: Callable[[RunResult, int, int], None] | None = None,
    on_prepared: Callable[[list[PreparedRun]], None] | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> tuple[list[RunResult], bool, float]:
    """Read scenario files, prepare, solve and write the comparison into ``out``.

    Returns ``(results, interrupted, seconds)``. Raises :class:`ScenarioError` (nothing
    solved, nothing written but workbooks) when any file or scenario has a problem.
    """
    from scheduler.scenarios.report import write_comparison

    started = time.monotonic()
    files: list[ScenarioFile] = []
    errors: list[str] = []
    for p in paths:
        try:
            files.append(load_scenario_file(p))
        except ScenarioError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ScenarioError(errors)
    out.mkdir(parents=True, exist_ok=True)
    runs = prepare_runs(files, out, opts)
    if on_prepared is not None:
        on_prepared(runs)
    results, interrupted = solve_runs(
        runs, out, opts.jobs, on_done, opts.workers, opts.cluster, on_progress
    )
    seconds = time.monotonic() - started
    write_comparison(results, out, title=_title(files), seconds=seconds, interrupted=interrupted)
    return results, interrupted, seconds


def _title(files: list[ScenarioFile]) -> str:
    if len(files) == 1:
        return files[0].title
    return f"{len(files)} scenario files"
