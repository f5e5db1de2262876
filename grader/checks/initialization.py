"""Hidden checks of ``initialization`` (SPEC §3): zeros, random x 10 and He initialisation.

Random initialisations are graded by properties only, never by one particular draw: the
structure on drawn ``layers_dims``, the statistics of large layers (tolerances of about 8
standard errors, so a correct draw never fails), and reproducibility with the seed. A short
training run in the grader's process, from the student's own initial parameters, shows what
the assignment is about: zeros never break symmetry, He trains well.
"""

import functools

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st

from grader.checkapi.networks import boundary_panel, expect_normal, expect_parameters, lines_figure
from grader.checkapi.support import fail, given, grading, secret_variant
from grader.checks.models import predictor, train_many
from grader.results import Figure
from grader.sandbox.session import StudentError

ASSIGNMENT = "initialization"
FUNCTIONS = {
    "zeros": "initialize_parameters_zeros",
    "random": "initialize_parameters_random",
    "he": "initialize_parameters_he",
}
SCALES = {"random": lambda n_prev: 10.0, "he": lambda n_prev: np.sqrt(2.0 / n_prev)}
SCALE_TEXT = {"random": "10", "he": "sqrt(2 / n_{l-1})"}

# depth 2-5, widths 1-60
layers_dims_st = st.integers(2, 5).flatmap(lambda L: st.lists(st.integers(1, 60), min_size=L + 1, max_size=L + 1))
LARGE = [400, 300, 200, 100]  # fan-ins differ, so n_l vs n_{l-1} mix-ups show
TRAIN_DIMS = [2, 10, 5, 1]
TRAIN_LR, TRAIN_ITERATIONS = 0.5, 500
RECORD_EVERY = 25
ZEROS_ITERATIONS = 100  # from zeros every hidden gradient is exactly 0: nothing changes but bL
HE_SEEDS = range(3, 9)  # seed 3 (the default) is also the figure's He panel


def call(student, kind, layers_dims, strict=False, **kwargs):
    """The student's parameters for ``layers_dims``, and how they were asked for. Only the structure
    checks are ``strict`` about the biases' shape and the dtype (one requirement, one check)."""
    args = ", ".join([repr(list(layers_dims))] + [f"{k}={v!r}" for k, v in kwargs.items()])
    name = f"{FUNCTIONS[kind]}({args})"
    got = getattr(student, FUNCTIONS[kind])(list(layers_dims), **kwargs)
    return expect_parameters(got, layers_dims, name, strict=strict), name


# -- structure ---------------------------------------------------------------------------------


def _structure(kind, points):
    @grading(FUNCTIONS[kind], "keys, shapes and dtypes on drawn layers_dims", points)
    @settings(max_examples=6)
    @given(layers_dims=layers_dims_st)
    def check(student, layers_dims):
        call(student, kind, layers_dims, strict=True)

    check.__name__ = f"check_{kind}_structure"
    return check


check_zeros_structure = _structure("zeros", 10)
check_random_structure = _structure("random", 10)
check_he_structure = _structure("he", 10)


@grading("initialize_parameters_zeros", "every weight and bias is zero", 8)
@settings(max_examples=4)
@given(layers_dims=layers_dims_st)
def check_zeros_values(student, layers_dims):
    parameters, name = call(student, "zeros", layers_dims)
    for key, value in parameters.items():
        if np.any(value != 0):
            fail(
                f"{name}['{key}'] has {int(np.count_nonzero(value))} non-zero entries "
                f"(largest {np.max(np.abs(value)):.6g}); every weight and bias should be exactly 0."
            )


def _biases_zero(kind):
    def case(student, seed):
        parameters, name = call(student, kind, [7, 6, 5, 1], seed=seed)
        for key, value in parameters.items():
            if key[0] == "b" and np.any(value != 0):
                fail(
                    f"{name}['{key}'] has non-zero entries (largest {np.max(np.abs(value)):.6g}); "
                    "the biases start at exactly 0, only the weights are random."
                )

    @grading(FUNCTIONS[kind], "biases are zero", 4)
    def check(student, secret):
        case(student, 1)
        seed = int(secret.rng.integers(2**31))
        secret.run(case, student, seed, description=f"seed={seed}")

    check.__name__ = f"check_{kind}_biases"
    return check


check_random_biases = _biases_zero("random")
check_he_biases = _biases_zero("he")


# -- statistics --------------------------------------------------------------------------------


