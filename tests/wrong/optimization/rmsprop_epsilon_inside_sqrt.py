"""RMSprop dividing by sqrt(s + epsilon) instead of sqrt(s) + epsilon.

loses: update_parameters_with_rmsprop :: 20+ steps on drawn gradients match the reference after every step
message: parameters['W1'] differs from the reference
"""


def update_parameters_with_rmsprop(parameters, grads, s, beta=0.9, learning_rate=0.01, epsilon=1e-8):
    new_parameters, new_s = {}, {}
    for key in parameters:
        g = grads["d" + key]
        new_s["d" + key] = beta * s["d" + key] + (1 - beta) * g ** 2
        new_parameters[key] = parameters[key] - learning_rate * g / np.sqrt(new_s["d" + key] + epsilon)
    return new_parameters, new_s
