"""No reply can crash a check: for every hidden check of every assignment, hypothesis makes
the student's functions answer with wire-valid but unexpected values, and the check either
passes or fails the student's way (``CheckFailure``, ``StudentError``, ``CheckDecided``);
anything else would be reported as "the grader failed" and make ``grade`` exit 1.

The ``student`` fixture is a fake that calls nothing: each call gets the reference's answer
to the same call, passed through the wire (``encode``/``read_frame``) so that it is exactly
what a sandbox could deliver, then (as drawn) that answer corrupted (a key dropped, a dtype
changed, a NaN, a wrong length, a tuple for a dict, ...), or plain junk of any wire type and
shape (None, bools, huge ints, NaN and infinities, text, arrays of every dtype and shape,
nested lists, tuples and dicts, unsupported objects), or a ``StudentError``.

``GRADER_FUZZ_EXAMPLES`` sets the examples per check (default 12; CI's nightly run more).
"""

import contextlib
import copy
import importlib
import inspect
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader import course
from grader.checkapi.secret import SecretCase
from grader.checkapi.support import CheckDecided, CheckFailure, patched
from grader.pipeline import hints
from grader.pipeline.reference import load_reference
from grader.sandbox import wire
from grader.sandbox.session import StudentError
from tests.helpers import CallsByName

EXAMPLES = int(os.environ.get("GRADER_FUZZ_EXAMPLES", "12"))
KEYS = [
    "W1",
    "b1",
    "W2",
    "b2",
    "W3",
    "b3",
    "dW1",
    "db1",
    "dW2",
    "db2",
    "Z1",
    "A1",
    "D1",
    "Z2",
    "A2",
    "D2",
    "v",
    "s",
    "steps",
    "trace",
    "raw",
    "parameters",
    "dZ1",
    "x",
]
DTYPES = [np.bool_, np.int8, np.int64, np.uint8, np.float16, np.float32, np.float64, np.complex128, "<U3", "<U3"]


def _arrays():
    return hnp.arrays(st.sampled_from(DTYPES), hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))


LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.text(max_size=4),
    _arrays(),
    st.just(object()),
    st.sampled_from([np.float64(np.nan), np.int64(7), np.bool_(True)]),
)
JUNK = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=3), inner, max_size=4),
    ),
    max_leaves=8,
)


def through_the_wire(value):
    """``value`` as the grader would receive it from a child."""
    return wire.read_bytes(wire.encode(value))


def mutate(data, value, depth=0):
    """``value`` with one thing made wrong, somewhere in it."""
    draw = data.draw
    if depth > 3 or draw(st.integers(0, 7)) == 0:
        return draw(JUNK)
    if isinstance(value, dict) and value:
        key = draw(st.sampled_from(sorted(value)))
        how = draw(st.sampled_from(["drop", "replace", "deeper", "deeper", "deeper", "add", "as_list"]))
        changed = dict(value)
        if how == "drop":
            del changed[key]
        elif how == "replace":
            changed[key] = draw(JUNK)
        elif how == "deeper":
            changed[key] = mutate(data, value[key], depth + 1)
        elif how == "add":
            changed[draw(st.sampled_from(KEYS))] = draw(JUNK)
        else:
            return list(value.values())
        return changed
    if isinstance(value, (list, tuple)):
        how = draw(st.sampled_from(["empty", "shorter", "longer", "deeper", "retype"]))
        items = list(value)
        if how == "empty":
            items = []
        elif how == "shorter" and items:
            items = items[: draw(st.integers(0, len(items) - 1))]
        elif how == "longer":
            items.append(draw(JUNK))
        elif how == "deeper" and items:
            index = draw(st.integers(0, len(items) - 1))
            items[index] = mutate(data, items[index], depth + 1)
        else:
            return items if isinstance(value, tuple) else tuple(items)
        return type(value)(items)
    if isinstance(value, np.ndarray):
        how = draw(
            st.sampled_from(["dtype", "text", "nan", "inf", "transpose", "flat", "empty", "list", "huge", "scalar"])
        )
        if how == "text":
            return np.full(value.shape, draw(st.sampled_from(["", "x", "nan", "1e9"])), dtype="<U3")
        if how == "dtype":
            try:
                return value.astype(draw(st.sampled_from(DTYPES)))
            except (TypeError, ValueError, OverflowError):
                return value.astype(str)
        if how in ("nan", "inf", "huge") and value.size:
            changed = value.astype(np.float64)
            changed.flat[draw(st.integers(0, value.size - 1))] = {"nan": np.nan, "inf": -np.inf, "huge": 1e308}[how]
            return changed
        if how == "transpose":
            return value.T.copy()
        if how == "flat":
            return value.reshape(-1)
        if how == "list":
            return value.tolist()
        if how == "scalar":
            return value.reshape(-1)[:1].copy().reshape(())
        return np.zeros((0,) + value.shape[1:])
    if isinstance(value, (bool, np.bool_)):
        return draw(st.sampled_from([not value, None, "True", 1]))
    if isinstance(value, (int, float, np.integer, np.floating)):
        return draw(
            st.sampled_from(
                [
                    float("nan"),
                    float("inf"),
                    -float("inf"),
                    None,
                    str(value),
                    [value],
                    np.array([value, value]),
                    True,
                    2**80,
                    np.float32(value),
                ]
            )
        )
    return draw(JUNK)


