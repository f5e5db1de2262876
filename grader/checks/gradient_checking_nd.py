"""Hidden checks of ``gradient_checking_nd`` (SPEC §3): the vector layout and its inverse,
the (fixed) backward pass, the N-D gradient check and ``find_wrong_gradients``.

Parameters are drawn with distinct values, so a layout mistake is reported as "theta[5]
holds b1[0, 0], expected W1[1, 1]". Gradient checks run on ``nd_cases.safe_case``
networks, where a correct implementation has a 20x margin below the 2e-7 threshold;
``find_wrong_gradients`` gets gradients with blocks corrupted here (which, how many, how
much, at several gradient scales) and must name exactly those blocks.
"""

import numpy as np
from hypothesis import example, settings
from hypothesis import strategies as st

from grader.checkapi.memo import memoize
from grader.checkapi.support import (
    CheckFailure,
    assert_close,
    expect_array,
    expect_dict,
    expect_float,
    fail,
    given,
    grading,
    secret_variant,
)
from grader.checks import nd_cases
from grader.checks.nd_cases import THRESHOLD, block_names, flatten, labels, layers_of, relative_difference
from grader.checks.trajectories import provided
from grader.results import Figure

ASSIGNMENT = "gradient_checking_nd"

layers = st.lists(st.integers(1, 5), min_size=3, max_size=5).map(lambda dims: dims[:-1] + [1])
any_layers = st.lists(st.integers(1, 6), min_size=2, max_size=5)
seeds = st.integers(0, 10_000)
# the layout functions a gradient check calls: the reference's stand in for them in those checks
VECTORS = ("dictionary_to_vector", "vector_to_dictionary", "gradients_to_vector")
LAYOUT = "the layout is W1, b1, W2, b2, ..., WL, bL, each block flattened row-major (C order)"


def _distinct_parameters(layers_dims, seed):
    """Parameters with distinct entries, in a dict whose keys are in a drawn order (the
    layout must not depend on the order the dict was built in)."""
    rng = np.random.default_rng(seed)
    values = {name: np.round(rng.uniform(-10, 10, shape), 6) for name, shape in _shapes(layers_dims).items()}
    names = list(values)
    order = rng.permutation(len(names)) if len(names) > 2 else [1, 0]
    return {names[i]: values[names[i]] for i in order}


def _shapes(layers_dims):
    shapes = {}
    for l in range(1, len(layers_dims)):
        shapes[f"W{l}"] = (layers_dims[l], layers_dims[l - 1])
        shapes[f"b{l}"] = (layers_dims[l], 1)
    return shapes


def _layout_mismatch(got, expected, names, call):
    """Fail naming the first entry of ``got`` that is not where the layout puts it."""
    where = {value: name for value, name in zip(expected.tolist(), names)}
    for i, (value, wanted) in enumerate(zip(got.reshape(-1).tolist(), expected.tolist())):
        if value != wanted:
            holds = where.get(value, f"the value {value:.6g}, which is no single entry")
            fail(f"{call}: theta[{i}, 0] holds {holds}, expected {names[i]}; {LAYOUT}.")


# -- the vector layout --------------------------------------------------------------------------


@grading("dictionary_to_vector", "lays out W1, b1, ..., WL, bL row-major on drawn layers_dims", 12)
@settings(max_examples=6)
@example(layers_dims=[3, 2, 1], seed=0)
@given(layers_dims=any_layers, seed=seeds)
def check_dictionary_to_vector(student, reference, layers_dims, seed):
    parameters = _distinct_parameters(layers_dims, seed)
    expected = reference.dictionary_to_vector(parameters)
    call = f"dictionary_to_vector(parameters) for layers_dims={layers_dims}"
    got = expect_array(student.dictionary_to_vector(parameters), call, expected.shape)
    _layout_mismatch(got, expected.reshape(-1), labels(layers_dims), call)


