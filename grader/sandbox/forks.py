"""The grader's side of the fork server (``forkserver.py``: a Python with numpy imported,
under bubblewrap, that forks sandbox children), so that a child costs a few milliseconds to
start instead of the 0.1 s of CPU a new Python spends importing numpy.

A grader process starts its first bubblewrap child the usual way (``process.Child``: a
``grade`` of one submission needs no more); its second child (a batch worker's next
submission, a child started again after a timeout) starts the server, which forks that child
and every later one. (Not when the Python installation lies under ``/tmp``, which a forked
child's own ``/tmp`` would hide.) Both kinds see the same sandbox (the same mounts, user,
limits, environment and command line, an empty ``/proc``, fresh random seeds), so a grade
does not depend on which kind ran it. A server that fails to make a child (user namespaces
barred inside the sandbox, say) is stopped and not used again by this process.
``DNN_AUTOGRADER_FORKSERVER=off`` turns it off.

``spawn`` returns a ``Forked``, which ``process.Child`` keeps in place of a ``Popen``: its
``pid`` is the child's PID 1 (killing it ends every process of the child) in this
process's numbering, read from the credentials the kernel attaches to its first message.
"""

import itertools
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
from pathlib import Path

from grader.sandbox import tempdirs

SPAWN_TIMEOUT = 20.0  # seconds for the server to start (numpy's import) and fork a child
_CREDENTIALS = struct.calcsize("3i")


class ForkServerError(Exception):
    """The server did not make the child: it is not used again."""


class Forked:
    """A child the server made, with ``Popen``'s ``pid``, ``returncode``, ``poll``, ``wait``
    and ``kill``; ``main`` is the pid of the child's Python (the ``child.main`` process)."""

    def __init__(self, status, pid, main, pidfd, folder):
        self._status, self.pid, self.main, self._pidfd, self._folder = status, pid, main, pidfd, folder
        self.returncode = None

    def poll(self):
        if self.returncode is None:
            self._read_status(0.0)
        return self.returncode

    def wait(self, timeout=None):
        if self.returncode is None:
            self._read_status(timeout)
            if self.returncode is None:
                raise subprocess.TimeoutExpired("sandbox child", timeout)
        return self.returncode

    def kill(self):
        """SIGKILL to the child's PID 1: the kernel then kills every process of its namespace."""
        if self.returncode is None and self._pidfd is not None:
            try:
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def close(self):
        """Forget the child (after ``wait``): its descriptors and its copy of the submission."""
        for closing in (self._status.close, lambda: self._pidfd is not None and os.close(self._pidfd)):
            try:
                closing()
            except OSError:
                pass
        self._pidfd = None
        shutil.rmtree(self._folder, ignore_errors=True)

    def _read_status(self, timeout):
        """Take the status the server sends when the child's PID 1 has ended (as bwrap's:
        128 + N when the child died of signal N; -N when PID 1 itself was killed), waiting
        up to ``timeout`` seconds (None: ``SPAWN_TIMEOUT``, then it counts as killed)."""
        self._status.settimeout(SPAWN_TIMEOUT if timeout is None else timeout)
        try:
            message = self._status.recv(4096)
        except (TimeoutError, BlockingIOError):
            if timeout is not None:
                return
            message = b""
        except OSError:
            message = b""
        try:
            self.returncode = int(json.loads(message)["status"])
        except (ValueError, KeyError, TypeError):
            self.returncode = -signal.SIGKILL  # the server's helper vanished: say it was killed


