"""Deterministic 2-D data sets, generated on load with numpy only.

Every loader returns the same float64 arrays on every call (fixed seeds), one example per column:
``X`` of shape ``(2, m)``, ``Y`` of shape ``(1, m)`` with labels 0.0/1.0.

Measured with the reference solutions and the provided training loops (train / test accuracy):

- ``load_circles`` with ``init_utils.model`` (``[2, 10, 5, 1]``, 15,000 steps at 0.01):
  zeros 50 % / 50 %, random x 10 73.7 % / 71 % (first cost ``inf``), He 97 % / 98 %;
- ``load_football`` with ``reg_utils.model`` (``[2, 20, 3, 1]``, 30,000 steps at 0.3):
  none 95.7 % / 88.5 %, L2 (0.7) 93.4 % / 93.5 %, dropout (0.86) 94.3 % / 95.5 %,
  both 93.8 % / 95.0 %.
"""

import numpy as np

CIRCLES_SEEDS = (1, 2)      # train, test
MOONS_SEED = 3
FOOTBALL_SEED = 12


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


def _football_boundary(x1):
    # roughly diagonal, with a gentle wave
    return 2 * x1 + 0.23 + 0.05 * np.sin(8 * x1)


def _football(n, rng, flip, pockets, radius=0.05):
    X = np.vstack([rng.uniform(-0.6, 0.3, n), rng.uniform(-0.7, 0.6, n)])
    Y = (X[1] > _football_boundary(X[0])).astype(float)[None, :]
    flipped = np.zeros(n, dtype=bool)
    # noisy pockets: every label flipped in small discs just off the boundary
    cx = rng.uniform(-0.45, 0.15, pockets)
    cy = _football_boundary(cx) + rng.choice([-1, 1], pockets) * 0.08
    for a, b in zip(cx, cy):
        flipped |= np.hypot(X[0] - a, X[1] - b) < radius
    # then scattered flips up to the noise rate
    rest = int(round(flip * n)) - int(flipped.sum())
    if rest > 0:
        flipped[rng.choice(np.flatnonzero(~flipped), rest, replace=False)] = True
    Y[0, flipped] = 1 - Y[0, flipped]
    return X, Y


def load_football():
    """The synthetic "French football" set of the ``regularization`` assignment.

    Each point is where the French goalkeeper kicked the ball; the label says who headed it:
    1 (blue) a French player, 0 (red) an opponent.

    Returns
    -------
    train_X : ndarray of shape (2, 211)
    train_Y : ndarray of shape (1, 211)
    test_X : ndarray of shape (2, 200)
    test_Y : ndarray of shape (1, 200)

    Notes
    -----
    Points are uniform in the box ``x1 in [-0.6, 0.3]``, ``x2 in [-0.7, 0.6]``; the label is 1
    (blue, upper left) when ``x2 > 2 x1 + 0.23 + 0.05 sin(8 x1)``, else 0. The training set has
    about 6 % flipped labels, part of them in four small noisy pockets (discs of radius 0.05 just
    off the boundary) that an unregularized net bends around; the test set has about 4 %
    scattered flips. Both come from ``np.random.default_rng(12)`` (train drawn first).

    Accuracies of the reference with ``reg_utils.model`` (``[2, 20, 3, 1]``, learning rate 0.3,
    30,000 iterations, seed 3), train / test:

    - no regularization: 95.7 % / 88.5 % (overfits the pockets);
    - L2, ``lambd=0.7``: 93.4 % / 93.5 %;
    - dropout, ``keep_prob=0.86``: 94.3 % / 95.5 %;
    - both (``lambd=0.7, keep_prob=0.86``): 93.8 % / 95.0 %.
    """
    rng = np.random.default_rng(FOOTBALL_SEED)
    train_X, train_Y = _football(211, rng, flip=0.06, pockets=4)
    test_X, test_Y = _football(200, rng, flip=0.04, pockets=0)
    return train_X, train_Y, test_X, test_Y
