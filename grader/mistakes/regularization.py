"""Known implementations of ``regularization`` (see ``grader/mistakes/__init__.py``)."""

from grader.mistakes import Mistake, Variant


def _cost(
    penalty="lambd / (2 * m) * l2",
    l2='sum(np.sum(np.square(parameters[f"W{l}"])) for l in range(1, L + 1))',
    ce="compute_cost(AL, Y)",
):
    return f"""
        def compute_cost_with_regularization(AL, Y, parameters, lambd):
            m = Y.shape[1]
            L = num_layers(parameters)
            l2 = {l2}
            return float({ce} + {penalty})
        """


def _l2(term='(lambd / m) * cache[f"W{l}"]', key="dW", layers="range(1, num_layers(cache) + 1)", m="X.shape[1]"):
    return f"""
        def backward_propagation_with_regularization(X, Y, cache, lambd):
            m = {m}
            grads = backward_propagation(X, Y, cache)
            for l in {layers}:
                grads[f"{key}{{l}}"] = grads[f"{key}{{l}}"] + {term}
            return grads
        """


def _forward(
    mask="rng.random(A.shape) < keep_prob", apply="A * D / keep_prob", rng="np.random.default_rng(seed)", cached="A"
):
    return f"""
        def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=None):
            rng = {rng}
            L = num_layers(parameters)
            cache = {{}}
            A = X
            for l in range(1, L + 1):
                W, b = parameters[f"W{{l}}"], parameters[f"b{{l}}"]
                Z = W @ A + b
                if l == L:
                    A = sigmoid(Z)
                    cache[f"A{{l}}"] = A
                else:
                    A = relu(Z)
                    D = {mask}
                    A = {apply}
                    cache[f"A{{l}}"] = {cached}
                    cache[f"D{{l}}"] = D
                cache.update({{f"Z{{l}}": Z, f"W{{l}}": W, f"b{{l}}": b}})
            return A, cache
        """


def _backward(
    dA='(cache[f"W{l}"].T @ dZ) * cache[f"D{l - 1}"] / keep_prob',
    l2='(lambd / m) * cache[f"W{l}"]',
    A_prev='X if l == 1 else cache[f"A{l - 1}"]',
):
    return f"""
        def backward_propagation_with_dropout(X, Y, cache, keep_prob, lambd=0.0):
            L = num_layers(cache)
            m = X.shape[1]
            grads = {{}}
            dZ = cache[f"A{{L}}"] - Y
            for l in range(L, 0, -1):
                A_prev = {A_prev}
                grads[f"dW{{l}}"] = dZ @ A_prev.T / m + {l2}
                grads[f"db{{l}}"] = np.sum(dZ, axis=1, keepdims=True) / m
                if l > 1:
                    dA = {dA}
                    dZ = dA * (cache[f"Z{{l - 1}}"] > 0)
            return grads
        """


