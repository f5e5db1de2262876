"""Transposed weights: Wl of shape (n_{l-1}, n_l).

loses: initialize_parameters_he :: keys, shapes and dtypes on drawn layers_dims
message: (transposed?)
"""


def initialize_parameters_he(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l - 1], layers_dims[l])) * np.sqrt(2 / layers_dims[l - 1])
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters
