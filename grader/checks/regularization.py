"""Hidden checks of ``regularization`` (SPEC §3): the L2 cost and its gradients, inverted
dropout forward and backward, and both together.

Two oracles: the reference (on the same inputs, and for the backward pass on the same masks),
and a centred numeric gradient of the regularized cost that knows nothing of either (for
dropout, with the masks held fixed). Dropout's forward pass is graded against the student's own
cached masks (recomputed from them) and by statistics of the masks, never by one draw.
When a result matches a known mistake, the message names it.
"""

import functools

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st

from grader.checkapi.memo import memoize
from grader.checkapi.networks import lines_figure, matching_hint
from grader.checkapi.support import (
    CheckFailure,
    assert_close,
    expect_dict,
    expect_float,
    fail,
    given,
    grading,
    secret_variant,
)
from grader.checkapi.toynets import (
    dropout_forward,
    expect_dropout_consistent,
    expect_keep_rate,
    expect_no_dropout_on_input_output,
    forward,
    masked_network,
    network,
)
from grader.checks.models import (
    cross_entropy,
    expect_numeric_gradient,
    nondegenerate,
    numeric_gradient_many,
    penalty,
    regularized_costs,
)
from grader.checks.regularization_runs import (
    CONFIGS,
    REACHES,
    RECORD_EVERY,
    SECRET_ITERATIONS,
    TRAIN_ITERATIONS,
    TRAIN_LR,
    accuracies,
    accuracy,
    accuracy_figure,
    football,
    reference_runs,
    test_panel,
    train_students,
)
from grader.results import Figure

ASSIGNMENT = "regularization"

dims_st = st.integers(2, 4).flatmap(
    lambda L: st.lists(st.integers(1, 8), min_size=L, max_size=L).map(lambda w: w + [1])
)
network_st = st.fixed_dictionaries({"dims": dims_st, "m": st.integers(1, 12), "seed": st.integers(0, 999)})
lambd_st = st.sampled_from([0.1, 0.7, 1.0, 2.5])
keep_st = st.sampled_from([0.5, 0.7, 0.86])


def _secret_seed(rng):
    """A secret case's network seed (``support.secret_variant``)."""
    return int(rng.integers(1000, 10**6))


def compare_grads(got, expected, call, hints, context=""):
    """``got`` has every ``dWl, dbl`` of ``expected`` within tolerance; else fail, naming a known
    mistake that ``got`` matches when there is one (``hints``: ``{description: gradients}``, or a
    function that makes it, called only on a failure)."""
    got = expect_dict(got, f"the gradients returned by {call}", list(expected))
    layout = sorted(expected, key=lambda k: (int(k[2:]), k[1]))  # dW1, db1, dW2, ...
    try:
        for key, value in ((k, expected[k]) for k in layout):
            assert_close(got[key], value, f"{call}['{key}']", rtol=1e-6, atol=1e-9, context=context)
    except CheckFailure as failure:
        hint = matching_hint(got, hints() if callable(hints) else hints)
        fail(str(failure) + (f" Your gradients match {hint}." if hint else ""))


# -- L2 cost -----------------------------------------------------------------------------------


@grading("compute_cost_with_regularization", "matches the reference on drawn networks", 12)
@settings(max_examples=6)
@given(net=network_st, lambd=lambd_st)
def check_cost(student, reference, net, lambd):
    X, Y, parameters = network(**net)
    AL, _ = forward(X, parameters)
    got = student.compute_cost_with_regularization(AL, Y, parameters, lambd)
    call = f"compute_cost_with_regularization(AL, Y, parameters, lambd={lambd}) on {net}"
    expected = reference.compute_cost_with_regularization(AL, Y, parameters, lambd)
    ce, m = cross_entropy(AL, Y), net["m"]
    value = expect_float(got, call)
    if not abs(value - expected) <= 1e-9 + 1e-7 * abs(expected):
        hint = matching_hint(
            value,
            {
                "the cross-entropy + lambd/2 * sum ||Wl||^2: the 1/m is missing": ce + penalty(parameters, lambd, 1),
                "the cross-entropy + lambd/m * sum ||Wl||^2: the 1/2 is missing": ce
                + 2 * penalty(parameters, lambd, m),
                "a penalty on the biases as well: only the weights are penalised": ce
                + penalty(parameters, lambd, m, biases=True),
                "the L2 term alone: the cross-entropy is missing": penalty(parameters, lambd, m),
            },
            rtol=1e-7,
        )
        fail(
            f"{call} is {value:.10g}, expected {expected:.10g} = cross-entropy {ce:.10g} + lambd / (2m) * "
            f"sum ||Wl||_F^2." + (f" Your value is {hint}." if hint else "")
        )


