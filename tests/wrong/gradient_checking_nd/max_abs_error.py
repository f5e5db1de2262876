"""gradient_check_n returning the largest absolute error instead of the relative difference.

loses: gradient_check_n :: the relative difference of wrong gradients matches the reference
message: ||grad - gradapprox|| / (||grad|| + ||gradapprox||)
"""


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):
    grad = gradients_to_vector(gradients)
    gradapprox = _numerical_gradient(parameters, X, Y, epsilon)
    return float(np.max(np.abs(grad - gradapprox)))
