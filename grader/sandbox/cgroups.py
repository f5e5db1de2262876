"""Control groups for the sandbox child's whole process tree (root, cgroup v1).

Resource limits (``RLIMIT_*``) are per process, and the kernel's CPU scheduling groups
processes by session (autogroup): a child that forks many processes, each in a session
of its own, would escape both. A control group holds every process the child ever forks,
whatever it does, so as root the grader makes one per child in each hierarchy it uses:

``pids``     at most ``Limits.processes`` processes (root ignores ``RLIMIT_NPROC``);
``memory``   at most ``Limits.memory`` bytes resident in all;
``cpu``      at most ``Limits.cpu_cores`` cores (``cpu.cfs_quota_us``): the student graded
             beside keeps the rest of the machine, however many processes this one runs;
``cpuacct``  the tree's CPU time, which the sandbox's deadlines count (``clock.py``).

Each group is made inside the grader's own group of that hierarchy, so the limits of a
container the grader runs in still apply, and is removed (its processes killed) when the
child stops. Groups that a killed grader left behind are swept by the next one. Without
root, or without these v1 hierarchies (a cgroup v2 machine), ``ChildGroups`` holds
nothing and the sandbox falls back to per-process limits (docs/isolation.md).
"""

import functools
import itertools
import os
import signal
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
CFS_PERIOD_US = 100_000
_counter = itertools.count()


def _own_path(controller):
    """This process's group in ``controller``'s hierarchy (``/`` when it has none of its own)."""
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if controller in controllers.split(","):
                return path.strip() or "/"
    except (OSError, ValueError):
        pass
    return "/"


def _parent(controller):
    """Where this process may make a group of ``controller`` (v1), or None."""
    mount = ROOT / controller
    if os.geteuid() != 0 or not (mount / "cgroup.procs").exists():
        return None
    return mount.resolve() / _own_path(controller).lstrip("/")


class ChildGroups:
    """The groups of one sandbox child (those this machine allows), by controller."""

    def __init__(self, limits):
        wanted = {
            "pids": ("pids.max", limits.processes),
            "memory": ("memory.limit_in_bytes", limits.memory),
            "cpu": ("cpu.cfs_quota_us", max(1000, round(limits.cpu_cores * CFS_PERIOD_US))),
            "cpuacct": (None, None),
        }
        self.groups = {}  # controller -> its group's folder (controllers mounted together share one)
        self._usage = None  # cpuacct.usage, kept open
        name = f"grader-{os.getpid()}-{next(_counter)}"
        for controller, (limit_file, limit) in wanted.items():
            parent = _parent(controller)
            if parent is None or not parent.is_dir():
                continue
            _sweep_stale(parent)
            group = parent / name
            try:
                group.mkdir(exist_ok=True)
                if limit_file == "cpu.cfs_quota_us":
                    (group / "cpu.cfs_period_us").write_text(str(CFS_PERIOD_US))
                if limit_file:
                    (group / limit_file).write_text(str(limit))
            except OSError:
                _empty_and_remove(group, patience=0.1)
                continue
            self.groups[controller] = group

    def procs_files(self):
        """The ``cgroup.procs`` files a starting child writes its pid to (one per folder)."""
        return sorted({str(g / "cgroup.procs") for g in self.groups.values()})

    def cpu_seconds(self):
        """The CPU time of every process the child ever ran, or None without ``cpuacct``."""
        if self._usage is None:
            group = self.groups.get("cpuacct")
            if group is None:
                return None
            from grader.sandbox.clock import Reader

            self._usage = Reader(group / "cpuacct.usage")
        try:
            return int(self._usage.read()) / 1e9
        except (TypeError, ValueError):
            return None

    def remove(self):
        """Kill whatever is left in the groups and remove them."""
        if self._usage is not None:
            self._usage.close()
        for group in set(self.groups.values()):
            _empty_and_remove(group)
        self.groups = {}


def _empty_and_remove(group, patience=2.0):
    """Kill every process left in ``group`` and remove it (waiting for the dead to be reaped)."""
    deadline = time.monotonic() + patience
    while True:
        try:
            pids = (group / "cgroup.procs").read_text().split()
        except OSError:
            return
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
        try:
            group.rmdir()
            return
        except OSError:
            if time.monotonic() > deadline:
                return  # swept by a later grader run (see _sweep_stale)
            time.sleep(0.01)


@functools.cache  # once per grader process and hierarchy
def _sweep_stale(base):
    """Remove the groups that grader processes which no longer run left behind."""
    for group in base.glob("grader-*-*"):
        try:
            os.kill(int(group.name.split("-")[1]), 0)
        except ProcessLookupError:
            _empty_and_remove(group, patience=0.1)
        except (ValueError, PermissionError):
            pass
