"""vector_to_dictionary reading the weights back column-major: not the inverse of the layout.

loses: vector_to_dictionary :: is the exact inverse of the layout on drawn layers_dims
message: reading theta back must undo the layout
"""


def vector_to_dictionary(theta, layers_dims):
    flat, start, parameters = theta.reshape(-1), 0, {}
    for l in range(1, len(layers_dims)):
        n, n_prev = layers_dims[l], layers_dims[l - 1]
        parameters[f"W{l}"] = flat[start:start + n * n_prev].reshape((n, n_prev), order="F").copy()
        start += n * n_prev
        parameters[f"b{l}"] = flat[start:start + n].reshape(n, 1).copy()
        start += n
    return parameters
