"""The gradient_checking_nd and optimization references, stubs and provided helpers."""

import ast
import importlib.util
import inspect
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "assignments") not in sys.path:
    sys.path.insert(0, str(ROOT / "assignments"))

import gc_utils  # noqa: E402
import nn_utils  # noqa: E402
import opt_utils  # noqa: E402
from data_utils import load_moons  # noqa: E402


def _load(folder, name):
    spec = importlib.util.spec_from_file_location(f"_{folder}_{name}", ROOT / folder / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REF_GC = _load("solutions", "gradient_checking_nd")
STUB_GC = _load("assignments", "gradient_checking_nd")
REF_OPT = _load("solutions", "optimization")
STUB_OPT = _load("assignments", "optimization")


def _public_functions(module):
    return {
        name: fn
        for name, fn in vars(module).items()
        if inspect.isfunction(fn) and not name.startswith("_") and fn.__module__ == module.__name__
    }


@pytest.mark.parametrize("name", ["gradient_checking_nd", "optimization"])
def test_stub_and_solution_share_signatures_and_docstrings(name):
    ref, stub = _load("solutions", name), _load("assignments", name)
    ref_fns, stub_fns = _public_functions(ref), _public_functions(stub)
    assert sorted(ref_fns) == sorted(stub_fns)
    for fn_name, fn in ref_fns.items():
        assert inspect.signature(fn) == inspect.signature(stub_fns[fn_name]), fn_name
        assert inspect.getdoc(fn) == inspect.getdoc(stub_fns[fn_name]), fn_name
        assert "Notes" in inspect.getdoc(fn) or fn_name.startswith("initialize"), fn_name


@pytest.mark.parametrize("name", ["gradient_checking_nd", "optimization"])
def test_stub_bodies_only_raise_except_the_buggy_backward(name):
    tree = ast.parse((ROOT / "assignments" / f"{name}.py").read_text())
    for fn in (node for node in tree.body if isinstance(node, ast.FunctionDef)):
        body = fn.body[1:]  # after the docstring
        if fn.name == "backward_propagation_n":
            assert len(body) > 3
        else:
            assert len(body) == 1 and isinstance(body[0], ast.Raise), fn.name


def _fraud():
    X, Y, parameters = gc_utils.gradient_check_n_test_case()
    _, cache = gc_utils.forward_propagation_n(X, Y, parameters)
    return X, Y, parameters, cache


def test_fraud_problem_is_the_courses_47_parameter_net():
    X, Y, parameters = gc_utils.gradient_check_n_test_case()
    assert X.shape == (4, 3) and Y.shape == (1, 3)
    assert REF_GC.dictionary_to_vector(parameters).shape == (47, 1)


def test_reference_backward_passes_its_gradient_check():
    X, Y, parameters, cache = _fraud()
    gradients = REF_GC.backward_propagation_n(X, Y, cache)
    expected = nn_utils.backward_propagation(X, Y, cache)
    for key in ("dW1", "db1", "dW2", "db2", "dW3", "db3"):
        np.testing.assert_allclose(gradients[key], expected[key], rtol=1e-12, atol=0)
        assert np.abs(gradients[key]).max() > 1e-2, f"{key} too small for a reliable check"
    assert REF_GC.gradient_check_n(parameters, gradients, X, Y) < 1e-7
    assert REF_GC.find_wrong_gradients(parameters, gradients, X, Y) == []


def test_stub_backward_has_exactly_the_planted_bugs():
    X, Y, parameters, cache = _fraud()
    buggy = STUB_GC.backward_propagation_n(X, Y, cache)
    assert REF_GC.gradient_check_n(parameters, buggy, X, Y) > 0.1
    assert REF_GC.find_wrong_gradients(parameters, buggy, X, Y) == ["b1", "W3"]
    clean = REF_GC.backward_propagation_n(X, Y, cache)
    np.testing.assert_allclose(buggy["dW3"], 2 * clean["dW3"])
    np.testing.assert_allclose(buggy["db1"], 4 * clean["db1"])


def test_find_wrong_gradients_names_a_small_wrong_block_hidden_by_a_large_right_one():
    X, Y, parameters, cache = _fraud()
    gradients = REF_GC.backward_propagation_n(X, Y, cache)
    gradients["db3"] = gradients["db3"] * (1 + 1e-4)
    assert REF_GC.find_wrong_gradients(parameters, gradients, X, Y) == ["b3"]


@pytest.mark.parametrize("layers_dims", [[4, 5, 3, 1], [2, 1], [3, 7, 1], [2, 4, 3, 2, 1]])
def test_vector_round_trip(layers_dims):
    parameters = nn_utils.initialize_parameters(layers_dims, seed=0)
    for l in range(1, len(layers_dims)):
        parameters[f"b{l}"] = np.arange(layers_dims[l], dtype=float)[:, None] + l
    theta = REF_GC.dictionary_to_vector(parameters)
    n = sum(layers_dims[l] * (layers_dims[l - 1] + 1) for l in range(1, len(layers_dims)))
    assert theta.shape == (n, 1)
    back = REF_GC.vector_to_dictionary(theta, layers_dims)
    assert sorted(back) == sorted(parameters)
    for key, value in parameters.items():
        np.testing.assert_array_equal(back[key], value)
    np.testing.assert_array_equal(REF_GC.dictionary_to_vector(back), theta)


def test_vector_layout_is_w_then_b_row_major_and_ignores_extra_gradient_keys():
    parameters = {
        "W1": np.array([[1.0, 2.0], [3.0, 4.0]]),
        "b1": np.array([[5.0], [6.0]]),
        "W2": np.array([[7.0, 8.0]]),
        "b2": np.array([[9.0]]),
    }
    np.testing.assert_array_equal(REF_GC.dictionary_to_vector(parameters).ravel(), np.arange(1.0, 10.0))
    gradients = {"d" + key: value for key, value in parameters.items()}
    gradients.update(dZ2=np.ones((1, 3)), dA1=np.ones((2, 3)), dZ1=np.ones((2, 3)))
    np.testing.assert_array_equal(REF_GC.gradients_to_vector(gradients).ravel(), np.arange(1.0, 10.0))


def test_stubs_raise_not_implemented():
    with pytest.raises(NotImplementedError):
        STUB_GC.dictionary_to_vector({"W1": np.ones((1, 1)), "b1": np.ones((1, 1))})
    with pytest.raises(NotImplementedError):
        STUB_OPT.update_lr(0.1, 1, 1)


@pytest.mark.parametrize("m, size", [(10, 3), (12, 4), (5, 64), (130, 64)])
def test_random_mini_batches_partition_the_shuffled_columns(m, size):
    X = np.arange(3 * m, dtype=float).reshape(3, m)
    Y = np.vstack([X[0] * 10, X[0] * 100])
    batches = REF_OPT.random_mini_batches(X, Y, size, seed=7)
    sizes = [xb.shape[1] for xb, _ in batches]
    assert sizes == [size] * (m // size) + ([m % size] if m % size else [])
    columns = np.concatenate([xb[0] for xb, _ in batches])
    assert sorted(columns) == sorted(X[0])
    for xb, yb in batches:
        np.testing.assert_array_equal(yb, np.vstack([xb[0] * 10, xb[0] * 100]))
    again = REF_OPT.random_mini_batches(X, Y, size, seed=7)
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(batches, again))


def test_adam_first_step_moves_every_coordinate_by_about_the_learning_rate():
    parameters = {"W1": np.zeros((2, 3)), "b1": np.zeros((2, 1))}
    grads = {"dW1": np.full((2, 3), 1e-3), "db1": np.full((2, 1), -5.0)}
    v, s = REF_OPT.initialize_adam(parameters)
    new, v, s, v_c, s_c = REF_OPT.update_parameters_with_adam(parameters, grads, v, s, t=1, learning_rate=0.01)
    np.testing.assert_allclose(new["W1"], -0.01, rtol=1e-4)
    np.testing.assert_allclose(new["b1"], 0.01, rtol=1e-6)
    np.testing.assert_allclose(v_c["db1"], -5.0)
    np.testing.assert_allclose(s_c["db1"], 25.0)


def test_decays():
    assert REF_OPT.update_lr(0.5, 2, 1.5) == pytest.approx(0.5 / 4)
    assert REF_OPT.schedule_lr_decay(0.5, 1999, 1.0) == pytest.approx(0.25)
    assert REF_OPT.schedule_lr_decay(0.5, 2000, 1.0, time_interval=1000) == pytest.approx(0.5 / 3)


def test_reference_optimizers_train_on_moons_and_adam_beats_gd():
    X, Y = load_moons()
    final = {}
    for optimizer in opt_utils.OPTIMIZERS:
        parameters, costs = opt_utils.model(
            X, Y, [2, 5, 2, 1], optimizer=optimizer, num_epochs=300, print_cost=False, impl=REF_OPT, record_every=10
        )
        assert len(costs) == 30 and np.all(np.isfinite(costs))
        final[optimizer] = costs[-1]
    assert final["adam"] < final["gd"] - 0.05
    assert final["rmsprop"] < final["gd"] - 0.05
    assert final["adam"] < np.log(2) - 0.1  # better than a coin flip


def test_model_reports_every_update_and_decays_the_learning_rate():
    X, Y = load_moons()
    seen = []
    opt_utils.model(
        X,
        Y,
        [2, 5, 2, 1],
        optimizer="adam",
        num_epochs=2,
        print_cost=False,
        impl=REF_OPT,
        callback=lambda step, parameters, state: seen.append((step, sorted(state))),
    )
    assert [step for step, _ in seen] == list(range(1, 2 * 5 + 1))  # 300 examples -> 5 batches of 64
    assert seen[0][1] == ["s", "s_corrected", "v", "v_corrected"]


def test_optimizer_paths_on_the_bowl_differ_and_descend():
    paths = {
        name: opt_utils.optimizer_path(name, impl=REF_OPT, num_steps=40, learning_rate=0.05)
        for name in opt_utils.OPTIMIZERS
    }
    for name, path in paths.items():
        assert path.shape == (41, 2)
        assert opt_utils.quadratic_bowl(path[-1])[0] < opt_utils.quadratic_bowl(path[0])[0], name
    assert not np.allclose(paths["gd"], paths["momentum"])
    assert not np.allclose(paths["gd"], paths["adam"])
