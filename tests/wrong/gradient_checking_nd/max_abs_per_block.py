"""find_wrong_gradients flagging a block by its largest absolute error, not its relative difference.

loses: find_wrong_gradients :: judges each block on its own (a small error in a small block)
message: a block is wrong when its own relative difference exceeds 2e-7
"""


def find_wrong_gradients(parameters, gradients, X, Y, epsilon=1e-7, threshold=2e-7):
    grad = gradients_to_vector(gradients).reshape(-1)
    gradapprox = _numerical_gradient(parameters, X, Y, epsilon).reshape(-1)
    wrong, start = [], 0
    for l in range(1, len(parameters) // 2 + 1):
        for name in (f"W{l}", f"b{l}"):
            size = parameters[name].size
            if np.max(np.abs(grad[start:start + size] - gradapprox[start:start + size])) > threshold:
                wrong.append(name)
            start += size
    return wrong