def _scale_hint(kind, ratio):
    if kind == "random":
        return (
            "Multiply the N(0, 1) draws by 10." if abs(ratio - 0.1) < 0.02 else "Use rng.standard_normal(shape) * 10."
        )
    if abs(ratio - np.sqrt(0.5)) < 0.02:
        return "That is Xavier's sqrt(1 / n_{l-1}); He uses sqrt(2 / n_{l-1})."
    return "Scale by sqrt(2 / n_{l-1}), where n_{l-1} = layers_dims[l - 1] is the number of inputs of layer l."


def _statistics(kind, points):
    def case(student, seed):
        parameters, name = call(student, kind, LARGE, seed=seed)
        for l in range(1, len(LARGE)):
            expect_normal(
                parameters[f"W{l}"],
                SCALES[kind](LARGE[l - 1]),
                f"{name}['W{l}'] ({parameters[f'W{l}'].size} entries, n_{l - 1} = {LARGE[l - 1]})",
                SCALE_TEXT[kind],
                lambda ratio: _scale_hint(kind, ratio),
            )

    @grading(FUNCTIONS[kind], f"each Wl ~ N(0, 1) * {SCALE_TEXT[kind]} (statistics of large layers)", points)
    def check(student, secret):
        case(student, 2024)
        seed = int(secret.rng.integers(2**31))
        secret.run(case, student, seed, description=f"seed={seed}")

    check.__name__ = f"check_{kind}_statistics"
    return check


check_random_statistics = _statistics("random", 12)
check_he_statistics = _statistics("he", 14)


def _seeded(kind):
    @grading(FUNCTIONS[kind], "the same seed gives the same parameters, another seed others", 8)
    def check(student, secret):
        case(student, 7)
        seed = int(secret.rng.integers(2**31))
        secret.run(case, student, seed, description=f"seeds {seed} and {seed + 1}")

    def case(student, seed):
        dims = [6, 5, 4, 1]
        first, name = call(student, kind, dims, seed=seed)
        again, _ = call(student, kind, dims, seed=seed)
        other, other_name = call(student, kind, dims, seed=seed + 1)
        for key in first:
            if not np.array_equal(first[key], again[key]):
                fail(
                    f"Calling {name} twice gave different {key}: the result must depend only on the seed "
                    "(draw from rng = np.random.default_rng(seed), not from np.random's global state)."
                )
        if all(np.array_equal(first[k], other[k]) for k in first if k[0] == "W"):
            fail(
                f"{name} and {other_name} gave the same weights: the seed argument is ignored "
                "(use rng = np.random.default_rng(seed))."
            )

    check.__name__ = f"check_{kind}_seed"
    return check


check_random_seed = _seeded("random")
check_he_seed = _seeded("he")


# -- short training runs -----------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _circles():
    from grader.pipeline.reference import load_reference

    load_reference(ASSIGNMENT)  # puts the provided helpers on sys.path
    import data_utils

    return data_utils.load_circles()


@grading("initialize_parameters_zeros", "training from zeros never breaks symmetry", 6)
@secret_variant(dims=lambda rng: (2, int(rng.integers(3, 12)), int(rng.integers(2, 8)), 1))
def check_zeros_training(student, dims=tuple(TRAIN_DIMS)):
    X, Y, _, _ = _circles()
    start, name = call(student, "zeros", list(dims))
    (trained,), ((*_, cost),), (accuracy,) = train_many(X, Y, [start], TRAIN_LR, ZEROS_ITERATIONS)
    for l in range(1, len(dims) - 1):
        W = trained[f"W{l}"]
        if not np.allclose(W, W[:1]):
            fail(
                f"After {ZEROS_ITERATIONS} steps of gradient descent from {name}, the rows of W{l} differ: "
                "starting from all zeros every hidden unit of a layer should stay identical."
            )
    if abs(accuracy - 0.5) > 0.05 or abs(cost - np.log(2)) > 1e-3:
        fail(
            f"After {ZEROS_ITERATIONS} steps from {name} the training accuracy is {accuracy:.1%} and the "
            f"cost {cost:.4f}; from zeros they should stay at 50 % and ln 2 = 0.6931."
        )


