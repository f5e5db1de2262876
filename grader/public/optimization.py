"""Public checks of ``optimization``: fixed calls a student can run with ``grade check``.
One step of each update rule from a given state, the mini-batches by their properties, the
two decays at a few epochs. Expected values are stored data (see ``build.py``)."""

import numpy as np

from grader.checkapi.support import Case, assert_close, expect_array, expect_dict, fail, grading

ASSIGNMENT = "optimization"

_rng = np.random.default_rng(7)
P = {
    "W1": _rng.standard_normal((3, 2)),
    "b1": _rng.standard_normal((3, 1)),
    "W2": _rng.standard_normal((1, 3)),
    "b2": _rng.standard_normal((1, 1)),
}
G = {"d" + key: _rng.standard_normal(value.shape) for key, value in P.items()}
TINY = {key: value * 1e-8 for key, value in G.items()}  # where epsilon's place matters
V = {key: 0.1 * _rng.standard_normal(value.shape) for key, value in G.items()}
S = {key: 0.01 * _rng.random(value.shape) for key, value in G.items()}
ZEROS = {key: np.zeros_like(value) for key, value in G.items()}
CASES = {
    "gd": Case("update_parameters_with_gd", P, G, 0.1),
    "momentum": Case("update_parameters_with_momentum", P, G, V, 0.9, 0.01),
    "rmsprop": Case("update_parameters_with_rmsprop", P, G, S, 0.9, 0.01, 1e-8),
    "rmsprop tiny": Case("update_parameters_with_rmsprop", P, TINY, ZEROS, 0.9, 0.01, 1e-8),
    "adam t=1": Case("update_parameters_with_adam", P, G, ZEROS, ZEROS, 1, 0.01, 0.9, 0.999, 1e-8),
    "adam t=3": Case("update_parameters_with_adam", P, G, V, S, 3, 0.01, 0.9, 0.999, 1e-8),
    "update_lr": Case("update_lr", 0.5, 3, 2.0),
    "schedule 1500": Case("schedule_lr_decay", 0.1, 1500, 1.0, 1000),
    "schedule 2999": Case("schedule_lr_decay", 0.1, 2999, 0.5, 1000),
}
RETURNS = {
    "momentum": ("parameters", "v"),
    "rmsprop": ("parameters", "s"),
    "adam": ("parameters", "v", "s", "v_corrected", "s_corrected"),
}


def _compare(got, expected, names, case):
    """``got`` is a tuple of dicts named ``names`` (or one dict), compared entry by entry."""
    if len(names) > 1:
        if not isinstance(got, tuple) or len(got) != len(names):
            fail(f"{case!r} should return the tuple ({', '.join(names)}).")
    else:
        got, expected = (got,), (expected,)
    for name, value, reference in zip(names, got, expected):
        value = expect_dict(value, f"{name} returned by {case.function}", list(reference))
        for key in reference:
            assert_close(
                value[key],
                reference[key],
                f"{name}['{key}']",
                rtol=1e-7,
                atol=1e-14,
                context=f"After {case.function}(...) with the public inputs",
            )


@grading("update_parameters_with_gd", "one step with learning_rate = 0.1", 10)
def check_gd(student, expected):
    _compare(CASES["gd"].run(student), expected["gd"], ("parameters",), CASES["gd"])


