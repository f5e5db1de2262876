"""The initialization checks: the reference scores 100 and draws the training figure, the stub 0,
and each known wrong implementation (the catalogue ``grader/mistakes/initialization.py``; graded in ``tests/test_validate.py``) loses the checks meant for
it, with its message."""

import pytest

from grader.authoring.validate import hidden_checks
from tests.helpers import grade_source, reference_source, stub_source
from tests.wrong_impls import failures_by_check, wrong_implementations

A = "initialization"


def test_reference_scores_full_marks_and_draws_the_boundaries():
    result = grade_source(A, reference_source(A))
    assert failures_by_check(result) == {}
    assert result.score == 100
    assert sorted(f.kind for f in result.figures) == ["boundaries", "lines"]
    figure = next(f for f in result.figures if f.kind == "boundaries")
    costs = next(f for f in result.figures if f.kind == "lines").data["series"]
    labels = [panel["label"] for panel in figure.data["panels"]]
    assert labels == [f"{who}: {kind}" for who in ("yours", "reference") for kind in ("zeros", "random", "he")]
    assert sorted(costs) == sorted(
        f"{who}: {kind}" for who in ("yours", "reference") for kind in ("zeros", "random", "he")
    )
    assert costs["yours: he"][-1] < 0.5 < costs["yours: zeros"][-1]
    zeros = figure.data["panels"][0]
    assert {run[3] for run in zeros["runs"]} == {0} or {run[3] for run in zeros["runs"]} == {1}  # one class


def test_stub_scores_zero_and_says_not_implemented():
    result = grade_source(A, stub_source(A))
    assert result.score == 0
    failures = failures_by_check(result)
    assert len(failures) == len(result.outcomes)
    assert all("not implemented yet" in message for message in failures.values())


def test_every_issue_bullet_has_a_wrong_implementation():
    losing = {check for wrong in wrong_implementations(A) for check in wrong.loses}
    checks = hidden_checks(A)  # check id -> the function it grades
    functions = {"initialize_parameters_zeros", "initialize_parameters_random", "initialize_parameters_he"}
    assert losing <= set(checks) and {checks[c] for c in losing} == functions
    for fragment in ("structure", "values", "statistics", "seed", "training"):
        assert any(fragment in check for check in losing), fragment


def test_public_checks_reference_full_marks_stub_zero():
    assert grade_source(A, reference_source(A), public=True).score == 100
    assert grade_source(A, stub_source(A), public=True).score == 0


@pytest.mark.parametrize(
    "name, check",
    [
        ("he_xavier", ("initialize_parameters_he", "the weights' scale on a large layer")),
        ("random_ignores_seed", ("initialize_parameters_random", "reproducible with the seed")),
        ("zeros_int_dtype", ("initialize_parameters_zeros", "all zeros for layers_dims = [3, 2, 1]")),
    ],
)
def test_public_checks_catch_wrong_implementations(name, check):
    wrong = next(w for w in wrong_implementations(A) if w.name == name)
    result = grade_source(A, wrong.applied_to(reference_source(A)), public=True)
    assert check in failures_by_check(result)


