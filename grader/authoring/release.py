"""``grade release -o DIR``: the bundle handed to students (SPEC §5).

    DIR/README.md              how to work, how to self-check, what to submit
    DIR/pyproject.toml         ``pip install -e .`` gives the ``grade`` command
    DIR/assignments/           the stubs, the provided helpers, the data sets (``data_utils``)
    DIR/notebooks/<id>.ipynb   one notebook per assignment, generated from the stubs
    DIR/grader/                the student packages of the engine, the public checks and their
                               expected values; ``grade`` is the student command line
    DIR/templates/             the report templates

``grade check`` in the bundle needs no solution code: the public checks' expected values
are computed from the reference now (``grader.authoring.public_build``) and stored as data.
The rule is by package: ``STUDENT_PACKAGES`` ship; the hidden checks (``checks/``), the
catalogue of known mistakes (``mistakes/``), the authoring tools, the batch machinery and the
instructor's command line do not, nor do the solutions. Before it finishes, the build scans
every file of the bundle for the reference's function bodies and the hidden checks' names,
and fails if one is there.
"""

import ast
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

import jinja2

from grader import __version__, course, paths

MARKER = "release.json"  # names a folder as a bundle, so a rebuild may replace it
# The packages of grader/ a student gets (with the top-level modules but the instructor's
# cli.py); never checks/ (hidden), mistakes/ (the catalogue), authoring/, batch/ or similarity/.
STUDENT_PACKAGES = {"sandbox", "pipeline", "checkapi", "public", "report", "student"}
INSTRUCTOR_MODULES = {"cli.py"}
EXPECTED_OUTPUTS = ("full", "fast", "none")  # the notebooks' expected outputs: course-length runs, short runs, none

PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "dnn-assignments"
version = "{version}"
description = "Improving Deep Neural Networks: the assignments, with their self-check"
requires-python = ">=3.10"
dependencies = ["numpy>=1.24", "pytest>=7.4", "hypothesis>=6.80", "jinja2>=3.1"]

[project.optional-dependencies]
notebooks = ["notebook>=7", "ipykernel>=6.20", "matplotlib>=3.7"]

[project.scripts]
grade = "grader.student.cli:main"

[tool.setuptools.packages.find]
include = ["grader*"]
"""


def build_release(out, expected_outputs="full"):
    """Build the bundle in ``out``; returns the exit status (0, 1 failed, 2 usage error).
    ``expected_outputs``: run each notebook with the reference and store its outputs ("full":
    the course's training lengths, a few minutes; "fast": ``FAST = True``; "none": no outputs)."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        print(
            f"grade release: error: {out} exists and is not an earlier bundle; choose a new folder or remove it.",
            file=sys.stderr,
        )
        return 2
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".release-", dir=out.parent))
    try:
        from grader.report.filemodes import folder_mode

        work.chmod(folder_mode())  # mkdtemp's 0700 would hide the bundle from everyone else
        build_into(work, expected_outputs)
        leaks = find_leaks(work)
        if leaks:
            print(
                "grade release: error: the bundle would leak hidden material:\n  " + "\n  ".join(leaks), file=sys.stderr
            )
            return 1
        if out.exists():
            shutil.rmtree(out)
        work.rename(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"Wrote the student bundle to {out}")
    return 0


def build_into(bundle, expected_outputs="none"):
    from grader.authoring import public_build as build
    from grader.authoring.notebooks import write_notebooks

    stubs = [a for a in course.ASSIGNMENT_IDS if (paths.ASSIGNMENTS / f"{a}.py").exists()]
    _copy_files([paths.ASSIGNMENTS / f"{a}.py" for a in stubs] + course.helper_files(), bundle / "assignments")
    _copy_grader(bundle / "grader")
    shutil.copytree(
        paths.TEMPLATES, bundle / "templates", ignore=shutil.ignore_patterns("student_README.md", "__pycache__")
    )
    build.main([str(bundle / "grader" / "public" / "expected")])  # fresh from the reference
    write_notebooks(bundle / "notebooks", stubs=bundle / "assignments")
    if expected_outputs != "none":
        from grader.authoring.notebook_outputs import add_expected_outputs

        print(f"Running the notebooks with the reference for their expected outputs ({expected_outputs})...")
        add_expected_outputs(bundle / "notebooks", fast=expected_outputs == "fast")
    (bundle / "README.md").write_text(_readme(stubs), encoding="utf-8")
    (bundle / "pyproject.toml").write_text(PYPROJECT.format(version=__version__), encoding="utf-8")
    (bundle / MARKER).write_text(
        json.dumps({"grader_version": __version__, "assignments": stubs}, indent=2) + "\n", encoding="utf-8"
    )


