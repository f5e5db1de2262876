"""The sandbox's clock: time that the machine's load cannot stretch.

Deadlines of the sandbox (``session.py``) are not wall-clock seconds: on a busy machine
(another submission graded beside, other jobs) the same code takes longer in wall time,
and a wall-clock deadline would make its grade depend on its neighbours. A ``Clock``
counts, for the child's whole process tree:

- its **CPU time** (the ``cpuacct`` cgroup as root; else the CPU time in ``/proc`` of the
  processes descended from the child, including the children they reaped), and
- the **wall time during which none of its threads could run** (all sleeping, stopped or
  waiting), sampled every ``INTERVAL`` seconds: ``time.sleep`` and ``SIGSTOP`` cost time,
  waiting for a busy CPU does not.

A child that is runnable but never gets the CPU would never reach a deadline, so a
wall-clock backstop (``WALL_FACTOR`` times the budget, plus ``WALL_SLACK``) still holds.
"""

import os
import time

INTERVAL = 0.05  # seconds between samples of the tree
WALL_FACTOR, WALL_SLACK = 10.0, 1.0
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid, tid=None):
    """``(state, ppid, cpu seconds of it and its reaped children)`` from ``/proc``, or None."""
    path = f"/proc/{pid}/stat" if tid is None else f"/proc/{pid}/task/{tid}/stat"
    try:
        with open(path, "rb") as stream:
            fields = stream.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # fields[0] is field 3 of proc(5): state, ppid, ..., utime (14), stime, cutime, cstime (17)
    return fields[0].decode(), int(fields[1]), sum(int(f) for f in fields[11:15]) / _TICK


def _descendants(root):
    """``root`` and the pids of every live process descended from it."""
    children = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            stat = _stat(entry.name)
            if stat is not None:
                children.setdefault(stat[1], []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, ())
    return found


def _runnable(pid, tids=None):
    """Whether any thread of process ``pid`` (or any of ``tids``) is running or runnable."""
    if tids is None:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            return False
        return any((_stat(pid, tid) or ("S",))[0] == "R" for tid in tids)
    return any((_stat(tid) or ("S",))[0] == "R" for tid in tids)


class TreeSampler:
    """``sample() -> (cpu seconds, runnable)`` of the process tree of ``root``: from its
    ``cgroups.ChildGroups`` when it has them (they also hold the processes that left the
    tree), else from ``/proc``, where the tree is found again at most every ``RESCAN``
    seconds (a scan of every process costs milliseconds; a call, a fraction of one)."""

    RESCAN = 0.5

    def __init__(self, root, groups=None):
        self.root, self.groups = root, groups
        self.pids, self.scanned = [root], -1e9

    def __call__(self):
        cpu = self.groups.cpu_seconds() if self.groups is not None else None
        tids = self.groups.threads() if self.groups is not None else None
        if cpu is not None and tids is not None:
            return cpu, _runnable(None, tids)
        now = time.monotonic()
        if now - self.scanned >= self.RESCAN:
            self.pids, self.scanned = _descendants(self.root), now
        if cpu is None:
            cpu = sum((_stat(pid) or ("", 0, 0.0))[2] for pid in self.pids)
        return cpu, any(_runnable(pid) for pid in self.pids)


class Clock:
    """Seconds of CPU time plus idle wall time of a process tree, since it was made.

    ``sample()`` returns ``(cpu seconds, runnable)``; ``elapsed()`` samples it at most
    every ``INTERVAL`` seconds. ``expired(budget)`` is the sandbox's deadline test. Idle
    time counts only while the grader waits for an answer: between ``resume()`` (or the
    start) and ``stop()``."""

    def __init__(self, sample):
        self._sample = sample
        self._start = self._last = time.monotonic()
        self._cpu0 = self._cpu = sample()[0]
        self._idle = 0.0

    def elapsed(self):
        now = time.monotonic()
        if now - self._last >= INTERVAL:
            self._update(now, count_idle=True)
        return (self._cpu - self._cpu0) + self._idle

    def _update(self, now, count_idle):
        cpu, runnable = self._sample()
        cpu = max(cpu, self._cpu)  # a tree whose processes ended keeps what it used
        if count_idle and not runnable:
            self._idle += max(0.0, (now - self._last) - (cpu - self._cpu))
        self._cpu, self._last = cpu, now

    def resume(self):
        """Start waiting for the child again: its CPU time since the last look counts, the
        time it was idle does not (it had answered, and the grader was busy elsewhere), and
        the wall-clock backstop starts again."""
        self._start = time.monotonic()
        self._update(self._start, count_idle=False)

    def touch(self):
        """Data just crossed the pipe: the time since the last look was transfer, not idleness
        (the child was waiting for the grader to read or write), and does not count."""
        self._last = max(self._last, time.monotonic())

    def stop(self):
        """The final reading, once the child has answered: its CPU time up to now, but not
        the idle time since the last look (the grader was reading the answer)."""
        self._update(time.monotonic(), count_idle=False)
        return (self._cpu - self._cpu0) + self._idle

    def wall(self):
        return time.monotonic() - self._start

    def expired(self, budget):
        """Whether ``budget`` seconds are used up (or the wall-clock backstop is reached)."""
        return self.elapsed() >= budget or self.wall() >= WALL_FACTOR * budget + WALL_SLACK
