"""``grade release``: the student bundle holds what a student needs and nothing hidden,
and its ``grade check`` works with no access to the source tree."""

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap

import nbformat
import pytest

from grader import course, paths
from grader.authoring.notebooks import stub_parts
from grader.authoring.release import STUDENT_PACKAGES, find_leaks, solution_bodies
from grader.cli import main

STUBS = [a for a in course.ASSIGNMENT_IDS if (paths.ASSIGNMENTS / f"{a}.py").exists()]
PUBLIC = [a for a in course.ASSIGNMENT_IDS if (paths.PUBLIC_CHECKS / f"{a}.py").exists()]


def _release(tmp_path_factory, expected_outputs):
    out = tmp_path_factory.mktemp("release") / "bundle"
    assert main(["release", "-o", str(out), "--expected-outputs", expected_outputs]) == 0
    return out


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """The bundle without the notebooks' expected outputs (a second to build)."""
    return _release(tmp_path_factory, "none")


@pytest.fixture(scope="module")
def bundle_with_outputs(tmp_path_factory):
    """The bundle with the notebooks run once for their expected outputs (several seconds)."""
    return _release(tmp_path_factory, "fast")


def squash(text):
    return re.sub(r"\s+", " ", text).strip()


def bundle_files(bundle):
    """{relative path: text}; a notebook's text is its cells' sources."""
    texts = {}
    for path in sorted(bundle.rglob("*")):
        if path.is_file():
            if path.suffix == ".ipynb":
                text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
            else:
                text = path.read_bytes().decode("utf-8", "replace")
            texts[path.relative_to(bundle).as_posix()] = text
    return texts


def public_text():
    """What students get anyway: the stubs and the provided helpers of the source tree."""
    return "\n".join(p.read_text() for p in sorted(paths.ASSIGNMENTS.glob("*.py")))


def test_bundle_holds_what_a_student_needs(bundle):
    for assignment in STUBS:
        assert (bundle / "assignments" / f"{assignment}.py").read_text() == (
            paths.ASSIGNMENTS / f"{assignment}.py"
        ).read_text()
        nbformat.validate(nbformat.read(bundle / "notebooks" / f"{assignment}.ipynb", as_version=4))
    for helper in course.helper_files():
        assert (bundle / "assignments" / helper.name).read_bytes() == helper.read_bytes()
    for assignment in PUBLIC:
        assert (bundle / "grader" / "public" / f"{assignment}.py").exists()
        assert (bundle / "grader" / "public" / "expected" / f"{assignment}.frame").exists()
    readme = (bundle / "README.md").read_text()
    for words in ("grade check", "submit", "pip install", ".ipynb", "NotImplementedError"):
        assert words in readme
    assert 'grade = "grader.student.cli:main"' in (bundle / "pyproject.toml").read_text()


def test_the_bundle_ships_the_student_packages_only(bundle):
    shipped = {p.name for p in (bundle / "grader").iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert shipped == STUDENT_PACKAGES
    assert not (bundle / "grader" / "cli.py").exists()  # the instructor's commands stay home
    from grader.student.cli import main as student_main

    assert student_main(["validate"]) == 2


def test_public_expected_values_are_fresh_from_the_reference(bundle):
    from grader.authoring.public_build import expected_frames

    for assignment, frame in expected_frames().items():
        assert (bundle / "grader" / "public" / "expected" / f"{assignment}.frame").read_bytes() == frame


def test_no_solution_and_no_hidden_check_in_the_bundle(bundle):
    files = bundle_files(bundle)
    assert not any(name.startswith("solutions/") for name in files)
    hidden_files = {f"grader/checks/{a}.py" for a in course.ASSIGNMENT_IDS}
    assert not hidden_files & set(files)

    given = public_text()
    squashed_given = squash(given)
    bodies, lines = {}, {}
    for path in sorted(paths.SOLUTIONS.glob("*.py")):
        source = path.read_text()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef):
                body = node.body[1:] if ast.get_docstring(node) is not None else node.body
                text = "\n".join(ast.get_source_segment(source, s) for s in body)
                if body and squash(text) not in squashed_given:
                    bodies[f"{path.stem}.{node.name}"] = squash(text)
                for line in text.splitlines():  # distinctive lines of the reference
                    if (
                        len(line.strip()) >= 30
                        and line.strip() not in given
                        and not line.strip().startswith(("#", '"', "'"))
                    ):
                        lines[line.strip()] = f"{path.stem}.{node.name}"
    assert bodies and lines

    public_checks = "\n".join(p.read_text() for p in paths.PUBLIC_CHECKS.glob("*.py"))
    hidden_names = set()
    for assignment in course.ASSIGNMENT_IDS:
        path = paths.CHECKS / f"{assignment}.py"
        if path.exists():
            text = path.read_text()
            hidden_names |= set(re.findall(r"def (check_\w+)", text))
            hidden_names |= {n for n in re.findall(r"@grading\([^,]+,\s*\"([^\"]{12,})\"", text)}
    hidden_names = {n for n in hidden_names if n not in public_checks and n not in given}
    assert hidden_names

    leaks = []
    for name, text in files.items():
        squashed = squash(text)
        leaks += [f"{name}: body of {f}" for f, body in bodies.items() if body in squashed]
        leaks += [f"{name}: line of {f}: {line}" for line, f in lines.items() if line in text]
        leaks += [f"{name}: hidden check {n!r}" for n in hidden_names if n in text]
    assert not leaks, "\n".join(leaks)


