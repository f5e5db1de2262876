"""The sandbox's clock: time that the machine's load cannot stretch.

Deadlines of the sandbox (``session.py``) are not wall-clock seconds: on a busy machine
(another submission graded beside, other jobs) the same code takes longer in wall time,
and a wall-clock deadline would make its grade depend on its neighbours. A ``Clock``
counts, while the grader waits for the child:

- the **CPU time of the child's whole process tree** (the ``cpuacct`` cgroup as root; else
  the CPU time in ``/proc`` of the processes descended from the child, with what the
  children they reaped used), and
- the **time the child's main thread slept**: the wall time minus the time it ran and the
  time it waited for a CPU (``/proc/<pid>/schedstat``, kept by the kernel to the
  nanosecond). ``time.sleep`` and ``SIGSTOP`` cost what they last; waiting for a CPU that
  others keep busy costs nothing.

The same code therefore uses the same time on a quiet and on a busy machine (to within
the kernel's accounting). Sleep counts only while the child works on a request: not
while the grader writes the request or reads the answer (``switch(sleep=False)``), nor
while an answer waits for the grader. A child that is runnable but never gets a CPU
would never reach a deadline, so a wall-clock backstop (``WALL_FACTOR`` times the budget,
plus ``WALL_SLACK``) still holds. Without ``schedstat`` (a kernel without
``CONFIG_SCHED_INFO``), the time waiting for a CPU counts as sleep.
"""

import os
import sys
import time

INTERVAL = 0.05  # seconds between looks at a silent child
WALL_FACTOR, WALL_SLACK = 10.0, 1.0
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid):
    """``(ppid, cpu seconds of it and its reaped children)`` from ``/proc``, or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stream:
            fields = stream.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # fields[0] is field 3 of proc(5): state, ppid, ..., utime (14), stime, cutime, cstime (17)
    return int(fields[1]), sum(int(f) for f in fields[11:15]) / _TICK


class Reader:
    """A small kernel file read again and again: kept open and read with ``pread`` (a tenth
    of the cost of opening it each time)."""

    def __init__(self, path):
        try:
            self.fd = os.open(path, os.O_RDONLY)
        except OSError:
            self.fd = None

    def read(self):
        """The file's text now, or None (it is gone)."""
        if self.fd is None:
            return None
        try:
            return os.pread(self.fd, 256, 0)
        except OSError:
            self.close()
            return None

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _schedstat(reader):
    """``(seconds run, seconds waited for a CPU)`` of a thread from its ``schedstat``, or None."""
    try:
        run, wait = reader.read().split()[:2]
        return int(run) / 1e9, int(wait) / 1e9
    except (AttributeError, ValueError):
        return None


def _descendants(root):
    """``root`` and the pids of every live process descended from it, parents first."""
    children = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            stat = _stat(entry.name)
            if stat is not None:
                children.setdefault(stat[0], []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop(0)
        found.append(pid)
        todo += sorted(children.get(pid, ()))
    return found


def _is_main(pid, script):
    """Whether process ``pid`` is this Python running ``script`` (not bwrap or a shell
    whose arguments name it)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as stream:
            argv = stream.read().split(b"\0")
    except OSError:
        return False
    return argv[0] == os.fsencode(sys.executable) and any(a.endswith(script) for a in argv[1:8])


class TreeSampler:
    """``sample() -> (cpu seconds of the tree, seconds the main process ran, seconds it
    waited for a CPU)`` for the process tree of ``root``: the CPU time from its
    ``cgroups.ChildGroups`` when it has them (they also hold the processes that left the
    tree), else from ``/proc``, where the tree is found again at most every ``RESCAN``
    seconds (a scan of every process costs milliseconds; a call, a fraction of one). The
    main process is ``main`` when it is known (a child forked by the fork server, whose
    command line is the server's), else the first of the tree (parents first) that is this
    Python running ``script`` (bwrap and the shell before it name it too, but are not Python)."""

    RESCAN = 0.5

    def __init__(self, root, groups=None, script=b"/child.py", main=None):
        self.root, self.groups, self.script = root, groups, script
        self.pids, self.scanned, self.main, self.reader = [root], -1e9, None, None
        self.known = main is not None
        if self.known:
            self.main, self.reader = main, Reader(f"/proc/{main}/schedstat")

    def __call__(self):
        now = time.monotonic()
        cpu = self.groups.cpu_seconds() if self.groups is not None else None
        if (cpu is None or self.main is None) and now - self.scanned >= (self.RESCAN if self.main else 0.0):
            self.pids, self.scanned = _descendants(self.root), now
            main = self.main if self.known else next((p for p in self.pids if _is_main(p, self.script)), None)
            if main != self.main:
                self.close()
                self.main, self.reader = main, Reader(f"/proc/{main}/schedstat") if main else None
        if cpu is None:
            cpu = sum((_stat(pid) or (0, 0.0))[1] for pid in self.pids)
        main = _schedstat(self.reader) if self.reader is not None else None
        return (cpu, *(main or (0.0, 0.0)))

    def close(self):
        if self.reader is not None:
            self.reader.close()


class Clock:
    """Seconds of the child's own time since the clock was made (see the module's docstring).

    ``sample()`` returns ``(tree cpu, main run, main wait)``. The time is counted in
    segments: ``switch(sleep)`` ends one and starts the next, which counts the main
    process's sleep or not. ``expired(budget)`` is the sandbox's deadline test."""

    def __init__(self, sample, sleep=True):
        self._sample = sample
        self._total, self._waiting_since = 0.0, time.monotonic()
        self._open(self._waiting_since, sample(), sleep)

    def _open(self, now, sampled, sleep):
        self._t0, self._s0, self._sleep = now, sampled, sleep
        if sleep:
            self._waiting_since = now  # the wall-clock backstop counts from here

    def _segment(self):
        now, sampled = time.monotonic(), self._sample()
        cpu = max(0.0, sampled[0] - self._s0[0])
        slept = 0.0
        if self._sleep:
            slept = max(0.0, (now - self._t0) - (sampled[1] - self._s0[1]) - (sampled[2] - self._s0[2]))
        return cpu + slept, now, sampled

    @property
    def counts_sleep(self):
        return self._sleep

    def switch(self, sleep):
        """End the current segment and start one that counts sleep (``True``) or not."""
        value, now, sampled = self._segment()
        self._total += value
        self._open(now, sampled, sleep)

    def elapsed(self):
        return self._total + self._segment()[0]

    def until_answer(self):
        """The seconds counted up to the last ``switch`` (the answer's first bytes), without
        another look at the child: what it uses while the grader reads its answer (finishing
        its write) is left out, which saves two kernel reads per round trip."""
        return self._total

    def wall(self):
        """Wall-clock seconds since the grader began waiting."""
        return time.monotonic() - self._waiting_since

    def expired(self, budget):
        """Whether ``budget`` seconds are used up (or the wall-clock backstop is reached)."""
        return self.elapsed() >= budget or self.wall() >= WALL_FACTOR * budget + WALL_SLACK
