"""Training runs of the provided ``reg_utils.model`` for the ``regularization`` checks, by the
grader's own copy of the loop (``loops.regularized_model``): the student's functions are called
step by step through the sandbox (the three settings advance together, one round trip per step),
the reference in process (once per grader process), shortened to 150 steps.

150 steps, not more: over 42 mask seeds the reference reaches at least 93.4 % training accuracy
by step 150 (mean 94.3 %, its accuracy at step 300; at least 91.9 % at step 100), far above the
check's 85 %, and every catalogued ``backward_propagation_with_dropout`` (wrong or correct) lands on
the same side of 85 % at steps 100, 150, 200 and 300 (``benchmarks/training_lengths.py``), so the
steps after 150 cost time and catch nothing.

A secret case's run (masks drawn from a secret seed) is 50 steps, ``SECRET_ITERATIONS``: its
job is to fail a backward pass that only answers the masks a student can have seen, and it
asks for the same 85 %. Over the same 42 mask seeds the reference reaches 89.6 % to 89.9 % by
step 50, and every catalogued ``backward_propagation_with_dropout`` lands on the same side of
85 % at step 50 as at step 150, on each of those seeds (``benchmarks/training_lengths.py``).
It is not drawn in the report.
"""

import functools

import numpy as np

from grader.checkapi import lockstep
from grader.checkapi.memo import memoize
from grader.checkapi.networks import boundary_panel
from grader.checkapi.support import CheckFailure
from grader.checks import loops
from grader.checks.models import predictor
from grader.sandbox.session import StudentError

ASSIGNMENT = "regularization"

TRAIN_ITERATIONS, TRAIN_LR, RECORD_EVERY = 150, 0.3, 10
SECRET_ITERATIONS = 50  # a secret case's run (see above)
REACHES = {TRAIN_ITERATIONS: "about 94 %", SECRET_ITERATIONS: "about 90 %"}  # the reference's training accuracy
CONFIGS = {"L2": {"lambd": 0.7}, "dropout": {"keep_prob": 0.86}, "both": {"lambd": 0.7, "keep_prob": 0.86}}


@functools.lru_cache(maxsize=1)
def football():
    from grader.pipeline.reference import load_reference

    load_reference(ASSIGNMENT)  # puts the provided helpers on sys.path
    import data_utils

    return data_utils.load_football()


def _recipe(iterations=TRAIN_ITERATIONS, **config):
    X, Y, _, _ = football()
    return lockstep.Recipe(
        loops.regularized_model, (X, Y, TRAIN_LR, iterations), dict(record_every=RECORD_EVERY, **config)
    )


def _run(**config):
    return _recipe(**config).start()


def _train_reference(reference, **config):
    return lockstep.run_reference(reference, _run(**config))


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
    return boundary_panel(
        label,
        predictor(parameters),
        test_X,
        test_Y,
        subtitle=f"train {train:.1%} · test {test:.1%}",
        parameters=parameters,
    )


@functools.lru_cache(maxsize=1)
@memoize  # and kept on disk for the next grade process
def reference_runs():
    """``(boundary panels over the test points, {label: costs}, {label: (train, test accuracy)},
    {label: trained parameters})`` of the reference, once per process."""
    from grader.pipeline.reference import load_reference

    reference = load_reference(ASSIGNMENT)
    panels, costs, scores, trained = [], {}, {}, {}
    for label, config in {"none": {}, **CONFIGS}.items():
        trained[label], costs[label] = _train_reference(reference, **config)
        panels.append(test_panel(f"reference: {label}", trained[label]))
        scores[label] = accuracies(trained[label])
    return tuple(panels), costs, scores, trained


def accuracy_figure(student_scores, reference_scores):
    """A table: train and test accuracy (percent) of no regularization, L2, dropout and both,
    the student's beside the reference's (``None`` where the student's run did not train)."""
    from grader.results import Figure

    labels = list(reference_scores)

    def column(scores, which):
        return [None if scores.get(label) is None else round(100 * scores[label][which], 1) for label in labels]

    return Figure(
        "bars",
        f"Accuracy (%) on football's training set and on its test set after {TRAIN_ITERATIONS} "
        "steps, yours beside the reference's; the notebook's 30,000 steps show the lesson: "
        "without regularization the training set is fitted best and the test set worse",
        {
            "labels": labels,
            "label_header": "regularization",
            "series": {
                "yours: train": column(student_scores, 0),
                "yours: test": column(student_scores, 1),
                "reference: train": column(reference_scores, 0),
                "reference: test": column(reference_scores, 1),
            },
        },
    )


def train_students(student, runs):
    """``{key: (parameters, costs) or CheckFailure}`` of grader-driven runs of ``reg_utils.model``
    with the student's functions, all advancing together: ``runs`` is ``{key: (label of
    CONFIGS, mask seed or None)}``; a run on masks drawn from a seed is ``SECRET_ITERATIONS``
    steps long, the others ``TRAIN_ITERATIONS``."""
    # (a run on masks drawn from a secret seed is one student's: made, never followed nor kept)
    made = [
        _recipe(**CONFIGS[label])
        if seed is None
        else _run(**CONFIGS[label], mask_seed=seed, iterations=SECRET_ITERATIONS)
        for label, seed in runs.values()
    ]
    results = lockstep.run_student(student, made)
    out = {}
    for (key, (label, _)), result in zip(runs.items(), results):
        what = (
            f"Training reg_utils.model with your backward_propagation_with_dropout ({label}: {CONFIGS[label]}; "
            "the reference's other functions)"
        )
        if isinstance(result, StudentError):
            out[key] = CheckFailure(f"{what} stopped: {result.feedback()}")
        elif isinstance(result, CheckFailure):
            out[key] = CheckFailure(f"{what} stopped: {result}")
        else:
            out[key] = result
    return out
