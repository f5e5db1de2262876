"""Figures for the notebooks (and the grader's reports).

matplotlib is imported inside the functions, never at module import, so importing this module is
cheap and works without matplotlib installed.
"""

import numpy as np


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots()
    return ax


def plot_decision_boundary(predict_fn, X, Y, ax=None, title=None, resolution=200):
    """Colour the plane by ``predict_fn`` and scatter the data on top.

    Parameters
    ----------
    predict_fn : callable
        Maps ``ndarray of shape (2, k)`` to labels of shape ``(1, k)`` or ``(k,)``.
    X : ndarray of shape (2, m)
    Y : ndarray of shape (1, m)
        Labels 0/1 (0 red, 1 blue).
    ax : matplotlib Axes, optional
        Drawn on a new figure when omitted.
    title : str, optional
    resolution : int, default 200
        Grid points per axis.

    Returns
    -------
    ax : matplotlib Axes
    """
    ax = _axes(ax)
    pad = 0.1 * (X.max(axis=1) - X.min(axis=1)) + 1e-3
    lo, hi = X.min(axis=1) - pad, X.max(axis=1) + pad
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    Z = np.asarray(predict_fn(np.vstack([xx.ravel(), yy.ravel()]))).reshape(xx.shape)
    import matplotlib
    cmap = matplotlib.colormaps["Spectral"]
    ax.contourf(xx, yy, Z, levels=[-0.5, 0.5, 1.5], colors=[cmap(0.0), cmap(1.0)], alpha=0.35)
    ax.scatter(X[0], X[1], c=np.ravel(Y), cmap="Spectral", s=12, edgecolors="k", linewidths=0.3,
               vmin=0, vmax=1)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    if title:
        ax.set_title(title)
    return ax


def plot_costs(costs, ax=None, title=None, label=None, every=1000, learning_rate=None):
    """Plot a cost curve recorded every ``every`` iterations.

    Parameters
    ----------
    costs : sequence of float
        Non-finite values (the ``inf`` of a saturated start) are left out of the line.
    ax : matplotlib Axes, optional
    title : str, optional
    label : str, optional
        Legend entry; call again on the same ``ax`` to compare curves.
    every : int, default 1000
        Iterations between two recorded costs.
    learning_rate : float, optional
        Shown in the default title.

    Returns
    -------
    ax : matplotlib Axes
    """
    ax = _axes(ax)
    costs = np.asarray(costs, dtype=float)
    its = np.arange(len(costs)) * every
    finite = np.isfinite(costs)
    ax.plot(its[finite], costs[finite], label=label)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost")
    if title is None and learning_rate is not None:
        title = f"learning rate = {learning_rate}"
    if title:
        ax.set_title(title)
    if label:
        ax.legend()
    return ax
