"""The grader's own models, hidden from students: a centred numeric gradient, full-batch
training of many small networks at once, the cross-entropy and L2 cost, and comparing a
student's gradients with the numeric ones. Written here, independent of any solution.
"""

import numpy as np

from grader.checkapi.memo import memoize
from grader.checkapi.networks import bars_figure
from grader.checkapi.support import expect_array, expect_dict, fail
from grader.checkapi.toynets import forward_many

NUMERIC_TOLERANCE = 1e-6  # per-block relative difference; float64 centred differences give ~1e-9


def numeric_gradient(cost, parameters, eps=1e-6):
    """Centred differences ``(J(theta + eps) - J(theta - eps)) / (2 eps)`` of ``cost(parameters)``,
    keyed ``dW1, db1, ...``; knows nothing of any backward pass."""
    grads = {}
    for key, value in parameters.items():
        g = np.zeros_like(value, dtype=np.float64)
        for index in np.ndindex(value.shape):
            shifted = value.astype(np.float64)
            shifted[index] = value[index] + eps
            plus = cost({**parameters, key: shifted})
            shifted[index] = value[index] - eps
            minus = cost({**parameters, key: shifted.copy()})
            g[index] = (plus - minus) / (2 * eps)
        grads["d" + key] = g
    return grads


def numeric_gradient_many(costs, parameters, eps=1e-6):
    """``numeric_gradient(cost, parameters, eps)``, the same numbers, with every shifted set of
    parameters costed at once: ``costs(stacked)`` takes ``{key: array of shape (B, *shape)}``, the
    B sets in ``numeric_gradient``'s order (each key, each entry in C order, ``+eps`` then
    ``-eps``), and returns the B costs as floats, each the one ``cost`` gives for that set.

    The sets are C-contiguous float64 slices of the stacks, as ``numeric_gradient``'s are arrays of
    their own, so ``costs`` can do each set's arithmetic on its slice (``regularized_costs``).
    Parameters of another type or layout are differentiated by ``numeric_gradient``, each set as a
    stack of one."""
    if not all(type(v) is np.ndarray and v.dtype == np.float64 and v.flags.c_contiguous for v in parameters.values()):
        return numeric_gradient(lambda p: costs({k: np.asarray(v)[None] for k, v in p.items()})[0], parameters, eps)
    sizes = {key: value.size for key, value in parameters.items()}
    count = 2 * sum(sizes.values())
    stacked, offsets, offset = {}, {}, 0
    for key, value in parameters.items():
        stack = np.ascontiguousarray(np.broadcast_to(value, (count, *value.shape)))
        rows, entries = stack.reshape(count, -1), np.arange(sizes[key])
        rows[offset + 2 * entries, entries] = value.reshape(-1) + eps
        rows[offset + 2 * entries + 1, entries] = value.reshape(-1) - eps
        stacked[key], offsets[key] = stack, offset
        offset += 2 * sizes[key]
    values = costs(stacked)
    grads = {}
    for key, value in parameters.items():
        g = np.zeros_like(value, dtype=np.float64)
        flat, first = g.reshape(-1), offsets[key]
        for i in range(sizes[key]):
            flat[i] = (values[first + 2 * i] - values[first + 2 * i + 1]) / (2 * eps)
        grads["d" + key] = g
    return grads


def nondegenerate(numeric, floor=1e-3):
    """Every block of a numeric gradient has a norm above ``floor``: a block that is (nearly)
    zero, such as the bias of a dead unit, makes the relative difference pure noise."""
    return all(float(np.linalg.norm(block)) > floor for block in numeric.values())


def relative_difference(a, b):
    """``||a - b|| / (||a|| + ||b||)``, 0 when both are 0."""
    den = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / den) if den else 0.0


def block_differences(grads, numeric):
    """{"dW1": relative difference, ...} in layout order, for the blocks of ``numeric``."""
    return {key: relative_difference(np.asarray(grads[key], dtype=np.float64), numeric[key]) for key in numeric}


def _forward(X, W, b):
    """``(A, Z)`` of stacked networks (``W[l]`` of shape (networks, n_l, n_{l-1})): the
    activations ``A[0]`` (the input, the same for each network), ``A[1]``, ..., ``A[L]`` and the
    pre-activations ``Z[0..L-1]`` (``_forward_into``)."""
    Z, A = _buffers(X, W, b)
    _forward_into(W, b, Z, A)
    return A, Z


