"""The stub's backward_propagation_n as shipped, both planted bugs still in.

loses: backward_propagation_n :: the gradients of the fraud network (4-5-3-1), planted bugs fixed
loses: backward_propagation_n :: the gradients of drawn networks of depth 2 to 4
message: times the correct gradient everywhere
"""


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
