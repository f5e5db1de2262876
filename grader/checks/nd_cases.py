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


def norm(x):
    """``np.linalg.norm(x)``, by its own steps for a float64 array (``sqrt(x . x)`` of ``x`` raveled
    in memory order) without its checks of the arguments: a search over seeds takes thousands."""
    if type(x) is not np.ndarray or x.dtype != np.float64:
        return np.linalg.norm(x)
    x = x.ravel(order="K")
    return np.sqrt(x.dot(x))


def relative_difference(a, b):
    denominator = norm(a) + norm(b)
    return 0.0 if denominator == 0 else float(norm(a - b) / denominator)


def correct_gradients(X, Y, parameters):
    _, cache = provided("gc_utils").forward_propagation_n(X, Y, parameters)
    grads = provided("nn_utils").backward_propagation(X, Y, cache)
    return {key: value for key, value in grads.items() if key[:2] in ("dW", "db")}


def _costs(X, Y, thetas, layers_dims):
    """The cost of many networks at once: ``thetas`` of shape (B, n) -> costs of shape (B,); ``X``
    and ``Y`` shared (2-D), or one per network (stacked, ``(B, n_0, m)`` and ``(B, 1, m)``)."""
    A, start, L = np.broadcast_to(X, (len(thetas),) + X.shape[-2:]), 0, len(layers_dims) - 1
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
        if min(norm(g) / np.sqrt(g.size) for g in grads.values()) < 1e-3:
            continue  # a dead (or nearly dead) block: its relative difference is rounding noise
        noise = block_differences(grads, numeric_gradient(X, Y, parameters), layers_dims)
        if max(noise.values()) < NOISE_CEILING:
            return X, Y, parameters, grads
    raise no_safe_case(layers_dims, seed)


def no_safe_case(layers_dims, seed):
    """The error of a seed with no safe case in 200 draws (``safe_case`` raises it)."""
    return RuntimeError(f"no safe gradient-checking case for layers_dims={layers_dims}, seed={seed}")


def safe_cases(layers_dims, seeds, x_scale=1.0, m=4):
    """``[safe_case(layers_dims, seed, x_scale, m) for seed in seeds]``, the same arrays bit for bit
    (None for a seed where ``safe_case`` raises: no safe case in 200 draws), with the arithmetic of
    every round of draws done for all the seeds at once (the draws stay one generator per seed).

    The stacked arithmetic is the per-case arithmetic on each slice: ``@`` multiplies each pair of
    matrices of a stack as it multiplies one pair (a pair of vectors as ``dot`` does, which is
    what ``np.linalg.norm`` uses), the element-wise functions do not depend on where an element
    lies, and the sums run over the same ``m`` examples in the same order. The decisions (a dead
    block, the noise ceiling) take ``min`` and ``max`` of each case's numbers in ``safe_case``'s
    order. Not memoized: a search calls it on seeds it tries once."""
    seeds = list(seeds)
    names = block_names(layers_dims)
    found = {}  # index of a seed -> its safe case
    pending = list(range(len(seeds)))
    for attempt in range(200):
        if not pending:
            break
        drawn = [_draw(layers_dims, np.random.default_rng([seeds[i], attempt]), x_scale, m) for i in pending]
        grads = _correct_gradients_many(drawn, layers_dims)  # {"dW1": (B, n_1, n_0), ...}, backward's order
        scaled = [np.sqrt(_squared_norms(g)) / np.sqrt(g[0].size) for g in grads.values()]
        alive = [k for k in range(len(drawn)) if not min(s[k] for s in scaled) < 1e-3]
        if alive:
            differences = [
                _relative_differences(grads["d" + name][alive], approx)
                for name, approx in zip(names, _numeric_gradients_many([drawn[k] for k in alive], layers_dims))
            ]
            for j, k in enumerate(alive):
                if max(d[j] for d in differences) < NOISE_CEILING:
                    found[pending[k]] = (*drawn[k], {key: value[k].copy() for key, value in grads.items()})
        pending = [i for i in pending if i not in found]
    return [found.get(i) for i in range(len(seeds))]


