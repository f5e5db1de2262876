"""Gradient checking in N dimensions -- reference solution.

All parameters of a network are laid out in one column vector theta, the
numerical gradient of J(theta) is taken one coordinate at a time with a centred
difference, and it is compared with the gradient of backpropagation by the
relative difference. ``find_wrong_gradients`` makes the same comparison block by
block, so it can say *which* gradient is wrong.

Layout of the vector (shared by every function here): the blocks
``W1, b1, W2, b2, ..., WL, bL`` one after the other, each block flattened
row-major (C order, ``W.reshape(-1)``), the whole thing of shape ``(n, 1)``.
Gradients use the same layout with the keys ``dW1, db1, ..., dWL, dbL``.
"""

import numpy as np
from gc_utils import forward_propagation_n


def _num_layers(parameters):
    return sum(1 for key in parameters if key.startswith("W"))


def _relative_difference(grad, gradapprox):
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    return 0.0 if denominator == 0 else float(numerator / denominator)


def dictionary_to_vector(parameters):
    """Lay out all parameters of a network in one column vector.

    Parameters
    ----------
    parameters : dict
        ``W1, b1, ..., WL, bL``; ``Wl`` of shape (n_l, n_{l-1}), ``bl`` of shape (n_l, 1).

    Returns
    -------
    theta : ndarray of shape (n, 1)
        n is the total number of parameters.

    Notes
    -----
    The blocks come in the order ``W1, b1, W2, b2, ..., WL, bL`` (each W followed
    by its own b), and each block is flattened row-major (C order): ``W1[0, 0],
    W1[0, 1], ..., W1[0, n_0 - 1], W1[1, 0], ...``, as ``W1.reshape(-1)`` does.
    Works for any depth L >= 1; keys other than ``Wl``/``bl`` are not expected.
    """
    L = _num_layers(parameters)
    blocks = []
    for l in range(1, L + 1):
        blocks.append(np.asarray(parameters[f"W{l}"], dtype=float).reshape(-1))
        blocks.append(np.asarray(parameters[f"b{l}"], dtype=float).reshape(-1))
    return np.concatenate(blocks).reshape(-1, 1)


def vector_to_dictionary(theta, layers_dims):
    """Rebuild the parameters dict from its vector: the exact inverse of ``dictionary_to_vector``.

    Parameters
    ----------
    theta : ndarray of shape (n, 1)
        Laid out as ``dictionary_to_vector`` does it.
    layers_dims : list of int
        ``[n_0, n_1, ..., n_L]``; n must equal ``sum_l n_l * (n_{l-1} + 1)``.

    Returns
    -------
    parameters : dict
        ``W1, b1, ..., WL, bL``; ``Wl`` of shape (n_l, n_{l-1}), ``bl`` of shape (n_l, 1).

    Notes
    -----
    Reads the blocks in the order ``W1, b1, ..., WL, bL``, each row-major (C order),
    so ``vector_to_dictionary(dictionary_to_vector(p), layers_dims)`` equals ``p``
    exactly and ``dictionary_to_vector(vector_to_dictionary(theta, layers_dims))``
    equals ``theta``.
    """
    flat = np.asarray(theta, dtype=float).reshape(-1)
    parameters = {}
    start = 0
    for l in range(1, len(layers_dims)):
        n, n_prev = layers_dims[l], layers_dims[l - 1]
        parameters[f"W{l}"] = flat[start : start + n * n_prev].reshape(n, n_prev).copy()
        start += n * n_prev
        parameters[f"b{l}"] = flat[start : start + n].reshape(n, 1).copy()
        start += n
    return parameters


def gradients_to_vector(gradients):
    """Lay out the gradients in one column vector, in the layout of ``dictionary_to_vector``.

    Parameters
    ----------
    gradients : dict
        ``dW1, db1, ..., dWL, dbL`` (shapes of ``W1, b1, ...``); other keys such
        as ``dZ2`` or ``dA1`` may be present.

    Returns
    -------
    vector : ndarray of shape (n, 1)

    Notes
    -----
    Blocks ``dW1, db1, dW2, db2, ..., dWL, dbL``, each flattened row-major (C order).
    Keys other than ``dWl``/``dbl`` (``dZl``, ``dAl``, ...) are ignored: they are not
    parameters and must not end up in the vector.
    """
    L = sum(1 for key in gradients if key.startswith("dW"))
    blocks = []
    for l in range(1, L + 1):
        blocks.append(np.asarray(gradients[f"dW{l}"], dtype=float).reshape(-1))
        blocks.append(np.asarray(gradients[f"db{l}"], dtype=float).reshape(-1))
    return np.concatenate(blocks).reshape(-1, 1)


def backward_propagation_n(X, Y, cache):
    """Backpropagation for a LINEAR->RELU->...->LINEAR->SIGMOID network with cross-entropy cost.

    Warning: the copy of this function handed out in the assignment stub contains
    two planted bugs. Find them with your own ``gradient_check_n`` and
    ``find_wrong_gradients`` (they tell you which blocks are wrong), then fix them.

    Parameters
    ----------
    X : ndarray of shape (n_0, m)
        Input data, one example per column.
    Y : ndarray of shape (1, m)
        Labels, 0 or 1.
    cache : dict
        From ``gc_utils.forward_propagation_n``: ``Zl, Al, Wl, bl`` for l = 1..L.

    Returns
    -------
    gradients : dict
        ``dWl`` of shape (n_l, n_{l-1}) and ``dbl`` of shape (n_l, 1) for every layer;
        ``dZl`` and ``dAl`` may be included as well.

    Notes
    -----
    With J the mean cross-entropy over the m examples and A0 = X::

        dZL = AL - Y
        dWl = (1/m) dZl A{l-1}^T          dbl = (1/m) sum_over_examples dZl
        dA{l-1} = Wl^T dZl                dZ{l-1} = dA{l-1} * (Z{l-1} > 0)
    """
    m = X.shape[1]
    L = _num_layers(cache)
    gradients = {}
    dZ = cache[f"A{L}"] - Y
    for l in range(L, 0, -1):
        A_prev = X if l == 1 else cache[f"A{l - 1}"]
        gradients[f"dZ{l}"] = dZ
        gradients[f"dW{l}"] = (1.0 / m) * dZ @ A_prev.T
        gradients[f"db{l}"] = (1.0 / m) * np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            dA_prev = cache[f"W{l}"].T @ dZ
            gradients[f"dA{l - 1}"] = dA_prev
            dZ = dA_prev * (cache[f"Z{l - 1}"] > 0)
    return gradients


def _numerical_gradient(parameters, X, Y, epsilon):
    theta = dictionary_to_vector(parameters)
    layers_dims = [parameters["W1"].shape[1]]
    layers_dims += [parameters[f"W{l}"].shape[0] for l in range(1, _num_layers(parameters) + 1)]
    gradapprox = np.zeros_like(theta)
    for i in range(theta.shape[0]):
        theta_plus = theta.copy()
        theta_plus[i, 0] += epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus, layers_dims))
        theta_minus = theta.copy()
        theta_minus[i, 0] -= epsilon
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus, layers_dims))
        gradapprox[i, 0] = (J_plus - J_minus) / (2 * epsilon)
    return gradapprox


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):
    """Compare backpropagation's gradients with the numerical gradient of the cost.

    Parameters
    ----------
    parameters : dict
        ``W1, b1, ..., WL, bL``.
    gradients : dict
        ``dW1, db1, ..., dWL, dbL`` to check (other keys are ignored).
    X : ndarray of shape (n_0, m)
    Y : ndarray of shape (1, m)
    epsilon : float
        Shift of the centred difference.

    Returns
    -------
    difference : float
        The relative difference between the two gradients, over all parameters.

    Notes
    -----
    With theta = ``dictionary_to_vector(parameters)`` and J the cost of
    ``gc_utils.forward_propagation_n``, for every coordinate i (centred, two-sided)::

        gradapprox[i] = (J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps)

    and with grad = ``gradients_to_vector(gradients)`` (same layout)::

        difference = ||grad - gradapprox||_2 / (||grad||_2 + ||gradapprox||_2)

    (0 when both norms are 0). A difference above 2e-7 means a gradient is wrong.
    """
    grad = gradients_to_vector(gradients)
    gradapprox = _numerical_gradient(parameters, X, Y, epsilon)
    return _relative_difference(grad, gradapprox)


def find_wrong_gradients(parameters, gradients, X, Y, epsilon=1e-7, threshold=2e-7):
    """Name the parameter blocks whose gradient disagrees with the numerical one.

    Parameters
    ----------
    parameters : dict
        ``W1, b1, ..., WL, bL``.
    gradients : dict
        ``dW1, db1, ..., dWL, dbL`` to check (other keys are ignored).
    X : ndarray of shape (n_0, m)
    Y : ndarray of shape (1, m)
    epsilon : float
        Shift of the centred difference.
    threshold : float
        A block whose relative difference exceeds this is wrong.

    Returns
    -------
    wrong : list of str
        Parameter names such as ``"W2"``, ``"b1"`` in layout order
        (``W1, b1, W2, b2, ...``); empty when every block is right.

    Notes
    -----
    The numerical gradient is the centred difference of ``gradient_check_n``.
    Each block (``W1``, ``b1``, ...) is judged on its own: with g and ĝ that
    block's part of the two gradients,
    ``||g - ĝ||_2 / (||g||_2 + ||ĝ||_2)`` (0 when both norms are 0), and the
    block is wrong when this is strictly greater than ``threshold`` (2e-7 by
    default). One global difference would not say which block is wrong, and a
    large correct block would hide a small wrong one.
    """
    grad = gradients_to_vector(gradients).reshape(-1)
    gradapprox = _numerical_gradient(parameters, X, Y, epsilon).reshape(-1)
    wrong = []
    start = 0
    for l in range(1, _num_layers(parameters) + 1):
        for name in (f"W{l}", f"b{l}"):
            size = parameters[name].size
            block = slice(start, start + size)
            if _relative_difference(grad[block], gradapprox[block]) > threshold:
                wrong.append(name)
            start += size
    return wrong