def _figure(student_runs, reference_runs):
    """Decision boundaries: ``{kind: (parameters, accuracy)}`` for the student's and the reference's runs."""
    X, Y, _, _ = _circles()
    panels = []
    for who, runs in (("yours", student_runs), ("reference", reference_runs)):
        for kind in FUNCTIONS:
            if kind in runs:
                panels.append(
                    boundary_panel(
                        f"{who}: {kind}",
                        predictor(runs[kind][0]),
                        X,
                        Y,
                        subtitle=f"train accuracy {runs[kind][1]:.1%}",
                        parameters=runs[kind][0],
                    )
                )
            else:
                panels.append(
                    {"label": f"{who}: {kind}", "subtitle": "not available", "size": 1, "runs": [], "points": []}
                )
    return Figure(
        "boundaries",
        f"Circles after {TRAIN_ITERATIONS} steps at learning rate {TRAIN_LR}, from "
        "your initial parameters (top) and the reference's (bottom); the notebook "
        "trains 15,000 steps at 0.01",
        {"columns": 3, "panels": panels},
    )


@grading("initialize_parameters_he", "training from He reaches high accuracy on circles", 6)
def check_he_training(student, reference, figures, secret):
    X, Y, _, _ = _circles()
    starts = [call(student, "he", TRAIN_DIMS, seed=s)[0] for s in HE_SEEDS]
    others = {}
    for kind in ("zeros", "random"):
        try:
            others[kind] = call(student, kind, TRAIN_DIMS)[0]
        except (AssertionError, StudentError):  # graded by other checks; its panel stays empty
            pass
    references = [getattr(reference, FUNCTIONS[kind])(TRAIN_DIMS) for kind in FUNCTIONS]
    # one batched run: the student's He draws, their zeros and random, the reference's three
    trained, costs, accuracies = train_many(
        X, Y, starts + list(others.values()) + references, TRAIN_LR, TRAIN_ITERATIONS, record_every=RECORD_EVERY
    )
    n = len(starts)
    mine = {"he": 0, **{kind: n + i for i, kind in enumerate(others)}}
    theirs = {kind: n + len(others) + i for i, kind in enumerate(FUNCTIONS)}
    runs = list(zip(trained, accuracies))
    figures.append(_figure({k: runs[i] for k, i in mine.items()}, {k: runs[i] for k, i in theirs.items()}))
    series = {}
    for kind in FUNCTIONS:
        for who, index in (("yours", mine), ("reference", theirs)):
            if kind in index:
                series[f"{who}: {kind}"] = costs[index[kind]]
    figures.append(
        lines_figure(
            f"Cost on circles, the same runs (steps of learning rate {TRAIN_LR}; random x 10 starts at inf, not drawn)",
            series,
            RECORD_EVERY,
        )
    )
    _expect_he_trains(accuracies[:n], f"s = {HE_SEEDS.start}..{HE_SEEDS.stop - 1}")
    seeds = [int(seed) for seed in secret.rng.integers(1000, 10**6, size=len(HE_SEEDS))]
    secret.run(_he_secret_case, student, seeds, description=f"seeds {', '.join(map(str, seeds))}")


def _he_secret_case(student, seeds):
    X, Y, _, _ = _circles()
    starts = [call(student, "he", TRAIN_DIMS, seed=s)[0] for s in seeds]
    # One network at a time, up to the first that reaches 90 %: _expect_he_trains asks for one,
    # and a correct draw's first network does (about 5 in 6). A network trained alone is the
    # same, bit for bit, as in a batch (train_many's networks share no arithmetic), so the
    # decision, and the message of a failure (every network trained), are the batch's. A
    # network alone costs about half a batch of six: its steps are the same numpy calls.
    accuracies = []
    for start in starts:
        accuracies.append(train_many(X, Y, [start], TRAIN_LR, TRAIN_ITERATIONS)[2][0])
        if accuracies[-1] >= 0.9:
            return
    _expect_he_trains(np.array(accuracies), "the seeds s above")


def _expect_he_trains(accuracies, which):
    """At least one of the He starts reached 90 % training accuracy (a correct He draw: 4 of 6 or more)."""
    good = int(np.sum(accuracies >= 0.9))
    if good < 1:
        fail(
            f"From initialize_parameters_he({TRAIN_DIMS}, seed=s) for {which}, "
            f"{TRAIN_ITERATIONS} steps at learning rate {TRAIN_LR} reached at least 90 % training accuracy on "
            f"circles {good} time(s) of {len(accuracies)} (accuracies: {', '.join(f'{a:.0%}' for a in accuracies)}); "
            "He initialisation should train well."
        )
