"""The optimization checks: the reference scores 100, the stub 0, and each known wrong
implementation (the catalogue ``grader/mistakes/optimization.py``; graded in ``tests/test_validate.py``) loses the checks meant for it, with its message."""

import pytest

from tests.helpers import grade_source, reference_source, stub_source
from tests.wrong_impls import failures_by_check, wrong_implementations

A = "optimization"


def test_reference_scores_full_marks_and_draws_the_figures():
    result = grade_source(A, reference_source(A))
    assert failures_by_check(result) == {}
    assert result.score == 100
    kinds = sorted(figure.kind for figure in result.figures)
    assert kinds == ["lines", "paths2d"]
    costs = next(f for f in result.figures if f.kind == "lines").data["series"]
    assert sorted(costs) == sorted(
        f"{who}: {o}" for who in ("yours", "reference") for o in ("adam", "gd", "momentum", "rmsprop")
    )
    assert costs["yours: adam"][-1] < costs["yours: gd"][-1]


def test_stub_scores_zero_and_says_not_implemented():
    result = grade_source(A, stub_source(A))
    assert result.score == 0
    assert all("not implemented yet" in message for message in failures_by_check(result).values())


def test_public_checks_reference_full_marks_stub_zero():
    assert grade_source(A, reference_source(A), public=True).score == 100
    assert grade_source(A, stub_source(A), public=True).score == 0


def test_every_issue_bullet_has_a_wrong_implementation():
    names = {wrong.name for wrong in wrong_implementations(A)}
    for bullet in (
        "adam_no_bias_correction",
        "adam_beta2_squared",
        "adam_t_plus_one",
        "adam_epsilon_outside",
        "momentum_without_one_minus_beta",
        "momentum_steps_with_gradient",
        "rmsprop_epsilon_inside_sqrt",
        "rmsprop_without_square",
        "gd_wrong_sign",
        "gd_skips_biases",
        "update_lr_exponential",
        "schedule_without_floor",
        "batches_drop_remainder",
        "batches_separate_shuffles",
        "batches_not_shuffled",
        "batches_global_random_state",
    ):
        assert bullet in names, bullet


VARIANTS = {  # correct, but written differently from the reference: full marks
    "in-place updates returning the inputs": """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    v_corrected, s_corrected = {}, {}
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = f"d{p}{l}"
            v[key] = beta1 * v[key] + (1 - beta1) * grads[key]
            s[key] = beta2 * s[key] + (1 - beta2) * np.square(grads[key])
            v_corrected[key] = v[key] / (1 - np.power(beta1, t))
            s_corrected[key] = s[key] / (1 - np.power(beta2, t))
            parameters[f"{p}{l}"] -= learning_rate * (v_corrected[key] / (np.sqrt(s_corrected[key]) + epsilon))
    return parameters, v, s, v_corrected, s_corrected
""",
    "shuffled indices and list batches": """
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    rng = np.random.default_rng(seed)
    idx = np.arange(X.shape[1])
    rng.shuffle(idx)
    return [[X[:, idx[k:k + mini_batch_size]], Y[:, idx[k:k + mini_batch_size]]]
            for k in range(0, len(idx), mini_batch_size)]
""",
    "floor division and numpy floats": """
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return np.float64(learning_rate0) / (1 + decay_rate * (epoch_num // time_interval))
""",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_correct_variants_score_full_marks(name):
    import ast

    from tests.helpers import replace_function

    source = reference_source(A)
    function = next(n.name for n in ast.parse(VARIANTS[name]).body if isinstance(n, ast.FunctionDef))
    result = grade_source(A, replace_function(source, function, VARIANTS[name]))
    assert failures_by_check(result) == {}
    assert grade_source(A, replace_function(source, function, VARIANTS[name]), public=True).score == 100
