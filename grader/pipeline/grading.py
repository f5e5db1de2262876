"""Grading one submission: load -> sandbox -> checks -> ``SubmissionResult``.

``grade_submission`` runs the hidden checks (``grader/checks/<id>.py``) against the
reference; ``public=True`` runs the public checks (``grader/public/<id>.py``) instead,
which need no solution code.
"""

import time

from grader import __version__, course, paths
from grader.results import AssignmentResult, Figure, SubmissionResult
from grader.sandbox import allocator
from grader.sandbox.process import isolation_level
from grader.sandbox.session import Host, StudentError


class GraderFailure(Exception):
    """The grading suite itself could not run (a bug in the checks or their set-up). (Here,
    not in ``runner``, so that naming it does not import pytest and hypothesis before a
    submission's sandbox child has started: they load while it starts up.)"""


def check_files(public=False):
    """The check modules that exist, one per assignment, in the SPEC's order."""
    folder = paths.PUBLIC_CHECKS if public else paths.CHECKS
    return [folder / f"{a}.py" for a in course.ASSIGNMENT_IDS if (folder / f"{a}.py").exists()]


def grade_submission(submission, *, public=False, isolation="auto"):
    """Grade a loaded ``Submission``; returns a ``SubmissionResult``."""
    started = time.monotonic()
    allocator.tune()
    level = isolation_level(isolation)
    students, sandboxes, notes = {}, [], {a: [] for a in course.ASSIGNMENT_IDS}
    for note in submission.notes:
        if note.assignment in notes:
            notes[note.assignment].append(note.text)
    host = Host({a: f.source for a, f in submission.files.items() if a in course.ASSIGNMENT_IDS}, level)
    try:
        for assignment in course.ASSIGNMENT_IDS:
            file = submission.files.get(assignment)
            if file is not None:
                sandboxes.append(host.sandbox(assignment, filename=file.name.split("/")[-1]))
        if sandboxes:
            sandboxes[0].start()  # the child starts up while this process imports pytest
        from grader.checkapi import traces
        from grader.pipeline.runner import StudentModule, run_checks

        traces.submission_started()

        for assignment in course.ASSIGNMENT_IDS:
            reason = submission.problems.get(assignment) or f"{assignment} was not submitted."
            sandbox = next((s for s in sandboxes if s.assignment == assignment), None)
            students[assignment] = StudentModule(assignment, sandbox, reason)
        for sandbox in sandboxes:
            try:
                sandbox.functions()
            except StudentError as error:
                notes[sandbox.assignment].append(error.feedback())
        figures = {}
        outcomes = run_checks(
            check_files(public), students, figures, None if public else (submission.sha256 or "no-sha256")
        )
    finally:
        host.close()
    assignments = []
    for assignment in course.ASSIGNMENT_IDS:
        file = submission.files.get(assignment)
        if file is None and assignment in submission.problems:
            notes[assignment].append(submission.problems[assignment])
        assignments.append(
            AssignmentResult(
                id=assignment,
                submitted=file is not None,
                outcomes=tuple(o for o in outcomes if o.assignment == assignment),
                source=file.name if file else "",
                notes=tuple(notes[assignment]),
                figures=tuple(f for f in figures.get(assignment, []) if isinstance(f, Figure)),
            )
        )
    submission_notes = tuple(n.text for n in submission.notes if n.assignment not in notes)
    return SubmissionResult(
        student=submission.student,
        sha256=submission.sha256,
        assignments=tuple(assignments),
        unknown_files=submission.unknown,
        provided_files=submission.provided,
        notes=submission_notes,
        isolation=level,
        grader_version=__version__,
        execution_time=time.monotonic() - started,
        extra={"checks": "public" if public else "hidden"},
    )
