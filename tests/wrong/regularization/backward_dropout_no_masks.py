"""Backward through dropout without applying the masks to dAl.

loses: backward_propagation_with_dropout :: matches the reference on the same masks
loses: backward_propagation_with_dropout :: matches a numeric gradient with the masks held fixed
message: dW1
"""


def backward_propagation_with_dropout(X, Y, cache, keep_prob, lambd=0.0):
    L = num_layers(cache)
    m = X.shape[1]
    grads = {}
    dZ = cache[f"A{L}"] - Y
    for l in range(L, 0, -1):
        A_prev = X if l == 1 else cache[f"A{l - 1}"]
        grads[f"dW{l}"] = dZ @ A_prev.T / m + (lambd / m) * cache[f"W{l}"]
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
        if l > 1:
            dA = (cache[f"W{l}"].T @ dZ) / keep_prob
            dZ = dA * (cache[f"Z{l - 1}"] > 0)
    return grads
