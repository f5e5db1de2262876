"""X and Y shuffled with two different permutations: labels leave their examples.

loses: random_mini_batches :: each example keeps its own label (X and Y shuffled together)
message: the labels do not belong to the examples
"""


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    X, Y = X[:, rng.permutation(m)], Y[:, rng.permutation(m)]
    return [(X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
