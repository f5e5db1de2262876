"""Dropout applied to the output layer as well.

loses: forward_propagation_with_dropout :: no dropout on the input X nor on the output layer
message: dropout must never touch the output layer
"""


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=None):
    rng = np.random.default_rng(seed)
    L = num_layers(parameters)
    cache = {}
    A = X
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z = W @ A + b
        A = sigmoid(Z) if l == L else relu(Z)
        D = rng.random(Z.shape) < keep_prob
        A = A * D / keep_prob
        if l < L:
            cache[f"D{l}"] = D
        cache.update({f"Z{l}": Z, f"A{l}": A, f"W{l}": W, f"b{l}": b})
    return A, cache
