"""A scenario sweep through ``--cluster`` on a real Dask scheduler and two workers, each
its own process on 127.0.0.1 (as ``dask scheduler`` and ``dask worker`` run on other
machines), one of them killed (SIGKILL) in the middle of a solve (issue 17).

The sweep still makes every scenario's timetable, each once, each passing the checker:
the scheduler reruns the lost solve on the other worker, and the timetables are written
where the command runs. Small on purpose: the tiny example, 4 s per solve, one solver
thread each.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.scenario_fixtures import TINY_RUNS, assert_checked, scenario_file

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _dask(*args: str, log: Path) -> subprocess.Popen[bytes]:
    # The `dask` command of this Python (python -m distributed.cli.dask_*, which it runs).
    module = {
        "scheduler": "distributed.cli.dask_scheduler",
        "worker": "distributed.cli.dask_worker",
    }
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", module[args[0]], *args[1:]],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, ended on its own
        )


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[str, dict[str, subprocess.Popen[bytes]]]]:
    """A scheduler and two single-threaded workers (no nanny: a killed worker stays dead,
    as a lost machine does). Yields the address and the workers by name; all ended after."""
    from distributed import Client

    address = f"tcp://127.0.0.1:{_free_port()}"
    procs: list[subprocess.Popen[bytes]] = []
    try:
        procs.append(
            _dask(
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                address.rsplit(":", 1)[1],
                "--no-dashboard",
                log=tmp_path / "scheduler.log",
            )
        )
        workers = {}
        for name in ("w1", "w2"):
            workers[name] = _dask(
                "worker",
                address,
                "--name",
                name,
                "--nthreads",
                "1",
                "--no-nanny",
                "--host",
                "127.0.0.1",
                "--no-dashboard",
                log=tmp_path / f"{name}.log",
            )
            procs.append(workers[name])
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address, workers
    finally:
        for p in reversed(procs):  # the workers, then the scheduler
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=20)


def test_a_sweep_survives_a_worker_killed_mid_solve(
    tmp_path: Path, cluster: tuple[str, dict[str, subprocess.Popen[bytes]]]
) -> None:
    from distributed import Client

    address, workers = cluster
    scen = scenario_file(tmp_path)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "scheduler.cli", "scenario", "run", str(scen)]
    command += ["--out", str(out), "--cluster", address, "--time-limit", "4"]
    command += ["--workers", "1", "--seed", "1", "--write-workbook"]
    sweep = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    killed = None
    try:
        with Client(address, timeout="30s") as client:
            names = {a: w["name"] for a, w in client.scheduler_info()["workers"].items()}
            deadline = time.monotonic() + 120
            while killed is None and time.monotonic() < deadline and sweep.poll() is None:
                busy = {
                    a: keys
                    for a, keys in client.processing().items()
                    if any(str(k).startswith("pathways-solve") for k in keys)
                }
                if busy:
                    time.sleep(1.5)  # well into the solve (4 s), not at its start or end
                    addr = min(busy)
                    workers[names[addr]].send_signal(signal.SIGKILL)
                    killed = names[addr]
                else:
                    time.sleep(0.1)
            assert killed is not None, "no solve was seen running on a worker"
            _, stderr = sweep.communicate(timeout=180)
            assert workers[killed].wait(timeout=10) == -signal.SIGKILL
            assert len(client.scheduler_info()["workers"]) == 1  # the killed one is gone
    finally:
        if sweep.poll() is None:
            sweep.kill()
            sweep.wait()
    assert sweep.returncode == 0, stderr
    data = json.loads((out / "comparison.json").read_text())
    assert [run["scenario"] for run in data["runs"]] == TINY_RUNS
    for run in data["runs"]:
        assert run["check_passes"] and run["status"] in ("optimal", "feasible"), run
        assert_checked(out, run)  # again here, independently, from the files written
    assert "[3/3]" in stderr and "[4/3]" not in stderr  # each written once
