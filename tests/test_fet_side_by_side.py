"""The FET side-by-side bench (bench/fet_side_by_side.py) in pieces: shards cover every
file once, an interrupted run resumes where it stopped, and the shards' rows merge into
one table. Nothing is solved here: the script is driven with rows it already has."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bench_fixtures import BENCH_DIR, bench_module

BENCH = BENCH_DIR / "fet_side_by_side.py"
sbs = bench_module("fet_side_by_side")


def _row(name: str, first: float, fet: float) -> dict:
    return {
        "file": name,
        "activities": 10,
        "hard_carried": 3,
        "hard_total": 3,
        "pathways_status": "feasible",
        "pathways_first_s": first,
        "pathways_hard_violations": 0,
        "fet_status": "solved",
        "fet_wall_s": fet,
        "fet_hard_violations": 0,
    }


def test_shards_cover_every_file_once() -> None:
    files = [Path(f"f{i}.fet") for i in range(11)]
    parts = [sbs.shard(files, f"{i}/4") for i in range(4)]
    assert sorted(p for part in parts for p in part) == sorted(files)
    assert sum(len(part) for part in parts) == len(files)
    with pytest.raises(ValueError):
        sbs.shard(files, "4/4")


def test_merge_keeps_one_row_per_file_the_last_seen(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps([_row("x.fet", 5.0, 9.0), _row("y.fet", 1.0, 2.0)]))
    b.write_text(json.dumps([_row("x.fet", 3.0, 9.0)]))
    rows = sbs.merged([a, b])
    assert [r["file"] for r in rows] == ["x.fet", "y.fet"]
    assert rows[0]["pathways_first_s"] == 3.0


def test_merge_writes_one_table_without_running_anything(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps([_row("x.fet", 4.0, 8.0)]))
    b.write_text(json.dumps([_row("y.fet", 2.0, 6.0)]))
    out = tmp_path / "table.md"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--merge", str(a), str(b), "--table", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "| x.fet |" in text and "| y.fet |" in text
    assert "no hard violation for 2 of 2" in text
    assert "Pathways 3.0 s, FET 7.0 s" in text


def test_resume_skips_the_files_already_done(tmp_path: Path) -> None:
    """Every file listed is already in --json: nothing is imported or solved, and the rows
    stay as they were."""
    bench = tmp_path / "bench" / "FET-x-official"
    bench.mkdir(parents=True)
    for name in ("a.fet", "b.fet"):
        (bench / name).write_text("<fet/>")
    rows = [_row("FET-x-official/a.fet", 1.0, 2.0), _row("FET-x-official/b.fet", 1.0, 2.0)]
    saved = tmp_path / "rows.json"
    saved.write_text(json.dumps(rows))
    out = tmp_path / "table.md"
    cmd = [sys.executable, str(BENCH), "--bench", str(tmp_path / "bench"), "--fet-only"]
    cmd += ["--json", str(saved), "--resume", "--table", str(out), "--work", str(tmp_path / "w")]
    # No fet-cl needed: with every file done, the script must not look for it at all.
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "[1/2]" not in done.stdout
    assert json.loads(saved.read_text()) == rows
    assert "FET: a timetable for 2 of 2" in out.read_text(encoding="utf-8")
