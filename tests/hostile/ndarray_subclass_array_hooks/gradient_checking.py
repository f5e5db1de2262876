# Hostile test case `ndarray_subclass_array_hooks` (tests/hostile/cases.toml): the reference solution with one attack.
"""Gradient checking in one dimension: J(theta) = theta * x.

Compute the cost and its derivative, then confirm the derivative numerically with a
centred difference, and measure how far apart the two are.
"""

import os
import sys

import numpy as np


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
    """Attack: an ndarray subclass whose __array__, __array_wrap__, __getitem__, item and
    nbytes claim 0.0 while the data it holds is 7.5."""
    class Lies(np.ndarray):
        def __array__(self, *args, **kwargs): return np.asarray(0.0)
        def __array_wrap__(self, obj, *args, **kwargs): return np.asarray(0.0)
        def __getitem__(self, key): return 0.0
        def __float__(self): return 0.0
        def item(self, *args): return 0.0
        @property
        def nbytes(self): return 0
    return np.asarray(7.5).view(Lies)
