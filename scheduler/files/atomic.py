"""Atomic writes: a reader never sees a half-written file or folder, whatever the moment
the writing process is stopped (Ctrl-C, an error, or ``kill -9``).

A file (:func:`atomic_path`) is written beside its target and renamed over it.

A folder (:func:`atomic_dir`) is switched with renames, never file by file. For a target
``DIR`` in ``PARENT``:

1. the new result is written into ``PARENT/.DIR.new-TOKEN``; files of the old ``DIR``
   that the new one does not write are hard-linked (or copied) across when the caller
   says they are worth keeping (a user's own notes), and a completion marker
   ``.pathways-complete`` is written last;
2. ``DIR`` is renamed to ``PARENT/.DIR.old-TOKEN``;
3. ``.DIR.new-TOKEN`` is renamed to ``DIR``, and the marker removed from it;
4. ``.DIR.old-TOKEN`` is renamed to ``.DIR.trash-TOKEN`` and deleted.

Every step is one rename, so ``DIR`` is at every moment entirely the old result,
entirely the new one, or (between 2 and 3 only) missing with both complete beside it.
:func:`recover` puts things right before anything else reads or writes ``DIR``: when
``DIR`` exists it is kept and every temporary folder of it is deleted; when it is missing,
a complete new folder (one holding the marker) is put in its place, else an old one
(an ``.old-`` folder is complete by construction: it was ``DIR`` until one rename, and is
renamed to ``.trash-`` before any of it is deleted). Writers and recovery of folders in one
``PARENT`` take turns through a lock on ``PARENT`` (``flock``), so recovery never deletes
a folder another process is still writing.

The guarantee is against a stopped process, not a power cut: files are not ``fsync``-ed.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

if sys.platform != "win32":  # no fcntl on Windows, where the lock is skipped
    import fcntl

MARKER = ".pathways-complete"
"""Written last into a new folder: the folder is complete."""

_KINDS = ("new", "old", "trash")
_ANY_TEMP = re.compile(r"^\..+\.(?:new|old|trash)-[0-9a-f]{8}$")

#: Test hooks (inert unless set): sleep this many seconds at every step of a folder write,
#: and ``kill -9`` the process itself at the N-th step (1-based), to test what a kill at
#: each moment leaves behind (tests/scheduler/files/test_atomic_kill.py,
#: bench/kill_during_write.py).
PAUSE_ENV = "PATHWAYS_TEST_WRITE_PAUSE"
KILL_ENV = "PATHWAYS_TEST_WRITE_KILL"
_steps = 0


def write_step(label: str) -> None:
    """Mark one step of a folder write (a file written, a rename done): a test hook."""
    global _steps
    pause = os.environ.get(PAUSE_ENV)
    kill = os.environ.get(KILL_ENV)
    if not pause and not kill:
        return
    _steps += 1
    if kill and _steps == int(kill):
        os.kill(os.getpid(), signal.SIGKILL)
    if pause:
        time.sleep(float(pause))


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _usual_mode(directory: bool) -> int:
    """The permissions a plain ``open()`` or ``mkdir()`` would give: temporary files and
    folders are private (0600/0700), which would hide outputs from colleagues."""
    return (0o777 if directory else 0o666) & ~_umask()


@contextmanager
def atomic_path(target: str | os.PathLike[str], suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place only on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=suffix or target.suffix, dir=target.parent
    )
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if tmp_path.exists():
            os.chmod(tmp_path, _usual_mode(directory=False))
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text_atomic(target: str | os.PathLike[str], text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_with(target: str | os.PathLike[str], writer: Callable[[Path], None]) -> None:
    """Call ``writer(tmp_path)`` and move the result to ``target`` atomically."""
    with atomic_path(target) as tmp:
        writer(tmp)


# --------------------------------------------------------------------------------------
# Folders
# --------------------------------------------------------------------------------------


def not_own_folder(folder: str | os.PathLike[str], *inside: str | os.PathLike[str]) -> str | None:
    """Why ``folder`` cannot be switched for a new one by :func:`atomic_dir`: it is (or
    holds) the current folder or one of ``inside`` (the workbook). None when it can."""
    real = Path(os.path.realpath(folder))
    for p in (Path.cwd(), *map(Path, inside)):
        p = Path(os.path.realpath(p))
        if real == p or real in p.parents:
            what = "the current folder" if p == Path(os.path.realpath(Path.cwd())) else str(p)
            return f"{folder if str(folder) else repr('')} is or holds {what}"
    return None


def _real(target: str | os.PathLike[str]) -> Path:
    """The folder itself: a symbolic link to a result folder keeps pointing at the result."""
    return Path(os.path.realpath(Path(target).expanduser()))


def _temp(target: Path, kind: str, token: str) -> Path:
    return target.parent / f".{target.name}.{kind}-{token}"


def _temps(target: Path) -> list[tuple[str, Path]]:
    """The temporary folders of ``target``: (kind, path), in name order."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.({'|'.join(_KINDS)})-[0-9a-f]{{8}}$")
    found = []
    try:
        entries = sorted(os.scandir(target.parent), key=lambda e: e.name)
    except FileNotFoundError:
        return []
    for entry in entries:
        m = pattern.match(entry.name)
        if m and entry.is_dir(follow_symlinks=False):
            found.append((m.group(1), Path(entry.path)))
    return found


_held: dict[str, list[int]] = {}  # parent -> [times held, its file descriptor or -1]
_held_guard = threading.RLock()


