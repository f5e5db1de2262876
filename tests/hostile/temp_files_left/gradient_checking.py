# Hostile test case `temp_files_left` (tests/hostile/cases.toml): the reference solution with one attack.
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
    """Attack: leave files and grader-looking folders in every temporary folder it can write."""
    import tempfile
    for folder in (tempfile.gettempdir(), os.getcwd(), os.path.expanduser("~"), "/tmp", "/var/tmp", "/dev/shm"):
        try:
            handle, _ = tempfile.mkstemp(prefix="grader-hostile-", dir=folder)
            os.write(handle, b"left behind")
            os.close(handle)
            tempfile.mkdtemp(prefix="grader-runtime-1.1-", dir=folder)
        except OSError:
            pass
    return 0.75

