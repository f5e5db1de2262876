"""Provided helpers for the ``optimization`` assignment.

``model`` is the training loop of the notebook: mini-batches reshuffled every
epoch, one of four update rules, an optional learning-rate schedule. The update
rules and the mini-batch maker are the student's: they are taken from ``impl``
(any object whose attributes are the graded functions, e.g. a module), by default
the student module ``optimization``.

``quadratic_bowl`` and ``optimizer_path`` run the same update rules on a 2-D
loss surface, to draw the path each optimizer takes over its contours.
"""

import importlib

import numpy as np

from nn_utils import backward_propagation, compute_cost, forward_propagation, initialize_parameters

OPTIMIZERS = ("gd", "momentum", "rmsprop", "adam")


def _load_impl(impl):
    return importlib.import_module("optimization") if impl is None else impl


class OutputError(Exception):
    """An update rule returned something that is not its documented tuple."""

    def __init__(self, function, raw, expected):
        what = f"a {type(raw).__name__} of {len(raw)} values" if isinstance(raw, (tuple, list)) else type(raw).__name__
        super().__init__(f"{function} returned {what}, not the tuple {expected}")
        self.raw = raw


def _unpack(result, function, expected):
    n = expected.count(",") + 1
    if not isinstance(result, (tuple, list)) or len(result) != n:
        raise OutputError(function, result, expected)
    return result


class _Optimizer:
    """One update rule of ``impl`` with its state, behind a single ``step``.

    ``state`` starts from ``impl``'s initialiser unless given (``{"v": ..., "s": ...}``).
    """

    def __init__(self, impl, name, parameters, learning_rate, beta, beta1, beta2, epsilon, state=None):
        if name not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {name!r}")
        self.impl, self.name = impl, name
        self.learning_rate = learning_rate
        self.beta, self.beta1, self.beta2, self.epsilon = beta, beta1, beta2, epsilon
        self.t = 0
        if state is not None:
            self.state = dict(state)
        elif name == "momentum":
            self.state = {"v": impl.initialize_velocity(parameters)}
        elif name == "rmsprop":
            self.state = {"s": impl.initialize_rmsprop(parameters)}
        elif name == "adam":
            v, s = _unpack(impl.initialize_adam(parameters), "initialize_adam", "(v, s)")
            self.state = {"v": v, "s": s}
        else:
            self.state = {}

    def step(self, parameters, grads):
        impl, lr, state = self.impl, self.learning_rate, self.state
        if self.name == "gd":
            return impl.update_parameters_with_gd(parameters, grads, lr)
        if self.name == "momentum":
            parameters, state["v"] = _unpack(impl.update_parameters_with_momentum(
                parameters, grads, state["v"], self.beta, lr), "update_parameters_with_momentum", "(parameters, v)")
            return parameters
        if self.name == "rmsprop":
            parameters, state["s"] = _unpack(impl.update_parameters_with_rmsprop(
                parameters, grads, state["s"], self.beta, lr, self.epsilon), "update_parameters_with_rmsprop",
                "(parameters, s)")
            return parameters
        self.t += 1  # Adam counts its steps from 1
        (parameters, state["v"], state["s"],
         state["v_corrected"], state["s_corrected"]) = _unpack(impl.update_parameters_with_adam(
            parameters, grads, state["v"], state["s"], self.t, lr, self.beta1, self.beta2, self.epsilon),
            "update_parameters_with_adam", "(parameters, v, s, v_corrected, s_corrected)")
        return parameters


