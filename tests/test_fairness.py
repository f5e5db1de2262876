"""Fair to the code real students write (issue 16): each case is code written the way the
course's template writes it, graded as a student's file (the reference file with that code
swapped in, or with functions taken out).

- a check charges only the function it grades (uses=, grader/pipeline/blame.py);
- one requirement costs the points of one check;
- a crash shows the input it crashed on;
- a hint names a mistake only when exactly one catalogued mistake fits.
"""

import ast

import pytest

from grader.mistakes import applied_to
from tests.helpers import grade_source, reference_source

COURSE_ADAM = """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                beta1=0.9, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2                 # number of layers in the neural networks
    v_corrected = {}                         # Initializing first moment estimate, python dictionary
    s_corrected = {}                         # Initializing second moment estimate, python dictionary
    for l in range(L):
        v["dW" + str(l + 1)] = beta1 * v["dW" + str(l + 1)] + (1 - beta1) * grads["dW" + str(l + 1)]
        v["db" + str(l + 1)] = beta1 * v["db" + str(l + 1)] + (1 - beta1) * grads["db" + str(l + 1)]
        v_corrected["dW" + str(l + 1)] = v["dW" + str(l + 1)] / (1 - np.power(beta1, t))
        v_corrected["db" + str(l + 1)] = v["db" + str(l + 1)] / (1 - np.power(beta1, t))
        s["dW" + str(l + 1)] = beta2 * s["dW" + str(l + 1)] + (1 - beta2) * np.power(grads["dW" + str(l + 1)], 2)
        s["db" + str(l + 1)] = beta2 * s["db" + str(l + 1)] + (1 - beta2) * np.power(grads["db" + str(l + 1)], 2)
        s_corrected["dW" + str(l + 1)] = s["dW" + str(l + 1)] / (1 - np.power(beta2, t))
        s_corrected["db" + str(l + 1)] = s["db" + str(l + 1)] / (1 - np.power(beta2, t))
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * \
            v_corrected["dW" + str(l + 1)] / (np.sqrt(s_corrected["dW" + str(l + 1)]) + epsilon)
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * \
            v_corrected["db" + str(l + 1)] / (np.sqrt(s_corrected["db" + str(l + 1)]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected
"""


def course_mini_batches(
    shuffled_Y="Y[:, permutation].reshape((1, m))", last_start="num_complete_minibatches * mini_batch_size"
):
    return f"""
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]                  # number of training examples
    mini_batches = []

    # Step 1: Shuffle (X, Y)
    permutation = list(np.random.default_rng(seed).permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = {shuffled_Y}

    # Step 2: Partition (shuffled_X, shuffled_Y). Minus the end case.
    num_complete_minibatches = math.floor(m / mini_batch_size)
    for k in range(0, num_complete_minibatches):
        mini_batch_X = shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size]
        mini_batch_Y = shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]
        mini_batch = (mini_batch_X, mini_batch_Y)
        mini_batches.append(mini_batch)

    # Handling the end case (last mini-batch < mini_batch_size)
    if m % mini_batch_size != 0:
        mini_batch_X = shuffled_X[:, {last_start}:]
        mini_batch_Y = shuffled_Y[:, {last_start}:]
        mini_batch = (mini_batch_X, mini_batch_Y)
        mini_batches.append(mini_batch)

    return mini_batches
"""


def course_gradient_check(gradapprox="(J_plus - J_minus) / (2 * epsilon)"):
    return f"""
def gradient_check(x, theta, epsilon=1e-7):
    theta_plus = theta + epsilon                               # Step 1
    theta_minus = theta - epsilon                              # Step 2
    J_plus = forward_propagation(x, theta_plus)                # Step 3
    J_minus = forward_propagation(x, theta_minus)              # Step 4
    gradapprox = {gradapprox}                                  # Step 5
    grad = backward_propagation(x, theta)
    numerator = np.linalg.norm(grad - gradapprox)              # Step 1'
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)  # Step 2'
    difference = numerator / denominator                       # Step 3'
    return difference
"""


def without(source, *names):
    """``source`` with the top-level functions ``names`` taken out (an older course's file)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    for node in sorted(
        (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in names), key=lambda n: -n.lineno
    ):
        del lines[node.lineno - 1 - len(node.decorator_list) : node.end_lineno]
    return "\n".join(lines) + "\n"


def outcomes(result, function):
    """``{check id: outcome}`` of the checks of ``function``."""
    return {o.check_id: o for o in result.outcomes if o.function == function}


# -- a check charges only the function it grades ---------------------------------------------------


@pytest.mark.slow
def test_a_correct_adam_keeps_its_points_in_a_file_without_rmsprop():
    source = without(
        applied_to(reference_source("optimization"), COURSE_ADAM),
        "update_parameters_with_rmsprop",
        "initialize_rmsprop",
    )
    result = grade_source("optimization", source)
    adam = outcomes(result, "update_parameters_with_adam")
    assert adam and all(o.passed for o in adam.values()), {n: o.message for n, o in adam.items() if not o.passed}
    rmsprop = outcomes(result, "update_parameters_with_rmsprop")
    assert rmsprop and not any(o.passed for o in rmsprop.values())  # the missing function, and only it, loses


@pytest.mark.slow
def test_a_correct_dropout_backward_pass_keeps_its_points_when_the_forward_pass_crashes():
    crashing_forward = """
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=None):
    rng = np.random.default_rng(seed)
    W1 = parameters["W1"]
    D1 = rng.random((W1.shape[0], W1.shape[1]))   # the shape of W1, not of A1
    D1 = (D1 < keep_prob).astype(int)
    A1 = relu(np.dot(W1, X) + parameters["b1"]) * D1 / keep_prob
    raise ValueError("unreachable unless m == n_x")
