# Hostile test case `daemon_survivor` (tests/hostile/cases.toml): the reference solution with one attack.
"""Gradient checking in one dimension: J(theta) = theta * x.

Compute the cost and its derivative, then confirm the derivative numerically with a
centred difference, and measure how far apart the two are.
"""

import os
import sys

import numpy as np

# Attack: at import, start daemons that try to outlive the grading: a double fork with
# setsid (renamed hx-hostile), and an exec of sleep with a marker argument.
import signal as _signal


def _daemonize(then_exec):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            for sig in (_signal.SIGTERM, _signal.SIGHUP, _signal.SIGINT):
                _signal.signal(sig, _signal.SIG_IGN)
            if then_exec:
                os.execv("/bin/sleep", ["sleep", "600", "hx-hostile-marker"])
            __import__("ctypes").CDLL(None).prctl(15, b"hx-hostile", 0, 0, 0)  # PR_SET_NAME: its comm
            import time
            time.sleep(600)
        os._exit(0)


_daemonize(False)
_daemonize(True)


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
    """Attack: refuses to answer; see the import-time daemons."""
    raise RuntimeError("hostile: daemons were started at import")
