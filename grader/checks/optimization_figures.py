"""The report's pictures for ``optimization``: each optimizer's path on a 2-D bowl beside
the reference's, and the cost curves of the four optimizers trained on moons with the
student's functions. Both are the grader's copies of the provided loops
(``loops.optimizer_path``, ``loops.model_costs``), driven from the grader: the four
optimizers advance together, one round trip per step, and the costs are computed here.
"""

import math

import numpy as np

from grader.checkapi import lockstep
from grader.checkapi.support import CheckFailure
from grader.checks import loops
from grader.checks.trajectories import provided
from grader.results import Figure
from grader.sandbox.session import StudentError

MOONS_DIMS = [2, 5, 2, 1]
PATH_RATES = {"gd": 0.09, "momentum": 0.09, "rmsprop": 0.1, "adam": 0.3}  # on the bowl a=1, b=20
PATH_STEPS = 40
BOWL = (1.0, 20.0)  # opt_utils.quadratic_bowl's default a, b
XLIM, YLIM = (-4.6, 1.4), (-1.6, 1.6)
COST_EPOCHS, COST_RATE = 30, 0.01


def _first_line(error):
    return (str(error).splitlines() or [""])[0]


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
    runs = [loops.optimizer_path(optimizer, rate, PATH_STEPS) for optimizer, rate in PATH_RATES.items()]
    yours = lockstep.run_student(student, runs)
    panels = []
    for (optimizer, rate), got in zip(PATH_RATES.items(), yours):
        expected = lockstep.run_reference(reference, loops.optimizer_path(optimizer, rate, PATH_STEPS))
        note, points = "", None
        if isinstance(got, (StudentError, CheckFailure)):
            note = _first_line(got)
        else:
            points = _clipped_points(got)
            if points is None or len(got) < PATH_STEPS + 1:
                note = "your path could not be drawn" if points is None else "your update rule stopped early"
        panels.append({"title": f"{optimizer} (learning rate {rate:g}, {PATH_STEPS} steps)",
                       "paths": {"reference": _clipped_points(expected), "yours": points}, "note": note})
    return Figure("paths2d", "Paths on the bowl J = (x² + 20 y²) / 2 from (-4, 1): yours and the reference's",
                  {"xlim": list(XLIM), "ylim": list(YLIM), "contours": _contours(), "panels": panels})


def training_costs(student):
    """``({optimizer: [cost]}, [problem, ...])`` of the grader's copy of ``opt_utils.model``
    run with the student's functions (``COST_EPOCHS`` epochs on moons): the cost on all of
    moons, computed by the grader, before training and after every epoch."""
    X, Y = provided("data_utils").load_moons()
    runs = [loops.model_costs(X, Y, MOONS_DIMS, optimizer, COST_RATE, COST_EPOCHS) for optimizer in PATH_RATES]
    costs, problems = {}, []
    for optimizer, result in zip(PATH_RATES, lockstep.run_student(student, runs)):
        if isinstance(result, (StudentError, CheckFailure)):
            problems.append(f"optimizer={optimizer!r}: {_first_line(result)}")
        else:
            costs[optimizer] = [float(c) for c in result]
    return costs, problems
