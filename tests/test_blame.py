"""Isolation of blame, over every hidden check: a check marked for function f fails only when f
is wrong. For every graded function f, a submission whose every *other* graded function raises
(the reference's f, everything else broken) must pass every check of f: what f needs from its
neighbours is the reference's (``uses=``, ``grader/pipeline/blame.py``). ``grade validate``
proves the same for every catalogued mistake (tests/test_validate.py)."""

import ast

import pytest

from grader.checkapi.support import grading
from grader.mistakes import applied_to
from grader.pipeline import blame
from grader.pipeline.grading import check_files
from grader.pipeline.reference import load_reference
from tests.helpers import grade_source, reference_source

ASSIGNMENTS = [f.stem for f in check_files()]


def graded_functions(assignment):
    """The functions the hidden checks of ``assignment`` grade, with each check's ``uses``."""
    import importlib

    module = importlib.import_module(f"grader.checks.{assignment}")
    found = {}
    for name in dir(module):
        marker = next((m for m in getattr(getattr(module, name), "pytestmark", []) if m.name == "grading"), None)
        if name.startswith("check_") and marker is not None:
            found.setdefault(marker.kwargs["function"], []).append(marker.kwargs)
    return found


def broken_except(assignment, keep):
    """The reference with every graded function but ``keep`` replaced by one that raises."""
    reference = reference_source(assignment)
    defined = {n.name: n for n in ast.parse(reference).body if isinstance(n, ast.FunctionDef)}
    broken = ""
    for function in graded_functions(assignment):
        if function != keep:
            arguments = ast.unparse(defined[function].args)
            broken += f"def {function}({arguments}):\n    raise RuntimeError('broken on purpose')\n\n\n"
    return applied_to(reference, broken)


def test_uses_names_graded_functions_with_a_stand_in():
    for assignment in ASSIGNMENTS:
        functions = graded_functions(assignment)
        for function, checks in functions.items():
            for declared in checks:
                assert function not in declared["uses"], declared["name"]
                for used in declared["uses"]:
                    assert used in functions, f"{assignment}::{declared['name']} uses {used}, which no check grades"
                    compile(blame.stand_in(assignment, used), used, "exec")


def test_a_stand_in_runs_on_its_own():
    source = blame.stand_in("gradient_checking_nd", "gradient_check_n")
    for needed in ("def gradient_check_n", "def dictionary_to_vector", "def _numerical_gradient", "import numpy"):
        assert needed in source
    load_reference("gradient_checking_nd")  # the provided helpers on sys.path, as in the sandbox
    namespace = {}
    exec(compile(source, "stand-in", "exec"), namespace)
    assert callable(namespace["gradient_check_n"])


def test_grading_marker_takes_uses():
    marker = grading("f", "a check", 3, uses="g")
    assert marker.kwargs == {"function": "f", "name": "a check", "points": 3, "uses": ("g",)}
    assert grading("f", "a check", 3).kwargs["uses"] == ()


CASES = [(assignment, function) for assignment in ASSIGNMENTS for function in graded_functions(assignment)]


@pytest.mark.slow
@pytest.mark.parametrize("assignment, function", CASES, ids=[f"{a}::{f}" for a, f in CASES])
def test_every_check_charges_only_its_function(assignment, function):
    result = grade_source(assignment, broken_except(assignment, function))
    charged = {o.name: o.message for o in result.outcomes if o.function == function and not o.passed}
    assert not charged, f"with every other function broken, checks of {function} failed: {charged}"
    others = [o for o in result.outcomes if o.function != function]
    assert others and not any(o.passed for o in others)  # the others really were broken


def test_validate_reports_a_mistake_charged_to_another_function():
    from grader.authoring.validate import Graded, charged_elsewhere, problems, table
    from grader.mistakes import Mistake

    mistake = Mistake("m", "f", "this looks like m.", "def f():\n    return 1\n", ("check_own",))
    graded = Graded(
        "a",
        "mistake",
        "m",
        "f",
        score=90,
        checks={"a.check_own": "f", "a.check_other": "g"},
        failed={"a.check_own": "wrong", "a.check_other": "charged here\nmore"},
    )
    assert charged_elsewhere(graded) == ["a.check_other"]
    assert any(
        "charged to another function: a.check_other (g) fails (charged here)" in line
        for line in problems([graded], [mistake])
    )
    rows = {line.split()[0]: line.split() for line in table([graded], [mistake])}
    assert rows["g"][-1] == "1" and rows["f"][-1] == "0"  # "wrong elsewhere, charged here", per function
    fair = Graded("a", "mistake", "m", "f", score=90, checks=graded.checks, failed={"a.check_own": "wrong"})
    assert not problems([fair], [mistake])