@grading("vector_to_dictionary", "is the exact inverse of the layout on drawn layers_dims", 12)
@settings(max_examples=6)
@example(layers_dims=[3, 2, 1], seed=0)
@given(layers_dims=any_layers, seed=seeds)
def check_vector_to_dictionary(student, reference, layers_dims, seed):
    parameters = _distinct_parameters(layers_dims, seed)
    theta = reference.dictionary_to_vector(parameters)
    call = f"vector_to_dictionary(theta, {layers_dims})"
    got = expect_dict(student.vector_to_dictionary(theta, list(layers_dims)), f"the result of {call}", list(parameters))
    position = {value: i for i, value in enumerate(theta.reshape(-1).tolist())}
    for name, value in parameters.items():
        array = expect_array(got[name], f"{call}['{name}']", value.shape)
        for index in np.ndindex(value.shape):
            if array[index] != value[index]:
                source = position.get(float(array[index]))
                holds = f"theta[{source}, 0]" if source is not None else f"{array[index]:.6g}, no entry of theta"
                fail(
                    f"{call}['{name}'][{', '.join(map(str, index))}] is {holds}, expected "
                    f"theta[{position[float(value[index])]}, 0]; reading theta back must undo the layout "
                    f"exactly ({LAYOUT})."
                )


@grading("gradients_to_vector", "lays out dW1, db1, ... and ignores other keys (dZ, dA)", 10)
@settings(max_examples=6)
@example(layers_dims=[3, 2, 1], seed=0)
@given(layers_dims=any_layers, seed=seeds)
def check_gradients_to_vector(student, reference, layers_dims, seed):
    parameters = _distinct_parameters(layers_dims, seed)
    rng = np.random.default_rng(seed + 1)
    gradients = {}  # in the order a backward pass produces them, extras included
    for l in range(len(layers_dims) - 1, 0, -1):
        gradients[f"dZ{l}"] = rng.uniform(20, 30, (layers_dims[l], 3))
        gradients[f"dW{l}"], gradients[f"db{l}"] = parameters[f"W{l}"], parameters[f"b{l}"]
        if l > 1:
            gradients[f"dA{l - 1}"] = rng.uniform(20, 30, (layers_dims[l - 1], 3))
    expected = reference.gradients_to_vector(gradients)
    call = f"gradients_to_vector(gradients) for layers_dims={layers_dims}"
    got = student.gradients_to_vector(gradients)
    extras = sorted(key for key in gradients if key[:2] not in ("dW", "db"))
    if isinstance(got, np.ndarray) and got.size > expected.size and extras:
        fail(
            f"{call} has shape {got.shape}, expected {expected.shape}: only dW1, db1, ..., dWL, dbL belong in "
            f"the vector; the other keys of gradients ({', '.join(extras)}) must be ignored."
        )
    got = expect_array(got, call, expected.shape)
    _layout_mismatch(got, expected.reshape(-1), labels(layers_dims, prefix="d"), call)


# -- the backward pass ---------------------------------------------------------------------------


def _exponent(value):
    return float(np.clip(np.log10(max(value, 1e-16)), -16, 0)) if np.isfinite(value) else 0.0


def _compare_block(got, expected, key, call):
    name = f"gradients['{key}']"
    array = expect_array(got[key], f"{call}: {name}", expected.shape)
    nonzero = expected != 0
    ratio = array[nonzero] / expected[nonzero]
    if (
        ratio.size
        and np.all(array[~nonzero] == 0)
        and np.all(np.isfinite(ratio))
        and np.ptp(ratio) < 1e-9
        and abs(ratio[0] - 1) > 1e-6
    ):
        fail(
            f"{call}: {name} is {ratio[0]:.6g} times the correct gradient everywhere "
            "(a wrong factor: dWl = (1/m) dZl A{l-1}^T, dbl = (1/m) sum over the examples of dZl)."
        )
    assert_close(array, expected, name, rtol=1e-9, atol=1e-12, context=call)


def _compare_gradients(got, expected, layers_dims, call):
    """Every block is checked: the message details the first wrong one and names all the others,
    so that a student with two bugs left learns of both at once."""
    names = ["d" + name for name in block_names(layers_dims)]
    got = expect_dict(got, f"The result of {call}", names)
    wrong = []
    for key in names:
        try:
            _compare_block(got, expected[key], key, call)
        except CheckFailure as failure:
            wrong.append((key, str(failure)))
    if wrong:
        others = [key for key, _ in wrong[1:]]
        fail(
            wrong[0][1]
            + (
                f" Also wrong: {', '.join(others)}; every one of these blocks needs a fix."
                if others
                else f" The other blocks ({', '.join(k for k in names if k != wrong[0][0])}) are right."
                if len(names) > 1
                else ""
            )
        )


