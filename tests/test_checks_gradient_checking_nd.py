"""The gradient_checking_nd checks: the reference scores 100, the stub 0, and each known wrong
implementation (``tests/wrong/gradient_checking_nd/``) loses the checks meant for it, with its message."""

import pytest

from tests.helpers import grade_source, reference_source, stub_source
from tests.wrong_impls import failures_by_check, wrong_implementations

A = "gradient_checking_nd"


def test_reference_scores_full_marks_and_draws_the_block_chart():
    result = grade_source(A, reference_source(A))
    assert failures_by_check(result) == {}
    assert result.score == 100
    (chart,) = result.figures
    assert chart.kind == "logbars" and chart.data["labels"] == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert max(chart.data["values"]) < 1e-12


def test_stub_shows_its_planted_bugs_in_the_block_chart():
    result = grade_source(A, stub_source(A))
    (chart,) = result.figures
    flagged = [label for label, value in zip(chart.data["labels"], chart.data["values"]) if value > 2e-7]
    assert flagged == ["b1", "W3"]


def test_stub_scores_zero_and_says_not_implemented():
    result = grade_source(A, stub_source(A))
    assert result.score == 0
    failures = failures_by_check(result)
    backward = {check for check in failures if check[0] == "backward_propagation_n"}
    assert len(backward) == 2 and all("times the correct gradient" in failures[c] for c in backward)
    assert all("not implemented yet" in message for check, message in failures.items() if check not in backward)


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
    for bullet in ("vector_b_before_w", "vector_column_major", "inverse_column_major", "gradients_with_extra_keys",
                   "planted_bugs_left_in", "one_sided_difference", "max_abs_error", "global_difference_per_block",
                   "global_difference_only"):
        assert bullet in names, bullet


def test_grader_cases_leave_a_wide_margin_below_the_threshold():
    from grader.checks import nd_cases

    for layers_dims in ([4, 5, 3, 1], [1, 1, 1], [5, 2, 4, 1], [3, 5, 5, 5, 1]):
        for seed in range(3):
            X, Y, parameters, grads = nd_cases.safe_case(layers_dims, seed, x_scale=3.0)
            noise = nd_cases.block_differences(grads, nd_cases.numeric_gradient(X, Y, parameters), layers_dims)
            assert max(noise.values()) < 2e-7 / 20
            assert min(abs(g).max() for g in grads.values()) > 0
