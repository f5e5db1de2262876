"""Known implementations of ``gradient_checking`` (see ``grader/mistakes/__init__.py``)."""

from grader.mistakes import Mistake, Variant


def _course(
    J_minus="forward_propagation(x, theta_minus)",
    gradapprox="(J_plus - J_minus) / (2 * epsilon)",
    numerator="np.linalg.norm(grad - gradapprox)",
):
    """``gradient_check`` the way the course's template writes it (no special case for 0 / 0)."""
    return f"""
        def gradient_check(x, theta, epsilon=1e-7):
            theta_plus = theta + epsilon
            theta_minus = theta - epsilon
            J_plus = forward_propagation(x, theta_plus)
            J_minus = {J_minus}
            gradapprox = {gradapprox}
            grad = backward_propagation(x, theta)
            numerator = {numerator}
            denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
            difference = numerator / denominator
            return difference
        """


CATALOGUE = [
    Mistake(
        "forward_adds",
        "forward_propagation",
        "this looks like J = theta + x: the cost is the product theta * x.",
        """
        def forward_propagation(x, theta):
            return theta + x
        """,
        ("check_forward",),
    ),
    Mistake(
        "forward_no_return",
        "forward_propagation",
        "this looks like forward_propagation computes J but does not return it.",
        """
        def forward_propagation(x, theta):
            J = theta * x
        """,
        ("check_forward",),
    ),
    Mistake(
        "backward_returns_theta",
        "backward_propagation",
        "this looks like the derivative with respect to x (theta); the gradient asked for is dJ/dtheta = x.",
        """
        def backward_propagation(x, theta):
            return theta
        """,
        ("check_backward",),
    ),
    Mistake(
        "backward_returns_cost",
        "backward_propagation",
        "this looks like the cost J = theta * x itself, not its derivative dJ/dtheta = x.",
        """
        def backward_propagation(x, theta):
            return theta * x
        """,
        ("check_backward",),
    ),
    Mistake(
        "gc_one_sided",
        "gradient_check",
        "this looks like a one-sided difference (J(theta + eps) - J(theta)) / eps; the centred "
        "difference (J(theta + eps) - J(theta - eps)) / (2 eps) is more accurate.",
        """
        def gradient_check(x, theta, epsilon=1e-7):
            gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta)) / epsilon
            grad = backward_propagation(x, theta)
            denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
            return float(np.linalg.norm(grad - gradapprox) / denominator) if denominator else 0.0
        """,
        ("check_centred_difference",),
    ),
    Mistake(
        "gc_backward_one_sided",
        "gradient_check",
        "this looks like a backward one-sided difference (J(theta) - J(theta - eps)) / eps; use the "
        "centred difference (J(theta + eps) - J(theta - eps)) / (2 eps).",
        """
        def gradient_check(x, theta, epsilon=1e-7):
            gradapprox = (forward_propagation(x, theta) - forward_propagation(x, theta - epsilon)) / epsilon
            grad = backward_propagation(x, theta)
            denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
            return float(np.linalg.norm(grad - gradapprox) / denominator) if denominator else 0.0
        """,
        ("check_centred_difference",),
    ),
    Mistake(
        "gc_missing_two",
        "gradient_check",
        "this looks like the centred difference divided by eps instead of 2 eps: gradapprox comes out twice too large.",
        """
        def gradient_check(x, theta, epsilon=1e-7):
            gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / epsilon
            grad = backward_propagation(x, theta)
            denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
            return float(np.linalg.norm(grad - gradapprox) / denominator) if denominator else 0.0
        """,
        ("check_correct_gradient_passes", "check_wrong_derivative"),
    ),
    Mistake(
        "gc_no_denominator",
        "gradient_check",
        "this looks like the absolute difference ||grad - gradapprox|| without dividing by ||grad|| + ||gradapprox||.",
        """
        def gradient_check(x, theta, epsilon=1e-7):
            gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
            grad = backward_propagation(x, theta)
            return float(np.linalg.norm(grad - gradapprox))
        """,
        ("check_wrong_derivative",),
    ),
    Mistake(
        "gc_norm_of_sum",
        "gradient_check",
        "this looks like a denominator of ||grad + gradapprox||; it is ||grad|| + ||gradapprox||, two norms added.",
        """
        def gradient_check(x, theta, epsilon=1e-7):
            gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
            grad = backward_propagation(x, theta)
            denominator = np.linalg.norm(grad + gradapprox)
            return float(np.linalg.norm(grad - gradapprox) / denominator) if denominator else 0.0
        """,
        ("check_wrong_derivative",),
    ),
    Mistake(
        "gc_divides_by_grad_only",
        "gradient_check",
        "this looks like a difference divided by ||grad|| alone; the denominator is ||grad|| + ||gradapprox||.",
        """
        def gradient_check(x, theta, epsilon=1e-7):
            gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
            grad = backward_propagation(x, theta)
            denominator = np.linalg.norm(grad)
            return float(np.linalg.norm(grad - gradapprox) / denominator) if denominator else 0.0
        """,
        ("check_wrong_derivative",),
    ),
    Mistake(
        "gc_squared_norms",
        "gradient_check",
        "this looks like squared norms: the relative difference uses ||.||_2 itself, not its square.",
        """
        def gradient_check(x, theta, epsilon=1e-7):
            gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
            grad = backward_propagation(x, theta)
            denominator = grad ** 2 + gradapprox ** 2
            return float((grad - gradapprox) ** 2 / denominator) if denominator else 0.0
        """,
        ("check_wrong_derivative",),
    ),
    Mistake(
        "gc_nan_at_zero",
        "gradient_check",
        "this looks like the course's difference = numerator / denominator as it is: when both gradients "
        "are 0 that is 0 / 0 = nan, and the difference is defined as 0 then.",
        _course(),
        ("check_zero_gradients",),
    ),
    Mistake(
        "gc_course_swapped_plus_minus",
        "gradient_check",
        "this looks like J_plus and J_minus swapped: gradapprox = (J_plus - J_minus) / (2 epsilon), with "
        "J_plus = J(theta + epsilon).",
        _course(gradapprox="(J_minus - J_plus) / (2 * epsilon)"),
        ("check_correct_gradient_passes", "check_wrong_derivative", "check_course_example"),
    ),
    Mistake(
        "gc_course_minus_from_theta_plus",
        "gradient_check",
        "this looks like J_minus computed at theta_plus (a copy of the line above): J_minus = "
        "J(theta - epsilon), so that gradapprox is not 0.",
        _course(J_minus="forward_propagation(x, theta_plus)"),
        ("check_correct_gradient_passes", "check_course_example"),
    ),
    Mistake(
        "gc_course_difference_of_norms",
        "gradient_check",
        "this looks like a numerator ||grad|| - ||gradapprox||, a difference of norms; it is the norm of "
        "the difference, ||grad - gradapprox||.",
        _course(numerator="np.linalg.norm(grad) - np.linalg.norm(gradapprox)"),
        ("check_wrong_derivative",),
    ),
    Mistake(
        "gc_rederives_theta_x",
        "gradient_check",
        "this looks like a gradient check that computes theta * x and x itself instead of calling "
        "forward_propagation and backward_propagation.",
        """
        def gradient_check(x, theta, epsilon=1e-7):
            gradapprox = ((theta + epsilon) * x - (theta - epsilon) * x) / (2 * epsilon)
            grad = x
            denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
            return float(np.linalg.norm(grad - gradapprox) / denominator) if denominator else 0.0
        """,
        ("check_centred_difference", "check_wrong_derivative"),
    ),
    Mistake(
        "gc_ignores_epsilon",
        "gradient_check",
        "this looks like a fixed step of 1e-7 whatever epsilon is passed: use the epsilon argument.",
        """
        def gradient_check(x, theta, epsilon=1e-7):
            gradapprox = (forward_propagation(x, theta + 1e-7) - forward_propagation(x, theta - 1e-7)) / (2 * 1e-7)
            grad = backward_propagation(x, theta)
            denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
            return float(np.linalg.norm(grad - gradapprox) / denominator) if denominator else 0.0
        """,
        ("check_centred_difference",),
    ),
    Mistake(
        "gc_returns_verdict",
        "gradient_check",
        "this looks like a yes/no verdict (difference < threshold); return the difference itself.",
        """
        def gradient_check(x, theta, epsilon=1e-7):
            gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
            grad = backward_propagation(x, theta)
            denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
            difference = np.linalg.norm(grad - gradapprox) / denominator if denominator else 0.0
            return bool(difference < 1e-7)
        """,
        ("check_correct_gradient_passes", "check_wrong_derivative", "check_zero_gradients"),
    ),
    Variant(
        "forward_np_multiply",
        "forward_propagation",
        """
        def forward_propagation(x, theta):
            return float(np.multiply(x, theta))
        """,
    ),
    Variant(
        "backward_times_one",
        "backward_propagation",
        """
        def backward_propagation(x, theta):
            return 1.0 * x
        """,
    ),
    Variant(
        "gc_absolute_values",
        "gradient_check",
        """
        def gradient_check(x, theta, epsilon=1e-7):
            J_plus, J_minus = forward_propagation(x, theta + epsilon), forward_propagation(x, theta - epsilon)
            gradapprox = (J_plus - J_minus) / 2 / epsilon
            grad = backward_propagation(x, theta)
            if grad == 0 and gradapprox == 0:
                return 0.0
            return abs(grad - gradapprox) / (abs(grad) + abs(gradapprox))
        """,
    ),
    Variant(
        "gc_arrays_and_np_divide",
        "gradient_check",
        """
        def gradient_check(x, theta, epsilon=1e-7):
            thetas = np.array([theta + epsilon, theta - epsilon])
            J = np.array([forward_propagation(x, t) for t in thetas])
            gradapprox = np.array([(J[0] - J[1]) / (2 * epsilon)])
            grad = np.array([backward_propagation(x, theta)])
            numerator = np.linalg.norm(grad - gradapprox)
            denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
            return np.divide(numerator, denominator, out=np.zeros(()), where=denominator > 0)[()]
        """,
    ),
]
