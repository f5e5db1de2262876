"""Integer zeros: np.zeros(..., dtype=int).

loses: initialize_parameters_zeros :: keys, shapes and dtypes on drawn layers_dims
message: has dtype int64, expected float64
"""


def initialize_parameters_zeros(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = np.zeros((layers_dims[l], layers_dims[l - 1]), dtype=int)
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1), dtype=int)
    return parameters
