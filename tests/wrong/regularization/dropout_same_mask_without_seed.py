"""seed=None falls back to a fixed seed: the same masks on every call.

loses: forward_propagation_with_dropout :: seed=None draws fresh masks on every call
message: with seed=None every call must draw fresh masks
"""


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=None):
    rng = np.random.default_rng(1 if seed is None else seed)
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
            A = relu(Z) * D / keep_prob
            cache[f"D{l}"] = D
        cache.update({f"Z{l}": Z, f"A{l}": A, f"W{l}": W, f"b{l}": b})
    return A, cache
