"""Optimization algorithms -- reference solution.

Every update rule has the same interface: it takes ``parameters`` (``W1, b1, ...,
WL, bL``), ``grads`` (``dW1, db1, ..., dWL, dbL``; other keys ignored) and its
own state dicts (``v``, ``s``, keyed ``dW1, db1, ...`` like the gradients), and
returns the *new* parameters and the *new* state as dicts (they are graded as
return values; whether the inputs are also changed in place does not matter).
Each rule updates every ``Wl`` and every ``bl``, l = 1..L, with the same formula.
"""

import math

import numpy as np


def _num_layers(parameters):
    return sum(1 for key in parameters if key.startswith("W"))


def _names(parameters):
    L = _num_layers(parameters)
    return [name for l in range(1, L + 1) for name in (f"W{l}", f"b{l}")]


def update_parameters_with_gd(parameters, grads, learning_rate):
    """One step of (mini-batch) gradient descent.

    Parameters
    ----------
    parameters : dict
        ``Wl`` of shape (n_l, n_{l-1}) and ``bl`` of shape (n_l, 1), l = 1..L.
    grads : dict
        ``dWl``, ``dbl`` of the same shapes.
    learning_rate : float

    Returns
    -------
    parameters : dict
        The updated parameters.

    Notes
    -----
    For every ``Wl`` and every ``bl``: ``W = W - learning_rate * dW``.
    """
    return {name: parameters[name] - learning_rate * grads["d" + name] for name in _names(parameters)}


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """Shuffle the examples and cut them into mini-batches.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
        One example per column.
    Y : ndarray of shape (n_y, m)
        Labels of the same examples (any number of rows, usually 1).
    mini_batch_size : int
        Number of examples in a full mini-batch.
    seed : int
        Seed of ``np.random.default_rng``.

    Returns
    -------
    mini_batches : list of tuple (X_batch, Y_batch)
        ``X_batch`` of shape (n_x, size), ``Y_batch`` of shape (n_y, size).

    Notes
    -----
    Draw ONE permutation of the m columns from ``np.random.default_rng(seed)``
    (for instance ``rng.permutation(m)``) and apply it to X and Y alike, so each
    label stays with its example. Then cut the shuffled columns in order:
    ``floor(m / mini_batch_size)`` full batches of ``mini_batch_size`` columns
    first, then, when ``m % mini_batch_size`` is not 0, one last smaller batch
    with the remaining columns. Every example appears in exactly one batch, and
    the same seed gives the same batches.
    """
    m = X.shape[1]
    permutation = np.random.default_rng(seed).permutation(m)
    X_shuffled, Y_shuffled = X[:, permutation], Y[:, permutation]
    return [
        (X_shuffled[:, k : k + mini_batch_size], Y_shuffled[:, k : k + mini_batch_size])
        for k in range(0, m, mini_batch_size)
    ]


def initialize_velocity(parameters):
    """Momentum's velocity, all zeros.

    Parameters
    ----------
    parameters : dict
        ``W1, b1, ..., WL, bL``.

    Returns
    -------
    v : dict
        ``dW1, db1, ..., dWL, dbL``: zeros of the shapes of ``W1, b1, ...``.

    Notes
    -----
    ``v["dWl"] = zeros(Wl.shape)``, ``v["dbl"] = zeros(bl.shape)`` for l = 1..L: the
    velocity is keyed like the gradients, not like the parameters.
    """
    return {"d" + name: np.zeros_like(parameters[name], dtype=float) for name in _names(parameters)}


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """One step of gradient descent with momentum.

    Parameters
    ----------
    parameters : dict
        ``W1, b1, ..., WL, bL``.
    grads : dict
        ``dW1, db1, ..., dWL, dbL``.
    v : dict
        Velocity ``dW1, db1, ...`` from the previous step (zeros at first).
    beta : float
        Momentum, e.g. 0.9.
    learning_rate : float

    Returns
    -------
    parameters : dict
        The updated parameters.
    v : dict
        The updated velocity.

    Notes
    -----
    For every block (g the gradient, e.g. ``dW1``)::

        v = beta * v + (1 - beta) * g        # exponentially weighted average
        W = W - learning_rate * v            # step along v, not along g
    """
    new_parameters, new_v = {}, {}
    for name in _names(parameters):
        key = "d" + name
        new_v[key] = beta * v[key] + (1 - beta) * grads[key]
        new_parameters[name] = parameters[name] - learning_rate * new_v[key]
    return new_parameters, new_v


def initialize_rmsprop(parameters):
    """RMSprop's moving average of squared gradients, all zeros.

    Parameters
    ----------
    parameters : dict
        ``W1, b1, ..., WL, bL``.

    Returns
    -------
    s : dict
        ``dW1, db1, ..., dWL, dbL``: zeros of the shapes of ``W1, b1, ...``.

    Notes
    -----
    ``s["dWl"] = zeros(Wl.shape)``, ``s["dbl"] = zeros(bl.shape)`` for l = 1..L: keyed like
    the gradients, not like the parameters.
    """
    return {"d" + name: np.zeros_like(parameters[name], dtype=float) for name in _names(parameters)}


