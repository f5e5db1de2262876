"""The fork server (``grader/sandbox/forkserver.py``, ``forks.py``): from a grader process's
second bubblewrap child on, children are forked by a server that imported numpy once. A
forked child must see what a child started by bwrap sees, keep nothing of the child before
it, have no capability, and fail the way a started child fails. (That no process of a forked
child survives it is tested by the hostile corpus, graded as a batch whose workers fork their
children: ``daemon_survivor``, ``fork_bomb``.)"""

import os

import pytest

from grader.sandbox import forks
from grader.sandbox.process import isolation_level
from grader.sandbox.session import Sandbox, StudentError

pytestmark = pytest.mark.skipif(isolation_level() != "bubblewrap", reason="the fork server runs under bubblewrap")

SOURCE = """
import ctypes, json, os, resource, socket, sys
import numpy as np

def view():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
    return {
        "pid": os.getpid(), "uid": (os.getuid(), os.getgid()), "cwd": os.getcwd(),
        "root": sorted(os.listdir("/")), "sandbox": sorted(os.listdir("/sandbox")),
        "proc": os.listdir("/proc"), "tmp": os.listdir("/tmp"), "tmp_mode": oct(os.stat("/tmp").st_mode),
        "submission": sorted(os.listdir("/sandbox/submission")), "argv0": sys.argv[0],
        "setup": sorted(json.loads(sys.argv[1])), "main": sys.modules["__main__"].__file__,
        "env": dict(os.environ), "cpus": sorted(os.sched_getaffinity(0)),
        "limits": [resource.getrlimit(getattr(resource, n)) for n in ("RLIMIT_AS", "RLIMIT_NPROC", "RLIMIT_FSIZE")],
        "path": sys.path[:4],
    }

def write_and_draw():
    with open("/tmp/left_behind", "w") as stream:
        stream.write("x")
    return float(np.random.rand())

def powers():
    libc = ctypes.CDLL(None, use_errno=True)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)
    data = (ctypes.c_uint32 * 6)()
    libc.capget(header, data)
    return {
        "capabilities": list(data),
        "umount": libc.umount2(b"/sandbox/submission", 2) == 0,
        "mount": libc.mount(b"none", b"/tmp", b"tmpfs", 0, None) == 0,
    }

def leave(code):
    os._exit(code)
"""


def _reset():
    """This process as if it had started no child yet."""
    forks.stop()
    forks._state.update(server=None, broken=False, children=0)


@pytest.fixture
def server():
    """A fresh fork server for this test: the first child starts it (and is started by bwrap);
    skipped where the server cannot make children."""
    if forks._python_under_tmp():
        pytest.skip("the Python installation lies under /tmp: no fork server")
    _reset()
    with Sandbox("m", SOURCE) as first:
        first.call("view")
    yield
    _reset()


def forked(source=SOURCE):
    sandbox = Sandbox("m", source)
    sandbox.functions()
    if not sandbox.host.child.forked:
        sandbox.close()
        pytest.skip("the fork server cannot make children on this machine")
    return sandbox


def test_a_forked_child_sees_what_a_started_one_sees():
    _reset()
    with Sandbox("m", SOURCE) as started:
        expected = started.call("view")
        assert not started.host.child.forked  # the process's first child
    with forked() as sandbox:
        assert sandbox.call("view") == expected
    assert expected["proc"] == [] and expected["pid"] == 2 and expected["tmp"] == []
    forks.stop()


def test_a_forked_child_keeps_nothing_of_the_one_before(server):
    draws = []
    for _ in range(2):
        with forked() as sandbox:
            assert sandbox.call("view")["tmp"] == []
            draws.append(sandbox.call("write_and_draw"))
    assert draws[0] != draws[1]  # numpy's seed drawn afresh, not the server's


def test_a_forked_child_has_no_capability_and_cannot_undo_its_mounts(server):
    with forked() as sandbox:
        assert sandbox.call("powers") == {"capabilities": [0] * 6, "umount": False, "mount": False}


def test_a_forked_child_that_exits_is_reported_as_a_started_one_is():
    messages = []
    _reset()
    for _ in range(2):  # started by bwrap, then forked
        with Sandbox("m", SOURCE) as sandbox:
            with pytest.raises(StudentError) as error:
                sandbox.call("leave", 3)
            messages.append((sandbox.host.child is None, error.value.message))
    assert messages[0] == messages[1] and "exited with code 3" in messages[0][1]
    forks.stop()


def test_a_server_that_fails_is_not_used_again(server, monkeypatch):
    def fail(*args, **kwargs):
        raise forks.ForkServerError("refused")

    monkeypatch.setattr(forks.ForkServer, "spawn", fail)
    for _ in range(2):
        with Sandbox("m", SOURCE) as sandbox:
            sandbox.functions()
            assert not sandbox.host.child.forked
    assert forks._state["broken"] and forks._state["server"] is None


def test_switched_off_no_child_is_forked(monkeypatch):
    _reset()
    monkeypatch.setenv("DNN_AUTOGRADER_FORKSERVER", "off")
    for _ in range(2):
        with Sandbox("m", SOURCE) as sandbox:
            sandbox.functions()
            assert not sandbox.host.child.forked
    assert forks._state["server"] is None


def test_a_process_forked_from_one_with_a_server_starts_with_none(server):
    with forked():
        pass
    assert forks._state["server"] is not None
    pid = os.fork()
    if pid == 0:  # a pool worker forked from a grader process: the server is not its own
        os._exit(0 if forks._state["server"] is None and forks._state["children"] == 0 else 1)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0


def test_a_python_installation_under_tmp_does_without_the_server(monkeypatch):
    # a forked child's own /tmp would hide a virtualenv that lives there
    from pathlib import Path

    from grader.sandbox import process

    _reset()
    monkeypatch.setattr(process, "_python_dirs", lambda: [Path("/tmp/checkout/.venv")])
    assert forks._python_under_tmp()
    assert [forks.server_for(process.Limits()) for _ in range(3)] == [None, None, None]
    assert forks._state["server"] is None
