"""The sandbox's fork server: a Python with numpy imported that forks each sandbox child.

Runs under bubblewrap, started by the grader (``grader/sandbox/forks.py``) with the
child's mounts (the runner, the provided helpers, Python and numpy; ``/proc``) and the
staging folder (where the grader puts each child's submission) on ``/sandbox/submission``;
it never runs a student's code itself. Copied beside ``child.py`` and started as::

    python -P -s -S -B forkserver.py '{"paths": [...], "control": FD}'

Each datagram on the control socket asks for one child: its set-up as JSON (the staging
folder's subfolder that holds the submission, the size of its ``/tmp``, ``child.main``'s
set-up) and three descriptors (the child's two pipe ends and its status socket). The child
is made in three forks:

X  unshares new user, mount, PID, IPC, UTS and network namespaces (its loopback up, as
   bwrap leaves it), maps its user to itself, mounts a private ``/tmp`` (tmpfs of the
   set-up's size) and binds its subfolder of the staging folder (mounted read-only on
   ``/sandbox/submission``) over that folder itself, which hides the rest; forks Y, waits
   for it and sends its wait status on the status socket.
Y  PID 1 of the new PID namespace (when it ends, the kernel kills every process left in
   it): sends its credentials (the grader reads its pid in the host's numbering), waits for
   the grader's go (which first puts it in the child's cgroups), forks Z and reaps orphans
   until Z ends; exits with Z's status as bwrap does (128 + N for signal N).
Z  the child: sends its credentials, drops every capability, draws numpy's and ``random``'s
   seeds afresh (a forked child would otherwise start from the server's), and runs
   ``child.main`` with the command line a child started as a script has.

``/proc`` is an empty read-only tmpfs over the server's (a procfs of the child's own PID
namespace cannot be mounted under bubblewrap's when the grader runs as root), as a child
started by bwrap has an empty folder there. The server and each X and Y are not dumpable
besides, so that no process of the child could read or write their memory or files through
a ``/proc`` (the kernel asks for a capability in their user namespace, which a child never
has), and none can signal them (they are outside its PID namespace). The child itself is
dumpable again, as a child started as a script is.

So a child starts in a few milliseconds instead of the 0.1 s of CPU a new Python spends
importing numpy, and shares nothing writable with the server or with the next child.
Nothing here may return into the server's loop from a fork: every forked path ends in
``os._exit``.
"""

import ctypes
import json
import os
import socket
import struct
import sys

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_BIND = 1, 2, 4, 4096
PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 4, 24, 47, 4
CAPABILITY_VERSION_3 = 0x20080522
SIOCSIFFLAGS, IFF_UP, IFF_LOOPBACK, IFF_RUNNING = 0x8914, 0x1, 0x8, 0x40
SUBMISSION = "/sandbox/submission"

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result, what):
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source, target, fstype, flags, data):
    _check(
        _libc.mount(
            source.encode() if source else None,
            target.encode(),
            fstype.encode() if fstype else None,
            ctypes.c_ulong(flags),
            data.encode() if data else None,
        ),
        f"mount {target}",
    )


def _enter_namespaces(folder, tmpfs_size):
    """X's part: new namespaces, the user mapped to itself, the child's mounts."""
    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET
    _check(_libc.unshare(flags), "unshare")
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as stream:
            stream.write(text)
    _loopback_up()  # as bwrap leaves a new network namespace
    _mount("none", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={tmpfs_size},mode=0755")
    # The staging folder is mounted (read-only) on /sandbox/submission: the child's own
    # subfolder is bound over it, which hides the rest.
    _mount(os.path.join(SUBMISSION, folder), SUBMISSION, None, MS_BIND, None)
    _mount("none", "/proc", "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k")  # empty (see above)
    os.chdir("/tmp")  # the new one: the working folder was the server's


def _loopback_up():
    import fcntl

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sh14x", b"lo", IFF_UP | IFF_LOOPBACK | IFF_RUNNING))


def _drop_capabilities():
    """Z's part: no capability left, in any set (those of the new user namespace included)."""
    for cap in range(64):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break  # past the last capability this kernel knows
    _libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header = struct.pack("Ii", CAPABILITY_VERSION_3, 0)
    data = bytes(24)  # two (effective, permitted, inheritable) triples of zeros
    _check(_libc.capset(header, data), "capset")


def _send_credentials(status):
    """Our pid, uid and gid, checked by the kernel and read by the grader in its own numbering."""
    credentials = struct.pack("3i", os.getpid(), os.getuid(), os.getgid())
    status.sendmsg([b"pid"], [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS, credentials)])


