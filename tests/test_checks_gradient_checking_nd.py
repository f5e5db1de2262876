"""The gradient_checking_nd checks: the reference scores 100, the stub 0, and each known wrong
implementation (the catalogue ``grader/mistakes/gradient_checking_nd.py``; graded in ``tests/test_validate.py``) loses the checks meant for it, with its message."""

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


def test_public_checks_reference_full_marks_stub_zero():
    assert grade_source(A, reference_source(A), public=True).score == 100
    assert grade_source(A, stub_source(A), public=True).score == 0


def test_every_issue_bullet_has_a_wrong_implementation():
    names = {wrong.name for wrong in wrong_implementations(A)}
    for bullet in (
        "vector_b_before_w",
        "vector_column_major",
        "inverse_column_major",
        "gradients_with_extra_keys",
        "planted_bugs_left_in",
        "one_sided_difference",
        "max_abs_error",
        "global_difference_per_block",
        "global_difference_only",
    ):
        assert bullet in names, bullet


def test_grader_cases_leave_a_wide_margin_below_the_threshold():
    from grader.checks import nd_cases

    for layers_dims in ([4, 5, 3, 1], [1, 1, 1], [5, 2, 4, 1], [3, 5, 5, 5, 1]):
        for seed in range(3):
            X, Y, parameters, grads = nd_cases.safe_case(layers_dims, seed, x_scale=3.0)
            noise = nd_cases.block_differences(grads, nd_cases.numeric_gradient(X, Y, parameters), layers_dims)
            assert max(noise.values()) < 2e-7 / 20
            assert min(abs(g).max() for g in grads.values()) > 0


def _same(a, b):
    """Equal as data, bit for bit: types, dict key orders, array dtypes, shapes and bytes."""
    import numpy as np

    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray):
        return (a.dtype, a.shape, a.tobytes()) == (b.dtype, b.shape, b.tobytes())
    return a == b


def test_safe_cases_made_together_are_the_safe_cases_one_by_one():
    from grader.checks import nd_cases

    for layers_dims, x_scale, seeds in (([4, 5, 3, 1], 5.0, range(200, 240)), ([3, 4, 2, 1], 1.0, range(7))):
        together = nd_cases.safe_cases(layers_dims, seeds, x_scale=x_scale)
        one_by_one = [nd_cases.safe_case.uncached(layers_dims, seed, x_scale=x_scale) for seed in seeds]
        assert all(_same(a, b) for a, b in zip(together, one_by_one)) and len(together) == len(seeds)


@pytest.mark.filterwarnings("ignore:invalid value encountered in subtract:RuntimeWarning")  # safe_case's own
def test_the_hidden_small_error_case_is_the_first_seed_that_fits():
    """The search, made with the safe cases of many seeds at once, finds what trying the seeds
    one at a time finds (the statement of the search, written plainly here)."""
    import numpy as np

    from grader.checks import gradient_checking_nd as checks
    from grader.checks import nd_cases

    def plain(start):
        dims = [4, 5, 3, 1]
        for seed in range(start, start + 1000):
            X, Y, parameters, grads = nd_cases.safe_case.uncached(dims, seed, x_scale=5.0)
            norms = {name: np.linalg.norm(grads["d" + name]) for name in nd_cases.block_names(dims)}
            small = min(norms, key=norms.get)
            tiny = np.max(np.abs(grads["d" + small])) * checks.SMALL_ERROR < checks.THRESHOLD / 2
            if tiny and norms[small] / np.linalg.norm(nd_cases.flatten(grads, dims, prefix="d")) < 0.04:
                wrong = dict(grads)
                wrong["d" + small] = grads["d" + small] * (1 + checks.SMALL_ERROR)
                return X, Y, parameters, wrong, small, seed

    offsets = []
    for start in (0, 5_000, 654_321):
        *case, seed = plain(start)
        assert _same(checks._hidden_small_error_case.uncached(start), tuple(case))
        offsets.append(seed - start)
    assert min(offsets) < checks.SEARCH_CHUNK < max(offsets)  # found in the first chunk, and later


VARIANTS = {  # correct, but written differently from the reference: full marks
    "vectors by concatenation and ravel": """
def dictionary_to_vector(parameters):
    L = len(parameters) // 2
    return np.concatenate([np.ravel(parameters[f"{p}{l}"]) for l in range(1, L + 1) for p in "Wb"])[:, None]
""",
    "integer ReLU mask and np.dot": """
def backward_propagation_n(X, Y, cache):
    m, L = X.shape[1], len([k for k in cache if k[0] == "W"])
    grads, dZ = {}, cache[f"A{L}"] - Y
    for l in reversed(range(1, L + 1)):
        A_prev = cache[f"A{l - 1}"] if l > 1 else X
        grads[f"dW{l}"] = np.dot(dZ, A_prev.T) / m
        grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
        if l > 1:
            dZ = np.dot(cache[f"W{l}"].T, dZ) * (cache[f"Z{l - 1}"] > 0).astype(int)
    return grads
""",
    "blocks checked through the student's own gradient_check_n arithmetic": """
def find_wrong_gradients(parameters, gradients, X, Y, epsilon=1e-7, threshold=2e-7):
    theta = dictionary_to_vector(parameters)
    dims = [parameters["W1"].shape[1]] + [parameters[f"W{l}"].shape[0] for l in range(1, len(parameters) // 2 + 1)]
    names, out, start = [], [], 0
    for l in range(1, len(dims)):
        names += [f"W{l}", f"b{l}"]
    grad = gradients_to_vector(gradients)
    for name in names:
        size = parameters[name].size
        approx = []
        for i in range(start, start + size):
            plus, minus = theta.copy(), theta.copy()
            plus[i] += epsilon
            minus[i] -= epsilon
            approx.append((forward_propagation_n(X, Y, vector_to_dictionary(plus, dims))[0]
                           - forward_propagation_n(X, Y, vector_to_dictionary(minus, dims))[0]) / (2 * epsilon))
        g, a = grad[start:start + size, 0], np.array(approx)
        if np.linalg.norm(g - a) / (np.linalg.norm(g) + np.linalg.norm(a)) > threshold:
            out.append(name)
        start += size
    return out
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
