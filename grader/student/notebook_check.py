"""The public checks inside a notebook: ``check("f")`` after the cell that defines ``f``.

    from grader.student.notebook_check import checker
    check = checker("initialization", globals())
    check("initialize_parameters_zeros")

Runs the public checks (``grader/public/<id>.py``) of one graded function against the
functions defined in the running notebook, with the same expected values and the same
messages as ``grade check``. It runs the student's own code in the kernel, with no
sandbox and no time limit (the student can interrupt a cell); arguments and results still
cross as plain data (``sandbox/wire.py``), so a check sees exactly what the grader would.
"""

import importlib
import importlib.util
import inspect
import traceback

from grader import paths
from grader.pipeline.runner import outcome_from_exception
from grader.results import CheckOutcome, check_id
from grader.sandbox import wire
from grader.sandbox.session import StudentError


def plain(value):
    """``value`` as it would come back from the sandbox (a copy, in plain data)."""
    return wire.read_bytes(wire.encode(value))


class _Namespace:
    """The notebook's globals as a module-like object (the ``impl=`` of the provided models)."""

    def __init__(self, namespace):
        self.__dict__["_ns"] = namespace

    def __getattr__(self, name):
        try:
            return self._ns[name]
        except KeyError:
            raise AttributeError(name) from None


class NotebookStudent:
    """The checks' ``student`` fixture for functions defined in a notebook's ``namespace``."""

    def __init__(self, assignment, namespace):
        from grader.pipeline.hints import CallLog

        self.assignment, self._namespace = assignment, namespace
        self.log = CallLog()  # the current check's calls, for the hint of a known mistake

    def call(self, function, *args, timeout=None, patch=None, helper=None, **kwargs):
        result = self._call(function, *args, patch=patch, helper=helper, **kwargs)
        self.log.record(function, args, {**kwargs, "patch": patch or {}}, result)
        return result

    def _call(self, function, *args, patch=None, helper=None, **kwargs):
        from grader.checkapi.support import compile_functions

        args, kwargs = plain(list(args)), plain(kwargs)
        if helper:
            module, name = helper.split(":")
            target = getattr(importlib.import_module(module), name)
            kwargs["impl"] = _Namespace(self._namespace)
        else:
            target = self._namespace.get(function)
            if not callable(target):
                raise StudentError(
                    "missing",
                    f"This notebook does not define a function `{function}`: "
                    "run the cell that defines it, then this one.",
                )
        saved = {name: self._namespace.get(name) for name in (patch or {})}
        self._namespace.update(compile_functions(patch or {}))
        try:
            return plain(target(*args, **kwargs))
        except Exception as exc:  # the student's code may raise anything
            what = f"`{helper or function}`"
            if isinstance(exc, NotImplementedError):
                raise StudentError(
                    "not_implemented", f"{what} is not implemented yet (it raises NotImplementedError)."
                ) from None
            frames = [
                f
                for f in traceback.extract_tb(exc.__traceback__)[1:]
                if "grader" not in f.filename.replace("\\", "/").split("/")
            ]
            raise StudentError(
                "exception", f"{what} raised {type(exc).__name__}: {exc}", "".join(traceback.format_list(frames[-8:]))
            ) from None
        finally:
            for name, value in saved.items():
                if value is None:
                    self._namespace.pop(name, None)
                else:
                    self._namespace[name] = value

    def __getattr__(self, function):
        if function.startswith("_"):
            raise AttributeError(function)
        return lambda *args, **kwargs: self.call(function, *args, **kwargs)


def public_module(assignment):
    """The public check module of ``assignment``, or None."""
    path = paths.PUBLIC_CHECKS / f"{assignment}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(f"grader_public_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def public_checks(assignment):
    """``[(check function, {function, name, points, check_id})]`` of the assignment's public checks."""
    module = public_module(assignment)
    if module is None:
        return []
    checks = []
    for name, check in vars(module).items():
        marks = [m for m in getattr(check, "pytestmark", []) if m.name == "grading"]
        if name.startswith("check_") and callable(check) and marks:
            declared = dict(marks[0].kwargs, check_id=check_id(assignment, name))
            declared.pop("uses", None)  # stand-ins are the hidden grading's: the bundle has no reference
            checks.append((check, declared))
    return checks


def run_checks(assignment, function, namespace):
    """Run the public checks of ``function``; returns their ``CheckOutcome``s."""
    from grader.pipeline.reference import load_expected

    student, outcomes, expected = NotebookStudent(assignment, namespace), [], None
    for check, declared in public_checks(assignment):
        if declared["function"] != function:
            continue
        declared = dict(assignment=assignment, **declared)
        wanted = inspect.signature(check).parameters
        if "expected" in wanted and expected is None:
            expected = load_expected(assignment)
        fixtures = {"student": student, "expected": expected, "figures": []}
        student.log.clear()
        try:
            check(**{k: v for k, v in fixtures.items() if k in wanted})
        except BaseException as exc:  # a check ends in any way: scored as grade check would
            if isinstance(exc, KeyboardInterrupt):
                raise
            outcome = outcome_from_exception(declared, exc)
            if isinstance(exc, AssertionError):
                outcome = _hinted(outcome, student.log, assignment)
            outcomes.append(outcome)
        else:
            outcomes.append(CheckOutcome(**declared, passed=True, message=""))
    return outcomes


def _hinted(outcome, log, assignment):
    """The outcome with the hint of the known mistake it matches (as in ``grade check``)."""
    from grader.pipeline import public_hints
    from grader.pipeline.reference import load_expected

    module = public_module(assignment)
    try:
        expected = load_expected(assignment)
    except OSError:
        return outcome
    return public_hints.annotate(outcome, log, assignment, getattr(module, "CASES", {}), expected)


def checker(assignment, namespace):
    """``check(function)``: run and print the public checks of one graded function."""

    def check(function):
        outcomes = run_checks(assignment, function, namespace)
        if not outcomes:
            print(f"{function}: no public check for this function; the hidden checks will test it.")
            return
        passed = sum(o.passed for o in outcomes)
        print(f"{function}: {passed}/{len(outcomes)} public checks passed")
        for o in outcomes:
            print(f"  {'✔' if o.passed else '✘'} {o.name}")
            if not o.passed:
                print("      " + o.output.replace("\n", "\n      "))

    return check