def _snapshot(value):
    """A deep copy of plain data, so later in-place updates cannot change what was recorded."""
    if isinstance(value, dict):
        return {key: _snapshot(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_snapshot(item) for item in value)
    if isinstance(value, np.ndarray):
        return value.copy()
    return value


def model(X, Y, layers_dims, optimizer="gd", learning_rate=0.0007, mini_batch_size=64, beta=0.9,
          beta1=0.9, beta2=0.999, epsilon=1e-8, num_epochs=5000, print_cost=True,
          decay=None, decay_rate=1, impl=None, seed=10, record_every=100, callback=None, mini_batches=None):
    """Train a LINEAR->RELU->...->LINEAR->SIGMOID classifier with mini-batches.

    Parameters
    ----------
    X : ndarray of shape (n_0, m)
    Y : ndarray of shape (1, m)
    layers_dims : list of int
        ``[n_0, n_1, ..., n_L]``; the parameters start from ``nn_utils.initialize_parameters`` (He).
    optimizer : {"gd", "momentum", "rmsprop", "adam"}
    learning_rate : float
        Initial learning rate.
    mini_batch_size : int
    beta : float
        Momentum's beta, also RMSprop's decay.
    beta1, beta2, epsilon : float
        Adam's hyperparameters (epsilon also RMSprop's).
    num_epochs : int
    print_cost : bool
        Print the cost every 1000 epochs.
    decay : callable or None
        A schedule ``decay(learning_rate0, epoch_num, decay_rate) -> learning_rate`` such as
        ``update_lr`` or ``schedule_lr_decay``; epoch ``i`` trains with ``decay(learning_rate, i, decay_rate)``.
    decay_rate : float
    impl : object or None
        Where the update rules and ``random_mini_batches`` come from (a module or a namespace);
        None imports the student module ``optimization``.
    seed : int
        Epoch i (from 0) is shuffled with ``random_mini_batches(X, Y, mini_batch_size, seed + 1 + i)``.
    record_every : int
        Keep the epoch's cost every ``record_every`` epochs.
    callback : callable or None
        Called after every update as ``callback(step, parameters, state)``: ``step`` counts updates
        from 1, ``state`` holds the optimizer's dicts (``v``, ``s``, ``v_corrected``, ``s_corrected``).
    mini_batches : callable or None
        ``mini_batches(X, Y, mini_batch_size, seed) -> [(X_batch, Y_batch), ...]`` used instead of
        ``impl.random_mini_batches`` (e.g. to compare update rules on the same batches).

    Returns
    -------
    parameters : dict
        The trained parameters.
    costs : list of float
        The cost averaged over each recorded epoch's examples (every ``record_every`` epochs, from epoch 0).
    """
    impl = _load_impl(impl)
    make_batches = impl.random_mini_batches if mini_batches is None else mini_batches
    m = X.shape[1]
    parameters = initialize_parameters(layers_dims)
    rule = _Optimizer(impl, optimizer, parameters, learning_rate, beta, beta1, beta2, epsilon)
    costs = []
    step = 0
    for i in range(num_epochs):
        if decay is not None:
            rule.learning_rate = decay(learning_rate, i, decay_rate)
        cost_total = 0.0
        for X_batch, Y_batch in make_batches(X, Y, mini_batch_size, seed + 1 + i):
            AL, cache = forward_propagation(X_batch, parameters)
            cost_total += compute_cost(AL, Y_batch) * X_batch.shape[1]
            grads = backward_propagation(X_batch, Y_batch, cache)
            parameters = rule.step(parameters, grads)
            step += 1
            if callback is not None:
                callback(step, parameters, rule.state)
        cost_avg = cost_total / m
        if print_cost and i % 1000 == 0:
            print(f"Cost after epoch {i}: {cost_avg:f}")
            if decay is not None:
                print(f"learning rate after epoch {i}: {rule.learning_rate:f}")
        if i % record_every == 0:
            costs.append(cost_avg)
    return parameters, costs


def quadratic_bowl(theta, a=1.0, b=20.0):
    """An elongated bowl ``J = (a x^2 + b y^2) / 2`` and its gradient.

    Steep across (y), shallow along (x): plain gradient descent zig-zags across
    the valley and crawls along it, momentum damps the zig-zag, RMSprop and Adam
    rescale each coordinate.

    Parameters
    ----------
    theta : ndarray of shape (2, ...)
        ``theta[0]`` is x, ``theta[1]`` is y; extra axes (a grid) are evaluated element-wise.

    Returns
    -------
    loss : ndarray of shape theta.shape[1:] (a float for a single point)
    grad : ndarray of shape theta.shape
    """
    theta = np.asarray(theta, dtype=float)
    x, y = theta[0], theta[1]
    loss = 0.5 * (a * x ** 2 + b * y ** 2)
    grad = np.stack([a * x, b * y])
    return (float(loss) if np.ndim(loss) == 0 else loss), grad


def optimizer_path(optimizer, theta0=(-4.0, 1.0), num_steps=60, learning_rate=0.05, loss=quadratic_bowl,
                   impl=None, beta=0.9, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """Run one update rule of ``impl`` on a 2-D loss and return the points it visits.

    The point (x, y) is handed to the update rules as ``parameters = {"W1": [[x]], "b1": [[y]]}``
    with ``grads = {"dW1": [[dJ/dx]], "db1": [[dJ/dy]]}``.

    Returns
    -------
    path : ndarray of shape (num_steps + 1, 2)
        The start point, then the point after every step.
    """
    impl = _load_impl(impl)
    parameters = {"W1": np.array([[float(theta0[0])]]), "b1": np.array([[float(theta0[1])]])}
    rule = _Optimizer(impl, optimizer, parameters, learning_rate, beta, beta1, beta2, epsilon)
    path = [(float(theta0[0]), float(theta0[1]))]
    for _ in range(num_steps):
        point = np.array([parameters["W1"][0, 0], parameters["b1"][0, 0]])
        _, grad = loss(point)
        grads = {"dW1": np.array([[grad[0]]]), "db1": np.array([[grad[1]]])}
        parameters = rule.step(parameters, grads)
        path.append((float(np.asarray(parameters["W1"]).reshape(-1)[0]),
                     float(np.asarray(parameters["b1"]).reshape(-1)[0])))
    return np.array(path)


def zero_state(optimizer, parameters):
    """The documented starting state of ``optimizer``: ``{"v": zeros}``, ``{"s": zeros}``, both, or ``{}``."""
    names = {"gd": (), "momentum": ("v",), "rmsprop": ("s",), "adam": ("v", "s")}[optimizer]
    return {name: {"d" + key: np.zeros_like(value, dtype=float) for key, value in parameters.items()}
            for name in names}


class _Recorder:
    """Copies of ``parameters`` and of the optimizer's state after every step, packed for
    transport: ``{quantity: {key: array of shape (steps, *shape)}}`` when every step gave an
    ndarray of one shape for that key, else ``{quantity: [the value of each step]}``."""

    def __init__(self):
        self.records, self.raw = [], None

    def add(self, rule, parameters):
        self.records.append({"parameters": _snapshot(parameters), **_snapshot(rule.state)})

    def result(self):
        trace = {}
        for quantity in (self.records[0] if self.records else {}):
            values = [record.get(quantity) for record in self.records]
            trace[quantity] = _stacked(values)
        out = {"steps": len(self.records), "trace": trace}
        if self.raw is not None:
            out["raw"] = self.raw
        return out


def _stacked(values):
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


def _gradient_steps(grads):
    if isinstance(grads, dict):  # {key: (steps, *shape)}
        steps = len(next(iter(grads.values()))) if grads else 0
        return [{key: value[i] for key, value in grads.items()} for i in range(steps)]
    return list(grads)


def update_trajectory(optimizer, parameters, grads, learning_rate, beta=0.9, beta1=0.9,
                      beta2=0.999, epsilon=1e-8, state=None, impl=None):
    """Apply one update rule of ``impl`` to a fixed sequence of gradients, recording every step.

    Parameters
    ----------
    optimizer : {"gd", "momentum", "rmsprop", "adam"}
    parameters : dict
        The starting point ``W1, b1, ...``.
    grads : list of dict, or dict of ndarray
        The gradients ``dW1, db1, ...`` of step 1, 2, ..., either as a list of dicts or
        stacked, ``{"dW1": array of shape (steps, n_1, n_0), ...}``. Adam's t runs 1, 2, ...
    state : dict or None
        Starting state, e.g. ``zero_state(optimizer, parameters)``; None uses ``impl``'s initialisers.

    Returns
    -------
    trajectory : dict
        ``{"steps": number of steps done, "trace": {quantity: ...}}`` with the quantities
        ``parameters``, ``v``, ``s``, ``v_corrected``, ``s_corrected`` the rule has, each
        ``{key: array of shape (steps, *shape)}`` (or a list of per-step values when they do
        not stack). When the rule returned something other than its documented tuple, the
        recording stops and ``"raw"`` holds what it returned.
    """
    impl = _load_impl(impl)
    rule = _Optimizer(impl, optimizer, parameters, learning_rate, beta, beta1, beta2, epsilon, state)
    recorder = _Recorder()
    for step_grads in _gradient_steps(grads):
        try:
            parameters = rule.step(parameters, step_grads)
        except OutputError as error:
            recorder.raw = _snapshot(error.raw)
            break
        recorder.add(rule, parameters)
    return recorder.result()


def training_trajectory(layers_dims, optimizer, batches, learning_rate=0.01, beta=0.9, beta1=0.9, beta2=0.999,
                        epsilon=1e-8, impl=None):
    """Training steps of ``impl``'s update rule on given mini-batches, recorded as
    ``update_trajectory`` does: the He start of ``initialize_parameters(layers_dims)``, the
    state from ``zero_state``, then for each ``(X_batch, Y_batch)`` of ``batches`` a forward
    pass, a backward pass and one update."""
    impl = _load_impl(impl)
    parameters = initialize_parameters(layers_dims)
    rule = _Optimizer(impl, optimizer, parameters, learning_rate, beta, beta1, beta2, epsilon,
                      state=zero_state(optimizer, parameters))
    recorder = _Recorder()
    for X_batch, Y_batch in batches:
        _, cache = forward_propagation(X_batch, parameters)
        grads = backward_propagation(X_batch, Y_batch, cache)
        try:
            parameters = rule.step(parameters, grads)
        except OutputError as error:
            recorder.raw = _snapshot(error.raw)
            break
        recorder.add(rule, parameters)
    return recorder.result()
