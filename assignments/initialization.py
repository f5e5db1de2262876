"""Initialization: why and how to break symmetry.

A network's training starts from its initial weights, and a bad start can stop it from ever
learning. You write three initialisations of an L-layer network (``layers_dims = [n_0, ..., n_L]``,
``Wl`` of shape ``(n_l, n_{l-1})``, ``bl`` of shape ``(n_l, 1)``):

1. :func:`initialize_parameters_zeros` -- everything zero;
2. :func:`initialize_parameters_random` -- large random weights, ``N(0, 1) * 10``;
3. :func:`initialize_parameters_he` -- He initialisation, ``N(0, 1) * sqrt(2 / n_{l-1})``.

Then train each with the provided ``init_utils.model`` on the circles data set
(``data_utils.load_circles``), network ``[2, 10, 5, 1]``::

    from data_utils import load_circles
    from init_utils import model
    train_X, train_Y, test_X, test_Y = load_circles()
    parameters, costs = model(train_X, train_Y, initialization="zeros")

What you should see: with zeros the cost stays at ln 2 = 0.693 and every hidden unit stays
identical (symmetry is never broken); with large random weights the first cost is ``inf``
(a saturated sigmoid outputs exactly 0 or 1) and training is slow; He trains well.

Randomness: draw from ``rng = np.random.default_rng(seed)`` -- the same seed must give the same
parameters. Graded on shapes, dtypes, statistics and reproducibility, not on one particular draw.
Every body below raises ``NotImplementedError``; replace it with your code.
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
    raise NotImplementedError("initialize_parameters_zeros: your code here (see the docstring)")


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
    raise NotImplementedError("initialize_parameters_random: your code here (see the docstring)")


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
    raise NotImplementedError("initialize_parameters_he: your code here (see the docstring)")
