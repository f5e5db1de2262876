"""Starting and stopping the sandbox child process.

Two isolation levels, chosen once per grader process:

``bubblewrap``
    ``bwrap`` with every namespace unshared (no network, own PIDs, IPC, UTS, user),
    all capabilities dropped, uid ``nobody``; the file system is only ``/usr``, the
    Python installation (read-only), a 64 MiB private ``/tmp`` (the working folder),
    the submission's module files and the pristine helpers (read-only); ``/`` and ``/dev``
    are read-only too, and ``/proc`` is an empty folder. The project,
    ``solutions/``, the hidden checks and other submissions are not mounted at all. From a
    grader process's second child on, the child is forked by the fork server
    (``forks.py``), in a sandbox of the same kind.
``process``
    a plain child process with the same resource limits, a cleared environment and a
    private temporary working folder. It cannot stop a student from reading files the
    grader's user can read, nor from opening sockets; ``extra_data.isolation`` says so.

Both start the child in a new session, so a timeout kills its whole process group, and
the child puts resource limits (address space, CPU time, file size, open files,
processes) on itself before it reads any student code (``child.py``).
When running as root, control groups (v1) cap the number of processes (root ignores
``RLIMIT_NPROC``), the memory and the CPU of the whole tree (``RLIMIT_AS`` and the CPU
scheduler's session groups are per process or per session) and measure its CPU time
(``cgroups.py``); the deadlines count that time (``clock.py``). Nothing of the host is
handed to the child but read-only folders and pipes. docs/isolation.md says what each
level stops.
"""

