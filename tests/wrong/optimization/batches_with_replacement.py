"""Mini-batches drawn with replacement: some examples twice, some never.

loses: random_mini_batches :: the batches partition the columns: full batches first, then the remainder
message: exactly once
"""


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    order = np.random.default_rng(seed).integers(0, m, size=m)
    X, Y = X[:, order], Y[:, order]
    return [(X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