@grading("compute_cost_with_regularization", "the biases are not penalised", 6)
@secret_variant(seed=_secret_seed)
def check_cost_biases(student, seed=11):
    X, Y, parameters = network([3, 4, 2, 1], 5, seed=seed)
    AL, _ = forward(X, parameters)
    big = {k: (v if k[0] == "W" else v + 3.0) for k, v in parameters.items()}
    plain = expect_float(student.compute_cost_with_regularization(AL, Y, parameters, 0.7), "the cost")
    shifted = expect_float(student.compute_cost_with_regularization(AL, Y, big, 0.7), "the cost")
    if not np.isclose(plain, shifted, rtol=1e-9, atol=1e-12):
        fail(
            f"compute_cost_with_regularization(AL, Y, parameters, 0.7) changed from {plain:.8g} to {shifted:.8g} "
            "when only the biases changed (by +3, AL held fixed): the biases are penalised, but the L2 term is "
            "lambd / (2m) * sum_l ||Wl||_F^2 over the weights only."
        )


# -- L2 backward -------------------------------------------------------------------------------


@grading("backward_propagation_with_regularization", "matches the reference on drawn networks", 12)
@settings(max_examples=6)
@given(net=network_st, lambd=lambd_st)
def check_backward_l2(student, reference, net, lambd):
    X, Y, parameters = network(**net)
    _, cache = forward(X, parameters)
    expected = reference.backward_propagation_with_regularization(X, Y, cache, lambd)
    expected = {k: v for k, v in expected.items() if k[:2] in ("dW", "db")}
    m, plain = net["m"], reference.backward_propagation_with_regularization(X, Y, cache, 0.0)
    l2 = {k: (lambd / m) * cache["W" + k[2:]] if k[:2] == "dW" else 0 * v for k, v in expected.items()}
    hints = {
        "the plain gradients: the (lambd / m) * Wl term is missing": {k: plain[k] for k in expected},
        "the plain gradients + lambd * Wl: the 1/m is missing": {k: plain[k] + l2[k] * m for k in expected},
        "an L2 term on dbl as well: the biases are not penalised, dbl is unchanged": {
            k: expected[k] + (lambd / m) * cache["b" + k[2:]] if k[:2] == "db" else expected[k] for k in expected
        },
    }
    compare_grads(
        student.backward_propagation_with_regularization(X, Y, cache, lambd),
        expected,
        f"backward_propagation_with_regularization(X, Y, cache, lambd={lambd}) on {net}",
        hints,
    )


@memoize  # the same for every student (but in a secret case)
def _l2_numeric_case(dims, m, lambd, seed):
    """``(X, Y, parameters, numeric gradient)`` of the first network from ``seed`` on whose every
    block of the gradient is clearly non-zero (a dead block's relative difference is noise)."""
    while True:
        X, Y, parameters = network(dims, m, seed=seed)
        numeric = numeric_gradient_many(regularized_costs(X, Y, lambd, m), parameters)
        if nondegenerate(numeric):
            return X, Y, parameters, numeric
        seed += 1


@grading("backward_propagation_with_regularization", "matches a numeric gradient of the regularized cost", 8)
@secret_variant(seed=_secret_seed)
def check_backward_l2_numeric(student, figures, seed=5):
    for dims, m, lambd in (([3, 5, 4, 1], 6, 0.9), ([2, 3, 1], 4, 2.0)):
        X, Y, parameters, numeric = _l2_numeric_case(dims, m, lambd, seed)
        _, cache = forward(X, parameters)
        expect_numeric_gradient(
            student.backward_propagation_with_regularization(X, Y, cache, lambd),
            numeric,
            f"backward_propagation_with_regularization(X, Y, cache, lambd={lambd}) with layers_dims={dims}",
            figures,
            "the regularized cost",
        )


