"""Network helpers shared by the ``initialization`` and ``regularization`` checks.

Everything here runs in the grader's process on plain data that already came back from the
sandbox: validating a ``parameters`` dict, a centred numeric gradient, training several small
networks at once (batched numpy, the same maths as ``assignments/nn_utils.py``), and the data
of the ``boundaries`` and ``bars`` report figures.
"""

import re

import numpy as np

from grader.checkapi.support import describe_type, expect_array, fail

_PARAMETER_KEY = re.compile(r"^[Wb]\d+$")


def expect_parameters(got, layers_dims, name, strict=True):
    """A dict ``W1, b1, ..., WL, bL`` of float64 arrays, ``Wl`` ``(n_l, n_{l-1})``, ``bl`` ``(n_l, 1)``.
    Returns a new dict of float64 arrays holding only those keys.

    ``strict=False`` (one requirement, one check: the structure check charges the shape of the
    biases and the dtype, the others look at the values) also takes a 1-D bias ``(n_l,)`` and
    integer or float32 entries, as a ``(n_l, 1)`` float64 array."""
    if not isinstance(got, dict):
        fail(f"{name} should be a dict, got {describe_type(got)}.")
    L = len(layers_dims) - 1
    wanted = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    missing = [k for k in wanted if k not in got]
    extra = sorted(k for k in got if isinstance(k, str) and _PARAMETER_KEY.match(k) and k not in wanted)
    if missing or extra:
        fail(
            f"{name} should have exactly the keys {', '.join(wanted)} for layers_dims={list(layers_dims)} "
            f"(L = {L} layers); missing: {', '.join(missing) or 'none'}, unexpected: {', '.join(extra) or 'none'}."
        )
    out = {}
    for l in range(1, L + 1):
        for key, shape in ((f"W{l}", (layers_dims[l], layers_dims[l - 1])), (f"b{l}", (layers_dims[l], 1))):
            value = got[key]
            if not isinstance(value, np.ndarray):
                fail(f"{name}['{key}'] should be a numpy array, got {describe_type(value)}.")
            if not strict and key[0] == "b" and value.shape == shape[:1]:
                value = value.reshape(shape)
            if not strict and value.dtype.kind in "iuf":
                value = value.astype(np.float64)
            if value.shape != shape:
                hint = (
                    " (transposed?)"
                    if value.shape == shape[::-1] and key[0] == "W"
                    else " (a 1-D bias? use shape (n_l, 1))"
                    if value.ndim == 1
                    else ""
                )
                fail(
                    f"{name}['{key}'] has shape {value.shape}, expected {shape}{hint}: "
                    f"W{l} is (n_{l}, n_{l - 1}) and b{l} is (n_{l}, 1) for layers_dims={list(layers_dims)}."
                )
            if value.dtype != np.float64:
                fail(
                    f"{name}['{key}'] has dtype {value.dtype}, expected float64 (np.zeros and the "
                    "generator's standard_normal give float64 unless told otherwise)."
                )
            out[key] = expect_array(value, f"{name}['{key}']")  # finite, before any comparison

    return out


def expect_normal(W, sigma, where, scale_text, hint=lambda ratio: ""):
    """The entries of ``W`` look like independent ``N(0, sigma^2)`` draws: mean, standard deviation
    and kurtosis each within about 8 standard errors, so a correct draw never fails."""
    n = W.size
    mean, std = float(W.mean()), float(W.std())
    if abs(mean) > 8 * sigma / np.sqrt(n):
        fail(
            f"{where} has mean {mean:.4g}; the entries should be centred on 0 (tolerance {8 * sigma / np.sqrt(n):.3g})."
        )
    if abs(std / sigma - 1) > 8 / np.sqrt(2 * n):
        fail(
            f"{where} has standard deviation {std:.4g}, expected {sigma:.4g} (N(0, 1) * {scale_text}; "
            f"ratio {std / sigma:.3f}, tolerance {8 / np.sqrt(2 * n):.3f}). " + hint(std / sigma)
        )
    z2 = np.square((W - mean) / std)
    kurtosis = float(np.mean(np.square(z2, out=z2)))  # (z ** 4 calls pow for every entry: 30 times slower)
    if abs(kurtosis - 3) > 8 * np.sqrt(24 / n):
        fail(
            f"{where} does not look normally distributed: its kurtosis is {kurtosis:.3f}, a normal sample's is 3 "
            f"(a uniform one's 1.8; tolerance {8 * np.sqrt(24 / n):.3f}). Draw with rng.standard_normal, not rng.random."
        )


