"""Mini-batches with the smaller batch first.

loses: random_mini_batches :: the batches partition the columns: full batches first, then the remainder
message: full batches of
"""


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    order = np.random.default_rng(seed).permutation(m)
    X, Y = X[:, order], Y[:, order]
    r = m % mini_batch_size
    starts = ([0] if r else []) + list(range(r, m, mini_batch_size))
    ends = starts[1:] + [m]
    return [(X[:, a:b], Y[:, a:b]) for a, b in zip(starts, ends)]
