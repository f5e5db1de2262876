"""The L2 gradient term without 1/m: lambd * Wl.

loses: backward_propagation_with_regularization :: matches the reference on drawn networks
loses: backward_propagation_with_regularization :: matches a numeric gradient of the regularized cost
message: dW1
"""


def backward_propagation_with_regularization(X, Y, cache, lambd):
    grads = backward_propagation(X, Y, cache)
    for l in range(1, num_layers(cache) + 1):
        grads[f"dW{l}"] = grads[f"dW{l}"] + lambd * cache[f"W{l}"]
    return grads
