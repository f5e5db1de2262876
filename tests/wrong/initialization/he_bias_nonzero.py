"""Biases of 0.01 instead of 0.

loses: initialize_parameters_he :: biases are zero
message: the biases start at exactly 0
"""


def initialize_parameters_he(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * np.sqrt(2 / layers_dims[l - 1])
        parameters[f"b{l}"] = np.full((layers_dims[l], 1), 0.01)
    return parameters
