"""Known implementations of ``initialization`` (see ``grader/mistakes/__init__.py``)."""

from grader.mistakes import Mistake, Variant


def _he(
    scale="np.sqrt(2 / layers_dims[l - 1])",
    W="rng.standard_normal((layers_dims[l], layers_dims[l - 1]))",
    b="np.zeros((layers_dims[l], 1))",
    rng="np.random.default_rng(seed)",
    layers="range(1, len(layers_dims))",
    name="initialize_parameters_he",
):
    """A loop over the layers with one piece changed (the others as the docstring says)."""
    return f"""
        def {name}(layers_dims, seed=3):
            rng = {rng}
            parameters = {{}}
            for l in {layers}:
                parameters[f"W{{l}}"] = {W} * {scale}
                parameters[f"b{{l}}"] = {b}
            return parameters
        """


def _random(**changes):
    return _he(**{"scale": "10", "name": "initialize_parameters_random", **changes})


def _zeros(
    W="np.zeros((layers_dims[l], layers_dims[l - 1]))",
    b="np.zeros((layers_dims[l], 1))",
    layers="range(1, len(layers_dims))",
):
    return f"""
        def initialize_parameters_zeros(layers_dims):
            parameters = {{}}
            for l in {layers}:
                parameters[f"W{{l}}"] = {W}
                parameters[f"b{{l}}"] = {b}
            return parameters
        """


