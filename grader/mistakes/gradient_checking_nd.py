"""Known implementations of ``gradient_checking_nd`` (see ``grader/mistakes/__init__.py``)."""

from grader import paths
from grader.mistakes import Mistake, Variant, definitions


def _d2v(
    block="np.asarray(parameters[name], dtype=float).reshape(-1)",
    names='[n for l in range(1, _num_layers(parameters) + 1) for n in (f"W{l}", f"b{l}")]',
    shape="(-1, 1)",
):
    return f"""
        def dictionary_to_vector(parameters):
            blocks = [{block} for name in {names}]
            return np.concatenate(blocks).reshape{shape}
        """


def _v2d(
    W="flat[start:start + n * n_prev].reshape(n, n_prev).copy()",
    b="flat[start:start + n].reshape(n, 1).copy()",
    b_step="n",
):
    return f"""
        def vector_to_dictionary(theta, layers_dims):
            flat = np.asarray(theta, dtype=float).reshape(-1)
            parameters = {{}}
            start = 0
            for l in range(1, len(layers_dims)):
                n, n_prev = layers_dims[l], layers_dims[l - 1]
                parameters[f"W{{l}}"] = {W}
                start += n * n_prev
                parameters[f"b{{l}}"] = {b}
                start += {b_step}
            return parameters
        """


def _backward(
    dW="(1.0 / m) * dZ @ A_prev.T",
    db="(1.0 / m) * np.sum(dZ, axis=1, keepdims=True)",
    dZ_prev='dA_prev * (cache[f"Z{l - 1}"] > 0)',
    A_prev='X if l == 1 else cache[f"A{l - 1}"]',
):
    return f"""
        def backward_propagation_n(X, Y, cache):
            m = X.shape[1]
            L = _num_layers(cache)
            gradients = {{}}
            dZ = cache[f"A{{L}}"] - Y
            for l in range(L, 0, -1):
                A_prev = {A_prev}
                gradients[f"dW{{l}}"] = {dW}
                gradients[f"db{{l}}"] = {db}
                if l > 1:
                    dA_prev = cache[f"W{{l}}"].T @ dZ
                    dZ = {dZ_prev}
            return gradients
        """


def _check(
    approx="(J_plus - J_minus) / (2 * epsilon)",
    plus="theta.copy()",
    minus="theta.copy()",
    J_minus="forward_propagation_n(X, Y, vector_to_dictionary(theta_minus, layers_dims))[0]",
    difference="_relative_difference(grad, gradapprox)",
):
    return f"""
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):
            theta = dictionary_to_vector(parameters)
            grad = gradients_to_vector(gradients)
            layers_dims = [parameters["W1"].shape[1]]
            layers_dims += [parameters[f"W{{l}}"].shape[0] for l in range(1, _num_layers(parameters) + 1)]
            gradapprox = np.zeros_like(theta)
            for i in range(theta.shape[0]):
                theta_plus = {plus}
                theta_plus[i, 0] += epsilon
                J_plus = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus, layers_dims))[0]
                theta_minus = {minus}
                theta_minus[i, 0] -= epsilon
                J_minus = {J_minus}
                gradapprox[i, 0] = {approx}
            return {difference}
        """


def _find(judge="_relative_difference(grad[block], gradapprox[block]) > threshold", label="name", result="wrong"):
    return f"""
        def find_wrong_gradients(parameters, gradients, X, Y, epsilon=1e-7, threshold=2e-7):
            grad = gradients_to_vector(gradients).reshape(-1)
            gradapprox = _numerical_gradient(parameters, X, Y, epsilon).reshape(-1)
            wrong = []
            start = 0
            for l in range(1, _num_layers(parameters) + 1):
                for name in (f"W{{l}}", f"b{{l}}"):
                    size = parameters[name].size
                    block = slice(start, start + size)
                    if {judge}:
                        wrong.append({label})
                    start += size
            return {result}
        """


def _planted(fixed=()):
    """The stub's ``backward_propagation_n``, its two planted bugs in (dWL uses 2.0 / m, db1 4.0 / m) but
    for those named in ``fixed``: the code a student hands in when they did not find them all."""
    source = definitions((paths.ASSIGNMENTS / "gradient_checking_nd.py").read_text(encoding="utf-8"))[
        "backward_propagation_n"
    ]
    for bug, line in (("dWL", 'gradients[f"dW{L}"] = 2.0 / m'), ("db1", 'gradients["db1"] = 4.0 / m')):
        assert line in source, f"the planted bug in {bug} is no longer in the stub"
        if bug in fixed:
            source = source.replace(line, line.replace("2.0 / m", "1.0 / m").replace("4.0 / m", "1.0 / m"))
    return source


CATALOGUE = [
    # -- the layout
    Mistake(
        "d2v_column_major",
        "dictionary_to_vector",
        "this looks like the blocks flattened column by column (order 'F' or W.T); flatten row-major, W.reshape(-1).",
        _d2v(block='np.asarray(parameters[name], dtype=float).reshape(-1, order="F")'),
        ("check_dictionary_to_vector",),
    ),
    Mistake(
        "d2v_weights_then_biases",
        "dictionary_to_vector",
        "this looks like all the weights first, then all the biases; the layout interleaves them: W1, b1, W2, b2, ...",
        _d2v(names='[f"{p}{l}" for p in "Wb" for l in range(1, _num_layers(parameters) + 1)]'),
        ("check_dictionary_to_vector",),
    ),
    Mistake(
        "d2v_flat",
        "dictionary_to_vector",
        "this looks like a flat vector of shape (n,); theta is a column of shape (n, 1).",
        _d2v(shape="(-1)"),
        ("check_dictionary_to_vector",),
    ),
    Mistake(
        "d2v_dict_order",
        "dictionary_to_vector",
        "this looks like the blocks taken in the dict's own order; lay them out as W1, b1, ..., WL, bL "
        "whatever order the dict was built in.",
        _d2v(names="list(parameters)"),
        ("check_dictionary_to_vector",),
    ),
    Mistake(
        "v2d_column_major",
        "vector_to_dictionary",
        "this looks like the weights read back column by column; reshape row-major, (n_l, n_{l-1}).",
        _v2d(W='flat[start:start + n * n_prev].reshape(n, n_prev, order="F")'),
        ("check_vector_to_dictionary",),
    ),
    Mistake(
        "v2d_1d_bias",
        "vector_to_dictionary",
        "this looks like 1-D biases of shape (n_l,); read them back as (n_l, 1).",
        _v2d(b="flat[start:start + n].copy()"),
        ("check_vector_to_dictionary",),
    ),
    Mistake(
        "v2d_bias_offset_not_advanced",
        "vector_to_dictionary",
        "this looks like the offset not moved past bl: the next weights start n_l entries later.",
        _v2d(b_step="0"),
        ("check_vector_to_dictionary",),
    ),
    Mistake(
        "v2d_course_layers",
        "vector_to_dictionary",
        "this looks like the course's hard-coded 4-5-3-1 layout; use layers_dims to find every block.",
        """
        def vector_to_dictionary(theta, layers_dims):
            return {"W1": theta[:20].reshape((5, 4)), "b1": theta[20:25].reshape((5, 1)),
                    "W2": theta[25:40].reshape((3, 5)), "b2": theta[40:43].reshape((3, 1)),
                    "W3": theta[43:46].reshape((1, 3)), "b3": theta[46:47].reshape((1, 1))}
        """,
        ("check_vector_to_dictionary",),
    ),
    Mistake(
        "g2v_includes_other_keys",
        "gradients_to_vector",
        "this looks like every entry of gradients in the vector; only dW1, db1, ..., dWL, dbL belong there.",
        """
        def gradients_to_vector(gradients):
            return np.concatenate([np.asarray(value, dtype=float).reshape(-1) for value in gradients.values()]).reshape(-1, 1)
        """,
        ("check_gradients_to_vector",),
    ),
    Mistake(
        "g2v_dict_order",
        "gradients_to_vector",
        "this looks like the blocks in the dict's order (a backward pass fills it from the last layer); "
        "lay them out as dW1, db1, ..., dWL, dbL.",
        """
        def gradients_to_vector(gradients):
            blocks = [np.asarray(v, dtype=float).reshape(-1) for k, v in gradients.items() if k[:2] in ("dW", "db")]
            return np.concatenate(blocks).reshape(-1, 1)
        """,
        ("check_gradients_to_vector",),
    ),
    Mistake(
        "g2v_gradient_keys_as_parameters",
        "gradients_to_vector",
        "this looks like dictionary_to_vector applied to gradients: it looks for W1, b1, not dW1, db1.",
        """
        def gradients_to_vector(gradients):
            return dictionary_to_vector(gradients)
        """,
        ("check_gradients_to_vector",),
    ),
    # -- the backward pass
    Mistake(
        "bp_planted_both",
        "backward_propagation_n",
        "this looks like both planted bugs left in: dWL = 2.0 / m * dZL A(L-1)^T (twice the gradient) and "
        "db1 = 4.0 / m * sum dZ1 (four times); both take 1.0 / m.",
        _planted(),
        ("check_backward_fraud", "check_backward_drawn"),
    ),
    Mistake(
        "bp_planted_dWL_times_2",
        "backward_propagation_n",
        "this looks like one planted bug left in: dWL = 2.0 / m * dZL A(L-1)^T is twice the gradient "
        "(1.0 / m); db1 is fixed.",
        _planted(fixed=("db1",)),
        ("check_backward_fraud", "check_backward_drawn"),
    ),
    Mistake(
        "bp_planted_db1_4_over_m",
        "backward_propagation_n",
        "this looks like one planted bug left in: db1 = 4.0 / m * sum dZ1 is four times the gradient "
        "(1.0 / m); dWL is fixed.",
        _planted(fixed=("dWL",)),
        ("check_backward_fraud", "check_backward_drawn"),
    ),
    Mistake(
        "bp_dW2_times_2",
        "backward_propagation_n",
        "this looks like dW2 twice the correct gradient (the planted bug of the course's original 3-layer notebook).",
        _backward(dW="(1.0 / m) * dZ @ A_prev.T * (2 if l == 2 else 1)"),
        ("check_backward_fraud", "check_backward_drawn"),
    ),
    Mistake(
        "bp_missing_1_over_m",
        "backward_propagation_n",
        "this looks like gradients summed over the examples, not averaged: the 1/m is missing.",
        _backward(dW="dZ @ A_prev.T", db="np.sum(dZ, axis=1, keepdims=True)"),
        ("check_backward_fraud", "check_backward_drawn"),
    ),
    Mistake(
        "bp_no_relu_derivative",
        "backward_propagation_n",
        "this looks like the ReLU's derivative left out: dZ(l-1) = dA(l-1) * (Z(l-1) > 0).",
        _backward(dZ_prev="dA_prev"),
        ("check_backward_fraud", "check_backward_drawn"),
    ),
    Mistake(
        "bp_wrong_layer_activations",
        "backward_propagation_n",
        "this looks like dWl computed from the layer's own activations Al; it uses A(l-1) (X for layer 1).",
        _backward(A_prev='cache[f"A{l}"]'),
        ("check_backward_fraud", "check_backward_drawn"),
    ),
    Mistake(
        "bp_db_without_keepdims",
        "backward_propagation_n",
        "this looks like dbl of shape (n_l,): sum with keepdims=True to keep (n_l, 1).",
        _backward(db="(1.0 / m) * np.sum(dZ, axis=1)"),
        ("check_backward_fraud", "check_backward_drawn"),
    ),
    # -- gradient_check_n
    Mistake(
        "gcn_one_sided",
        "gradient_check_n",
        "this looks like a one-sided difference (J(theta + eps) - J(theta)) / eps; use the centred one, "
        "(J(theta + eps) - J(theta - eps)) / (2 eps).",
        _check(approx="(J_plus - J_minus) / epsilon", J_minus="forward_propagation_n(X, Y, parameters)[0]"),
        ("check_centred",),
    ),
    Mistake(
        "gcn_swapped_plus_minus",
        "gradient_check_n",
        "this looks like J_plus and J_minus swapped: gradapprox[i] = (J_plus[i] - J_minus[i]) / (2 epsilon), "
        "with J_plus at theta + epsilon.",
        _check(approx="(J_minus - J_plus) / (2 * epsilon)"),
        ("check_correct_passes", "check_wrong_difference", "check_centred"),
    ),
    Mistake(
        "gcn_minus_from_theta_plus",
        "gradient_check_n",
        "this looks like J_minus computed at theta_plus (a copy of the line above): J_minus[i] is the cost "
        "at theta_minus.",
        _check(J_minus="forward_propagation_n(X, Y, vector_to_dictionary(theta_plus, layers_dims))[0]"),
        ("check_correct_passes", "check_wrong_difference", "check_centred"),
    ),
    Mistake(
        "gcn_missing_two",
        "gradient_check_n",
        "this looks like the centred difference divided by eps instead of 2 eps.",
        _check(approx="(J_plus - J_minus) / epsilon"),
        ("check_correct_passes", "check_wrong_difference"),
    ),
    Mistake(
        "gcn_theta_aliased",
        "gradient_check_n",
        "this looks like theta_plus = theta without .copy(): both perturbations change the same array, so "
        "J(theta - eps) is really J(theta).",
        _check(plus="theta", minus="theta"),
        ("check_correct_passes", "check_wrong_difference"),
    ),
    Mistake(
        "gcn_no_denominator",
        "gradient_check_n",
        "this looks like ||grad - gradapprox|| without dividing by ||grad|| + ||gradapprox||.",
        _check(difference="float(np.linalg.norm(grad - gradapprox))"),
        ("check_wrong_difference",),
    ),
    Mistake(
        "gcn_norm_of_sum",
        "gradient_check_n",
        "this looks like a denominator of ||grad + gradapprox||; it is ||grad|| + ||gradapprox||.",
        _check(difference="float(np.linalg.norm(grad - gradapprox) / np.linalg.norm(grad + gradapprox))"),
        ("check_wrong_difference",),
    ),
    # -- find_wrong_gradients
    Mistake(
        "fwg_global_denominator",
        "find_wrong_gradients",
        "this looks like each block's error divided by the norms of the whole vectors; judge each block by "
        "its own relative difference.",
        _find(
            judge="np.linalg.norm(grad[block] - gradapprox[block]) / (np.linalg.norm(grad) + "
            "np.linalg.norm(gradapprox)) > threshold"
        ),
        ("check_per_block",),
    ),
    Mistake(
        "fwg_absolute_error",
        "find_wrong_gradients",
        "this looks like a block judged by its largest absolute error; use its relative difference.",
        _find(judge="np.max(np.abs(grad[block] - gradapprox[block])) > threshold"),
        ("check_per_block",),
    ),
    Mistake(
        "fwg_gradient_names",
        "find_wrong_gradients",
        "this looks like the gradients' names (dW2); return the parameters' names, W2.",
        _find(label='"d" + name'),
        ("check_find_wrong", "check_per_block"),
    ),
    Mistake(
        "fwg_sorted_names",
        "find_wrong_gradients",
        "this looks like the names sorted alphabetically; keep the layout order W1, b1, W2, ...",
        _find(result="sorted(wrong)"),
        ("check_find_wrong_order",),
    ),
    Mistake(
        "fwg_block_indices",
        "find_wrong_gradients",
        "this looks like block numbers; return the blocks' names, such as 'W2'.",
        _find(label="len(wrong)"),
        ("check_find_wrong", "check_per_block"),
    ),
    Variant(
        "d2v_ravel_hstack",
        "dictionary_to_vector",
        """
        def dictionary_to_vector(parameters):
            L = len([k for k in parameters if k.startswith("W")])
            pieces = []
            for l in range(1, L + 1):
                pieces += [np.ravel(parameters["W" + str(l)]), np.ravel(parameters["b" + str(l)])]
            return np.hstack(pieces).astype(np.float64)[:, np.newaxis]
        """,
    ),
    Variant(
        "v2d_entry_by_entry",
        "vector_to_dictionary",
        """
        def vector_to_dictionary(theta, layers_dims):
            values = [float(v) for v in np.asarray(theta).reshape(-1)]
            parameters, i = {}, 0
            for l in range(1, len(layers_dims)):
                for name, shape in ((f"W{l}", (layers_dims[l], layers_dims[l - 1])), (f"b{l}", (layers_dims[l], 1))):
                    block = np.empty(shape)
                    for r in range(shape[0]):
                        for c in range(shape[1]):
                            block[r, c] = values[i]
                            i += 1
                    parameters[name] = block
            return parameters
        """,
    ),
    Variant(
        "g2v_via_dictionary_to_vector",
        "gradients_to_vector",
        """
        def gradients_to_vector(gradients):
            renamed = {key[1:]: value for key, value in gradients.items() if key[:2] in ("dW", "db")}
            return dictionary_to_vector(renamed)
        """,
    ),
    Variant(
        "bp_dot_and_mean",
        "backward_propagation_n",
        """
        def backward_propagation_n(X, Y, cache):
            L = len([k for k in cache if k.startswith("W")])
            gradients = {}
            dZ = cache["A" + str(L)] - Y
            for l in reversed(range(1, L + 1)):
                A_prev = cache["A" + str(l - 1)] if l > 1 else X
                gradients["dW" + str(l)] = np.dot(dZ, A_prev.T) / X.shape[1]
                gradients["db" + str(l)] = dZ.mean(axis=1, keepdims=True)
                if l > 1:
                    dZ = np.where(cache["Z" + str(l - 1)] > 0, np.dot(cache["W" + str(l)].T, dZ), 0.0)
            return gradients
        """,
    ),
    Variant(
        "gcn_list_of_costs",
        "gradient_check_n",
        """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):
            theta = dictionary_to_vector(parameters)
            dims = [parameters["W1"].shape[1]] + [parameters[f"W{l}"].shape[0]
                                                  for l in range(1, len(parameters) // 2 + 1)]
            approx = []
            for i in range(len(theta)):
                step = np.zeros_like(theta)
                step[i] = epsilon
                J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta + step, dims))
                J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta - step, dims))
                approx.append((J_plus - J_minus) / (2 * epsilon))
            gradapprox = np.array(approx).reshape(-1, 1)
            grad = gradients_to_vector(gradients)
            denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
            return 0.0 if denominator == 0 else np.linalg.norm(grad - gradapprox) / denominator
        """,
    ),
    Variant(
        "fwg_split_blocks",
        "find_wrong_gradients",
        """
        def find_wrong_gradients(parameters, gradients, X, Y, epsilon=1e-7, threshold=2e-7):
            names = [f"{p}{l}" for l in range(1, len(parameters) // 2 + 1) for p in "Wb"]
            cuts = np.cumsum([parameters[n].size for n in names])[:-1]
            grads = np.split(gradients_to_vector(gradients).ravel(), cuts)
            approx = np.split(_numerical_gradient(parameters, X, Y, epsilon).ravel(), cuts)
            return [n for n, g, a in zip(names, grads, approx)
                    if np.linalg.norm(g - a) > threshold * (np.linalg.norm(g) + np.linalg.norm(a))]
        """,
    ),
    # -- written for the project's own tests (no hint: they only prove the checks catch them) --
    # find_wrong_gradients that checks all parameters at once and blames every block.
    Mistake(
        "global_difference_only",
        "find_wrong_gradients",
        "",
        """
        def find_wrong_gradients(parameters, gradients, X, Y, epsilon=1e-7, threshold=2e-7):
            if gradient_check_n(parameters, gradients, X, Y, epsilon) > threshold:
                return [name for l in range(1, len(parameters) // 2 + 1) for name in (f"W{l}", f"b{l}")]
            return []
        """,
        ("check_find_wrong", "check_per_block"),
        message="a block is wrong when its own relative difference exceeds 2e-7",
    ),
    # find_wrong_gradients dividing each block's error by the norms of the whole gradient.
    Mistake(
        "global_difference_per_block",
        "find_wrong_gradients",
        "",
        """
        def find_wrong_gradients(parameters, gradients, X, Y, epsilon=1e-7, threshold=2e-7):
            grad = gradients_to_vector(gradients).reshape(-1)
            gradapprox = _numerical_gradient(parameters, X, Y, epsilon).reshape(-1)
            scale = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
            wrong, start = [], 0
            for l in range(1, len(parameters) // 2 + 1):
                for name in (f"W{l}", f"b{l}"):
                    size = parameters[name].size
                    if np.linalg.norm(grad[start:start + size] - gradapprox[start:start + size]) / scale > threshold:
                        wrong.append(name)
                    start += size
            return wrong
        """,
        ("check_per_block",),
        message="a block is wrong when its own relative difference exceeds 2e-7",
    ),
    # gradients_to_vector in sorted key order (dW1, dW2, ..., db1, ...): every b after every W.
    Mistake(
        "gradients_sorted_keys",
        "gradients_to_vector",
        "",
        """
        def gradients_to_vector(gradients):
            keys = sorted(key for key in gradients if key[:2] in ("dW", "db"))
            return np.concatenate([gradients[key].reshape(-1) for key in keys]).reshape(-1, 1)
        """,
        ("check_gradients_to_vector",),
        message="the layout is W1, b1, W2, b2",
    ),
    # gradients_to_vector sweeping every key of gradients (dZ, dA included) into the vector.
    Mistake(
        "gradients_with_extra_keys",
        "gradients_to_vector",
        "",
        """
        def gradients_to_vector(gradients):
            return np.concatenate([np.asarray(value).reshape(-1) for value in gradients.values()]).reshape(-1, 1)
        """,
        ("check_gradients_to_vector",),
        message="must be ignored",
    ),
    # vector_to_dictionary reading the weights back column-major: not the inverse of the layout.
    Mistake(
        "inverse_column_major",
        "vector_to_dictionary",
        "",
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
        """,
        ("check_vector_to_dictionary",),
        message="reading theta back must undo the layout",
    ),
    # vector_to_dictionary hard-coded for the course's 4-5-3-1 network, like the original.
    Mistake(
        "inverse_hard_coded",
        "vector_to_dictionary",
        "",
        """
        def vector_to_dictionary(theta, layers_dims):
            return {"W1": theta[:20].reshape((5, 4)), "b1": theta[20:25].reshape((5, 1)),
                    "W2": theta[25:40].reshape((3, 5)), "b2": theta[40:43].reshape((3, 1)),
                    "W3": theta[43:46].reshape((1, 3)), "b3": theta[46:47].reshape((1, 1))}
        """,
        ("check_vector_to_dictionary",),
        message="`vector_to_dictionary` raised",
    ),
    # gradient_check_n returning the largest absolute error instead of the relative difference.
    Mistake(
        "max_abs_error",
        "gradient_check_n",
        "",
        """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):
            grad = gradients_to_vector(gradients)
            gradapprox = _numerical_gradient(parameters, X, Y, epsilon)
            return float(np.max(np.abs(grad - gradapprox)))
        """,
        ("check_wrong_difference",),
        message="||grad - gradapprox|| / (||grad|| + ||gradapprox||)",
    ),
    # find_wrong_gradients flagging a block by its largest absolute error, not its relative difference.
    Mistake(
        "max_abs_per_block",
        "find_wrong_gradients",
        "",
        """
        def find_wrong_gradients(parameters, gradients, X, Y, epsilon=1e-7, threshold=2e-7):
            grad = gradients_to_vector(gradients).reshape(-1)
            gradapprox = _numerical_gradient(parameters, X, Y, epsilon).reshape(-1)
            wrong, start = [], 0
            for l in range(1, len(parameters) // 2 + 1):
                for name in (f"W{l}", f"b{l}"):
                    size = parameters[name].size
                    if np.max(np.abs(grad[start:start + size] - gradapprox[start:start + size])) > threshold:
                        wrong.append(name)
                    start += size
            return wrong
        """,
        ("check_per_block",),
        message="a block is wrong when its own relative difference exceeds 2e-7",
    ),
    # backward_propagation_n with only one of the planted bugs fixed: dWL is still doubled.
    Mistake(
        "one_bug_fixed",
        "backward_propagation_n",
        "",
        """
        def backward_propagation_n(X, Y, cache):
            m = X.shape[1]
            L = sum(1 for key in cache if key.startswith("W"))
            gradients = {}
            dZ = cache[f"A{L}"] - Y
            for l in range(L, 0, -1):
                A_prev = X if l == 1 else cache[f"A{l - 1}"]
                gradients[f"dW{l}"] = (2.0 if l == L else 1.0) / m * dZ @ A_prev.T
                gradients[f"db{l}"] = 1.0 / m * np.sum(dZ, axis=1, keepdims=True)
                if l > 1:
                    dZ = (cache[f"W{l}"].T @ dZ) * (cache[f"Z{l - 1}"] > 0)
            return gradients
        """,
        ("check_backward_fraud", "check_backward_drawn"),
        message="is 2 times the correct gradient everywhere",
    ),
    # gradient_check_n with a one-sided difference (J(theta + eps) - J(theta)) / eps.
    Mistake(
        "one_sided_difference",
        "gradient_check_n",
        "",
        """
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):
            theta = dictionary_to_vector(parameters)
            layers_dims = [parameters["W1"].shape[1]] + [parameters[f"W{l}"].shape[0] for l in range(1, len(parameters) // 2 + 1)]
            J, _ = forward_propagation_n(X, Y, parameters)
            gradapprox = np.zeros_like(theta)
            for i in range(theta.shape[0]):
                theta_plus = theta.copy()
                theta_plus[i, 0] += epsilon
                J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus, layers_dims))
                gradapprox[i, 0] = (J_plus - J) / epsilon
            grad = gradients_to_vector(gradients)
            return float(np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))
        """,
        ("check_centred",),
        message="a one-sided difference only to about eps",
    ),
    # The stub's backward_propagation_n as shipped, both planted bugs still in.
    Mistake(
        "planted_bugs_left_in",
        "backward_propagation_n",
        "",
        """
        def backward_propagation_n(X, Y, cache):
            m = X.shape[1]
            L = sum(1 for key in cache if key.startswith("W"))
            gradients = {}

            # output layer L: sigmoid and cross-entropy together give dZL = AL - Y
            dZ = cache[f"A{L}"] - Y
            gradients[f"dZ{L}"] = dZ
            gradients[f"dW{L}"] = 2.0 / m * np.dot(dZ, cache[f"A{L - 1}"].T)
            gradients[f"db{L}"] = 1.0 / m * np.sum(dZ, axis=1, keepdims=True)

            # hidden layers L-1, ..., 2: ReLU
            for l in range(L - 1, 1, -1):
                dA = np.dot(cache[f"W{l + 1}"].T, dZ)
                dZ = dA * (cache[f"Z{l}"] > 0)
                gradients[f"dA{l}"] = dA
                gradients[f"dZ{l}"] = dZ
                gradients[f"dW{l}"] = 1.0 / m * np.dot(dZ, cache[f"A{l - 1}"].T)
                gradients[f"db{l}"] = 1.0 / m * np.sum(dZ, axis=1, keepdims=True)

            # first layer: ReLU, its input is X
            dA1 = np.dot(cache["W2"].T, dZ)
            dZ1 = dA1 * (cache["Z1"] > 0)
            gradients["dA1"] = dA1
            gradients["dZ1"] = dZ1
            gradients["dW1"] = 1.0 / m * np.dot(dZ1, X.T)
            gradients["db1"] = 4.0 / m * np.sum(dZ1, axis=1, keepdims=True)

            return gradients
        """,
        ("check_backward_fraud", "check_backward_drawn"),
        message="times the correct gradient everywhere",
    ),
    # dictionary_to_vector putting each bias before its weights.
    Mistake(
        "vector_b_before_w",
        "dictionary_to_vector",
        "",
        """
        def dictionary_to_vector(parameters):
            L = len(parameters) // 2
            blocks = []
            for l in range(1, L + 1):
                blocks += [parameters[f"b{l}"].reshape(-1), parameters[f"W{l}"].reshape(-1)]
            return np.concatenate(blocks).reshape(-1, 1)
        """,
        ("check_dictionary_to_vector",),
        message="holds b1[0, 0], expected W1[0, 0]",
    ),
    # dictionary_to_vector flattening the weights column-major (Fortran order).
    Mistake(
        "vector_column_major",
        "dictionary_to_vector",
        "",
        """
        def dictionary_to_vector(parameters):
            L = len(parameters) // 2
            blocks = []
            for l in range(1, L + 1):
                blocks += [parameters[f"W{l}"].reshape(-1, order="F"), parameters[f"b{l}"].reshape(-1)]
            return np.concatenate(blocks).reshape(-1, 1)
        """,
        ("check_dictionary_to_vector",),
        message="flattened row-major (C order)",
    ),
]
