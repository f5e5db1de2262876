"""The sandbox's deadlines count the child's own time (``grader/sandbox/clock.py``): its
CPU time and the time it sleeps, never the time it waits for a CPU that others keep busy;
and as root its whole process tree gets at most one core (``grader/sandbox/cgroups.py``)."""

import os
import subprocess
import sys
import time

import pytest

from grader.sandbox import cgroups
from grader.sandbox.session import Sandbox, StudentError

BURN = (
    "import os, time\n\n"
    "def burn(seconds):\n"
    "    start = time.process_time()\n"
    "    while time.process_time() - start < seconds:\n"
    "        pass\n"
    "    return seconds\n\n"
    "def sleep(seconds):\n"
    "    time.sleep(seconds)\n"
    "    return seconds\n\n"
    "def stop():\n"
    "    import signal\n"
    "    os.kill(os.getpid(), signal.SIGSTOP)\n\n"
    "def spinners(count):\n"
    "    for _ in range(count):\n"
    "        if os.fork() == 0:\n"
    "            os.setsid()\n"
    "            while True:\n"
    "                pass\n"
    "    return count\n"
)

HAS_CPU_GROUPS = bool(cgroups._parent("cpu")) and bool(cgroups._parent("cpuacct"))


@pytest.fixture(params=["cgroups", "proc"])
def accounting(request, monkeypatch):
    """Both ways the clock reads the tree: the cgroups (as root) and ``/proc`` (without)."""
    if request.param == "proc":
        monkeypatch.setattr(cgroups, "_parent", lambda controller: None)
    return request.param


def _spinners(count, cpus):
    """``count`` busy processes on ``cpus``, each in a session of its own (as a hostile
    neighbour would start them: the scheduler then shares the CPU among sessions)."""
    code = f"import os; os.sched_setaffinity(0, {sorted(cpus)!r})\nwhile True: pass"
    return [subprocess.Popen([sys.executable, "-c", code], start_new_session=True) for _ in range(count)]


@pytest.mark.slow
def test_a_neighbour_that_keeps_the_cpu_busy_does_not_make_a_call_time_out(accounting):
    cpu = min(os.sched_getaffinity(0))
    saved = os.sched_getaffinity(0)
    spinners = _spinners(6, {cpu})
    try:
        os.sched_setaffinity(0, {cpu})  # the child inherits it: it shares one CPU with 6 spinners
        with Sandbox("m", BURN, call_timeout=1.5) as sandbox:
            sandbox.functions()
            started = time.monotonic()
            assert sandbox.call("burn", 0.5) == 0.5
            took = time.monotonic() - started
    finally:
        os.sched_setaffinity(0, saved)
        for process in spinners:
            process.kill()
            process.wait()
    # the load was real: by the wall clock, the call overran its 1.5 s
    assert took > 1.5, f"the call took only {took:.2f} s: the test did not load the CPU"


def test_sleeping_counts_and_a_stopped_child_times_out(accounting):
    with Sandbox("m", BURN, call_timeout=0.5) as sandbox:
        sandbox.functions()
        assert sandbox.call("sleep", 0.1) == 0.1
        started = time.monotonic()
        with pytest.raises(StudentError, match="did not finish within 0.5 s"):
            sandbox.call("sleep", 30)
        assert time.monotonic() - started < 2.0
        started = time.monotonic()
        with pytest.raises(StudentError, match="did not finish within 0.5 s"):
            sandbox.call("stop")
        assert time.monotonic() - started < 2.0


def test_cpu_time_counts_however_fast_the_wall_clock_goes(accounting):
    with Sandbox("m", BURN, call_timeout=0.5) as sandbox:
        sandbox.functions()
        assert sandbox.call("burn", 0.2) == 0.2
        with pytest.raises(StudentError, match="did not finish within 0.5 s"):
            sandbox.call("burn", 5)


@pytest.mark.skipif(not HAS_CPU_GROUPS, reason="needs root and the cpu and cpuacct cgroups (v1)")
def test_the_whole_process_tree_gets_one_core_however_many_sessions_it_starts():
    with Sandbox("m", BURN, call_timeout=3.0) as sandbox:
        assert sandbox.call("spinners", 4) == 4  # four processes, each in its own session
        groups = sandbox.host.child.groups
        cpu, wall = groups.cpu_seconds(), time.monotonic()
        assert sandbox.call("sleep", 1.0) == 1.0
        used = (groups.cpu_seconds() - cpu) / (time.monotonic() - wall)
        quota = int((groups.groups["cpu"] / "cpu.cfs_quota_us").read_text())
        assert quota == int((groups.groups["cpu"] / "cpu.cfs_period_us").read_text())
        # their CPU time is the child's: a call that sleeps runs out of time while they spin
        with pytest.raises(StudentError, match="did not finish within 3 s"):
            sandbox.call("sleep", 30)
    # (a lower bound on a busy machine would be a guess: other jobs may take the other core)
    assert 0.05 < used < 1.15, f"the tree used {used:.2f} cores"


def test_an_answer_that_waited_for_the_grader_is_not_late(accounting):
    with Sandbox("m", BURN, import_timeout=1.0, call_timeout=0.5) as sandbox:
        sandbox.start()  # the import is requested, and answered while the grader is busy elsewhere
        time.sleep(1.5)
        assert "burn" in sandbox.functions()
        assert sandbox.call("sleep", 0.2) == 0.2
        assert sandbox._waited < 1.0  # the module's total counts its own time only


def test_processes_in_sessions_of_their_own_use_up_the_call_s_time(accounting):
    with Sandbox("m", BURN, call_timeout=2.0) as sandbox:
        if sandbox.isolation != "bubblewrap" and accounting == "proc":
            pytest.skip("without bubblewrap or cgroups, processes in new sessions outlive the child")
        assert sandbox.call("spinners", 4) == 4
        with pytest.raises(StudentError, match="did not finish within 2 s"):
            sandbox.call("sleep", 30)


def test_a_child_that_stops_in_the_middle_of_its_answer_times_out_in_its_budget():
    source = (
        "import os, sys, time\n\n"
        "def trickle():\n"
        "    os.write(sys.modules['__main__'].OUT_FD, b'GRD2')  # the start of a reply frame, then nothing\n"
        "    time.sleep(30)\n"
    )
    with Sandbox("m", source, call_timeout=0.5) as sandbox:
        sandbox.functions()
        started = time.monotonic()
        with pytest.raises(StudentError, match="did not finish within 0.5 s"):
            sandbox.call("trickle")
        assert time.monotonic() - started < 3.0  # not the wall-clock backstop (6 s)
