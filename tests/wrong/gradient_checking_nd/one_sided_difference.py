"""gradient_check_n with a one-sided difference (J(theta + eps) - J(theta)) / eps.

loses: gradient_check_n :: uses the centred difference (checked with epsilon = 1e-3)
message: a one-sided difference only to about eps
"""


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):
    theta = dictionary_to_vector(parameters)
    layers_dims = [parameters["W1"].shape[1]] + [parameters[f"W{l}"].shape[0] for l in range(1, len(parameters) // 2 + 1)]
    J, _ = forward_propagation_n(X, Y, parameters)
    gradapprox = np.zeros_like(theta)
    for i in range(theta.shape[0]):
        theta_plus = theta.copy()
        theta_plus[i, 0] += epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus, layers_dims))
        gradapprox[i, 0] = (J_plus - J) / epsilon
    grad = gradients_to_vector(gradients)
    return float(np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))
