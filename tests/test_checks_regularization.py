"""The regularization checks: the reference scores 100 and draws the training figure, the stub 0,
each known wrong implementation (the catalogue ``grader/mistakes/regularization.py``; graded in ``tests/test_validate.py``) loses the checks meant for it
with its message, and a numeric-gradient mismatch shows which block disagrees."""

import pytest

from tests.helpers import failed, grade_source, reference_source, stub_source
from tests.wrong_impls import failures_by_check, wrong_implementations

A = "regularization"
REFERENCE_CHECK = {
    "backward_l2": ("backward_propagation_with_regularization", "matches the reference on drawn networks"),
    "backward_dropout": ("backward_propagation_with_dropout", "matches the reference on the same masks"),
}
# the named known mistake, on top of the block named in every file's message
HINTS = {
    "backward_l2_missing_1_over_m": (REFERENCE_CHECK["backward_l2"], "the 1/m is missing"),
    "backward_l2_on_db": (REFERENCE_CHECK["backward_l2"], "the biases are not penalised, dbl is unchanged"),
    "backward_dropout_no_masks": (REFERENCE_CHECK["backward_dropout"], "without the masks on dAl"),
    "backward_dropout_no_rescale": (REFERENCE_CHECK["backward_dropout"], "without the division by keep_prob"),
}
WRONG = wrong_implementations(A)


def test_reference_scores_full_marks_and_draws_the_boundaries():
    result = grade_source(A, reference_source(A))
    assert failures_by_check(result) == {}
    assert result.score == 100
    assert sorted(f.kind for f in result.figures) == ["bars", "boundaries", "lines"]  # bars: train and test accuracy
    figure = next(f for f in result.figures if f.kind == "boundaries")
    costs = next(f for f in result.figures if f.kind == "lines").data["series"]
    labels = [panel["label"] for panel in figure.data["panels"]]
    assert labels == [
        "none (no code of yours)",
        "yours: L2",
        "yours: dropout",
        "yours: both",
        "reference: none",
        "reference: L2",
        "reference: dropout",
        "reference: both",
    ]
    assert all(panel["runs"] for panel in figure.data["panels"])
    assert sorted(costs) == sorted(
        f"{who}: {label}" for who in ("yours", "reference") for label in ("L2", "dropout", "both")
    )
    from grader.checks.regularization_runs import RECORD_EVERY, TRAIN_ITERATIONS

    assert (
        len(costs["yours: both"]) == TRAIN_ITERATIONS // RECORD_EVERY
        and costs["yours: both"][-1] < costs["yours: both"][0]
    )


def test_stub_scores_zero_and_says_not_implemented():
    result = grade_source(A, stub_source(A))
    assert result.score == 0
    failures = failures_by_check(result)
    assert len(failures) == len(result.outcomes)
    assert all("not implemented yet" in message for message in failures.values())


def test_numeric_gradient_mismatch_names_the_block_in_a_figure():
    wrong = next(w for w in WRONG if w.name == "backward_l2_on_db")
    result = grade_source(A, wrong.applied_to(reference_source(A)))
    bars = [f for f in result.figures if f.kind == "bars"]
    assert bars, "no per-block figure"
    data = bars[0].data
    values = dict(zip(data["labels"], data["series"]["relative difference"]))
    assert values["db1"] > data["threshold"] and values["dW1"] <= data["threshold"]


def test_every_issue_bullet_has_a_wrong_implementation():
    names = {w.name for w in WRONG}
    for bullet in (
        "cost_missing_1_over_m",
        "cost_missing_half",
        "cost_penalises_biases",
        "backward_l2_missing_1_over_m",
        "backward_l2_on_db",
        "dropout_inconsistent_masks",
        "dropout_no_rescale",
        "dropout_keeps_1_minus_p",
        "dropout_on_input",
        "dropout_on_output",
        "dropout_same_mask_without_seed",
        "dropout_seed_ignored",
        "backward_dropout_no_masks",
        "backward_dropout_no_rescale",
        "backward_dropout_lambd_ignored",
    ):
        assert bullet in names


def test_public_checks_reference_full_marks_stub_zero():
    assert grade_source(A, reference_source(A), public=True).score == 100
    assert grade_source(A, stub_source(A), public=True).score == 0


@pytest.mark.parametrize(
    "name, check",
    [
        (
            "cost_missing_half",
            ("compute_cost_with_regularization", "cost + lambd / (2m) * sum ||Wl||^2 on a fixed network"),
        ),
        (
            "backward_l2_on_db",
            ("backward_propagation_with_regularization", "gradients with the L2 term on a fixed network"),
        ),
        (
            "dropout_no_rescale",
            ("forward_propagation_with_dropout", "activations agree with the cached masks; input and output untouched"),
        ),
        (
            "dropout_keeps_1_minus_p",
            ("forward_propagation_with_dropout", "keeps about keep_prob of the units; seed reproducible"),
        ),
        ("backward_dropout_no_masks", ("backward_propagation_with_dropout", "gradients through fixed masks")),
        (
            "backward_dropout_lambd_ignored",
            ("backward_propagation_with_dropout", "dropout and L2 together (lambd = 0.7)"),
        ),
    ],
)
def test_public_checks_catch_wrong_implementations(name, check):
    wrong = next(w for w in WRONG if w.name == name)
    result = grade_source(A, wrong.applied_to(reference_source(A)), public=True)
    assert check in failures_by_check(result)


