"""Step-by-step comparison of an optimizer's trajectory with the reference's.

A trajectory is what ``opt_utils.update_trajectory`` / ``training_trajectory`` return:
``{"steps": n, "trace": {quantity: {key: array (n, *shape)} or [value per step]},
"raw": ...}``. The student's is compared with the reference's after every step, state
first (``v``, ``s``, ``v_corrected``, ``s_corrected``), then ``parameters``, so the
first message names the quantity where the two first part: ``After step 3,
s_corrected['dW1'] differs from the reference ...``.
"""

import importlib
import sys

import numpy as np

from grader import paths
from grader.checkapi.memo import Memoized
from grader.checkapi.support import CheckFailure, assert_close, describe_type, expect_dict, fail

FUNCTION = {
    "gd": "update_parameters_with_gd",
    "momentum": "update_parameters_with_momentum",
    "rmsprop": "update_parameters_with_rmsprop",
    "adam": "update_parameters_with_adam",
}
RETURNS = {
    "gd": "parameters",
    "momentum": "(parameters, v)",
    "rmsprop": "(parameters, s)",
    "adam": "(parameters, v, s, v_corrected, s_corrected)",
}
QUANTITIES = {
    "gd": ("parameters",),
    "momentum": ("v", "parameters"),
    "rmsprop": ("s", "parameters"),
    "adam": ("v", "s", "v_corrected", "s_corrected", "parameters"),
}
# Adam's bias-corrected moments are also compared when the update rule returns them; one that
# returns the older course's (parameters, v, s) is charged by its own check (one requirement, one check)
OPTIONAL = {"adam": ("v_corrected", "s_corrected")}
RTOL = 1e-7
ATOL_SCALE = 1e-10  # atol = ATOL_SCALE * the largest |value| of that array over the run


def provided(name, memoized=True):
    """A provided helper module (``opt_utils``, ``gc_utils``, ...) from the pristine ``assignments/``,
    its results reused for equal inputs (``memoized=False``: the module itself, for the steps of a
    loop, whose inputs rarely repeat and whose whole run is memoized one level up)."""
    if str(paths.ASSIGNMENTS) not in sys.path:
        sys.path.append(str(paths.ASSIGNMENTS))
    module = importlib.import_module(name)
    return Memoized(module) if memoized else module


def _step_value(trace, quantity, step):
    """The student's ``quantity`` after ``step`` (1-based) as a dict, or fail."""
    if quantity not in trace:
        fail(f"After step {step}, there is no {quantity}: it should be returned by the update rule.")
    packed = trace[quantity]
    if isinstance(packed, dict):
        return {key: value[step - 1] for key, value in packed.items()}
    if isinstance(packed, list) and len(packed) >= step:
        return packed[step - 1]
    fail(f"After step {step}, {quantity} could not be read back ({describe_type(packed)}).")


def _check_raw(raw, optimizer, step):
    function = FUNCTION[optimizer]
    if isinstance(raw, (tuple, list)):
        fail(
            f"At step {step}, {function} returned a {type(raw).__name__} of {len(raw)} values; "
            f"it should return the tuple {RETURNS[optimizer]}."
        )
    fail(f"At step {step}, {function} returned {describe_type(raw)}; it should return the tuple {RETURNS[optimizer]}.")


def _quantities(trace, optimizer):
    optional = OPTIONAL.get(optimizer, ())
    if all(quantity not in trace for quantity in optional):
        return tuple(q for q in QUANTITIES[optimizer] if q not in optional)
    return QUANTITIES[optimizer]


def _first_bad_step(trace, expected, optimizer):
    """The first step where a stacked quantity of ``trace`` leaves ``expected`` (vectorised;
    1 when a quantity is not stacked as expected, so the step-by-step loop looks at it)."""
    first = expected["steps"] + 1
    for quantity in _quantities(trace, optimizer):
        packed, reference = trace.get(quantity), expected["trace"][quantity]
        if not isinstance(packed, dict) or any(key not in packed for key in reference):
            return 1
        for key, series in reference.items():
            got = packed[key]
            if not isinstance(got, np.ndarray) or got.dtype.kind not in "iuf" or got.shape[1:] != series.shape[1:]:
                return 1
            n = min(len(got), len(series))
            atol = ATOL_SCALE * float(np.max(np.abs(series))) + 1e-300
            bad = ~(np.abs(got[:n] - series[:n]) <= atol + RTOL * np.abs(series[:n]))
            bad_steps = np.flatnonzero(bad.reshape(n, -1).any(axis=1))
            if bad_steps.size:
                first = min(first, int(bad_steps[0]) + 1)
    return first


def compare(got, expected, optimizer, setting):
    """Fail at the first step, quantity and key where ``got`` leaves ``expected``.

    ``setting`` (one sentence) says what was run; it ends every message.
    """
    try:
        if not isinstance(got, dict) or not isinstance(got.get("trace"), dict):
            fail(f"The recorded run of {FUNCTION[optimizer]} could not be read ({describe_type(got)}).")
        trace, done = got["trace"], got.get("steps", 0)
        total = expected["steps"]
        start = min(_first_bad_step(trace, expected, optimizer), done + 1)
        for step in range(start, total + 1):
            if step > done:
                if "raw" in got:
                    _check_raw(got["raw"], optimizer, step)
                fail(f"The run stopped after {done} of {total} steps.")
            for quantity in _quantities(trace, optimizer):
                reference = expected["trace"][quantity]
                value = expect_dict(
                    _step_value(trace, quantity, step), f"{quantity} after step {step}", list(reference)
                )
                for key, series in reference.items():
                    atol = ATOL_SCALE * float(np.max(np.abs(series))) + 1e-300
                    assert_close(
                        value[key],
                        series[step - 1],
                        f"{quantity}['{key}']",
                        rtol=RTOL,
                        atol=atol,
                        context=f"After step {step}",
                    )
    except CheckFailure as failure:
        raise CheckFailure(f"{failure}\n{setting}") from None