import functools
import json
import os
import select
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from grader import course, paths
from grader.sandbox import tempdirs as tempfiles
from grader.sandbox.cgroups import ChildGroups
from grader.sandbox.clock import Clock, TreeSampler


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandbox child (bytes and seconds)."""

    address_space: int = 3 * 2**30
    cpu_seconds: int = 120
    file_size: int = 16 * 2**20
    open_files: int = 64
    processes: int = 64
    tmpfs_size: int = 64 * 2**20
    memory: int = 3 * 2**30  # resident memory of the child's whole process tree (cgroup, root only)
    cpu_cores: float = 1.0  # CPU of the child's whole process tree, in cores (cgroup, root only)


# -I would be -E -P -s, but -E also drops PYTHONHASHSEED: the child's string hashes, and so
# the order of its sets, would change from run to run (and a grade that depends on it).
# Its environment is the grader's own handful of variables (Child), so -E is not needed.
_PYTHON = (sys.executable, "-P", "-s", "-S", "-B")


def isolation_level(requested="auto"):
    """``"bubblewrap"`` when ``bwrap`` is installed and works here, else ``"process"``."""
    if requested == "process":
        return "process"
    works = _bubblewrap_works()
    if requested == "bubblewrap" and not works:
        raise RuntimeError("bubblewrap was requested but `bwrap` is missing or cannot create namespaces here")
    return "bubblewrap" if works else "process"


@functools.cache
def _bubblewrap_works():
    if shutil.which("bwrap") is None:
        return False
    command = _bwrap_prefix(Limits(), {}) + ["true"]
    try:
        return subprocess.run(command, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@functools.cache
def runtime_dir():
    """A private folder, made once per grader process: ``runner/`` (child.py, the fork
    server, wire.py, allocator.py) and ``lib/`` (pristine copies of the provided helpers and
    data)."""
    root = Path(tempfiles.make("runtime"))
    (root / "runner").mkdir()
    here = Path(__file__).parent
    for name in ("child.py", "forkserver.py", "wire.py", "allocator.py"):
        shutil.copyfile(here / name, root / "runner" / name)
    (root / "lib").mkdir()
    for helper in course.helper_files():
        shutil.copyfile(helper, root / "lib" / helper.name)
    _compile_beside(root)
    os.chmod(root, 0o755)
    return root


def _compile_beside(root):
    """Bytecode for the modules a child imports from ``root`` (``wire``, ``allocator``, the
    helpers), so that no child compiles them again (``-B`` only stops it writing bytecode).
    Unchecked: the files never change while this process lives. Each records the path the
    child sees under bubblewrap, not this folder's (a plain child's import puts its own in)."""
    import importlib.util
    import py_compile

    for source in [*root.glob("runner/*.py"), *root.glob("lib/*.py")]:
        if source.name != "forkserver.py":  # run as a script: always compiled from source
            py_compile.compile(
                str(source),
                cfile=importlib.util.cache_from_source(str(source)),
                dfile=f"/sandbox/{source.parent.name}/{source.name}",
                doraise=True,
                invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
            )


def _site_dir():
    """The site-packages folder numpy lives in (the child's only third-party folder)."""
    import numpy

    return Path(numpy.__file__).resolve().parents[1]


def _python_dirs():
    """The folders to mount for the child's Python: the installations and numpy's site."""
    dirs = {Path(sys.prefix), Path(sys.base_prefix), _site_dir()}
    dirs = {d.resolve() for d in dirs}
    return sorted(d for d in dirs if not any(p != d and p in d.parents for p in dirs))


@functools.cache
def _revealing_files():
    """Files of the mounted site folders that hold host paths: an editable install's finder
    and ``.pth`` files (the project's checkout), ``direct_url.json`` (where a package was
    installed from). The child sees them empty."""
    found = []
    for directory in {_site_dir(), *_python_dirs()}:
        for site in [directory] if directory == _site_dir() else directory.glob("lib/python3*/site-packages"):
            for pattern in ("__editable__*", "*.pth", "*.egg-link", "*.dist-info/direct_url.json"):
                found += [f for f in site.glob(pattern) if f.is_file()]
    return tuple(sorted(set(found)))


def _bwrap_prefix(limits, binds, proc=False):
    """bwrap's arguments before the command: the sandbox's namespaces, user and mounts.
    ``/proc`` is an empty folder unless ``proc`` (the fork server, which needs it)."""
    args = [
        "bwrap",
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--uid",
        "65534",
        "--gid",
        "65534",
        "--ro-bind",
        "/usr",
        "/usr",
        *(["--proc", "/proc"] if proc else ["--dir", "/proc"]),
        "--dev",
        "/dev",
        "--size",
        str(limits.tmpfs_size),
        "--tmpfs",
        "/tmp",
        "--chdir",
        "/tmp",
    ]
    for name in ("bin", "lib", "lib64", "lib32", "sbin"):
        target = Path("/") / name
        if target.is_symlink():
            args += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            args += ["--ro-bind", str(target), str(target)]
    for directory in _python_dirs():
        if not str(directory).startswith("/usr/"):
            args += ["--ro-bind", str(directory), str(directory)]
    for hidden in (paths.ROOT / "grader", paths.ROOT / "solutions"):  # in case they are installed there
        if any(d in hidden.resolve().parents for d in _python_dirs()):
            args += ["--tmpfs", str(hidden.resolve()), "--remount-ro", str(hidden.resolve())]
    for revealing in _revealing_files():
        args += ["--ro-bind", "/dev/null", str(revealing)]
    for source, target in binds.items():
        args += ["--ro-bind", str(source), target]
    # bwrap's / and /dev are tmpfs mounts with no size limit: left writable, a student could
    # fill the machine's memory with files there (RLIMIT_FSIZE caps one file, not their number).
    return args + ["--remount-ro", "/", "--remount-ro", "/dev"]


SANDBOX_PATHS = ("/sandbox/submission", "/sandbox/lib")  # a bubblewrap child's import path (numpy's site follows)


def _runner_binds():
    """The runtime folder's mounts in every bubblewrap sandbox: the runner and the helpers."""
    runtime = runtime_dir()
    return {runtime / "runner": "/sandbox/runner", runtime / "lib": "/sandbox/lib"}


def _bwrap_command(limits, binds, script, proc=False):
    """``(command, fd)``: ``bwrap`` running ``script`` (a path inside the sandbox) with
    ``python``, its own arguments (the host folders it mounts) read from the pipe ``fd``
    (``--args``), so that its command line, which the sandbox can read in ``/proc/1/cmdline``
    when it has a ``/proc``, has none. The caller passes ``fd`` to bwrap and closes it."""
    args_r, args_w = os.pipe()
    arguments = _bwrap_prefix(limits, binds, proc)[1:]
    os.write(args_w, b"".join(os.fsencode(a) + b"\0" for a in arguments))  # a few KiB: fits the pipe
    os.close(args_w)
    return ["bwrap", "--args", str(args_r), *_PYTHON, script], args_r


PIPE_SIZE = 1 << 20


def _widen_pipe(fd):
    """Give a pipe 1 MiB of buffer (Linux's default is 64 KiB): a training step's frame
    (a dropout cache of a few hundred kilobytes) then crosses in one write instead of a
    ping-pong of 64 KiB pieces between the two processes."""
    import fcntl

    try:
        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_SIZE)
    except OSError:  # above /proc/sys/fs/pipe-max-size, or not Linux: the default works too
        pass


def child_environment():
    """The environment of a sandbox child: the grader's own handful of variables (``HOME``:
    its ``/tmp`` under bubblewrap; a plain child's working folder replaces it)."""
    env = {
        "HOME": "/tmp",
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "MPLBACKEND": "Agg",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # correctness settings of this machine
        if name in os.environ:
            env[name] = os.environ[name]
    return env


class Child:
    """One running sandbox child and the pipe ends that talk to it: a process of its own, or
    one the fork server made (``forks.py``; ``popen`` is then a ``forks.Forked``)."""

    def __init__(self, submission_dir, isolation, limits=Limits()):
        self.isolation = isolation
        self.groups = ChildGroups(limits)
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        for fd in (self.to_child, self.from_child):
            _widen_pipe(fd)
            os.set_blocking(fd, False)  # the sandbox waits with poll, its deadline in view
        self.writable, self.readable = select.poll(), select.poll()
        self.writable.register(self.to_child, select.POLLOUT)
        self.readable.register(self.from_child, select.POLLIN)
        limit_values = {
            "RLIMIT_AS": limits.address_space,
            "RLIMIT_CPU": limits.cpu_seconds,
            "RLIMIT_FSIZE": limits.file_size,
            "RLIMIT_NOFILE": limits.open_files,
            "RLIMIT_NPROC": limits.processes,
            "RLIMIT_CORE": 0,
        }
        fds = (to_child_r, from_child_w)
        try:
            self.forked = isolation == "bubblewrap" and self._fork(submission_dir, limits, limit_values, fds)
            if self.forked:
                self._sampler = TreeSampler(self.popen.pid, self.groups, main=self.popen.main)
            else:
                self._start(submission_dir, limits, limit_values, fds)
                self._sampler = TreeSampler(self.popen.pid, self.groups)
        finally:
            for fd in fds:
                os.close(fd)

    def _fork(self, submission_dir, limits, limit_values, fds):
        """Have the fork server make this child (``forks.py``): False when it does not."""
        from grader.sandbox import forks

        server = forks.server_for(limits)
        if server is None:
            return False
        setup = {"paths": [*SANDBOX_PATHS, str(_site_dir())], "submission": SANDBOX_PATHS[0], "limits": limit_values}
        try:
            self.popen = server.spawn(submission_dir, limits.tmpfs_size, setup, fds, self.groups.procs_files())
        except forks.ForkServerError:
            forks.broken(server)
            return False
        return True

    def _start(self, submission_dir, limits, limit_values, fds):
        """Start this child as a process of its own (under bwrap, or plain)."""
        runtime = runtime_dir()
        passed = []  # descriptors for the child besides its two pipes
        env = child_environment()
        if self.isolation == "bubblewrap":
            binds = {**_runner_binds(), submission_dir: SANDBOX_PATHS[0]}
            command, args_r = _bwrap_command(limits, binds, "/sandbox/runner/child.py")
            passed.append(args_r)
            setup = {"paths": list(SANDBOX_PATHS), "submission": SANDBOX_PATHS[0]}
            cwd = None
        else:
            self.workdir = tempfiles.make("work")
            command = [*_PYTHON, str(runtime / "runner" / "child.py")]
            setup = {"paths": [str(submission_dir), str(runtime / "lib")], "submission": str(submission_dir)}
            env["HOME"] = env["TMPDIR"] = cwd = self.workdir
        setup["paths"].append(str(_site_dir()))
        setup["fds"] = list(fds)
        setup["limits"] = limit_values
        command.append(json.dumps(setup))
        groups = self.groups.procs_files()
        if groups:
            # The shell puts itself in the cgroups, then becomes the child: every process
            # the child ever forks is counted. (No preexec_fn: it is unsafe in threads.)
            # (The shell sets PWD, which bwrap would pass on: the grader's folder is not the student's business.)
            command = [
                "/bin/sh",
                "-c",
                'unset PWD OLDPWD; for f do [ "$f" = -- ] && break; echo $$ > "$f" || exit 1; '
                'shift; done; shift; exec "$@"',
                "sh",
                *groups,
                "--",
                *command,
            ]
        # No host file: bwrap's PID 1 keeps its stdio, which a process of the sandbox could
        # reopen through /proc/1/fd/2 were /proc there (and is, in process mode); a file there
        # would take whatever they write (RLIMIT_FSIZE does not apply to PID 1's file).
        # (_bubblewrap_works shows bwrap's own errors.)
        try:
            self.popen = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
                cwd=cwd,
                pass_fds=(*fds, *passed),
                start_new_session=True,
            )
        finally:
            for fd in passed:
                os.close(fd)

    def clock(self, sleep=True):
        """A ``clock.Clock`` of this child's whole process tree, started now (counting its
        sleep from now, or from its first ``switch(sleep=True)``)."""
        return Clock(self._sampler, sleep)

    def stop(self, grace=0.0):
        """Kill the child with its whole process group (and cgroup), and reap it; with
        ``grace`` seconds first to end on its own (so its exit status can be reported)."""
        for fd in (self.to_child, self.from_child):
            try:
                os.close(fd)
            except OSError:
                pass
        if grace:
            try:
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        if self.forked:
            self.popen.kill()  # its PID 1: the kernel kills the rest of its namespace
        else:
            try:
                os.killpg(self.popen.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        self.groups.remove()
        self._sampler.close()
        if self.forked:
            self.popen.close()
        if self.isolation == "process":
            shutil.rmtree(self.workdir, ignore_errors=True)

    def exit_reason(self):
        """Why the child ended, in words (after it has been reaped)."""
        code = self.popen.returncode
        if code is None:
            return "it stopped answering"
        if self.isolation == "bubblewrap" and code > 128:  # bwrap exits 128 + N when its child dies of signal N
            code = 128 - code
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
            meaning = {
                "SIGSEGV": " (a segmentation fault)",
                "SIGXCPU": " (CPU time limit reached)",
                "SIGKILL": " (killed: out of memory, or stopped by a signal)",
                "SIGABRT": " (aborted)",
                "SIGBUS": " (a bus error)",
            }.get(name, "")
            return f"the process was ended by signal {name}{meaning}"
        return f"the process exited with code {code} (sys.exit or os._exit?)"
