"""``grade gradescope -o autograder.zip``: this grader as a Gradescope autograder.

The zip holds the project (engine, hidden checks, reference solutions, provided helpers,
templates) with ``setup.sh`` (installs it into a virtual environment) and
``run_autograder`` (Gradescope runs it for each submission: ``python -m grader.batch.gradescope``
grades ``/autograder/submission`` and writes ``/autograder/results/results.json``).
With ``--assignment ID`` (repeatable) the Gradescope score covers those assignments only
(100 points each): one Gradescope assignment per course assignment.
"""

import json
import sys
import tempfile
import zipfile
from pathlib import Path

from grader import course, paths

SOURCES = ("pyproject.toml", "README.md", "grader", "solutions", "assignments", "templates")
CONFIG = "gradescope.json"

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, when the autograder image is built.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq python3 python3-venv python3-pip bubblewrap
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install -q --upgrade pip
/autograder/venv/bin/pip install -q -e /autograder/source
# One grading of the reference now, so that every submission's run finds the reference's side of
# the checks and the traces of the driven runs on disk (this grading suite's cache folder).
cd /autograder/source && GRADER_SECRET_FILE=/autograder/source/course_secret \
  /autograder/venv/bin/python -m grader.cli solutions -o /tmp/reference-grades >/dev/null 2>&1 || true
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission; it always writes /autograder/results/results.json.
# The course secret of the machine that built the zip: the same secret cases on every regrade.
export GRADER_SECRET_FILE=/autograder/source/course_secret
cd /autograder/source && exec /autograder/venv/bin/python -m grader.batch.gradescope /autograder
"""


def _files():
    for name in SOURCES:
        path = paths.ROOT / name
        found = [path] if path.is_file() else sorted(path.rglob("*"))
        for file in found:
            parts = file.relative_to(paths.ROOT).parts
            if file.is_file() and "__pycache__" not in parts and not any(p.startswith(".") for p in parts):
                yield file, "/".join(parts)


COURSE = "course.toml"


def build_autograder(out, assignments=(), course_file=None):
    """Write the autograder zip to ``out``; return the exit status. ``course_file`` (a course
    file's path) goes with it, without its roster: assignments, weights, due dates, late
    penalties, extensions, adjustments and ``[gradescope] check_output`` apply on Gradescope."""
    unknown = [a for a in assignments if a not in course.ASSIGNMENT_IDS]
    if unknown:
        print(
            f"grade gradescope: error: unknown assignment {', '.join(unknown)}; one of "
            f"{', '.join(course.ASSIGNMENT_IDS)}",
            file=sys.stderr,
        )
        return 2
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("setup.sh", SETUP), ("run_autograder", RUN)):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o100755 << 16
            archive.writestr(info, text, zipfile.ZIP_DEFLATED)
        archive.writestr(
            CONFIG, json.dumps({"assignments": list(assignments), "course": COURSE if course_file else None}) + "\n"
        )
        if course_file:
            archive.writestr(COURSE, Path(course_file).read_text(encoding="utf-8"))
        from grader.checkapi.secret import course_secret

        archive.writestr("course_secret", course_secret() + b"\n")  # the zip is the instructor's, like solutions/
        for file, name in _files():
            archive.write(file, name)
    temporary.replace(out)
    print(
        f"wrote {out}: upload it as the autograder of a Gradescope programming assignment"
        + (f" (scoring {', '.join(assignments)})" if assignments else " (scoring all the course's assignments)")
        + (f", with the course file {course_file}" if course_file else "")
    )
    return 0


def run_on_gradescope(root):
    """Grade ``root/submission`` and write ``root/results/results.json`` (Gradescope's layout)."""
    from grader.batch.gradescope_results import for_gradescope
    from grader.batch.run import grade_paths
    from grader.report.output import write_atomic

    root = Path(root)
    student = _student(root / "submission_metadata.json")
    submitted_at = _submitted_at(root / "submission_metadata.json")
    config = _config()
    rules = _course(config.get("assignments") or [], config.get("course"))
    with tempfile.TemporaryDirectory() as out:
        status = grade_paths(
            [_submission(root / "submission")],
            out,
            student=student,
            jobs=1,
            course=rules,
            submitted_at={student: submitted_at} if submitted_at else None,
        )
        try:  # the only student's (its folder: report.names.folders)
            document = json.loads(next(Path(out).glob("*/results.json")).read_text())
        except (StopIteration, OSError, ValueError):
            document = None
        if document is None:
            document = {
                "score": 0,
                "output": "The autograder failed before it could grade this "
                "submission (our bug, not yours); please tell the course staff.",
                "tests": [],
            }
    if "extra_data" in document:
        document = for_gradescope(document, rules.check_output if rules else "visible")
    write_atomic(root / "results" / "results.json", json.dumps(document, indent=2) + "\n")
    return 0 if status in (0, 1) else status


def _config():
    """What ``build_autograder`` recorded: ``{"assignments": [...], "course": file name or None}``."""
    config = paths.ROOT / CONFIG
    return json.loads(config.read_text()) if config.exists() else {}


def _course(chosen, name):
    """The course on Gradescope: the bundled course file (without its roster), scoring only
    the ``chosen`` assignments when ``--assignment`` was given."""
    from dataclasses import replace

    from grader.batch.course_file import Course, parse_course

    path = Path(name) if name and Path(name).is_absolute() else paths.ROOT / (name or "")
    rules = parse_course(path, with_roster=False) if name else None
    if chosen:
        base = rules or Course()
        rules = replace(base, weights={a: base.weight(a) for a in chosen})
    return rules


def _submission(folder):
    """What to grade: the submission folder, or the one zip a student uploaded in it (so that
    a broken archive is reported as such, not as missing files)."""
    try:
        found = [p for p in folder.iterdir() if not p.name.startswith(".")]
    except OSError:
        return folder
    code = [p for p in found if p.suffix in (".py", ".ipynb") or p.is_dir()]
    zips = [p for p in found if p.suffix == ".zip"]
    return zips[0] if len(zips) == 1 and not code else folder


def _submitted_at(metadata):
    """The submission time of Gradescope's ``submission_metadata.json`` (``created_at``)."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(json.loads(metadata.read_text())["created_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _student(metadata):
    try:
        users = json.loads(metadata.read_text()).get("users") or [{}]
        return users[0].get("name") or users[0].get("email") or "student"
    except (OSError, ValueError, AttributeError):
        return "student"


if __name__ == "__main__":
    sys.exit(run_on_gradescope(sys.argv[1] if len(sys.argv) > 1 else "/autograder"))
