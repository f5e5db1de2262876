"""Hidden checks of ``gradient_checking`` (SPEC §3): J = theta * x, its derivative, and
the centred-difference gradient check.

``gradient_check`` is also run with other forward/backward pairs swapped into the
student's module (inside the sandbox): a nonlinear cost, where a one-sided difference
is visibly less accurate than a centred one, and wrong derivatives that a working
gradient check must expose. Expected values come from the reference run on the same
swapped pair.
"""

import math

from hypothesis import example, settings
from hypothesis import strategies as st

from grader.checkapi.support import assert_close, expect_float, fail, given, grading, patched

ASSIGNMENT = "gradient_checking"

reals = st.floats(-10, 10, allow_nan=False, allow_infinity=False)
nonzero = reals.filter(lambda v: abs(v) >= 0.1)
PAIR = ("forward_propagation", "backward_propagation")  # the reference's, unless a check swaps its own in

CUBIC = {
    "forward_propagation": "def forward_propagation(x, theta):\n    return x * theta ** 3\n",
    "backward_propagation": "def backward_propagation(x, theta):\n    return 3 * x * theta ** 2\n",
}
LINEAR = {
    "forward_propagation": "def forward_propagation(x, theta):\n    return theta * x\n",
    "backward_propagation": "def backward_propagation(x, theta):\n    return x\n",
}
WRONG_LINEAR = {**LINEAR, "backward_propagation": "def backward_propagation(x, theta):\n    return 2 * x\n"}
WRONG_DERIVATIVES = {
    "twice the derivative": "def backward_propagation(x, theta):\n    return 2 * x\n",
    "the derivative plus one": "def backward_propagation(x, theta):\n    return x + 1\n",
    "the derivative with the wrong sign": "def backward_propagation(x, theta):\n    return -x\n",
}


@grading("forward_propagation", "J = theta * x on drawn inputs", 15)
@given(x=reals, theta=reals)
def check_forward(student, x, theta):
    assert_close(
        student.forward_propagation(x, theta),
        theta * x,
        f"forward_propagation({x!r}, {theta!r})",
        rtol=1e-12,
        atol=1e-12,
    )


@grading("backward_propagation", "dJ/dtheta = x on drawn inputs", 15)
@given(x=reals, theta=reals)
def check_backward(student, x, theta):
    assert_close(
        student.backward_propagation(x, theta), x, f"backward_propagation({x!r}, {theta!r})", rtol=1e-12, atol=1e-12
    )


@grading("gradient_check", "passes the correct gradient and flags a wrong one", 10, uses=PAIR)
@given(x=nonzero, theta=reals)
def check_correct_gradient_passes(student, x, theta):
    # The grader's own J = theta * x pair is swapped in, so this judges gradient_check alone.
    difference = expect_float(
        student.call("gradient_check", x, theta, patch=LINEAR), f"gradient_check({x!r}, {theta!r})"
    )
    if not 0 <= difference < 1e-7:
        fail(
            f"gradient_check({x!r}, {theta!r}) returned {difference:.6g}: with a correct forward and backward "
            "it should be a tiny non-negative number (below 1e-7)."
        )
    wrong = expect_float(
        student.call("gradient_check", x, theta, patch=WRONG_LINEAR), f"gradient_check({x!r}, {theta!r})"
    )
    if not wrong > 1e-7:
        fail(
            f"gradient_check({x!r}, {theta!r}) returned {wrong:.6g} with a backward_propagation that returns "
            "2 * x swapped into your module: a wrong gradient must give a difference above 1e-7."
        )


