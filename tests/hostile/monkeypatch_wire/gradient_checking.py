# Hostile test case `monkeypatch_wire` (tests/hostile/cases.toml): the reference solution with one attack.
"""Gradient checking in one dimension: J(theta) = theta * x.

Compute the cost and its derivative, then confirm the derivative numerically with a
centred difference, and measure how far apart the two are.
"""

import os
import sys

import numpy as np

# Attack: replace the sandbox's reply encoder so that every answer claims success with 0.0.
import json as _json
import struct as _struct
_wire = sys.modules.get("wire")
if _wire is not None:
    def _forged(value):
        header = _json.dumps({"ok": True, "value": 0.0, "printed": ""}).encode()
        return _struct.pack("<4sQQ", b"GRD2", len(header), 0) + header
    _wire.encode = _forged


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
    """Attack: the reply encoder was replaced at import; return garbage."""
    return 0.25
