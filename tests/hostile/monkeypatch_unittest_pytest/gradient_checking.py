# Hostile test case `monkeypatch_unittest_pytest` (tests/hostile/cases.toml): the reference solution with one attack.
"""Gradient checking in one dimension: J(theta) = theta * x.

Compute the cost and its derivative, then confirm the derivative numerically with a
centred difference, and measure how far apart the two are.
"""

import os
import sys

import numpy as np

# Attack: neuter unittest, pytest and hypothesis assertions, in case the grader used them here.
import unittest
for _name in dir(unittest.TestCase):
    if _name.startswith("assert"):
        setattr(unittest.TestCase, _name, lambda *args, **kwargs: None)
try:
    import pytest
    pytest.approx = lambda *args, **kwargs: type("Any", (), {"__eq__": lambda s, o: True})()
    pytest.fail = pytest.skip = lambda *args, **kwargs: None
    import _pytest.outcomes
    _pytest.outcomes.fail = lambda *args, **kwargs: None
except Exception:
    pass
try:
    import hypothesis
    hypothesis.given = lambda *args, **kwargs: (lambda f: f)
except Exception:
    pass


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
    """Attack: test frameworks were patched at import; return garbage."""
    return -1.0