# correct implementations written differently from the reference: they must score 100
VARIANTS = {
    "he_reverse_order_normal": """
def initialize_parameters_he(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in reversed(range(1, len(layers_dims))):
        parameters["W" + str(l)] = rng.normal(0.0, np.sqrt(2.0 / layers_dims[l - 1]), (layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1), dtype=np.float64)
    return parameters
""",
    "he_one_generator_per_layer": """
def initialize_parameters_he(layers_dims, seed=3):
    parameters = {}
    for l in range(1, len(layers_dims)):
        rng = np.random.default_rng([l, seed])
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) / np.sqrt(layers_dims[l - 1] / 2)
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters
""",
    "random_one_draw_split": """
def initialize_parameters_random(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    sizes = [layers_dims[l] * layers_dims[l - 1] for l in range(1, len(layers_dims))]
    flat = 10 * rng.standard_normal(sum(sizes))
    parameters, start = {}, 0
    for l, size in enumerate(sizes, start=1):
        parameters[f"W{l}"] = flat[start:start + size].reshape(layers_dims[l], layers_dims[l - 1])
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
        start += size
    return parameters
""",
    "random_legacy_randomstate": """
def initialize_parameters_random(layers_dims, seed=3):
    state = np.random.RandomState(seed)
    return {key: value for l in range(1, len(layers_dims)) for key, value in (
        (f"W{l}", state.randn(layers_dims[l], layers_dims[l - 1]) * 10), (f"b{l}", np.zeros((layers_dims[l], 1))))}
""",
    "zeros_comprehension": """
def initialize_parameters_zeros(layers_dims):
    shapes = {}
    for l in range(1, len(layers_dims)):
        shapes[f"W{l}"] = (layers_dims[l], layers_dims[l - 1])
        shapes[f"b{l}"] = (layers_dims[l], 1)
    return {key: np.zeros(shape) for key, shape in shapes.items()}
""",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_correct_variant_scores_full_marks(name):
    from tests.wrong_impls import WrongImplementation

    source = WrongImplementation(name, VARIANTS[name], (), "").applied_to(reference_source(A))
    result = grade_source(A, source)
    assert failures_by_check(result) == {} and result.score == 100
    assert grade_source(A, source, public=True).score == 100


def test_the_he_secret_case_trains_a_network_at_a_time_and_decides_as_the_batch(monkeypatch):
    import numpy as np

    from grader.checkapi.support import CheckFailure
    from grader.checks import initialization as checks
    from grader.pipeline.reference import load_reference

    reference = load_reference(A)
    X, Y, _, _ = checks._circles()
    seeds = [1001, 1002, 1003, 1004, 1005, 1006]
    starts = [reference.initialize_parameters_he(checks.TRAIN_DIMS, seed=s) for s in seeds]
    batch = checks.train_many(X, Y, starts, checks.TRAIN_LR, checks.TRAIN_ITERATIONS)
    for i, start in enumerate(starts):  # a network alone is the one it is in the batch, bit for bit
        alone = checks.train_many(X, Y, [start], checks.TRAIN_LR, checks.TRAIN_ITERATIONS)
        assert alone[2][0] == batch[2][i] and alone[1][0].tobytes() == batch[1][i].tobytes()
        assert all(alone[0][0][k].tobytes() == batch[0][i][k].tobytes() for k in start)
    first = next(i for i, accuracy in enumerate(batch[2]) if accuracy >= 0.9)
    assert first > 0  # (the seeds' first network does not reach 90 %, a later one does)

    sizes = []
    real = checks.train_many
    monkeypatch.setattr(
        checks, "train_many", lambda X, Y, nets, *rest: sizes.append(len(nets)) or real(X, Y, nets, *rest)
    )
    checks._he_secret_case(reference, seeds)
    assert sizes == [1] * (first + 1)  # up to the first network that reached 90 %: the decision is made

    class Flat:  # a "He" that returns zeros: no network trains
        def initialize_parameters_he(self, layers_dims, seed=None):
            return reference.initialize_parameters_zeros(layers_dims)

    sizes.clear()
    with pytest.raises(CheckFailure) as alone:
        checks._he_secret_case(Flat(), seeds)
    assert sizes == [1] * 6
    zeros = [reference.initialize_parameters_zeros(checks.TRAIN_DIMS)] * 6
    with pytest.raises(CheckFailure) as batched:
        checks._expect_he_trains(real(X, Y, zeros, checks.TRAIN_LR, checks.TRAIN_ITERATIONS)[2], "the seeds s above")
    assert str(alone.value) == str(batched.value) and "0 time(s) of 6" in str(alone.value)
    assert np.isfinite(batch[1]).all()


def test_train_many_is_plain_gradient_descent_bit_for_bit():
    """The grader's trainer (arrays written in place, a step's operands gathered once) gives the
    numbers of gradient descent written plainly, one network at a time with new arrays."""
    import numpy as np

    from grader.checks import initialization as checks
    from grader.checks.models import _costs, train_many

    def plain(X, Y, parameters, learning_rate, iterations, record_every):
        L = len(parameters) // 2
        W = [parameters[f"W{l}"][None].astype(float) for l in range(1, L + 1)]
        b = [parameters[f"b{l}"][None].astype(float) for l in range(1, L + 1)]
        m, costs = X.shape[1], []
        for i in range(iterations + 1):
            A, Z = [X[None]], []
            for l in range(L):
                Z.append(W[l] @ A[l] + b[l])
                A.append(1 / (1 + np.exp(-Z[l])) if l == L - 1 else np.maximum(Z[l], 0))
            if i % record_every == 0 or i == iterations:
                costs.append(_costs(A[-1], Y)[0])
            if i == iterations:
                break
            dZ = A[-1] - Y
            for l in range(L - 1, -1, -1):
                dW = dZ @ A[l].swapaxes(1, 2) / m
                db = np.sum(dZ, axis=2, keepdims=True) / m
                if l:
                    dZ_below = (W[l].swapaxes(1, 2) @ dZ) * (Z[l - 1] > 0)
                W[l], b[l] = W[l] - dW * learning_rate, b[l] - db * learning_rate
                if l:
                    dZ = dZ_below
        return W, b, np.array(costs), np.mean((A[-1] > 0.5) == (Y > 0.5))

    X, Y, _, _ = checks._circles()
    rng = np.random.default_rng(7)
    networks = [
        {
            k: rng.standard_normal(shape) * 0.5
            for k, shape in (("W1", (4, 2)), ("b1", (4, 1)), ("W2", (1, 4)), ("b2", (1, 1)))
        }
        for _ in range(3)
    ]
    trained, costs, accuracies = train_many.uncached(X, Y, networks, 0.3, 60, record_every=7)
    for i, start in enumerate(networks):
        W, b, plain_costs, accuracy = plain(X, Y, start, 0.3, 60, 7)
        assert costs[i].tobytes() == plain_costs.tobytes() and accuracies[i] == accuracy
        assert all(trained[i][f"W{l + 1}"].tobytes() == W[l][0].tobytes() for l in range(2))
        assert all(trained[i][f"b{l + 1}"].tobytes() == b[l][0].tobytes() for l in range(2))
