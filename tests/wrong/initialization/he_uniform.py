"""Uniform draws with He's standard deviation: right scale, wrong distribution.

loses: initialize_parameters_he :: each Wl ~ N(0, 1) * sqrt(2 / n_{l-1}) (statistics of large layers)
message: does not look normally distributed
"""


def initialize_parameters_he(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        a = np.sqrt(3) * np.sqrt(2 / layers_dims[l - 1])
        parameters[f"W{l}"] = rng.uniform(-a, a, (layers_dims[l], layers_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters
