"""Keys numbered from 0 (W0, b0, ...) instead of from 1.

loses: initialize_parameters_zeros :: keys, shapes and dtypes on drawn layers_dims
message: unexpected: W0, b0
"""


def initialize_parameters_zeros(layers_dims):
    return {f"{p}{l}": np.zeros((layers_dims[l + 1], layers_dims[l])) if p == "W" else np.zeros((layers_dims[l + 1], 1))
            for l in range(len(layers_dims) - 1) for p in "Wb"}