# -- dropout forward ---------------------------------------------------------------------------


@grading("forward_propagation_with_dropout", "returns AL and a cache with Zl, Al, Wl, bl and the masks Dl", 5)
@secret_variant(seed=_secret_seed)
def check_dropout_structure(student, seed=2):
    X, _, parameters = network([4, 6, 5, 3, 1], 7, seed=seed)
    dropout_forward(student, X, parameters, 0.7, strict=True, seed=1)


@grading("forward_propagation_with_dropout", "no dropout on the input X nor on the output layer", 6)
@secret_variant(seed=_secret_seed)
def check_dropout_input_output(student, seed=3):
    X, _, parameters = network([4, 6, 5, 1], 9, seed=seed)
    AL, cache, call = dropout_forward(student, X, parameters, 0.6, seed=4)
    expect_no_dropout_on_input_output(X, AL, cache, parameters, call)


@grading("forward_propagation_with_dropout", "every Al agrees with its own mask: relu(Zl) * Dl / keep_prob", 9)
@settings(max_examples=4)
@given(net=network_st, keep_prob=st.sampled_from([0.5, 0.8, 1.0]))
def check_dropout_consistency(student, net, keep_prob):
    X, _, parameters = network(**net)
    _, cache, call = dropout_forward(student, X, parameters, keep_prob, seed=net["seed"])
    call += f" on {net}"
    expect_dropout_consistent(cache, parameters, keep_prob, call)


@grading("forward_propagation_with_dropout", "keeps each hidden unit with probability keep_prob", 7)
@secret_variant(seed=_secret_seed)
def check_dropout_rate(student, seed=6):
    X, _, parameters = network([5, 200, 100, 1], 400, seed=seed)
    for keep_prob in (0.8, 0.3):
        _, cache, call = dropout_forward(student, X, parameters, keep_prob, seed=9)
        expect_keep_rate(cache, keep_prob, call, ("D1", "D2"))


def _masks(cache):
    return [cache[k] for k in sorted(cache) if k[0] == "D"]


@grading("forward_propagation_with_dropout", "seed=None draws fresh masks on every call", 5)
@secret_variant(seed=_secret_seed)
def check_dropout_fresh(student, seed=7):
    X, _, parameters = network([4, 30, 20, 1], 25, seed=seed)
    for kwargs in ({"seed": None}, {}):
        first = dropout_forward(student, X, parameters, 0.5, **kwargs)
        second = dropout_forward(student, X, parameters, 0.5, **kwargs)
        if all(np.array_equal(a, b) for a, b in zip(_masks(first[1]), _masks(second[1]))):
            fail(
                f"Two calls of {first[2]} gave the same masks: with seed=None every call must draw fresh masks "
                "(np.random.default_rng(None)); a fixed seed inside the function reuses one mask forever."
            )


@grading("forward_propagation_with_dropout", "the same seed gives the same masks, another seed others", 5)
@secret_variant(seed=_secret_seed)
def check_dropout_seed(student, seed=8):
    X, _, parameters = network([4, 30, 20, 1], 25, seed=seed)
    first = dropout_forward(student, X, parameters, 0.5, seed=21)
    again = dropout_forward(student, X, parameters, 0.5, seed=21)
    other = dropout_forward(student, X, parameters, 0.5, seed=22)
    if not (
        all(np.array_equal(a, b) for a, b in zip(_masks(first[1]), _masks(again[1])))
        and np.array_equal(first[0], again[0])
    ):
        fail(f"Two calls of {first[2]} gave different masks or AL: draw from rng = np.random.default_rng(seed).")
    if all(np.array_equal(a, b) for a, b in zip(_masks(first[1]), _masks(other[1]))):
        fail(f"{first[2]} and {other[2]} gave the same masks: the seed argument is ignored.")


# -- dropout backward --------------------------------------------------------------------------


