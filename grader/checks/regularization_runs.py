"""Training runs of the provided ``reg_utils.model`` for the ``regularization`` checks, by the
grader's own copy of the loop (``loops.regularized_model``): the student's functions are called
step by step through the sandbox (the three settings advance together, one round trip per step),
the reference in process (once per grader process), shortened to a few hundred steps.
"""

import functools

import numpy as np

from grader.checkapi import lockstep
from grader.checkapi.networks import boundary_panel
from grader.checkapi.support import CheckFailure
from grader.checks import loops
from grader.checks.models import predictor
from grader.sandbox.session import StudentError

ASSIGNMENT = "regularization"

TRAIN_ITERATIONS, TRAIN_LR, RECORD_EVERY = 300, 0.3, 10
CONFIGS = {"L2": {"lambd": 0.7}, "dropout": {"keep_prob": 0.86}, "both": {"lambd": 0.7, "keep_prob": 0.86}}


@functools.lru_cache(maxsize=1)
def football():
    from grader.pipeline.reference import load_reference

    load_reference(ASSIGNMENT)  # puts the provided helpers on sys.path
    import data_utils

    return data_utils.load_football()


def _run(**config):
    X, Y, _, _ = football()
    return loops.regularized_model(X, Y, TRAIN_LR, TRAIN_ITERATIONS, record_every=RECORD_EVERY, **config)


def _train_reference(reference, **config):
    return lockstep.run_reference(reference, _run(**config))


def accuracy(parameters):
    X, Y, _, _ = football()
    return float(np.mean(predictor(parameters)(X) == (Y[0] > 0.5)))


@functools.lru_cache(maxsize=1)
def reference_runs():
    """``(boundary panels, {label: costs})`` of the reference, once per process."""
    from grader.pipeline.reference import load_reference

    reference = load_reference(ASSIGNMENT)
    X, Y, _, _ = football()
    panels, costs = [], {}
    for label, config in {"none": {}, **CONFIGS}.items():
        parameters, costs[label] = _train_reference(reference, **config)
        panels.append(boundary_panel(f"reference: {label}", predictor(parameters), X, Y,
                                     subtitle=f"train accuracy {accuracy(parameters):.1%}"))
    return tuple(panels), costs


def train_students(student, runs):
    """``{key: (parameters, costs) or CheckFailure}`` of grader-driven runs of ``reg_utils.model``
    with the student's functions, all advancing together: ``runs`` is ``{key: (label of
    CONFIGS, mask seed or None)}``."""
    results = lockstep.run_student(student, [_run(**CONFIGS[label], mask_seed=seed) for label, seed in runs.values()])
    out = {}
    for (key, (label, _)), result in zip(runs.items(), results):
        what = (f"Training reg_utils.model with your backward_propagation_with_dropout ({label}: {CONFIGS[label]}; "
                "the reference's other functions)")
        if isinstance(result, StudentError):
            out[key] = CheckFailure(f"{what} stopped: {result.feedback()}")
        elif isinstance(result, CheckFailure):
            out[key] = CheckFailure(f"{what} stopped: {result}")
        else:
            out[key] = result
    return out
