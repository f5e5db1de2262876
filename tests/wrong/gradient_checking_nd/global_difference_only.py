"""find_wrong_gradients that checks all parameters at once and blames every block.

loses: find_wrong_gradients :: names exactly the blocks the grader corrupted (drawn blocks, sizes, scales)
loses: find_wrong_gradients :: judges each block on its own (a small error in a small block)
message: a block is wrong when its own relative difference exceeds 2e-7
"""


def find_wrong_gradients(parameters, gradients, X, Y, epsilon=1e-7, threshold=2e-7):
    if gradient_check_n(parameters, gradients, X, Y, epsilon) > threshold:
        return [name for l in range(1, len(parameters) // 2 + 1) for name in (f"W{l}", f"b{l}")]
    return []
