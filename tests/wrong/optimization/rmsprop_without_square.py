"""RMSprop averaging |g| instead of g**2.

loses: update_parameters_with_rmsprop :: 20+ steps on drawn gradients match the reference after every step
loses: update_parameters_with_rmsprop :: a short training run on moons matches the reference step by step
message: After step 1, s['dW1'] differs from the reference
"""


def update_parameters_with_rmsprop(parameters, grads, s, beta=0.9, learning_rate=0.01, epsilon=1e-8):
    new_parameters, new_s = {}, {}
    for key in parameters:
        g = grads["d" + key]
        new_s["d" + key] = beta * s["d" + key] + (1 - beta) * np.abs(g)
        new_parameters[key] = parameters[key] - learning_rate * g / (np.sqrt(new_s["d" + key]) + epsilon)
    return new_parameters, new_s
