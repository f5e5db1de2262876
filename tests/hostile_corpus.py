"""The hostile corpus (``tests/hostile/``) as one batch: building it, grading it once per
test session, and reading the results back. Used by ``test_hostile.py`` and
``test_determinism.py``.

A batch folder holds, in name order: every case of ``tests/hostile/cases.toml`` that the
isolation level may run (copied, or made by the ``make_*`` functions below), the *twins*
that bound their scores (the reference with some functions left unimplemented, graded in
the same batch) and ``zzzz-normal-after`` (the reference, last); and/or the example class.
"""

import atexit
import ctypes
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import tomllib

from grader import paths
from grader.sandbox.process import isolation_level
from tests import hostile_classes  # the makers of the generated cases (make_<case>)
from tests.helpers import reference_source, replace_function, stub_source

HERE = Path(__file__).parent / "hostile"
CASES = tomllib.loads((HERE / "cases.toml").read_text())
ASSIGNMENT = "gradient_checking"
FUNCTIONS = ("forward_propagation", "backward_propagation", "gradient_check")
NORMAL = "zzzz-normal-after"
CANARY = "HX_CANARY_7f3e9b1c"  # a secret in the grader's environment that must never reach a result
MARKER = "hx-hostile"  # what the cases' spawned processes call themselves (comm or argv)


def isolation():
    """The level the corpus runs at: ``GRADER_HOSTILE_ISOLATION``, else what ``auto`` picks."""
    return os.environ.get("GRADER_HOSTILE_ISOLATION") or isolation_level("auto")


def runnable(name, level):
    case = CASES[name]
    if level not in case.get("modes", ["bubblewrap", "process"]):
        return False
    return level not in case.get("needs_root", []) or _cgroups()


def _cgroups():
    """Whether the sandbox gets its pids and memory cgroups here (root, cgroup v1)."""
    return os.geteuid() == 0 and all(Path(f"/sys/fs/cgroup/{c}/cgroup.procs").exists() for c in ("pids", "memory"))


def assignment_of(name):
    """The assignment a case attacks (``assignment = ...`` in cases.toml; default ``ASSIGNMENT``)."""
    return CASES[name].get("assignment", ASSIGNMENT)