CATALOGUE = [
    # -- zeros
    Mistake(
        "zeros_int_dtype",
        "initialize_parameters_zeros",
        "this looks like integer zeros (dtype=int); np.zeros(shape) gives the float64 the network needs.",
        _zeros(
            W="np.zeros((layers_dims[l], layers_dims[l - 1]), dtype=int)", b="np.zeros((layers_dims[l], 1), dtype=int)"
        ),
        ("check_zeros_structure",),
        message="has dtype int64, expected float64",
    ),
    Mistake(
        "zeros_transposed",
        "initialize_parameters_zeros",
        "this looks like transposed weights: Wl has shape (n_l, n_{l-1}), one row per unit of layer l.",
        _zeros(W="np.zeros((layers_dims[l - 1], layers_dims[l]))"),
        ("check_zeros_structure",),
    ),
    Mistake(
        "zeros_1d_bias",
        "initialize_parameters_zeros",
        "this looks like 1-D biases np.zeros(n_l), which broadcast along the wrong axis; use shape (n_l, 1).",
        _zeros(b="np.zeros(layers_dims[l])"),
        ("check_zeros_structure",),
    ),
    Mistake(
        "zeros_skips_output_layer",
        "initialize_parameters_zeros",
        "this looks like a loop that stops one layer early: range(1, len(layers_dims)) covers every layer up to L.",
        _zeros(layers="range(1, len(layers_dims) - 1)"),
        ("check_zeros_structure",),
    ),
    Mistake(
        "zeros_keys_from_0",
        "initialize_parameters_zeros",
        "this looks like keys numbered from 0 (W0, b0, ...); layers are numbered from 1.",
        """
        def initialize_parameters_zeros(layers_dims):
            parameters = {}
            for l in range(len(layers_dims) - 1):
                parameters[f"W{l}"] = np.zeros((layers_dims[l + 1], layers_dims[l]))
                parameters[f"b{l}"] = np.zeros((layers_dims[l + 1], 1))
            return parameters
        """,
        ("check_zeros_structure",),
        message="unexpected: W0, b0",
    ),
    Mistake(
        "zeros_small_random",
        "initialize_parameters_zeros",
        "this looks like small random weights instead of zeros: they break the symmetry this part is meant to show.",
        _zeros(W="np.random.default_rng(0).standard_normal((layers_dims[l], layers_dims[l - 1])) * 0.01"),
        ("check_zeros_values", "check_zeros_training"),
        message={
            "check_zeros_values": "should be exactly 0",
            "check_zeros_training": "the rows of W1 differ",
        },
    ),
    Mistake(
        "zeros_ones",
        "initialize_parameters_zeros",
        "this looks like np.ones instead of np.zeros.",
        _zeros(W="np.ones((layers_dims[l], layers_dims[l - 1]))", b="np.ones((layers_dims[l], 1))"),
        ("check_zeros_values",),
    ),
    # -- random x 10
    Mistake(
        "random_not_times_10",
        "initialize_parameters_random",
        "this looks like N(0, 1) draws without the x 10.",
        _random(scale="1"),
        ("check_random_statistics",),
        message="Multiply the N(0, 1) draws by 10",
    ),
    Mistake(
        "random_uniform",
        "initialize_parameters_random",
        "this looks like uniform draws (rng.random) instead of normal ones (rng.standard_normal).",
        _random(W="rng.random((layers_dims[l], layers_dims[l - 1]))"),
        ("check_random_statistics",),
    ),
    Mistake(
        "random_random_biases",
        "initialize_parameters_random",
        "this looks like random biases as well; only the weights are random, the biases start at 0.",
        _random(b="rng.standard_normal((layers_dims[l], 1))"),
        ("check_random_biases",),
    ),
    Mistake(
        "random_fixed_seed",
        "initialize_parameters_random",
        "this looks like a hard-coded seed: np.random.default_rng(3) ignores the seed argument.",
        _random(rng="np.random.default_rng(3)"),
        ("check_random_seed",),
    ),
    Mistake(
        "random_global_state",
        "initialize_parameters_random",
        "this looks like draws from np.random's global state (np.random.randn): the result must depend "
        "only on the seed, through rng = np.random.default_rng(seed).",
        _random(W="np.random.randn(layers_dims[l], layers_dims[l - 1])"),
        ("check_random_seed",),
    ),
    Mistake(
        "random_1d_bias",
        "initialize_parameters_random",
        "this looks like 1-D biases np.zeros(n_l); use shape (n_l, 1).",
        _random(b="np.zeros(layers_dims[l])"),
        ("check_random_structure",),
        message="a 1-D bias?",
    ),
    # -- He
    Mistake(
        "he_xavier",
        "initialize_parameters_he",
        "this looks like Xavier's scale sqrt(1 / n_{l-1}); He uses sqrt(2 / n_{l-1}).",
        _he(scale="np.sqrt(1 / layers_dims[l - 1])"),
        ("check_he_statistics",),
        message="That is Xavier's sqrt(1 / n_{l-1})",
    ),
    Mistake(
        "he_fan_out",
        "initialize_parameters_he",
        "this looks like the layer's own size n_l in the scale; He uses the number of inputs n_{l-1}.",
        _he(scale="np.sqrt(2 / layers_dims[l])"),
        ("check_he_statistics",),
        message="standard deviation",
    ),
    Mistake(
        "he_no_sqrt",
        "initialize_parameters_he",
        "this looks like a scale of 2 / n_{l-1} without the square root.",
        _he(scale="(2 / layers_dims[l - 1])"),
        ("check_he_statistics",),
    ),
    Mistake(
        "he_integer_division",
        "initialize_parameters_he",
        "this looks like integer division: 2 // n_{l-1} is 0 for layers with more than 2 inputs.",
        _he(scale="np.sqrt(2 // layers_dims[l - 1])"),
        ("check_he_statistics",),
    ),
    Mistake(
        "he_uniform",
        "initialize_parameters_he",
        "this looks like uniform draws with He's scale; draw from a normal distribution (rng.standard_normal).",
        _he(W="rng.uniform(-np.sqrt(3), np.sqrt(3), (layers_dims[l], layers_dims[l - 1]))"),
        ("check_he_statistics",),
        message="does not look normally distributed",
    ),
    Mistake(
        "he_skips_output_layer",
        "initialize_parameters_he",
        "this looks like a loop that stops one layer early: the output layer has no parameters.",
        _he(layers="range(1, len(layers_dims) - 1)"),
        ("check_he_structure",),
    ),
    Mistake(
        "he_transposed",
        "initialize_parameters_he",
        "this looks like transposed weights: Wl has shape (n_l, n_{l-1}).",
        _he(W="rng.standard_normal((layers_dims[l - 1], layers_dims[l]))"),
        ("check_he_structure",),
        message="(transposed?)",
    ),
    Mistake(
        "he_bias_small_constant",
        "initialize_parameters_he",
        "this looks like biases of 0.01; the biases start at exactly 0.",
        _he(b="np.full((layers_dims[l], 1), 0.01)"),
        ("check_he_biases",),
    ),
    Mistake(
        "he_times_0_01",
        "initialize_parameters_he",
        "this looks like the small-random recipe N(0, 1) * 0.01, not He's sqrt(2 / n_{l-1}).",
        _he(scale="0.01"),
        ("check_he_statistics",),
    ),
    Mistake(
        "he_global_state",
        "initialize_parameters_he",
        "this looks like draws from np.random's global state: use rng = np.random.default_rng(seed).",
        _he(W="np.random.randn(layers_dims[l], layers_dims[l - 1])"),
        ("check_he_seed",),
        message="twice gave different",
    ),
    Variant(
        "zeros_comprehension",
        "initialize_parameters_zeros",
        """
        def initialize_parameters_zeros(layers_dims):
            shapes = {}
            for l, (n_prev, n) in enumerate(zip(layers_dims[:-1], layers_dims[1:]), start=1):
                shapes[f"W{l}"], shapes[f"b{l}"] = (n, n_prev), (n, 1)
            return {key: np.full(shape, 0.0) for key, shape in shapes.items()}
        """,
    ),
    Variant(
        "random_reverse_draw_order",
        "initialize_parameters_random",
        """
        def initialize_parameters_random(layers_dims, seed=3):
            rng = np.random.default_rng(seed)
            parameters = {}
            for l in reversed(range(1, len(layers_dims))):
                parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
                parameters[f"W{l}"] = rng.normal(0.0, 10.0, size=(layers_dims[l], layers_dims[l - 1]))
            return parameters
        """,
    ),
    Variant(
        "random_one_draw_split",
        "initialize_parameters_random",
        """
        def initialize_parameters_random(layers_dims, seed=3):
            rng = np.random.default_rng(seed)
            sizes = [layers_dims[l] * layers_dims[l - 1] for l in range(1, len(layers_dims))]
            draws = rng.standard_normal(sum(sizes)) * 10
            parameters, start = {}, 0
            for l, size in enumerate(sizes, start=1):
                parameters[f"W{l}"] = draws[start:start + size].reshape(layers_dims[l], layers_dims[l - 1])
                parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
                start += size
            return parameters
        """,
    ),
    Variant(
        "he_float32_cast_up",
        "initialize_parameters_he",
        """
        def initialize_parameters_he(layers_dims, seed=3):
            rng = np.random.default_rng(seed)
            parameters = {}
            for l in range(1, len(layers_dims)):
                W = rng.standard_normal((layers_dims[l], layers_dims[l - 1]), dtype=np.float32)
                parameters[f"W{l}"] = W.astype(np.float64) * np.sqrt(2.0 / layers_dims[l - 1])
                parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return parameters
        """,
    ),
    Variant(
        "he_generator_per_layer",
        "initialize_parameters_he",
        """
        def initialize_parameters_he(layers_dims, seed=3):
            children = np.random.SeedSequence(seed).spawn(len(layers_dims))
            parameters = {}
            for l in range(1, len(layers_dims)):
                rng = np.random.default_rng(children[l])
                std = (2 / layers_dims[l - 1]) ** 0.5
                parameters[f"W{l}"] = rng.normal(scale=std, size=(layers_dims[l], layers_dims[l - 1]))
                parameters[f"b{l}"] = np.zeros(layers_dims[l])[:, None]
            return parameters
        """,
    ),
    # -- written for the project's own tests (no hint: they only prove the checks catch them) --
    # Biases of 0.01 instead of 0.
    Mistake(
        "he_bias_nonzero",
        "initialize_parameters_he",
        "",
        """
        def initialize_parameters_he(layers_dims, seed=3):
            rng = np.random.default_rng(seed)
            parameters = {}
            for l in range(1, len(layers_dims)):
                parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * np.sqrt(2 / layers_dims[l - 1])
                parameters[f"b{l}"] = np.full((layers_dims[l], 1), 0.01)
            return parameters
        """,
        ("check_he_biases",),
        message="the biases start at exactly 0",
    ),
    # An off-by-one loop that skips the output layer.
    Mistake(
        "he_skips_last_layer",
        "initialize_parameters_he",
        "",
        """
        def initialize_parameters_he(layers_dims, seed=3):
            rng = np.random.default_rng(seed)
            parameters = {}
            for l in range(1, len(layers_dims) - 1):
                parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * np.sqrt(2 / layers_dims[l - 1])
                parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return parameters
        """,
        ("check_he_structure",),
        message="missing: W",
    ),
    # 'He' that returns all zeros: nothing trains.
    Mistake(
        "he_zeros",
        "initialize_parameters_he",
        "",
        """
        def initialize_parameters_he(layers_dims, seed=3):
            parameters = {}
            for l in range(1, len(layers_dims)):
                parameters[f"W{l}"] = np.zeros((layers_dims[l], layers_dims[l - 1]))
                parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return parameters
        """,
        ("check_he_training",),
        message="He initialisation should train well",
    ),
    # Random biases as well as random weights.
    Mistake(
        "random_bias_nonzero",
        "initialize_parameters_random",
        "",
        """
        def initialize_parameters_random(layers_dims, seed=3):
            rng = np.random.default_rng(seed)
            parameters = {}
            for l in range(1, len(layers_dims)):
                parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * 10
                parameters[f"b{l}"] = rng.standard_normal((layers_dims[l], 1))
            return parameters
        """,
        ("check_random_biases",),
        message="the biases start at exactly 0",
    ),
    # A hard-coded seed: the seed argument is ignored.
    Mistake(
        "random_ignores_seed",
        "initialize_parameters_random",
        "",
        """
        def initialize_parameters_random(layers_dims, seed=3):
            rng = np.random.default_rng(3)
            parameters = {}
            for l in range(1, len(layers_dims)):
                parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * 10
                parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return parameters
        """,
        ("check_random_seed",),
        message="the seed argument is ignored",
    ),
    # 'Zeros' that are small constants: still symmetric, but not what was asked.
    Mistake(
        "zeros_not_zero",
        "initialize_parameters_zeros",
        "",
        """
        def initialize_parameters_zeros(layers_dims):
            parameters = {}
            for l in range(1, len(layers_dims)):
                parameters[f"W{l}"] = np.full((layers_dims[l], layers_dims[l - 1]), 0.01)
                parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
            return parameters
        """,
        ("check_zeros_values",),
        message="should be exactly 0",
    ),
]
