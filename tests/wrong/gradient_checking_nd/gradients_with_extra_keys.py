"""gradients_to_vector sweeping every key of gradients (dZ, dA included) into the vector.

loses: gradients_to_vector :: lays out dW1, db1, ... and ignores other keys (dZ, dA)
message: must be ignored
"""


def gradients_to_vector(gradients):
    return np.concatenate([np.asarray(value).reshape(-1) for value in gradients.values()]).reshape(-1, 1)
