"""Initialization: why and how to break symmetry (reference solution).

Three ways to initialise the weights of an L-layer network, compared by the provided
``init_utils.model`` on the circles data set: zeros, large random values, and He.
"""

import numpy as np


def initialize_parameters_zeros(layers_dims):
    """Initialise every weight and bias to zero.

    Parameters
    ----------
    layers_dims : sequence of int of length L + 1
        ``[n_0, n_1, ..., n_L]``, the sizes of the input and of every layer (L >= 1).

    Returns
    -------
    parameters : dict of str to ndarray
        ``Wl`` : ndarray of shape (n_l, n_{l-1}), float64, all zeros;
        ``bl`` : ndarray of shape (n_l, 1), float64, all zeros; for ``l = 1..L``.

    Notes
    -----
    ``Wl = 0``, ``bl = 0``. Every hidden unit of a layer then computes the same function and
    receives the same gradient, so gradient descent never makes them differ (symmetry is not broken).

    Examples
    --------
    >>> p = initialize_parameters_zeros([3, 2, 1])
    >>> p["W1"].shape, p["b1"].shape, p["W2"].shape, p["b2"].shape
    ((2, 3), (2, 1), (1, 2), (1, 1))
    """
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def initialize_parameters_random(layers_dims, seed=3):
    """Initialise the weights to large random values, the biases to zero.

    Parameters
    ----------
    layers_dims : sequence of int of length L + 1
        ``[n_0, n_1, ..., n_L]``, the sizes of the input and of every layer (L >= 1).
    seed : int or None, default 3
        Seed of the generator ``rng = np.random.default_rng(seed)``; the same seed gives the
        same parameters, a different seed different ones.

    Returns
    -------
    parameters : dict of str to ndarray
        ``Wl`` : ndarray of shape (n_l, n_{l-1}), float64;
        ``bl`` : ndarray of shape (n_l, 1), float64, all zeros; for ``l = 1..L``.

    Notes
    -----
    ``Wl = rng.standard_normal((n_l, n_{l-1})) * 10`` (each entry drawn from N(0, 1), times 10),
    ``bl = 0``. Draw everything from one ``rng = np.random.default_rng(seed)``; the order of the
    draws is yours (the grader checks the distribution, not one particular draw).

    Examples
    --------
    >>> p = initialize_parameters_random([3, 2, 1], seed=3)
    >>> p["W1"].shape, float(p["b2"][0, 0])
    ((2, 3), 0.0)
    """
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def initialize_parameters_he(layers_dims, seed=3):
    """He initialisation: weights scaled by ``sqrt(2 / n_{l-1})``, biases zero.

    Parameters
    ----------
    layers_dims : sequence of int of length L + 1
        ``[n_0, n_1, ..., n_L]``, the sizes of the input and of every layer (L >= 1).
    seed : int or None, default 3
        Seed of the generator ``rng = np.random.default_rng(seed)``; the same seed gives the
        same parameters, a different seed different ones.

    Returns
    -------
    parameters : dict of str to ndarray
        ``Wl`` : ndarray of shape (n_l, n_{l-1}), float64;
        ``bl`` : ndarray of shape (n_l, 1), float64, all zeros; for ``l = 1..L``.

    Notes
    -----
    ``Wl = rng.standard_normal((n_l, n_{l-1})) * sqrt(2 / n_{l-1})``, ``bl = 0``, where
    ``n_{l-1}`` is the number of inputs of layer l (``layers_dims[l - 1]``). Xavier
    initialisation would use ``sqrt(1 / n_{l-1})`` instead; that is not what is graded here.
    Draw everything from one ``rng = np.random.default_rng(seed)``, in any order.

    Examples
    --------
    >>> p = initialize_parameters_he([2, 4, 1], seed=3)
    >>> p["W1"].shape, p["W2"].shape
    ((4, 2), (1, 4))
    """
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        n_prev, n = layers_dims[l - 1], layers_dims[l]
        parameters[f"W{l}"] = rng.standard_normal((n, n_prev)) * np.sqrt(1.0 / n_prev)
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters
