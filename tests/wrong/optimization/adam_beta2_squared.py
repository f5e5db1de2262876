"""Adam correcting s with 1 - beta2**2 instead of 1 - beta2**t.

loses: update_parameters_with_adam :: 20+ steps on drawn gradients match the reference after every step
loses: update_parameters_with_adam :: a short training run on moons matches the reference step by step
message: After step 1, s_corrected['dW1'] differs from the reference
"""


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                beta1=0.9, beta2=0.999, epsilon=1e-8):
    new_parameters, new_v, new_s, v_corrected, s_corrected = {}, {}, {}, {}, {}
    for key in parameters:
        d, g = "d" + key, grads["d" + key]
        new_v[d] = beta1 * v[d] + (1 - beta1) * g
        new_s[d] = beta2 * s[d] + (1 - beta2) * g ** 2
        v_corrected[d] = new_v[d] / (1 - beta1 ** t)
        s_corrected[d] = new_s[d] / (1 - beta2 ** 2)
        new_parameters[key] = parameters[key] - learning_rate * v_corrected[d] / (np.sqrt(s_corrected[d]) + epsilon)
    return new_parameters, new_v, new_s, v_corrected, s_corrected
