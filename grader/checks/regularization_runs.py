"""Training runs of the provided ``reg_utils.model`` for the ``regularization`` checks: the
student's functions in the sandbox (through the ``reg_utils:model`` helper) and the reference in
process (once per grader process), shortened to a few hundred steps.
"""

import functools

import numpy as np

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


def accuracy(parameters, test=False):
    """The accuracy of ``parameters`` on football's training set (or its test set)."""
    X, Y, test_X, test_Y = football()
    if test:
        X, Y = test_X, test_Y
    return float(np.mean(predictor(parameters)(X) == (Y[0] > 0.5)))


def accuracies(parameters):
    """``(train accuracy, test accuracy)``."""
    return accuracy(parameters), accuracy(parameters, test=True)


def test_panel(label, parameters):
    """The decision boundary of ``parameters`` over football's test points, with both accuracies."""
    _, _, test_X, test_Y = football()
    train, test = accuracies(parameters)
    return boundary_panel(label, predictor(parameters), test_X, test_Y,
                          subtitle=f"train {train:.1%} · test {test:.1%}")


@functools.lru_cache(maxsize=1)
def reference_runs():
    """``(boundary panels over the test points, {label: costs}, {label: (train, test accuracy)})`` of
    the reference, once per process."""
    from grader.pipeline.reference import load_reference

    reference = load_reference(ASSIGNMENT)
    panels, costs, scores = [], {}, {}
    for label, config in {"none": {}, **CONFIGS}.items():
        parameters, costs[label] = _train_reference(reference, **config)
        panels.append(test_panel(f"reference: {label}", parameters))
        scores[label] = accuracies(parameters)
    return tuple(panels), costs, scores


def accuracy_figure(student_scores, reference_scores):
    """A table: train and test accuracy (percent) of no regularization, L2, dropout and both,
    the student's beside the reference's (``None`` where the student's run did not train)."""
    from grader.results import Figure

    labels = list(reference_scores)

    def column(scores, which):
        return [None if scores.get(label) is None else round(100 * scores[label][which], 1) for label in labels]

    return Figure("bars", f"Accuracy (%) on football's training set and on its test set after {TRAIN_ITERATIONS} "
                          "steps, yours beside the reference's; the notebook's 30,000 steps show the lesson: "
                          "without regularization the training set is fitted best and the test set worse",
                  {"labels": labels, "label_header": "regularization",
                   "series": {"yours: train": column(student_scores, 0), "yours: test": column(student_scores, 1),
                              "reference: train": column(reference_scores, 0),
                              "reference: test": column(reference_scores, 1)}})


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
