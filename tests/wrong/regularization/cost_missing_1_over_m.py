"""The L2 term without 1/m: lambd / 2 * sum ||Wl||^2.

loses: compute_cost_with_regularization :: matches the reference on drawn networks
message: the 1/m is missing
"""


def compute_cost_with_regularization(AL, Y, parameters, lambd):
    L = num_layers(parameters)
    l2 = sum(np.sum(np.square(parameters[f"W{l}"])) for l in range(1, L + 1))
    return float(compute_cost(AL, Y) + lambd / 2 * l2)