@grading("backward_propagation_n", "the gradients of the fraud network (4-5-3-1), planted bugs fixed", 8)
@secret_variant(seed=lambda rng: int(rng.integers(1000, 10**6)))
def check_backward_fraud(student, reference, figures, seed=1):
    gc_utils = provided("gc_utils")
    X, Y, parameters = gc_utils.gradient_check_n_test_case(seed)
    _, cache = gc_utils.forward_propagation_n(X, Y, parameters)
    expected = reference.backward_propagation_n(X, Y, cache)
    got = student.backward_propagation_n(X, Y, cache)
    dims = gc_utils.FRAUD_LAYERS_DIMS
    if isinstance(got, dict):
        values, names = [], []
        for name in block_names(dims):
            block = got.get("d" + name)
            if (
                isinstance(block, np.ndarray)
                and block.dtype.kind in "iuf"  # a figure of numbers only; the comparison below judges the rest
                and block.shape == expected["d" + name].shape
            ):
                names.append(name)
                values.append(relative_difference(got["d" + name].astype(float), expected["d" + name]))
        figures.append(
            Figure(
                "logbars",
                "Relative difference of each block: your backward_propagation_n "
                "against the reference, on the fraud network (4-5-3-1)",
                {
                    "labels": names,
                    "values": values,
                    "exponents": [_exponent(v) for v in values],
                    "threshold": THRESHOLD,
                    "threshold_exponent": _exponent(THRESHOLD),
                },
            )
        )
    _compare_gradients(got, expected, dims, "backward_propagation_n(X, Y, cache) on the fraud network")


@grading("backward_propagation_n", "the gradients of drawn networks of depth 2 to 4", 10)
@settings(max_examples=5)
@given(layers_dims=layers, seed=seeds)
def check_backward_drawn(student, reference, layers_dims, seed):
    X, Y, parameters, _ = nd_cases.safe_case(layers_dims, seed)
    _, cache = provided("gc_utils").forward_propagation_n(X, Y, parameters)
    _compare_gradients(
        student.backward_propagation_n(X, Y, cache),
        reference.backward_propagation_n(X, Y, cache),
        layers_dims,
        f"backward_propagation_n(X, Y, cache) for layers_dims={layers_dims}",
    )


# -- gradient_check_n ----------------------------------------------------------------------------

scales = st.sampled_from([0.3, 1.0, 3.0])


def _oracle_difference(X, Y, parameters, gradients, epsilon):
    """The relative difference over all parameters, from the independent numeric gradient."""
    dims = layers_of(parameters)
    approx = nd_cases.numeric_gradient(X, Y, parameters, epsilon)
    return relative_difference(flatten(gradients, dims, prefix="d"), flatten(approx, dims, prefix="d"))


@grading("gradient_check_n", "correct gradients pass (difference below 2e-7) on drawn networks", 6, uses=VECTORS)
@settings(max_examples=4)
@given(layers_dims=layers, seed=seeds, x_scale=scales)
def check_correct_passes(student, layers_dims, seed, x_scale):
    X, Y, parameters, grads = nd_cases.safe_case(layers_dims, seed, x_scale)
    call = f"gradient_check_n(parameters, gradients, X, Y) for layers_dims={layers_dims} and correct gradients"
    difference = expect_float(student.gradient_check_n(parameters, grads, X, Y), call)
    if not 0 <= difference < THRESHOLD:
        fail(f"{call} returned {difference:.6g}; it should be a small non-negative number, below 2e-7.")


