"""The shared L-layer binary classifier used by every assignment.

Conventions (SPEC section 2): one example per column, ``X`` of shape ``(n_0, m)``, ``Y`` of
shape ``(1, m)`` with 0/1 labels; ``parameters`` holds ``W1, b1, ..., WL, bL`` with
``Wl`` of shape ``(n_l, n_{l-1})`` and ``bl`` of shape ``(n_l, 1)``. Hidden layers use ReLU,
the output layer a sigmoid, the cost is the mean binary cross-entropy. Caches are dicts with
``Zl, Al, Wl, bl`` for every layer ``l = 1..L``.
"""

import numpy as np


def sigmoid(Z):
    """Logistic sigmoid, element-wise.

    Parameters
    ----------
    Z : ndarray of any shape

    Returns
    -------
    A : ndarray of the shape of Z
        ``1 / (1 + exp(-Z))``, computed without overflow warnings.
    """
    Z = np.asarray(Z, dtype=float)
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-Z))


def relu(Z):
    """Rectified linear unit, element-wise: ``max(0, Z)``."""
    return np.maximum(0, Z)


def num_layers(mapping, prefix="W"):
    """The depth L of a parameters / cache / grads dict: the largest l with key ``f"{prefix}{l}"``."""
    L = 0
    while f"{prefix}{L + 1}" in mapping:
        L += 1
    return L


def initialize_parameters(layers_dims, seed=3):
    """He initialisation of an L-layer network.

    Parameters
    ----------
    layers_dims : sequence of int of length L + 1
        ``[n_0, n_1, ..., n_L]``.
    seed : int or None, default 3
        Seed of ``np.random.default_rng``.

    Returns
    -------
    parameters : dict
        ``Wl`` : ndarray of shape (n_l, n_{l-1}); ``bl`` : ndarray of shape (n_l, 1).

    Notes
    -----
    ``Wl = rng.standard_normal((n_l, n_{l-1})) * sqrt(2 / n_{l-1})``, ``bl = 0``,
    with ``rng = np.random.default_rng(seed)``, layers drawn in order 1..L.
    """
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        n_prev, n = layers_dims[l - 1], layers_dims[l]
        parameters[f"W{l}"] = rng.standard_normal((n, n_prev)) * np.sqrt(2.0 / n_prev)
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters


def forward_propagation(X, parameters):
    """LINEAR -> RELU -> ... -> LINEAR -> SIGMOID.

    Parameters
    ----------
    X : ndarray of shape (n_0, m)
    parameters : dict
        ``W1, b1, ..., WL, bL``.

    Returns
    -------
    AL : ndarray of shape (1, m)
        Output probabilities.
    cache : dict
        ``Zl, Al, Wl, bl`` for ``l = 1..L``.

    Notes
    -----
    ``Zl = Wl A{l-1} + bl`` with ``A0 = X``; ``Al = relu(Zl)`` for ``l < L``, ``AL = sigmoid(ZL)``.
    """
    L = num_layers(parameters)
    cache = {}
    A = X
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z = W @ A + b
        A = sigmoid(Z) if l == L else relu(Z)
        cache.update({f"Z{l}": Z, f"A{l}": A, f"W{l}": W, f"b{l}": b})
    return A, cache


def backward_propagation(X, Y, cache):
    """Gradients of the mean binary cross-entropy.

    Parameters
    ----------
    X : ndarray of shape (n_0, m)
    Y : ndarray of shape (1, m)
    cache : dict
        As returned by :func:`forward_propagation`; the depth is read from its keys.

    Returns
    -------
    grads : dict
        ``dWl`` of shape (n_l, n_{l-1}), ``dbl`` of shape (n_l, 1), plus ``dZl`` and ``dAl`` extras.

    Notes
    -----
    ``dZL = AL - Y``; ``dWl = (1/m) dZl A{l-1}^T``; ``dbl = (1/m) sum_columns dZl``;
    ``dA{l-1} = Wl^T dZl``; ``dZl = dAl * (Zl > 0)`` for hidden layers.
    """
    L = num_layers(cache)
    m = X.shape[1]
    grads = {}
    dZ = cache[f"A{L}"] - Y
    for l in range(L, 0, -1):
        A_prev = X if l == 1 else cache[f"A{l - 1}"]
        grads[f"dZ{l}"] = dZ
        grads[f"dW{l}"] = dZ @ A_prev.T / m
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
        if l > 1:
            dA = cache[f"W{l}"].T @ dZ
            grads[f"dA{l - 1}"] = dA
            dZ = dA * (cache[f"Z{l - 1}"] > 0)
    return grads


def compute_cost(AL, Y):
    """Mean binary cross-entropy.

    Parameters
    ----------
    AL : ndarray of shape (1, m)
        Probabilities in [0, 1].
    Y : ndarray of shape (1, m)
        Labels 0/1.

    Returns
    -------
    cost : float
        ``inf`` when a probability is exactly 0 or 1 on the wrong label.

    Notes
    -----
    ``J = -(1/m) sum(Y log AL + (1 - Y) log(1 - AL))`` with ``0 * log 0 = 0``.
    """
    AL = np.asarray(AL, dtype=float)
    Y = np.asarray(Y, dtype=float)
    m = Y.shape[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        # where() keeps 0 * log 0 = 0 instead of nan
        pos = np.where(Y > 0, Y * np.log(AL), 0.0)
        neg = np.where(Y < 1, (1 - Y) * np.log(1 - AL), 0.0)
    return float(-np.sum(pos + neg) / m) + 0.0  # + 0.0 turns -0.0 into 0.0


def update_parameters(parameters, grads, learning_rate):
    """One gradient-descent step, ``Wl -= lr dWl``, ``bl -= lr dbl``; returns a new dict."""
    L = num_layers(parameters)
    new = {}
    for l in range(1, L + 1):
        new[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        new[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return new


def predict(X, parameters):
    """Labels 0/1 (float) of shape (1, m): ``AL > 0.5``."""
    AL, _ = forward_propagation(X, parameters)
    return (AL > 0.5).astype(float)


def accuracy(X, Y, parameters):
    """Fraction of examples whose predicted label equals ``Y``, in [0, 1]."""
    return float(np.mean(predict(X, parameters) == Y))
