# Hostile test case `monkeypatch_builtins` (tests/hostile/cases.toml): the reference solution with one attack.
"""Gradient checking in one dimension: J(theta) = theta * x.

Compute the cost and its derivative, then confirm the derivative numerically with a
centred difference, and measure how far apart the two are.
"""

import os
import sys

import numpy as np

# Attack: patch builtins and math so that any comparison made in this process says yes.
import builtins
import math
builtins.abs = lambda value: 0.0
builtins.all = builtins.any = lambda iterable: True
builtins.round = lambda *args: 0
builtins.float = lambda *args: 0.0
math.isclose = lambda *args, **kwargs: True
math.isfinite = lambda value: True
math.isnan = lambda value: False


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
    """Attack: builtins and math were patched at import; return garbage."""
    return "0.0"
