"""Hidden checks of ``optimization`` (SPEC §3): mini-batches, gd, momentum, RMSprop, Adam,
learning-rate decay.

The update rules are run for 20+ steps by the grader's own copies of the provided loops
(``loops.update_trajectory``, on gradient sequences drawn here, from tiny to large
scales so that epsilon's place matters, and ``loops.training_trajectory``, a real
training run on moons on the provided batches), which call the student's rule once per
step through the sandbox, and compared with the reference after
every step (``trajectories.compare``). ``random_mini_batches`` is graded by properties,
so any permutation drawn from ``default_rng(seed)`` passes.
"""

import math

import numpy as np
from hypothesis import example, settings
from hypothesis import strategies as st

from grader.checkapi import lockstep
from grader.checkapi.support import (
    CheckFailure,
    assert_close,
    describe_type,
    expect_array,
    expect_dict,
    expect_ids,
    fail,
    given,
    grading,
    secret_variant,
)
from grader.checks import loops, trajectories
from grader.checks.optimization_figures import MOONS_DIMS, SECRET_EPOCHS, add_costs, add_path, training_costs
from grader.checks.trajectories import FUNCTION, provided
from grader.sandbox.session import StudentError

ASSIGNMENT = "optimization"

layers = st.lists(st.integers(1, 5), min_size=2, max_size=4)
seeds = st.integers(0, 10_000)
scales = st.sampled_from([1e-8, 1e-5, 1e-2, 1.0, 30.0])


def _parameters(layers_dims, rng):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1]))
        parameters[f"b{l}"] = rng.standard_normal((layers_dims[l], 1))
    return parameters


def _gradients(parameters, rng, scale, steps=None):
    """Gradients shaped like ``parameters``; each block with its own size within ``scale``."""
    lead = () if steps is None else (steps,)
    return {
        "d" + key: rng.standard_normal(lead + value.shape) * scale * 10 ** rng.uniform(-1, 1)
        for key, value in parameters.items()
    }


def _student_run(student, run):
    """The result of one grader-driven run against the student's functions (its
    ``StudentError`` or ``CheckFailure`` raised)."""
    (result,) = lockstep.run_student(student, [run])
    if isinstance(result, (StudentError, CheckFailure)):
        raise result
    return result


def _compare_dicts(got, expected, call):
    got = expect_dict(got, f"the result of {call}", list(expected))
    for key, value in expected.items():
        assert_close(got[key], value, f"{call}['{key}']", rtol=1e-9, atol=1e-12)


# -- gradient descent ---------------------------------------------------------------------


@grading("update_parameters_with_gd", "one step on drawn parameters (every W and b, downhill)", 9)
@settings(max_examples=8)
@given(layers_dims=layers, seed=seeds, learning_rate=st.floats(1e-3, 1.0))
def check_gd(student, reference, layers_dims, seed, learning_rate):
    rng = np.random.default_rng(seed)
    parameters = _parameters(layers_dims, rng)
    grads = _gradients(parameters, rng, 1.0)
    call = f"update_parameters_with_gd(parameters, grads, {learning_rate!r})"
    got = expect_dict(
        student.update_parameters_with_gd(parameters, grads, learning_rate), f"the result of {call}", list(parameters)
    )
    for key, value in parameters.items():
        array = expect_array(got[key], f"{call}['{key}']", value.shape)
        if np.allclose(array, value + learning_rate * grads["d" + key]):
            fail(f"{call}['{key}'] moved uphill: the step is {key} = {key} - learning_rate * d{key}.")
        if np.array_equal(array, value):
            fail(f"{call}['{key}'] was not updated: every Wl and every bl takes a step.")
    _compare_dicts(got, reference.update_parameters_with_gd(parameters, grads, learning_rate), call)


# -- mini-batches ---------------------------------------------------------------------------

