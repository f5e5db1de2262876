"""The report's pictures for ``optimization``: each optimizer's path on a 2-D bowl beside
the reference's, and the cost curves of the four optimizers trained on moons with the
student's functions. Both are the grader's copies of the provided loops
(``loops.optimizer_path``, ``loops.model_costs``), driven from the grader: the four
optimizers advance together, one round trip per step, and the costs are computed here.
"""

import functools
import math
import weakref

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
# 15 epochs: by then the report's cost figure shows the lesson plainly (the reference's RMSprop and
# Adam at 0.40 and 0.42, gradient descent and momentum still at 0.70, from 0.79), and no
# catalogued mistake depends on the length of this run (its check asks for a lower cost at the end)
COST_EPOCHS, COST_RATE = 15, 0.01
SECRET_EPOCHS = 5  # a secret case's run: enough for the cost to fall clearly with a correct rule


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


PATHS_TITLE = "Paths on the bowl J = (x² + 20 y²) / 2 from (-4, 1): yours and the reference's"
COSTS_TITLE = (
    f"Cost on moons per epoch, trained with your update rules (solid) and the reference's (dashed) "
    f"(opt_utils.model, learning rate {COST_RATE:g})"
)


def _shared(figures, kind, title, data):
    """The figure of ``figures`` with this kind and title (each optimizer's check adds its part
    to one picture), appended with ``data`` when there is none yet."""
    for figure in figures:
        if figure.kind == kind and figure.title == title:
            return figure
    figure = Figure(kind, title, data)
    figures.append(figure)
    return figure


# The four optimizers' runs of one student, made together on the first check that needs them
# (one round trip per step for all four) and kept for the others.
_PATHS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_COSTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _paths(student):
    if student not in _PATHS:
        _PATHS[student] = dict(
            zip(
                PATH_RATES,
                lockstep.run_student(
                    student,
                    [
                        lockstep.Recipe(loops.optimizer_path, (optimizer, rate, PATH_STEPS))
                        for optimizer, rate in PATH_RATES.items()
                    ],
                ),
            )
        )
    return _PATHS[student]


def add_path(figures, student, reference, optimizer):
    """Add ``optimizer``'s panel (the student's and the reference's path on the bowl) to the
    shared paths figure."""
    rate = PATH_RATES[optimizer]
    expected = loops.reference_result("optimization", loops.optimizer_path, optimizer, rate, PATH_STEPS)
    got = _paths(student)[optimizer]
    note, yours = "", None
    if isinstance(got, (StudentError, CheckFailure)):
        note = _first_line(got)
    else:
        yours = _clipped_points(got)
        if yours is None or len(got) < PATH_STEPS + 1:
            note = "your path could not be drawn" if yours is None else "your update rule stopped early"
    figure = _shared(
        figures, "paths2d", PATHS_TITLE, {"xlim": list(XLIM), "ylim": list(YLIM), "contours": _contours(), "panels": []}
    )
    figure.data["panels"].append(
        {
            "title": f"{optimizer} (learning rate {rate:g}, {PATH_STEPS} steps)",
            "paths": {"reference": _clipped_points(expected), "yours": yours},
            "note": note,
        }
    )


@functools.lru_cache(maxsize=2)
def _epochs(base=11, epochs=COST_EPOCHS):
    """The mini-batches of every epoch, made by the reference as ``opt_utils.model`` makes them
    (``random_mini_batches(X, Y, 64, seed + 1 + i)``, seed 10: ``base`` 11)."""
    from grader.pipeline.reference import load_reference

    X, Y = provided("data_utils").load_moons()
    reference = load_reference("optimization")
    return tuple(tuple(reference.random_mini_batches(X, Y, 64, base + i)) for i in range(epochs))


def training_costs(student, base):
    """``({optimizer: (costs, problem)}, {optimizer: (costs, problem)})``: the runs of the grader's
    copy of ``opt_utils.model`` with the student's update rule of each optimizer. Shared: ``COST_EPOCHS``
    epochs on the reference's mini-batches from the zero state; secret: ``SECRET_EPOCHS`` epochs
    shuffled from seeds ``base``, ``base + 1``, .... The cost is computed by the grader on all of
    moons, before training and after every epoch; ``costs`` is None when the run failed, and
    ``problem`` says why. The eight runs advance together, made on the first call for a student
    (the first model check, whose secret gives ``base``) and kept for the others."""
    if student not in _COSTS:
        X, Y = provided("data_utils").load_moons()
        # the shared runs as recipes (followed when a trace is kept); the secret ones, one student's, made
        shared = [
            lockstep.Recipe(loops.model_costs, (X, Y, MOONS_DIMS, name, COST_RATE, _epochs())) for name in PATH_RATES
        ]
        secret = [
            loops.model_costs(X, Y, MOONS_DIMS, name, COST_RATE, _epochs(base, SECRET_EPOCHS)) for name in PATH_RATES
        ]
        runs = shared + secret
        results = [_outcome(result) for result in lockstep.run_student(student, runs)]
        n = len(PATH_RATES)
        _COSTS[student] = (dict(zip(PATH_RATES, results[:n])), dict(zip(PATH_RATES, results[n:])), base)
    return _COSTS[student]


def _outcome(result):
    if isinstance(result, StudentError):
        return None, result.feedback()
    if isinstance(result, CheckFailure):
        return None, str(result)
    return [float(c) for c in result], None


def reference_costs(reference, optimizer):
    """The reference's cost curve of the same run as ``training_costs``' shared one (computed once,
    ``loops.reference_result``)."""
    X, Y = provided("data_utils").load_moons()
    costs = loops.reference_result("optimization", loops.model_costs, X, Y, MOONS_DIMS, optimizer, COST_RATE, _epochs())
    return [float(c) for c in costs]


def add_costs(figures, optimizer, costs, reference):
    """Add ``optimizer``'s cost curve, the student's beside the reference's, to the shared cost figure."""
    series = _shared(figures, "lines", COSTS_TITLE, {"series": {}, "xlabel": "epoch", "ylabel": "cost"}).data["series"]
    if costs is not None:
        series[f"yours: {optimizer}"] = costs
    series[f"reference: {optimizer}"] = reference_costs(reference, optimizer)