def _copy_files(files, folder):
    folder.mkdir(parents=True, exist_ok=True)
    for file in files:
        shutil.copyfile(file, folder / file.name)


def _copy_grader(target):
    """The student packages of the engine (``STUDENT_PACKAGES``), without the stored expected
    values (built fresh) and with the student command line only."""
    source = paths.ROOT / "grader"

    def ignore(folder, names):
        folder = Path(folder)
        left_out = {n for n in names if n == "__pycache__" or n.endswith(".pyc")}
        if folder == source:
            left_out |= {n for n in names if (source / n).is_dir() and n not in STUDENT_PACKAGES}
            left_out |= INSTRUCTOR_MODULES & set(names)
        elif folder == paths.PUBLIC_CHECKS:
            left_out.add("expected")
        return left_out

    shutil.copytree(source, target, ignore=ignore)


def _readme(stubs):
    from grader.authoring.notebooks import stub_parts

    assignments = [{"id": a, "functions": [n for n, _ in stub_parts(a)[2] if not n.startswith("_")]} for a in stubs]
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(paths.TEMPLATES), keep_trailing_newline=True)
    return environment.get_template("student_README.md").render(assignments=assignments, ids=stubs)


# -- what must never reach a student -------------------------------------------------


def _squash(text):
    return re.sub(r"\s+", " ", text).strip()


def solution_bodies():
    """``{"<id>.<function>": body text}`` of every reference function (docstring left out),
    but for bodies ``assignments/`` already holds (students get those anyway: a stub's
    planted-bug code, or a provided helper that does the same, like ``nn_utils``'s He
    initialisation)."""
    public = _squash("\n".join(p.read_text(encoding="utf-8") for p in sorted(paths.ASSIGNMENTS.glob("*.py"))))
    bodies = {}
    for path in sorted(paths.SOLUTIONS.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                body = node.body[1:] if ast.get_docstring(node) is not None else node.body
                if body:
                    text = _squash("\n".join(ast.get_source_segment(source, s) for s in body))
                    if text and text not in public:
                        bodies[f"{path.stem}.{node.name}"] = text
    return bodies


def hidden_check_names():
    """The hidden checks' function names and check names that no public file shares."""
    public = "\n".join(p.read_text(encoding="utf-8") for p in sorted(paths.PUBLIC_CHECKS.glob("*.py")))
    public += "\n".join(p.read_text(encoding="utf-8") for p in sorted(paths.ASSIGNMENTS.glob("*.py")))
    hidden = set()
    for assignment in course.ASSIGNMENT_IDS:
        path = paths.CHECKS / f"{assignment}.py"
        if path.exists():
            text = path.read_text(encoding="utf-8")
            hidden |= set(re.findall(r"def (check_\w+)", text))
            hidden |= set(re.findall(r"@grading\([^,]+,\s*\"([^\"]{12,})\"", text))
    return {name for name in hidden if name not in public}


def bundle_texts(bundle):
    """``{relative path: text}`` of every file of the bundle (a notebook's cells joined)."""
    texts = {}
    for path in sorted(Path(bundle).rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            text = data.decode("utf-8", "replace")
            if path.suffix == ".ipynb":
                cells = json.loads(text)["cells"]
                text = "\n".join(_joined(c["source"]) for c in cells)
                text += "\n" + "\n".join(
                    _joined(o.get("text", ""))
                    + _joined(o.get("evalue", ""))
                    + "".join(_joined(o.get("traceback", [])))
                    + _joined(o.get("data", {}).get("text/plain", ""))
                    for c in cells
                    for o in c.get("outputs", [])
                )
            texts[path.relative_to(bundle).as_posix()] = text
    return texts


def _joined(text):
    return "".join(text) if isinstance(text, list) else str(text)


def find_leaks(bundle):
    """What of the solutions or the hidden checks a built bundle contains, in words."""
    leaks, bodies, names = [], solution_bodies(), hidden_check_names()
    for relative, text in bundle_texts(bundle).items():
        squashed = _squash(text)
        leaks += [f"{relative}: the body of the reference {f}" for f, b in bodies.items() if b in squashed]
        leaks += [f"{relative}: the hidden check {n!r}" for n in sorted(names) if n in text]
        hidden_file = relative.startswith(("solutions/", "grader/mistakes/", "grader/checks/", "grader/authoring/"))
        if hidden_file:
            leaks.append(f"{relative}: a hidden file")
    return leaks
