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

from grader.checkapi import replay
from grader.sandbox.session import StudentError
from grader.sandbox.wire import Unsupported


def _private_hypothesis_home():
    """hypothesis caches constants under ``.hypothesis/`` in the working folder: point it at
    a temporary folder of this process instead, so grading writes nothing where it runs."""
    from hypothesis.configuration import set_hypothesis_home_dir

    from grader.sandbox import tempdirs

    set_hypothesis_home_dir(tempdirs.make("hypothesis"))  # removed when the process ends


def _global_constants_only():
    """hypothesis (6.131 on) also draws constants it finds in the source of the "local"
    modules loaded at the time (here, the grader's own), parsing them for at most 100 ms.
    Which modules are loaded, and how many get parsed in time, differ between a new
    process and a batch worker, and between a quiet and a busy machine, and so would the
    drawn examples. Grading draws from hypothesis's global constants only (which also
    spares every new process half a second of parsing)."""
    try:
        from hypothesis.internal.conjecture import providers

        empty = providers.Constants(
            integers=providers.SortedSet(),
            floats=providers.SortedSet(key=providers.float_to_int),
            bytes=providers.SortedSet(),
            strings=providers.SortedSet(),
        )
        providers._get_local_constants = lambda *args, **kwargs: empty
    except (ImportError, AttributeError, TypeError):  # a hypothesis without local constants
        pass


_private_hypothesis_home()
_global_constants_only()
settings.register_profile(
    "grading",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=15,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),  # no database, no "explain"
    report_multiple_bugs=False,  # a check fails on its first (shrunk) counterexample
    print_blob=False,
    suppress_health_check=list(HealthCheck),
)
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
            if replay.skip_body({name: test_kwargs[name] for name in kwargs if name in test_kwargs}):
                return None  # the examples are being drawn (``checkapi/replay.py``)
            try:
                return test(*test_args, **test_kwargs)
            except StudentError as error:
                if error.kind in ("missing", "not_implemented"):
                    raise CheckDecided(error) from None
                raise

        return hypothesis.given(*args, **kwargs)(run)

    return decorate


def draw_example(test, seed, attempts=20):
    """One example of a hypothesis ``test``'s ``@given`` strategies, drawn from ``seed``
    (the same seed, the same example), as ``{argument: value}``. A draw that a strategy
    rejects (a ``.filter`` that keeps failing) is made again from the next seed."""
    from random import Random

    from hypothesis.control import BuildContext
    from hypothesis.errors import HypothesisException, StopTest, UnsatisfiedAssumption
    from hypothesis.internal.conjecture.data import ConjectureData

    strategies = test.hypothesis._given_kwargs
    for attempt in range(attempts):
        data = ConjectureData(random=Random(seed + attempt), max_choices=100_000)
        try:
            with BuildContext(data, is_final=True, wrapped_test=test):
                return {name: data.draw(strategies[name]) for name in sorted(strategies)}
        except (StopTest, UnsatisfiedAssumption, HypothesisException):
            continue
    raise RuntimeError(f"no example of {test.__name__}'s strategies could be drawn in {attempts} attempts")


def secret_variant(**draws):
    """For a check with fixed inputs: run it as written, then once more as its secret case
    (``grader/checkapi/secret.py``) with each keyword of ``draws`` (``name=lambda rng: value``)
    drawn from the check's secret ``rng``. The check takes those names as keyword arguments
    with the shared values as defaults::

        @grading("f", "...", 5)
        @secret_variant(seed=lambda rng: int(rng.integers(10**6)))
        def check_f(student, seed=11): ...
    """
    import inspect

    def decorate(check):
        signature = inspect.signature(check)
        shown = [p for name, p in signature.parameters.items() if name not in draws]

        def run(*args, secret, **kwargs):
            check(*args, **kwargs)
            values = {name: draw(secret.rng) for name, draw in draws.items()}
            if "figures" in kwargs:  # a secret case's pictures would show its inputs: not drawn
                kwargs["figures"] = []
            secret.run(
                check,
                *args,
                **kwargs,
                **values,
                description=", ".join(f"{name}={value!r}" for name, value in values.items()),
            )

        functools.update_wrapper(run, check)
        del run.__wrapped__  # pytest reads the fixtures from the signature below, not the check's
        run.__signature__ = signature.replace(
            parameters=shown + [inspect.Parameter("secret", inspect.Parameter.KEYWORD_ONLY)]
        )
        return run

    return decorate


def grading(function, name, points, uses=()):
    """Mark a check: the graded ``function`` it is about, a short ``name``, its ``points``.

    ``uses`` names the other graded functions that ``function`` (or a provided loop the check
    runs) calls: while the check runs, the reference's stand in for the student's (swapped in
    on every call, see ``grader/pipeline/blame.py``), so the check charges ``function`` alone.
    """
    if isinstance(uses, str):
        uses = (uses,)
    return pytest.mark.grading(function=function, name=name, points=points, uses=tuple(uses))


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


