"""Random biases as well as random weights.

loses: initialize_parameters_random :: biases are zero
message: the biases start at exactly 0
"""


def initialize_parameters_random(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * 10
        parameters[f"b{l}"] = rng.standard_normal((layers_dims[l], 1))
    return parameters
