"""The gradient_checking checks: the reference scores 100, the stub 0, and each known
wrong implementation loses the points of the check meant for it, with its message."""

import pytest

from tests.helpers import failed, grade_source, reference_source, replace_function, stub_source

A = "gradient_checking"

ONE_SIDED = """
def gradient_check(x, theta, epsilon=1e-7):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta)) / epsilon
    grad = backward_propagation(x, theta)
    return float(np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))
"""
NO_DENOMINATOR = """
def gradient_check(x, theta, epsilon=1e-7):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    return float(np.linalg.norm(grad - gradapprox))
"""
WRONG_DENOMINATOR = """
def gradient_check(x, theta, epsilon=1e-7):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    return float(np.linalg.norm(grad - gradapprox) / np.linalg.norm(grad + gradapprox))
"""
ONLY_THETA_X = """
def gradient_check(x, theta, epsilon=1e-7):
    gradapprox = ((theta + epsilon) * x - (theta - epsilon) * x) / (2 * epsilon)
    grad = x
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    return float(np.linalg.norm(grad - gradapprox) / denominator) if denominator else 0.0
"""
NAN_AT_ZERO = """
def gradient_check(x, theta, epsilon=1e-7):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    with np.errstate(all="ignore"):
        return float(np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))
"""
ALWAYS_ZERO = "def gradient_check(x, theta, epsilon=1e-7):\n    return 0.0\n"
WRONG_FORWARD = "def forward_propagation(x, theta):\n    return theta + x\n"
WRONG_BACKWARD = "def backward_propagation(x, theta):\n    return theta\n"


def test_reference_scores_full_marks():
    result = grade_source(A, reference_source(A))
    assert failed(result) == {}
    assert result.score == 100


def test_stub_scores_zero_and_says_not_implemented():
    result = grade_source(A, stub_source(A))
    assert result.score == 0
    assert all("not implemented yet" in message for message in failed(result).values())


def test_a_constant_gradient_check_earns_nothing():
    result = grade_source(A, replace_function(reference_source(A), "gradient_check", ALWAYS_ZERO))
    assert all(not o.passed for o in result.outcomes if o.function == "gradient_check")
    assert result.score == 30  # forward and backward only


@pytest.mark.parametrize(
    "function, wrong, lost, fragment",
    [
        ("forward_propagation", WRONG_FORWARD, {"gradient_checking.check_forward"}, "forward_propagation("),
        ("backward_propagation", WRONG_BACKWARD, {"gradient_checking.check_backward"}, "backward_propagation("),
        (
            "gradient_check",
            ONE_SIDED,
            {"gradient_checking.check_centred_difference"},
            "a one-sided difference",
        ),
        (
            "gradient_check",
            NO_DENOMINATOR,
            {"gradient_checking.check_wrong_derivative"},
            "||grad - gradapprox|| / (||grad|| + ||gradapprox||)",
        ),
        (
            "gradient_check",
            WRONG_DENOMINATOR,
            {"gradient_checking.check_wrong_derivative"},
            "the difference ||grad - gradapprox||",
        ),
        (
            "gradient_check",
            ONLY_THETA_X,
            {"gradient_checking.check_centred_difference", "gradient_checking.check_wrong_derivative"},
            "swapped into your module",
        ),
        ("gradient_check", NAN_AT_ZERO, {"gradient_checking.check_zero_gradients"}, "not 0/0 = nan"),
    ],
)
def test_wrong_implementation_loses_the_intended_check(function, wrong, lost, fragment):
    result = grade_source(A, replace_function(reference_source(A), function, wrong))
    failures = failed(result)
    assert lost <= set(failures), f"expected to fail {lost}, failed {sorted(failures)}"
    assert any(fragment in failures[name] for name in lost), failures
    assert result.score < 100
