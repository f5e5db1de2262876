"""Adam returning (parameters, v, s) only.

loses: update_parameters_with_adam :: 20+ steps on drawn gradients match the reference after every step
message: should return the tuple (parameters, v, s, v_corrected, s_corrected)
"""


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                beta1=0.9, beta2=0.999, epsilon=1e-8):
    new_parameters, new_v, new_s = {}, {}, {}
    for key in parameters:
        d, g = "d" + key, grads["d" + key]
        new_v[d] = beta1 * v[d] + (1 - beta1) * g
        new_s[d] = beta2 * s[d] + (1 - beta2) * g ** 2
        step = new_v[d] / (1 - beta1 ** t) / (np.sqrt(new_s[d] / (1 - beta2 ** t)) + epsilon)
        new_parameters[key] = parameters[key] - learning_rate * step
    return new_parameters, new_v, new_s
