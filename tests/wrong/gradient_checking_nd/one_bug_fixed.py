"""backward_propagation_n with only one of the planted bugs fixed: dWL is still doubled.

loses: backward_propagation_n :: the gradients of the fraud network (4-5-3-1), planted bugs fixed
loses: backward_propagation_n :: the gradients of drawn networks of depth 2 to 4
message: is 2 times the correct gradient everywhere
"""


def backward_propagation_n(X, Y, cache):
    m = X.shape[1]
    L = sum(1 for key in cache if key.startswith("W"))
    gradients = {}
    dZ = cache[f"A{L}"] - Y
    for l in range(L, 0, -1):
        A_prev = X if l == 1 else cache[f"A{l - 1}"]
        gradients[f"dW{l}"] = (2.0 if l == L else 1.0) / m * dZ @ A_prev.T
        gradients[f"db{l}"] = 1.0 / m * np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            dZ = (cache[f"W{l}"].T @ dZ) * (cache[f"Z{l - 1}"] > 0)
    return gradients
