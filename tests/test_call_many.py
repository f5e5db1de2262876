"""``Sandbox.call_many`` (independent calls in one round trip) and the grader-driven runs of
``grader/checkapi/lockstep.py``."""

import numpy as np
import pytest

from grader.checkapi import lockstep
from grader.checkapi.support import CheckFailure, fail
from grader.pipeline.runner import StudentModule
from grader.sandbox.session import SAME, Sandbox, StudentError
from grader.sandbox.wire import Unsupported

SOURCE = """
import time
import numpy as np
calls = []

def double(x):
    calls.append(x)
    return 2 * x

def count():
    return len(calls)

def broken(x):
    raise ValueError(f"bad {x}")

def spin(x):
    while True:
        pass

def gradients(order):
    return {key: np.full((2, 2), float(i)) for i, key in enumerate(order)}

def with_junk():
    return {**gradients(["dW1", "db1", "dW2", "db2"]), 1: "junk"}
"""


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox("optimization", SOURCE, call_timeout=1.0) as box:
        yield box


def test_one_reply_per_call_in_order_errors_returned_not_raised(sandbox):
    got = sandbox.call_many(
        [("double", (1,), {}), ("broken", (2,), {}), ("nope", (), {}), ("double", (np.arange(3),), {})]
    )
    assert got[0] == 2 and np.array_equal(got[3], [0, 2, 4])
    assert isinstance(got[1], StudentError) and got[1].kind == "exception" and "bad 2" in got[1].message
    assert isinstance(got[2], StudentError) and got[2].kind == "missing"


def test_each_call_runs_once_on_the_graders_arguments(sandbox):
    before = sandbox.call("count")
    sandbox.call_many([("double", (5,), {})] * 4)
    assert sandbox.call("count") == before + 4


def test_a_call_with_keep_sends_back_only_those_keys_of_a_dict_that_holds_them_all(sandbox):
    from grader.sandbox.session import call_frame

    calls = [
        ("gradients", (["dZ2", "dW2", "db2", "dA1", "dW1", "db1"],), {}),  # all kept keys: filtered
        ("gradients", (["dZ2", "dW2", "db2", "dW1"],), {}),  # db1 missing: sent whole, for the check to say so
        ("double", (3,), {}),  # not a dict: as it is
        ("with_junk", (), {}),  # a key that is not a string: the whole dict, which crosses as unsupported
    ]
    keep = ("dW1", "db1", "dW2", "db2")
    got = sandbox.call_many(calls, frames=[call_frame(f, a, k, keep) for f, a, k in calls])
    assert list(got[0]) == ["dW2", "db2", "dW1", "db1"]  # the student's order
    assert [float(got[0][key][0, 0]) for key in got[0]] == [1.0, 2.0, 4.0, 5.0]
    assert list(got[1]) == ["dZ2", "dW2", "db2", "dW1"] and got[2] == 6
    assert isinstance(got[3], Unsupported)
    assert list(sandbox.call_many(calls[:1])[0]) == ["dZ2", "dW2", "db2", "dA1", "dW1", "db1"]  # without keep: all


def test_helper_calls_are_refused(sandbox):
    with pytest.raises(TypeError, match="helper"):
        sandbox.call("double", 1, helper="opt_utils:model")


def test_a_round_trip_that_times_out_fails_every_call_and_bans_its_functions():
    with Sandbox("optimization", SOURCE, call_timeout=0.5) as box:
        got = box.call_many([("double", (1,), {}), ("spin", (1,), {})])
        assert all(isinstance(g, StudentError) and g.kind == "timeout" for g in got)
        again = box.call_many([("spin", (1,), {}), ("count", (), {})])
        assert again[0].kind == "skipped" and again[1] == 0  # a fresh child; count was never banned


def _doubling(start, steps):
    value = start
    for _ in range(steps):
        value = yield lockstep.Call("double", (value,))
        if value > 100:
            fail(f"{value} is too large")
    return value


def test_runs_advance_together_one_round_trip_per_step(sandbox, monkeypatch):
    student = StudentModule("optimization", sandbox)
    trips = []
    original = sandbox.call_many
    monkeypatch.setattr(sandbox, "call_many", lambda calls, **kw: trips.append(len(calls)) or original(calls, **kw))
    results = lockstep.run_student(student, [_doubling(1, 3), _doubling(5, 5), _doubling(40, 1)])
    assert results[0] == 8 and results[2] == 80
    assert isinstance(results[1], CheckFailure) and "160 is too large" in str(results[1])
    assert trips == [3, 2, 2, 1, 1]  # the runs that are still going, step by step


def test_the_reference_runs_the_same_generator_and_records_its_calls():
    class Reference:
        @staticmethod
        def double(x):
            return 2 * x

    record = []
    assert lockstep.run_reference(Reference, _doubling(3, 2), record=record) == 12
    assert [c.args for c in record] == [(3,), (6,)]


def test_a_function_in_uses_is_answered_by_the_reference_without_a_round_trip(sandbox, monkeypatch):
    student = StudentModule("optimization", sandbox)
    student.new_check(("update_lr",))

    def run():
        lr = yield lockstep.Call("update_lr", (1.0, 1, 1.0))
        doubled = yield lockstep.Call("double", (lr,))
        return doubled

    trips = []
    original = sandbox.call_many
    monkeypatch.setattr(sandbox, "call_many", lambda calls, **kw: trips.append(calls) or original(calls, **kw))
    assert lockstep.run_student(student, [run()]) == [1.0]  # the reference's update_lr: 1 / (1 + 1)
    assert [[c[0] for c in calls] for calls in trips] == [["double"]]


def test_a_reply_in_the_expected_bytes_is_same_and_not_decoded(sandbox):
    calls = [("double", (np.arange(3.0),), {}), ("double", (np.ones(2),), {}), ("broken", (1,), {})]
    first = sandbox.call_many(calls)
    frames = list(sandbox.replies)
    assert all(isinstance(frame, bytes) for frame in frames[:2]) and frames[2] is not None
    again = sandbox.call_many(calls, expected=[frames[0], frames[0], frames[2]])
    assert again[0] is SAME  # the same bytes
    assert type(again[1]) is np.ndarray and np.array_equal(again[1], first[1])  # other bytes: decoded
    assert again[2] is SAME  # (an error's frame too: lockstep expects only frames of values)
    assert sandbox.replies[0] == frames[0] and sandbox.replies[1] == frames[1]
    other = sandbox.call_many(calls[2:], expected=[frames[0]])
    assert isinstance(other[0], StudentError) and "bad 1" in other[0].message


def test_a_reply_of_forged_frames_fails_every_call_without_a_crash(monkeypatch):
    source = (
        "import os, sys, struct, json\n"
        "def double(x):\n"
        "    wire = sys.modules['wire']\n"
        "    header = json.dumps({'ok': True, 'frames': [999, 1], 'printed': ''}).encode()\n"
        "    os.write(sys.modules['__main__'].OUT_FD, wire.PREFIX.pack(wire.MAGIC, len(header), 3) + header + b'abc')\n"
        "    import time; time.sleep(5)\n"
    )
    with Sandbox("optimization", source, call_timeout=2.0) as box:
        results = box.call_many([("double", (1,), {}), ("double", (2,), {})])
    assert all(isinstance(r, StudentError) and r.kind == "crash" for r in results)
