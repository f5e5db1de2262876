"""dictionary_to_vector putting each bias before its weights.

loses: dictionary_to_vector :: lays out W1, b1, ..., WL, bL row-major on drawn layers_dims
message: holds b1[0, 0], expected W1[0, 0]
"""


def dictionary_to_vector(parameters):
    L = len(parameters) // 2
    blocks = []
    for l in range(1, L + 1):
        blocks += [parameters[f"b{l}"].reshape(-1), parameters[f"W{l}"].reshape(-1)]
    return np.concatenate(blocks).reshape(-1, 1)
