"""'Zeros' that are small constants: still symmetric, but not what was asked.

loses: initialize_parameters_zeros :: every weight and bias is zero
message: should be exactly 0
"""


def initialize_parameters_zeros(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = np.full((layers_dims[l], layers_dims[l - 1]), 0.01)
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters
