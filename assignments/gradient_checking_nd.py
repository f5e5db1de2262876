"""Gradient checking in N dimensions: find out *which* gradient is wrong.

You are helping a payments company whose fraud-detection network (4-5-3-1,
LINEAR->RELU->LINEAR->RELU->LINEAR->SIGMOID) is trained with a hand-written
``backward_propagation_n``. Nobody trusts it. Your job:

1. ``dictionary_to_vector``, ``vector_to_dictionary`` and ``gradients_to_vector``:
   lay all parameters (or all gradients) out in one column vector theta.
2. ``gradient_check_n``: the centred-difference numerical gradient of the cost
   ``J(theta)`` (from the provided ``gc_utils.forward_propagation_n``), compared
   with backpropagation's gradient by the relative difference.
3. ``find_wrong_gradients``: the same comparison block by block, returning the
   names of the wrong blocks (``"W2"``, ``"b1"``, ...).
4. ``backward_propagation_n`` below is NOT a stub: it is a complete, working-looking
   implementation that contains TWO PLANTED BUGS. Run your ``gradient_check_n``
   on it (a difference around 0.3 instead of about 1e-9), let your
   ``find_wrong_gradients`` name the wrong blocks, read those lines, fix them,
   and check again. The fixed version is graded.

Layout of the vector (shared by every function here): the blocks
``W1, b1, W2, b2, ..., WL, bL`` one after the other, each block flattened
row-major (C order, ``W.reshape(-1)``), the whole thing of shape ``(n, 1)``.
Gradients use the same layout with the keys ``dW1, db1, ..., dWL, dbL``.

The threshold for N dimensions is 2e-7: below it the gradients agree.
Everything must work for any depth, not only 4-5-3-1.

Gradient checking is slow (two forward passes per parameter): use it to debug
backpropagation, never inside training. It does not work with dropout on: check
with keep_prob = 1, then turn dropout on.

Try it with ``X, Y, parameters = gc_utils.gradient_check_n_test_case()``.
"""

import numpy as np

from gc_utils import forward_propagation_n


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
    raise NotImplementedError("dictionary_to_vector: your code here (see the docstring)")


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
    raise NotImplementedError("vector_to_dictionary: your code here (see the docstring)")


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
    raise NotImplementedError("gradients_to_vector: your code here (see the docstring)")


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
    L = sum(1 for key in cache if key.startswith("W"))
    gradients = {}

    # output layer L: sigmoid and cross-entropy together give dZL = AL - Y
    dZ = cache[f"A{L}"] - Y
    gradients[f"dZ{L}"] = dZ
    gradients[f"dW{L}"] = 2.0 / m * np.dot(dZ, cache[f"A{L - 1}"].T)
    gradients[f"db{L}"] = 1.0 / m * np.sum(dZ, axis=1, keepdims=True)

    # hidden layers L-1, ..., 2: ReLU
    for l in range(L - 1, 1, -1):
        dA = np.dot(cache[f"W{l + 1}"].T, dZ)
        dZ = dA * (cache[f"Z{l}"] > 0)
        gradients[f"dA{l}"] = dA
        gradients[f"dZ{l}"] = dZ
        gradients[f"dW{l}"] = 1.0 / m * np.dot(dZ, cache[f"A{l - 1}"].T)
        gradients[f"db{l}"] = 1.0 / m * np.sum(dZ, axis=1, keepdims=True)

    # first layer: ReLU, its input is X
    dA1 = np.dot(cache["W2"].T, dZ)
    dZ1 = dA1 * (cache["Z1"] > 0)
    gradients["dA1"] = dA1
    gradients["dZ1"] = dZ1
    gradients["dW1"] = 1.0 / m * np.dot(dZ1, X.T)
    gradients["db1"] = 4.0 / m * np.sum(dZ1, axis=1, keepdims=True)

    return gradients


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
    raise NotImplementedError("gradient_check_n: your code here (see the docstring)")


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
    raise NotImplementedError("find_wrong_gradients: your code here (see the docstring)")