def _corrupted(grads, layers_dims, rng, count):
    """``(gradients, {name: how})``: ``count`` blocks made wrong in different ways."""
    names = block_names(layers_dims)
    chosen = sorted(rng.choice(len(names), size=min(count, len(names)), replace=False))
    wrong, what = {key: value.copy() for key, value in grads.items()}, {}
    for i in chosen:
        key, kind = "d" + names[i], rng.integers(5)
        g = grads[key]
        if kind == 0:
            factor = float(rng.choice([1 + 1e-5, 1 - 1e-3, 1.1, 2.0, 4.0]))
            wrong[key], what[names[i]] = g * factor, f"multiplied by {factor:g}"
        elif kind == 1:
            wrong[key], what[names[i]] = -g, "negated"
        elif kind == 2:
            size = float(rng.choice([1e-5, 1e-3, 0.3]))
            wrong[key] = g + size * np.linalg.norm(g) / np.sqrt(g.size) * rng.standard_normal(g.shape)
            what[names[i]] = f"plus noise of relative size {size:g}"
        elif kind == 3:
            wrong[key], what[names[i]] = np.zeros_like(g), "set to zero"
        else:
            wrong[key], what[names[i]] = g + 0.5 * np.linalg.norm(g) / np.sqrt(g.size), "shifted"
        if relative_difference(wrong[key], g) < 20 * THRESHOLD:  # too close to call: make it clearly wrong
            wrong[key], what[names[i]] = g * 2.0, "multiplied by 2"
    return wrong, what


def _describe(what):
    return ", ".join(f"d{name} {how}" for name, how in what.items()) or "no block changed"


@grading("gradient_check_n", "the relative difference of wrong gradients matches the reference", 12, uses=VECTORS)
@settings(max_examples=4)
@example(layers_dims=[4, 5, 3, 1], seed=1, x_scale=1.0, count=2)
@given(layers_dims=layers, seed=seeds, x_scale=scales, count=st.integers(1, 3))
def check_wrong_difference(student, layers_dims, seed, x_scale, count):
    X, Y, parameters, grads = nd_cases.safe_case(layers_dims, seed, x_scale)
    wrong, what = _corrupted(grads, layers_dims, np.random.default_rng(seed), count)
    expected = _oracle_difference(X, Y, parameters, wrong, 1e-7)
    assert_close(
        student.gradient_check_n(parameters, wrong, X, Y),
        expected,
        f"gradient_check_n(parameters, gradients, X, Y) for layers_dims={layers_dims}",
        rtol=1e-5,
        atol=1e-12,
        context=f"With {_describe(what)}, the relative difference "
        "||grad - gradapprox|| / (||grad|| + ||gradapprox||) over all parameters",
    )


@grading("gradient_check_n", "uses the centred difference (checked with epsilon = 1e-3)", 10, uses=VECTORS)
@settings(max_examples=3)
@given(layers_dims=layers, seed=seeds)
def check_centred(student, layers_dims, seed):
    X, Y, parameters, grads = nd_cases.smooth_case(layers_dims, seed)
    expected = _oracle_difference(X, Y, parameters, grads, 1e-3)
    assert_close(
        student.gradient_check_n(parameters, grads, X, Y, epsilon=1e-3),
        expected,
        f"gradient_check_n(parameters, gradients, X, Y, epsilon=0.001) for layers_dims={layers_dims}",
        rtol=1e-2,
        atol=1e-12,
        context="With correct gradients, on a network without ReLU kinks nearby (the centred difference "
        "(J(theta + eps) - J(theta - eps)) / (2 eps) is accurate to about eps**2 here, a "
        "one-sided difference only to about eps)",
    )


# -- find_wrong_gradients ------------------------------------------------------------------------


def _check_names(got, expected, what, call, ordered=True):
    """``got`` names exactly the blocks of ``expected``; in the same (layout) order when ``ordered``."""
    if not isinstance(got, list) or not all(isinstance(name, str) for name in got):
        fail(f"{call} should return a list of names such as ['W2', 'b1'], got {got!r}.")
    if (got != expected) if ordered else (sorted(got) != sorted(expected) or len(set(got)) != len(got)):
        fail(
            f"{call} returned {got}, expected {expected} (in layout order). The gradients had "
            f"{_describe(what)}; a block is wrong when its own relative difference exceeds 2e-7."
        )


