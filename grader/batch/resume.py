"""Resuming a batch: which submissions already have a result that is still valid.

A submission is done when ``OUT/<student>/results.json`` exists (it is written last and
atomically, so its presence means the whole folder is written) and records the same
student, the same submission content hash, the same grader version and the same
grading suite (a hash of the grader's code, checks, reference solutions, provided
helpers and templates, and of the hypothesis and numpy versions), and no failure of the
grader itself. Anything else is graded again, so a rerun of an interrupted batch grades
exactly what is missing or changed.
"""

import functools
import hashlib
import json
from pathlib import Path

from grader import __version__, paths
from grader.report.output import safe_name

SUITE_PARTS = ("grader", "solutions", "assignments", "templates")


# Libraries whose version can change a grade: hypothesis decides the inputs drawn, numpy the
# reference's floating-point results.
SUITE_LIBRARIES = ("hypothesis", "numpy")


@functools.lru_cache(maxsize=1)
def suite_digest():
    """A hash of everything that decides a grade or a report, besides the submission."""
    from importlib.metadata import PackageNotFoundError, version

    from grader.checkapi.secret import fingerprint

    digest = hashlib.sha256(__version__.encode())
    digest.update(f"secret {fingerprint()}\0".encode())  # the secret cases (checkapi/secret.py)
    for library in SUITE_LIBRARIES:
        try:
            digest.update(f"{library} {version(library)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{library} ?\0".encode())
    for folder in SUITE_PARTS:
        for file in sorted((paths.ROOT / folder).rglob("*")):
            parts = file.relative_to(paths.ROOT).parts
            if file.is_file() and "__pycache__" not in parts and not any(p.startswith(".") for p in parts):
                digest.update(file.relative_to(paths.ROOT).as_posix().encode() + b"\0")
                digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()


def stamp(result, suite=None, grader_failure=None):
    """``result`` with what a later run needs to trust it in ``extra_data``: the grading
    suite (``suite``, default this process's) and the checks on which the grader failed."""
    from dataclasses import replace

    extra = {
        **result.extra,
        "grading_suite": suite or suite_digest(),
        "grader_errors": [o.test_name for o in result.grader_errors],
    }
    if grader_failure:
        extra["grader_failure"] = grader_failure
    return replace(result, extra=extra)


def results_path(out, student):
    return Path(out) / safe_name(student) / "results.json"


def read_results(out, student, folder=None):
    """The parsed ``results.json`` of ``student`` in ``out`` (in ``OUT/<folder>`` when given:
    see ``report.names.folders``), or None when absent or unreadable."""
    path = Path(out) / folder / "results.json" if folder else results_path(out, student)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return document if isinstance(document, dict) else None


def still_valid(document, student, sha256):
    """True when ``document`` (a results.json) is the current grade of this submission."""
    extra = (document or {}).get("extra_data", {})
    return (
        bool(sha256)
        and extra.get("student") == student
        and extra.get("submission_sha256") == sha256
        and extra.get("grader_version") == __version__
        and extra.get("grading_suite") == suite_digest()
        and not extra.get("grader_errors")
        and not extra.get("grader_failure")
    )