class FakeStudent(CallsByName):
    """The ``student`` fixture, answering from the reference and hypothesis (see the module)."""

    def __init__(self, assignment, data):
        self.assignment, self.data, self.uses = assignment, data, ()
        self.reference = load_reference(assignment)
        self.log = hints.CallLog()
        self.plan = data.draw(st.sampled_from(["one", "every", "few"]), label="plan")
        self.target = (
            data.draw(st.one_of(st.integers(0, 3), st.integers(0, 60)), label="corrupted call")
            if self.plan == "one"
            else None
        )
        self.count = 0

    def _answer(self, function, args, kwargs, patch=None):
        self.count += 1
        draw = self.data.draw
        corrupt = {
            "one": self.count - 1 == self.target,
            "every": True,
            "few": self.plan == "few" and draw(st.integers(0, 9), label="corrupt?") == 0,
        }[self.plan]
        if corrupt and draw(st.integers(0, 9), label="raise?") == 0:
            return StudentError(draw(st.sampled_from(["exception", "timeout", "crash", "output"])), "drawn error")
        try:
            with patched(self.reference, patch or {}), np.errstate(all="ignore"):
                value = getattr(self.reference, function)(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        except Exception:  # noqa: BLE001 - the reference on a corrupted value passed back: junk instead
            value, corrupt = None, True
        if corrupt:
            value = mutate(self.data, value) if draw(st.booleans(), label="mutate?") else draw(JUNK)
        return through_the_wire(value)

    def call(self, function, *args, timeout=None, patch=None, **kwargs):
        answer = self._answer(function, args, kwargs, patch)
        if isinstance(answer, StudentError):
            raise answer
        return answer

    def call_many(self, calls, timeout=None):
        return [self._answer(function, args, kwargs) for function, args, kwargs in calls]


def _checks():
    for assignment in course.ASSIGNMENT_IDS:
        module = importlib.import_module(f"grader.checks.{assignment}")
        for name, check in vars(module).items():
            if name.startswith("check_") and callable(check) and hasattr(check, "pytestmark"):
                yield pytest.param(assignment, name, id=f"{assignment}::{name}")


def _run(check, student, data):
    inner = getattr(getattr(check, "hypothesis", None), "inner_test", check)
    drawn = {
        name: data.draw(strategy, label=name)
        for name, strategy in getattr(getattr(check, "hypothesis", None), "_given_kwargs", {}).items()
    }
    fixtures = {
        "student": student,
        "reference": load_reference(student.assignment),
        "figures": [],
        "secret": SecretCase(data.draw(st.integers(0, 2**64 - 1), label="secret seed")),
    }
    wanted = inspect.signature(inner).parameters
    inner(**{k: v for k, v in fixtures.items() if k in wanted}, **drawn)


def fuzz(assignment, check, examples=EXAMPLES):
    """Run ``check`` on ``examples`` drawn replies; raise what a reply made it raise, other than
    the student's failures."""

    @settings(
        max_examples=examples, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(data=st.data())
    def run(data):
        with contextlib.suppress(CheckFailure, StudentError, CheckDecided):  # the student's way to fail
            _run(check, FakeStudent(assignment, data), data)

    run()


@pytest.mark.slow
@pytest.mark.parametrize(("assignment", "name"), list(_checks()))
def test_no_reply_crashes_a_check(assignment, name):
    fuzz(assignment, getattr(importlib.import_module(f"grader.checks.{assignment}"), name))


def test_the_fuzz_finds_a_check_that_trusts_a_reply():
    def check_fragile(student):
        return 1.0 + student.update_lr(0.1, 1, 1.0)  # no expect_float: None, text, lists break it

    with pytest.raises(TypeError):
        fuzz("optimization", check_fragile, examples=30)