def _find_wrong(student, layers_dims, seed, x_scale, count, ordered):
    X, Y, parameters, grads = nd_cases.safe_case(layers_dims, seed, x_scale)
    wrong, what = _corrupted(grads, layers_dims, np.random.default_rng(seed + 7), count)
    expected = [name for name in block_names(layers_dims) if name in what]
    call = f"find_wrong_gradients(parameters, gradients, X, Y) for layers_dims={layers_dims}"
    got = student.find_wrong_gradients(parameters, wrong, X, Y)
    if ordered and isinstance(got, list):  # the order of the right names only: which names, the other checks
        got = [name for name in got if name in expected]
        expected = [name for name in expected if name in got]
    _check_names(got, expected, what, call, ordered)


@grading(
    "find_wrong_gradients",
    "names exactly the blocks the grader corrupted (drawn blocks, sizes, scales)",
    10,
    uses=VECTORS + ("gradient_check_n",),
)
@settings(max_examples=6)
@example(layers_dims=[4, 5, 3, 1], seed=1, x_scale=1.0, count=0)
@given(layers_dims=layers, seed=seeds, x_scale=scales, count=st.integers(0, 4))
def check_find_wrong(student, layers_dims, seed, x_scale, count):
    _find_wrong(student, layers_dims, seed, x_scale, count, ordered=False)  # the order: the next check's


@grading(
    "find_wrong_gradients", "lists the names in layout order (W1, b1, W2, ...)", 2, uses=VECTORS + ("gradient_check_n",)
)
def check_find_wrong_order(student, secret):
    _find_wrong(student, [4, 5, 3, 1], seed=0, x_scale=1.0, count=2, ordered=True)  # b2 and W3: not alphabetical
    seed = int(secret.rng.integers(10_000))
    secret.run(_find_wrong, student, [4, 5, 3, 1], seed, 1.0, 3, True, description=f"seed={seed}, 3 blocks wrong")


SMALL_ERROR = 5e-6


SEARCH_CHUNK = 16  # seeds whose safe cases are made together (the first that fits is about the 40th)


@memoize
def _hidden_small_error_case(start=0):
    """A 4-5-3-1 network whose smallest gradient block is off by a factor 1 + 5e-6: clearly wrong
    on its own (relative difference 2.5e-6), invisible in the global difference, in a block
    difference divided by the global norms (both below 1e-7) and in the largest absolute error
    (below 1e-7). The safe case of the first seed from ``start`` that has such a block; the seeds'
    cases are made ``SEARCH_CHUNK`` at a time (``nd_cases.safe_cases``: the same cases)."""
    dims = [4, 5, 3, 1]
    for first in range(start, start + 1000, SEARCH_CHUNK):
        seeds = range(first, min(first + SEARCH_CHUNK, start + 1000))
        for seed, case in zip(seeds, nd_cases.safe_cases(dims, seeds, x_scale=5.0)):
            if case is None:
                raise nd_cases.no_safe_case(dims, seed)
            X, Y, parameters, grads = case
            norms = {name: nd_cases.norm(grads["d" + name]) for name in block_names(dims)}
            small = min(norms, key=norms.get)
            tiny = np.max(np.abs(grads["d" + small])) * SMALL_ERROR < THRESHOLD / 2  # also below 2e-7 in absolute terms
            if tiny and norms[small] / nd_cases.norm(flatten(grads, dims, prefix="d")) < 0.04:
                wrong = dict(grads)
                wrong["d" + small] = grads["d" + small] * (1 + SMALL_ERROR)
                return X, Y, parameters, wrong, small
    raise RuntimeError("no 4-5-3-1 case with a small gradient block")


@grading(
    "find_wrong_gradients",
    "judges each block on its own (a small error in a small block)",
    8,
    uses=VECTORS + ("gradient_check_n",),
)
@secret_variant(start=lambda rng: int(rng.integers(1000, 10**6)))
def check_per_block(student, start=0):
    X, Y, parameters, wrong, small = _hidden_small_error_case(start)
    call = "find_wrong_gradients(parameters, gradients, X, Y) on a 4-5-3-1 network"
    _check_names(
        student.find_wrong_gradients(parameters, wrong, X, Y),
        [small],
        {
            small: f"multiplied by {1 + SMALL_ERROR} (its own relative difference is about 2.5e-6; "
            "over all parameters it is below 1e-7)"
        },
        call,
    )
