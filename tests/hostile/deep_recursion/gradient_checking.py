# Hostile test case `deep_recursion` (tests/hostile/cases.toml): the reference solution with one attack.
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
    """Attack: lift the recursion limit and recurse in C (repr of a deeply nested list)
    until the C stack overflows (in a thread with a small stack, so that it overflows at once)."""
    import threading
    nested = []
    for _ in range(50_000):
        nested = [nested]
    sys.setrecursionlimit(10**8)
    threading.stack_size(256 * 1024)
    worker = threading.Thread(target=repr, args=(nested,))
    worker.start()
    worker.join()
    return 0.0
