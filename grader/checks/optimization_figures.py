"""The report's pictures for ``optimization``: each optimizer's path on a 2-D bowl beside
the reference's, and the cost curves of the four optimizers trained on moons with the
student's functions. Both run the provided helpers (``opt_utils.optimizer_path`` and
``opt_utils.model``) in the sandbox with the student's module as ``impl``.
"""

import math

import numpy as np

from grader.checks.trajectories import FUNCTION, provided
from grader.results import Figure
from grader.sandbox.session import StudentError

MOONS_DIMS = [2, 5, 2, 1]
PATH_RATES = {"gd": 0.09, "momentum": 0.09, "rmsprop": 0.1, "adam": 0.3}  # on the bowl a=1, b=20
PATH_STEPS = 40
BOWL = (1.0, 20.0)  # opt_utils.quadratic_bowl's default a, b
XLIM, YLIM = (-4.6, 1.4), (-1.6, 1.6)
COST_EPOCHS, COST_RATE = 30, 0.01


def _first_line(error):
    return error.message.splitlines()[0]


def _clipped_points(value):
    """A path as [[x, y], ...] inside the picture, or None when it is not an (n, 2) array of numbers."""
    if not isinstance(value, np.ndarray) or value.ndim != 2 or value.shape[1] != 2 or value.dtype.kind not in "iuf":
        return None
    points = np.nan_to_num(value.astype(float), nan=0.0, posinf=1e6, neginf=-1e6)
    points[:, 0] = np.clip(points[:, 0], *XLIM)
    points[:, 1] = np.clip(points[:, 1], *YLIM)
    return np.round(points, 4).tolist()


def _contours(levels=(0.05, 0.25, 0.75, 2.0, 4.5, 8.0, 12.0)):
    a, b = BOWL
    angles = np.linspace(0, 2 * np.pi, 61)
    ellipses = []
    for level in levels:  # (a x^2 + b y^2) / 2 = level
        x, y = math.sqrt(2 * level / a) * np.cos(angles), math.sqrt(2 * level / b) * np.sin(angles)
        ellipses.append(np.round(np.column_stack([np.clip(x, *XLIM), np.clip(y, *YLIM)]), 4).tolist())
    return ellipses


def optimizer_paths_figure(student, reference):
    """Figure: the student's and the reference's path of every optimizer on the bowl."""
    opt_utils = provided("opt_utils")
    panels = []
    for optimizer, rate in PATH_RATES.items():
        expected = opt_utils.optimizer_path(optimizer, learning_rate=rate, num_steps=PATH_STEPS, impl=reference)
        note = ""
        try:
            yours = _clipped_points(student.call(FUNCTION[optimizer], optimizer, learning_rate=rate,
                                                 num_steps=PATH_STEPS, helper="opt_utils:optimizer_path"))
            if yours is None:
                note = "your path could not be drawn"
        except StudentError as error:
            yours, note = None, _first_line(error)
        panels.append({"title": f"{optimizer} (learning rate {rate:g}, {PATH_STEPS} steps)",
                       "paths": {"reference": _clipped_points(expected), "yours": yours}, "note": note})
    return Figure("paths2d", "Paths on the bowl J = (x² + 20 y²) / 2 from (-4, 1): yours and the reference's",
                  {"xlim": list(XLIM), "ylim": list(YLIM), "contours": _contours(), "panels": panels})


def training_costs(student):
    """``({optimizer: [cost per epoch]}, [problem, ...])`` of ``opt_utils.model`` run with the
    student's functions (``COST_EPOCHS`` epochs on moons)."""
    X, Y = provided("data_utils").load_moons()
    costs, problems = {}, []
    for optimizer in PATH_RATES:
        try:
            result = student.call(FUNCTION[optimizer], X, Y, MOONS_DIMS, optimizer=optimizer,
                                  learning_rate=COST_RATE, num_epochs=COST_EPOCHS, print_cost=False,
                                  record_every=1, helper="opt_utils:model")
        except StudentError as error:
            problems.append(f"optimizer={optimizer!r}: {_first_line(error)}")
            continue
        series = result[1] if isinstance(result, tuple) and len(result) == 2 else None
        if not isinstance(series, list) or not all(isinstance(c, (int, float)) for c in series):
            problems.append(f"optimizer={optimizer!r}: the costs could not be read back")
            continue
        costs[optimizer] = [float(c) for c in series]
    return costs, problems


_reference_costs = {}


def reference_training_costs(reference):
    """``{optimizer: [cost per epoch]}`` of ``opt_utils.model`` run with the reference, the same
    runs as ``training_costs``; computed once per process (the report draws them beside the
    student's)."""
    if not _reference_costs:
        X, Y = provided("data_utils").load_moons()
        opt_utils = provided("opt_utils")
        for optimizer in PATH_RATES:
            _, costs = opt_utils.model(X, Y, MOONS_DIMS, optimizer=optimizer, learning_rate=COST_RATE,
                                       num_epochs=COST_EPOCHS, print_cost=False, record_every=1, impl=reference)
            _reference_costs[optimizer] = [float(c) for c in costs]
    return dict(_reference_costs)


def cost_series(costs, reference_costs):
    """The cost chart's curves: each optimizer's, yours beside the reference's."""
    series = {}
    for optimizer, expected in reference_costs.items():
        if optimizer in costs:
            series[f"yours: {optimizer}"] = costs[optimizer]
        series[f"reference: {optimizer}"] = expected
    return series
