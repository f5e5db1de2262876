"""Provided helpers for the ``gradient_checking_nd`` assignment.

``forward_propagation_n`` is the cost function J(theta) the numerical gradient
is taken of; ``load_fraud`` and ``fraud_parameters`` give the small fixed
4-5-3-1 "fraud detection" problem of the notebook (3 examples, 47 parameters).
Everything here is deterministic and float64.
"""

import numpy as np

from nn_utils import compute_cost, forward_propagation

FRAUD_LAYERS_DIMS = [4, 5, 3, 1]


def forward_propagation_n(X, Y, parameters):
    """Forward pass and cost of a LINEAR->RELU->...->LINEAR->SIGMOID network.

    Parameters
    ----------
    X : ndarray of shape (n_0, m)
        Input data, one example per column.
    Y : ndarray of shape (1, m)
        Labels, 0 or 1.
    parameters : dict
        ``W1, b1, ..., WL, bL``; ``Wl`` of shape (n_l, n_{l-1}), ``bl`` of shape (n_l, 1).

    Returns
    -------
    cost : float
        Mean binary cross-entropy.
    cache : dict
        ``Zl, Al, Wl, bl`` for every layer l = 1..L, as ``nn_utils.forward_propagation``
        returns it; ``backward_propagation_n`` takes it.
    """
    AL, cache = forward_propagation(X, parameters)
    return compute_cost(AL, Y), cache


def load_fraud(seed=1):
    """The notebook's tiny "fraud detection" set: 4 features, 3 transactions.

    Parameters
    ----------
    seed : int
        Seed of ``np.random.default_rng``; the default gives the notebook's data.

    Returns
    -------
    X : ndarray of shape (4, 3)
    Y : ndarray of shape (1, 3)
        Labels 1 (fraud), 0, 1.
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((4, 3))
    Y = np.array([[1.0, 0.0, 1.0]])
    return X, Y


def fraud_parameters(seed=1):
    """Parameters of the notebook's 4-5-3-1 network (47 numbers).

    Drawn from ``N(0, 1)`` (weights) and ``N(0, 0.5^2)`` (biases) with
    ``np.random.default_rng(seed + 1)``, so that, on ``load_fraud(seed)``, every
    block has a clearly non-zero gradient (no dead ReLU layer) and a correct
    backward pass stays well below the 2e-7 threshold in every block.

    Returns
    -------
    parameters : dict
        ``W1`` (5, 4), ``b1`` (5, 1), ``W2`` (3, 5), ``b2`` (3, 1), ``W3`` (1, 3), ``b3`` (1, 1).
    """
    rng = np.random.default_rng(seed + 1)
    parameters = {}
    for l in range(1, len(FRAUD_LAYERS_DIMS)):
        n, n_prev = FRAUD_LAYERS_DIMS[l], FRAUD_LAYERS_DIMS[l - 1]
        parameters[f"W{l}"] = rng.standard_normal((n, n_prev))
        parameters[f"b{l}"] = 0.5 * rng.standard_normal((n, 1))
    return parameters


def gradient_check_n_test_case(seed=1):
    """``(X, Y, parameters)`` of the fraud problem, in one call."""
    X, Y = load_fraud(seed)
    return X, Y, fraud_parameters(seed)
