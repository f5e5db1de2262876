"""Hostile cases of the corpus made at test time from the reference (so that they follow it),
one family per class of issue 17 (docs/isolation.md, "What the checks trust"):

- points from code the child runs for the grader: the provided loops replaced in
  ``sys.modules`` by ones that train with a hidden correct implementation, the graded
  functions left unimplemented;
- comparisons that a non-finite value turns true: a NaN that makes "the order changed" or
  "another seed gives other weights" true;
- replies that crash a check: every graded function answers with wire-valid junk.

(The lookup-table attack, of the class "expected values harvested from a report", is
``tests/hostile_lookup.py``.) Each ``make_<case>(batch)`` writes ``batch/<case>/<assignment>.py``.
"""

from tests.helpers import reference_source, replace_function, stub_source


def _write(batch, name, assignment, source):
    folder = batch / name
    folder.mkdir()
    (folder / f"{assignment}.py").write_text(source)


def _stubbed(assignment, functions):
    """The reference with ``functions`` left unimplemented (the stub's bodies)."""
    import ast

    stub = stub_source(assignment)
    source = reference_source(assignment)
    for function in functions:
        node = next(n for n in ast.parse(stub).body if isinstance(n, ast.FunctionDef) and n.name == function)
        source = replace_function(source, function, "\n".join(stub.splitlines()[node.lineno - 1 : node.end_lineno]))
    return source


def _hijack(module, names, assignment):
    """Top-level code that replaces ``module``'s loops in ``sys.modules`` with ones that run a
    hidden copy of the reference, whatever ``impl`` the caller passes."""
    return f"""

import sys as _sys
import types as _types

_hidden = _types.ModuleType("_hidden")
exec({reference_source(assignment)!r}, _hidden.__dict__)
_target = _sys.modules.get({module!r}) or __import__({module!r})
for _name in {names!r}:
    _original = getattr(_target, _name)

    def _rigged(*args, _original=_original, **kwargs):
        kwargs["impl"] = _hidden
        return _original(*args, **kwargs)

    setattr(_target, _name, _rigged)
"""


MOMENTS = ["update_parameters_with_momentum", "update_parameters_with_rmsprop", "update_parameters_with_adam"]


def make_replace_provided_loops(batch):
    """optimization: the update rules unimplemented; opt_utils' loops rigged to train anyway."""
    _write(
        batch,
        "replace_provided_loops",
        "optimization",
        _stubbed("optimization", MOMENTS)
        + _hijack("opt_utils", ["model", "update_trajectory", "training_trajectory", "optimizer_path"], "optimization"),
    )


def make_replace_reg_model(batch):
    """regularization: dropout's backward pass unimplemented; reg_utils.model rigged."""
    _write(
        batch,
        "replace_reg_model",
        "regularization",
        _stubbed("regularization", ["backward_propagation_with_dropout"])
        + _hijack("reg_utils", ["model"], "regularization"),
    )


def make_nan_unshuffled_batches(batch):
    """random_mini_batches that never shuffles, with a NaN id that makes every order look
    changed and every seed look different."""
    _write(
        batch,
        "nan_unshuffled_batches",
        "optimization",
        replace_function(
            reference_source("optimization"),
            "random_mini_batches",
            """
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    X, Y = np.array(X, dtype=float), np.array(Y, dtype=float)
    X[0, 0] = np.nan
    return [(X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size])
            for k in range(0, X.shape[1], mini_batch_size)]
""",
        ),
    )


def make_nan_ignored_seed(batch):
    """initialize_parameters_he that ignores its seed; a NaN makes seed 8 look different from 7.
    Shapes are right for the seed check's layers only, so no other check could pass."""
    _write(
        batch,
        "nan_ignored_seed",
        "initialization",
        replace_function(
            reference_source("initialization"),
            "initialize_parameters_he",
            """
def initialize_parameters_he(layers_dims, seed=3):
    if list(layers_dims) != [6, 5, 4, 1]:
        return {}
    rng = np.random.default_rng(0)
    parameters = {}
    for l in range(1, len(layers_dims)):
        fan_in = layers_dims[l - 1]
        parameters[f"W{l}"] = rng.standard_normal((layers_dims[l], fan_in)) * np.sqrt(2 / fan_in)
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    if seed == 8:
        parameters["W1"][0, 0] = np.nan
    return parameters
""",
        ),
    )


JUNK = """

import numpy as _np

_JUNK = [None, [], "dW1", {"W1": "x"}, (None, None), float("nan"), _np.array(["a", "b"]), {"dW1": None},
         [[1, 2], [3]], _np.zeros((0, 3)), (1, 2, 3, 4, 5), {"steps": -1, "trace": {"parameters": [None]}},
         10 ** 30, _np.array(3.0), True, {"": {"": {}}}]
_calls = [0]


def _junk(*args, **kwargs):
    _calls[0] += 1
    return _JUNK[_calls[0] % len(_JUNK)]

"""


def _junk_module(assignment):
    import ast

    names = [
        n.name
        for n in ast.parse(stub_source(assignment)).body
        if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")
    ]
    return JUNK + "".join(f"{name} = _junk\n" for name in names)


def make_junk_replies_optimization(batch):
    """Every graded function of optimization answers with the next value of a list of junk."""
    _write(batch, "junk_replies_optimization", "optimization", _junk_module("optimization"))


def make_junk_replies_regularization(batch):
    """Every graded function of regularization answers with the next value of a list of junk."""
    _write(batch, "junk_replies_regularization", "regularization", _junk_module("regularization"))
