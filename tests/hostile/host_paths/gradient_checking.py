# Hostile test case `host_paths` (tests/hostile/cases.toml): the reference solution with one attack.
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
    """Attack: look for the grader's host paths (the checkout, temporary folders) in command lines and install files."""
    import glob
    import re
    texts = []
    for pattern in ("/proc/*/cmdline", "/proc/*/environ"):
        for path in glob.glob(pattern):
            try:
                texts.append(open(path, "rb").read().replace(b"\0", b" ").decode("utf-8", "replace"))
            except OSError:
                pass
    for site in sys.path:
        for pattern in ("__editable__*", "*.pth", "*.egg-link", "*.dist-info/direct_url.json"):
            for path in glob.glob(os.path.join(site, pattern)):
                try:
                    texts.append(open(path, encoding="utf-8", errors="replace").read())
                except OSError:
                    pass
    found = sorted({m for text in texts for m in re.findall(r"/[^\s'\",:]*(?:/grader|/solutions|grader-runtime-"
                                                               r"[^\s'\",:/]*|grader-submission-[^\s'\",:/]*)",
                                                               text)})
    raise RuntimeError(f"hostile: host paths found: {found[:5] or 'none'}")

