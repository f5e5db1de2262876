"""The reference reproduces the course's qualitative results (short runs), and its gradients
agree with a centred numeric gradient that knows nothing of either."""

import ast
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "assignments"))

import data_utils  # noqa: E402
import init_utils  # noqa: E402
import nn_utils  # noqa: E402
import reg_utils  # noqa: E402


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


INIT = _load(ROOT / "solutions" / "initialization.py", "ref_initialization")
REG = _load(ROOT / "solutions" / "regularization.py", "ref_regularization")


def numeric_grad(cost_of, parameters, eps=1e-6):
    """Centred differences of ``cost_of(parameters)`` for every entry of every block."""
    grads = {}
    for key, value in parameters.items():
        g = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            plus = {**parameters, key: value.copy()}
            minus = {**parameters, key: value.copy()}
            plus[key][idx] += eps
            minus[key][idx] -= eps
            g[idx] = (cost_of(plus) - cost_of(minus)) / (2 * eps)
        grads["d" + key] = g
    return grads


def small_problem(dims=(3, 5, 4, 1), m=7, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    params = nn_utils.initialize_parameters(list(dims), seed=seed)
    params = {k: v + 0.1 * rng.standard_normal(v.shape) for k, v in params.items()}  # non-zero biases
    return X, Y, params


def assert_grads_close(analytic, numeric, tol=1e-6):
    for key, expected in numeric.items():
        got = analytic[key]
        assert got.shape == expected.shape, key
        np.testing.assert_allclose(got, expected, rtol=tol, atol=tol, err_msg=key)


def test_compute_cost_is_inf_on_saturated_wrong_label_and_finite_otherwise():
    with np.errstate(all="raise"):
        assert nn_utils.compute_cost(np.array([[0.0, 1.0]]), np.array([[1.0, 1.0]])) == np.inf
        assert nn_utils.compute_cost(np.array([[0.0, 1.0]]), np.array([[0.0, 1.0]])) == 0.0
    assert nn_utils.compute_cost(np.full((1, 4), 0.5), np.array([[0, 1, 0, 1.0]])) == pytest.approx(np.log(2))


def test_nn_utils_backward_matches_numeric_gradient():
    X, Y, params = small_problem()
    analytic = nn_utils.backward_propagation(X, Y, nn_utils.forward_propagation(X, params)[1])
    numeric = numeric_grad(lambda p: nn_utils.compute_cost(nn_utils.forward_propagation(X, p)[0], Y), params)
    assert_grads_close(analytic, numeric)


def test_zeros_stay_at_ln2_with_identical_hidden_units():
    X, Y, _, _ = data_utils.load_circles()
    params, costs = init_utils.train(X, Y, INIT.initialize_parameters_zeros([2, 10, 5, 1]), 0.01, 2000)
    assert costs == pytest.approx([np.log(2)] * 2)
    for l in (1, 2):
        W = params[f"W{l}"]
        assert np.all(W[0] == W), f"rows of W{l} differ"
    assert nn_utils.accuracy(X, Y, params) == pytest.approx(0.5)


def test_he_reaches_high_accuracy_on_circles():
    X, Y, test_X, test_Y = data_utils.load_circles()
    # a larger step than the course's 0.01 keeps the run short
    params, costs = init_utils.model(
        X, Y, learning_rate=0.1, num_iterations=1000, print_cost=False, initialization="he", impl=INIT
    )
    final = nn_utils.compute_cost(nn_utils.forward_propagation(X, params)[0], Y)
    assert final < 0.5 * costs[0]
    assert nn_utils.accuracy(X, Y, params) > 0.9
    assert nn_utils.accuracy(test_X, test_Y, params) > 0.85


def test_random_init_starts_at_inf():
    X, Y, _, _ = data_utils.load_circles()
    _, costs = init_utils.model(X, Y, num_iterations=1, print_cost=False, initialization="random", impl=INIT)
    assert costs[0] == np.inf


def test_regularized_backward_matches_numeric_gradient_of_regularized_cost():
    X, Y, params = small_problem()
    lambd = 0.7
    _, cache = nn_utils.forward_propagation(X, params)
    analytic = REG.backward_propagation_with_regularization(X, Y, cache, lambd)

    def cost(p):
        return REG.compute_cost_with_regularization(nn_utils.forward_propagation(X, p)[0], Y, p, lambd)

    assert_grads_close(analytic, numeric_grad(cost, params))


def test_dropout_backward_matches_numeric_gradient_with_masks_held_fixed():
    X, Y, params = small_problem()
    keep_prob, lambd = 0.7, 0.3
    _, cache = REG.forward_propagation_with_dropout(X, params, keep_prob, seed=5)
    masks = {k: v for k, v in cache.items() if k.startswith("D")}
    analytic = REG.backward_propagation_with_dropout(X, Y, cache, keep_prob, lambd)

    def cost(p):
        # forward with the same masks, written independently of the solution
        L = nn_utils.num_layers(p)
        A = X
        for l in range(1, L + 1):
            Z = p[f"W{l}"] @ A + p[f"b{l}"]
            A = nn_utils.sigmoid(Z) if l == L else nn_utils.relu(Z) * masks[f"D{l}"] / keep_prob
        return REG.compute_cost_with_regularization(A, Y, p, lambd)

    assert_grads_close(analytic, numeric_grad(cost, params))


def test_dropout_masks_reproducible_with_seed_and_fresh_without():
    X, _, params = small_problem(dims=(3, 50, 40, 1), m=30)
    _, c1 = REG.forward_propagation_with_dropout(X, params, 0.8, seed=11)
    _, c2 = REG.forward_propagation_with_dropout(X, params, 0.8, seed=11)
    _, c3 = REG.forward_propagation_with_dropout(X, params, 0.8)
    _, c4 = REG.forward_propagation_with_dropout(X, params, 0.8)
    assert sorted(k for k in c1 if k.startswith("D")) == ["D1", "D2"]
    assert np.array_equal(c1["D1"], c2["D1"]) and np.array_equal(c1["A2"], c2["A2"])
    assert not np.array_equal(c3["D1"], c4["D1"])
    assert abs(np.mean(c1["D1"]) - 0.8) < 0.05


def test_reg_model_accepts_l2_and_dropout_together_reproducibly():
    X, Y, _, _ = data_utils.load_football()
    run = lambda: reg_utils.model(X, Y, num_iterations=1001, print_cost=False, lambd=0.7, keep_prob=0.86, impl=REG)
    (p1, c1), (p2, c2) = run(), run()
    assert c1 == c2 and len(c1) == 2 and c1[1] < c1[0]
    assert all(np.array_equal(p1[k], p2[k]) for k in p1)


def _signatures_and_docstrings(path):
    tree = ast.parse(Path(path).read_text())
    return {
        node.name: (ast.unparse(node.args), ast.get_docstring(node))
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
    }


@pytest.mark.parametrize("name", ["initialization", "regularization"])
def test_stub_and_solution_share_signatures_and_docstrings(name):
    stub = _signatures_and_docstrings(ROOT / "assignments" / f"{name}.py")
    ref = _signatures_and_docstrings(ROOT / "solutions" / f"{name}.py")
    assert stub and stub == ref