def functions_of(assignment):
    """The graded functions of an assignment: the stub's public top-level functions."""
    import ast

    if assignment == ASSIGNMENT:
        return FUNCTIONS
    tree = ast.parse(stub_source(assignment))
    return tuple(n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_"))


def twin_name(bound, assignment=ASSIGNMENT):
    import hashlib

    prefix = "twin-" if assignment == ASSIGNMENT else f"twin-{assignment}-"
    if bound == ["*"]:
        return prefix + "stub"
    functions = "+".join(sorted(bound)) or "reference"
    if len(functions) > 40:  # student names are cut at some length: a short, unique stand-in
        functions = "several-" + hashlib.sha256(functions.encode()).hexdigest()[:10]
    return prefix + functions


def twin_source(bound, assignment=ASSIGNMENT):
    if bound == ["*"]:
        return stub_source(assignment)
    source = reference_source(assignment)
    for function in bound:
        stub = _function_source(stub_source(assignment), function)
        source = replace_function(source, function, stub)
    return source


def _function_source(source, name):
    import ast

    node = next(n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name == name)
    return "\n".join(source.splitlines()[node.lineno - 1 : node.end_lineno])


def _attacked(function_body):
    """The reference with gradient_check's first line replaced by ``function_body``."""
    return reference_source(ASSIGNMENT).replace(
        "    J_plus = forward_propagation(x, theta + epsilon)",
        f"    {function_body}\n    J_plus = forward_propagation(x, theta + epsilon)",
        1,
    )


def _notebook(cells):
    return json.dumps(
        {
            "cells": [
                {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": cell}
                for cell in cells
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


# -- the cases that are made at test time ---------------------------------------------------


def make_notebook_thousands_cells(batch):
    """5,000 cells: the reference, then prints, plots, training loops, magics and markdown."""
    noise = [
        "print('step', 1)",
        "%matplotlib inline",
        "for i in range(10**9):\n    pass",
        "import matplotlib.pyplot as plt\nplt.plot([1, 2])",
        "!pip install tensorflow",
        "x = np.random.randn(3)",
        "gradient_check(1, 2)",
    ]
    cells = [reference_source(ASSIGNMENT)] + [noise[i % len(noise)] for i in range(4999)]
    folder = batch / "notebook_thousands_cells"
    folder.mkdir()
    (folder / f"{ASSIGNMENT}.ipynb").write_text(_notebook(cells))


def make_notebook_magic_flood(batch):
    """One cell of 20,000 magic lines and shell escapes, then the reference."""
    flood = "\n".join(("%time x", "!ls", "%%timeit")[i % 2] for i in range(20_000))
    folder = batch / "notebook_magic_flood"
    folder.mkdir()
    (folder / f"{ASSIGNMENT}.ipynb").write_text(_notebook([flood + "\n" + reference_source(ASSIGNMENT)]))


def make_notebook_deep_json(batch):
    folder = batch / "notebook_deep_json"
    folder.mkdir()
    (folder / f"{ASSIGNMENT}.ipynb").write_text("[" * 100_000 + "]" * 100_000)


def make_notebook_parser_bomb(batch):
    """A cell the grader's Python parser cannot hold (200,000 nested unary minus signs)."""
    folder = batch / "notebook_parser_bomb"
    folder.mkdir()
    cells = [reference_source(ASSIGNMENT), "x = " + "-" * 200_000 + "1"]
    (folder / f"{ASSIGNMENT}.ipynb").write_text(_notebook(cells))


def make_big_source(batch):
    folder = batch / "big_source"
    folder.mkdir()
    (folder / f"{ASSIGNMENT}.py").write_text(reference_source(ASSIGNMENT) + "#" * (5 * 2**20))


def _member(name):
    """A zip entry with a fixed date, so that the same case makes the same bytes (the
    submission's hash is in results.json)."""
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def make_zip_bomb(batch):
    """300 MiB of zeros in 300 KiB: the reference among three huge members."""
    with zipfile.ZipFile(batch / "zip_bomb.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_member(f"{ASSIGNMENT}.py"), reference_source(ASSIGNMENT))
        block = b"\0" * 2**20
        for number in range(3):
            with archive.open(_member(f"bomb{number}.py"), "w", force_zip64=True) as member:
                for _ in range(100):
                    member.write(block)


def make_zip_many_entries(batch):
    with zipfile.ZipFile(batch / "zip_many_entries.zip", "w") as archive:
        archive.writestr(_member(f"{ASSIGNMENT}.py"), reference_source(ASSIGNMENT))
        for number in range(10_001):
            archive.writestr(_member(f"d/{number}.txt"), "")


def make_folder_symlinks(batch):
    """The graded file is a symlink to the reference; a folder symlinks to solutions/."""
    folder = batch / "folder_symlinks"
    folder.mkdir()
    (folder / f"{ASSIGNMENT}.py").symlink_to(paths.SOLUTIONS / f"{ASSIGNMENT}.py")
    (folder / "solutions").symlink_to(paths.SOLUTIONS, target_is_directory=True)
    (folder / "optimization.py").symlink_to("/dev/zero")


def make_absurd_names(batch):
    """Names that are not UTF-8, hold newlines, HTML or 250 bytes, a FIFO named like a
    notebook, near-misses of the assignment's name, and a folder named like a file."""
    folder = batch / "absurd_names"
    folder.mkdir()
    (folder / f"{ASSIGNMENT}.py").write_text(_attacked("raise RuntimeError('hostile: absurd names')"))
    for raw in (
        b"\xff\xfe.py",
        b"gradient_checking\xff.py",
        b"line\nbreak.py",
        b"<img src=x onerror=alert(1)>.py",
        b"a" * 250 + b".py",
        b" gradient_checking.py",
        b"GRADIENT_CHECKING.PY",
        b"gradient_checking.py.py",
        b"-rf",
        b"\x1b[31mred.txt",
    ):
        with open(os.path.join(os.fsencode(folder), raw), "wb") as stream:
            stream.write(b"raise SystemExit('wrong file')\n")
    os.mkfifo(folder / "regularization.ipynb")  # reading it would block forever
    (folder / "initialization.py").mkdir()
    (folder / "initialization.py" / "optimization.py").write_text("raise SystemExit('nested')\n")


def make_odd_folder_name(batch):
    """The submission folder's own name is not UTF-8."""
    folder = os.path.join(os.fsencode(batch), b"odd_folder_name-\xff\xfe")
    os.mkdir(folder)
    with open(os.path.join(folder, f"{ASSIGNMENT}.py".encode()), "w") as stream:
        stream.write(_attacked("raise RuntimeError('hostile: odd folder name')"))


def make_unreadable_zip_odd_name(batch):
    """A zip that cannot be read, named with bytes that are not UTF-8."""
    with open(os.path.join(os.fsencode(batch), b"unreadable_zip_odd_name-\xff.zip"), "wb") as stream:
        stream.write(b"PK\x03\x04 not really a zip")


def make_lookup_table(batch):
    """gradient_checking.py made of the answers grading the reference gave (inputs and
    expected values of every shared case), and no code: only the secret cases stop it."""
    from tests.hostile_lookup import gradient_checking_source

    folder = batch / "lookup_table"
    folder.mkdir()
    (folder / f"{ASSIGNMENT}.py").write_text(gradient_checking_source())


# Names a class may hold (folder and zip names are the students' names): two that clean to
# one folder, one that differs only in case, the class files of OUT, spreadsheet formulas,
# a newline that would forge a log line, terminal escape codes, a bidirectional override.
HOSTILE_NAMES = (
    "hostile_names",
    "hostile names",
    "HOSTILE_NAMES",
    "gradebook.csv",
    "summary.html",
    '=HYPERLINK("http:evil";"x")',
    "@SUM(1+1)",
    "+1",
    "-1",
    "forged\ngrade: all done",
    "esc\x1b[2J\x1b[31mred",
    "bidi\u202etxt.exe",
)


def make_hostile_names(batch):
    """One reference submission under each of ``HOSTILE_NAMES``."""
    for name in HOSTILE_NAMES:
        (batch / name).mkdir()
        (batch / name / f"{ASSIGNMENT}.py").write_text(reference_source(ASSIGNMENT))


BLOATED = '''"""Attack: every function returns 95,000 dict keys and three 2 MiB int8 arrays."""
import numpy as np

_REPLY = {f"key{i:05d}": 0.0 for i in range(95_000)}
_REPLY.update({key: np.ones(2 * 2**20, dtype=np.int8) for key in ("W1", "dW1", "db1")})


def _bloated(*args, **kwargs):
    return dict(_REPLY)


for _name in ("update_parameters_with_gd", "random_mini_batches", "initialize_velocity",
              "update_parameters_with_momentum", "initialize_rmsprop", "update_parameters_with_rmsprop",
              "initialize_adam", "update_parameters_with_adam", "update_lr", "schedule_lr_decay"):
    globals()[_name] = _bloated
'''


def make_bloated_replies(batch):
    """The reference of the corpus's assignment, and an optimization.py whose every reply is
    huge: the grader's memory and the size of its results must not follow."""
    folder = batch / "bloated_replies"
    folder.mkdir()
    (folder / f"{ASSIGNMENT}.py").write_text(reference_source(ASSIGNMENT))
    (folder / "optimization.py").write_text(BLOATED)


# -- the batch ------------------------------------------------------------------------------


def build_batch(batch, level, with_corpus=True, with_class=True):
    """Fill ``batch`` with the cases ``level`` may run, their twins and the normal one, and/or
    the example class (as ``example-<name>``)."""
    batch.mkdir(parents=True, exist_ok=True)
    if with_corpus:
        _add_corpus(batch, level)
    if with_class:
        for entry in sorted((paths.ROOT / "examples" / "class").iterdir()):
            target = batch / f"example-{entry.name}"
            if entry.is_dir():
                shutil.copytree(entry, target)
            else:
                shutil.copyfile(entry, target)


def maker(name):
    """The function that writes the generated case ``name`` (here, or in ``tests/hostile_classes.py``)."""
    return globals().get(f"make_{name}") or getattr(hostile_classes, f"make_{name}", None)


def _add_corpus(batch, level):
    for name, case in CASES.items():
        if not runnable(name, level):
            continue
        if case.get("generated"):
            maker(name)(batch)
        elif (HERE / name).is_dir():
            shutil.copytree(HERE / name, batch / name, symlinks=True)
        else:
            shutil.copyfile(HERE / f"{name}.zip", batch / f"{name}.zip")
    for bound, assignment in {(tuple(case["bound"]), case.get("assignment", ASSIGNMENT)) for case in CASES.values()}:
        (batch / twin_name(list(bound), assignment)).mkdir()
        (batch / twin_name(list(bound), assignment) / f"{assignment}.py").write_text(
            twin_source(list(bound), assignment)
        )
    (batch / NORMAL).mkdir()
    (batch / NORMAL / f"{ASSIGNMENT}.py").write_text(reference_source(ASSIGNMENT))


def grade_batch(batch, out, level, jobs, timeout=900, tmp=None):
    """Run the ``grade`` command on ``batch`` in a subprocess (with ``tmp`` as its temporary
    folder); return ``(returncode, seconds, stderr, stdout)``."""
    command = [
        sys.executable,
        "-m",
        "grader.cli",
        str(batch),
        "-o",
        str(out),
        "--batch",
        "--isolation",
        level,
        "--jobs",
        str(jobs),
    ]
    env = {
        **os.environ,
        CANARY: CANARY,
        **({"TMPDIR": str(tmp)} if tmp else {}),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(paths.ROOT), os.environ.get("PYTHONPATH")])),
        "GRADER_SECRET": "hostile-corpus",
    }  # the same secret cases everywhere
    # (PYTHONPATH: the grader under test, this checkout's, wherever the package is installed from)
    started = time.monotonic()
    done = subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=out.parent, timeout=timeout, errors="replace"
    )
    return done.returncode, time.monotonic() - started, done.stderr, done.stdout


class Run:
    """One graded batch: its folders, exit status, wall time, and the processes it left."""

    def __init__(self, level, jobs, with_corpus, with_class):
        self.level, self.jobs = level, jobs
        self.root = Path(tempfile.mkdtemp(prefix="hx-corpus-"))
        atexit.register(shutil.rmtree, self.root, True)
        self.batch, self.out, self.tmp = self.root / "batch", self.root / "out", self.root / "tmp"
        build_batch(self.batch, level, with_corpus, with_class)
        self.tmp.mkdir()
        ours = set(_children())  # this test process's own helpers (a forkserver, say) are not leftovers
        with _subreaper():
            self.returncode, self.seconds, self.stderr, self.stdout = grade_batch(
                self.batch, self.out, level, jobs, tmp=self.tmp
            )
            # Killed processes take a moment to be reaped (longer on a loaded machine): a process
            # is left running if it is still there after 5 s (a spinner spins for ever).
            deadline = time.monotonic() + 5
            while leftover_processes(exclude=ours, kill=False) and time.monotonic() < deadline:
                time.sleep(0.1)
            self.leftovers = leftover_processes(exclude=ours)
        self.left_in_tmp = sorted(p.name for p in self.tmp.iterdir())  # the grader's temporary folder

    def results(self, name):
        """The ``results.json`` of the submission whose folder or zip is ``name``."""
        for document in self.documents().values():
            if document["extra_data"]["student"] == name:
                return document
        # a name the grader had to clean (odd_folder_name: not UTF-8)
        folder = next(p for p in self.out.iterdir() if p.is_dir() and p.name.startswith(f"{name}-"))
        return json.loads((folder / "results.json").read_text(encoding="utf-8"))

    @functools.cached_property
    def _documents(self):
        return {p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in self.out.glob("*/results.json")}

    def documents(self):
        """{folder name: results.json} for every submission of the batch."""
        return dict(self._documents)


@functools.cache
def run(level, jobs, with_corpus=True, with_class=False):
    """A batch graded once per test session for each set of arguments."""
    return Run(level, jobs, with_corpus, with_class)


# -- processes left behind ----------------------------------------------------------------------

_PR_SET_CHILD_SUBREAPER = 36


class _subreaper:
    """While grading, this process adopts every orphan of the ``grade`` process tree (instead
    of init), so that a daemon a submission left running is found among its children."""

    def __enter__(self):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)

    def __exit__(self, *exc):
        self.libc.prctl(_PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)


def _children():
    """The pids whose parent is this process."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == os.getpid():
                pids.append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return pids


def leftover_processes(exclude=(), kill=True):
    """``[(pid, command)]`` of this process's children (adopted orphans included, those in
    ``exclude`` left alone) and of any process that carries a case's marker; with ``kill``,
    all of them are killed, then reaped."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            comm = (entry / "comm").read_text().strip()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if state == "Z" and int(ppid) == os.getpid():
            os.waitpid(int(entry.name), os.WNOHANG)
            continue
        if int(entry.name) in exclude:
            continue
        if int(ppid) == os.getpid() or comm.startswith(MARKER) or f"{MARKER}-marker" in command:
            found.append((int(entry.name), f"{comm}: {command[:200]}"))
    if not kill:
        return found
    for pid, _ in found:
        try:
            os.kill(pid, 9)
        except OSError:
            pass
    for pid, _ in found:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
    return found
