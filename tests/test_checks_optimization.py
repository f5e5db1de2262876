"""The optimization checks: the reference scores 100, the stub 0, and each known wrong
implementation (``tests/wrong/optimization/``) loses the checks meant for it, with its message."""

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
    assert sorted(costs) == ["adam", "gd", "momentum", "rmsprop"]
    assert costs["adam"][-1] < costs["gd"][-1]


def test_stub_scores_zero_and_says_not_implemented():
    result = grade_source(A, stub_source(A))
    assert result.score == 0
    assert all("not implemented yet" in message for message in failures_by_check(result).values())


@pytest.mark.parametrize("wrong", wrong_implementations(A), ids=lambda w: w.name)
def test_wrong_implementation_loses_the_intended_check(wrong):
    result = grade_source(A, wrong.applied_to(reference_source(A)))
    failures = failures_by_check(result)
    missing = [check for check in wrong.loses if check not in failures]
    assert not missing, f"{wrong.name} should fail {missing}; it failed {sorted(failures)}"
    for check in wrong.loses:
        assert wrong.message in failures[check], f"{wrong.name}, {check}: {failures[check]}"
    assert result.score < 100


def test_public_checks_reference_full_marks_stub_zero():
    assert grade_source(A, reference_source(A), public=True).score == 100
    assert grade_source(A, stub_source(A), public=True).score == 0


def test_every_issue_bullet_has_a_wrong_implementation():
    names = {wrong.name for wrong in wrong_implementations(A)}
    for bullet in ("adam_no_bias_correction", "adam_beta2_squared", "adam_t_plus_one", "adam_epsilon_outside",
                   "momentum_without_one_minus_beta", "momentum_steps_with_gradient", "rmsprop_epsilon_inside_sqrt",
                   "rmsprop_without_square", "gd_wrong_sign", "gd_skips_biases", "update_lr_exponential",
                   "schedule_without_floor", "batches_drop_remainder", "batches_separate_shuffles",
                   "batches_not_shuffled", "batches_global_random_state"):
        assert bullet in names, bullet
