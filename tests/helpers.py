"""Shared helpers of the project's own tests."""

import functools
from pathlib import Path

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
