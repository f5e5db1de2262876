"""Xavier's sqrt(1 / n_{l-1}) instead of He's sqrt(2 / n_{l-1}).

loses: initialize_parameters_he :: each Wl ~ N(0, 1) * sqrt(2 / n_{l-1}) (statistics of large layers)
message: That is Xavier's sqrt(1 / n_{l-1})
"""


def initialize_parameters_he(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * np.sqrt(1 / layers_dims[l - 1])
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters
