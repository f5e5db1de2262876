"""Deterministic 2-D data sets, generated on load with numpy only.

Every loader returns the same float64 arrays on every call (fixed seeds), one example per column:
``X`` of shape ``(2, m)``, ``Y`` of shape ``(1, m)`` with labels 0.0/1.0.
"""

import numpy as np

CIRCLES_SEEDS = (1, 2)      # train, test
MOONS_SEED = 3


def _circles(n_samples, noise, factor, rng):
    # scikit-learn's make_circles: outer circle label 0, inner circle label 1,
    # shuffle, then add Gaussian noise
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack([np.append(np.cos(t_out), factor * np.cos(t_in)),
                   np.append(np.sin(t_out), factor * np.sin(t_in))])
    Y = np.hstack([np.zeros(n_out), np.ones(n_in)])[None, :]
    order = rng.permutation(n_samples)
    X, Y = X[:, order], Y[:, order]
    return X + rng.normal(scale=noise, size=X.shape), Y


def load_circles():
    """Two noisy concentric circles (the ``initialization`` data set).

    Returns
    -------
    train_X : ndarray of shape (2, 300)
    train_Y : ndarray of shape (1, 300)
        150 of each class; 1 is the inner circle (radius 0.8), 0 the outer (radius 1).
    test_X : ndarray of shape (2, 100)
    test_Y : ndarray of shape (1, 100)

    Notes
    -----
    scikit-learn's ``make_circles`` recipe with ``factor=0.8``, ``noise=0.05``: points evenly spaced
    on the circles, shuffled, then ``N(0, 0.05^2)`` noise added to both coordinates.
    """
    train_X, train_Y = _circles(300, 0.05, 0.8, np.random.default_rng(CIRCLES_SEEDS[0]))
    test_X, test_Y = _circles(100, 0.05, 0.8, np.random.default_rng(CIRCLES_SEEDS[1]))
    return train_X, train_Y, test_X, test_Y


def load_moons(n_samples=300, noise=0.2):
    """Two interleaving half circles (the ``optimization`` data set), training set only.

    Parameters
    ----------
    n_samples : int, default 300
    noise : float, default 0.2
        Standard deviation of the Gaussian noise added to both coordinates.

    Returns
    -------
    X : ndarray of shape (2, n_samples)
    Y : ndarray of shape (1, n_samples)
        0 for the upper moon, 1 for the lower one.

    Notes
    -----
    scikit-learn's ``make_moons`` recipe: upper moon ``(cos t, sin t)``, lower moon
    ``(1 - cos t, 0.5 - sin t)``, ``t`` evenly spaced in ``[0, pi]``; shuffled, then noise added.
    """
    rng = np.random.default_rng(MOONS_SEED)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0, np.pi, n_out)
    t_in = np.linspace(0, np.pi, n_in)
    X = np.vstack([np.append(np.cos(t_out), 1 - np.cos(t_in)),
                   np.append(np.sin(t_out), 1 - np.sin(t_in) - 0.5)])
    Y = np.hstack([np.zeros(n_out), np.ones(n_in)])[None, :]
    order = rng.permutation(n_samples)
    X, Y = X[:, order], Y[:, order]
    return X + rng.normal(scale=noise, size=X.shape), Y
