"""Folders switched in with renames (scheduler/files/atomic.py): what a stop at any
moment leaves, and what the next start puts back."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from scheduler.files.atomic import KILL_ENV, MARKER, PAUSE_ENV, atomic_dir, recover


def _tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too), with its text."""
    return {
        p.relative_to(folder).as_posix(): p.read_text()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _write(target: Path, files: dict[str, str], **kw) -> None:
    with atomic_dir(target, **kw) as tmp:
        for name, text in files.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_text(text)


def _siblings(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name != target.name)


OLD = {"a.csv": "old a", "b.csv": "old b", "sub/c.csv": "old c"}
NEW = {"a.csv": "new a", "b.csv": "new b", "sub/c.csv": "new c"}


def test_a_new_folder_replaces_the_old_one_and_leaves_nothing_beside_it(tmp_path):
    out = tmp_path / "out"
    _write(out, OLD)
    _write(out, NEW)
    assert _tree(out) == NEW
    assert _siblings(out) == []


def test_the_old_folder_is_switched_out_not_written_into(tmp_path):
    """The old folder is renamed away whole: a reader holding it sees only old files."""
    out = tmp_path / "out"
    _write(out, OLD)
    inode = out.stat().st_ino
    _write(out, NEW)
    assert out.stat().st_ino != inode


def test_files_not_written_anew_are_kept_unless_the_writer_says_otherwise(tmp_path):
    out = tmp_path / "out"
    _write(out, {**OLD, "notes.txt": "mine", "stale.csv": "old", "sub/d.txt": "mine too"})
    _write(out, NEW, keep=lambda rel: not rel.endswith(".csv"))
    assert _tree(out) == {**NEW, "notes.txt": "mine", "sub/d.txt": "mine too"}


def test_a_failed_writer_leaves_the_old_folder_and_no_temporary_one(tmp_path):
    out = tmp_path / "out"
    _write(out, OLD)
    with pytest.raises(RuntimeError), atomic_dir(out) as tmp:
        (tmp / "a.csv").write_text("half")
        raise RuntimeError("disk full")
    assert _tree(out) == OLD
    assert _siblings(out) == []


def test_a_file_in_the_way_is_refused_and_kept(tmp_path):
    out = tmp_path / "out"
    out.write_text("a file")
    with pytest.raises(NotADirectoryError), atomic_dir(out):
        pass
    assert out.read_text() == "a file"


def test_a_link_to_a_result_folder_keeps_pointing_at_the_result(tmp_path):
    real = tmp_path / "real"
    _write(real, OLD)
    link = tmp_path / "link"
    link.symlink_to(real)
    _write(link, NEW)
    assert link.is_symlink() and _tree(link) == NEW == _tree(real)


def _stopped_between_renames(out: Path, new_complete: bool) -> None:
    """The state a kill leaves after the old folder was moved away, before the new one came."""
    _write(out, OLD)
    os.rename(out, out.parent / ".out.old-0123abcd")
    new = out.parent / ".out.new-0123abcd"
    new.mkdir()
    for name, text in NEW.items():
        (new / name).parent.mkdir(parents=True, exist_ok=True)
        (new / name).write_text(text)
    if new_complete:
        (new / MARKER).write_text("complete\n")


def test_recovery_puts_a_complete_new_folder_in_place(tmp_path):
    out = tmp_path / "out"
    _stopped_between_renames(out, new_complete=True)
    assert "new" in recover(out)
    assert _tree(out) == NEW  # the marker is gone too
    assert _siblings(out) == []


def test_recovery_puts_the_old_folder_back_when_the_new_one_is_not_complete(tmp_path):
    out = tmp_path / "out"
    _stopped_between_renames(out, new_complete=False)
    assert "previous" in recover(out)
    assert _tree(out) == OLD
    assert _siblings(out) == []


def test_the_next_write_recovers_first(tmp_path):
    out = tmp_path / "out"
    _stopped_between_renames(out, new_complete=False)
    _write(out, {"x.csv": "x"})
    assert _tree(out) == {**{k: v for k, v in OLD.items()}, "x.csv": "x"}
    assert _siblings(out) == []


def test_recovery_deletes_leftovers_of_this_folder_only(tmp_path):
    out = tmp_path / "out"
    _write(out, OLD)
    for name in (".out.new-0000aaaa", ".out.old-1111bbbb", ".out.trash-2222cccc"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "a.csv").write_text("left over")
    (tmp_path / ".out.new-0000aaaa" / MARKER).write_text("complete\n")
    # Not ours: another folder's temporary folders, a user's hidden folder, odd names.
    others = [".outx.new-3333dddd", ".out.backup12", ".out.new-zzzzzzzz", ".out.new-b.new-1234"]
    for name in others:
        (tmp_path / name).mkdir()
    assert recover(out) is None
    assert _tree(out) == OLD
    assert _siblings(out) == sorted(others)


def test_nothing_to_recover_is_fine(tmp_path):
    assert recover(tmp_path / "out") is None
    assert recover(tmp_path / "missing" / "out") is None
    assert not (tmp_path / "out").exists()


# A small folder write, killed (SIGKILL, by the test hook) at each of its steps in turn.
_WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from scheduler.files.atomic import atomic_dir, write_step
    with atomic_dir(Path(sys.argv[1])) as tmp:
        for name in ("a.csv", "b.csv", "c.csv"):
            (tmp / name).write_text("new " + name)
            write_step(name)
""")


def test_a_kill_at_every_step_leaves_all_old_or_all_new(tmp_path):
    old = {"a.csv": "old a.csv", "b.csv": "old b.csv", "c.csv": "old c.csv", "notes": "mine"}
    new = {"a.csv": "new a.csv", "b.csv": "new b.csv", "c.csv": "new c.csv", "notes": "mine"}
    seen = []
    for step in range(1, 40):
        out = tmp_path / f"run{step}" / "out"
        _write(out, old)
        env = {**os.environ, KILL_ENV: str(step)}
        proc = subprocess.run(
            [sys.executable, "-c", _WRITER, str(out)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if proc.returncode == 0:
            break  # every step was tried
        assert proc.returncode == -9, proc.stderr
        recover(out)
        state = _tree(out)
        assert state in (old, new), (step, state)
        assert _siblings(out) == []
        seen.append("old" if state == old else "new")
    else:
        pytest.fail("the write never finished")
    assert len(seen) >= 8 and "old" in seen and "new" in seen, seen


def test_two_writers_of_one_folder_take_turns(tmp_path):
    """The second writer's clean-up must not delete the first one's folder in progress."""
    out = tmp_path / "out"
    _write(out, {"a.csv": "old a.csv", "b.csv": "old b.csv", "c.csv": "old c.csv"})
    env = {**os.environ, PAUSE_ENV: "0.1"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER.replace("new ", tag), str(out)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("first ", "second ")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    state = _tree(out)
    assert state in (
        {n: f"{tag}{n}" for n in ("a.csv", "b.csv", "c.csv")} for tag in ("first ", "second ")
    ), state
    assert _siblings(out) == []
