"""Momentum with v = beta v + g (no (1 - beta)).

loses: update_parameters_with_momentum :: 20+ steps on drawn gradients match the reference after every step
loses: update_parameters_with_momentum :: a short training run on moons matches the reference step by step
message: After step 1, v['dW1'] differs from the reference
"""


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_parameters, new_v = {}, {}
    for key in parameters:
        new_v["d" + key] = beta * v["d" + key] + grads["d" + key]
        new_parameters[key] = parameters[key] - learning_rate * new_v["d" + key]
    return new_parameters, new_v