class ForkServer:
    """One running server: its ``bwrap`` process, its control socket and staging folder."""

    def __init__(self, limits):
        from grader.sandbox import process

        self.staging = Path(tempdirs.make("staging"))
        os.chmod(self.staging, 0o755)
        # each child sees its own subfolder of the staging folder there (forkserver.py)
        binds = {**process._runner_binds(), self.staging: process.SANDBOX_PATHS[0]}
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        command, args_r = process._bwrap_command(limits, binds, "/sandbox/runner/forkserver.py", proc=True)
        setup = {"paths": [*process.SANDBOX_PATHS, str(process._site_dir())], "control": theirs.fileno()}
        try:
            self.popen = subprocess.Popen(
                [*command, json.dumps(setup)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=process.child_environment(),
                pass_fds=(theirs.fileno(), args_r),
                start_new_session=True,
            )
        finally:
            theirs.close()
            os.close(args_r)
        self._names = itertools.count()

    def spawn(self, submission_dir, tmpfs_size, child_setup, child_fds, procs_files=()):
        """A child of ``submission_dir``'s modules on the pipe ends ``child_fds`` (``(to the
        child's stdin side, its reply side)``, which the caller closes), running
        ``child.main(child_setup)``; put in the cgroups ``procs_files`` before it starts."""
        folder = self.staging / str(next(self._names))
        folder.mkdir()
        for source in Path(submission_dir).iterdir():
            if source.is_file():
                shutil.copyfile(source, folder / source.name)
                os.chmod(folder / source.name, 0o644)
        os.chmod(folder, 0o755)
        status, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        status.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        status.settimeout(SPAWN_TIMEOUT)
        request = {
            "folder": folder.name,
            "tmpfs_size": tmpfs_size,
            "cpus": sorted(os.sched_getaffinity(0)),
            "child": child_setup,
        }
        pidfd = None
        try:
            try:
                socket.send_fds(self.control, [json.dumps(request).encode()], [*child_fds, theirs.fileno()])
            finally:
                theirs.close()
            pid = _credentials(status)
            pidfd = os.pidfd_open(pid)  # (the child's PID 1 waits for our go: it is alive)
            for procs in procs_files:
                with open(procs, "w") as stream:
                    stream.write(str(pid))
            status.send(b"go")
            main = _credentials(status)
        except (OSError, ForkServerError) as error:
            status.close()
            if pidfd is not None:
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
                os.close(pidfd)
            shutil.rmtree(folder, ignore_errors=True)
            raise ForkServerError(str(error)) from None
        return Forked(status, pid, main, pidfd, folder)

    def stop(self):
        self.control.close()
        try:
            self.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        shutil.rmtree(self.staging, ignore_errors=True)


def _credentials(status):
    """The pid (in this process's numbering) of the process that sent the next message on
    ``status``, or ``ForkServerError`` with the server's reason."""
    try:
        message, ancillary, _, _ = status.recvmsg(4096, socket.CMSG_SPACE(_CREDENTIALS))
    except TimeoutError:
        raise ForkServerError("the fork server did not answer") from None
    if message != b"pid":
        try:
            reason = json.loads(message).get("error", "no reason given")
        except (ValueError, AttributeError):
            reason = "it ended" if not message else "an unexpected message"
        raise ForkServerError(f"the fork server could not make a child: {reason}")
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS and len(data) >= _CREDENTIALS:
            return struct.unpack("3i", data[:_CREDENTIALS])[0]
    raise ForkServerError("the fork server's child sent no credentials")


_state: dict = {"server": None, "broken": False, "children": 0}


def _forget_after_fork():
    """A process forked from this one (a pool worker) starts with no server of its own: the
    parent's control socket is not its to use."""
    _state.update(server=None, broken=False, children=0)


os.register_at_fork(after_in_child=_forget_after_fork)


def server_for(limits):
    """The server to fork this process's next bubblewrap child, or None (the child starts
    the usual way): None for the process's first child (a ``grade`` of one submission needs no
    more), or when switched off or broken. The second child starts the server (and waits for
    it: about what starting the child itself would take); later ones find it running."""
    _state["children"] += 1
    if _state["broken"] or _state["children"] < 2 or _python_under_tmp():
        return None
    if os.environ.get("DNN_AUTOGRADER_FORKSERVER", "").lower() in ("off", "0", "no", "false"):
        return None
    server = _state["server"]
    if server is not None and server.popen.poll() is not None:  # it ended: start another
        shutil.rmtree(server.staging, ignore_errors=True)
        _state["server"] = server = None
    if server is None:
        try:
            _state["server"] = server = ForkServer(limits)
        except OSError:
            _state["broken"] = True
            return None
    return server


def _python_under_tmp():
    """Whether the Python installation (or numpy's site folder) lies under ``/tmp`` (a
    virtualenv in a checkout there): a forked child's own ``/tmp`` would hide it, so such a
    grader does without the server."""
    from grader.sandbox import process

    tmp = Path("/tmp")
    return any(d == tmp or tmp in d.parents for d in process._python_dirs())


def broken(server):
    """``server`` failed to make a child: stop it, and start every later child the usual way."""
    _state["broken"], _state["server"] = True, None
    server.stop()


def server_pid():
    """The pid of the running server's ``bwrap`` (for benchmarks that count its CPU), or None."""
    server = _state["server"]
    return server.popen.pid if server is not None else None


def stop():
    """Stop the server, if one runs (a process's end does it too: the server then ends)."""
    server, _state["server"] = _state["server"], None
    if server is not None:
        server.stop()
