"""1-D biases: np.zeros(n_l) instead of np.zeros((n_l, 1)).

loses: initialize_parameters_random :: keys, shapes and dtypes on drawn layers_dims
message: a 1-D bias?
"""


def initialize_parameters_random(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * 10
        parameters[f"b{l}"] = np.zeros(layers_dims[l])
    return parameters
