"""Gradient descent that only updates the weights.

loses: update_parameters_with_gd :: one step on drawn parameters (every W and b, downhill)
message: b1'] was not updated
"""


def update_parameters_with_gd(parameters, grads, learning_rate):
    return {key: value - learning_rate * grads["d" + key] if key.startswith("W") else value.copy()
            for key, value in parameters.items()}