CATALOGUE = [
    # -- the L2 cost
    Mistake(
        "cost_missing_1_over_m",
        "compute_cost_with_regularization",
        "this looks like the L2 term lambd / 2 * sum ||Wl||^2: the 1/m is missing.",
        _cost(penalty="lambd / 2 * l2"),
        ("check_cost",),
        message="the 1/m is missing",
    ),
    Mistake(
        "cost_missing_half",
        "compute_cost_with_regularization",
        "this looks like the L2 term lambd / m * sum ||Wl||^2: the 1/2 is missing.",
        _cost(penalty="lambd / m * l2"),
        ("check_cost",),
        message="the 1/2 is missing",
    ),
    Mistake(
        "cost_penalises_biases",
        "compute_cost_with_regularization",
        "this looks like a penalty on the biases as well; only the weights Wl are penalised.",
        _cost(l2="sum(np.sum(np.square(value)) for value in parameters.values())"),
        ("check_cost", "check_cost_biases"),
        message={
            "check_cost": "a penalty on the biases as well",
            "check_cost_biases": "the biases are penalised",
        },
    ),
    Mistake(
        "cost_l2_term_only",
        "compute_cost_with_regularization",
        "this looks like the L2 term alone: the cross-entropy is missing.",
        _cost(ce="0"),
        ("check_cost",),
    ),
    Mistake(
        "cost_norm_not_squared",
        "compute_cost_with_regularization",
        "this looks like the norms ||Wl||_F themselves; the penalty sums their squares.",
        _cost(l2='sum(np.linalg.norm(parameters[f"W{l}"]) for l in range(1, L + 1))'),
        ("check_cost",),
    ),
    Mistake(
        "cost_skips_last_layer",
        "compute_cost_with_regularization",
        "this looks like a sum over W1 .. W(L-1): the output layer's weights WL are penalised too.",
        _cost(l2='sum(np.sum(np.square(parameters[f"W{l}"])) for l in range(1, L))'),
        ("check_cost",),
    ),
    Mistake(
        "cost_integer_division",
        "compute_cost_with_regularization",
        "this looks like integer division (1 // m is 0): the L2 term vanishes.",
        _cost(penalty="(1 // m) * lambd / 2 * l2"),
        ("check_cost",),
    ),
    Mistake(
        "cost_cross_entropy_summed",
        "compute_cost_with_regularization",
        "this looks like a cross-entropy summed over the examples, not averaged (divide by m).",
        _cost(ce="-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))"),
        ("check_cost",),
    ),
    Mistake(
        "cost_precedence_lambd_over_2_times_m",
        "compute_cost_with_regularization",
        "this looks like lambd / 2 * m, which Python reads as (lambd / 2) * m; the factor is lambd / (2 * m).",
        _cost(penalty="lambd / 2 * m * l2"),
        ("check_cost",),
    ),
    # -- L2 backward
    Mistake(
        "l2_term_missing",
        "backward_propagation_with_regularization",
        "this looks like the plain gradients: the (lambd / m) * Wl term is missing.",
        _l2(term="0"),
        ("check_backward_l2", "check_backward_l2_numeric"),
    ),
    Mistake(
        "l2_missing_1_over_m",
        "backward_propagation_with_regularization",
        "this looks like lambd * Wl added to dWl: the 1/m is missing.",
        _l2(term='lambd * cache[f"W{l}"]'),
        ("check_backward_l2", "check_backward_l2_numeric"),
    ),
    Mistake(
        "l2_twice_the_term",
        "backward_propagation_with_regularization",
        "this looks like (2 lambd / m) * Wl: the 1/2 of the cost cancels the 2 of the derivative, so the "
        "term is (lambd / m) * Wl.",
        _l2(term='(2 * lambd / m) * cache[f"W{l}"]'),
        ("check_backward_l2", "check_backward_l2_numeric"),
    ),
    Mistake(
        "l2_on_db",
        "backward_propagation_with_regularization",
        "this looks like an L2 term on dbl: the biases are not penalised, dbl is unchanged.",
        """
        def backward_propagation_with_regularization(X, Y, cache, lambd):
            m = X.shape[1]
            grads = backward_propagation(X, Y, cache)
            for l in range(1, num_layers(cache) + 1):
                grads[f"dW{l}"] = grads[f"dW{l}"] + (lambd / m) * cache[f"W{l}"]
                grads[f"db{l}"] = grads[f"db{l}"] + (lambd / m) * cache[f"b{l}"]
            return grads
        """,
        ("check_backward_l2", "check_backward_l2_numeric"),
    ),
    Mistake(
        "l2_skips_first_layer",
        "backward_propagation_with_regularization",
        "this looks like the L2 term added from layer 2 on: dW1 needs it too.",
        _l2(layers="range(2, num_layers(cache) + 1)"),
        ("check_backward_l2", "check_backward_l2_numeric"),
    ),
    Mistake(
        "l2_wrong_sign",
        "backward_propagation_with_regularization",
        "this looks like the L2 term subtracted: the penalty's gradient (lambd / m) * Wl is added.",
        _l2(term='-(lambd / m) * cache[f"W{l}"]'),
        ("check_backward_l2", "check_backward_l2_numeric"),
    ),
    Mistake(
        "l2_m_from_weights",
        "backward_propagation_with_regularization",
        "this looks like m taken from the weights' shape; m is the number of examples, X.shape[1].",
        _l2(m='cache["W1"].shape[1]'),
        ("check_backward_l2", "check_backward_l2_numeric"),
    ),
    # -- dropout forward
    Mistake(
        "dropout_keeps_1_minus_p",
        "forward_propagation_with_dropout",
        "this looks like a mask rng.random(...) > keep_prob, which keeps 1 - keep_prob of the units; keep a "
        "unit when rng.random(...) < keep_prob.",
        _forward(mask="rng.random(A.shape) > keep_prob"),
        ("check_dropout_rate",),
        message="That is 1 - keep_prob",
    ),
    Mistake(
        "dropout_no_rescale",
        "forward_propagation_with_dropout",
        "this looks like inverted dropout without the division by keep_prob.",
        _forward(apply="A * D"),
        ("check_dropout_consistency",),
        message="the division by keep_prob is missing",
    ),
    Mistake(
        "dropout_times_keep_prob",
        "forward_propagation_with_dropout",
        "this looks like a multiplication by keep_prob; inverted dropout divides by it.",
        _forward(apply="A * D * keep_prob"),
        ("check_dropout_consistency",),
    ),
    Mistake(
        "dropout_caches_unmasked_A",
        "forward_propagation_with_dropout",
        "this looks like Al cached before the mask: cache the activation the next layer consumed, "
        "relu(Zl) * Dl / keep_prob.",
        _forward(cached="relu(Z)"),
        ("check_dropout_consistency",),
    ),
    Mistake(
        "dropout_caches_scaled_mask",
        "forward_propagation_with_dropout",
        "this looks like Dl / keep_prob cached as the mask; cache the 0/1 mask itself.",
        _forward(mask="(rng.random(A.shape) < keep_prob) / keep_prob", apply="A * D"),
        ("check_dropout_structure",),
    ),
    Mistake(
        "dropout_mask_per_unit",
        "forward_propagation_with_dropout",
        "this looks like one mask entry per unit (shape (n_l, 1)) shared by all examples; draw one per unit "
        "and example, rng.random(Al.shape).",
        _forward(mask="rng.random((A.shape[0], 1)) < keep_prob"),
        ("check_dropout_structure",),
    ),
    Mistake(
        "dropout_fixed_seed",
        "forward_propagation_with_dropout",
        "this looks like a hard-coded seed: every call draws the same masks, whatever the seed argument.",
        _forward(rng="np.random.default_rng(1)"),
        ("check_dropout_fresh", "check_dropout_seed"),
    ),
    Mistake(
        "dropout_global_state",
        "forward_propagation_with_dropout",
        "this looks like masks drawn from np.random's global state; draw from rng = np.random.default_rng(seed).",
        _forward(mask="np.random.rand(*A.shape) < keep_prob"),
        ("check_dropout_seed",),
    ),
    Mistake(
        "dropout_on_output",
        "forward_propagation_with_dropout",
        "this looks like dropout on the output layer too; only hidden layers drop units.",
        """
        def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=None):
            rng = np.random.default_rng(seed)
            L = num_layers(parameters)
            cache = {}
            A = X
            for l in range(1, L + 1):
                W, b = parameters[f"W{l}"], parameters[f"b{l}"]
                Z = W @ A + b
                A = sigmoid(Z) if l == L else relu(Z)
                D = rng.random(A.shape) < keep_prob
                A = A * D / keep_prob
                if l < L:
                    cache[f"D{l}"] = D
                cache.update({f"Z{l}": Z, f"A{l}": A, f"W{l}": W, f"b{l}": b})
            return A, cache
        """,
        ("check_dropout_input_output",),
        message="dropout must never touch the output layer",
    ),
    Mistake(
        "dropout_mask_shaped_like_W",
        "forward_propagation_with_dropout",
        "this looks like a mask drawn with the shape of Wl, (n_l, n_{l-1}); it has the shape of Al, (n_l, m): "
        "one draw per unit and example.",
        _forward(mask="rng.random(W.shape) < keep_prob"),
        ("check_dropout_structure",),
    ),
    Mistake(
        "dropout_on_input",
        "forward_propagation_with_dropout",
        "this looks like dropout on the input X too; the inputs are never dropped.",
        """
        def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=None):
            rng = np.random.default_rng(seed)
            L = num_layers(parameters)
            cache = {}
            A = X * (rng.random(X.shape) < keep_prob) / keep_prob
            for l in range(1, L + 1):
                W, b = parameters[f"W{l}"], parameters[f"b{l}"]
                Z = W @ A + b
                if l == L:
                    A = sigmoid(Z)
                else:
                    A = relu(Z)
                    D = rng.random(A.shape) < keep_prob
                    A = A * D / keep_prob
                    cache[f"D{l}"] = D
                cache.update({f"Z{l}": Z, f"A{l}": A, f"W{l}": W, f"b{l}": b})
            return A, cache
        """,
        ("check_dropout_input_output",),
        message="dropout must never touch the input X",
    ),
    # -- dropout backward
    Mistake(
        "backdrop_no_masks",
        "backward_propagation_with_dropout",
        "this looks like backward dropout without the masks: multiply dA(l) by the cached mask Dl.",
        _backward(dA='(cache[f"W{l}"].T @ dZ) / keep_prob'),
        ("check_dropout_backward", "check_dropout_backward_numeric"),
    ),
    Mistake(
        "backdrop_no_rescale",
        "backward_propagation_with_dropout",
        "this looks like backward dropout without the division by keep_prob.",
        _backward(dA='(cache[f"W{l}"].T @ dZ) * cache[f"D{l - 1}"]'),
        ("check_dropout_backward", "check_dropout_backward_numeric"),
    ),
    Mistake(
        "backdrop_plain_backprop",
        "backward_propagation_with_dropout",
        "this looks like plain backpropagation: neither the masks nor the division by keep_prob are applied.",
        _backward(dA='cache[f"W{l}"].T @ dZ'),
        ("check_dropout_backward", "check_dropout_backward_numeric"),
    ),
    Mistake(
        "backdrop_times_keep_prob",
        "backward_propagation_with_dropout",
        "this looks like dA multiplied by keep_prob; it is divided by keep_prob, as in the forward pass.",
        _backward(dA='(cache[f"W{l}"].T @ dZ) * cache[f"D{l - 1}"] * keep_prob'),
        ("check_dropout_backward", "check_dropout_backward_numeric"),
    ),
    Mistake(
        "backdrop_divides_twice",
        "backward_propagation_with_dropout",
        "this looks like a division by keep_prob twice; once is enough.",
        _backward(dA='(cache[f"W{l}"].T @ dZ) * cache[f"D{l - 1}"] / keep_prob ** 2'),
        ("check_dropout_backward", "check_dropout_backward_numeric"),
    ),
    Mistake(
        "backdrop_lambd_ignored",
        "backward_propagation_with_dropout",
        "this looks like lambd ignored: with lambd > 0 add (lambd / m) * Wl to every dWl.",
        _backward(l2="0"),
        ("check_dropout_with_l2",),
    ),
    Mistake(
        "backdrop_l2_missing_1_over_m",
        "backward_propagation_with_dropout",
        "this looks like lambd * Wl added to dWl: the 1/m is missing.",
        _backward(l2='lambd * cache[f"W{l}"]'),
        ("check_dropout_with_l2",),
    ),
    Mistake(
        "backdrop_wrong_layer_activations",
        "backward_propagation_with_dropout",
        "this looks like dWl computed from the layer's own activations Al; it uses the previous layer's, "
        "A(l-1) (X for layer 1).",
        _backward(A_prev='cache[f"A{l}"]'),
        ("check_dropout_backward", "check_dropout_backward_numeric"),
    ),
    Variant(
        "cost_frobenius_norms",
        "compute_cost_with_regularization",
        """
        def compute_cost_with_regularization(AL, Y, parameters, lambd):
            m = AL.shape[1]
            squares = 0.0
            for key, value in sorted(parameters.items(), reverse=True):
                if key.startswith("W"):
                    squares += np.linalg.norm(value, "fro") ** 2
            cross_entropy = -np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
            return cross_entropy + squares * lambd / m / 2
        """,
    ),
    Variant(
        "l2_in_place",
        "backward_propagation_with_regularization",
        """
        def backward_propagation_with_regularization(X, Y, cache, lambd):
            grads = backward_propagation(X, Y, cache)
            for key in [k for k in cache if k.startswith("W")]:
                grads["d" + key] += lambd * cache[key] / X.shape[1]
            return grads
        """,
    ),
    Variant(
        "l2_written_out",
        "backward_propagation_with_regularization",
        """
        def backward_propagation_with_regularization(X, Y, cache, lambd):
            L, m = num_layers(cache), X.shape[1]
            grads, dA = {}, None
            for l in reversed(range(1, L + 1)):
                dZ = cache[f"A{l}"] - Y if l == L else np.where(cache[f"Z{l}"] > 0, dA, 0.0)
                A_prev = cache[f"A{l - 1}"] if l > 1 else X
                grads[f"dW{l}"] = (np.dot(dZ, A_prev.T) + lambd * cache[f"W{l}"]) / m
                grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
                dA = np.dot(cache[f"W{l}"].T, dZ)
            return grads
        """,
    ),
    Variant(
        "dropout_int_mask_mask_before_relu",
        "forward_propagation_with_dropout",
        """
        def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=None):
            rng = np.random.default_rng(seed)
            L = num_layers(parameters)
            cache, A = {}, np.asarray(X, dtype=np.float64)
            for l in range(1, L + 1):
                Z = np.dot(parameters[f"W{l}"], A) + parameters[f"b{l}"]
                if l < L:
                    D = (rng.random(Z.shape) < keep_prob).astype(int)
                    A = relu(Z * D / keep_prob)
                    cache[f"D{l}"] = D
                else:
                    A = sigmoid(Z)
                cache[f"Z{l}"], cache[f"A{l}"] = Z, A
                cache[f"W{l}"], cache[f"b{l}"] = parameters[f"W{l}"], parameters[f"b{l}"]
            return A, cache
        """,
    ),
    Variant(
        "dropout_binomial_in_place",
        "forward_propagation_with_dropout",
        """
        def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=None):
            rng = np.random.default_rng(seed)
            L = num_layers(parameters)
            cache, A = {}, X
            masks = {}
            for l in range(1, L + 1):
                Z = parameters[f"W{l}"] @ A + parameters[f"b{l}"]
                A = sigmoid(Z) if l == L else np.maximum(Z, 0)
                if l < L:
                    masks[l] = rng.binomial(1, keep_prob, size=A.shape).astype(float)
                    A *= masks[l]
                    A /= keep_prob
                    cache[f"D{l}"] = masks[l]
                cache.update({f"Z{l}": Z, f"A{l}": A, f"W{l}": parameters[f"W{l}"], f"b{l}": parameters[f"b{l}"]})
            return A, cache
        """,
    ),
    Variant(
        "backdrop_gate_from_activations",
        "backward_propagation_with_dropout",
        """
        def backward_propagation_with_dropout(X, Y, cache, keep_prob, lambd=0.0):
            L, m = num_layers(cache), X.shape[1]
            grads = {}
            dZ = cache[f"A{L}"] - Y
            for l in range(L, 0, -1):
                A_prev = X if l == 1 else cache[f"A{l - 1}"]
                grads[f"dW{l}"] = (dZ @ A_prev.T) / m
                grads[f"db{l}"] = dZ.mean(axis=1, keepdims=True)
                if l > 1:
                    dA = cache[f"W{l}"].T @ dZ
                    dA *= cache[f"D{l - 1}"]
                    dA /= keep_prob
                    dZ = dA * (A_prev > 0)
            for l in range(1, L + 1):
                grads[f"dW{l}"] += lambd / m * cache[f"W{l}"]
            return grads
        """,
    ),
    # -- written for the project's own tests (no hint: they only prove the checks catch them) --
    # Backward through dropout that ignores lambd (no L2 term).
    Mistake(
        "backward_dropout_lambd_ignored",
        "backward_propagation_with_dropout",
        "",
        """
        def backward_propagation_with_dropout(X, Y, cache, keep_prob, lambd=0.0):
            L = num_layers(cache)
            m = X.shape[1]
            grads = {}
            dZ = cache[f"A{L}"] - Y
            for l in range(L, 0, -1):
                A_prev = X if l == 1 else cache[f"A{l - 1}"]
                grads[f"dW{l}"] = dZ @ A_prev.T / m
                grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
                if l > 1:
                    dA = (cache[f"W{l}"].T @ dZ) * cache[f"D{l - 1}"] / keep_prob
                    dZ = dA * (cache[f"Z{l - 1}"] > 0)
            return grads
        """,
        ("check_dropout_with_l2",),
        message="lambd ignored",
    ),
    # Backward through dropout without applying the masks to dAl.
    Mistake(
        "backward_dropout_no_masks",
        "backward_propagation_with_dropout",
        "",
        """
        def backward_propagation_with_dropout(X, Y, cache, keep_prob, lambd=0.0):
            L = num_layers(cache)
            m = X.shape[1]
            grads = {}
            dZ = cache[f"A{L}"] - Y
            for l in range(L, 0, -1):
                A_prev = X if l == 1 else cache[f"A{l - 1}"]
                grads[f"dW{l}"] = dZ @ A_prev.T / m + (lambd / m) * cache[f"W{l}"]
                grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
                if l > 1:
                    dA = (cache[f"W{l}"].T @ dZ) / keep_prob
                    dZ = dA * (cache[f"Z{l - 1}"] > 0)
            return grads
        """,
        ("check_dropout_backward", "check_dropout_backward_numeric"),
        message="dW1",
    ),
    # Backward through dropout without the division by keep_prob.
    Mistake(
        "backward_dropout_no_rescale",
        "backward_propagation_with_dropout",
        "",
        """
        def backward_propagation_with_dropout(X, Y, cache, keep_prob, lambd=0.0):
            L = num_layers(cache)
            m = X.shape[1]
            grads = {}
            dZ = cache[f"A{L}"] - Y
            for l in range(L, 0, -1):
                A_prev = X if l == 1 else cache[f"A{l - 1}"]
                grads[f"dW{l}"] = dZ @ A_prev.T / m + (lambd / m) * cache[f"W{l}"]
                grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
                if l > 1:
                    dA = (cache[f"W{l}"].T @ dZ) * cache[f"D{l - 1}"]
                    dZ = dA * (cache[f"Z{l - 1}"] > 0)
            return grads
        """,
        ("check_dropout_backward", "check_dropout_backward_numeric"),
        message="dW1",
    ),
    # The L2 gradient term without 1/m: lambd * Wl.
    Mistake(
        "backward_l2_missing_1_over_m",
        "backward_propagation_with_regularization",
        "",
        """
        def backward_propagation_with_regularization(X, Y, cache, lambd):
            grads = backward_propagation(X, Y, cache)
            for l in range(1, num_layers(cache) + 1):
                grads[f"dW{l}"] = grads[f"dW{l}"] + lambd * cache[f"W{l}"]
            return grads
        """,
        ("check_backward_l2", "check_backward_l2_numeric"),
        message="dW1",
    ),
    # The L2 term added to dbl as well.
    Mistake(
        "backward_l2_on_db",
        "backward_propagation_with_regularization",
        "",
        """
        def backward_propagation_with_regularization(X, Y, cache, lambd):
            m = X.shape[1]
            grads = backward_propagation(X, Y, cache)
            for l in range(1, num_layers(cache) + 1):
                grads[f"dW{l}"] = grads[f"dW{l}"] + (lambd / m) * cache[f"W{l}"]
                grads[f"db{l}"] = grads[f"db{l}"] + (lambd / m) * cache[f"b{l}"]
            return grads
        """,
        ("check_backward_l2", "check_backward_l2_numeric"),
        message="db1",
    ),
    # Caches one mask but applies another (drawn twice).
    Mistake(
        "dropout_inconsistent_masks",
        "forward_propagation_with_dropout",
        "",
        """
        def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=None):
            rng = np.random.default_rng(seed)
            L = num_layers(parameters)
            cache = {}
            A = X
            for l in range(1, L + 1):
                W, b = parameters[f"W{l}"], parameters[f"b{l}"]
                Z = W @ A + b
                if l == L:
                    A = sigmoid(Z)
                else:
                    cache[f"D{l}"] = rng.random(Z.shape) < keep_prob
                    A = relu(Z) * (rng.random(Z.shape) < keep_prob) / keep_prob
                cache.update({f"Z{l}": Z, f"A{l}": A, f"W{l}": W, f"b{l}": b})
            return A, cache
        """,
        ("check_dropout_consistency",),
        message="recomputed from your own cached Z1 and mask D1",
    ),
    # seed=None falls back to a fixed seed: the same masks on every call.
    Mistake(
        "dropout_same_mask_without_seed",
        "forward_propagation_with_dropout",
        "",
        """
        def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=None):
            rng = np.random.default_rng(1 if seed is None else seed)
            L = num_layers(parameters)
            cache = {}
            A = X
            for l in range(1, L + 1):
                W, b = parameters[f"W{l}"], parameters[f"b{l}"]
                Z = W @ A + b
                if l == L:
                    A = sigmoid(Z)
                else:
                    D = rng.random(Z.shape) < keep_prob
                    A = relu(Z) * D / keep_prob
                    cache[f"D{l}"] = D
                cache.update({f"Z{l}": Z, f"A{l}": A, f"W{l}": W, f"b{l}": b})
            return A, cache
        """,
        ("check_dropout_fresh",),
        message="with seed=None every call must draw fresh masks",
    ),
    # The seed argument is ignored: fresh masks even with a seed.
    Mistake(
        "dropout_seed_ignored",
        "forward_propagation_with_dropout",
        "",
        """
        def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=None):
            rng = np.random.default_rng()
            L = num_layers(parameters)
            cache = {}
            A = X
            for l in range(1, L + 1):
                W, b = parameters[f"W{l}"], parameters[f"b{l}"]
                Z = W @ A + b
                if l == L:
                    A = sigmoid(Z)
                else:
                    D = rng.random(Z.shape) < keep_prob
                    A = relu(Z) * D / keep_prob
                    cache[f"D{l}"] = D
                cache.update({f"Z{l}": Z, f"A{l}": A, f"W{l}": W, f"b{l}": b})
            return A, cache
        """,
        ("check_dropout_seed",),
        message="gave different masks or AL",
    ),
]