def _buffers(X, W, b):
    """Empty ``Z`` and ``A`` for one forward pass of stacked networks on ``X`` (``A[0]`` is ``X``,
    seen by every network), of the type the arithmetic gives (integer or float32 parameters:
    float64)."""
    n, m = W[0].shape[0], X.shape[1]
    dtype = np.result_type(X, *W, *b)
    Z = [np.empty((n, w.shape[1], m), dtype) for w in W]
    return Z, [np.broadcast_to(X[None], (n, *X.shape))] + [np.empty_like(z) for z in Z]


def _costs(AL, Y):
    return -np.mean(np.where(Y > 0, np.log(AL), np.log(1 - AL)), axis=(1, 2))


@memoize
def train_many(X, Y, parameter_list, learning_rate, iterations, record_every=25):
    """Full-batch gradient descent of every network of ``parameter_list`` (same architecture),
    vectorised over the networks. Returns ``(trained list, costs, train accuracies)`` where
    ``costs`` has shape ``(networks, records)``: the cost at every ``record_every``-th step and
    after the last one.

    Each step: ``Z_l = W_l A_{l-1} + b_l``, ``A_l = relu(Z_l)`` (``sigmoid`` for the last);
    ``dZ_L = A_L - Y``, ``dW_l = dZ_l A_{l-1}^T / m``, ``db_l = sum(dZ_l) / m``,
    ``dZ_{l-1} = (W_l^T dZ_l) * (Z_{l-1} > 0)``; ``W_l -= lr dW_l``, ``b_l -= lr db_l``. The
    arrays of a step are written over the previous step's (the same operations in the same
    order as with new arrays: the same numbers)."""
    L = len(parameter_list[0]) // 2
    W = [np.stack([p[f"W{l}"] for p in parameter_list]) for l in range(1, L + 1)]
    b = [np.stack([p[f"b{l}"] for p in parameter_list]) for l in range(1, L + 1)]
    Z, A = _buffers(X, W, b)  # Z[l], A[l + 1]: layer l + 1's pre-activations and activations
    # the parameters in the type the first step's arithmetic gives them (as _buffers chose it)
    W, b = [w.astype(Z[0].dtype, copy=False) for w in W], [c.astype(Z[0].dtype, copy=False) for c in b]
    m = X.shape[1]
    history = []
    # dZ[l], dW[l], db[l]: layer l + 1's gradients
    dZ = [np.empty_like(z) for z in Z]
    dW, db = [np.empty_like(w) for w in W], [np.empty_like(c) for c in b]
    alive = [np.empty(z.shape, bool) for z in Z]
    # Every array of a step is one of these, written in place, so each layer's operands (and the
    # transposed views) are gathered once; a step is then the ufunc calls alone (the same calls,
    # in the same order, as the backward pass written layer by layer).
    matmul, subtract, multiply, divide = np.matmul, np.subtract, np.multiply, np.divide
    layers = _layers(W, b, Z, A)  # (hidden, last)
    AL, dZL = A[-1], dZ[-1]
    backward = [  # layer l + 1, from the last: its gradients, and the layer below's when there is one
        (dZ[l], A[l].swapaxes(1, 2), dW[l], db[l], W[l], b[l])
        + ((W[l].swapaxes(1, 2), dZ[l - 1], Z[l - 1], alive[l - 1]) if l else (None,) * 4)
        for l in range(L - 1, -1, -1)
    ]
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        for i in range(iterations):
            _forward_layers(*layers)
            if i % record_every == 0:
                history.append(_costs(AL, Y))
            subtract(AL, Y, out=dZL)
            for dz, a_t, dw, db_l, w, c, w_t, dz_below, z_below, alive_below in backward:
                matmul(dz, a_t, out=dw)
                divide(dw, m, out=dw)
                np.add.reduce(dz, axis=2, keepdims=True, out=db_l)  # np.sum's reduction
                divide(db_l, m, out=db_l)
                if w_t is not None:
                    matmul(w_t, dz, out=dz_below)
                    np.greater(z_below, 0, out=alive_below)
                    multiply(dz_below, alive_below, out=dz_below)
                multiply(dw, learning_rate, out=dw)
                subtract(w, dw, out=w)
                multiply(db_l, learning_rate, out=db_l)
                subtract(c, db_l, out=c)
        _forward_layers(*layers)
        history.append(_costs(AL, Y))
    accuracies = np.mean((AL > 0.5) == (Y > 0.5), axis=(1, 2))
    trained = [
        {k: (W if k[0] == "W" else b)[int(k[1:]) - 1][i] for k in parameter_list[i]} for i in range(len(parameter_list))
    ]
    return trained, np.stack(history, axis=1), accuracies


