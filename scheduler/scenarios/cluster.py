"""Many solves on Dask distributed: a ``LocalCluster`` on this machine, or an existing
scheduler and its workers (``--cluster ADDRESS``).

Dask does what a hand-written process pool would have to: it starts and watches the
worker processes, queues the solves, and reruns a solve elsewhere when the worker running
it dies (the scheduler's ``distributed.scheduler.allowed-failures``, 3 by default: a solve
whose worker died four times is reported as lost, as it is probably what kills them). The
solve layer is imported only by :func:`solve_remote`, on the workers.

What runs where:

- **workers**: :func:`solve_remote`, the solve alone (``solve_school``), one at a time
  per worker process. It gets the prepared school inside the task itself, never as
  scattered data: the scheduler keeps the task, so a lost worker's solve can be rerun
  anywhere.
- **here**, where the command runs: writing each timetable with the ordinary writer,
  reading it back and checking it, and the comparison. So ``--cluster`` needs no shared
  folder, and a result is written once, whatever happened to the workers.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from distributed import Client, Future

    from scheduler.model import School
    from scheduler.solution import Solution

log = logging.getLogger(__name__)

__all__ = [
    "ALLOWED_FAILURES",
    "ClusterError",
    "Progress",
    "lost_message",
    "open_client",
    "run_tasks",
    "solve_remote",
    "solver_threads",
    "threads_per_solve",
]

#: How many workers may die while running one solve before it is given up (Dask's
#: ``distributed.scheduler.allowed-failures``, set for the LocalCluster; an existing
#: scheduler keeps its own setting, 3 unless configured).
ALLOWED_FAILURES = 3

#: Seconds between looks at the cluster for finished solves and the progress line.
POLL_S = 0.5


class ClusterError(Exception):
    """The cluster cannot be used (no scheduler at the address, no workers)."""


@dataclass(frozen=True)
class Progress:
    """The sweep at a moment: solves finished, running on a worker, waiting for one."""

    done: int
    running: int
    queued: int

    def __str__(self) -> str:
        return f"{self.done} done, {self.running} running, {self.queued} queued"


# ---------------------------------------------------------------------------------------
# On the workers
# ---------------------------------------------------------------------------------------

#: One solve at a time in a worker process: the engine keeps its clock in the process, so
#: a worker started with several threads runs its solves one after another.
_ONE_SOLVE = threading.Lock()


def solve_remote(school: School, time_limit: float, seed: int, workers: int) -> Solution | str:
    """Solve on a worker: the timetable, or why there is none (a message, never raised:
    an exception would be a failed task, and a failed solve is one scenario's result)."""
    try:
        from scheduler.solver.engine import SolveOptions, solve_school

        opts = SolveOptions(time_limit=time_limit, seed=seed, workers=workers)
        with _ONE_SOLVE:
            return solve_school(school, opts, progress=False)
    except Exception as exc:
        log.exception("solve failed")
        return f"could not be solved because of an internal error ({type(exc).__name__}: {exc})"


# ---------------------------------------------------------------------------------------
# Here
# ---------------------------------------------------------------------------------------


@contextmanager
def open_client(address: str | None, n_workers: int) -> Iterator[Client]:
    """A Dask client: to the scheduler at ``address``, or to a new ``LocalCluster`` of
    ``n_workers`` processes of one thread each (closed on leaving)."""
    import distributed  # noqa: F401  (it sets its loggers' levels when first imported)

    # distributed tells of every worker and connection at INFO level: only warnings here.
    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(max(level, logging.WARNING))
    try:
        with _client(address, n_workers) as client:
            yield client
    finally:
        quiet.setLevel(level)


@contextmanager
def _client(address: str | None, n_workers: int) -> Iterator[Client]:
    import dask
    from distributed import Client, LocalCluster

    if address is not None:
        try:
            client = Client(address, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                f"no Dask scheduler answered at {address} ({type(exc).__name__}: {exc}); "
                "start one with `dask scheduler` and its workers with "
                "`dask worker ADDRESS --nthreads 1`"
            ) from None
        try:
            try:
                client.wait_for_workers(1, timeout=60)
            except TimeoutError:
                raise ClusterError(
                    f"the Dask scheduler at {address} has no workers; start them with "
                    f"`dask worker {address} --nthreads 1`"
                ) from None
            several = busy_workers(client)
            if several:
                log.warning(
                    "%d worker(s) have several threads (%s): each runs its solves one at a "
                    "time; start workers with --nthreads 1 so that none waits behind another",
                    len(several),
                    ", ".join(several[:3]),
                )
            yield client
        finally:
            client.close()
        return
    # The scheduler runs in this process and reads its settings when it starts.
    with (
        _ctrl_c_blocked(),
        dask.config.set(
            {
                "distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
                # One solve per worker at a time: a worker takes its next solve only when it
                # has finished one, so a queued solve goes to whichever worker frees first.
                "distributed.scheduler.worker-saturation": 1.0,
            }
        ),
    ):
        cluster = LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            # Its HTTP server starts anyway (health, metrics; the dashboard needs bokeh):
            # on a free port, not on 8787 where another sweep may be.
            dashboard_address="127.0.0.1:0",
            memory_limit=0,  # no limit, as before: a large school's solve is not cut short
            silence_logs=logging.ERROR,
        )
        try:
            client = Client(cluster)
        except BaseException:
            cluster.close()
            raise
    try:
        yield client
    finally:
        try:
            client.close()
        finally:
            cluster.close()


