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
