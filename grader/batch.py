"""Grading many submissions: finding them, grading each, and the gradebook.

A PATH is a batch when it is a folder with no student file at its top and either
several entries that are folders or zips, or a single zip (``--batch`` forces it).
Each submission's files are written as soon as it is graded (atomically), then
``OUT/gradebook.csv`` for the lot.
"""

import csv
import io
import sys
import time
from pathlib import Path

from grader import paths
from grader.output import results_json, safe_name, write_atomic, write_submission

STUDENT_SUFFIXES = (".py", ".ipynb")


def _is_student_file(path):
    return path.is_file() and path.stem in paths.ASSIGNMENT_IDS and path.suffix in STUDENT_SUFFIXES


def _entries(folder):
    return sorted(p for p in folder.iterdir() if not p.name.startswith((".", "__"))
                  and (p.is_dir() or p.suffix == ".zip"))


def is_batch(path, force=False):
    if not path.is_dir() or path.is_symlink():
        return False
    if force:
        return True
    if any(_is_student_file(p) for p in path.iterdir()):
        return False
    entries = _entries(path)
    return len(entries) >= 2 or (len(entries) == 1 and entries[0].suffix == ".zip")


def expand(paths_, force_batch=False):
    """The submissions named by the command line, in a stable order."""
    submissions = []
    for path in paths_:
        submissions += _entries(path) if is_batch(path, force_batch) else [path]
    return submissions


def grade_one(path, student=None, public=False, isolation="auto"):
    """Load and grade one submission; an unreadable one becomes a result with its reason."""
    from grader.grading import grade_submission
    from grader.submission import Submission, SubmissionError, load_submission

    try:
        submission = load_submission(path, student)
    except SubmissionError as error:
        name = student or (path.stem if path.suffix == ".zip" else path.name)
        submission = Submission(name, "", {}, notes=(str(error),))
    return grade_submission(submission, public=public, isolation=isolation)


def grade_paths(paths_, out, student=None, force_batch=False, isolation="auto", fail_under=None):
    """Grade every submission named by ``paths_`` into ``out``; return the exit status."""
    from grader.runner import GraderFailure

    submissions = expand(paths_, force_batch)
    results, seen = [], set()
    for path in submissions:
        started = time.monotonic()
        try:
            result = grade_one(path, student, isolation=isolation)
        except GraderFailure as error:
            print(f"grade: the grader failed on {path}: {error}", file=sys.stderr)
            return 1
        name = safe_name(result.student)
        if name in seen:
            print(f"grade: two submissions are named {name!r}; {path} overwrites the first", file=sys.stderr)
        seen.add(name)
        write_submission(result, out)
        results.append(result)
        print(f"{result.student}: {result.score:g}/{result.max_score} ({time.monotonic() - started:.1f} s)")
    write_atomic(Path(out) / "gradebook.csv", gradebook_csv(results))
    status = 0
    if any(r.grader_errors for r in results):
        print("grade: some checks failed inside the grader (our bug); see the reports", file=sys.stderr)
        status = 1
    if fail_under is not None and any(100 * r.score / r.max_score < fail_under for r in results):
        status = 1
    return status


GRADEBOOK_COLUMNS = ("student", *paths.ASSIGNMENT_IDS, "total", "max_score", "percent", "status", "submission_sha256")


def gradebook_csv(results):
    """One row per student, columns in a fixed order (``GRADEBOOK_COLUMNS``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(GRADEBOOK_COLUMNS)
    for r in sorted(results, key=lambda r: r.student):
        scores = {a.id: a.score for a in r.assignments}
        if not r.sha256:
            status = "error: " + "; ".join(r.notes)
        elif not any(a.submitted for a in r.assignments):
            status = "not submitted"
        else:
            status = "graded"
        writer.writerow([r.student, *(f"{scores[a]:g}" for a in paths.ASSIGNMENT_IDS), f"{r.score:g}",
                         r.max_score, f"{100 * r.score / r.max_score:.1f}", status, r.sha256])
    return buffer.getvalue()


__all__ = ["grade_paths", "grade_one", "expand", "is_batch", "gradebook_csv", "results_json"]
