"""Training runs of the provided ``reg_utils.model`` for the ``regularization`` checks: the
student's functions in the sandbox (through the ``reg_utils:model`` helper) and the reference in
process (once per grader process), shortened to a few hundred steps.
"""

import functools

import numpy as np

from grader.checkapi.memo import memoize
from grader.checkapi.networks import boundary_panel, expect_parameters
from grader.checks.models import predictor
from grader.checkapi.support import expect_float, fail
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


def _train_reference(reference, **config):
    import reg_utils

    X, Y, _, _ = football()
    return reg_utils.model(X, Y, learning_rate=TRAIN_LR, num_iterations=TRAIN_ITERATIONS, print_cost=False,
                           impl=reference, record_every=RECORD_EVERY, **config)


def accuracy(parameters):
    X, Y, _, _ = football()
    return float(np.mean(predictor(parameters)(X) == (Y[0] > 0.5)))


@functools.lru_cache(maxsize=1)
@memoize  # and kept on disk for the next grade process
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


def train_student(student, label):
    """``(parameters, costs)`` of ``reg_utils.model`` run in the sandbox with the student's functions."""
    X, Y, _, _ = football()
    try:
        got = student.call("model", X, Y, helper="reg_utils:model", learning_rate=TRAIN_LR,
                           num_iterations=TRAIN_ITERATIONS, print_cost=False, record_every=RECORD_EVERY,
                           **CONFIGS[label])
    except StudentError as error:
        fail(f"Training reg_utils.model with your functions ({label}: {CONFIGS[label]}) stopped: "
             + error.feedback().replace("`reg_utils:model` ", "one of your functions ", 1))
    if not (isinstance(got, (tuple, list)) and len(got) == 2 and isinstance(got[1], list)):
        fail(f"reg_utils.model with your functions ({label}) did not return (parameters, costs).")
    costs = [expect_float(c, f"a cost recorded by reg_utils.model with your functions ({label})") for c in got[1]]
    return expect_parameters(got[0], [2, 20, 3, 1], f"the parameters trained with your functions ({label})"), costs
