# Hostile test case `forged_frame_npy_bomb` (tests/hostile/cases.toml): the reference solution with one attack.
"""Gradient checking in one dimension: J(theta) = theta * x.

Compute the cost and its derivative, then confirm the derivative numerically with a
centred difference, and measure how far apart the two are.
"""

import os
import sys

import numpy as np

import json as _json
import struct as _struct


def _send_raw(header, body=b""):
    """Write a hand-made reply frame to the grader's pipe, then vanish."""
    out = _json.loads(sys.argv[1])["fds"][1]
    data = _struct.pack("<4sQQ", b"GRD2", len(header), len(body)) + header + body
    while data:
        data = data[os.write(out, data):]
    os._exit(0)


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
    """Attack: a reply whose array header declares 29 TiB of float64 (or 4e15 void items) over 64 bytes."""
    shape, descr = ([4000000000000], "<f8") if x > 0 else ([4000000000000000], "|V0")
    _send_raw(_json.dumps({"ok": True, "value": {"__nd__": [0, descr, shape, False]}}).encode(), b"\0" * 64)
