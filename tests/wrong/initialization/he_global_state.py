"""Draws from np.random's global state: not reproducible from the seed.

loses: initialize_parameters_he :: the same seed gives the same parameters, another seed others
message: twice gave different
"""


def initialize_parameters_he(layers_dims, seed=3):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(2 / layers_dims[l - 1])
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters
