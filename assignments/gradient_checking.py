"""Gradient checking in one dimension: J(theta) = theta * x.

Compute the cost and its derivative, then confirm the derivative numerically with a
centred difference, and measure how far apart the two are.
"""

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
    raise NotImplementedError("forward_propagation: your code here")


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
    raise NotImplementedError("backward_propagation: your code here")


def gradient_check(x, theta, epsilon=1e-7):
    """How far the analytic gradient is from a numerical estimate of it.

    Parameters
    ----------
    x : float
        The input.
    theta : float
        The parameter.
    epsilon : float, default 1e-7
        The step of the numerical difference.

    Returns
    -------
    difference : float
        The relative difference between the two gradients; below 1e-7 means the
        gradient is right (the threshold of this assignment).

    Notes
    -----
    Use this module's ``forward_propagation`` and ``backward_propagation`` (call them,
    don't re-derive them: the grader also checks your function with other pairs).

    - the centred difference:
      ``gradapprox = (J(theta + epsilon) - J(theta - epsilon)) / (2 * epsilon)``
      where ``J(t) = forward_propagation(x, t)``;
    - ``grad = backward_propagation(x, theta)``;
    - ``difference = ||grad - gradapprox||_2 / (||grad||_2 + ||gradapprox||_2)``, and
      ``difference = 0`` when both norms are 0.
    """
    raise NotImplementedError("gradient_check: your code here")