def test_the_leak_scan_would_catch_a_leak(bundle, tmp_path):
    """The release's own scan fails on a bundle with a reference body or a hidden check in it."""
    from grader.authoring.release import find_leaks

    copy = tmp_path / "bundle"
    shutil.copytree(bundle, copy)
    assert find_leaks(copy) == []
    hidden = next(p for p in (paths.CHECKS / f"{a}.py" for a in course.ASSIGNMENT_IDS) if p.exists())
    shutil.copyfile(hidden, copy / "notes.py")
    reference = (paths.SOLUTIONS / "optimization.py").read_text()
    (copy / "assignments" / "optimization.py").write_text(reference)
    leaks = "\n".join(find_leaks(copy))
    assert "hidden check" in leaks and "optimization.py: the body of the reference optimization." in leaks


RUN_GRADE = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, os.getcwd())
    import grader
    assert grader.__file__.startswith(os.getcwd()), "not the bundle's grader: " + grader.__file__
    from grader.student.cli import main  # what the bundle's `grade` runs
    status = main(sys.argv[1:])
    source_tree = os.environ["SOURCE_TREE"] + os.sep
    environments = tuple(p + os.sep for p in {sys.prefix, sys.base_prefix, sys.exec_prefix})
    loaded = [m.__name__ for m in list(sys.modules.values())
              if (getattr(m, "__file__", None) or "").startswith(source_tree)
              and not (getattr(m, "__file__", None) or "").startswith(environments)]  # a .venv in the checkout
    assert not loaded, f"modules of the source tree were imported: {loaded}"
    assert not any(name.startswith("solutions") for name in sys.modules)
    sys.exit(status)
