"""Adding an assignment touches no engine file: a sixth assignment (``activations``: ``relu``
and its backward pass) is added to a temporary copy of the project as data and course files
only (its entry in ``assignments/assignments.toml``, stub, reference, hidden and public checks,
one catalogued mistake), and ``grade``, the class summary, ``grade release`` and
``grade validate`` all take it in."""

import csv
import json
import shutil
import subprocess
import sys
import textwrap

import pytest

from grader import paths

pytestmark = pytest.mark.slow

DOC = '''"""ReLU and its derivative.

    relu(Z) = max(Z, 0)                    Z, A : ndarray of shape (n, m)
    relu_backward(dA, Z) = dA * (Z > 0)    dZ   : ndarray of shape (n, m)
"""
'''
STUB = DOC + textwrap.dedent('''
    import numpy as np


    def relu(Z):
        """A = max(Z, 0), elementwise."""
        raise NotImplementedError


    def relu_backward(dA, Z):
        """dZ = dA where Z > 0, else 0."""
        raise NotImplementedError
''')
SOLUTION = DOC + textwrap.dedent('''
    import numpy as np


    def relu(Z):
        """A = max(Z, 0), elementwise."""
        return np.maximum(Z, 0)


    def relu_backward(dA, Z):
        """dZ = dA where Z > 0, else 0."""
        return dA * (Z > 0)
''')
HIDDEN = textwrap.dedent('''
    """Hidden checks of ``activations``."""

    import numpy as np
    from hypothesis import strategies as st

    from grader.checkapi.support import assert_close, given, grading

    ASSIGNMENT = "activations"
    shapes = st.tuples(st.integers(1, 4), st.integers(1, 5))


    @grading("relu", "max(Z, 0) on drawn arrays", 50)
    @given(shape=shapes, seed=st.integers(0, 100))
    def check_relu(student, reference, shape, seed):
        Z = np.random.default_rng(seed).standard_normal(shape)
        assert_close(student.relu(Z), reference.relu(Z), "relu(Z)")


    @grading("relu_backward", "dA * (Z > 0) on drawn arrays", 50)
    @given(shape=shapes, seed=st.integers(0, 100))
    def check_relu_backward(student, reference, shape, seed):
        rng = np.random.default_rng(seed)
        dA, Z = rng.standard_normal(shape), rng.standard_normal(shape)
        assert_close(student.relu_backward(dA, Z), reference.relu_backward(dA, Z), "relu_backward(dA, Z)")
''')
PUBLIC = textwrap.dedent('''
    """Public checks of ``activations``."""

    import numpy as np

    from grader.checkapi.support import Case, assert_close, grading

    ASSIGNMENT = "activations"
    Z = np.array([[-1.0, 2.0], [0.5, -3.0]])
    CASES = {"relu": Case("relu", Z), "backward": Case("relu_backward", np.ones((2, 2)), Z)}


    @grading("relu", "a 2 x 2 example", 50)
    def check_relu(student, expected):
        assert_close(CASES["relu"].run(student), expected["relu"], "relu(Z)")


    @grading("relu_backward", "a 2 x 2 example", 50)
    def check_relu_backward(student, expected):
        assert_close(CASES["backward"].run(student), expected["backward"], "relu_backward(ones, Z)")
''')
MISTAKES = textwrap.dedent('''
    from grader.mistakes import Mistake, Variant

    CATALOGUE = [
        Mistake("backward_ignores_sign", "relu_backward", "this looks like dA returned unmasked",
                """
                def relu_backward(dA, Z):
                    return dA
                """, ("check_relu_backward",)),
        Variant("relu_where", "relu", """
                def relu(Z):
                    return np.where(Z > 0, Z, 0.0)
                """),
    ]
''')


def _copy_project(target):
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", "grades", "self-check", "*.egg-info")
    shutil.copytree(paths.ROOT, target, ignore=ignore)
    (target / "assignments" / "activations.py").write_text(STUB)
    (target / "solutions" / "activations.py").write_text(SOLUTION)
    (target / "grader" / "checks" / "activations.py").write_text(HIDDEN)
    (target / "grader" / "public" / "activations.py").write_text(PUBLIC)
    (target / "grader" / "mistakes" / "activations.py").write_text(MISTAKES)
    with open(target / "assignments" / "assignments.toml", "a") as manifest:
        manifest.write('\n[[assignment]]\nid = "activations"\ntitle = "Activations: ReLU and its derivative"\n')


def _grade(project, *args):
    return subprocess.run(
        [sys.executable, "-m", "grader.cli", *args], cwd=project, capture_output=True, text=True, timeout=600
    )


def test_a_sixth_assignment_needs_no_engine_change(tmp_path):
    project = tmp_path / "project"
    _copy_project(project)
    built = subprocess.run(
        [sys.executable, "-m", "grader.authoring.public_build"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr

    klass = tmp_path / "class"
    (klass / "ann").mkdir(parents=True)
    (klass / "ann" / "activations.py").write_text(SOLUTION)
    (klass / "bob").mkdir()
    (klass / "bob" / "activations.py").write_text(STUB)
    run = _grade(project, str(klass), "-o", str(tmp_path / "grades"), "-j", "1")
    assert run.returncode == 0, run.stdout + run.stderr
    ann = json.loads((tmp_path / "grades" / "ann" / "results.json").read_text())
    assert ann["extra_data"]["assignments"]["activations"]["score"] == 100
    assert ann["max_score"] == 600 and ann["score"] == 100
    bob = json.loads((tmp_path / "grades" / "bob" / "results.json").read_text())
    assert bob["extra_data"]["assignments"]["activations"]["score"] == 0
    with open(tmp_path / "grades" / "gradebook.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    assert {r["student"]: r["activations"] for r in rows} == {"ann": "100", "bob": "0"}
    assert "activations" in (tmp_path / "grades" / "summary.html").read_text()

    released = _grade(project, "release", "-o", str(tmp_path / "bundle"))
    assert released.returncode == 0, released.stderr
    assert (tmp_path / "bundle" / "assignments" / "activations.py").read_text() == STUB
    assert (tmp_path / "bundle" / "notebooks" / "activations.ipynb").exists()
    assert (tmp_path / "bundle" / "grader" / "public" / "expected" / "activations.frame").exists()

    validated = _grade(project, "validate", "--assignment", "activations")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "activations" in validated.stdout
