"""The provided training loop of the ``initialization`` assignment.

``model`` initialises a ``[2, 10, 5, 1]`` network with one of the student's functions and trains it
by full-batch gradient descent with the shared ``nn_utils`` network. ``train`` is the same loop
from given initial parameters (no student code at all), so a grader can train from a student's
initial parameters in its own process.
"""

import importlib

from nn_utils import backward_propagation, compute_cost, forward_propagation, update_parameters

INITIALIZERS = {
    "zeros": "initialize_parameters_zeros",
    "random": "initialize_parameters_random",
    "he": "initialize_parameters_he",
}


def train(X, Y, parameters, learning_rate, num_iterations, record_every=1000, print_cost=False):
    """Full-batch gradient descent from ``parameters``.

    Parameters
    ----------
    X : ndarray of shape (n_0, m)
    Y : ndarray of shape (1, m)
    parameters : dict
        Initial ``W1, b1, ..., WL, bL`` (not modified).
    learning_rate : float
    num_iterations : int
    record_every : int, default 1000
        The cost of iteration ``i`` is recorded when ``i % record_every == 0``.
    print_cost : bool, default False

    Returns
    -------
    parameters : dict
        The trained parameters.
    costs : list of float
        The recorded costs (before the update of that iteration).
    """
    costs = []
    for i in range(num_iterations):
        AL, cache = forward_propagation(X, parameters)
        if i % record_every == 0:
            cost = compute_cost(AL, Y)
            costs.append(cost)
            if print_cost:
                print(f"Cost after iteration {i}: {cost}")
        grads = backward_propagation(X, Y, cache)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs


def model(X, Y, learning_rate=0.01, num_iterations=15000, print_cost=True, initialization="he",
          impl=None, layers_dims=(2, 10, 5, 1)):
    """Initialise with the student's function, then train.

    Parameters
    ----------
    X : ndarray of shape (2, m)
    Y : ndarray of shape (1, m)
    learning_rate : float, default 0.01
    num_iterations : int, default 15000
    print_cost : bool, default True
        Print the cost every 1000 iterations.
    initialization : {"zeros", "random", "he"}, default "he"
    impl : module or namespace, optional
        Holds ``initialize_parameters_zeros/random/he``; ``None`` imports the module ``initialization``.
    layers_dims : sequence of int, default (2, 10, 5, 1)

    Returns
    -------
    parameters : dict
    costs : list of float
        The cost every 1000 iterations.
    """
    if initialization not in INITIALIZERS:
        raise ValueError(f"initialization must be one of {sorted(INITIALIZERS)}, got {initialization!r}")
    if impl is None:
        impl = importlib.import_module("initialization")
    parameters = getattr(impl, INITIALIZERS[initialization])(list(layers_dims))
    return train(X, Y, parameters, learning_rate, num_iterations, print_cost=print_cost)