@contextmanager
def _ctrl_c_blocked() -> Iterator[None]:
    """Block Ctrl-C in this thread while the LocalCluster starts. The threads it starts
    (its event loop, which also restarts a worker that died) and the worker processes
    they start inherit the mask: the workers share the terminal's process group, and
    without it Ctrl-C would kill each of them (and any finished solve it holds) while
    the command here cancels the solves and keeps the finished ones itself. Unblocked
    here on leaving; a Ctrl-C pressed meanwhile is then delivered."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):  # not on Windows
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def threads_per_solve(client: Client) -> int:
    """Solver threads for each solve on an existing cluster: each machine's cores shared
    between its worker processes, at least 2 (as on one machine), the least over machines."""
    from urllib.parse import urlsplit

    cores: dict[str, int] = client.run(os.cpu_count)
    per_host: dict[str, list[int]] = {}
    for addr, n in cores.items():
        per_host.setdefault(urlsplit(addr).hostname or addr, []).append(n or 1)
    shares = [max(ns) // len(ns) for ns in per_host.values()] or [2]
    return max(2, min(shares))


def solver_threads(workers: int | None, jobs: int, cluster: Client | None = None) -> int:
    """Solver threads for each solve: ``workers`` when given (at least 1); else, with
    ``jobs`` solves at once on this machine, its cores shared between them, at least 2;
    on an existing ``cluster`` (its client), :func:`threads_per_solve`."""
    if workers is not None:
        return max(1, workers)
    if cluster is None:
        return max(2, (os.cpu_count() or 1) // jobs)
    return threads_per_solve(cluster)


def busy_workers(client: Client) -> list[str]:
    """Workers with more than one thread: they run their solves one after another."""
    nthreads: dict[str, int] = client.nthreads()
    return sorted(addr for addr, n in nthreads.items() if n > 1)


@dataclass(frozen=True)
class Task:
    """One solve to run: its name (for the results), the school and its settings."""

    name: str
    school: School
    time_limit: float
    seed: int
    workers: int


def run_tasks(
    client: Client,
    tasks: Sequence[Task],
    on_result: Callable[[Task, Solution | str], None],
    on_progress: Callable[[Progress], None] | None = None,
) -> bool:
    """Run every task on the cluster; ``on_result(task, solution or message)`` here as
    each one finishes, once per task. Returns whether Ctrl-C stopped the run: then the
    solves not finished are cancelled, and every finished one has had its ``on_result``.

    A task whose workers kept dying (more than the scheduler's allowed failures) or that
    failed on the worker (for example a worker without Pathways installed) gets the
    reason as its message.
    """
    from distributed import as_completed

    futures: dict[Future[Any], Task] = {}
    for i, task in enumerate(tasks):
        fut = client.submit(
            solve_remote,
            task.school,
            task.time_limit,
            task.seed,
            task.workers,
            key=f"pathways-solve-{i}-{os.getpid()}-{time.time_ns()}",
            pure=False,
            retries=0,  # an exception in a solve would come again; a lost worker is not one
        )
        futures[fut] = task
    collected: set[Future[Any]] = set()
    last: Progress | None = None

    def collect(fut: Future[Any]) -> None:
        if fut in collected:
            return
        collected.add(fut)
        task = futures[fut]
        got: Solution | str
        if fut.status == "cancelled":  # not by us: we cancel only after Ctrl-C, and stop
            got = "the solve was cancelled on the cluster (its scheduler restarted or lost?)"
        elif fut.status == "error":
            exc = fut.exception()
            got = lost_message(exc)
        else:
            try:
                got = fut.result()
            except Exception as exc:  # noqa: BLE001  (lost since it finished: rerun, failed)
                got = lost_message(exc)
        fut.release()  # the worker may forget it
        on_result(task, got)

    def progress() -> None:
        nonlocal last
        if on_progress is None:
            return
        try:
            ours = {f.key for f in futures if f not in collected}
            running = sum(1 for keys in client.processing().values() for k in keys if k in ours)
            threads = sum(client.nthreads().values())
        except Exception:  # noqa: BLE001  (the progress line must never stop the sweep)
            return
        left = len(futures) - len(collected)
        # Finished on a worker, not yet written here: still running as far as anyone knows.
        running += sum(1 for f in futures if f not in collected and f.status != "pending")
        running = min(running, threads, left)
        now = Progress(len(collected), running, left - running)
        if now != last:
            last = now
            on_progress(now)

    ac = as_completed(list(futures))
    try:
        progress()
        while not ac.is_empty():
            batch = ac.next_batch(block=False)
            for fut in batch:
                collect(fut)
            if batch:
                progress()
            else:
                time.sleep(POLL_S)
                progress()
    except KeyboardInterrupt:
        pending = [f for f in futures if f not in collected and f.status == "pending"]
        client.cancel(pending)
        # Finished before Ctrl-C but not yet taken: kept (unless its worker is gone too,
        # when it would have to be solved again).
        for fut in futures:
            if fut.status in ("finished", "error") and not _gone(fut):
                collect(fut)
        return True
    return False


def _gone(fut: Future[Any]) -> bool:
    """Whether a finished solve's result can no longer be fetched in a few seconds."""
    try:
        fut.result(timeout=15)
    except TimeoutError:
        return True
    except Exception:  # noqa: BLE001  (an error result is fetched as the error)
        return False
    return False


def lost_message(exc: BaseException | None) -> str:
    """What a scenario's error says when its solve failed or was lost on the cluster
    (``exc``: the future's exception; a KilledWorker: its workers died too often)."""
    name = type(exc).__name__
    if name == "KilledWorker":
        return (
            "the solve was lost: the workers running it died more often than the "
            f"scheduler allows (distributed.scheduler.allowed-failures) ({exc})"
        )
    return f"the solve failed on its worker ({name}: {exc})"
