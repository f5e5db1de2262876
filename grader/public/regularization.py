"""Public checks of ``regularization``: what ``grade check`` runs on a student's machine.
Fixed networks; the cost and the gradients are compared with stored values, the dropout
forward pass with the student's own masks and by the masks' statistics."""

import numpy as np

from grader.checkapi.support import Case, assert_close, expect_dict, fail, grading
from grader.checkapi.toynets import (
    dropout_forward,
    expect_dropout_consistent,
    expect_keep_rate,
    expect_no_dropout_on_input_output,
    forward,
    masked_network,
    network,
)

ASSIGNMENT = "regularization"

X, Y, PARAMETERS = network([3, 4, 2, 1], 5, seed=1)
AL, CACHE = forward(X, PARAMETERS)
DX, DY, DPARAMETERS, _, DCACHE = masked_network([3, 5, 4, 1], 6, seed=2, keep_prob=0.7)
CASES = {
    "cost": Case("compute_cost_with_regularization", AL, Y, PARAMETERS, 0.7),
    "backward": Case("backward_propagation_with_regularization", X, Y, CACHE, 0.7),
    "dropout backward": Case("backward_propagation_with_dropout", DX, DY, DCACHE, 0.7),
    "both": Case("backward_propagation_with_dropout", DX, DY, DCACHE, 0.7, lambd=0.7),
}


def _grads(case, student, expected):
    want = {k: v for k, v in expected.items() if k[:2] in ("dW", "db")}
    got = expect_dict(case.run(student), f"the gradients returned by {case!r}", list(want))
    for key in sorted(want, key=lambda k: (int(k[2:]), k[1])):
        assert_close(got[key], want[key], f"{case!r}['{key}'] on the public network", rtol=1e-6)


@grading("compute_cost_with_regularization", "cost + lambd / (2m) * sum ||Wl||^2 on a fixed network", 20)
def check_cost(student, expected):
    assert_close(CASES["cost"].run(student), expected["cost"], f"{CASES['cost']!r} on the public network", rtol=1e-7)


@grading("backward_propagation_with_regularization", "gradients with the L2 term on a fixed network", 20)
def check_backward_l2(student, expected):
    _grads(CASES["backward"], student, expected["backward"])


@grading("forward_propagation_with_dropout", "activations agree with the cached masks; input and output untouched", 15)
def check_dropout_forward(student):
    AL, cache, call = dropout_forward(student, DX, DPARAMETERS, 0.7, strict=True, seed=3)
    expect_no_dropout_on_input_output(DX, AL, cache, DPARAMETERS, call)
    expect_dropout_consistent(cache, DPARAMETERS, 0.7, call)


@grading("forward_propagation_with_dropout", "keeps about keep_prob of the units; seed reproducible", 10)
def check_dropout_masks(student):
    X, _, parameters = network([4, 100, 50, 1], 200, seed=4)
    _, cache, call = dropout_forward(student, X, parameters, 0.8, seed=5)
    expect_keep_rate(cache, 0.8, call, ("D1", "D2"))
    _, again, _ = dropout_forward(student, X, parameters, 0.8, seed=5)
    if not np.array_equal(cache["D1"], again["D1"]):
        fail(f"Two calls of {call} gave different masks: draw from np.random.default_rng(seed).")


@grading("backward_propagation_with_dropout", "gradients through fixed masks", 20)
def check_dropout_backward(student, expected):
    _grads(CASES["dropout backward"], student, expected["dropout backward"])


@grading("backward_propagation_with_dropout", "dropout and L2 together (lambd = 0.7)", 15)
def check_dropout_with_l2(student, expected):
    _grads(CASES["both"], student, expected["both"])