def update_parameters_with_rmsprop(parameters, grads, s, beta=0.9, learning_rate=0.01, epsilon=1e-8):
    """One step of RMSprop.

    Parameters
    ----------
    parameters : dict
        ``W1, b1, ..., WL, bL``.
    grads : dict
        ``dW1, db1, ..., dWL, dbL``.
    s : dict
        Moving average of squared gradients ``dW1, db1, ...`` (zeros at first).
    beta : float
        Decay of the moving average.
    learning_rate : float
    epsilon : float
        Keeps the division away from zero.

    Returns
    -------
    parameters : dict
        The updated parameters.
    s : dict
        The updated moving average.

    Notes
    -----
    For every block (g the gradient, squared element-wise)::

        s = beta * s + (1 - beta) * g**2
        W = W - learning_rate * g / (sqrt(s) + epsilon)

    epsilon is added after the square root, not inside it. No bias correction.
    """
    new_parameters, new_s = {}, {}
    for name in _names(parameters):
        key = "d" + name
        g = grads[key]
        new_s[key] = beta * s[key] + (1 - beta) * g**2
        new_parameters[name] = parameters[name] - learning_rate * g / (np.sqrt(new_s[key]) + epsilon)
    return new_parameters, new_s


def initialize_adam(parameters):
    """Adam's two moving averages, all zeros.

    Parameters
    ----------
    parameters : dict
        ``W1, b1, ..., WL, bL``.

    Returns
    -------
    v : dict
        First moment ``dW1, db1, ..., dWL, dbL``: zeros of the shapes of ``W1, b1, ...``.
    s : dict
        Second moment, the same keys and shapes, zeros.

    Notes
    -----
    Both are keyed like the gradients: ``v["dWl"] = s["dWl"] = zeros(Wl.shape)``,
    ``v["dbl"] = s["dbl"] = zeros(bl.shape)``; two separate dicts (not the same object twice).
    """
    v = {"d" + name: np.zeros_like(parameters[name], dtype=float) for name in _names(parameters)}
    s = {"d" + name: np.zeros_like(parameters[name], dtype=float) for name in _names(parameters)}
    return v, s


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """One step of Adam.

    Parameters
    ----------
    parameters : dict
        ``W1, b1, ..., WL, bL``.
    grads : dict
        ``dW1, db1, ..., dWL, dbL``.
    v : dict
        First moment ``dW1, db1, ...`` from the previous step (zeros at first).
    s : dict
        Second moment ``dW1, db1, ...`` from the previous step (zeros at first).
    t : int
        Number of this Adam step, counting from 1 (the first call has t = 1).
    learning_rate : float
    beta1 : float
        Decay of the first moment.
    beta2 : float
        Decay of the second moment.
    epsilon : float
        Keeps the division away from zero.

    Returns
    -------
    parameters : dict
        The updated parameters.
    v : dict
        The updated first moment (not bias-corrected).
    s : dict
        The updated second moment (not bias-corrected).
    v_corrected : dict
        ``dW1, db1, ...``: the bias-corrected first moment of this step.
    s_corrected : dict
        ``dW1, db1, ...``: the bias-corrected second moment of this step.

    Notes
    -----
    For every block (g the gradient, squared element-wise)::

        v = beta1 * v + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g**2
        v_corrected = v / (1 - beta1**t)
        s_corrected = s / (1 - beta2**t)
        W = W - learning_rate * v_corrected / (sqrt(s_corrected) + epsilon)

    t counts Adam steps from 1, so at the first step the corrections divide by
    ``1 - beta1`` and ``1 - beta2``. epsilon is added after the square root.
    """
    new_parameters, new_v, new_s, v_corrected, s_corrected = {}, {}, {}, {}, {}
    for name in _names(parameters):
        key = "d" + name
        g = grads[key]
        new_v[key] = beta1 * v[key] + (1 - beta1) * g
        new_s[key] = beta2 * s[key] + (1 - beta2) * g**2
        v_corrected[key] = new_v[key] / (1 - beta1**t)
        s_corrected[key] = new_s[key] / (1 - beta2**t)
        new_parameters[name] = parameters[name] - learning_rate * v_corrected[key] / (
            np.sqrt(s_corrected[key]) + epsilon
        )
    return new_parameters, new_v, new_s, v_corrected, s_corrected


def update_lr(learning_rate0, epoch_num, decay_rate):
    """Inverse-time learning-rate decay, applied every epoch.

    Parameters
    ----------
    learning_rate0 : float
        Initial learning rate.
    epoch_num : int
        Epoch number, from 0.
    decay_rate : float

    Returns
    -------
    learning_rate : float

    Notes
    -----
    ``learning_rate = learning_rate0 / (1 + decay_rate * epoch_num)`` -- inverse-time
    decay (not exponential: no ``decay_rate ** epoch_num``, no ``exp``).
    """
    return learning_rate0 / (1 + decay_rate * epoch_num)


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    """Inverse-time learning-rate decay in steps, once every ``time_interval`` epochs.

    Parameters
    ----------
    learning_rate0 : float
        Initial learning rate.
    epoch_num : int
        Epoch number, from 0.
    decay_rate : float
    time_interval : int
        Number of epochs between two decreases.

    Returns
    -------
    learning_rate : float

    Notes
    -----
    ``learning_rate = learning_rate0 / (1 + decay_rate * floor(epoch_num / time_interval))``;
    the rate stays constant for ``time_interval`` epochs, then drops.
    """
    return learning_rate0 / (1 + decay_rate * math.floor(epoch_num / time_interval))
