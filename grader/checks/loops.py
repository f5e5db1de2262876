"""The provided loops, as runs the grader drives (``grader/checkapi/lockstep.py``): the
grader's own copies of ``opt_utils.update_trajectory`` / ``training_trajectory`` /
``optimizer_path`` / ``model`` and ``reg_utils.model``. Forward and backward passes, costs,
parameter updates and the data between two calls are computed here with the pristine
``nn_utils``; only the student's graded functions are called, once per step, and every value
they return is validated before it is used again.

A trajectory is recorded as ``opt_utils`` records it: ``{"steps": n, "trace": {quantity:
{key: array (n, *shape)} or [value per step]}, "raw": ...}`` (see ``trajectories.compare``).
"""

import numpy as np

from grader.checkapi import lockstep
from grader.checkapi.lockstep import Call
from grader.checkapi.memo import memoize
from grader.checkapi.support import (
    expect_array,
    expect_dict,
    expect_float,
    expect_sequence,
    fail,
)
from grader.checks.trajectories import FUNCTION, RETURNS, provided

LENGTH = {"gd": None, "momentum": 2, "rmsprop": 2, "adam": 5}
STATE = {"gd": (), "momentum": ("v",), "rmsprop": ("s",), "adam": ("v", "s", "v_corrected", "s_corrected")}


def reference_run(assignment, run, *args, **kwargs):
    """``(result, calls)`` of the reference's run of ``run(*args, **kwargs)`` (a run of this
    module, such as ``update_trajectory``), and the ``Call``s it made (to replay them, see ``replayed_steps``). Computed once
    for equal arguments (``checkapi/memo.py``): the reference's side of a trajectory is the same
    for every student."""
    result, calls = _reference_run(assignment, run, *args, **kwargs)
    return result, [Call(*call) for call in calls]


@memoize
def reference_result(assignment, run, *args, **kwargs):
    """The result alone of the reference's run of ``run(*args, **kwargs)``: ``reference_run``
    without the calls, for the figures that need only the result (a hit copies far less)."""
    from grader.pipeline.reference import load_reference

    return lockstep.run_reference(load_reference(assignment), run(*args, **kwargs))


@memoize
def _reference_run(assignment, run, *args, **kwargs):
    from grader.pipeline.reference import load_reference

    calls: list = []
    result = lockstep.run_reference(load_reference(assignment), run(*args, **kwargs), record=calls)
    return result, [tuple(call) for call in calls]


def zero_state(optimizer, parameters):
    """The documented starting state: ``{"v": zeros}``, ``{"s": zeros}``, both, or ``{}``."""
    names = {"gd": (), "momentum": ("v",), "rmsprop": ("s",), "adam": ("v", "s")}[optimizer]
    return {name: {"d" + key: np.zeros_like(value, dtype=float) for key, value in parameters.items()} for name in names}


def _step_call(optimizer, parameters, grads, state, t, hyper):
    """The call of one update step, with the arguments in the documented order."""
    lr = hyper.get("learning_rate", 0.01)
    beta, beta1, beta2 = hyper.get("beta", 0.9), hyper.get("beta1", 0.9), hyper.get("beta2", 0.999)
    epsilon = hyper.get("epsilon", 1e-8)
    args = {
        "gd": (parameters, grads, lr),
        "momentum": (parameters, grads, state.get("v"), beta, lr),
        "rmsprop": (parameters, grads, state.get("s"), beta, lr, epsilon),
        "adam": (parameters, grads, state.get("v"), state.get("s"), t, lr, beta1, beta2, epsilon),
    }[optimizer]
    return Call(FUNCTION[optimizer], args)


def _like(value, template):
    """``value`` is a dict with ``template``'s keys, each a finite numeric array of its shape."""
    if not isinstance(value, dict):
        return False
    for key, array in template.items():
        got = value.get(key)
        if not (
            type(got) is np.ndarray  # (what the wire decodes: never a subclass)
            and got.dtype.kind in "iuf"
            and got.shape == array.shape
            and np.isfinite(got).all()
        ):
            return False
    return True


def _stacked(values):
    """``{key: array (steps, *shape)}`` when every step gave one dict of same-shaped numeric
    arrays, else the list of values."""
    first = values[0]
    if not all(isinstance(v, dict) and list(v) == list(first) for v in values):
        return values
    stacked = {}
    for key in first:
        items = [v[key] for v in values]
        if not all(type(a) is np.ndarray and a.dtype.kind in "iuf" and a.shape == items[0].shape for a in items):
            return values
        stacked[key] = np.stack(items)
    return stacked


