"""Regularization: L2 and dropout, separately and together.

A deep network with no regularization fits the noise of a small training set. You write the two
standard remedies for the shared L-layer network of ``nn_utils`` (ReLU hidden layers, sigmoid
output, mean binary cross-entropy; dict caches with ``Zl, Al, Wl, bl``):

1. L2 regularization -- :func:`compute_cost_with_regularization` and
   :func:`backward_propagation_with_regularization`;
2. inverted dropout -- :func:`forward_propagation_with_dropout` and
   :func:`backward_propagation_with_dropout` (which also takes ``lambd``, so both can be used at once).

Then compare them with the provided ``reg_utils.model`` on the football data set
(``data_utils.load_football``), network ``[2, 20, 3, 1]``, learning rate 0.3, 30,000 iterations::

    from data_utils import load_football
    from reg_utils import model
    train_X, train_Y, test_X, test_Y = load_football()
    parameters, costs = model(train_X, train_Y)                    # no regularization
    parameters, costs = model(train_X, train_Y, lambd=0.7)         # L2
    parameters, costs = model(train_X, train_Y, keep_prob=0.86)    # dropout

Lessons: lambda is a hyperparameter tuned on a dev set; L2 is "weight decay" and smooths the
decision boundary; dropout is used only at training time, in the forward *and* the backward pass;
dividing by ``keep_prob`` keeps the expected activation unchanged. Gradient checking does not work
with dropout on -- check with ``keep_prob = 1`` first.

Every body below raises ``NotImplementedError``; replace it with your code.
"""

import numpy as np

from nn_utils import backward_propagation, compute_cost, num_layers, relu, sigmoid


def compute_cost_with_regularization(AL, Y, parameters, lambd):
    """Cross-entropy cost plus the L2 penalty on the weights.

    Parameters
    ----------
    AL : ndarray of shape (1, m)
        Output probabilities of the forward pass.
    Y : ndarray of shape (1, m)
        Labels 0/1.
    parameters : dict of str to ndarray
        ``W1, b1, ..., WL, bL``; ``Wl`` of shape (n_l, n_{l-1}), ``bl`` of shape (n_l, 1).
    lambd : float
        The regularization strength lambda (>= 0).

    Returns
    -------
    cost : float

    Notes
    -----
    ``J = compute_cost(AL, Y) + lambd / (2 m) * sum_{l=1..L} ||Wl||_F^2``, where
    ``||Wl||_F^2 = np.sum(np.square(Wl))`` and ``m = Y.shape[1]``. The biases are not penalised.

    Examples
    --------
    >>> import numpy as np
    >>> params = {"W1": np.ones((2, 2)), "b1": np.ones((2, 1)), "W2": np.ones((1, 2)), "b2": np.ones((1, 1))}
    >>> AL, Y = np.array([[0.5, 0.5]]), np.array([[1.0, 0.0]])
    >>> round(compute_cost_with_regularization(AL, Y, params, lambd=1.0) - compute_cost(AL, Y), 6)
    1.5
    """
    raise NotImplementedError("compute_cost_with_regularization: your code here (see the docstring)")


def backward_propagation_with_regularization(X, Y, cache, lambd):
    """Gradients of the L2-regularized cost.

    Parameters
    ----------
    X : ndarray of shape (n_0, m)
    Y : ndarray of shape (1, m)
    cache : dict of str to ndarray
        From ``nn_utils.forward_propagation``: ``Zl, Al, Wl, bl`` for ``l = 1..L``.
    lambd : float
        The regularization strength lambda (>= 0).

    Returns
    -------
    gradients : dict of str to ndarray
        ``dWl`` of shape (n_l, n_{l-1}) and ``dbl`` of shape (n_l, 1) for ``l = 1..L``
        (extra keys such as ``dZl``, ``dAl`` are allowed and ignored).

    Notes
    -----
    The plain back-propagation of ``nn_utils.backward_propagation``, then
    ``dWl += (lambd / m) * Wl`` for every layer; ``dbl`` is unchanged (biases are not penalised).
    """
    raise NotImplementedError("backward_propagation_with_regularization: your code here (see the docstring)")


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=None):
    """Forward pass with inverted dropout on every hidden layer.

    Parameters
    ----------
    X : ndarray of shape (n_0, m)
    parameters : dict of str to ndarray
        ``W1, b1, ..., WL, bL`` (L >= 2).
    keep_prob : float, default 0.5
        Probability of keeping a hidden unit, in (0, 1].
    seed : int or None, default None
        Seed of ``rng = np.random.default_rng(seed)``. ``None`` draws fresh masks on every call;
        an int gives the same masks every time.

    Returns
    -------
    AL : ndarray of shape (1, m)
        Output probabilities.
    cache : dict of str to ndarray
        ``Zl, Al, Wl, bl`` for ``l = 1..L`` and ``Dl`` of shape (n_l, m) for every hidden layer
        ``l = 1..L-1``; ``Al`` is the activation after the mask and the rescaling.

    Notes
    -----
    For every hidden layer ``l = 1..L-1``::

        Zl = Wl A{l-1} + bl
        Al = relu(Zl)
        Dl = rng.random(Al.shape) < keep_prob    # keep a unit with probability keep_prob
        Al = Al * Dl / keep_prob                 # so the expected activation is unchanged

    with ``A0 = X`` and ``AL = sigmoid(WL A{L-1} + bL)``. Dropout is never applied to the input
    ``X`` nor to the output layer. Masks may be boolean or 0/1 numbers.
    """
    raise NotImplementedError("forward_propagation_with_dropout: your code here (see the docstring)")


def backward_propagation_with_dropout(X, Y, cache, keep_prob, lambd=0.0):
    """Gradients of the cost through the dropout masks of the forward pass (optionally with L2).

    Parameters
    ----------
    X : ndarray of shape (n_0, m)
    Y : ndarray of shape (1, m)
    cache : dict of str to ndarray
        From :func:`forward_propagation_with_dropout`: ``Zl, Al, Wl, bl`` and the masks ``Dl``.
    keep_prob : float
        The keep probability used in the forward pass.
    lambd : float, default 0.0
        L2 strength; with ``lambd > 0`` the L2 term is added, so both techniques work together.

    Returns
    -------
    gradients : dict of str to ndarray
        ``dWl`` of shape (n_l, n_{l-1}) and ``dbl`` of shape (n_l, 1) for ``l = 1..L``
        (extra keys such as ``dZl``, ``dAl`` are allowed and ignored).

    Notes
    -----
    With ``dZL = AL - Y``, for ``l = L..1``::

        dWl = (1/m) dZl A{l-1}^T + (lambd / m) Wl      # A{l-1}: the cached (masked) activation
        dbl = (1/m) sum over columns of dZl
        dA{l-1} = W{l}^T dZl * D{l-1} / keep_prob      # hidden layers only
        dZ{l-1} = dA{l-1} * (Z{l-1} > 0)

    i.e. the same units are shut down, and scaled by ``1 / keep_prob``, as in the forward pass.
    """
    raise NotImplementedError("backward_propagation_with_dropout: your code here (see the docstring)")
