"""Every parameter penalised, biases included.

loses: compute_cost_with_regularization :: the biases are not penalised
message: the biases are penalised
"""


def compute_cost_with_regularization(AL, Y, parameters, lambd):
    m = Y.shape[1]
    l2 = sum(np.sum(np.square(value)) for value in parameters.values())
    return float(compute_cost(AL, Y) + lambd / (2 * m) * l2)