def _fresh_seeds():
    """numpy's global generator and ``random``'s seeded from the system, as in a new process."""
    import random

    random.seed()
    np = sys.modules.get("numpy")
    if np is not None:
        np.random.seed()


def _child(request, to_child, from_child, status, base_path):
    """Z's part (never returns)."""
    code = 70
    try:
        _send_credentials(status)
        status.close()
        _drop_capabilities()
        _fresh_seeds()
        sys.path[:] = base_path
        import child

        setup = dict(request["child"], fds=[to_child, from_child])
        sys.argv[:] = [child.__file__, json.dumps(setup)]  # as in a child started as a script
        sys.modules["__main__"] = child
        _check(_libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), "dumpable")
        child.main(setup)
        code = 0
    finally:
        os._exit(code)


def _init(request, to_child, from_child, status, base_path):
    """Y's part, PID 1 of the child's namespace (never returns)."""
    code = 70
    try:
        os.setsid()
        _send_credentials(status)
        if status.recv(16) != b"go":
            os._exit(code)
        z = os.fork()
        if z == 0:
            _child(request, to_child, from_child, status, base_path)
        status.close()
        os.close(to_child)
        os.close(from_child)
        while True:  # the reaper of every orphan, until the child itself ends
            pid, wait = os.wait()
            if pid == z:
                break
        exit_code = os.waitstatus_to_exitcode(wait)
        code = 128 - exit_code if exit_code < 0 else exit_code
    finally:
        os._exit(code)


def _spawn(request, fds, base_path):
    """X's part (never returns)."""
    try:
        to_child, from_child, status_fd = fds
        status = socket.socket(fileno=status_fd)
        try:
            os.sched_setaffinity(0, request["cpus"])  # the grader's, as a child started by it inherits
            _enter_namespaces(request["folder"], int(request["tmpfs_size"]))
            y = os.fork()
            if y == 0:
                _init(request, to_child, from_child, status, base_path)
            os.close(to_child)
            os.close(from_child)
            _, wait = os.waitpid(y, 0)
            status.send(json.dumps({"status": os.waitstatus_to_exitcode(wait)}).encode())
        except Exception as exc:  # noqa: BLE001 - said to the grader, which starts the child another way
            status.send(json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode())
    finally:
        os._exit(0)


def _reap():
    """Wait for the Xs that have ended (else each would stay a zombie)."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass


def serve(setup):
    """The server's loop: one child per request, until the grader closes the socket."""
    base_path = list(sys.path)
    sys.path[:0] = [os.path.dirname(os.path.abspath(__file__)), *setup["paths"]]
    import allocator
    import child  # noqa: F401
    import numpy.random  # noqa: F401 - numpy imports it lazily; every child uses it (child.ModuleSettings)
    import wire  # noqa: F401 - imports numpy, which every child inherits

    allocator.tune()
    control = socket.socket(fileno=setup["control"])
    _check(_libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "not dumpable")  # (inherited by X and Y)
    while True:
        _reap()
        try:
            message, fds, _, _ = socket.recv_fds(control, 1 << 16, 3)
        except OSError:
            os._exit(0)
        if not message:
            os._exit(0)  # the grader is gone
        if len(fds) != 3:
            for fd in fds:
                os.close(fd)
            continue
        pid = os.fork()
        if pid == 0:
            control.close()  # never in a child: it could ask for children of its own
            _spawn(json.loads(message), fds, base_path)
        for fd in fds:
            os.close(fd)


if __name__ == "__main__":
    serve(json.loads(sys.argv[1]))