def dropout_hints(reference, X, Y, cache, keep_prob, lambd, keys):
    """A function that makes ``compare_grads``' hints for the dropout backward pass: called only
    when the comparison fails (a passing example does not run the reference four more times).
    (The checks' bodies call this as before: hypothesis draws a check's examples from a digest
    of its source.)"""
    return functools.partial(_dropout_hints, reference, X, Y, cache, keep_prob, lambd, keys)


def _dropout_hints(reference, X, Y, cache, keep_prob, lambd, keys):
    ones = {**cache, **{k: np.ones_like(v) for k, v in cache.items() if k[0] == "D"}}
    pick = lambda grads: {k: grads[k] for k in keys}
    hints = {
        "those without the masks on dAl (rescaled only)": pick(
            reference.backward_propagation_with_dropout(X, Y, ones, keep_prob, lambd)
        ),
        "those without the division by keep_prob": pick(
            reference.backward_propagation_with_dropout(X, Y, cache, 1.0, lambd)
        ),
        "those without masks and without the division by keep_prob": pick(
            reference.backward_propagation_with_dropout(X, Y, ones, 1.0, lambd)
        ),
    }
    if lambd:
        hints["those with lambd ignored (no (lambd / m) * Wl term)"] = pick(
            reference.backward_propagation_with_dropout(X, Y, cache, keep_prob, 0.0)
        )
    return hints


@grading("backward_propagation_with_dropout", "matches the reference on the same masks", 8)
@settings(max_examples=5)
@given(net=network_st, keep_prob=keep_st)
def check_dropout_backward(student, reference, net, keep_prob):
    X, Y, parameters, _, cache = masked_network(**net, keep_prob=keep_prob)
    expected = {
        k: v
        for k, v in reference.backward_propagation_with_dropout(X, Y, cache, keep_prob).items()
        if k[:2] in ("dW", "db")
    }
    compare_grads(
        student.backward_propagation_with_dropout(X, Y, cache, keep_prob),
        expected,
        f"backward_propagation_with_dropout(X, Y, cache, keep_prob={keep_prob}) on {net}",
        dropout_hints(reference, X, Y, cache, keep_prob, 0.0, list(expected)),
    )


@memoize  # the same for every student (but in a secret case)
def _dropout_numeric_case(dims, m, keep_prob, lambd, seed):
    """``(X, Y, cache, numeric gradient)`` of the first masked network from ``seed`` on whose
    every block of the gradient is clearly non-zero."""
    while True:
        X, Y, parameters, masks, cache = masked_network(dims, m, seed, keep_prob)
        numeric = numeric_gradient_many(regularized_costs(X, Y, lambd, m, masks, keep_prob), parameters)
        if nondegenerate(numeric):
            return X, Y, cache, numeric
        seed += 1


def dropout_numeric(student, figures, lambd, seed=12):
    for dims, m, keep_prob in (([3, 5, 4, 1], 6, 0.7), ([2, 6, 1], 5, 0.5)):
        X, Y, cache, numeric = _dropout_numeric_case(dims, m, keep_prob, lambd, seed)
        args = f"keep_prob={keep_prob}" + (f", lambd={lambd}" if lambd else "")
        expect_numeric_gradient(
            student.backward_propagation_with_dropout(X, Y, cache, keep_prob, lambd),
            numeric,
            f"backward_propagation_with_dropout(X, Y, cache, {args}) with layers_dims={dims}",
            figures,
            "the cost" + (" with the L2 term" if lambd else "") + ", masks held fixed",
        )


@grading("backward_propagation_with_dropout", "matches a numeric gradient with the masks held fixed", 7)
@secret_variant(seed=_secret_seed)
def check_dropout_backward_numeric(student, figures, seed=12):
    dropout_numeric(student, figures, 0.0, seed)


