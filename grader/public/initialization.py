"""Public checks of ``initialization``: what ``grade check`` runs on a student's machine.
Fixed calls; zeros is compared with stored values, the random initialisations by their
properties (shapes, statistics, reproducibility), never by one particular draw."""

import numpy as np

from grader.checkapi.networks import expect_normal, expect_parameters
from grader.checkapi.support import Case, assert_close, fail, grading

ASSIGNMENT = "initialization"

CASES = {"zeros": Case("initialize_parameters_zeros", [3, 2, 1])}
SCALES = {
    "initialize_parameters_random": (lambda n: 10.0, "10"),
    "initialize_parameters_he": (lambda n: np.sqrt(2.0 / n), "sqrt(2 / n_{l-1})"),
}


@grading("initialize_parameters_zeros", "all zeros for layers_dims = [3, 2, 1]", 20)
def check_zeros(student, expected):
    got = expect_parameters(CASES["zeros"].run(student), [3, 2, 1], repr(CASES["zeros"]))
    for key, value in expected["zeros"].items():
        assert_close(got[key], value, f"{CASES['zeros']!r}['{key}']", rtol=0, atol=0)


def _shapes_and_biases(function, points):
    @grading(function, "keys, shapes, dtypes and zero biases for layers_dims = [5, 4, 3, 1]", points)
    def check(student):
        name = f"{function}([5, 4, 3, 1], seed=1)"
        parameters = expect_parameters(getattr(student, function)([5, 4, 3, 1], seed=1), [5, 4, 3, 1], name)
        for key, value in parameters.items():
            if key[0] == "b" and np.any(value != 0):
                fail(f"{name}['{key}'] has non-zero entries; the biases start at exactly 0.")

    return check


def _scale(function, points):
    @grading(function, "the weights' scale on a large layer", points)
    def check(student):
        dims = [300, 200, 1]
        name = f"{function}({dims}, seed=0)"
        parameters = expect_parameters(getattr(student, function)(dims, seed=0), dims, name)
        sigma, text = SCALES[function]
        expect_normal(parameters["W1"], sigma(dims[0]), f"{name}['W1']", text)

    return check


def _seed(function, points):
    @grading(function, "reproducible with the seed", points)
    def check(student):
        first = expect_parameters(getattr(student, function)([4, 3, 1], seed=5), [4, 3, 1], "the parameters")
        again = expect_parameters(getattr(student, function)([4, 3, 1], seed=5), [4, 3, 1], "the parameters")
        other = expect_parameters(getattr(student, function)([4, 3, 1], seed=6), [4, 3, 1], "the parameters")
        if not all(np.array_equal(first[k], again[k]) for k in first):
            fail(f"{function}([4, 3, 1], seed=5) gave different results on two calls: use np.random.default_rng(seed).")
        if np.array_equal(first["W1"], other["W1"]):
            fail(f"{function}([4, 3, 1]) gave the same W1 with seed=5 and seed=6: the seed is ignored.")

    return check


check_random_shapes = _shapes_and_biases("initialize_parameters_random", 10)
check_random_scale = _scale("initialize_parameters_random", 20)
check_random_seed = _seed("initialize_parameters_random", 10)
check_he_shapes = _shapes_and_biases("initialize_parameters_he", 10)
check_he_scale = _scale("initialize_parameters_he", 20)
check_he_seed = _seed("initialize_parameters_he", 10)
