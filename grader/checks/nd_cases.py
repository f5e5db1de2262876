"""Networks and data for the ``gradient_checking_nd`` checks, with an independent numeric
oracle (the centred difference of the provided ``gc_utils.forward_propagation_n``).

A *case* is ``(X, Y, parameters, grads)`` with ``grads`` the correct ``dWl``/``dbl`` only.
``safe_case`` retries its draw until a correct gradient check cannot be fooled by
rounding: every block has a clearly non-zero gradient (no dead ReLU layer) and every
block's own relative difference, at epsilon = 1e-7, is far below the 2e-7 threshold.
``smooth_case`` keeps every hidden unit active with a wide margin (positive inputs,
weights and biases), so no ReLU kink lies within a large epsilon of the point.
"""

import numpy as np

from grader.checkapi.memo import memoize
from grader.checks.trajectories import provided

THRESHOLD = 2e-7
NOISE_CEILING = THRESHOLD / 20  # a safe case's largest per-block difference for correct gradients


def block_names(layers_dims):
    return [name for l in range(1, len(layers_dims)) for name in (f"W{l}", f"b{l}")]


def layers_of(parameters):
    L = sum(1 for key in parameters if key.startswith("W"))
    return [parameters["W1"].shape[1]] + [parameters[f"W{l}"].shape[0] for l in range(1, L + 1)]


def labels(layers_dims, prefix=""):
    """``["W1[0, 0]", "W1[0, 1]", ..., "b1[0, 0]", ...]`` in the vector layout."""
    out = []
    for l in range(1, len(layers_dims)):
        n, n_prev = layers_dims[l], layers_dims[l - 1]
        out += [f"{prefix}W{l}[{i}, {j}]" for i in range(n) for j in range(n_prev)]
        out += [f"{prefix}b{l}[{i}, 0]" for i in range(n)]
    return out


def flatten(blocks, layers_dims, prefix=""):
    return np.concatenate([np.asarray(blocks[prefix + name]).reshape(-1) for name in block_names(layers_dims)])


def relative_difference(a, b):
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)


def correct_gradients(X, Y, parameters):
    _, cache = provided("gc_utils").forward_propagation_n(X, Y, parameters)
    grads = provided("nn_utils").backward_propagation(X, Y, cache)
    return {key: value for key, value in grads.items() if key[:2] in ("dW", "db")}


def _costs(X, Y, thetas, layers_dims):
    """The cost of many networks at once: ``thetas`` of shape (B, n) -> costs of shape (B,)."""
    A, start, L = np.broadcast_to(X, (len(thetas),) + X.shape), 0, len(layers_dims) - 1
    for l in range(1, L + 1):
        n, n_prev = layers_dims[l], layers_dims[l - 1]
        W = thetas[:, start : start + n * n_prev].reshape(-1, n, n_prev)
        b = thetas[:, start + n * n_prev : start + n * n_prev + n].reshape(-1, n, 1)
        start += n * n_prev + n
        Z = W @ A + b
        A = 1 / (1 + np.exp(-Z)) if l == L else np.maximum(Z, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A), axis=(1, 2))


@memoize
def numeric_gradient(X, Y, parameters, epsilon=1e-7):
    """``{"dW1": ..., "db1": ...}``: the centred difference of the cost, one entry at a time
    (all shifted networks evaluated in one batched forward pass)."""
    layers_dims = layers_of(parameters)
    theta = flatten(parameters, layers_dims)
    n = theta.size
    thetas = np.tile(theta, (2 * n, 1))
    thetas[np.arange(n), np.arange(n)] += epsilon
    thetas[n + np.arange(n), np.arange(n)] -= epsilon
    costs = _costs(X, Y, thetas, layers_dims)
    flat = (costs[:n] - costs[n:]) / (2 * epsilon)
    approx, start = {}, 0
    for name in block_names(layers_dims):
        size = parameters[name].size
        approx["d" + name] = flat[start : start + size].reshape(parameters[name].shape)
        start += size
    return approx


def block_differences(grads, approx, layers_dims):
    return {
        name: relative_difference(np.asarray(grads["d" + name]), approx["d" + name])
        for name in block_names(layers_dims)
    }


def _draw(layers_dims, rng, x_scale, m):
    X = rng.standard_normal((layers_dims[0], m)) * x_scale
    Y = (rng.random((1, m)) < 0.5).astype(float)
    parameters = {}
    for l in range(1, len(layers_dims)):
        n, n_prev = layers_dims[l], layers_dims[l - 1]
        parameters[f"W{l}"] = rng.standard_normal((n, n_prev)) * np.sqrt(2.0 / n_prev)
        parameters[f"b{l}"] = rng.normal(0.0, 0.5, (n, 1))
    return X, Y, parameters


@memoize
def safe_case(layers_dims, seed, x_scale=1.0, m=4):
    """A drawn case on which a correct per-block check has a 20x margin below the threshold."""
    for attempt in range(200):
        X, Y, parameters = _draw(layers_dims, np.random.default_rng([seed, attempt]), x_scale, m)
        grads = correct_gradients(X, Y, parameters)
        if min(np.linalg.norm(g) / np.sqrt(g.size) for g in grads.values()) < 1e-3:
            continue  # a dead (or nearly dead) block: its relative difference is rounding noise
        noise = block_differences(grads, numeric_gradient(X, Y, parameters), layers_dims)
        if max(noise.values()) < NOISE_CEILING:
            return X, Y, parameters, grads
    raise RuntimeError(f"no safe gradient-checking case for layers_dims={layers_dims}, seed={seed}")


@memoize
def smooth_case(layers_dims, seed, m=4):
    """Every hidden pre-activation is at least 0.1: the cost is smooth around the point."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(0.2, 1.0, (layers_dims[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    parameters = {}
    L = len(layers_dims) - 1
    for l in range(1, L + 1):
        n, n_prev = layers_dims[l], layers_dims[l - 1]
        if l < L:
            parameters[f"W{l}"] = rng.uniform(0.1, 0.6, (n, n_prev)) / np.sqrt(n_prev)
            parameters[f"b{l}"] = rng.uniform(0.1, 0.5, (n, 1))
        else:
            parameters[f"W{l}"] = rng.standard_normal((n, n_prev))
            parameters[f"b{l}"] = rng.normal(0.0, 0.5, (n, 1))
    return X, Y, parameters, correct_gradients(X, Y, parameters)