class Recorder:
    """Copies of ``parameters`` and the state after every step (the trajectory format)."""

    def __init__(self):
        self.records, self.raw = [], None

    def add(self, record):
        self.records.append(record)

    def result(self):
        trace = {}
        for quantity in self.records[0] if self.records else {}:
            trace[quantity] = _stacked([record.get(quantity) for record in self.records])
        out = {"steps": len(self.records), "trace": trace}
        if self.raw is not None:
            out["raw"] = self.raw
        return out


def _parse(optimizer, got):
    """``(new parameters, {state name: value})`` of one update's result, or None when it is
    not the documented tuple."""
    n = LENGTH[optimizer]
    if n is None:
        return got, {}
    if isinstance(got, (tuple, list)) and len(got) == n:
        return got[0], dict(zip(STATE[optimizer], got[1:]))
    if optimizer == "adam" and isinstance(got, (tuple, list)) and len(got) == 3:
        return got[0], dict(zip(("v", "s"), got[1:]))  # the older course's return: charged by its own check
    return None


def replayed_steps(optimizer, calls):
    """A run: the update calls a trusted run made (``lockstep.run_reference(..., record=)``),
    all sent at once, each on the reference's state after the step before; returns the
    student's steps as a trajectory. One round trip instead of one per step: a rule that
    matches the reference on every step from the reference's state matches it chained too."""
    answers = yield list(calls)
    recorder = Recorder()
    for got in answers:
        parsed = _parse(optimizer, got)
        if parsed is None:
            recorder.raw = got
            break
        recorder.add({"parameters": parsed[0], **parsed[1]})
    return recorder.result()


def _stepper(optimizer, parameters, state, hyper, recorder):
    """A generator step: yields one update of the student's rule and returns the new
    ``(parameters, state)``, or None when the run must stop (output not usable again)."""
    t = [0]

    def step(parameters, state, grads):
        t[0] += 1
        got = yield _step_call(optimizer, parameters, grads, state, t[0], hyper)
        parsed = _parse(optimizer, got)
        if parsed is None:
            recorder.raw = got
            return None
        new, values = parsed
        recorder.add({"parameters": new, **values})
        shapes = {"d" + key: value for key, value in parameters.items()}
        if not _like(new, parameters) or not all(_like(value, shapes) for value in values.values()):
            return None  # recorded; the comparison says what is wrong with it
        return new, {**state, **values}

    return step


def update_trajectory(optimizer, parameters, grads, state, **hyper):
    """A run: the update rule applied to the gradients of step 1, 2, ... (``grads``:
    ``{"dW1": array (steps, *shape), ...}``) from ``state``; returns the trajectory."""
    recorder = Recorder()
    step = _stepper(optimizer, parameters, state, hyper, recorder)
    steps = len(next(iter(grads.values())))
    for i in range(steps):
        moved = yield from step(parameters, state, {key: value[i] for key, value in grads.items()})
        if moved is None:
            break
        parameters, state = moved
    return recorder.result()


def training_trajectory(layers_dims, optimizer, batches, learning_rate=0.01):
    """A run: training steps on the given mini-batches from ``nn_utils``'s He start and the
    zero state, the gradients from the pristine forward and backward passes."""
    nn = provided("nn_utils", memoized=False)
    parameters = nn.initialize_parameters(layers_dims)
    state = zero_state(optimizer, parameters)
    recorder = Recorder()
    step = _stepper(optimizer, parameters, state, {"learning_rate": learning_rate}, recorder)
    for X_batch, Y_batch in batches:
        _, cache = nn.forward_propagation(X_batch, parameters)
        grads = nn.backward_propagation(X_batch, Y_batch, cache)
        moved = yield from step(parameters, state, {k: v for k, v in grads.items() if k[:2] in ("dW", "db")})
        if moved is None:
            break
        parameters, state = moved
    return recorder.result()


def optimizer_path(optimizer, learning_rate, num_steps, theta0=(-4.0, 1.0), bowl=(1.0, 20.0)):
    """A run: the points an update rule visits on the bowl ``(a x^2 + b y^2) / 2`` (the point
    handed over as ``W1 = [[x]]``, ``b1 = [[y]]``); an ``(n, 2)`` array, shorter when it stopped."""
    a, b = bowl
    parameters = {"W1": np.array([[theta0[0]]]), "b1": np.array([[theta0[1]]])}
    state = zero_state(optimizer, parameters)
    step = _stepper(optimizer, parameters, state, {"learning_rate": learning_rate}, Recorder())
    path = [tuple(theta0)]
    for _ in range(num_steps):
        x, y = parameters["W1"][0, 0], parameters["b1"][0, 0]
        moved = yield from step(parameters, state, {"dW1": np.array([[a * x]]), "db1": np.array([[b * y]])})
        if moved is None:
            break
        parameters, state = moved
        path.append((float(parameters["W1"][0, 0]), float(parameters["b1"][0, 0])))
    return np.array(path)


