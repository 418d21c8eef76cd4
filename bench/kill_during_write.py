"""Benchmark: ``kill -9`` a real ``pathways solve`` while it writes over an earlier result.

    python bench/kill_during_write.py --example all-through --students 1000 --moments 50
    python bench/kill_during_write.py --example all-through --students 1000 --every-step

Solves the example once into a folder (the *old* result, plus a user's ``notes.txt``),
and once more with another seed into a copy of it (the *new* result, for reference and to
time the write). Then, for each moment, copies the old folder afresh, starts the second
solve again on it and sends it SIGKILL at a random moment of its write: once its
temporary ``.out.new-*`` folder appears, after a delay drawn uniformly from the length of
a whole write. The write pauses ``--pause`` seconds at each of its steps (each file
written, each rename: the test hook ``PATHWAYS_TEST_WRITE_PAUSE`` of
scheduler/files/atomic.py) so that the kills spread over the renames as well as over the
writing of the files.
With ``--every-step``, the write is killed at each of its steps in turn instead (SIGKILL
sent by the process to itself at its N-th step: the test hook ``PATHWAYS_TEST_WRITE_KILL``),
so that each rename is hit for certain.

After each kill, ``pathways check SCHOOL out`` (which first finishes or undoes the
interrupted switch) must pass, the folder must hold no temporary folder beside it, and
its files must be entirely the old result (every file's SHA-256 as before) or entirely a
new one: every file a new write always changes (``context.json``, which records when it
was written, and the week-grid workbooks, which do too) differs from the old, and
``notes.txt`` is kept. The other files (``timetable.csv``, ``tutor_groups.csv``...) may
come out the same as before in a new solve (with two threads a solve is not repeatable,
so the reference cannot say what the killed one would have written); a new one among old
ones, or an old one among new ones, would disagree with ``summary.json`` and the others,
which ``pathways check`` finds. Prints where each kill landed and the totals, for
BENCHMARKS.md; exits 1 if any moment failed.

tests/scheduler/files/test_atomic_kill.py runs the same experiment on the tiny example, in CI.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PAUSE_ENV = "PATHWAYS_TEST_WRITE_PAUSE"
KILL_ENV = "PATHWAYS_TEST_WRITE_KILL"
MARKER = ".pathways-complete"
NOTES = "notes.txt"


def hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, hidden ones included."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "scheduler.cli", *args]


def check_with_cli(book: Path, out: Path) -> tuple[int, str]:
    """``pathways check`` in a process of its own: (exit code, its output)."""
    proc = subprocess.run(
        _cli("check", str(book), str(out)), capture_output=True, text=True, check=False
    )
    return proc.returncode, proc.stdout + proc.stderr


@dataclass
class Experiment:
    book: Path
    work: Path
    solve_args: list[str]  # after `solve BOOK --out DIR`
    base: Path = field(init=False)
    old: dict[str, str] = field(default_factory=dict)
    new_ref: dict[str, str] = field(default_factory=dict)
    differing: set[str] = field(default_factory=set)  # between old and reference new
    fresh: set[str] = field(default_factory=set)  # files every new write changes
    write_s: float = 0.0  # from the temporary folder's appearance to the process's end
    pause: float = 0.0

    def env(self, pause: bool = True, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in (PAUSE_ENV, KILL_ENV)}
        if pause and self.pause:
            env[PAUSE_ENV] = str(self.pause)
        return {**env, **extra}

    def start(self, out: Path, env: dict[str, str]) -> subprocess.Popen:
        return subprocess.Popen(
            _cli("solve", str(self.book), "--out", str(out), "--quiet", *self.solve_args),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )


def _new_temp(out: Path) -> bool:
    prefix = f".{out.name}.new-"
    return any(p.name.startswith(prefix) for p in out.parent.iterdir())


def _wait_for_write(proc: subprocess.Popen, out: Path) -> float | None:
    """Wait until the write's temporary folder appears: its time, or None if the process
    ended first (it found no timetable, or failed)."""
    while proc.poll() is None:
        if _new_temp(out):
            return time.monotonic()
        time.sleep(0.002)
    return None


def prepare(
    book: Path, work: Path, old_args: list[str], new_args: list[str], pause: float
) -> Experiment:
    """Solve the old result, then the reference new one over a copy of it, timing its write."""
    exp = Experiment(book, work, new_args, pause=pause)
    exp.base = work / "base" / "out"
    exp.base.parent.mkdir(parents=True)
    done = subprocess.run(
        _cli("solve", str(book), "--out", str(exp.base), "--quiet", *old_args),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the first solve made no timetable:\n{done.stderr}")
    (exp.base / NOTES).write_text("the timetabler's own notes\n")
    exp.old = hashes(exp.base)
    ref = work / "ref" / "out"
    shutil.copytree(exp.base, ref)
    time.sleep(1.1)  # context.json's written_at (whole seconds) must differ
    proc = exp.start(ref, exp.env())
    seen = _wait_for_write(proc, ref)
    _, err = proc.communicate()
    if proc.returncode != 0 or seen is None:
        raise SystemExit(f"the second solve ended without its write being seen:\n{err}")
    exp.write_s = time.monotonic() - seen
    exp.new_ref = hashes(ref)
    if set(exp.new_ref) != set(exp.old):
        raise SystemExit(
            f"the two results hold different files: {sorted(exp.old)} and {sorted(exp.new_ref)}"
        )
    exp.differing = {f for f in exp.old if exp.new_ref[f] != exp.old[f]}
    exp.fresh = {f for f in exp.old if f == "context.json" or f.endswith(".xlsx")}
    if len(exp.fresh) < 4 or not exp.fresh <= exp.differing:
        raise SystemExit(
            f"a new write should change {sorted(exp.fresh)}; it changed only "
            f"{sorted(exp.differing)}"
        )
    return exp


def phase(out: Path) -> str:
    """Where the write was when it was stopped, read from the folders it left."""
    temps = {
        p.name.rsplit("-", 1)[0].rsplit(".", 1)[1]: p
        for p in out.parent.iterdir()
        if p.name.startswith(f".{out.name}.")
    }
    if "new" in temps:
        complete = (temps["new"] / MARKER).exists()
        if not out.exists():
            return "between the two renames"
        return "new folder complete, not switched" if complete else "writing the new folder"
    if "old" in temps:
        return "new in place, old not yet deleted"
    if "trash" in temps:
        return "deleting the old folder"
    if out.exists() and (out / MARKER).exists():
        return "new in place, marker not yet removed"
    return "before or after the write"


@dataclass
class Outcome:
    moment: int
    how: str
    phase: str
    state: str  # "old", "new", or what is wrong
    check: int


def moment(
    exp: Experiment,
    i: int,
    *,
    kill_at_step: int | None = None,
    delay: float | None = None,
    check: Callable[[Path, Path], tuple[int, str]] = check_with_cli,
) -> Outcome | None:
    """One kill: at the test hook's step ``kill_at_step``, or ``delay`` seconds after the
    write began. None when the process ended before it was killed (a step beyond the last,
    or no write at all)."""
    out = exp.work / f"m{i}" / "out"
    shutil.copytree(exp.base, out)
    try:
        if kill_at_step is not None:
            proc = exp.start(out, exp.env(pause=False, **{KILL_ENV: str(kill_at_step)}))
            proc.communicate()
            how = f"step {kill_at_step}"
            if proc.returncode == 0:
                return None  # past the last step
            if proc.returncode != -9:
                return Outcome(
                    i,
                    how,
                    f"no write (the solve exited {proc.returncode})",
                    "skipped",
                    proc.returncode,
                )
        else:
            assert delay is not None
            proc = exp.start(out, exp.env())
            seen = _wait_for_write(proc, out)
            if seen is None:
                proc.communicate()
                return None
            time.sleep(max(0.0, seen + delay - time.monotonic()))
            proc.kill()  # SIGKILL: kill -9
            proc.communicate()
            how = f"{delay:.2f}s into the write"
        where = phase(out)
        code, report = check(exp.book, out)
        state = _state(exp, out)
        if code != 0:
            state += f"; pathways check exited {code}: {report[-300:]}"
        return Outcome(i, how, where, state, code)
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)


def _state(exp: Experiment, out: Path) -> str:
    left = sorted(p.name for p in out.parent.iterdir() if p.name != out.name)
    if not out.is_dir():
        return f"MISSING (left: {left})"
    now = hashes(out)
    problems = []
    if left:
        problems.append(f"left beside it: {left}")
    if set(now) != set(exp.old):
        problems.append(f"files {sorted(set(now) ^ set(exp.old))} added or missing")
    if now == exp.old:
        return "; ".join(["old", *problems])
    stale = sorted(f for f in exp.fresh if now.get(f) == exp.old[f])
    if stale:
        problems.append(f"MIXED: still old: {stale}")
    if now.get(NOTES) != exp.old[NOTES]:
        problems.append(f"{NOTES} lost")
    return "; ".join(["new", *problems])


def ok(o: Outcome) -> bool:
    return o.state in ("old", "new") and o.check == 0


def main() -> None:  # pragma: no cover - a benchmark
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--example", default="all-through")
    ap.add_argument("--students", type=int, default=1000)
    ap.add_argument("--moments", type=int, default=50)
    ap.add_argument("--time-limit", type=float, default=40.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--pause", type=float, default=0.25, help="seconds the write pauses at each of its steps"
    )
    ap.add_argument("--seed", type=int, default=1, help="of the kill moments")
    ap.add_argument(
        "--every-step",
        action="store_true",
        help="instead of random moments, kill the write at each of its steps in "
        "turn (the test hook PATHWAYS_TEST_WRITE_KILL), until one is past "
        "the last",
    )
    args = ap.parse_args()
    rng = random.Random(args.seed)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kill-bench-") as tmp:
        work = Path(tmp)
        book = work / "school.xlsx"
        subprocess.run(
            _cli("example", args.example, "--out", str(book), "--students", str(args.students)),
            check=True,
            capture_output=True,
        )
        common = ["--time-limit", str(args.time_limit), "--workers", str(args.workers)]
        exp = prepare(book, work, [*common, "--seed", "1"], [*common, "--seed", "2"], args.pause)
        print(
            f"{args.example}, {args.students} students; a write takes {exp.write_s:.1f}s "
            f"with {args.pause}s pauses; files differing between the two results: "
            f"{len(exp.differing)} of {len(exp.old)}, of which {len(exp.fresh)} always "
            "differ",
            flush=True,
        )
        outcomes: list[Outcome] = []
        tries = 0
        while len(outcomes) < args.moments and tries < 3 * args.moments:
            tries += 1
            if args.every_step:
                o = moment(exp, tries, kill_at_step=len(outcomes) + 1)
                if o is None:
                    break  # past the last step
                if o.state == "skipped":
                    o = None  # no timetable this time: the same step again
            else:
                o = moment(exp, tries, delay=rng.uniform(0, exp.write_s))
            if o is None:
                print(f"  try {tries}: the solve ended before the kill (no timetable?)", flush=True)
                continue
            outcomes.append(o)
            print(f"  {len(outcomes):2d}. {o.how:>22}: {o.phase:<38} -> {o.state}", flush=True)
    bad = [o for o in outcomes if not ok(o)]
    print(
        f"\n{len(outcomes)} kills in {(time.monotonic() - started) / 60:.1f} minutes: "
        f"{sum(o.state == 'old' for o in outcomes)} left the old result, "
        f"{sum(o.state == 'new' for o in outcomes)} the new one, {len(bad)} failed."
    )
    for name, n in sorted(Counter(o.phase for o in outcomes).items(), key=lambda x: -x[1]):
        print(f"  {n:3d} x {name}")
    sys.exit(1 if bad or (len(outcomes) < args.moments and not args.every_step) else 0)


if __name__ == "__main__":
    main()
