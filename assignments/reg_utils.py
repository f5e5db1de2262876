"""The provided training loop of the ``regularization`` assignment.

``model`` trains the shared ``nn_utils`` network (He initialisation) by full-batch gradient descent,
using the student's functions for whatever is switched on:

- ``lambd > 0``: the cost is ``compute_cost_with_regularization``; without dropout the gradients come
  from ``backward_propagation_with_regularization``;
- ``keep_prob < 1``: ``forward_propagation_with_dropout`` with a fresh mask every iteration (each
  iteration gets its own seed, drawn from one generator seeded with ``seed``, so a run is
  reproducible) and ``backward_propagation_with_dropout(..., lambd)``, so L2 and dropout combine.
"""

import importlib

import numpy as np

from nn_utils import (backward_propagation, compute_cost, forward_propagation, initialize_parameters,
                      update_parameters)


def model(X, Y, learning_rate=0.3, num_iterations=30000, print_cost=True, lambd=0.0, keep_prob=1.0,
          impl=None, layers_dims=(2, 20, 3, 1), seed=3, record_every=1000):
    """Train with L2 and/or dropout.

    Parameters
    ----------
    X : ndarray of shape (2, m)
    Y : ndarray of shape (1, m)
    learning_rate : float, default 0.3
    num_iterations : int, default 30000
    print_cost : bool, default True
        Print the cost every 10000 iterations.
    lambd : float, default 0.0
        L2 strength; 0 switches L2 off.
    keep_prob : float, default 1.0
        Dropout keep probability; 1 switches dropout off.
    impl : module or namespace, optional
        Holds the four graded functions; ``None`` imports the module ``regularization``.
    layers_dims : sequence of int, default (2, 20, 3, 1)
    seed : int, default 3
        Seeds the initialisation and the stream of dropout seeds.
    record_every : int, default 1000
        Record the cost of every ``record_every``-th iteration.

    Returns
    -------
    parameters : dict
    costs : list of float
        The cost every ``record_every`` iterations (with dropout on, the cost of that iteration's thinned
        network).
    """
    if impl is None and (lambd > 0 or keep_prob < 1):
        impl = importlib.import_module("regularization")
    parameters = initialize_parameters(list(layers_dims), seed=seed)
    mask_seeds = np.random.default_rng(seed)
    costs = []
    for i in range(num_iterations):
        if keep_prob < 1:
            AL, cache = impl.forward_propagation_with_dropout(
                X, parameters, keep_prob, seed=int(mask_seeds.integers(2**63)))
        else:
            AL, cache = forward_propagation(X, parameters)
        if i % record_every == 0:
            cost = impl.compute_cost_with_regularization(AL, Y, parameters, lambd) if lambd > 0 \
                else compute_cost(AL, Y)
            costs.append(cost)
            if print_cost and i % 10000 < record_every:
                print(f"Cost after iteration {i}: {cost}")
        if keep_prob < 1:
            grads = impl.backward_propagation_with_dropout(X, Y, cache, keep_prob, lambd)
        elif lambd > 0:
            grads = impl.backward_propagation_with_regularization(X, Y, cache, lambd)
        else:
            grads = backward_propagation(X, Y, cache)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs
