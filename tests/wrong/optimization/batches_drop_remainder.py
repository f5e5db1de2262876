"""Mini-batches that forget the last, smaller batch.

loses: random_mini_batches :: the batches partition the columns: full batches first, then the remainder
message: then the remaining m % mini_batch_size
"""


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    order = np.random.default_rng(seed).permutation(X.shape[1])
    X, Y = X[:, order], Y[:, order]
    full = X.shape[1] // mini_batch_size
    return [(X[:, k * mini_batch_size:(k + 1) * mini_batch_size], Y[:, k * mini_batch_size:(k + 1) * mini_batch_size])
            for k in range(full)]
