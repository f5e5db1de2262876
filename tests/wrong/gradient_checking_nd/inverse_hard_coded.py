"""vector_to_dictionary hard-coded for the course's 4-5-3-1 network, like the original.

loses: vector_to_dictionary :: is the exact inverse of the layout on drawn layers_dims
message: `vector_to_dictionary` raised
"""


def vector_to_dictionary(theta, layers_dims):
    return {"W1": theta[:20].reshape((5, 4)), "b1": theta[20:25].reshape((5, 1)),
            "W2": theta[25:40].reshape((3, 5)), "b2": theta[40:43].reshape((3, 1)),
            "W3": theta[43:46].reshape((1, 3)), "b3": theta[46:47].reshape((1, 1))}
