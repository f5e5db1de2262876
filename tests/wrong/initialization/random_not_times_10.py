"""N(0, 1) without the x 10.

loses: initialize_parameters_random :: each Wl ~ N(0, 1) * 10 (statistics of large layers)
message: Multiply the N(0, 1) draws by 10
"""


def initialize_parameters_random(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters
