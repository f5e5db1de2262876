"""The L2 term added to dbl as well.

loses: backward_propagation_with_regularization :: matches the reference on drawn networks
loses: backward_propagation_with_regularization :: matches a numeric gradient of the regularized cost
message: db1
"""


def backward_propagation_with_regularization(X, Y, cache, lambd):
    m = X.shape[1]
    grads = backward_propagation(X, Y, cache)
    for l in range(1, num_layers(cache) + 1):
        grads[f"dW{l}"] = grads[f"dW{l}"] + (lambd / m) * cache[f"W{l}"]
        grads[f"db{l}"] = grads[f"db{l}"] + (lambd / m) * cache[f"b{l}"]
    return grads
