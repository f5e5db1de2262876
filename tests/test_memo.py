"""The memo of the reference's side (grader/checkapi/memo.py): a value is reused only for
exactly the same inputs, always as a fresh copy, never for a call that draws, mutates its
arguments, or runs with a function swapped in; and the disk store gives back the same values."""

import numpy as np
import pytest

from grader.checkapi import memo
from grader.checkapi.support import patched
from grader.checks import models, nd_cases
from grader.pipeline.reference import load_reference


@pytest.fixture(autouse=True)
def fresh_memo():
    memo.clear()
    memo.configure(None)
    memo.stats.update(hits=0, misses=0, uncached=0)
    yield
    memo.clear()
    memo.configure(None)


def _bump(values):
    """Changes its argument: a memo must run it every time."""
    values[0] += 1
    return values[0]


def _global_draw(n):
    """Draws from np.random's global state: a memo must run it every time."""
    return np.random.random(n)


def test_equal_inputs_reuse_a_copy_of_the_result():
    def scaled(a, factor=2.0):
        return {"x": a * factor, "n": np.float64(a.sum()), "t": (1, "s", None, [True])}

    a = np.arange(6.0).reshape(2, 3)
    first = memo.call(models.relative_difference, a, a + 1)  # a module-level function: cacheable
    again = memo.call(models.relative_difference, a, a + 1)
    assert first == again == models.relative_difference(a, a + 1)
    assert memo.stats["hits"] >= 1
    # a function defined in a function is never reused (its name does not say what it computes)
    assert memo.call(scaled, a)["x"][0, 1] == 2.0
    before = dict(memo.stats)
    memo.call(scaled, a)
    assert memo.stats["uncached"] == before["uncached"] + 1


def test_a_hit_is_a_fresh_copy_of_the_same_types():
    X, Y, parameters = nd_cases._draw([3, 2, 1], np.random.default_rng(0), 1.0, 4)
    first = nd_cases.numeric_gradient(X, Y, parameters)
    second = nd_cases.numeric_gradient(X, Y, parameters)
    assert memo.stats["hits"] == 1
    assert list(first) == list(second)
    for key in first:
        assert second[key].dtype == first[key].dtype and np.array_equal(second[key], first[key])
    second["dW1"][0, 0] = 1e9  # the caller's copy: the next one is untouched
    assert np.array_equal(nd_cases.numeric_gradient(X, Y, parameters)["dW1"], first["dW1"])


def test_results_equal_the_uncached_ones_exactly():
    X, Y, parameters = nd_cases._draw([4, 3, 1], np.random.default_rng(5), 1.0, 6)
    starts = [parameters, {k: v * 0.5 for k, v in parameters.items()}]
    expected = models.train_many.uncached(X, Y, starts, 0.1, 30, record_every=5)
    for _ in range(2):  # a miss, then a hit
        got = models.train_many(X, Y, starts, 0.1, 30, record_every=5)
        assert np.array_equal(got[1], expected[1]) and np.array_equal(got[2], expected[2])
        for a, b in zip(got[0], expected[0]):
            assert list(a) == list(b) and all(np.array_equal(a[k], b[k]) for k in a)
    assert memo.stats["hits"] == 1


def test_a_function_swapped_into_the_reference_is_never_confused_with_the_original():
    reference = memo.Memoized(load_reference("gradient_checking"))
    correct = reference.gradient_check(2.0, 4.0)
    assert reference.gradient_check(2.0, 4.0) == correct
    wrong = "def backward_propagation(x, theta):\n    return x + 1\n"
    with patched(reference, {"backward_propagation": wrong}):
        patched_value = reference.gradient_check(2.0, 4.0)
    assert patched_value > 0.1 > correct
    assert reference.gradient_check(2.0, 4.0) == correct
    # patched() restored the module's own function, not the memo's wrapper of it
    raw = load_reference("gradient_checking")
    assert type(raw.backward_propagation).__name__ == "function"


def test_fresh_draws_mutations_and_global_random_state_are_never_reused():
    reference = memo.Memoized(load_reference("regularization"))
    X, Y, parameters = nd_cases._draw([3, 4, 1], np.random.default_rng(1), 1.0, 50)
    a = reference.forward_propagation_with_dropout(X, parameters, 0.5)  # seed=None: fresh masks each time
    b = reference.forward_propagation_with_dropout(X, parameters, 0.5)
    assert not np.array_equal(a[1]["D1"], b[1]["D1"])
    seeded = [reference.forward_propagation_with_dropout(X, parameters, 0.5, seed=3) for _ in range(2)]
    assert np.array_equal(seeded[0][1]["D1"], seeded[1][1]["D1"])

    values = [0]
    assert [memo.call(_bump, values) for _ in range(3)] == [1, 2, 3]
    np.random.seed(0)
    draws = [memo.call(_global_draw, 3) for _ in range(2)]
    assert not np.array_equal(draws[0], draws[1])


def test_the_disk_store_gives_back_what_was_computed(tmp_path):
    X, Y, parameters = nd_cases._draw([3, 2, 1], np.random.default_rng(2), 1.0, 4)
    memo.configure(tmp_path)
    first = nd_cases.numeric_gradient(X, Y, parameters)
    assert len(list(tmp_path.iterdir())) == 1
    memo.clear()  # a new process: only the disk is left
    second = nd_cases.numeric_gradient(X, Y, parameters)
    assert memo.stats["hits"] >= 1
    assert all(np.array_equal(first[k], second[k]) for k in first)
    for file in tmp_path.iterdir():  # a torn file is recomputed, not trusted
        file.write_bytes(file.read_bytes()[:20])
    memo.clear()
    third = nd_cases.numeric_gradient(X, Y, parameters)
    assert all(np.array_equal(first[k], third[k]) for k in first)


def test_only_the_last_used_folders_are_kept(tmp_path):
    import os

    for age, name in enumerate(["memo-a", "memo-b", "memo-c", "memo-d", "memo-e"]):
        (tmp_path / name).mkdir()
        os.utime(tmp_path / name, (1_000_000 + age, 1_000_000 + age))
    (tmp_path / "templates").mkdir()  # not a memo folder: left alone
    memo.configure(tmp_path / "memo-new")
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["memo-c", "memo-d", "memo-e", "memo-new", "templates"]
