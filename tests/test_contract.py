"""Stubs and references stay in step (same functions, signatures, docstrings), the stubs
do nothing but raise, and the public checks' stored expected values match the reference."""

import ast

import pytest

from grader import course, paths
from grader.authoring.public_build import expected_frames
from grader.pipeline.reference import EXPECTED, load_expected
from tests.helpers import same_values

PRESENT = [
    a
    for a in course.ASSIGNMENT_IDS
    if (paths.ASSIGNMENTS / f"{a}.py").exists() and (paths.SOLUTIONS / f"{a}.py").exists()
]
# Functions a stub ships with a body on purpose (SPEC §3: planted bugs to find).
SHIPPED_WITH_A_BODY = {("gradient_checking_nd", "backward_propagation_n")}


def functions(path):
    """The public top-level functions of a module (private helpers may differ)."""
    tree = ast.parse(path.read_text())
    return {
        node.name: node for node in tree.body if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    }


@pytest.mark.parametrize("assignment", PRESENT)
def test_stub_and_reference_share_signatures_and_docstrings(assignment):
    stub = functions(paths.ASSIGNMENTS / f"{assignment}.py")
    reference = functions(paths.SOLUTIONS / f"{assignment}.py")
    assert set(stub) == set(reference)
    for name in stub:
        assert ast.dump(stub[name].args) == ast.dump(reference[name].args), f"{assignment}.{name} signature"
        assert ast.get_docstring(stub[name]) == ast.get_docstring(reference[name]), f"{assignment}.{name} docstring"
        assert ast.get_docstring(stub[name]), f"{assignment}.{name} has no docstring"
        assert "Notes" in ast.get_docstring(stub[name]), f"{assignment}.{name} docstring has no Notes section"


@pytest.mark.parametrize("assignment", PRESENT)
def test_stub_bodies_only_raise(assignment):
    for name, node in functions(paths.ASSIGNMENTS / f"{assignment}.py").items():
        if (assignment, name) in SHIPPED_WITH_A_BODY:
            continue
        body = node.body[1:]  # after the docstring
        assert len(body) == 1 and isinstance(body[0], ast.Raise), f"{assignment}.{name} has a body"
        assert "NotImplementedError" in ast.unparse(body[0])


def test_public_expected_values_are_up_to_date(tmp_path):
    frames = expected_frames()
    assert frames, "no public checks found"
    for assignment, frame in frames.items():
        (tmp_path / f"{assignment}.frame").write_bytes(frame)
        stored = EXPECTED / f"{assignment}.frame"
        assert stored.exists() and same_values(load_expected(assignment), load_expected(assignment, tmp_path)), (
            f"{stored} is stale: run `python -m grader.authoring.public_build`"
        )