def _squared_norms(stack):
    """``x . x`` of every array ``x`` of ``stack`` (its first axis), raveled: one ``dot`` each."""
    rows = stack.reshape(len(stack), -1)
    return np.matmul(rows[:, None, :], rows[:, :, None])[:, 0, 0]


def _relative_differences(a, b):
    """``relative_difference(a[k], b[k])`` for every k, as a list of floats."""
    a, b = a.reshape(len(a), -1), b.reshape(len(b), -1)
    with np.errstate(divide="ignore", invalid="ignore"):
        denominator = np.sqrt(_squared_norms(a)) + np.sqrt(_squared_norms(b))
        quotient = np.sqrt(_squared_norms(a - b)) / denominator
    return [0.0 if d == 0 else float(q) for d, q in zip(denominator, quotient)]


def _correct_gradients_many(cases, layers_dims):
    """``correct_gradients`` of every ``(X, Y, parameters)`` of ``cases`` (one architecture), as
    ``gc_utils.forward_propagation_n`` and ``nn_utils.backward_propagation`` compute it, stacked:
    ``Zl = Wl A{l-1} + bl``, ``Al = max(0, Zl)`` (``1 / (1 + exp(-ZL))`` last); ``dZL = AL - Y``,
    ``dWl = dZl A{l-1}^T / m``, ``dbl = sum_columns(dZl) / m``, ``dZ{l-1} = (Wl^T dZl) * (Z{l-1} > 0)``.
    Returns ``{"dWL": (B, n_L, n_{L-1}), "dbL": (B, n_L, 1), ..., "db1": ...}`` in
    ``backward_propagation``'s order."""
    L = len(layers_dims) - 1
    X = np.stack([np.asarray(c[0], dtype=float) for c in cases])
    Y = np.stack([np.asarray(c[1], dtype=float) for c in cases])
    W = {l: np.stack([c[2][f"W{l}"] for c in cases]) for l in range(1, L + 1)}
    b = {l: np.stack([c[2][f"b{l}"] for c in cases]) for l in range(1, L + 1)}
    Z, A = {}, {0: X}
    with np.errstate(over="ignore"):
        for l in range(1, L + 1):
            Z[l] = W[l] @ A[l - 1] + b[l]
            A[l] = 1.0 / (1.0 + np.exp(-Z[l])) if l == L else np.maximum(0, Z[l])
    m = X.shape[-1]
    grads = {}
    dZ = A[L] - Y
    for l in range(L, 0, -1):
        grads[f"dW{l}"] = dZ @ A[l - 1].swapaxes(1, 2) / m
        grads[f"db{l}"] = np.sum(dZ, axis=2, keepdims=True) / m
        if l > 1:
            dZ = (W[l].swapaxes(1, 2) @ dZ) * (Z[l - 1] > 0)
    return grads


def _numeric_gradients_many(cases, layers_dims, epsilon=1e-7):
    """``numeric_gradient`` of every ``(X, Y, parameters)`` of ``cases``, stacked: one list per
    block (``block_names`` order) of shape ``(B, block size)``. Every case's shifted networks are
    evaluated in one forward pass (``_costs`` with each network's own X and Y)."""
    thetas = np.stack([flatten(c[2], layers_dims) for c in cases])
    B, n = thetas.shape
    shifted = np.tile(thetas, (1, 2 * n)).reshape(B * 2 * n, n)
    rows = np.arange(B * 2 * n)
    shifted[rows, np.tile(np.arange(n), 2 * B)] += np.tile(np.repeat([epsilon, -epsilon], n), B)
    X = np.repeat(np.stack([c[0] for c in cases]), 2 * n, axis=0)
    Y = np.repeat(np.stack([c[1] for c in cases]), 2 * n, axis=0)
    costs = _costs(X, Y, shifted, layers_dims).reshape(B, 2 * n)
    with np.errstate(invalid="ignore"):  # inf - inf (costs that overflow): nan, as in numeric_gradient, unsaid
        flat = (costs[:, :n] - costs[:, n:]) / (2 * epsilon)
    blocks, start = [], 0
    for name in block_names(layers_dims):
        size = cases[0][2][name].size
        blocks.append(flat[:, start : start + size])
        start += size
    return blocks


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
