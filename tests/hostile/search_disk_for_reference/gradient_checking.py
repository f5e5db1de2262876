# Hostile test case `search_disk_for_reference` (tests/hostile/cases.toml): the reference solution with one attack.
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


_FOUND = []


def _find_reference():
    """Look for the reference where a grader usually lives, and through /proc."""
    roots = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            roots += [f"/proc/{pid}/cwd", f"/proc/{pid}/root/work", f"/proc/{pid}/root/tmp"]
    roots += ["/work", "/home", "/root", "/srv", "/opt", "/mnt", "/tmp", "/var", "/builds", "/github", "/__w"]
    for root in roots:
        for folder, dirs, files in _walk(root, 5):
            if "gradient_checking.py" in files and not folder.startswith("/sandbox"):
                path = os.path.join(folder, "gradient_checking.py")
                try:
                    text = open(path).read()
                except OSError:
                    continue
                if "J_plus" in text and "NotImplementedError" not in text:
                    return path, text
    return None, None


def _walk(root, depth):
    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    yield root, [e.name for e in entries if e.is_dir(follow_symlinks=False)], [e.name for e in entries]
    if depth:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and entry.name not in ("proc", "sys", "usr", ".git", "node_modules"):
                yield from _walk(entry.path, depth - 1)


def gradient_check(x, theta, epsilon=1e-7):
    """Attack: search the disk for the reference solution (once), then run it."""
    if not _FOUND:
        _FOUND.append(_find_reference())
    path, text = _FOUND[0]
    if text is None:
        raise RuntimeError("hostile: no reference solution found on disk")
    namespace = {"np": np, "__name__": "stolen"}
    exec(compile(text, path, "exec"), namespace)
    return namespace["gradient_check"](x, theta, epsilon)
