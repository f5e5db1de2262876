# Hostile test case `import_solutions` (tests/hostile/cases.toml): the reference solution with one attack.
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
    """Attack: call the reference's gradient_check, found by import."""
    import importlib
    for name in ("solutions.gradient_checking", "solutions", "grader.checks.gradient_checking"):
        try:
            module = importlib.import_module(name)
            return importlib.import_module("solutions.gradient_checking").gradient_check(x, theta, epsilon)
        except Exception:
            pass
    # The editable install's finder in site-packages knows where the project is.
    for path in sys.path:
        try:
            names = os.listdir(path)
        except OSError:
            continue
        for name in names:
            if name.startswith("__editable__") and name.endswith(".py"):
                try:
                    finder = importlib.import_module(name[:-3])
                    for root in getattr(finder, "MAPPING", {}).values():
                        sys.path.append(os.path.dirname(root))
                    return importlib.import_module("solutions.gradient_checking").gradient_check(x, theta, epsilon)
                except Exception:
                    pass
    raise RuntimeError("hostile: the reference could not be imported")
