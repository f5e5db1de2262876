"""Public checks of ``gradient_checking_nd``: fixed calls on one small 4-5-3-1 network (the
notebook's fraud-detection shape) that a student can run with ``grade check``. Expected
values are stored data (see ``build.py``)."""

import numpy as np

from grader.checkapi.support import Case, assert_close, expect_dict, expect_float, fail, grading

ASSIGNMENT = "gradient_checking_nd"

DIMS = [4, 5, 3, 1]
_rng = np.random.default_rng(2025)  # every block has a gradient norm above 0.5 here
X = _rng.standard_normal((4, 3))
Y = np.array([[1.0, 0.0, 1.0]])
PARAMETERS = {}
for _l in range(1, 4):
    PARAMETERS[f"W{_l}"] = _rng.standard_normal((DIMS[_l], DIMS[_l - 1]))
    PARAMETERS[f"b{_l}"] = 0.5 * _rng.standard_normal((DIMS[_l], 1))


def _forward(X, parameters):
    """The provided forward pass (``nn_utils.forward_propagation``), for the cache."""
    cache, A = {}, X
    for l in range(1, 4):
        Z = parameters[f"W{l}"] @ A + parameters[f"b{l}"]
        A = 1 / (1 + np.exp(-Z)) if l == 3 else np.maximum(Z, 0)
        cache.update({f"Z{l}": Z, f"A{l}": A, f"W{l}": parameters[f"W{l}"], f"b{l}": parameters[f"b{l}"]})
    return cache


CACHE = _forward(X, PARAMETERS)
THETA = (np.arange(1, 48, dtype=float) / 8).reshape(-1, 1)
EXTRAS = {"dZ3": np.full((1, 3), 50.0), "dA2": np.full((3, 3), 60.0), "dZ1": np.full((5, 3), 70.0)}
ONES = {"d" + key: np.ones_like(value) for key, value in PARAMETERS.items()}
CASES = {
    "vector": Case("dictionary_to_vector", PARAMETERS),
    "inverse": Case("vector_to_dictionary", THETA, DIMS),
    "gradients": Case("gradients_to_vector", {**EXTRAS, **ONES, "dW2": np.arange(15.0).reshape(3, 5)}),
    "backward": Case("backward_propagation_n", X, Y, CACHE),
    "all ones": Case("gradient_check_n", PARAMETERS, ONES, X, Y),
    "all ones, epsilon 0.01": Case("gradient_check_n", PARAMETERS, ONES, X, Y, epsilon=0.01),
}
NAMES = [name for l in range(1, 4) for name in (f"dW{l}", f"db{l}")]


@grading("dictionary_to_vector", "the layout W1, b1, W2, b2, W3, b3 (row-major) on the 4-5-3-1 network", 20)
def check_vector(student, expected):
    assert_close(
        CASES["vector"].run(student),
        expected["vector"],
        "dictionary_to_vector(parameters)",
        rtol=0,
        atol=0,
        context="Blocks W1, b1, ..., each flattened row-major",
    )


@grading("vector_to_dictionary", "reads theta = [1/8, 2/8, ..., 47/8] back into W1 ... b3", 15)
def check_inverse(student, expected):
    got = expect_dict(CASES["inverse"].run(student), repr(CASES["inverse"]), list(expected["inverse"]))
    for key, value in expected["inverse"].items():
        assert_close(got[key], value, f"vector_to_dictionary(theta, {DIMS})['{key}']", rtol=0, atol=0)


@grading("gradients_to_vector", "the same layout, with dZ3, dA2, dZ1 ignored", 15)
def check_gradients(student, expected):
    assert_close(
        CASES["gradients"].run(student),
        expected["gradients"],
        "gradients_to_vector(gradients)",
        rtol=0,
        atol=0,
        context="Only dW1, db1, ..., dW3, db3, in that order",
    )


@grading("backward_propagation_n", "the gradients of the 4-5-3-1 network (planted bugs fixed)", 20)
def check_backward(student, expected):
    got = expect_dict(CASES["backward"].run(student), "backward_propagation_n(X, Y, cache)", NAMES)
    for key in NAMES:
        assert_close(
            got[key],
            expected["backward"][key],
            f"gradients['{key}']",
            rtol=1e-9,
            atol=1e-12,
            context="backward_propagation_n(X, Y, cache)",
        )


@grading("gradient_check_n", "correct gradients pass (below 2e-7) on the 4-5-3-1 network", 10)
def check_correct(student, expected):
    gradients = {key: expected["backward"][key] for key in NAMES}
    difference = expect_float(student.gradient_check_n(PARAMETERS, gradients, X, Y), "gradient_check_n(...)")
    if not 0 <= difference < 2e-7:
        fail(
            f"gradient_check_n with the correct gradients of the 4-5-3-1 network returned {difference:.6g}; "
            "it should be a small non-negative number, below 2e-7."
        )


@grading("gradient_check_n", "the relative difference when every gradient is 1 (epsilon 1e-7 and 1e-2)", 10)
def check_all_ones(student, expected):
    for case in ("all ones", "all ones, epsilon 0.01"):
        epsilon = CASES[case].kwargs.get("epsilon", 1e-7)
        assert_close(
            CASES[case].run(student),
            expected[case],
            f"gradient_check_n(parameters, all-ones gradients, X, Y, epsilon={epsilon:g})",
            rtol=1e-5,
            atol=1e-12,
            context="With the centred difference, ||grad - gradapprox|| / (||grad|| + ||gradapprox||)",
        )


@grading("find_wrong_gradients", "names b1 and W3 when db1 is 4x and dW3 2x too large", 10)
def check_find_wrong(student, expected):
    gradients = {key: expected["backward"][key].copy() for key in NAMES}
    gradients["db1"] *= 4
    gradients["dW3"] *= 2
    got = student.find_wrong_gradients(PARAMETERS, gradients, X, Y)
    if got != ["b1", "W3"]:
        fail(
            f"find_wrong_gradients with db1 multiplied by 4 and dW3 by 2 returned {got!r}, expected "
            "['b1', 'W3'] (each block judged by its own relative difference, names in layout order)."
        )