def bars_figure(title, differences, threshold):
    """A ``bars`` figure of per-block relative differences (which block disagrees, by how much)."""
    from grader.results import Figure

    return Figure(
        "bars",
        title,
        {
            "labels": list(differences),
            "threshold": threshold,
            "series": {"relative difference": [float(v) for v in differences.values()]},
        },
    )


def matching_hint(got, variants, rtol=1e-6):
    """The description of the first variant ``got`` matches (``{description: expected}`` whose
    values are floats or dicts of arrays), or ""."""
    for description, value in variants.items():
        if isinstance(value, dict):
            same = all(
                key in got and np.shape(got[key]) == np.shape(v) and np.allclose(got[key], v, rtol=rtol, atol=1e-12)
                for key, v in value.items()
            )
        else:
            same = np.isclose(got, value, rtol=rtol, atol=1e-12)
        if same:
            return description
    return ""


def lines_figure(title, series, every, xlabel="iteration"):
    """A ``lines`` figure of cost curves ``{label: [cost, ...]}`` recorded every ``every`` steps;
    non-finite costs (a saturated start) are left out by the template."""
    from grader.results import Figure

    clean = {label: [float(c) if np.isfinite(c) else None for c in costs] for label, costs in series.items()}
    return Figure("lines", title, {"series": clean, "xlabel": xlabel, "ylabel": "cost", "every": every})


# -- the "boundaries" figure -------------------------------------------------------------------


_PANELS: dict = {}  # digest of (parameters, X, Y, resolution) -> (runs, points): see boundary_panel
PANELS_KEPT = 64


def boundary_panel(label, predict, X, Y, resolution=48, subtitle="", parameters=None):
    """One panel: the predicted class on a grid, run-length encoded per row, and the points.
    ``predict`` maps an ``(2, k)`` array to ``k`` labels 0/1. With ``parameters``, the plain
    data ``predict`` depends on and nothing else, a panel is drawn once per process for equal
    parameters and data (a correct student's trained networks are the reference's, bit for bit)."""
    key = None
    if parameters is not None:
        from grader.checkapi.memo import Uncacheable, digest

        try:
            key = digest(f"boundary_panel:{predict.__qualname__}", (parameters, X, Y, resolution), {})
        except Uncacheable:
            key = None
    if key is None:
        runs, points = _boundary(predict, X, Y, resolution)
    else:
        if key not in _PANELS:
            if len(_PANELS) >= PANELS_KEPT:
                del _PANELS[next(iter(_PANELS))]
            _PANELS[key] = _boundary(predict, X, Y, resolution)
        runs, points = ([list(item) for item in kept] for kept in _PANELS[key])  # fresh lists for every panel
    return {"label": label, "subtitle": subtitle, "size": resolution, "runs": runs, "points": points}


def _boundary(predict, X, Y, resolution):
    """``(runs, points)`` of ``boundary_panel``."""
    pad = 0.08 * (X.max(axis=1) - X.min(axis=1))
    lo, hi = X.min(axis=1) - pad, X.max(axis=1) + pad
    xs = np.linspace(lo[0], hi[0], resolution)
    ys = np.linspace(hi[1], lo[1], resolution)  # top row first
    gx, gy = np.meshgrid(xs, ys)
    with np.errstate(all="ignore"):
        grid = np.asarray(predict(np.vstack([gx.ravel(), gy.ravel()]))).reshape(resolution, resolution) > 0.5
    runs = []
    for row, values in enumerate(grid):
        edges = np.flatnonzero(np.diff(values.astype(int))) + 1
        starts = np.concatenate([[0], edges])
        ends = np.concatenate([edges, [resolution]])
        runs += [[row, int(s), int(e - s), int(values[s])] for s, e in zip(starts, ends)]
    scale = lambda v, a, c: (v - a) / (c - a) * resolution
    points = [
        [round(float(scale(x, lo[0], hi[0])), 2), round(float(scale(y, hi[1], lo[1])), 2), int(t)]
        for x, y, t in zip(X[0], X[1], np.ravel(Y))
    ]
    return runs, points


def expect_recomputed(got, expected, name, how, rtol=1e-9, atol=1e-12):
    """``got`` (already a float array of the right shape) equals ``expected``, a value recomputed
    from the student's own results ``how``; the message gives the worst entry."""
    bad = ~np.isclose(got, expected, rtol=rtol, atol=atol)
    if bad.any():
        worst = np.unravel_index(np.argmax(np.where(bad, np.abs(got - expected), -1)), expected.shape)
        fail(
            f"{name} is not {how}: {int(bad.sum())} of {bad.size} entries differ (tolerance {atol:g} + {rtol:g} x "
            f"|expected|), e.g. at [{', '.join(map(str, worst))}]: got {got[worst]:.6g}, expected {expected[worst]:.6g}."
        )
