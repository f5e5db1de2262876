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
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission; it always writes /autograder/results/results.json.
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


def build_autograder(out, assignments=()):
    """Write the autograder zip to ``out``; return the exit status."""
    unknown = [a for a in assignments if a not in course.ASSIGNMENT_IDS]
    if unknown:
        print(f"grade gradescope: error: unknown assignment {', '.join(unknown)}; one of "
              f"{', '.join(course.ASSIGNMENT_IDS)}", file=sys.stderr)
        return 2
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("setup.sh", SETUP), ("run_autograder", RUN)):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o100755 << 16
            archive.writestr(info, text, zipfile.ZIP_DEFLATED)
        archive.writestr(CONFIG, json.dumps({"assignments": list(assignments)}) + "\n")
        for file, name in _files():
            archive.write(file, name)
    temporary.replace(out)
    print(f"wrote {out}: upload it as the autograder of a Gradescope programming assignment"
          + (f" (scoring {', '.join(assignments)})" if assignments else " (scoring all the course's assignments)"))
    return 0


def run_on_gradescope(root):
    """Grade ``root/submission`` and write ``root/results/results.json`` (Gradescope's layout)."""
    from grader.batch.run import grade_paths
    from grader.report.output import safe_name, write_atomic

    root = Path(root)
    student = _student(root / "submission_metadata.json")
    config = paths.ROOT / CONFIG
    chosen = json.loads(config.read_text())["assignments"] if config.exists() else []
    with tempfile.TemporaryDirectory() as out:
        status = grade_paths([root / "submission"], out, student=student, jobs=1)
        try:
            document = json.loads((Path(out) / safe_name(student) / "results.json").read_text())
        except (OSError, ValueError):
            document = {"score": 0, "output": "The autograder failed before it could grade this "
                                              "submission (our bug, not yours); please tell the course staff.",
                        "tests": []}
    if chosen and document.get("tests") is not None and "extra_data" in document:
        document = _only(document, chosen)
    write_atomic(root / "results" / "results.json", json.dumps(document, indent=2) + "\n")
    return 0 if status in (0, 1) else status


def _only(document, chosen):
    """``document`` scored on the ``chosen`` assignments only."""
    scores = document["extra_data"]["assignments"]
    return {**document,
            "score": round(sum(scores[a]["score"] for a in chosen), 6),
            "max_score": sum(scores[a]["max_score"] for a in chosen),
            "tests": [t for t in document["tests"] if t["name"].split("::")[0] in chosen]}


def _student(metadata):
    try:
        users = json.loads(metadata.read_text()).get("users") or [{}]
        return users[0].get("name") or users[0].get("email") or "student"
    except (OSError, ValueError, AttributeError):
        return "student"


if __name__ == "__main__":
    sys.exit(run_on_gradescope(sys.argv[1] if len(sys.argv) > 1 else "/autograder"))
