# Hostile test case `forged_frame_huge_message` (tests/hostile/cases.toml): the reference solution with one attack.
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
    """Attack: a reply whose error message, traceback and printed text are 2 MB each."""
    error = {"kind": "exception", "message": "M" * 2_000_000, "traceback": "T" * 2_000_000}
    _send_raw(_json.dumps({"ok": False, "error": error, "printed": "P" * 2_000_000}).encode())