# One requirement, one check: the partition, pairing and same-seed checks draw what the course's
# template handles (one label row, at least one full batch); several label rows and fewer examples
# than mini_batch_size are checks of their own, modestly weighted.
shapes = st.integers(1, 120).flatmap(
    lambda m: st.tuples(st.integers(1, 4), st.just(1), st.just(m), st.integers(max(1, m // 12), min(m, 70)))
)


def _labelled(n_x, n_y, m, seed):
    """X whose first row numbers the columns, Y whose rows are functions of that number."""
    ids = np.arange(m, dtype=float)
    X = np.vstack([ids, np.random.default_rng(seed).standard_normal((n_x - 1, m))])
    Y = np.vstack([(ids * 7 + 3 * r) % 11 for r in range(n_y)])
    return X, Y


def _batches(student, X, Y, size, seed):
    call = f"random_mini_batches(X, Y, mini_batch_size={size}, seed={seed}) with X {X.shape}, Y {Y.shape}"
    got = student.random_mini_batches(X, Y, size, seed)
    if not isinstance(got, (list, tuple)):
        fail(f"{call} returned {describe_type(got)}; it should return a list of (X_batch, Y_batch) tuples.")
    batches = []
    for k, batch in enumerate(got):
        if not isinstance(batch, (list, tuple)) or len(batch) != 2:
            fail(f"{call}: batch {k} is {describe_type(batch)}; each batch is a tuple (X_batch, Y_batch).")
        X_batch = expect_array(batch[0], f"{call}: X_batch {k}")
        Y_batch = expect_array(batch[1], f"{call}: Y_batch {k}")
        if (
            X_batch.ndim != 2
            or X_batch.shape[0] != X.shape[0]
            or Y_batch.ndim != 2
            or Y_batch.shape != (Y.shape[0], X_batch.shape[1])
        ):
            fail(
                f"{call}: batch {k} has X_batch {X_batch.shape} and Y_batch {Y_batch.shape}; they should be "
                f"({X.shape[0]}, size) and ({Y.shape[0]}, size): one example per column."
            )
        expect_ids(X_batch[0], f"{call}: the first row of X_batch {k} (it numbers the columns of X)", X.shape[1])
        batches.append((X_batch, Y_batch))
    return call, batches


def _order(batches, m, call):
    """The column ids of the batches, in order; fail unless they are a permutation of 0..m-1."""
    order = np.concatenate([b[0][0] for b in batches]) if batches else np.array([])
    if sorted(order.astype(np.int64).tolist()) != list(range(m)):
        fail(
            f"{call}: the batches do not hold every column of X exactly once "
            f"(columns missing or repeated); shuffle with one permutation of the {m} columns."
        )
    return order


@grading("random_mini_batches", "the batches partition the columns: full batches first, then the remainder", 8)
@settings(max_examples=8)
@given(shape=shapes, seed=seeds)
def check_partition(student, shape, seed):
    n_x, n_y, m, size = shape
    X, Y = _labelled(n_x, n_y, m, seed)
    call, batches = _batches(student, X, Y, size, seed)
    sizes = [b[0].shape[1] for b in batches]
    expected = [size] * (m // size) + ([m % size] if m % size else [])
    if sizes != expected:
        fail(
            f"{call} gave batches of sizes {sizes}; expected {expected}: {m // size} full batches of {size} "
            f"first, then the remaining m % mini_batch_size = {m % size} columns."
        )
    _order(batches, m, call)


@grading("random_mini_batches", "each example keeps its own label (X and Y shuffled together)", 5)
@settings(max_examples=6)
@given(shape=shapes, seed=seeds)
def check_pairs(student, shape, seed):
    n_x, n_y, m, size = shape
    X, Y = _labelled(n_x, n_y, m, seed)
    call, batches = _batches(student, X, Y, size, seed)
    for k, (X_batch, Y_batch) in enumerate(batches):
        ids = X_batch[0].astype(np.int64)  # whole numbers in 0..m-1 (checked by _batches)
        if not np.array_equal(X_batch, X[:, ids]):
            fail(f"{call}: the columns of X_batch {k} are not columns of X.")
        if not np.array_equal(Y_batch, Y[:, ids]):
            fail(
                f"{call}: in batch {k} the labels do not belong to the examples beside them; apply the "
                "same permutation to the columns of X and of Y."
            )


@grading("random_mini_batches", "the columns are shuffled, differently for different seeds", 4)
@settings(max_examples=5)
@given(size=st.integers(5, 20), full=st.integers(2, 6), seed=seeds)
def check_shuffled(student, size, full, seed):
    m = size * full  # no remainder: how the last batch is cut is the partition check's business
    X, Y = _labelled(2, 1, m, seed)
    orders = []
    for s in (seed, seed + 1):
        call, batches = _batches(student, X, Y, size, s)
        order = _order(batches, m, call)  # a permutation, so "the order changed" means something
        if np.array_equal(order, np.arange(m)):
            fail(f"{call} kept the columns in their original order; shuffle them first.")
        orders.append(order)
    if np.array_equal(orders[0], orders[1]):
        fail(
            f"random_mini_batches gave the same order for seed={seed} and seed={seed + 1}; draw the "
            "permutation from np.random.default_rng(seed)."
        )


@grading("random_mini_batches", "the same seed gives the same batches", 2)
@settings(max_examples=5)
@given(shape=shapes, seed=seeds)
def check_reproducible(student, shape, seed):
    n_x, n_y, m, size = shape
    X, Y = _labelled(n_x, n_y, m, seed)
    call, first = _batches(student, X, Y, size, seed)
    _, second = _batches(student, X, Y, size, seed)
    same = len(first) == len(second) and all(
        a[0].shape == b[0].shape and np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
        for a, b in zip(first, second)
    )
    if not same:
        fail(
            f"Calling {call} twice gave different batches; draw from np.random.default_rng(seed) "
            "(not from the global np.random state)."
        )


def _partition_and_pairs(call, batches, X, Y, size):
    m = X.shape[1]
    sizes = [b[0].shape[1] for b in batches]
    expected = [size] * (m // size) + ([m % size] if m % size else [])
    if sizes != expected:
        fail(f"{call} gave batches of sizes {sizes}; expected {expected}.")
    _order(batches, m, call)
    for k, (X_batch, Y_batch) in enumerate(batches):
        ids = X_batch[0].astype(np.int64)  # whole numbers in 0..m-1 (checked by _batches)
        if not np.array_equal(X_batch, X[:, ids]):
            fail(f"{call}: the columns of X_batch {k} are not columns of X.")
        if not np.array_equal(Y_batch, Y[:, ids]):
            fail(f"{call}: in batch {k} the labels do not belong to the examples beside them.")


@grading("random_mini_batches", "Y with several rows: every row shuffled with its example", 3)
@settings(max_examples=5)
@given(n_x=st.integers(1, 4), n_y=st.integers(2, 3), size=st.integers(1, 20), full=st.integers(1, 4), seed=seeds)
def check_label_rows(student, n_x, n_y, size, full, seed):
    X, Y = _labelled(n_x, n_y, size * full, seed)  # no remainder: that is the partition check's business
    call, batches = _batches(student, X, Y, size, seed)
    _partition_and_pairs(
        call + f" (Y has {n_y} rows: keep them all; a reshape to (1, m) fits one-row labels only)", batches, X, Y, size
    )


@grading("random_mini_batches", "fewer examples than mini_batch_size: one smaller batch", 2)
@settings(max_examples=5)
@given(m=st.integers(1, 40), extra=st.integers(1, 30), seed=seeds)
def check_fewer_than_a_batch(student, m, extra, seed):
    X, Y = _labelled(2, 1, m, seed)
    call, batches = _batches(student, X, Y, m + extra, seed)
    _partition_and_pairs(
        call + f" (m = {m} < mini_batch_size = {m + extra}: no full batch, one batch of all {m} examples)",
        batches,
        X,
        Y,
        m + extra,
    )


# -- state initialisers ---------------------------------------------------------------------


def _zeros(got, parameters, call):
    keys = ["d" + key for key in parameters]
    got = expect_dict(got, call, keys)
    for key in keys:
        array = expect_array(got[key], f"{call}['{key}']", parameters[key[1:]].shape)
        if np.any(array != 0):
            fail(f"{call}['{key}'] should be all zeros.")


@grading("initialize_velocity", "zeros keyed dW1, db1, ... on drawn layers_dims", 2)
@settings(max_examples=5)
@given(layers_dims=layers)
def check_initialize_velocity(student, layers_dims):
    parameters = _parameters(layers_dims, np.random.default_rng(0))
    _zeros(student.initialize_velocity(parameters), parameters, f"initialize_velocity for {layers_dims}")


@grading("initialize_rmsprop", "zeros keyed dW1, db1, ... on drawn layers_dims", 2)
@settings(max_examples=5)
@given(layers_dims=layers)
def check_initialize_rmsprop(student, layers_dims):
    parameters = _parameters(layers_dims, np.random.default_rng(0))
    _zeros(student.initialize_rmsprop(parameters), parameters, f"initialize_rmsprop for {layers_dims}")


@grading("initialize_adam", "(v, s) of zeros keyed dW1, db1, ... on drawn layers_dims", 2)
@settings(max_examples=5)
@given(layers_dims=layers)
def check_initialize_adam(student, layers_dims):
    parameters = _parameters(layers_dims, np.random.default_rng(0))
    got = student.initialize_adam(parameters)
    if not isinstance(got, tuple) or len(got) != 2:
        fail(f"initialize_adam returned {describe_type(got)}; it should return the tuple (v, s).")
    for name, value in zip("vs", got):
        _zeros(value, parameters, f"{name} of initialize_adam for {layers_dims}")


# -- trajectories on drawn gradients ----------------------------------------------------------


def _drawn_steps(optimizer, layers_dims, seed, scale, steps, hyper):
    """A run: the reference's trajectory on drawn parameters and gradients, its update calls
    replayed (``loops.replayed_steps``); returns ``(the student's trajectory, the reference's)``.
    It depends on its arguments alone: a ``lockstep.Recipe``."""
    rng = np.random.default_rng(seed)
    parameters = _parameters(layers_dims, rng)
    grads = _gradients(parameters, rng, scale, steps)
    state = loops.zero_state(optimizer, parameters)
    expected, calls = loops.reference_run(
        "optimization", loops.update_trajectory, optimizer, parameters, grads, state, **hyper
    )
    got = yield from loops.replayed_steps(optimizer, calls)
    return got, expected


def _drawn_run(student, reference, optimizer, layers_dims, seed, scale, steps, hyper):
    got, expected = _student_run(
        student, lockstep.Recipe(_drawn_steps, (optimizer, layers_dims, seed, scale, steps, hyper))
    )
    settings_text = ", ".join(f"{k}={v!r}" for k, v in hyper.items())
    trajectories.compare(
        got,
        expected,
        optimizer,
        (
            f"({FUNCTION[optimizer]} called {steps} times from zero state on drawn gradients of size about "
            f"{scale:g}, layers_dims={layers_dims}, {settings_text}"
            f"{'; t = 1, 2, ...' if optimizer == 'adam' else ''}; each step from the reference's state after the "
            "step before.)"
        ),
    )


steps_st = st.integers(20, 30)
rates = st.sampled_from([1e-3, 1e-2, 0.1])


@grading("update_parameters_with_momentum", "20+ steps on drawn gradients match the reference after every step", 12)
@settings(max_examples=6)
@example(layers_dims=[3, 2, 1], seed=1, scale=1e-5, steps=20, learning_rate=0.01, beta=0.9)
@given(
    layers_dims=layers,
    seed=seeds,
    scale=scales,
    steps=steps_st,
    learning_rate=rates,
    beta=st.sampled_from([0.5, 0.9, 0.99]),
)
def check_momentum_trajectory(student, reference, layers_dims, seed, scale, steps, learning_rate, beta):
    _drawn_run(
        student, reference, "momentum", layers_dims, seed, scale, steps, dict(learning_rate=learning_rate, beta=beta)
    )


@grading("update_parameters_with_rmsprop", "20+ steps on drawn gradients match the reference after every step", 12)
@settings(max_examples=6)
@example(layers_dims=[3, 2, 1], seed=1, scale=1e-8, steps=20, learning_rate=0.01, beta=0.9, epsilon=1e-8)
@given(
    layers_dims=layers,
    seed=seeds,
    scale=scales,
    steps=steps_st,
    learning_rate=rates,
    beta=st.sampled_from([0.9, 0.99, 0.999]),
    epsilon=st.sampled_from([1e-8, 1e-6]),
)
def check_rmsprop_trajectory(student, reference, layers_dims, seed, scale, steps, learning_rate, beta, epsilon):
    _drawn_run(
        student,
        reference,
        "rmsprop",
        layers_dims,
        seed,
        scale,
        steps,
        dict(learning_rate=learning_rate, beta=beta, epsilon=epsilon),
    )


@grading("update_parameters_with_adam", "20+ steps on drawn gradients match the reference after every step", 12)
@settings(max_examples=6)
@example(layers_dims=[3, 2, 1], seed=1, scale=1e-8, steps=20, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8)
@given(
    layers_dims=layers,
    seed=seeds,
    scale=scales,
    steps=steps_st,
    learning_rate=rates,
    beta1=st.sampled_from([0.8, 0.9, 0.95]),
    beta2=st.sampled_from([0.99, 0.999, 0.9999]),
    epsilon=st.sampled_from([1e-8, 1e-6]),
)
def check_adam_trajectory(student, reference, layers_dims, seed, scale, steps, learning_rate, beta1, beta2, epsilon):
    _drawn_run(
        student,
        reference,
        "adam",
        layers_dims,
        seed,
        scale,
        steps,
        dict(learning_rate=learning_rate, beta1=beta1, beta2=beta2, epsilon=epsilon),
    )


@grading("update_parameters_with_adam", "returns (parameters, v, s, v_corrected, s_corrected)", 2)
def check_adam_returns_corrected(student, reference, secret):
    _returns_corrected(student, reference, 5)
    seed = int(secret.rng.integers(2**31))
    secret.run(_returns_corrected, student, reference, seed, description=f"seed={seed}")


def _returns_corrected(student, reference, seed):
    rng = np.random.default_rng(seed)
    parameters = _parameters([3, 2, 1], rng)
    grads = _gradients(parameters, rng, 1.0)
    call = "update_parameters_with_adam(parameters, grads, v, s, t=2) from zero v and s"
    got = student.update_parameters_with_adam(parameters, grads, *reference.initialize_adam(parameters), 2)
    if not isinstance(got, (tuple, list)) or len(got) != 5:
        counted = f" of {len(got)} values" if isinstance(got, (tuple, list)) else ""
        fail(
            f"{call} returned {describe_type(got)}{counted}; it should return the tuple (parameters, v, s, "
            "v_corrected, s_corrected): the bias-corrected moments as well (the older course returned three)."
        )
    for name, value in zip(("v_corrected", "s_corrected"), got[3:]):  # their values: the trajectory checks
        expect_dict(
            value,
            f"{name}, the {'4th' if name[0] == 'v' else '5th'} value returned by {call},",
            ["d" + key for key in parameters],
        )


# -- inside a real training run -----------------------------------------------------------------


def _secret_base(rng):
    """The first shuffling seed of a secret case's epochs (``support.secret_variant``)."""
    return int(rng.integers(1000, 10**6))


def _training_steps(reference, optimizer, base):
    """A run: the reference's training trajectory on moons (5 epochs of mini-batches of 64,
    shuffled by ``reference.random_mini_batches`` from seeds ``base``, ``base + 1``, ...), its
    update calls replayed; returns ``(the student's trajectory, the reference's)``. It depends on
    its arguments alone: a ``lockstep.Recipe``."""
    X, Y = provided("data_utils").load_moons()
    batches = [batch for epoch in range(5) for batch in reference.random_mini_batches(X, Y, 64, seed=base + epoch)]
    expected, calls = loops.reference_run("optimization", loops.training_trajectory, MOONS_DIMS, optimizer, batches)
    got = yield from loops.replayed_steps(optimizer, calls)
    return got, expected


def _training_run(student, reference, optimizer, base=11):
    got, expected = _student_run(student, lockstep.Recipe(_training_steps, (reference, optimizer, base)))
    trajectories.compare(
        got,
        expected,
        optimizer,
        (
            f"(Training {MOONS_DIMS} on moons with {FUNCTION[optimizer]}: 5 epochs of mini-batches of 64, "
            f"learning_rate=0.01, default hyperparameters, the same batches and starting point as the reference; "
            "each step from the reference's state after the step before.)"
        ),
    )


@grading("update_parameters_with_momentum", "a short training run on moons matches the reference step by step", 3)
@secret_variant(base=_secret_base)
def check_momentum_training(student, reference, base=11):
    _training_run(student, reference, "momentum", base)


@grading("update_parameters_with_rmsprop", "a short training run on moons matches the reference step by step", 3)
@secret_variant(base=_secret_base)
def check_rmsprop_training(student, reference, base=11):
    _training_run(student, reference, "rmsprop", base)


@grading("update_parameters_with_adam", "a short training run on moons matches the reference step by step", 3)
@secret_variant(base=_secret_base)
def check_adam_training(student, reference, base=11):
    _training_run(student, reference, "adam", base)


# -- learning-rate decay ------------------------------------------------------------------------


@grading("update_lr", "inverse-time decay lr0 / (1 + decay_rate * epoch_num) on drawn values", 5)
@settings(max_examples=10)
@given(lr0=st.floats(1e-4, 1.0), epoch=st.integers(1, 10_000), rate=st.floats(0.01, 5))
def check_update_lr(student, reference, lr0, epoch, rate):
    assert_close(
        student.update_lr(lr0, epoch, rate),
        reference.update_lr(lr0, epoch, rate),
        f"update_lr({lr0!r}, {epoch!r}, {rate!r})",
        rtol=1e-9,
        atol=0,
        context="With inverse-time decay, learning_rate0 / (1 + decay_rate * epoch_num)",
    )


@grading("schedule_lr_decay", "stepwise decay with floor(epoch_num / time_interval) on drawn values", 5)
@settings(max_examples=10)
@example(lr0=0.1, epoch=1500, rate=1.0, interval=1000)
@example(lr0=0.1, epoch=2500, rate=1.0, interval=500)  # an interval other than the default
@given(lr0=st.floats(1e-4, 1.0), epoch=st.integers(0, 10_000), rate=st.floats(0.01, 5), interval=st.integers(1, 2000))
def check_schedule_lr_decay(student, reference, lr0, epoch, rate, interval):
    assert_close(
        student.schedule_lr_decay(lr0, epoch, rate, interval),
        reference.schedule_lr_decay(lr0, epoch, rate, interval),
        f"schedule_lr_decay({lr0!r}, {epoch!r}, {rate!r}, time_interval={interval!r})",
        rtol=1e-9,
        atol=0,
        context="With learning_rate0 / (1 + decay_rate * floor(epoch_num / time_interval))",
    )


# -- the optimizers at work (the report's figures) ----------------------------------------------


def _trains_in_model(student, reference, figures, optimizer, secret):
    add_path(figures, student, reference, optimizer)
    shared, hidden, base = training_costs(student, _secret_base(secret.rng))
    costs, problem = shared[optimizer]
    add_costs(figures, optimizer, costs, reference)
    _expect_lower_cost(optimizer, costs, problem)
    secret.run(
        _expect_lower_cost,
        optimizer,
        *hidden[optimizer],
        description=f"{SECRET_EPOCHS} epochs shuffled from seed {base}",
    )


def _expect_lower_cost(optimizer, costs, problem):
    call = f"opt_utils.model(optimizer={optimizer!r}) on moons with your {FUNCTION[optimizer]}"
    if problem:
        fail(f"Training with {call} (the reference's mini-batches and initial state) failed: {problem}")
    if not all(math.isfinite(c) for c in costs) or not costs[-1] < costs[0]:
        fail(
            f"Training {MOONS_DIMS} with {call} (the reference's mini-batches and initial state) did not lower the "
            f"cost: {costs[0]:.4g} at the first epoch, {costs[-1]:.4g} at the last."
        )


def _model_check(optimizer, uses):
    @grading(FUNCTION[optimizer], "trains on moons in the provided model", 1, uses=("random_mini_batches",) + uses)
    def check(student, reference, figures, secret):
        _trains_in_model(student, reference, figures, optimizer, secret)

    check.__name__ = f"check_{optimizer}_in_model"
    return check


check_gd_in_model = _model_check("gd", ())
check_momentum_in_model = _model_check("momentum", ("initialize_velocity",))
check_rmsprop_in_model = _model_check("rmsprop", ("initialize_rmsprop",))
check_adam_in_model = _model_check("adam", ("initialize_adam",))
