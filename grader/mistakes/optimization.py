"""Known implementations of ``optimization`` (see ``grader/mistakes/__init__.py``)."""

from grader.mistakes import Mistake, Variant


def _course_batches(
    shuffled_Y="Y[:, permutation].reshape((1, m))", last_start="num_complete_minibatches * mini_batch_size"
):
    """``random_mini_batches`` the way the course's template writes it (seeded by default_rng here)."""
    return f"""
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            m = X.shape[1]
            mini_batches = []

            # Step 1: Shuffle (X, Y)
            permutation = list(np.random.default_rng(seed).permutation(m))
            shuffled_X = X[:, permutation]
            shuffled_Y = {shuffled_Y}

            # Step 2: Partition (shuffled_X, shuffled_Y). Minus the end case.
            num_complete_minibatches = math.floor(m / mini_batch_size)
            for k in range(0, num_complete_minibatches):
                mini_batch_X = shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size]
                mini_batch_Y = shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]
                mini_batch = (mini_batch_X, mini_batch_Y)
                mini_batches.append(mini_batch)

            # Handling the end case (last mini-batch < mini_batch_size)
            if m % mini_batch_size != 0:
                mini_batch_X = shuffled_X[:, {last_start}:]
                mini_batch_Y = shuffled_Y[:, {last_start}:]
                mini_batch = (mini_batch_X, mini_batch_Y)
                mini_batches.append(mini_batch)

            return mini_batches
        """


def _course_adam(
    s_corrected='s["dW" + str(l + 1)] / (1 - beta2 ** t)',
    s_corrected_b='s["db" + str(l + 1)] / (1 - beta2 ** t)',
    step_W='v_corrected["dW" + str(l + 1)] / (np.sqrt(s_corrected["dW" + str(l + 1)]) + epsilon)',
    step_b='v_corrected["db" + str(l + 1)] / (np.sqrt(s_corrected["db" + str(l + 1)]) + epsilon)',
):
    """``update_parameters_with_adam`` the way the course's template writes it."""
    return f"""
        def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                        beta1=0.9, beta2=0.999, epsilon=1e-8):
            L = len(parameters) // 2
            v_corrected = {{}}
            s_corrected = {{}}
            for l in range(L):
                v["dW" + str(l + 1)] = beta1 * v["dW" + str(l + 1)] + (1 - beta1) * grads["dW" + str(l + 1)]
                v["db" + str(l + 1)] = beta1 * v["db" + str(l + 1)] + (1 - beta1) * grads["db" + str(l + 1)]
                v_corrected["dW" + str(l + 1)] = v["dW" + str(l + 1)] / (1 - beta1 ** t)
                v_corrected["db" + str(l + 1)] = v["db" + str(l + 1)] / (1 - beta1 ** t)
                s["dW" + str(l + 1)] = beta2 * s["dW" + str(l + 1)] + (1 - beta2) * np.square(grads["dW" + str(l + 1)])
                s["db" + str(l + 1)] = beta2 * s["db" + str(l + 1)] + (1 - beta2) * np.square(grads["db" + str(l + 1)])
                s_corrected["dW" + str(l + 1)] = {s_corrected}
                s_corrected["db" + str(l + 1)] = {s_corrected_b}
                parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * {step_W}
                parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * {step_b}
            return parameters, v, s, v_corrected, s_corrected
        """


def _gd(step='parameters[name] - learning_rate * grads["d" + name]', names="_names(parameters)"):
    return f"""
        def update_parameters_with_gd(parameters, grads, learning_rate):
            new_parameters = dict(parameters)
            for name in {names}:
                new_parameters[name] = {step}
            return new_parameters
        """


def _batches(
    perm="np.random.default_rng(seed).permutation(m)",
    y_perm="permutation",
    m="X.shape[1]",
    tail_start="num_complete * mini_batch_size",
    tail_if="m % mini_batch_size != 0",
    tail="batches.append((X_shuffled[:, start:], Y_shuffled[:, start:]))",
):
    return f"""
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            m = {m}
            permutation = {perm}
            X_shuffled, Y_shuffled = X[:, permutation], Y[:, {y_perm}]
            num_complete = m // mini_batch_size
            batches = []
            for k in range(num_complete):
                columns = slice(k * mini_batch_size, (k + 1) * mini_batch_size)
                batches.append((X_shuffled[:, columns], Y_shuffled[:, columns]))
            start = {tail_start}
            if {tail_if}:
                {tail}
            return batches
        """


def _momentum(v_rule="beta * v[key] + (1 - beta) * grads[key]", step="new_v[key]", returned="new_v"):
    return f"""
        def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
            new_parameters, new_v = {{}}, {{}}
            for name in _names(parameters):
                key = "d" + name
                new_v[key] = {v_rule}
                new_parameters[name] = parameters[name] - learning_rate * {step}
            return new_parameters, {returned}
        """


def _rmsprop(s_rule="beta * s[key] + (1 - beta) * g ** 2", step="g / (np.sqrt(new_s[key]) + epsilon)"):
    return f"""
        def update_parameters_with_rmsprop(parameters, grads, s, beta=0.9, learning_rate=0.01, epsilon=1e-8):
            new_parameters, new_s = {{}}, {{}}
            for name in _names(parameters):
                key = "d" + name
                g = grads[key]
                new_s[key] = {s_rule}
                new_parameters[name] = parameters[name] - learning_rate * {step}
            return new_parameters, new_s
        """


def _adam(
    v_rule="beta1 * v[key] + (1 - beta1) * g",
    s_rule="beta2 * s[key] + (1 - beta2) * g ** 2",
    vc="new_v[key] / (1 - beta1 ** t)",
    sc="new_s[key] / (1 - beta2 ** t)",
    step="v_corrected[key] / (np.sqrt(s_corrected[key]) + epsilon)",
    returned="new_parameters, new_v, new_s, v_corrected, s_corrected",
):
    return f"""
        def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                        beta1=0.9, beta2=0.999, epsilon=1e-8):
            new_parameters, new_v, new_s, v_corrected, s_corrected = {{}}, {{}}, {{}}, {{}}, {{}}
            for name in _names(parameters):
                key = "d" + name
                g = grads[key]
                new_v[key] = {v_rule}
                new_s[key] = {s_rule}
                v_corrected[key] = {vc}
                s_corrected[key] = {sc}
                new_parameters[name] = parameters[name] - learning_rate * {step}
            return {returned}
        """


def _state(
    function, value="np.zeros_like(parameters[name], dtype=float)", key='"d" + name', names="_names(parameters)"
):
    return f"""
        def {function}(parameters):
            return {{{key}: {value} for name in {names}}}
        """


CATALOGUE = [
    # -- gradient descent
    Mistake(
        "gd_wrong_sign",
        "update_parameters_with_gd",
        "this looks like a step uphill: W = W - learning_rate * dW, with a minus.",
        _gd(step='parameters[name] + learning_rate * grads["d" + name]'),
        ("check_gd",),
        message="moved uphill",
    ),
    Mistake(
        "gd_skips_biases",
        "update_parameters_with_gd",
        "this looks like only the weights updated; every bl takes a step too.",
        _gd(names='[n for n in _names(parameters) if n[0] == "W"]'),
        ("check_gd",),
        message="b1'] was not updated",
    ),
    Mistake(
        "gd_skips_last_layer",
        "update_parameters_with_gd",
        "this looks like a loop that stops one layer early: the output layer is updated too.",
        _gd(names="_names(parameters)[:-2]"),
        ("check_gd",),
    ),
    # -- mini-batches
    Mistake(
        "batches_drop_remainder",
        "random_mini_batches",
        "this looks like the last, smaller batch dropped: the m % mini_batch_size remaining columns form a last batch.",
        _batches(tail_if="False"),
        ("check_partition",),
        message="then the remaining m % mini_batch_size",
    ),
    Mistake(
        "batches_remainder_first",
        "random_mini_batches",
        "this looks like the smaller batch put first; the full batches come first, the remainder last.",
        _batches(tail="batches.insert(0, (X_shuffled[:, start:], Y_shuffled[:, start:]))"),
        ("check_partition",),
        message="full batches of",
    ),
    Mistake(
        "batches_empty_last_batch",
        "random_mini_batches",
        "this looks like an empty last batch when mini_batch_size divides m; add the remainder only when "
        "m % mini_batch_size != 0.",
        _batches(tail_if="True"),
        ("check_partition",),
    ),
    Mistake(
        "batches_last_batch_off_by_one",
        "random_mini_batches",
        "this looks like an off-by-one in the last batch: it starts at num_complete * mini_batch_size.",
        _batches(tail_start="num_complete * mini_batch_size + 1"),
        ("check_partition",),
    ),
    Mistake(
        "batches_m_from_rows",
        "random_mini_batches",
        "this looks like m = X.shape[0], the number of features; the examples are the columns, X.shape[1].",
        _batches(m="X.shape[0]"),
        ("check_partition",),
    ),
    Mistake(
        "batches_not_shuffled",
        "random_mini_batches",
        "this looks like batches in the original order: shuffle the columns first.",
        _batches(perm="np.arange(m)"),
        ("check_shuffled",),
        message="kept the columns in their original order",
    ),
    Mistake(
        "batches_separate_shuffles",
        "random_mini_batches",
        "this looks like X and Y shuffled with two different permutations; use one for both.",
        _batches(y_perm="np.random.default_rng(seed + 1).permutation(m)"),
        ("check_pairs",),
        message="the labels do not belong to the examples",
    ),
    Mistake(
        "batches_global_state",
        "random_mini_batches",
        "this looks like a permutation from np.random's global state; draw it from np.random.default_rng(seed).",
        _batches(perm="np.random.permutation(m)"),
        ("check_reproducible",),
    ),
    Mistake(
        "batches_fixed_seed",
        "random_mini_batches",
        "this looks like a hard-coded seed: the seed argument is ignored.",
        _batches(perm="np.random.default_rng(0).permutation(m)"),
        ("check_shuffled",),
    ),
    Mistake(
        "batches_with_replacement",
        "random_mini_batches",
        "this looks like columns drawn with replacement (some repeated, some missing); shuffle with one permutation.",
        _batches(perm="np.random.default_rng(seed).integers(0, m, m)"),
        ("check_partition",),
        message="exactly once",
    ),
    Mistake(
        "batches_course_one_row_Y",
        "random_mini_batches",
        "this looks like the course's shuffled_Y = Y[:, permutation].reshape((1, m)): right for one row of "
        "labels, but Y may have several rows; Y[:, permutation] keeps its shape (n_y, m).",
        _course_batches(),
        ("check_label_rows",),
    ),
    Mistake(
        "batches_course_last_from_loop_variable",
        "random_mini_batches",
        "this looks like the last batch starting at (k + 1) * mini_batch_size, with k left over from the loop: "
        "when m < mini_batch_size the loop never runs and k does not exist; start it at "
        "num_complete_minibatches * mini_batch_size.",
        _course_batches(shuffled_Y="Y[:, permutation]", last_start="(k + 1) * mini_batch_size"),
        ("check_fewer_than_a_batch",),
    ),
    # -- state initialisers
    Mistake(
        "velocity_keys_without_d",
        "initialize_velocity",
        "this looks like v keyed like the parameters (W1, b1, ...); its keys are dW1, db1, ...",
        _state("initialize_velocity", key="name"),
        ("check_initialize_velocity",),
    ),
    Mistake(
        "velocity_copies_parameters",
        "initialize_velocity",
        "this looks like v started from a copy of the parameters; it starts at zeros.",
        _state("initialize_velocity", value="parameters[name].copy()"),
        ("check_initialize_velocity",),
    ),
    Mistake(
        "velocity_skips_biases",
        "initialize_velocity",
        "this looks like velocities for the weights only; every dbl has one too.",
        _state("initialize_velocity", names='[n for n in _names(parameters) if n[0] == "W"]'),
        ("check_initialize_velocity",),
    ),
    Mistake(
        "rmsprop_state_ones",
        "initialize_rmsprop",
        "this looks like s started at ones; it starts at zeros.",
        _state("initialize_rmsprop", value="np.ones_like(parameters[name], dtype=float)"),
        ("check_initialize_rmsprop",),
    ),
    Mistake(
        "rmsprop_state_1d",
        "initialize_rmsprop",
        "this looks like 1-D zeros np.zeros(n_l); s has the shape of its parameter.",
        _state("initialize_rmsprop", value="np.zeros(parameters[name].shape[0])"),
        ("check_initialize_rmsprop",),
    ),
    Mistake(
        "adam_state_dict",
        "initialize_adam",
        "this looks like one dict {'v': ..., 's': ...}; initialize_adam returns the tuple (v, s).",
        """
        def initialize_adam(parameters):
            zeros = lambda: {"d" + name: np.zeros_like(parameters[name], dtype=float) for name in _names(parameters)}
            return {"v": zeros(), "s": zeros()}
        """,
        ("check_initialize_adam",),
    ),
    Mistake(
        "adam_state_with_t",
        "initialize_adam",
        "this looks like (v, s, t); initialize_adam returns (v, s) only (t is counted by the caller).",
        """
        def initialize_adam(parameters):
            zeros = lambda: {"d" + name: np.zeros_like(parameters[name], dtype=float) for name in _names(parameters)}
            return zeros(), zeros(), 0
        """,
        ("check_initialize_adam",),
    ),
    # -- momentum
    Mistake(
        "momentum_no_one_minus_beta",
        "update_parameters_with_momentum",
        "this looks like v = beta v + g: the gradient's weight (1 - beta) is missing.",
        _momentum(v_rule="beta * v[key] + grads[key]"),
        ("check_momentum_trajectory", "check_momentum_training"),
    ),
    Mistake(
        "momentum_betas_swapped",
        "update_parameters_with_momentum",
        "this looks like v = (1 - beta) v + beta g: beta weighs the old velocity, 1 - beta the gradient.",
        _momentum(v_rule="(1 - beta) * v[key] + beta * grads[key]"),
        ("check_momentum_trajectory", "check_momentum_training"),
    ),
    Mistake(
        "momentum_steps_with_gradient",
        "update_parameters_with_momentum",
        "this looks like a step with the gradient itself; momentum steps with the velocity v.",
        _momentum(step="grads[key]"),
        ("check_momentum_trajectory", "check_momentum_training"),
        message="After step 1, parameters['W1'] differs from the reference",
    ),
    Mistake(
        "momentum_returns_old_v",
        "update_parameters_with_momentum",
        "this looks like the old v returned: return the updated velocity.",
        _momentum(returned="v"),
        ("check_momentum_trajectory", "check_momentum_training"),
    ),
    Mistake(
        "momentum_wrong_sign",
        "update_parameters_with_momentum",
        "this looks like a step uphill: W = W - learning_rate * v.",
        _momentum(step="-new_v[key]"),
        ("check_momentum_trajectory", "check_momentum_training"),
    ),
    # -- RMSprop
    Mistake(
        "rmsprop_not_squared",
        "update_parameters_with_rmsprop",
        "this looks like s averaging the gradient itself; it averages the squared gradient g ** 2.",
        _rmsprop(s_rule="beta * s[key] + (1 - beta) * g"),
        ("check_rmsprop_trajectory", "check_rmsprop_training"),
    ),
    Mistake(
        "rmsprop_epsilon_inside_sqrt",
        "update_parameters_with_rmsprop",
        "this looks like epsilon inside the square root; it is added after: sqrt(s) + epsilon.",
        _rmsprop(step="g / np.sqrt(new_s[key] + epsilon)"),
        ("check_rmsprop_trajectory",),
        message="parameters['W1'] differs from the reference",
    ),
    Mistake(
        "rmsprop_no_sqrt",
        "update_parameters_with_rmsprop",
        "this looks like a division by s itself; divide by its square root, sqrt(s) + epsilon.",
        _rmsprop(step="g / (new_s[key] + epsilon)"),
        ("check_rmsprop_trajectory", "check_rmsprop_training"),
    ),
    Mistake(
        "rmsprop_uses_old_s",
        "update_parameters_with_rmsprop",
        "this looks like a step with the old s; update s first, then step with the new one.",
        _rmsprop(step="g / (np.sqrt(s[key]) + epsilon)"),
        ("check_rmsprop_trajectory", "check_rmsprop_training"),
    ),
    # -- Adam
    Mistake(
        "adam_no_bias_correction",
        "update_parameters_with_adam",
        "this looks like Adam without bias correction: your v_corrected equals the uncorrected moving "
        "average v; divide v by (1 - beta1 ** t) and s by (1 - beta2 ** t).",
        _adam(vc="new_v[key]", sc="new_s[key]"),
        ("check_adam_trajectory", "check_adam_training"),
        message="After step 1, v_corrected['dW1'] differs from the reference",
    ),
    Mistake(
        "adam_step_uncorrected",
        "update_parameters_with_adam",
        "this looks like a step with the uncorrected v and s; the step uses v_corrected and s_corrected.",
        _adam(step="new_v[key] / (np.sqrt(new_s[key]) + epsilon)"),
        ("check_adam_trajectory", "check_adam_training"),
    ),
    Mistake(
        "adam_t_plus_one",
        "update_parameters_with_adam",
        "this looks like bias correction with t + 1; t counts Adam steps from 1, so use beta ** t.",
        _adam(vc="new_v[key] / (1 - beta1 ** (t + 1))", sc="new_s[key] / (1 - beta2 ** (t + 1))"),
        ("check_adam_trajectory", "check_adam_training"),
        message="After step 1, v_corrected['dW1'] differs from the reference",
    ),
    Mistake(
        "adam_beta_times_t",
        "update_parameters_with_adam",
        "this looks like 1 - beta * t in the bias correction; it is 1 - beta ** t (a power).",
        _adam(vc="new_v[key] / (1 - beta1 * t)", sc="new_s[key] / (1 - beta2 * t)"),
        ("check_adam_trajectory", "check_adam_training"),
    ),
    Mistake(
        "adam_s_not_squared",
        "update_parameters_with_adam",
        "this looks like s averaging the gradient itself; it averages g ** 2.",
        _adam(s_rule="beta2 * s[key] + (1 - beta2) * g"),
        ("check_adam_trajectory", "check_adam_training"),
    ),
    Mistake(
        "adam_betas_swapped",
        "update_parameters_with_adam",
        "this looks like beta1 and beta2 swapped: beta1 goes with v (the gradient), beta2 with s (its square).",
        _adam(
            v_rule="beta2 * v[key] + (1 - beta2) * g",
            s_rule="beta1 * s[key] + (1 - beta1) * g ** 2",
            vc="new_v[key] / (1 - beta2 ** t)",
            sc="new_s[key] / (1 - beta1 ** t)",
        ),
        ("check_adam_trajectory", "check_adam_training"),
    ),
    Mistake(
        "adam_s_corrected_with_beta1",
        "update_parameters_with_adam",
        "this looks like s corrected with beta1; s_corrected = s / (1 - beta2 ** t).",
        _adam(sc="new_s[key] / (1 - beta1 ** t)"),
        ("check_adam_trajectory", "check_adam_training"),
    ),
    Mistake(
        "adam_epsilon_inside_sqrt",
        "update_parameters_with_adam",
        "this looks like epsilon inside the square root; it is added after: sqrt(s_corrected) + epsilon.",
        _adam(step="v_corrected[key] / np.sqrt(s_corrected[key] + epsilon)"),
        ("check_adam_trajectory",),
    ),
    Mistake(
        "adam_returns_three",
        "update_parameters_with_adam",
        "this looks like (parameters, v, s); Adam returns (parameters, v, s, v_corrected, s_corrected).",
        _adam(returned="new_parameters, new_v, new_s"),
        ("check_adam_returns_corrected",),
        message="should return the tuple (parameters, v, s, v_corrected, s_corrected)",
    ),
    # -- learning-rate decay
    Mistake(
        "adam_course_beta2_squared",
        "update_parameters_with_adam",
        "this looks like s_corrected = s / (1 - beta2 ** 2): the bias correction raises beta2 to the power t, "
        "the number of Adam steps so far.",
        _course_adam(
            s_corrected='s["dW" + str(l + 1)] / (1 - beta2 ** 2)',
            s_corrected_b='s["db" + str(l + 1)] / (1 - beta2 ** 2)',
        ),
        ("check_adam_trajectory", "check_adam_training"),
    ),
    Mistake(
        "adam_course_no_sqrt",
        "update_parameters_with_adam",
        "this looks like the step v_corrected / (s_corrected + epsilon): divide by the square root, "
        "v_corrected / (sqrt(s_corrected) + epsilon).",
        _course_adam(
            step_W='v_corrected["dW" + str(l + 1)] / (s_corrected["dW" + str(l + 1)] + epsilon)',
            step_b='v_corrected["db" + str(l + 1)] / (s_corrected["db" + str(l + 1)] + epsilon)',
        ),
        ("check_adam_trajectory", "check_adam_training"),
    ),
    Mistake(
        "update_lr_exponential",
        "update_lr",
        "this looks like exponential decay lr0 * exp(-decay_rate * epoch_num); the graded one is "
        "inverse-time decay lr0 / (1 + decay_rate * epoch_num).",
        """
        def update_lr(learning_rate0, epoch_num, decay_rate):
            return learning_rate0 * np.exp(-decay_rate * epoch_num)
        """,
        ("check_update_lr",),
        message="inverse-time decay",
    ),
    Mistake(
        "update_lr_missing_one",
        "update_lr",
        "this looks like lr0 / (decay_rate * epoch_num): the 1 + is missing.",
        """
        def update_lr(learning_rate0, epoch_num, decay_rate):
            return learning_rate0 / (decay_rate * epoch_num)
        """,
        ("check_update_lr",),
    ),
    Mistake(
        "update_lr_precedence",
        "update_lr",
        "this looks like lr0 / 1 + decay_rate * epoch_num: put the whole 1 + decay_rate * epoch_num in parentheses.",
        """
        def update_lr(learning_rate0, epoch_num, decay_rate):
            return learning_rate0 / 1 + decay_rate * epoch_num
        """,
        ("check_update_lr",),
    ),
    Mistake(
        "schedule_without_floor",
        "schedule_lr_decay",
        "this looks like epoch_num / time_interval without the floor: the rate steps down once every "
        "time_interval epochs.",
        """
        def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
            return learning_rate0 / (1 + decay_rate * epoch_num / time_interval)
        """,
        ("check_schedule_lr_decay",),
        message="floor(epoch_num / time_interval)",
    ),
    Mistake(
        "schedule_rounds",
        "schedule_lr_decay",
        "this looks like round(epoch_num / time_interval); the schedule uses the floor.",
        """
        def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
            return learning_rate0 / (1 + decay_rate * round(epoch_num / time_interval))
        """,
        ("check_schedule_lr_decay",),
    ),
    Mistake(
        "schedule_fixed_interval",
        "schedule_lr_decay",
        "this looks like a hard-coded interval of 1000 epochs: use the time_interval argument.",
        """
        def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
            return learning_rate0 / (1 + decay_rate * (epoch_num // 1000))
        """,
        ("check_schedule_lr_decay",),
    ),
    Mistake(
        "schedule_every_epoch",
        "schedule_lr_decay",
        "this looks like decay at every epoch (update_lr); the schedule decays once every time_interval epochs.",
        """
        def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
            return learning_rate0 / (1 + decay_rate * epoch_num)
        """,
        ("check_schedule_lr_decay",),
    ),
    Variant(
        "gd_in_place",
        "update_parameters_with_gd",
        """
        def update_parameters_with_gd(parameters, grads, learning_rate):
            L = len(parameters) // 2
            for l in range(1, L + 1):
                parameters["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
                parameters["b" + str(l)] -= learning_rate * grads["db" + str(l)]
            return parameters
        """,
    ),
    Variant(
        "batches_shuffle_and_split",
        "random_mini_batches",
        """
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            rng = np.random.default_rng(seed)
            order = np.arange(X.shape[1])
            rng.shuffle(order)
            cuts = list(range(mini_batch_size, X.shape[1], mini_batch_size))
            return list(zip(np.split(X[:, order], cuts, axis=1), np.split(Y[:, order], cuts, axis=1)))
        """,
    ),
    Variant(
        "velocity_loop",
        "initialize_velocity",
        """
        def initialize_velocity(parameters):
            v = {}
            for l in range(1, len(parameters) // 2 + 1):
                v[f"dW{l}"] = np.zeros(parameters[f"W{l}"].shape)
                v[f"db{l}"] = np.zeros(parameters[f"b{l}"].shape)
            return v
        """,
    ),
    Variant(
        "momentum_in_place",
        "update_parameters_with_momentum",
        """
        def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
            for key in v:
                v[key] *= beta
                v[key] += (1 - beta) * grads[key]
                parameters[key[1:]] -= learning_rate * v[key]
            return parameters, v
        """,
    ),
    Variant(
        "rmsprop_powers",
        "update_parameters_with_rmsprop",
        """
        def update_parameters_with_rmsprop(parameters, grads, s, beta=0.9, learning_rate=0.01, epsilon=1e-8):
            parameters, s = dict(parameters), dict(s)
            for l in range(1, len(parameters) // 2 + 1):
                for p in ("W", "b"):
                    g = grads[f"d{p}{l}"]
                    s[f"d{p}{l}"] = beta * s[f"d{p}{l}"] + (1 - beta) * np.power(g, 2)
                    parameters[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * np.divide(
                        g, s[f"d{p}{l}"] ** 0.5 + epsilon)
            return parameters, s
        """,
    ),
    Variant(
        "adam_in_place",
        "update_parameters_with_adam",
        """
        def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                        beta1=0.9, beta2=0.999, epsilon=1e-8):
            v_corrected, s_corrected = {}, {}
            for key in grads:
                if key[:2] not in ("dW", "db"):
                    continue
                v[key] *= beta1
                v[key] += (1 - beta1) * grads[key]
                s[key] *= beta2
                s[key] += (1 - beta2) * np.square(grads[key])
                v_corrected[key] = v[key] / (1 - np.power(beta1, t))
                s_corrected[key] = s[key] / (1 - np.power(beta2, t))
                parameters[key[1:]] -= learning_rate * v_corrected[key] / (np.sqrt(s_corrected[key]) + epsilon)
            return parameters, v, s, v_corrected, s_corrected
        """,
    ),
    Variant("adam_course_template", "update_parameters_with_adam", _course_adam()),
    Variant(
        "batches_course_template_one_row_safe",
        "random_mini_batches",
        _course_batches(shuffled_Y="Y[:, permutation].reshape((Y.shape[0], m))"),
    ),
    Variant(
        "update_lr_power",
        "update_lr",
        """
        def update_lr(learning_rate0, epoch_num, decay_rate):
            return learning_rate0 * (1.0 + decay_rate * epoch_num) ** -1
        """,
    ),
    Variant(
        "schedule_floor_division",
        "schedule_lr_decay",
        """
        def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
            steps = epoch_num // time_interval
            return learning_rate0 / (1 + decay_rate * steps)
        """,
    ),
    # -- written for the project's own tests (no hint: they only prove the checks catch them) --
    # Adam correcting s with 1 - beta2**2 instead of 1 - beta2**t.
    Mistake(
        "adam_beta2_squared",
        "update_parameters_with_adam",
        "",
        """
        def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                        beta1=0.9, beta2=0.999, epsilon=1e-8):
            new_parameters, new_v, new_s, v_corrected, s_corrected = {}, {}, {}, {}, {}
            for key in parameters:
                d, g = "d" + key, grads["d" + key]
                new_v[d] = beta1 * v[d] + (1 - beta1) * g
                new_s[d] = beta2 * s[d] + (1 - beta2) * g ** 2
                v_corrected[d] = new_v[d] / (1 - beta1 ** t)
                s_corrected[d] = new_s[d] / (1 - beta2 ** 2)
                new_parameters[key] = parameters[key] - learning_rate * v_corrected[d] / (np.sqrt(s_corrected[d]) + epsilon)
            return new_parameters, new_v, new_s, v_corrected, s_corrected
        """,
        ("check_adam_trajectory", "check_adam_training"),
        message="After step 1, s_corrected['dW1'] differs from the reference",
    ),
    # Adam adding epsilon to the step instead of to the denominator.
    Mistake(
        "adam_epsilon_outside",
        "update_parameters_with_adam",
        "",
        """
        def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                        beta1=0.9, beta2=0.999, epsilon=1e-8):
            new_parameters, new_v, new_s, v_corrected, s_corrected = {}, {}, {}, {}, {}
            for key in parameters:
                d, g = "d" + key, grads["d" + key]
                new_v[d] = beta1 * v[d] + (1 - beta1) * g
                new_s[d] = beta2 * s[d] + (1 - beta2) * g ** 2
                v_corrected[d] = new_v[d] / (1 - beta1 ** t)
                s_corrected[d] = new_s[d] / (1 - beta2 ** t)
                new_parameters[key] = parameters[key] - learning_rate * v_corrected[d] / np.sqrt(s_corrected[d]) + epsilon
            return new_parameters, new_v, new_s, v_corrected, s_corrected
        """,
        ("check_adam_trajectory",),
        message="parameters['W1'] differs from the reference",
    ),
    # Mini-batches shuffled with the global np.random state, ignoring the seed.
    Mistake(
        "batches_global_random_state",
        "random_mini_batches",
        "",
        """
        def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
            m = X.shape[1]
            order = np.random.permutation(m)
            X, Y = X[:, order], Y[:, order]
            return [(X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
        """,
        ("check_reproducible",),
        message="gave different batches",
    ),
    # Momentum with v = beta v + g (no (1 - beta)).
    Mistake(
        "momentum_without_one_minus_beta",
        "update_parameters_with_momentum",
        "",
        """
        def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
            new_parameters, new_v = {}, {}
            for key in parameters:
                new_v["d" + key] = beta * v["d" + key] + grads["d" + key]
                new_parameters[key] = parameters[key] - learning_rate * new_v["d" + key]
            return new_parameters, new_v
        """,
        ("check_momentum_trajectory", "check_momentum_training"),
        message="After step 1, v['dW1'] differs from the reference",
    ),
    # RMSprop averaging |g| instead of g**2.
    Mistake(
        "rmsprop_without_square",
        "update_parameters_with_rmsprop",
        "",
        """
        def update_parameters_with_rmsprop(parameters, grads, s, beta=0.9, learning_rate=0.01, epsilon=1e-8):
            new_parameters, new_s = {}, {}
            for key in parameters:
                g = grads["d" + key]
                new_s["d" + key] = beta * s["d" + key] + (1 - beta) * np.abs(g)
                new_parameters[key] = parameters[key] - learning_rate * g / (np.sqrt(new_s["d" + key]) + epsilon)
            return new_parameters, new_s
        """,
        ("check_rmsprop_trajectory", "check_rmsprop_training"),
        message="After step 1, s['dW1'] differs from the reference",
    ),
]