def _forget_locks_in_child() -> None:
    """A forked child (a scenario worker) holds none of its parent's locks."""
    global _held_guard
    for _, fd in _held.values():
        if fd >= 0:
            os.close(fd)
    _held.clear()
    _held_guard = threading.RLock()


os.register_at_fork(after_in_child=_forget_locks_in_child)


@contextmanager
def _locked(parent: Path) -> Iterator[None]:
    """Hold the write lock of ``parent`` (re-entrant within one thread of one process)."""
    key = str(parent)
    with _held_guard:
        if key in _held:
            _held[key][0] += 1
            try:
                yield
            finally:
                if key in _held:
                    _held[key][0] -= 1
            return
        fd = -1
        if sys.platform != "win32":
            try:
                fd = os.open(parent, os.O_RDONLY)
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError:  # a file system without flock on folders: no lock
                if fd >= 0:
                    os.close(fd)
                fd = -1
        _held[key] = [1, fd]
        try:
            yield
        finally:
            if _held.pop(key, None) is not None and fd >= 0:
                os.close(fd)  # releases the lock


def _discard(kind: str, path: Path) -> None:
    """Delete a temporary folder so that no moment of it can pass for complete."""
    if kind == "new":
        try:
            (path / MARKER).unlink()
        except FileNotFoundError:
            pass
    elif kind == "old":
        stem, token = path.name.rsplit(".old-", 1)
        trash = path.with_name(f"{stem}.trash-{token}")
        try:
            os.rename(path, trash)
        except OSError:
            trash = path
        path = trash
        write_step("old folder renamed to trash")
    shutil.rmtree(path, ignore_errors=True)


def _recover_locked(target: Path) -> str | None:
    temps = _temps(target)
    restored = None
    if not os.path.lexists(target):
        news = [p for k, p in temps if k == "new" and (p / MARKER).is_file()]
        olds = [p for k, p in temps if k == "old"]
        if news:
            chosen = max(news, key=lambda p: (p / MARKER).stat().st_mtime_ns)
            restored = "the new result, which was complete"
        elif olds:
            chosen = max(olds, key=lambda p: p.stat().st_mtime_ns)
            restored = "the previous result, as the new one was not complete"
        if restored:
            os.rename(chosen, target)
            write_step("recovered folder renamed into place")
            temps = [(k, p) for k, p in temps if p != chosen]
    if target.is_dir():
        try:
            (target / MARKER).unlink()
        except FileNotFoundError:
            pass
    for kind, path in temps:
        _discard(kind, path)
    return restored


def recover(target: str | os.PathLike[str]) -> str | None:
    """Finish or undo a folder write that was stopped part way, and delete what it left.

    Returns what was put back in place of a missing ``target`` (for a message), if anything.
    """
    target = _real(target)
    if not target.parent.is_dir():
        return None
    with _locked(target.parent):
        return _recover_locked(target)


def _carry(old: Path, new: Path, keep: Callable[[str], bool], rel: str = "") -> None:
    """Hard-link (else copy) into ``new`` what ``old`` holds and ``new`` does not."""
    for entry in sorted(os.scandir(old), key=lambda e: e.name):
        name = entry.name
        if (not rel and name == MARKER) or _ANY_TEMP.match(name) or not keep(rel + name):
            continue
        dst = new / name
        if entry.is_dir(follow_symlinks=False):
            if not os.path.lexists(dst):
                dst.mkdir()
                shutil.copystat(entry.path, dst)
            elif dst.is_symlink() or not dst.is_dir():
                continue  # the new result wrote a file of that name: it wins
            _carry(Path(entry.path), dst, keep, rel + name + "/")
        elif os.path.lexists(dst):
            continue
        elif entry.is_symlink():
            os.symlink(os.readlink(entry.path), dst)
        else:
            try:
                os.link(entry.path, dst)
            except OSError:
                shutil.copy2(entry.path, dst)


def _keep_all(rel: str) -> bool:
    return True


@contextmanager
def atomic_dir(
    target: str | os.PathLike[str], keep: Callable[[str], bool] = _keep_all
) -> Iterator[Path]:
    """Yield a fresh temporary folder beside ``target``; switch it in only once complete.

    ``target`` then holds exactly what was written into the temporary folder, plus each
    file or folder of the old ``target`` that was not written anew and for which
    ``keep(relative_path)`` is true (paths use ``/``; by default everything is kept). See
    the module's docstring for the switch and its recovery. Raises ``NotADirectoryError``
    when ``target`` is a file.
    """
    target = _real(target)
    if os.path.lexists(target) and not target.is_dir():
        raise NotADirectoryError(f"{target} is a file, not a folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target.parent):
        _recover_locked(target)
        while True:
            token = secrets.token_hex(4)
            new = _temp(target, "new", token)
            try:
                new.mkdir()
                break
            except FileExistsError:  # pragma: no cover - 1 in 4 billion
                continue
        try:
            yield new
            write_step("written")
            os.chmod(new, _usual_mode(directory=True))
            if target.is_dir():
                _carry(target, new, keep)
                write_step("kept files carried across")
            (new / MARKER).write_text("complete\n", encoding="utf-8")
            write_step("marked complete")
            old = None
            if os.path.lexists(target):
                old = _temp(target, "old", token)
                os.rename(target, old)
                write_step("old folder moved away")
            os.rename(new, target)
            write_step("new folder in place")
            (target / MARKER).unlink()
            write_step("marker removed")
            if old is not None:
                _discard("old", old)
                write_step("old folder deleted")
        finally:
            # Whatever stopped us (an error in the writer, Ctrl-C), leave one complete
            # result in place and no temporary folder.
            _recover_locked(target)
