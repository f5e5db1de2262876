"""Dropout without the division by keep_prob.

loses: forward_propagation_with_dropout :: every Al agrees with its own mask: relu(Zl) * Dl / keep_prob
message: the division by keep_prob is missing
"""


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=None):
    rng = np.random.default_rng(seed)
    L = num_layers(parameters)
    cache = {}
    A = X
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z = W @ A + b
        if l == L:
            A = sigmoid(Z)
        else:
            D = rng.random(Z.shape) < keep_prob
            A = relu(Z) * D
            cache[f"D{l}"] = D
        cache.update({f"Z{l}": Z, f"A{l}": A, f"W{l}": W, f"b{l}": b})
    return A, cache
