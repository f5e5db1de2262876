"""Small networks for the ``regularization`` checks, hidden and public: drawn data and
parameters, a forward pass with given dropout masks (written here, independent of any
solution), and validating what a student's dropout forward returns. (The cost and the
numeric gradient, which students must write themselves, are in ``grader/checks/models.py``.)
"""

import numpy as np

from grader.checkapi.networks import expect_recomputed, matching_hint
from grader.checkapi.support import expect_array, expect_dict, fail


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def network(dims, m, seed):
    """(X, Y, parameters): standard-normal data, He weights, small non-zero biases."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) * np.sqrt(2 / dims[l - 1])
        parameters[f"b{l}"] = rng.standard_normal((dims[l], 1)) * 0.1
    return X, Y, parameters


def forward(X, parameters, masks=None, keep_prob=1.0):
    """The network with given masks (``{"D1": ...}``), written here, independent of any solution."""
    L = len(parameters) // 2
    cache, A = {}, X
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z = W @ A + b
        A = sigmoid(Z) if l == L else np.maximum(Z, 0)
        if l < L and masks is not None:
            A = A * masks[f"D{l}"] / keep_prob
            cache[f"D{l}"] = masks[f"D{l}"]
        cache.update({f"Z{l}": Z, f"A{l}": A, f"W{l}": W, f"b{l}": b})
    return A, cache


def forward_many(X, stacked, masks=None, keep_prob=1.0):
    """``forward(X, p, masks, keep_prob)[0]`` of every set ``p`` of a stack ``{"W1": (B, n_1, n_0),
    ...}``, shape ``(B, 1, m)``: the same operations, ``@`` multiplying each set's matrices as it
    multiplies one pair."""
    L = len(stacked) // 2
    A = X
    for l in range(1, L + 1):
        Z = stacked[f"W{l}"] @ A + stacked[f"b{l}"]
        A = sigmoid(Z) if l == L else np.maximum(Z, 0)
        if l < L and masks is not None:
            A = A * masks[f"D{l}"] / keep_prob
    return A


def masked_network(dims, m, seed, keep_prob):
    """(X, Y, parameters, masks, cache): a network and a forward pass with fixed boolean masks."""
    X, Y, parameters = network(dims, m, seed)
    rng = np.random.default_rng(seed + 1)
    masks = {f"D{l}": rng.random((dims[l], m)) < keep_prob for l in range(1, len(dims) - 1)}
    return X, Y, parameters, masks, forward(X, parameters, masks, keep_prob)[1]


def dropout_forward(student, X, parameters, keep_prob, strict=False, **kwargs):
    """Call the student's forward; return (AL, cache) validated for structure. Only ``strict``
    (the structure check) charges a mask cached as Dl / keep_prob; the other checks read it back
    as the 0/1 mask it stands for (one requirement, one check)."""
    args = "".join(f", {k}={v!r}" for k, v in kwargs.items())
    call = f"forward_propagation_with_dropout(X, parameters, keep_prob={keep_prob}{args})"
    got = student.forward_propagation_with_dropout(X, parameters, keep_prob, **kwargs)
    if not (isinstance(got, (tuple, list)) and len(got) == 2):
        fail(f"{call} should return a pair (AL, cache), got {type(got).__name__}.")
    L, m = len(parameters) // 2, X.shape[1]
    AL = expect_array(got[0], f"AL returned by {call}", (1, m))
    keys = [f"{p}{l}" for l in range(1, L + 1) for p in "ZAWb"] + [f"D{l}" for l in range(1, L)]
    cache = expect_dict(got[1], f"the cache returned by {call}", keys)
    out = {}
    for l in range(1, L + 1):
        n = parameters[f"W{l}"].shape[0]
        for key in [f"Z{l}", f"A{l}"] + ([f"D{l}"] if l < L else []):
            value = cache[key]
            if isinstance(value, np.ndarray) and value.dtype == bool:
                value = value.astype(float)
            out[key] = expect_array(value, f"cache['{key}'] of {call}", (n, m))
            if (
                key[0] == "D"
                and not strict
                and 0 < keep_prob < 1
                and np.all((out[key] == 0) | np.isclose(out[key], 1 / keep_prob, rtol=1e-12, atol=0))
            ):
                out[key] = (out[key] != 0).astype(float)  # Dl / keep_prob cached: the mask it stands for
            if key[0] == "D" and not np.all((out[key] == 0) | (out[key] == 1)):
                fail(f"cache['{key}'] of {call} should hold 0/1 (or True/False) only: the mask Dl, not Dl / keep_prob.")
        out[f"W{l}"], out[f"b{l}"] = parameters[f"W{l}"], parameters[f"b{l}"]
    return AL, out, call


def expect_dropout_consistent(cache, parameters, keep_prob, call):
    """Every hidden ``Al`` (and ``Zl``, l >= 2) recomputed from the student's own cache."""
    L = len(parameters) // 2
    for l in range(1, L):
        if l > 1:
            expect_recomputed(
                cache[f"Z{l}"],
                parameters[f"W{l}"] @ cache[f"A{l - 1}"] + parameters[f"b{l}"],
                f"cache['Z{l}'] of {call}",
                f"W{l} A{l - 1} + b{l} with your cached A{l - 1}",
            )
        relu, D = np.maximum(cache[f"Z{l}"], 0), cache[f"D{l}"]
        hint = matching_hint(
            {"A": cache[f"A{l}"]},
            {
                "relu(Zl) * Dl: the division by keep_prob is missing": {"A": relu * D},
                "relu(Zl): the mask is not applied": {"A": relu},
                "relu(Zl) * Dl * keep_prob: multiply by 1 / keep_prob, not keep_prob": {"A": relu * D * keep_prob},
            },
        )
        expect_recomputed(
            cache[f"A{l}"],
            relu * D / keep_prob,
            f"cache['A{l}'] of {call}",
            f"relu(Z{l}) * D{l} / keep_prob recomputed from your own cached Z{l} and mask D{l}"
            + (f" (yours is {hint})" if hint else ""),
        )


def expect_keep_rate(cache, keep_prob, call, keys):
    """The masks ``keys`` keep a fraction keep_prob of the units (about 8 standard errors)."""
    for key in keys:
        rate, n = float(cache[key].mean()), cache[key].size
        tolerance = 8 * np.sqrt(keep_prob * (1 - keep_prob) / n)
        if abs(rate - keep_prob) > tolerance:
            hint = (
                " That is 1 - keep_prob: keep a unit when rng.random(...) < keep_prob."
                if abs(rate - (1 - keep_prob)) <= tolerance
                else ""
            )
            fail(
                f"In {call}, cache['{key}'] keeps {rate:.2%} of the units, expected keep_prob = "
                f"{keep_prob:.0%} (tolerance {tolerance:.2%} over {n} entries).{hint}"
            )


def expect_no_dropout_on_input_output(X, AL, cache, parameters, call):
    """``Z1 = W1 X + b1`` (the input untouched) and ``AL = sigmoid(WL A{L-1} + bL)`` with the
    student's cached ``A{L-1}`` (the output untouched)."""
    L = len(parameters) // 2
    expect_recomputed(
        cache["Z1"],
        parameters["W1"] @ X + parameters["b1"],
        f"cache['Z1'] of {call}",
        "W1 X + b1: dropout must never touch the input X",
    )
    expect_recomputed(
        AL,
        sigmoid(parameters[f"W{L}"] @ cache[f"A{L - 1}"] + parameters[f"b{L}"]),
        f"AL returned by {call}",
        f"sigmoid(W{L} A{L - 1} + b{L}) with your cached A{L - 1}: dropout must never touch the output layer",
    )
