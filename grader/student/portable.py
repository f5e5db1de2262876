"""``grade check`` where POSIX process control is missing (Windows): the public checks run in a
plain subprocess per assignment, with a time limit.

The sandbox (``grader/sandbox/``) needs what Windows lacks: ``pass_fds`` to hand the child its
pipes, ``os.killpg`` and new sessions to stop a runaway child with all it started, ``select`` on
pipes for per-call deadlines, and the ``resource`` module for memory, CPU and file limits. Here
instead, each assignment's module is imported in a child Python (``python -m
grader.student.portable <id> FOLDER``) that runs its public checks the way the notebooks' check
cells do (``notebook_check``: same checks, expected values, messages and hints) and prints the
outcomes as JSON. What is lost: per-call time limits (a whole assignment gets
``TIMEOUT`` seconds, after which its child is killed and every check of it fails), resource
limits, and the isolation of a sandbox (the child is an ordinary process of the student, on the
student's own machine). Hidden grading (``grade PATH``) is not offered there.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from grader import course, paths

TIMEOUT = 300  # seconds for one assignment's public checks, import included


def posix_process_control():
    """Whether the sandbox can run here: the process control it needs exists."""
    if os.name != "posix" or not hasattr(os, "killpg") or not hasattr(os, "setsid"):
        return False
    try:
        import resource  # noqa: F401
    except ImportError:
        return False
    return True


def missing_features():
    """What the sandbox needs that this platform lacks, in words."""
    missing = []
    if os.name != "posix":
        missing.append(f"a POSIX system (this is {os.name!r}: no pass_fds, no select() on pipes)")
    if not hasattr(os, "killpg"):
        missing.append("os.killpg (stopping a child with the processes it started)")
    try:
        import resource  # noqa: F401
    except ImportError:
        missing.append("the resource module (memory, CPU-time and file-size limits)")
    return missing


def check_assignments(files, timeout=TIMEOUT):
    """``{assignment: [CheckOutcome, ...]}`` of the public checks of ``files`` (``{assignment:
    StudentFile}``), each assignment in its own child process with ``timeout`` seconds."""
    from grader.results import CheckOutcome
    from grader.student.notebook_check import public_checks

    results = {}
    for assignment, student_file in files.items():
        declared = [dict(assignment=assignment, **d) for _, d in public_checks(assignment)]
        with tempfile.TemporaryDirectory(prefix="grader-check-") as folder:
            (Path(folder) / f"{assignment}.py").write_text(student_file.source, encoding="utf-8")
            env = {
                **os.environ,
                "PYTHONPATH": os.pathsep.join([str(paths.ROOT), os.environ.get("PYTHONPATH", "")]),
                "MPLBACKEND": "Agg",
                "PYTHONIOENCODING": "utf-8",
            }
            try:
                run = subprocess.run(
                    [sys.executable, "-m", "grader.student.portable", assignment, folder],
                    capture_output=True,
                    text=True,
                    encoding="utf-8",
                    errors="replace",
                    timeout=timeout,
                    cwd=folder,
                    env=env,
                    stdin=subprocess.DEVNULL,
                )
            except subprocess.TimeoutExpired:
                results[assignment] = [
                    CheckOutcome(
                        **d,
                        passed=False,
                        message=(
                            f"The public checks of {assignment} did not finish within {timeout} s (an endless loop?); "
                            "without POSIX process control they share one time limit."
                        ),
                    )
                    for d in declared
                ]
                continue
        lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
        try:
            outcomes = json.loads(lines[-1])["outcomes"]
        except (IndexError, ValueError, KeyError):
            reason = (run.stderr.strip().splitlines() or [f"exit code {run.returncode}"])[-1]
            results[assignment] = [
                CheckOutcome(**d, passed=False, message=(f"Your {assignment}.py stopped the check process: {reason}"))
                for d in declared
            ]
            continue
        order = {(d["function"], d["name"]): i for i, d in enumerate(declared)}
        results[assignment] = sorted(
            (CheckOutcome(**o) for o in outcomes), key=lambda o: order.get((o.function, o.name), len(order))
        )
    return results


def portable_result(submission, timeout=TIMEOUT):
    """The ``SubmissionResult`` of the public checks of ``submission``, without the sandbox."""
    import time

    from grader import __version__
    from grader.results import AssignmentResult, CheckOutcome, SubmissionResult
    from grader.student.notebook_check import public_checks

    started = time.monotonic()
    files = {a: f for a, f in submission.files.items() if a in course.ASSIGNMENT_IDS}
    outcomes = check_assignments(files, timeout)
    assignments = []
    for assignment in course.ASSIGNMENT_IDS:
        notes = [n.text for n in submission.notes if n.assignment == assignment]
        if assignment in submission.problems:
            notes.append(submission.problems[assignment])
        reason = submission.problems.get(assignment) or f"{assignment} was not submitted."
        checks = outcomes.get(assignment) or [
            CheckOutcome(assignment=assignment, passed=False, message=reason, **d) for _, d in public_checks(assignment)
        ]
        file = files.get(assignment)
        assignments.append(
            AssignmentResult(
                id=assignment,
                submitted=file is not None,
                outcomes=tuple(checks),
                source=file.name if file else "",
                notes=tuple(notes),
            )
        )
    return SubmissionResult(
        student=submission.student,
        sha256=submission.sha256,
        assignments=tuple(assignments),
        unknown_files=submission.unknown,
        provided_files=submission.provided,
        notes=tuple(n.text for n in submission.notes if n.assignment not in course.ASSIGNMENT_IDS),
        isolation="subprocess (no sandbox)",
        grader_version=__version__,
        execution_time=time.monotonic() - started,
        extra={"checks": "public"},
    )


def _child(assignment, folder):
    """In the child: import the student's module from ``folder`` and print its outcomes as JSON."""
    import dataclasses
    import importlib
    import traceback

    from grader.results import CheckOutcome
    from grader.student.notebook_check import public_checks, run_checks

    sys.path[:0] = [folder, str(paths.ASSIGNMENTS)]
    functions = list(dict.fromkeys(d["function"] for _, d in public_checks(assignment)))
    try:
        namespace = vars(importlib.import_module(assignment))
    except BaseException as error:  # the student's module may raise anything, SystemExit included
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(f"{assignment}.py")]
        where = "".join(traceback.format_list(frames[-3:]))
        message = f"Importing your {assignment}.py raised {type(error).__name__}: {error}" + (
            f"\nWhere, in your code:\n{where.rstrip()}" if where else ""
        )
        outcomes = [
            CheckOutcome(assignment=assignment, passed=False, message=message, **d)
            for _, d in public_checks(assignment)
        ]
    else:
        outcomes = [o for f in functions for o in run_checks(assignment, f, namespace)]
    print(json.dumps({"outcomes": [dataclasses.asdict(o) for o in outcomes]}), flush=True)


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2])
