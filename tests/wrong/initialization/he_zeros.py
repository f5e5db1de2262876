"""'He' that returns all zeros: nothing trains.

loses: initialize_parameters_he :: training from He reaches high accuracy on circles
message: He initialisation should train well
"""


def initialize_parameters_he(layers_dims, seed=3):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters
