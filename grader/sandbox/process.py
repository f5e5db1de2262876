"""Starting and stopping the sandbox child process.

Two isolation levels, chosen once per grader process:

``bubblewrap``
    ``bwrap`` with every namespace unshared (no network, own PIDs, IPC, UTS, user),
    all capabilities dropped, uid ``nobody``; the file system is only ``/usr``, the
    Python installation (read-only), a 64 MiB private ``/tmp`` (the working folder),
    the submission's module files and the pristine helpers (read-only); ``/`` and ``/dev``
    are read-only too. The project,
    ``solutions/``, the hidden checks and other submissions are not mounted at all.
``process``
    a plain child process with the same resource limits, a cleared environment and a
    private temporary working folder. It cannot stop a student from reading files the
    grader's user can read, nor from opening sockets; ``extra_data.isolation`` says so.

Both start the child in a new session, so a timeout kills its whole process group, and
the child puts resource limits (address space, CPU time, file size, open files,
processes) on itself before it reads any student code (``child.py``).
When running as root, a pids cgroup (v1) caps the number of processes, because root
ignores ``RLIMIT_NPROC``, and a memory cgroup (v1) caps the memory of the whole tree,
because ``RLIMIT_AS`` is per process. docs/isolation.md says what each level stops.
"""

import atexit
import functools
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from grader import course, paths


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


def isolation_level(requested="auto"):
    """``"bubblewrap"`` when ``bwrap`` is installed and works here, else ``"process"``."""
    if requested == "process":
        return "process"
    works = _bubblewrap_works()
    if requested == "bubblewrap" and not works:
        raise RuntimeError("bubblewrap was requested but `bwrap` is missing or cannot create namespaces here")
    return "bubblewrap" if works else "process"


@functools.lru_cache(maxsize=None)
def _bubblewrap_works():
    if shutil.which("bwrap") is None:
        return False
    command = _bwrap_prefix(Limits(), {}) + ["true"]
    try:
        return subprocess.run(command, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@functools.lru_cache(maxsize=None)
def runtime_dir():
    """A private folder, made once per grader process: ``runner/`` (child.py, wire.py)
    and ``lib/`` (pristine copies of the provided helpers and data)."""
    root = Path(tempfile.mkdtemp(prefix="grader-runtime-"))
    atexit.register(shutil.rmtree, root, True)
    (root / "runner").mkdir()
    here = Path(__file__).parent
    for name in ("child.py", "wire.py"):
        shutil.copyfile(here / name, root / "runner" / name)
    (root / "lib").mkdir()
    for helper in course.helper_files():
        shutil.copyfile(helper, root / "lib" / helper.name)
    os.chmod(root, 0o755)
    return root


def _site_dir():
    """The site-packages folder numpy lives in (the child's only third-party folder)."""
    import numpy

    return Path(numpy.__file__).resolve().parents[1]


def _python_dirs():
    """The folders to mount for the child's Python: the installations and numpy's site."""
    dirs = {Path(sys.prefix), Path(sys.base_prefix), _site_dir()}
    dirs = {d.resolve() for d in dirs}
    return sorted(d for d in dirs if not any(p != d and p in d.parents for p in dirs))


def _bwrap_prefix(limits, binds):
    args = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session",
            "--cap-drop", "ALL", "--uid", "65534", "--gid", "65534",
            "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
            "--size", str(limits.tmpfs_size), "--tmpfs", "/tmp", "--chdir", "/tmp"]
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
            args += ["--tmpfs", str(hidden.resolve())]
    for source, target in binds.items():
        args += ["--ro-bind", str(source), target]
    # bwrap's / and /dev are tmpfs mounts with no size limit: left writable, a student could
    # fill the machine's memory with files there (RLIMIT_FSIZE caps one file, not their number).
    return args + ["--remount-ro", "/", "--remount-ro", "/dev"]


_cgroup_counter = itertools.count()


def _new_cgroup(parent, limit_file, limit):
    """A new v1 cgroup under ``parent`` with ``limit`` written to ``limit_file``, or None
    where that cannot be done (not root, no such controller, a read-only hierarchy)."""
    if os.geteuid() != 0 or not (parent / "cgroup.procs").exists():
        return None
    _sweep_stale_cgroups(parent)
    group = parent / f"grader-{os.getpid()}-{next(_cgroup_counter)}"
    try:
        group.mkdir()
        (group / limit_file).write_text(str(limit))
        return group
    except OSError:
        if group.exists():
            _empty_and_remove(group, patience=0.1)
        return None


def _pids_cgroup(limit):
    """A new pids cgroup capped at ``limit`` processes, or None where unavailable."""
    return _new_cgroup(Path("/sys/fs/cgroup/pids"), "pids.max", limit)


def _memory_cgroup(limit):
    """A new memory cgroup capped at ``limit`` bytes, or None where unavailable.

    RLIMIT_AS caps one process; without this, the 64 processes a child may have could
    each fill 3 GiB and take the machine down. It is made inside this process's own
    memory cgroup, so that the limits of a container the grader runs in still apply."""
    try:
        own = next(line.split(":", 2)[2].strip() for line in Path("/proc/self/cgroup").read_text().splitlines()
                   if line.split(":")[1:2] == ["memory"])
    except (OSError, StopIteration, IndexError):
        return None
    return _new_cgroup(Path("/sys/fs/cgroup/memory") / own.lstrip("/"), "memory.limit_in_bytes", limit)


class Child:
    """One running sandbox child and the pipe ends that talk to it."""

    def __init__(self, submission_dir, isolation, limits=Limits()):
        runtime = runtime_dir()
        self.isolation = isolation
        self.cgroup = _pids_cgroup(limits.processes)
        self.memory_cgroup = _memory_cgroup(limits.memory)
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg",
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # correctness settings of this machine
            if name in os.environ:
                env[name] = os.environ[name]
        if isolation == "bubblewrap":
            binds = {runtime / "runner": "/sandbox/runner", runtime / "lib": "/sandbox/lib",
                     submission_dir: "/sandbox/submission"}
            command = _bwrap_prefix(limits, binds) + [
                sys.executable, "-I", "-S", "-B", "/sandbox/runner/child.py"]
            setup = {"paths": ["/sandbox/submission", "/sandbox/lib"], "submission": "/sandbox/submission"}
            env["HOME"], cwd = "/tmp", None
        else:
            self.workdir = tempfile.mkdtemp(prefix="grader-work-")
            command = [sys.executable, "-I", "-S", "-B", str(runtime / "runner" / "child.py")]
            setup = {"paths": [str(submission_dir), str(runtime / "lib")], "submission": str(submission_dir)}
            env["HOME"] = env["TMPDIR"] = cwd = self.workdir
        setup["paths"].append(str(_site_dir()))
        setup["fds"] = [to_child_r, from_child_w]
        setup["limits"] = {"RLIMIT_AS": limits.address_space, "RLIMIT_CPU": limits.cpu_seconds,
                           "RLIMIT_FSIZE": limits.file_size, "RLIMIT_NOFILE": limits.open_files,
                           "RLIMIT_NPROC": limits.processes, "RLIMIT_CORE": 0}
        command.append(json.dumps(setup))
        groups = [g for g in (self.cgroup, self.memory_cgroup) if g is not None]
        if groups:
            # The shell puts itself in the cgroups, then becomes the child: every process
            # the child ever forks is counted. (No preexec_fn: it is unsafe in threads.)
            # (The shell sets PWD, which bwrap would pass on: the grader's folder is not the student's business.)
            command = ["/bin/sh", "-c", 'unset PWD OLDPWD; for f do [ "$f" = -- ] && break; echo $$ > "$f" || exit 1; '
                       'shift; done; shift; exec "$@"', "sh", *(str(g / "cgroup.procs") for g in groups), "--", *command]
        # Start-up errors (bwrap's, the child's before it silences fd 2) land here.
        self.stderr = tempfile.TemporaryFile()
        try:
            self.popen = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.stderr,
                env=env, cwd=cwd, pass_fds=(to_child_r, from_child_w),
                start_new_session=True)
        finally:
            os.close(to_child_r)
            os.close(from_child_w)

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
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        for group in (self.cgroup, self.memory_cgroup):
            if group is not None:
                _empty_and_remove(group)
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
            meaning = {"SIGSEGV": " (a segmentation fault)", "SIGXCPU": " (CPU time limit reached)",
                       "SIGKILL": " (killed: out of memory, or stopped by a signal)",
                       "SIGABRT": " (aborted)", "SIGBUS": " (a bus error)"}.get(name, "")
            return f"the process was ended by signal {name}{meaning}"
        return f"the process exited with code {code} (sys.exit or os._exit?)"

    def startup_errors(self):
        """What the child wrote to its stderr before it silenced it (for grader bugs)."""
        self.stderr.seek(0)
        return self.stderr.read(2000).decode("utf-8", "replace")


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
                return  # swept by a later grader run (see _sweep_stale_cgroups)
            time.sleep(0.01)


@functools.lru_cache(maxsize=None)  # once per grader process
def _sweep_stale_cgroups(base):
    """Remove the cgroups that grader processes which no longer run left behind."""
    for group in base.glob("grader-*-*"):
        try:
            os.kill(int(group.name.split("-")[1]), 0)
        except ProcessLookupError:
            _empty_and_remove(group, patience=0.1)
        except (ValueError, PermissionError):
            pass
