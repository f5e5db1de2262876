"""Scaled by the layer's own size n_l instead of its fan-in n_{l-1}.

loses: initialize_parameters_he :: each Wl ~ N(0, 1) * sqrt(2 / n_{l-1}) (statistics of large layers)
message: standard deviation
"""


def initialize_parameters_he(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * np.sqrt(2 / layers_dims[l])
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters
