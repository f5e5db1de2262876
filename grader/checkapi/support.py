"""What every check module uses: the ``grading`` marker, the hypothesis profile, and one
family of comparison helpers that fail with a message a student can act on.

Every helper takes ``(got, ..., name)`` in that order, where ``got`` is a value that
came back from the sandbox (plain data, see ``sandbox/wire.py``) and ``name`` is how
the student knows it (``"parameters['W2']"``). A helper either returns the value in
the expected plain form or raises ``CheckFailure``; it never trusts ``got``'s type.
"""

import functools
import math

import hypothesis
import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, settings

from grader.sandbox.session import StudentError
from grader.sandbox.wire import Unsupported

def _private_hypothesis_home():
    """hypothesis caches constants under ``.hypothesis/`` in the working folder: point it at
    a temporary folder of this process instead, so grading writes nothing where it runs."""
    import atexit
    import shutil
    import tempfile

    from hypothesis.configuration import set_hypothesis_home_dir

    home = tempfile.mkdtemp(prefix="grader-hypothesis-")
    atexit.register(shutil.rmtree, home, True)
    set_hypothesis_home_dir(home)


def _global_constants_only():
    """hypothesis (6.131 on) also draws constants it finds in the source of the "local"
    modules loaded at the time (here, the grader's own), parsing them for at most 100 ms.
    Which modules are loaded, and how many get parsed in time, differ between a new
    process and a batch worker, and between a quiet and a busy machine, and so would the
    drawn examples. Grading draws from hypothesis's global constants only (which also
    spares every new process half a second of parsing)."""
    try:
        from hypothesis.internal.conjecture import providers

        empty = providers.Constants(integers=providers.SortedSet(),
                                    floats=providers.SortedSet(key=providers.float_to_int),
                                    bytes=providers.SortedSet(), strings=providers.SortedSet())
        providers._get_local_constants = lambda *args, **kwargs: empty
    except (ImportError, AttributeError, TypeError):  # a hypothesis without local constants
        pass


_private_hypothesis_home()
_global_constants_only()
settings.register_profile(
    "grading", derandomize=True, database=None, deadline=None, max_examples=15,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),  # no database, no "explain"
    report_multiple_bugs=False,  # a check fails on its first (shrunk) counterexample
    print_blob=False, suppress_health_check=list(HealthCheck))
settings.load_profile("grading")


class CheckDecided(BaseException):
    """A check's outcome that no other input can change: the student's function is
    missing or not implemented. A ``BaseException``, so that hypothesis lets it through
    at once instead of shrinking the input (hundreds of runs that end the same way);
    the runner reports the ``StudentError`` it carries."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


def given(*args, **kwargs):
    """``hypothesis.given``, for checks: a missing or unimplemented function ends the
    check at once (see ``CheckDecided``); everything else fails and shrinks as usual."""
    def decorate(test):
        @functools.wraps(test)  # the same signature and source: the same drawn examples
        def run(*test_args, **test_kwargs):
            try:
                return test(*test_args, **test_kwargs)
            except StudentError as error:
                if error.kind in ("missing", "not_implemented"):
                    raise CheckDecided(error) from None
                raise

        return hypothesis.given(*args, **kwargs)(run)

    return decorate


def grading(function, name, points):
    """Mark a check: the graded ``function`` it is about, a short ``name``, its ``points``."""
    return pytest.mark.grading(function=function, name=name, points=points)


class CheckFailure(AssertionError):
    """A check found the student's result wrong; ``str()`` is the student-facing text."""


def fail(message):
    raise CheckFailure(message)


def describe_type(value):
    if isinstance(value, Unsupported):
        return f"an object of type {value.type_name}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


def expect_float(got, name):
    """A real number: a Python or numpy float/int, or an array holding exactly one."""
    if isinstance(got, (bool, np.bool_)) or got is None:
        fail(f"{name} should be a number, got {describe_type(got)}.")
    if isinstance(got, (int, float, np.integer, np.floating)):
        return float(got)
    if isinstance(got, np.ndarray) and got.size == 1 and got.dtype.kind in "iuf":
        return float(got.reshape(()))
    fail(f"{name} should be a number (a float), got {describe_type(got)}.")


def expect_array(got, name, shape=None):
    """A float ndarray of the given shape (ints are accepted and cast)."""
    if not isinstance(got, np.ndarray):
        if isinstance(got, (list, tuple)):
            fail(f"{name} should be a numpy array, got a {type(got).__name__}; use np.array(...).")
        fail(f"{name} should be a numpy array, got {describe_type(got)}.")
    if got.dtype.kind not in "iuf":
        fail(f"{name} should hold floats, got dtype {got.dtype}.")
    if shape is not None and got.shape != tuple(shape):
        fail(f"{name} has shape {got.shape}, expected {tuple(shape)}.")
    return got.astype(np.float64)


def expect_dict(got, name, keys):
    """A dict holding at least ``keys`` (extra keys are allowed)."""
    if not isinstance(got, dict):
        fail(f"{name} should be a dict, got {describe_type(got)}.")
    missing = [k for k in keys if k not in got]
    if missing:
        fail(f"{name} is missing the key(s) {', '.join(map(repr, missing))}; it has {sorted(got)}.")
    return got


def _fmt(x):
    return f"{x:.6g}"


def assert_close(got, expected, name, rtol=1e-6, atol=1e-9, context=""):
    """``got`` equals ``expected`` within ``|got - expected| <= atol + rtol * |expected|``
    elementwise. Floats and arrays; the message gives the worst element."""
    prefix = f"{context}, " if context else ""
    if np.ndim(expected) == 0 and not isinstance(expected, np.ndarray):
        value = expect_float(got, name)
        if math.isnan(value) or not abs(value - expected) <= atol + rtol * abs(expected):
            fail(f"{prefix}{name} is {_fmt(value)}, expected {_fmt(expected)} "
                 f"(tolerance {atol:g} + {rtol:g} x |expected|).")
        return value
    expected = np.asarray(expected, dtype=np.float64)
    array = expect_array(got, name, expected.shape)
    error = np.abs(array - expected)
    bad = ~(error <= atol + rtol * np.abs(expected))  # NaN counts as bad
    if bad.any():
        relative = error / np.maximum(np.abs(expected), atol)
        worst = np.unravel_index(np.argmax(np.where(bad, np.nan_to_num(relative, nan=np.inf), -1)), expected.shape)
        where = f"[{', '.join(map(str, worst))}]" if expected.ndim else ""
        fail(f"{prefix}{name} differs from the reference in {int(bad.sum())} of {bad.size} entries "
             f"(shape {expected.shape}, dtype {array.dtype}): max absolute error "
             f"{_fmt(np.nanmax(np.where(np.isnan(error), np.inf, error)))}, max relative error "
             f"{_fmt(np.nanmax(np.where(np.isnan(relative), np.inf, relative)))} "
             f"(tolerance {atol:g} + {rtol:g} x |expected|); worst at {where or 'the value'}: "
             f"got {_fmt(array[worst])}, expected {_fmt(expected[worst])}.")
    return array


def compile_functions(sources):
    """``{name: source}`` -> ``{name: function}``; ``source`` defines ``name`` (numpy as np)."""
    functions = {}
    for name, source in sources.items():
        namespace = {"np": np}
        exec(compile(source, f"<grader: {name}>", "exec"), namespace)
        functions[name] = namespace[name]
    return functions


class patched:
    """Set functions compiled from ``sources`` on ``module`` for a ``with`` block; the
    in-process twin of ``student.call(..., patch=sources)`` for the reference."""

    def __init__(self, module, sources):
        self.module, self.functions, self.saved = module, compile_functions(sources), {}

    def __enter__(self):
        for name, function in self.functions.items():
            self.saved[name] = getattr(self.module, name, None)
            setattr(self.module, name, function)
        return self.module

    def __exit__(self, *exc):
        for name, original in self.saved.items():
            setattr(self.module, name, original)


class Case:
    """A fixed call for the public checks: ``Case("f", 1.0, 2.0, patch=..., k=v)``. Its
    expected result is computed from the reference when the bundle is built and stored
    as data (``grader/public/expected/<id>.frame``), so the public checks need no
    solution code."""

    def __init__(self, function, *args, patch=None, **kwargs):
        self.function, self.args, self.kwargs, self.patch = function, args, kwargs, patch or {}

    def run(self, module):
        """Call the case on a student module (through the sandbox)."""
        return module.call(self.function, *self.args, patch=self.patch, **self.kwargs)

    def run_reference(self, reference):
        with patched(reference, self.patch):
            return getattr(reference, self.function)(*self.args, **self.kwargs)

    def __repr__(self):
        args = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"{self.function}({', '.join(args)})"
