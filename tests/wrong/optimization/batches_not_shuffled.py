"""Mini-batches cut in the original order.

loses: random_mini_batches :: the columns are shuffled, differently for different seeds
message: kept the columns in their original order
"""


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    return [(X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
