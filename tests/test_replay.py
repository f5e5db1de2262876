"""Replaying hypothesis's examples (``grader/checkapi/replay.py``): the examples drawn with the
check's body skipped are exactly those hypothesis hands the body when every example passes,
for every hypothesis check of the hidden suite, and a replayed check that fails is worded by
hypothesis as before."""

import copy
import importlib
import inspect

import numpy as np
import pytest

from grader import course
from grader.checkapi import replay, support
from grader.checkapi.memo import Memoized
from grader.pipeline.reference import load_reference
from grader.pipeline.runner import GradingPlugin
from tests.helpers import CallsByName, grade_source, reference_source


class InProcessReference(CallsByName):
    """The reference solution posing as a student's module, called in this process."""

    def __init__(self, assignment):
        self.assignment, self.module, self.uses = assignment, load_reference(assignment), ()

    def call(self, function, *args, timeout=None, patch=None, **kwargs):
        with support.patched(self.module, patch or {}):
            return getattr(self.module, function)(*copy.deepcopy(args), **copy.deepcopy(kwargs))

    def call_many(self, calls, timeout=None):
        return [self.call(function, *args, **kwargs) for function, args, kwargs in calls]


def _hypothesis_checks():
    for assignment in course.ASSIGNMENT_IDS:
        module = importlib.import_module(f"grader.checks.{assignment}")
        for name, test in sorted(vars(module).items()):
            if name.startswith("check_") and getattr(test, "hypothesis", None) is not None:
                yield pytest.param(assignment, test, id=f"{assignment}.{name}")


def _equal(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return type(a) is type(b) and a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    if isinstance(a, dict):
        return type(b) is dict and list(a) == list(b) and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_equal, a, b))
    return type(a) is type(b) and (a == b or (a != a and b != b))


@pytest.mark.parametrize(("assignment", "test"), list(_hypothesis_checks()))
def test_the_drawn_examples_are_those_a_passing_run_gets(assignment, test, monkeypatch):
    replay.seed_once(test)
    name = f"probe::{assignment}::{test.__qualname__}"
    monkeypatch.setattr(test, replay.EXAMPLES, None, raising=False)
    monkeypatch.setattr(replay.memo, "kept", lambda label: None)
    monkeypatch.setattr(replay.memo, "keep", lambda label, value: True)
    drawn = replay.examples(test, name)

    handed = []

    def record(examples):
        handed.append(copy.deepcopy(examples))
        return False

    monkeypatch.setattr(replay, "skip_body", record)
    fixtures = {
        "student": InProcessReference(assignment),
        "reference": Memoized(load_reference(assignment)),
        "figures": [],
    }
    test(**{name: fixtures[name] for name in inspect.signature(test).parameters})  # passes: the reference is right
    assert drawn and len(drawn) == len(handed)
    assert all(_equal(a, b) for a, b in zip(drawn, handed))


def test_a_failing_replay_is_worded_as_hypothesis_alone_words_it(monkeypatch):
    source = reference_source("optimization").replace(
        "return learning_rate0 / (1 + decay_rate * epoch_num)",
        "return learning_rate0 / (1 + decay_rate * epoch_num) + 1",
    )
    assert source != reference_source("optimization")
    replayed = grade_source("optimization", source)
    failed = {o.check_id: o.message for o in replayed.outcomes if not o.passed}
    assert list(failed) == ["optimization.check_update_lr"]
    monkeypatch.setattr(GradingPlugin, "run_replayed", lambda self, item: None)  # hypothesis alone
    alone = grade_source("optimization", source)
    assert replayed.outcomes == alone.outcomes
    assert "update_lr(1.0, 1, 1.0)" in failed["optimization.check_update_lr"]  # shrunk, not a replayed example


def test_every_replayed_example_starts_from_the_seeded_prngs_and_the_states_come_back():
    import random
    import types

    from hypothesis.internal.entropy import deterministic_PRNG

    with deterministic_PRNG():
        fresh = (random.random(), np.random.random())
    seen = []

    def inner(x):
        seen.append((random.random(), np.random.random()))
        random.random(), np.random.random()  # moved on: the next example must not start here

    def check():
        pass

    check.hypothesis = types.SimpleNamespace(inner_test=inner)
    setattr(check, replay.EXAMPLES, [{"x": 1}, {"x": 2}, {"x": 3}])
    random.seed(12345)
    np.random.seed(12345)
    before = (random.getstate(), np.random.get_state()[1].copy())
    assert replay.replay(check, "probe::seeded", {}) is None
    assert seen == [fresh] * 3
    assert random.getstate() == before[0] and np.array_equal(np.random.get_state()[1], before[1])