def expect_float(got, name, finite=True):
    """A real number: a Python or numpy float/int, or an array holding exactly one. NaN and
    infinities fail unless ``finite=False`` (where one is a legitimate answer)."""
    if isinstance(got, (bool, np.bool_)) or got is None:
        fail(f"{name} should be a number, got {describe_type(got)}.")
    if isinstance(got, (int, float, np.integer, np.floating)):
        value = _as_float(got, name)
    elif isinstance(got, np.ndarray) and got.size == 1 and got.dtype.kind in "iuf":
        value = _as_float(got.reshape(()), name)
    else:
        fail(f"{name} should be a number (a float), got {describe_type(got)}.")
    if finite and not math.isfinite(value):
        fail(f"{name} is {value}, not a finite number.")
    return value


def _as_float(number, name):
    try:
        return float(number)
    except OverflowError:  # an int beyond float64
        fail(f"{name} is an integer too large for a float.")


def expect_int(got, name, low=None, high=None):
    """An integer (Python or numpy, or an integral float) with ``low <= got < high`` when given."""
    value = expect_float(got, name)
    if value != math.floor(value):
        fail(f"{name} should be a whole number, got {_fmt(value)}.")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value >= high):
        fail(
            f"{name} is {value}, outside the range {low if low is not None else '-inf'}.."
            f"{high - 1 if high is not None else 'inf'}."
        )
    return value


# The most entries a reply's array may have when the check gives no shape: far more than any
# graded function returns, and 32 MiB as float64 (the grader's memory is bounded per check).
MAX_ENTRIES = 2**22


def expect_array(got, name, shape=None, finite=True):
    """A float ndarray of the given shape (ints are accepted and cast). NaN and infinities
    fail unless ``finite=False``.

    The shape and size are checked before anything is converted: a reply never costs the
    grader more than its own bytes, or ``MAX_ENTRIES`` float64s."""
    if not isinstance(got, np.ndarray):
        if isinstance(got, (list, tuple)):
            fail(f"{name} should be a numpy array, got a {type(got).__name__}; use np.array(...).")
        fail(f"{name} should be a numpy array, got {describe_type(got)}.")
    if got.dtype.kind not in "iuf":
        fail(f"{name} should hold floats, got dtype {got.dtype}.")
    if shape is not None and got.shape != tuple(shape):
        fail(f"{name} has shape {_shape(got.shape)}, expected {tuple(shape)}.")
    if got.size > MAX_ENTRIES:
        fail(f"{name} has {got.size} entries (shape {_shape(got.shape)}): far more than this function returns.")
    array = got.astype(np.float64)
    if finite:
        bad = int(np.count_nonzero(~np.isfinite(array)))
        if bad:
            fail(f"{name} holds NaN or infinite values ({bad} of {array.size} entries).")
    return array


def expect_ids(got, name, high, shape=None):
    """An ndarray of whole numbers in ``0..high-1`` (indices, ids), returned as int64."""
    array = expect_array(got, name, shape)
    if np.any(array != np.floor(array)):
        fail(f"{name} should hold whole numbers (column ids), got fractions.")
    if array.size and (array.min() < 0 or array.max() >= high):
        fail(f"{name} holds ids outside 0..{high - 1}.")
    return array.astype(np.int64)


def _shape(shape):
    """A shape for a message (a 32-dimensional one is cut short)."""
    text = str(tuple(shape))
    return text if len(text) <= 80 else text[:76] + "...)"


def expect_dict(got, name, keys):
    """A dict holding at least ``keys`` (extra keys are allowed)."""
    if not isinstance(got, dict):
        fail(f"{name} should be a dict, got {describe_type(got)}.")
    missing = [k for k in keys if k not in got]
    if missing:
        present = sorted(got)
        listed = ", ".join(repr(k[:40]) for k in present[:20]) + (
            f" and {len(present) - 20} more" if len(present) > 20 else ""
        )
        fail(f"{name} is missing the key(s) {', '.join(map(repr, missing))}; it has {listed or 'none'}.")
    return got


def expect_sequence(got, name, length=None):
    """A list or tuple (of ``length`` items, when given)."""
    if not isinstance(got, (list, tuple)):
        fail(f"{name} should be a list or a tuple, got {describe_type(got)}.")
    if length is not None and len(got) != length:
        fail(f"{name} should hold {length} values, got {len(got)}.")
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
            fail(
                f"{prefix}{name} is {_fmt(value)}, expected {_fmt(expected)} "
                f"(tolerance {atol:g} + {rtol:g} x |expected|)."
            )
        return value
    expected = np.asarray(expected, dtype=np.float64)
    array = expect_array(got, name, expected.shape)
    error = np.abs(array - expected)
    bad = ~(error <= atol + rtol * np.abs(expected))  # NaN counts as bad
    if bad.any():
        relative = error / np.maximum(np.abs(expected), atol)
        worst = np.unravel_index(np.argmax(np.where(bad, np.nan_to_num(relative, nan=np.inf), -1)), expected.shape)
        where = f"[{', '.join(map(str, worst))}]" if expected.ndim else ""
        fail(
            f"{prefix}{name} differs from the reference in {int(bad.sum())} of {bad.size} entries "
            f"(shape {expected.shape}, dtype {array.dtype}): max absolute error "
            f"{_fmt(np.nanmax(np.where(np.isnan(error), np.inf, error)))}, max relative error "
            f"{_fmt(np.nanmax(np.where(np.isnan(relative), np.inf, relative)))} "
            f"(tolerance {atol:g} + {rtol:g} x |expected|); worst at {where or 'the value'}: "
            f"got {_fmt(array[worst])}, expected {_fmt(expected[worst])}."
        )
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