# correct implementations written differently from the reference: they must score 100
_FORWARD = """
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=None):
    rng = np.random.default_rng(seed)
    L = len(parameters) // 2
    cache = {}
    A = X
    for l in range(1, L + 1):
        Z = np.dot(parameters["W%d" % l], A) + parameters["b%d" % l]
        if l < L:
            D = MASK
            A = np.multiply(np.maximum(Z, 0), D) / keep_prob
            cache["D%d" % l] = D
        else:
            A = 1 / (1 + np.exp(-Z))
        cache["Z%d" % l], cache["A%d" % l] = Z, A
        cache["W%d" % l], cache["b%d" % l] = parameters["W%d" % l], parameters["b%d" % l]
    return A, cache
"""
VARIANTS = {
    "dropout_binomial_int_masks": _FORWARD.replace("MASK", "rng.binomial(1, keep_prob, size=Z.shape)"),
    "dropout_uniform_float_masks": _FORWARD.replace("MASK", "(rng.uniform(0, 1, Z.shape) < keep_prob).astype(float)"),
    "cost_with_norms": """
def compute_cost_with_regularization(AL, Y, parameters, lambd):
    m = Y.shape[1]
    weights = [value for key, value in parameters.items() if key.startswith("W")]
    return compute_cost(AL, Y) + lambd * sum(np.linalg.norm(W) ** 2 for W in weights) / (2 * m)
""",
    "backward_dropout_masked_by_activation": """
def backward_propagation_with_dropout(X, Y, cache, keep_prob, lambd=0.0):
    L = num_layers(cache)
    m = X.shape[1]
    grads = {}
    dZ = cache[f"A{L}"] - Y
    for l in range(L, 0, -1):
        A_prev = X if l == 1 else cache[f"A{l - 1}"]
        grads[f"dW{l}"] = (dZ @ A_prev.T + lambd * cache[f"W{l}"]) / m
        grads[f"db{l}"] = dZ.mean(axis=1, keepdims=True)
        if l > 1:
            dA = np.where(cache[f"D{l - 1}"] != 0, cache[f"W{l}"].T @ dZ / keep_prob, 0.0)
            dZ = np.where(cache[f"Z{l - 1}"] > 0, dA, 0.0)
    return grads
""",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_correct_variant_scores_full_marks(name):
    from tests.wrong_impls import WrongImplementation

    source = WrongImplementation(name, VARIANTS[name], (), "").applied_to(reference_source(A))
    result = grade_source(A, source)
    assert failures_by_check(result) == {} and result.score == 100
    assert grade_source(A, source, public=True).score == 100


def test_a_backward_pass_that_only_answers_the_graded_runs_fails_the_secret_run_of_50_steps():
    # The model check's runs advance together, one call each per step: "both", "dropout", then
    # the secret case's run (its masks drawn from a secret seed) for its 50 steps. This backward
    # pass answers the secret run's calls with zero gradients: the graded run trains, the secret
    # one does not, and its message names its own length.
    from grader.checks.regularization_runs import SECRET_ITERATIONS, TRAIN_ITERATIONS

    source = reference_source(A).replace("def backward_propagation_with_dropout(", "def _true_backward(", 1) + (
        "\n\n_FOOTBALL_CALLS = [0]\n\n\n"
        "def backward_propagation_with_dropout(X, Y, cache, keep_prob, lambd=0.0):\n"
        "    grads = _true_backward(X, Y, cache, keep_prob, lambd)\n"
        "    if X.shape == (2, 211):  # football: the model check\n"
        "        _FOOTBALL_CALLS[0] += 1\n"
        f"        if _FOOTBALL_CALLS[0] <= 3 * {SECRET_ITERATIONS} and _FOOTBALL_CALLS[0] % 3 == 0:\n"
        "            grads = {key: 0 * value for key, value in grads.items()}\n"
        "    return grads\n"
    )
    result = grade_source(A, source)
    assert list(failed(result)) == ["regularization.check_model_trains"]
    message = failed(result)["regularization.check_model_trains"]
    assert "drawn for this submission only" in message
    assert f"num_iterations={SECRET_ITERATIONS})" in message and "about 90 %" in message
    assert f"num_iterations={TRAIN_ITERATIONS})" not in message  # the graded run trained


def test_numeric_gradients_costed_together_are_the_ones_costed_one_by_one():
    """``numeric_gradient_many`` with ``regularized_costs`` gives ``numeric_gradient``'s numbers, bit
    for bit, with and without masks and L2 (and by ``numeric_gradient`` itself for parameters laid
    out otherwise)."""
    import numpy as np

    from grader.checkapi.toynets import forward, masked_network, network
    from grader.checks.models import cross_entropy, numeric_gradient, numeric_gradient_many, penalty, regularized_costs

    def same(a, b):
        return list(a) == list(b) and all((a[k].dtype, a[k].tobytes()) == (b[k].dtype, b[k].tobytes()) for k in a)

    def cost(X, Y, lambd, m, masks=None, keep_prob=1.0):  # the checks' cost, one set of parameters
        return lambda p: cross_entropy(forward(X, p, masks, keep_prob)[0], Y) + penalty(p, lambd, m)

    for seed in range(12):
        for dims, m, keep_prob, lambd in (
            ([3, 5, 4, 1], 6, 0.7, 0.9),
            ([2, 6, 1], 5, 0.5, 0.0),
            ([4, 3, 1], 3, 1.0, 2.0),
        ):
            if keep_prob < 1:
                X, Y, parameters, masks, _ = masked_network(dims, m, seed, keep_prob)
            else:
                (X, Y, parameters), masks = network(dims, m, seed), None
            one_by_one = numeric_gradient(cost(X, Y, lambd, m, masks, keep_prob), parameters)
            assert same(
                numeric_gradient_many(regularized_costs(X, Y, lambd, m, masks, keep_prob), parameters), one_by_one
            )
    fortran = {key: np.asfortranarray(value) for key, value in parameters.items()}
    expected = numeric_gradient(cost(X, Y, 2.0, 3), fortran)
    assert same(numeric_gradient_many(regularized_costs(X, Y, 2.0, 3), fortran), expected)