def model_costs(X, Y, layers_dims, optimizer, learning_rate, batches):
    """A run of ``opt_utils.model`` with the student's update rule only: the documented zero
    state, ``batches[i]`` (the mini-batches of epoch ``i``, made by the grader) and one update
    per batch. Returns the cost on all of ``X``, computed here, before training and after
    every epoch."""
    nn = provided("nn_utils", memoized=False)
    parameters = nn.initialize_parameters(layers_dims)
    state = zero_state(optimizer, parameters)
    recorder = Recorder()
    step = _stepper(optimizer, parameters, state, {"learning_rate": learning_rate}, recorder)
    costs = [nn.compute_cost(nn.forward_propagation(X, parameters)[0], Y)]
    for epoch in batches:
        for X_batch, Y_batch in epoch:
            _, cache = nn.forward_propagation(X_batch, parameters)
            grads = nn.backward_propagation(X_batch, Y_batch, cache)
            moved = yield from step(parameters, state, {k: v for k, v in grads.items() if k[:2] in ("dW", "db")})
            if moved is None:
                fail(
                    f"at update {len(recorder.records)}, {FUNCTION[optimizer]} did not return "
                    f"{RETURNS[optimizer]} of finite arrays shaped like the parameters"
                )
            parameters, state = moved
        with np.errstate(all="ignore"):
            costs.append(nn.compute_cost(nn.forward_propagation(X, parameters)[0], Y))
    return costs


def _expect_grads(got, parameters, call):
    grads = expect_dict(got, f"the gradients returned by {call}", ["d" + k for k in parameters])
    return {"d" + k: expect_array(grads["d" + k], f"{call}['d{k}']", v.shape) for k, v in parameters.items()}


def regularized_model(
    X,
    Y,
    learning_rate,
    num_iterations,
    lambd=0.0,
    keep_prob=1.0,
    layers_dims=(2, 20, 3, 1),
    seed=3,
    mask_seed=None,
    record_every=1000,
):
    """A run of ``reg_utils.model``: full-batch gradient descent from ``nn_utils``'s He start,
    the student's dropout forward pass (a fresh mask seed each iteration, from
    ``default_rng(mask_seed)``), cost and backward pass for whatever is switched on, the
    update here. Returns ``(parameters, costs)``."""
    nn = provided("nn_utils", memoized=False)
    m = X.shape[1]
    parameters = nn.initialize_parameters(list(layers_dims), seed=seed)
    mask_seeds = np.random.default_rng(seed if mask_seed is None else mask_seed)
    gradient_keys = tuple("d" + key for key in parameters)
    costs = []
    for i in range(num_iterations):
        if keep_prob < 1:
            call = f"forward_propagation_with_dropout(X, parameters, {keep_prob}, seed=...) at iteration {i}"
            got = yield Call(
                "forward_propagation_with_dropout",
                (X, parameters, keep_prob),
                {"seed": int(mask_seeds.integers(2**63))},
            )
            AL, cache = expect_sequence(got, f"the result of {call}", 2)
            AL = expect_array(AL, f"AL returned by {call}", (1, m))
            if not isinstance(cache, dict):
                fail(f"the cache returned by {call} should be a dict.")
        else:
            AL, cache = nn.forward_propagation(X, parameters)
        calls = []
        if i % record_every == 0 and lambd > 0:
            calls.append(Call("compute_cost_with_regularization", (AL, Y, parameters, lambd)))
        if keep_prob < 1:  # (its dZl and dAl are not read: not sent back)
            calls.append(
                Call("backward_propagation_with_dropout", (X, Y, cache, keep_prob, lambd), None, gradient_keys)
            )
        elif lambd > 0:
            calls.append(Call("backward_propagation_with_regularization", (X, Y, cache, lambd)))
        answers = (yield calls) if calls else []
        if i % record_every == 0:
            costs.append(
                expect_float(answers[0], f"compute_cost_with_regularization at iteration {i}")
                if lambd > 0
                else nn.compute_cost(AL, Y)
            )
        if calls and calls[-1].function.startswith("backward"):
            grads = _expect_grads(answers[-1], parameters, f"{calls[-1].function} at iteration {i}")
        else:
            grads = nn.backward_propagation(X, Y, cache)
        parameters = nn.update_parameters(parameters, grads, learning_rate)
    return parameters, costs
