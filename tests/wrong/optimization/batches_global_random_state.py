"""Mini-batches shuffled with the global np.random state, ignoring the seed.

loses: random_mini_batches :: the same seed gives the same batches
message: gave different batches
"""


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    order = np.random.permutation(m)
    X, Y = X[:, order], Y[:, order]
    return [(X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
