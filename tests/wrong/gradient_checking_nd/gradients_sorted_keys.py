"""gradients_to_vector in sorted key order (dW1, dW2, ..., db1, ...): every b after every W.

loses: gradients_to_vector :: lays out dW1, db1, ... and ignores other keys (dZ, dA)
message: the layout is W1, b1, W2, b2
"""


def gradients_to_vector(gradients):
    keys = sorted(key for key in gradients if key[:2] in ("dW", "db"))
    return np.concatenate([gradients[key].reshape(-1) for key in keys]).reshape(-1, 1)
