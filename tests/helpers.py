"""Shared helpers of the project's own tests."""

import functools
from pathlib import Path

import numpy as np

from grader import paths
from grader.pipeline.grading import grade_submission
from grader.pipeline.submission import StudentFile, Submission


def grade_source(assignment, source, public=False, student="tester"):
    """Grade ``source`` as the student's ``<assignment>.py``; return its AssignmentResult."""
    submission = Submission(student, "test", {assignment: StudentFile(assignment, f"{assignment}.py", source)})
    result = grade_submission(submission, public=public)
    return next(a for a in result.assignments if a.id == assignment)


@functools.cache
def reference_source(assignment):
    return (paths.SOLUTIONS / f"{assignment}.py").read_text()


@functools.cache
def stub_source(assignment):
    return (paths.ASSIGNMENTS / f"{assignment}.py").read_text()


def failed(result):
    """{check id: message} of the checks that failed."""
    return {o.check_id: o.message for o in result.outcomes if not o.passed}


def replace_function(source, name, new_definition):
    """``source`` with the top-level function ``name`` replaced by ``new_definition``."""
    import ast

    tree = ast.parse(source)
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    lines = source.splitlines()
    start = node.lineno - 1 - len(node.decorator_list)
    return "\n".join(lines[:start] + new_definition.strip("\n").splitlines() + lines[node.end_lineno :]) + "\n"


HERE = Path(__file__).parent


class CallsByName:
    """``student.f(*args)`` for ``student.call("f", *args)``, as the ``student`` fixture offers
    it: for the test doubles that stand for a student's module."""

    def __getattr__(self, function):
        if function.startswith("_"):
            raise AttributeError(function)
        return lambda *args, **kwargs: self.call(function, *args, **kwargs)


def same_values(a, b):
    """Equal structure and values within 1e-12 relative (the last bit of a float may differ
    between numpy/BLAS builds and CPUs; the public checks compare with far looser tolerances; NaN
    equals NaN)."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same_values(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return isinstance(b, type(a)) and len(a) == len(b) and all(map(same_values, a, b))
    if isinstance(a, (float, np.ndarray)) or isinstance(b, (float, np.ndarray)):
        return np.shape(a) == np.shape(b) and bool(np.allclose(a, b, rtol=1e-12, atol=1e-15, equal_nan=True))
    return a == b
