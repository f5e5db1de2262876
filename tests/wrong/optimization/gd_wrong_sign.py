"""Gradient descent that climbs: W + lr * dW.

loses: update_parameters_with_gd :: one step on drawn parameters (every W and b, downhill)
message: moved uphill
"""


def update_parameters_with_gd(parameters, grads, learning_rate):
    return {key: value + learning_rate * grads["d" + key] for key, value in parameters.items()}