def _forward_into(W, b, Z, A):
    """One forward pass written into ``_buffers``' ``Z`` and ``A``: ``Z_l = W_l A_{l-1} + b_l``,
    ``A_l = relu(Z_l)``, and ``1 / (1 + exp(-Z_L))`` for the last layer."""
    _forward_layers(*_layers(W, b, Z, A))


def _layers(W, b, Z, A):
    """The operands of ``_forward_layers``, each layer's ``(W_l, b_l, A_{l-1}, Z_l, A_l)``: the
    hidden layers' (a list) and the last one's."""
    layers = list(zip(W, b, A[:-1], Z, A[1:]))
    return layers[:-1], layers[-1]


def _forward_layers(hidden, last):
    """``_forward_into`` on the operands ``_layers`` gathered (a training step's forward pass)."""
    w, c, a_in, z, a_out = last
    for w_l, c_l, a_l, z_l, out_l in hidden:
        np.matmul(w_l, a_l, out=z_l)
        np.add(z_l, c_l, out=z_l)
        np.maximum(z_l, 0, out=out_l)
    np.matmul(w, a_in, out=z)
    np.add(z, c, out=z)
    np.negative(z, out=a_out)  # 1 / (1 + exp(-z))
    np.exp(a_out, out=a_out)
    np.add(a_out, 1, out=a_out)
    np.divide(1, a_out, out=a_out)


def predictor(parameters):
    """``X -> labels`` of a parameters dict (the nn_utils network, any depth)."""
    L = len(parameters) // 2

    def predict(X):
        A, _ = _forward(
            X,
            [parameters[f"W{l}"][None] for l in range(1, L + 1)],
            [parameters[f"b{l}"][None] for l in range(1, L + 1)],
        )
        return A[-1][0, 0] > 0.5

    return predict


def cross_entropy(AL, Y):
    return float(-np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))


def penalty(parameters, lambd, m, biases=False):
    keys = [k for k in parameters if k[0] == "W" or biases]
    return lambd / (2 * m) * sum(float(np.sum(parameters[k] ** 2)) for k in keys)


def regularized_costs(X, Y, lambd, m, masks=None, keep_prob=1.0):
    """``costs`` for ``numeric_gradient_many``: ``cross_entropy(forward(X, p, masks, keep_prob)[0], Y)
    + penalty(p, lambd, m)`` of every set ``p`` of a stack (``toynets.forward_many``), by the same
    operations on each set's slice (a sum over each slice's own entries, in its order)."""

    def costs(stacked):
        AL = forward_many(X, stacked, masks, keep_prob)
        entropy = -np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL), axis=(1, 2))
        squares = [np.sum(v**2, axis=(1, 2)) for k, v in stacked.items() if k[0] == "W"]
        return [float(e) + lambd / (2 * m) * sum(float(s[i]) for s in squares) for i, e in enumerate(entropy)]

    return costs


def expect_numeric_gradient(got, numeric, call, figures, what):
    """Fail naming the blocks whose relative difference to the numeric gradient is too large."""
    got = expect_dict(got, f"the gradients returned by {call}", list(numeric))
    for key in numeric:
        expect_array(got[key], f"{call}['{key}']", numeric[key].shape)
    differences = block_differences(got, numeric)
    bad = {k: v for k, v in differences.items() if not v <= NUMERIC_TOLERANCE}
    if bad:
        figures.append(
            bars_figure(
                f"{call}: relative difference to the numeric gradient of {what}, per block",
                differences,
                NUMERIC_TOLERANCE,
            )
        )
        worst = max(bad, key=bad.get)
        fail(
            f"{call} disagrees with a centred numeric gradient of {what} (epsilon 1e-6) in "
            f"{', '.join(f'{k} ({v:.2g})' for k, v in bad.items())}: relative difference "
            f"||grad - numeric|| / (||grad|| + ||numeric||) above {NUMERIC_TOLERANCE:g}; worst {worst}."
        )
