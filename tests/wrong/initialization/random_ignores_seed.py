"""A hard-coded seed: the seed argument is ignored.

loses: initialize_parameters_random :: the same seed gives the same parameters, another seed others
message: the seed argument is ignored
"""


def initialize_parameters_random(layers_dims, seed=3):
    rng = np.random.default_rng(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * 10
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters
