"""dictionary_to_vector flattening the weights column-major (Fortran order).

loses: dictionary_to_vector :: lays out W1, b1, ..., WL, bL row-major on drawn layers_dims
message: flattened row-major (C order)
"""


def dictionary_to_vector(parameters):
    L = len(parameters) // 2
    blocks = []
    for l in range(1, L + 1):
        blocks += [parameters[f"W{l}"].reshape(-1, order="F"), parameters[f"b{l}"].reshape(-1)]
    return np.concatenate(blocks).reshape(-1, 1)