@grading("gradient_check", "uses the centred difference (checked on J = x * theta**3)", 20, uses=PAIR)
@settings(max_examples=8)
@given(x=nonzero, theta=st.floats(0.5, 3), epsilon=st.sampled_from([1e-1, 3e-2, 1e-2]))
def check_centred_difference(student, reference, x, theta, epsilon):
    with patched(reference, CUBIC):
        expected = reference.gradient_check(x, theta, epsilon)
    got = student.call("gradient_check", x, theta, epsilon=epsilon, patch=CUBIC)
    assert_close(
        got,
        expected,
        f"gradient_check({x!r}, {theta!r}, epsilon={epsilon!r})",
        rtol=1e-4,
        context="With J = x * theta**3 and its correct derivative swapped into your module "
        "(a one-sided difference, or a gradapprox that does not call forward_propagation, "
        "gives a different value)",
    )


@grading("gradient_check", "exposes a wrong derivative with the right relative difference", 25, uses=PAIR)
@settings(max_examples=9)
@example(x=-0.7, theta=2.0, wrong="the derivative plus one")  # grad 0.3, gradapprox -0.7: tells mistakes apart
@given(x=nonzero, theta=reals, wrong=st.sampled_from(sorted(WRONG_DERIVATIVES)))
def check_wrong_derivative(student, reference, x, theta, wrong):
    patch = {"backward_propagation": WRONG_DERIVATIVES[wrong]}
    with patched(reference, patch):
        expected = reference.gradient_check(x, theta)
    got = student.call("gradient_check", x, theta, patch=patch)
    assert_close(
        got,
        expected,
        f"gradient_check({x!r}, {theta!r})",
        rtol=1e-5,
        context=f"With a backward_propagation that returns {wrong} swapped into your module, "
        "the difference ||grad - gradapprox|| / (||grad|| + ||gradapprox||)",
    )


@grading("gradient_check", "returns 0 when both gradients are 0 (x = 0)", 5, uses=PAIR)
@given(theta=reals)
def check_zero_gradients(student, reference, theta):
    difference = expect_float(
        student.call("gradient_check", 0.0, theta, patch=LINEAR), f"gradient_check(0.0, {theta!r})", finite=False
    )  # nan gets the message below
    if math.isnan(difference) or difference != 0:
        fail(
            f"gradient_check(0.0, {theta!r}) returned {difference!r}: with x = 0 both gradients are 0, "
            "and the relative difference is defined as 0 then (not 0/0 = nan)."
        )
    patch = {"backward_propagation": WRONG_DERIVATIVES["the derivative plus one"]}
    with patched(reference, patch):
        expected = reference.gradient_check(0.0, theta)
    assert_close(
        student.call("gradient_check", 0.0, theta, patch=patch),
        expected,
        f"gradient_check(0.0, {theta!r})",
        rtol=1e-6,
        context="With a backward_propagation returning x + 1 swapped in (so only gradapprox is 0)",
    )


@grading("gradient_check", "matches the reference on the course example (x = 2, theta = 4)", 10, uses=PAIR)
def check_course_example(student, reference, secret):
    _example_case(student, reference, 2.0, 4.0)
    x = float(secret.rng.choice([-1, 1]) * secret.rng.uniform(0.5, 5.0))
    theta = float(secret.rng.uniform(-10.0, 10.0))
    secret.run(_example_case, student, reference, x, theta, description=f"x = {x!r}, theta = {theta!r}")


def _example_case(student, reference, x, theta):
    patch = {"backward_propagation": WRONG_DERIVATIVES["the derivative plus one"]}
    with patched(reference, patch):
        expected = reference.gradient_check(x, theta)
    got = student.call("gradient_check", x, theta, patch=patch)
    assert_close(
        got,
        expected,
        f"gradient_check({x!r}, {theta!r})",
        rtol=1e-6,
        context="With backward_propagation returning x + 1",
    )
    correct = expect_float(student.call("gradient_check", x, theta, patch=LINEAR), f"gradient_check({x!r}, {theta!r})")
    if not 0 <= correct < 1e-7:
        fail(
            f"gradient_check({x!r}, {theta!r}) returned {correct:.6g}; with the correct gradient it should be "
            "below 1e-7 (the course's value at x = 2, theta = 4 is about 2.9e-10)."
        )
