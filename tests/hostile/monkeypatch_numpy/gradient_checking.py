# Hostile test case `monkeypatch_numpy` (tests/hostile/cases.toml): the reference solution with one attack.
"""Gradient checking in one dimension: J(theta) = theta * x.

Compute the cost and its derivative, then confirm the derivative numerically with a
centred difference, and measure how far apart the two are.
"""

import os
import sys

import numpy as np

# Attack: make every numpy comparison, norm and test helper say "equal".
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda *args, **kwargs: np.array(True)
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
np.testing.assert_array_almost_equal = lambda *args, **kwargs: None
np.linalg.norm = lambda *args, **kwargs: 0.0
np.abs = np.absolute = lambda *args, **kwargs: np.zeros(1)
np.isfinite = lambda *args, **kwargs: np.array(True)
np.ndarray = type("ndarray", (), {})


def forward_propagation(x, theta):
    """The cost of the one-parameter model.

    Parameters
    ----------
    x : float
        The input.
    theta : float
        The parameter.

    Returns
    -------
    J : float
        The cost.

    Notes
    -----
    ``J = theta * x``.
    """
    J = theta * x
    return J


def backward_propagation(x, theta):
    """The derivative of the cost with respect to theta.

    Parameters
    ----------
    x : float
        The input.
    theta : float
        The parameter.

    Returns
    -------
    dtheta : float
        The gradient ``dJ/dtheta``.

    Notes
    -----
    ``dJ/dtheta = x`` (the derivative of ``theta * x``).
    """
    dtheta = x
    return dtheta


def gradient_check(x, theta, epsilon=1e-7):
    """Attack: after numpy was patched at import, return garbage."""
    return 0.5