"""
    result = grade_source("regularization", applied_to(reference_source("regularization"), crashing_forward))
    backward = outcomes(result, "backward_propagation_with_dropout")
    assert "regularization.check_model_trains" in backward
    assert all(o.passed for o in backward.values()), {n: o.message for n, o in backward.items() if not o.passed}
    assert not any(o.passed for o in outcomes(result, "forward_propagation_with_dropout").values())


# -- one requirement, one check ---------------------------------------------------------------------


@pytest.mark.slow
def test_the_course_one_row_reshape_costs_only_the_several_rows_check():
    reference = reference_source("optimization")
    result = grade_source("optimization", applied_to(reference, course_mini_batches()))
    batches = outcomes(result, "random_mini_batches")
    failed = sorted(name for name, o in batches.items() if not o.passed)
    assert failed == ["optimization.check_label_rows"]
    assert batches[failed[0]].points <= 3  # a convention, modestly weighted
    assert "Called as random_mini_batches(X=array of shape" in batches[failed[0]].message  # the input it crashed on
    fixed = grade_source("optimization", applied_to(reference, course_mini_batches(shuffled_Y="Y[:, permutation]")))
    assert fixed.score == 100


@pytest.mark.slow
def test_the_older_course_adam_returning_three_values_loses_only_that_check():
    older = COURSE_ADAM.replace("return parameters, v, s, v_corrected, s_corrected", "return parameters, v, s")
    result = grade_source("optimization", applied_to(reference_source("optimization"), older))
    failed = {o.check_id: o for o in result.outcomes if not o.passed}
    assert list(failed) == ["optimization.check_adam_returns_corrected"]
    assert result.score == 100 - failed["optimization.check_adam_returns_corrected"].points >= 98


@pytest.mark.slow
def test_the_course_gradient_check_loses_only_the_zero_convention():
    course = applied_to(reference_source("gradient_checking"), course_gradient_check())
    result = grade_source("gradient_checking", course)
    failed = {o.check_id: o for o in result.outcomes if not o.passed}
    assert list(failed) == ["gradient_checking.check_zero_gradients"]
    assert failed["gradient_checking.check_zero_gradients"].points <= 5
    assert result.score == 100 - failed["gradient_checking.check_zero_gradients"].points


# -- a crash shows its input ------------------------------------------------------------------------


@pytest.mark.slow
def test_a_crash_on_fewer_examples_than_a_batch_shows_the_drawn_input():
    loop_variable = course_mini_batches(shuffled_Y="Y[:, permutation]", last_start="(k + 1) * mini_batch_size")
    result = grade_source("optimization", applied_to(reference_source("optimization"), loop_variable))
    failed = {o.check_id: o.message for o in result.outcomes if not o.passed}
    assert list(failed) == ["optimization.check_fewer_than_a_batch"]
    message = failed["optimization.check_fewer_than_a_batch"]
    assert "UnboundLocalError" in message
    assert "Called as random_mini_batches(X=array of shape (2, " in message
    assert "Y=array of shape (1, " in message and "mini_batch_size=" in message and "seed=" in message


# -- hints only when sure ---------------------------------------------------------------------------


@pytest.mark.slow
def test_swapped_j_plus_j_minus_is_never_told_it_forgot_the_denominator():
    swapped = course_gradient_check(gradapprox="(J_minus - J_plus) / (2 * epsilon)")
    result = grade_source("gradient_checking", applied_to(reference_source("gradient_checking"), swapped))
    named = {o.check_id: o.mistake for o in result.outcomes if o.mistake}
    assert "gc_no_denominator" not in named.values()
    assert named.get("gradient_checking.check_wrong_derivative") == "gc_course_swapped_plus_minus"
    assert set(named.values()) <= {"gc_course_swapped_plus_minus"}


@pytest.mark.slow
def test_both_planted_bugs_are_named_together():
    from grader.mistakes import definitions
    from tests.helpers import stub_source

    stub_backward = definitions(stub_source("gradient_checking_nd"))["backward_propagation_n"]
    result = grade_source("gradient_checking_nd", applied_to(reference_source("gradient_checking_nd"), stub_backward))
    fraud = outcomes(result, "backward_propagation_n")["gradient_checking_nd.check_backward_fraud"]
    assert not fraud.passed and fraud.mistake == "bp_planted_both"
    assert "dW3" in fraud.message and "db1" in fraud.message  # both wrong blocks, in one message
    assert "both planted bugs" in fraud.hint and "both planted bugs" not in fraud.message


def test_no_hint_when_two_mistakes_fit_every_call():
    from grader.pipeline.hints import CallLog, find_mistake

    log = CallLog()
    # gradient_check(1.0, 0.0) with J = theta * x is 1 for swapped J_plus/J_minus and for J_minus taken at
    # theta_plus alike: the grader cannot tell which, and says nothing
    patch = {
        "forward_propagation": "def forward_propagation(x, theta):\n    return theta * x\n",
        "backward_propagation": "def backward_propagation(x, theta):\n    return x\n",
    }
    for x in (1.0, 2.5, -3.0):
        log.record("gradient_check", (x, 0.0), {"patch": patch}, 1.0)
    assert find_mistake(log, "gradient_checking", "gradient_check") is None


@pytest.mark.slow
def test_a_crash_in_a_public_check_shows_its_input_too():
    crashing = """
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    shuffled_Y = Y.reshape((1, X.shape[1] + 1))
"""
    result = grade_source("optimization", applied_to(reference_source("optimization"), crashing), public=True)
    messages = [o.message for o in result.outcomes if o.function == "random_mini_batches" and not o.passed]
    assert messages and all("Called as random_mini_batches(X=array of shape (" in m for m in messages), messages