@grading("backward_propagation_with_dropout", "L2 and dropout together (lambd > 0)", 6)
@secret_variant(seed=_secret_seed, numeric_seed=_secret_seed)
def check_dropout_with_l2(student, reference, figures, seed=31, numeric_seed=12):
    for net, keep_prob, lambd in (
        ({"dims": [3, 5, 4, 1], "m": 6, "seed": seed}, 0.7, 0.7),
        ({"dims": [2, 3, 1], "m": 3, "seed": seed + 1}, 0.5, 2.5),
    ):
        X, Y, parameters, _, cache = masked_network(**net, keep_prob=keep_prob)
        expected = {
            k: v
            for k, v in reference.backward_propagation_with_dropout(X, Y, cache, keep_prob, lambd).items()
            if k[:2] in ("dW", "db")
        }
        compare_grads(
            student.backward_propagation_with_dropout(X, Y, cache, keep_prob, lambd),
            expected,
            f"backward_propagation_with_dropout(X, Y, cache, keep_prob={keep_prob}, lambd={lambd}) on {net}",
            dropout_hints(reference, X, Y, cache, keep_prob, lambd, list(expected)),
        )
    dropout_numeric(student, figures, 0.7, numeric_seed)


@grading(
    "backward_propagation_with_dropout",
    "the provided model trains with L2 and dropout together",
    4,
    uses=(
        "forward_propagation_with_dropout",
        "compute_cost_with_regularization",
        "backward_propagation_with_regularization",
    ),
)
def check_model_trains(student, figures, secret):
    X, Y, _, _ = football()
    mask_seed = _secret_seed(secret.rng)
    # The student's runs advance together (one round trip per iteration): "both", graded, and
    # its secret case on masks drawn from the secret; "dropout" alone is drawn for the report's
    # lesson (none, L2, dropout, both). "L2" calls no function of the student's here (uses=): its
    # run is the reference's, trained once (``reference_runs``).
    runs = train_students(
        student, {"both": ("both", None), "dropout": ("dropout", None), "secret": ("both", mask_seed)}
    )
    reference_panels, reference_costs, reference_scores, reference_trained = reference_runs()
    runs["L2"] = (reference_trained["L2"], reference_costs["L2"])
    trained = {label: run for label, run in runs.items() if not isinstance(run, CheckFailure) and label != "secret"}
    panels = [dict(reference_panels[0], label="none (no code of yours)")]
    series, scores = {}, {"none": reference_scores["none"]}
    for label in CONFIGS:
        if label in trained:
            panels.append(test_panel(f"yours: {label}", trained[label][0]))
            scores[label] = accuracies(trained[label][0])
            series[f"yours: {label}"] = trained[label][1]
        else:
            panels.append(
                {"label": f"yours: {label}", "subtitle": "did not train", "size": 1, "runs": [], "points": []}
            )
        series[f"reference: {label}"] = reference_costs[label]
    figures.append(accuracy_figure(scores, reference_scores))
    figures.append(
        Figure(
            "boundaries",
            f"Football's test points and the decision boundary after {TRAIN_ITERATIONS} "
            f"steps of reg_utils.model (learning rate {TRAIN_LR}; lambd 0.7, keep_prob "
            "0.86) with your backward pass (top; the reference's other functions) and the "
            "reference's (bottom); the notebook "
            "trains 30,000 steps",
            {"columns": 4, "panels": panels + list(reference_panels)},
        )
    )
    figures.append(
        lines_figure(
            "Cost of the same runs (with dropout, the cost of that step's thinned network)", series, RECORD_EVERY
        )
    )
    _expect_trained(runs["both"], TRAIN_ITERATIONS)
    secret.run(
        _expect_trained,
        runs["secret"],
        SECRET_ITERATIONS,
        description=f"the dropout masks drawn from seed {mask_seed}",
    )


def _expect_trained(run, iterations):
    """A "both" run of ``iterations`` steps reached 85 % training accuracy, or fail."""
    if isinstance(run, CheckFailure):
        raise run
    reached = accuracy(run[0])
    if not reached >= 0.85:
        fail(
            f"reg_utils.model(train_X, train_Y, lambd=0.7, keep_prob=0.86, num_iterations={iterations}) with "
            f"your backward_propagation_with_dropout (and the reference's other functions) reaches {reached:.1%} "
            f"training accuracy on football; the reference reaches {REACHES[iterations]} (at least 85 % expected)."
        )
