"""'Zeros' that are tiny random values: symmetry is broken, so training does not show the lesson.

loses: initialize_parameters_zeros :: training from zeros never breaks symmetry
message: the rows of W1 differ
"""


def initialize_parameters_zeros(layers_dims):
    rng = np.random.default_rng(0)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * 0.5
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters
