"""CPU time of the grader and of its sandbox children, for benchmarks on a shared machine.

Wall time on a machine that other jobs load says little; CPU time says what a grading
costs. The grader's own is ``time.process_time()``. A sandbox child is killed (SIGKILL)
when its submission is done, so the kernel never adds its CPU time to the grader's
``RUSAGE_CHILDREN``: ``install()`` makes ``Child.stop`` first read the CPU time of the
child's whole process tree from ``/proc`` (Linux), and ``children()`` sums it.

    import cputime; cputime.install()
    before = cputime.snapshot(); ...; grader_s, child_s = cputime.since(before)
"""

import os
import time

_TICK = os.sysconf("SC_CLK_TCK")
_children = [0.0]


def _tree_cpu(root):
    """utime + stime (s) of ``root`` and its descendants, from /proc (0 when unreadable)."""
    parents, cpu = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stream:
                fields = stream.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        # utime, stime, cutime, cstime: fields 14-17 of stat, 12-15 after the name
        cpu[int(entry)] = sum(int(f) for f in fields[11:15]) / _TICK
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += cpu.get(pid, 0.0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total


def install():
    """Count the CPU time of every sandbox child of this process before it is stopped: its
    process tree in ``/proc``, or, for a child the fork server made, its cgroup's CPU time
    when it has one (as root; else its tree too)."""
    from grader.sandbox import process

    if getattr(process.Child.stop, "_counted", False):
        return
    original = process.Child.stop

    def stop(self, grace=0.0):
        counted = self.groups.cpu_seconds() if getattr(self, "forked", False) else None
        _children[0] += counted if counted is not None else _tree_cpu(self.popen.pid)
        return original(self, grace)

    stop._counted = True
    process.Child.stop = stop


def _server_cpu():
    """The fork server's own CPU time so far (``grader/sandbox/forks.py``: its ``bwrap``
    processes and its Python, not the children it forks, which ``install`` counts; the few
    milliseconds each fork's helper spends on namespaces and mounts are not counted)."""
    from grader.sandbox import forks

    root = forks.server_pid()
    if root is None:
        return 0.0
    total, pid = 0.0, root
    for _ in range(3):  # bwrap, bwrap's PID 1 inside, the server
        try:
            with open(f"/proc/{pid}/stat", "rb") as stream:
                fields = stream.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{pid}/task/{pid}/children", "rb") as stream:
                children = stream.read().split()
        except OSError:
            break
        total += sum(int(f) for f in fields[11:13]) / _TICK
        if not children:
            break
        pid = int(children[0])
    return total


def snapshot():
    return time.process_time(), _children[0] + _server_cpu(), time.perf_counter()


def since(before):
    """(grader CPU s, children CPU s, wall s) since ``snapshot()``."""
    children = _children[0] + _server_cpu()
    return time.process_time() - before[0], children - before[1], time.perf_counter() - before[2]


def load():
    return os.getloadavg()[0]