@grading("random_mini_batches", "148 examples in batches of 64: sizes 64, 64, 20, every example once", 15)
def check_batches(student):
    X = np.vstack([np.arange(148.0), np.linspace(-1, 1, 148)])
    Y = (np.arange(148.0) % 2)[None, :]
    batches = student.random_mini_batches(X, Y, 64, 1)
    if not isinstance(batches, list) or not all(isinstance(b, (tuple, list)) and len(b) == 2 for b in batches):
        fail("random_mini_batches should return a list of (X_batch, Y_batch) tuples.")
    shapes = [expect_array(b[0], "X_batch").shape for b in batches]
    if shapes != [(2, 64), (2, 64), (2, 20)]:
        fail(
            f"random_mini_batches(X of shape (2, 148), Y, 64, seed=1) gave X_batch shapes {shapes}; expected "
            "[(2, 64), (2, 64), (2, 20)]: full batches first, then the remainder."
        )
    ids = np.concatenate([b[0][0] for b in batches])
    if sorted(ids.tolist()) != list(range(148)):
        fail("The batches should hold every example exactly once.")
    if np.array_equal(ids, np.arange(148.0)):
        fail("The examples are not shuffled: draw one permutation from np.random.default_rng(seed).")
    for X_batch, Y_batch in batches:
        if not np.array_equal(expect_array(Y_batch, "Y_batch"), X_batch[:1] % 2):
            fail("A label was separated from its example: shuffle X and Y with the same permutation.")


@grading("random_mini_batches", "the same seed gives the same batches", 5)
def check_batches_seed(student):
    X, Y = np.arange(20.0)[None, :], np.zeros((1, 20))
    first, again = student.random_mini_batches(X, Y, 8, 3), student.random_mini_batches(X, Y, 8, 3)
    if repr(first) != repr(again):
        fail(
            "random_mini_batches(X, Y, 8, seed=3) gave different batches on two calls; use np.random.default_rng(seed)."
        )


def _zeros(got, name):
    got = expect_dict(got, name, list(G))
    for key, value in G.items():
        if np.any(expect_array(got[key], f"{name}['{key}']", value.shape) != 0):
            fail(f"{name}['{key}'] should be all zeros.")


@grading("initialize_velocity", "zeros keyed dW1, db1, dW2, db2", 3)
def check_velocity(student):
    _zeros(student.initialize_velocity(P), "initialize_velocity(parameters)")


@grading("initialize_rmsprop", "zeros keyed dW1, db1, dW2, db2", 3)
def check_rmsprop_zeros(student):
    _zeros(student.initialize_rmsprop(P), "initialize_rmsprop(parameters)")


@grading("initialize_adam", "(v, s) of zeros keyed dW1, db1, dW2, db2", 4)
def check_adam_zeros(student):
    got = student.initialize_adam(P)
    if not isinstance(got, tuple) or len(got) != 2:
        fail("initialize_adam(parameters) should return the tuple (v, s).")
    _zeros(got[0], "v of initialize_adam(parameters)")
    _zeros(got[1], "s of initialize_adam(parameters)")


@grading("update_parameters_with_momentum", "one step from a non-zero velocity", 12)
def check_momentum(student, expected):
    _compare(CASES["momentum"].run(student), expected["momentum"], RETURNS["momentum"], CASES["momentum"])


@grading("update_parameters_with_rmsprop", "one step, with ordinary and with tiny gradients", 12)
def check_rmsprop(student, expected):
    for case in ("rmsprop", "rmsprop tiny"):
        _compare(CASES[case].run(student), expected[case], RETURNS["rmsprop"], CASES[case])


@grading("update_parameters_with_adam", "the first step (t = 1) and a third step (t = 3)", 18)
def check_adam(student, expected):
    for case in ("adam t=1", "adam t=3"):
        _compare(CASES[case].run(student), expected[case], RETURNS["adam"], CASES[case])


@grading("update_lr", "learning_rate0 = 0.5, epoch 3, decay_rate 2", 8)
def check_update_lr(student, expected):
    assert_close(CASES["update_lr"].run(student), expected["update_lr"], repr(CASES["update_lr"]), rtol=1e-12)


@grading("schedule_lr_decay", "epochs 1500 and 2999 with time_interval = 1000", 10)
def check_schedule(student, expected):
    for case in ("schedule 1500", "schedule 2999"):
        assert_close(
            CASES[case].run(student),
            expected[case],
            repr(CASES[case]),
            rtol=1e-12,
            context="learning_rate0 / (1 + decay_rate * floor(epoch_num / time_interval))",
        )
