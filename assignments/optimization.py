"""Optimization algorithms: mini-batches, momentum, RMSprop, Adam, learning-rate decay.

So far every network was trained with plain full-batch gradient descent. Here
you write the pieces of a faster training loop; the loop itself is provided
(``opt_utils.model``) and calls your functions, so you can train on the moons
data set and compare gd, momentum, RMSprop and Adam (``optimizer="gd"`` ...).

The contract every update rule shares: it takes ``parameters`` (``W1, b1, ...,
WL, bL``), ``grads`` (``dW1, db1, ..., dWL, dbL``; other keys ignored) and its
own state dicts (``v``, ``s``, keyed ``dW1, db1, ...`` like the gradients), and
returns the *new* parameters and the *new* state as dicts (they are graded as
return values; whether the inputs are also changed in place does not matter).
Each rule updates every ``Wl`` and every ``bl``, l = 1..L, with the same formula.

Momentum, RMSprop and Adam are written in several ways across textbooks; the
``Notes`` section of each docstring says exactly which one is graded.
Randomness: ``random_mini_batches`` draws from ``np.random.default_rng(seed)``.

Try it::

    from data_utils import load_moons
    from opt_utils import model
    train_X, train_Y = load_moons()
    parameters, costs = model(train_X, train_Y, [2, 5, 2, 1], optimizer="adam")

Every body below raises ``NotImplementedError``; replace it with your code.
"""

import math

import numpy as np


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
    raise NotImplementedError("update_parameters_with_gd: your code here (see the docstring)")


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
    raise NotImplementedError("random_mini_batches: your code here (see the docstring)")


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
    raise NotImplementedError("initialize_velocity: your code here (see the docstring)")


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
    raise NotImplementedError("update_parameters_with_momentum: your code here (see the docstring)")


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
    raise NotImplementedError("initialize_rmsprop: your code here (see the docstring)")


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
    raise NotImplementedError("update_parameters_with_rmsprop: your code here (see the docstring)")


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
    raise NotImplementedError("initialize_adam: your code here (see the docstring)")


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                beta1=0.9, beta2=0.999, epsilon=1e-8):
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
    raise NotImplementedError("update_parameters_with_adam: your code here (see the docstring)")


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
    raise NotImplementedError("update_lr: your code here (see the docstring)")


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
    raise NotImplementedError("schedule_lr_decay: your code here (see the docstring)")