""")


def grade_check_in(bundle, folder, out):
    """``grade check FOLDER -o OUT`` run inside the bundle, isolated from the source tree."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["SOURCE_TREE"] = str(paths.ROOT)
    completed = subprocess.run(
        [sys.executable, "-I", "-c", RUN_GRADE, "check", folder, "-o", out],
        cwd=bundle,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return json.loads(next((bundle / out).rglob("results.json")).read_text()), completed.stdout


def test_grade_check_in_the_bundle_passes_the_reference_and_fails_the_stubs(bundle, tmp_path):
    copy = tmp_path / "student"  # a bundle far from the source tree, as a student has it
    shutil.copytree(bundle, copy)
    shutil.copytree(paths.SOLUTIONS, copy / "reference", ignore=shutil.ignore_patterns("__pycache__"))

    reference, printed = grade_check_in(copy, "reference", "out-reference")
    for assignment in PUBLIC:
        tests = [t for t in reference["tests"] if t["name"].startswith(f"{assignment}::")]
        assert tests and all(t["status"] == "passed" for t in tests), printed

    stubs, printed = grade_check_in(copy, "assignments", "out-stubs")
    for assignment in PUBLIC:
        tests = [t for t in stubs["tests"] if t["name"].startswith(f"{assignment}::")]
        assert tests and all(t["status"] == "failed" for t in tests), printed
        assert stubs["extra_data"]["assignments"][assignment]["score"] == 0

    notebooks, printed = grade_check_in(copy, "notebooks", "out-notebooks")  # the notebooks are stubs too
    for assignment in PUBLIC:
        assert notebooks["extra_data"]["assignments"][assignment]["source"] == f"{assignment}.ipynb"
        assert notebooks["extra_data"]["assignments"][assignment]["score"] == 0


def test_release_refuses_a_folder_that_is_not_a_bundle(tmp_path, capsys):
    folder = tmp_path / "precious"
    folder.mkdir()
    (folder / "thesis.tex").write_text("...")
    assert main(["release", "-o", str(folder)]) == 2
    assert "precious" in capsys.readouterr().err
    assert (folder / "thesis.tex").exists()


def test_release_replaces_an_earlier_bundle(tmp_path):
    out = tmp_path / "bundle"
    assert main(["release", "-o", str(out), "--expected-outputs", "none"]) == 0
    (out / "assignments" / "stale.py").write_text("x = 1\n")
    assert main(["release", "-o", str(out), "--expected-outputs", "none"]) == 0
    assert not (out / "assignments" / "stale.py").exists()
    assert not list(tmp_path.glob(".release-*"))  # no work folder left behind


@pytest.mark.slow
def test_notebooks_show_the_expected_output_of_each_check_and_figure(bundle_with_outputs):
    """Computed from the reference when the bundle is built, stored as outputs, never as code."""
    bundle = bundle_with_outputs
    for assignment in STUBS:
        notebook = nbformat.read(bundle / "notebooks" / f"{assignment}.ipynb", as_version=4)
        cells = [c for c in notebook.cells if c.cell_type == "code"]
        for cell in cells:
            tags = cell.metadata.get("tags", [])
            if "graded" in tags or "setup" in tags:
                assert not cell.outputs, f"{assignment}: {tags} cell with outputs"
            if "graded" in tags:  # still the stub
                assert cell.source == next(
                    code for name, code in stub_parts(assignment)[2] if name == cell.metadata.grader.function
                )
            assert all(o.output_type != "error" for o in cell.outputs)
        checks = [c for c in cells if "check" in c.metadata.get("tags", [])]
        assert checks and all(c.outputs for c in checks), assignment
        printed = "".join(o.get("text", "") for c in checks for o in c.outputs)
        assert "✔" in printed and "✘" not in printed and "public checks passed" in printed
        assert any(o.output_type == "display_data" and "image/png" in o.data for c in cells for o in c.outputs), (
            f"{assignment}: no expected figure"
        )
        assert any("expected ones" in c.source for c in notebook.cells if c.cell_type == "markdown")
    assert find_leaks(bundle) == []


def test_the_leak_scan_reads_notebook_outputs(bundle, tmp_path):
    copy = tmp_path / "bundle"
    shutil.copytree(bundle, copy)
    path = copy / "notebooks" / f"{STUBS[0]}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    body = next(iter(solution_bodies().values()))
    cell = next(c for c in notebook.cells if "check" in c.metadata.get("tags", []))
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=body)]
    nbformat.write(notebook, str(path))
    assert any("notebooks/" in leak for leak in find_leaks(copy))


@pytest.mark.slow
def test_grade_check_in_the_bundle_gives_the_catalogues_hint(bundle, tmp_path):
    """The catalogue is not in the bundle; its hints are, as stored outputs on the public inputs."""
    from grader.mistakes import applied_to, catalogue

    copy = tmp_path / "student"
    shutil.copytree(bundle, copy)
    catalogue_folder = copy / "grader" / "mistakes"
    assert not catalogue_folder.exists() or [p.name for p in catalogue_folder.glob("*.py")] == ["__init__.py"]
    mistake = next(e for e in catalogue("optimization") if e.name == "adam_no_bias_correction")
    (copy / "assignments" / "optimization.py").write_text(
        applied_to((paths.SOLUTIONS / "optimization.py").read_text(), mistake.source)
    )
    results, printed = grade_check_in(copy, ".", "out")
    assert "Checking assignments/ and notebooks/" in printed
    failed = [t for t in results["tests"] if t["status"] == "failed" and t["name"].startswith("optimization::")]
    assert [t["name"].split("::")[1] for t in failed] == ["update_parameters_with_adam"]
    assert failed[0]["mistake"] == mistake.name and failed[0]["output"].endswith("Hint: " + mistake.hint)
    assert "Hint: " + mistake.hint in printed
