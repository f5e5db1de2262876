"""The grader's temporary folders, and leaving none of them behind.

Every folder is made by ``make(kind)`` as ``grader-<kind>-<pid>.<start time>-<random>`` in
the temporary folder, and removed when its process exits: at interpreter exit, and in a
``multiprocessing`` worker (whose interpreter ends with ``os._exit``, skipping ``atexit``)
by a ``multiprocessing`` finalizer. A process that is killed removes nothing, so
``sweep()`` (run by a batch when its workers have stopped, and by every new grader
process) removes the folders of processes that no longer run; the start time in the name
tells a dead owner from a new process that got its pid.
"""

import atexit
import functools
import os
import re
import shutil
import tempfile
from pathlib import Path

_NAME = re.compile(r"grader-[a-z]+-(\d+)\.(\d+)-")


def _start_time(pid):
    """The start time of process ``pid`` in clock ticks since boot, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stream:
            return int(stream.read().rsplit(b")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return None


@functools.lru_cache(maxsize=1)
def _owner():
    return f"{os.getpid()}.{_start_time(os.getpid()) or 0}"


def make(kind):
    """A new private folder of this process, removed when the process ends."""
    _sweep_once()
    folder = tempfile.mkdtemp(prefix=f"grader-{kind}-{_owner()}-")
    remove_at_exit(folder)
    return folder


_mine: list = []


def remove_mine():
    """Remove this process's folders now (for a process about to end with ``os._exit``)."""
    for folder in _mine:
        shutil.rmtree(folder, ignore_errors=True)


def remove_at_exit(folder):
    """Remove ``folder`` when this process exits normally (a pool worker included)."""
    _mine.append(folder)
    atexit.register(shutil.rmtree, folder, True)
    try:
        from multiprocessing import util

        util.Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=0)
    except ImportError:
        pass


def _alive(pid, start):
    """Whether the process that made a folder still runs (not a new one with its pid)."""
    if int(pid) == os.getpid():
        return True
    now = _start_time(pid)
    return now is not None and (int(start) == 0 or now == int(start))


def sweep(directory=None):
    """Remove the grader folders of processes that are gone; return how many."""
    removed = 0
    for folder in Path(directory or tempfile.gettempdir()).glob("grader-*-*"):
        match = _NAME.match(folder.name)
        if match and folder.is_dir() and not folder.is_symlink() and not _alive(*match.groups()):
            shutil.rmtree(folder, ignore_errors=True)
            removed += not folder.exists()
    return removed


@functools.lru_cache(maxsize=1)
def _sweep_once():
    sweep()
