"""Runs that follow a kept trace (``grader/checkapi/traces.py``): the same results as runs made
step by step, for a student who answers alike, one who answers otherwise from some step on, one
whose function raises, and with functions of ``uses=`` answered by the reference."""

import numpy as np
import pytest

from grader.checkapi import lockstep, memo, traces
from grader.checkapi.secret import secret_case
from grader.checkapi.support import fail
from grader.mistakes import applied_to, mistakes
from grader.pipeline.runner import StudentModule
from grader.sandbox.session import Sandbox, StudentError
from tests.helpers import grade_source, reference_source

RIGHT = """
calls = []

def double(x):
    calls.append(1)
    return 2 * x

def count():
    return len(calls)
"""

# the same, but one bit off from the third call on
OFF_FROM_THIRD = RIGHT.replace("return 2 * x", "return 2 * x if len(calls) < 3 else np.nextafter(2 * x, np.inf)")
OFF_FROM_THIRD = "import numpy as np\n" + OFF_FROM_THIRD
RAISES_AT_THIRD = RIGHT.replace(
    "return 2 * x", "if len(calls) == 3:\n        raise ValueError('third')\n    return 2 * x"
)

made_steps = [0]  # steps the run below made in this process


def _walk(start, steps):
    """A run: the student doubles an array at each step; its answer must stay an array."""
    value = np.asarray(start, dtype=float)
    for _ in range(steps):
        made_steps[0] += 1
        got = yield lockstep.Call("double", (value,))
        if type(got) is not np.ndarray:
            fail(f"double returned {got!r}")
        value = got
    return {"end": value, "steps": steps}


def _lr_walk(start, steps):
    """A run with a function of ``uses=`` (``update_lr``, the reference's) before each call."""
    value = np.asarray(start, dtype=float)
    for i in range(steps):
        made_steps[0] += 1
        rate = yield lockstep.Call("update_lr", (1.0, i, 1.0))
        value = (yield [lockstep.Call("double", (value * rate,))])[0]
    return value


@pytest.fixture(autouse=True)
def no_traces():
    folder = memo.folder()
    memo.configure(None)  # (no trace on disk, unless a test keeps them in a folder of its own)
    traces.clear()
    made_steps[0] = 0
    yield
    traces.clear()
    memo.configure(folder)


def _student(source, uses=()):
    sandbox = Sandbox("optimization", source, call_timeout=5.0)
    student = StudentModule("optimization", sandbox)
    student.new_check(uses)
    return sandbox, student


def _made(source, run, uses=()):
    """The result of ``run`` (a generator: never followed nor kept) for a student of ``source``."""
    sandbox, student = _student(source, uses)
    with sandbox:
        return lockstep.run_student(student, [run])[0]


def _same(a, b):
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray):
        return type(b) is np.ndarray and a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    return type(a) is type(b) and str(a) == str(b)


def test_a_student_who_answers_alike_follows_the_trace_and_gets_the_same_result():
    recipe = lockstep.Recipe(_walk, (np.ones(3), 4))
    first_box, first = _student(RIGHT)
    with first_box:
        (kept,) = lockstep.run_student(first, [recipe])
    assert traces.stats["kept"] == 1 and made_steps[0] == 4

    second_box, second = _student(RIGHT)
    with second_box:
        before = made_steps[0]
        (followed,) = lockstep.run_student(second, [recipe])
        assert made_steps[0] == before and traces.stats["followed"] == 4  # nothing made here
        assert second_box.call("count") == 4  # the student's function ran at every step
        logged = list(second.log.recent())
    assert _same(followed, kept) and _same(followed, _made(RIGHT, _walk(np.ones(3), 4)))
    followed["end"][:] = -1  # a result handed out is a copy
    third_box, third = _student(RIGHT)
    with third_box:
        assert np.array_equal(lockstep.run_student(third, [recipe])[0]["end"], 16 * np.ones(3))
    # the hints' log has each call's arguments, read back from the frame it was sent in
    assert [call[0] for call in logged] == ["double"] * 4
    assert np.array_equal(logged[0][1][0], 8 * np.ones(3)) and logged[0][2] == {}


@pytest.mark.parametrize("source", [OFF_FROM_THIRD, RAISES_AT_THIRD], ids=["one bit off", "raises"])
def test_a_student_who_answers_otherwise_gets_the_run_made_for_them(source):
    recipe = lockstep.Recipe(_walk, (np.ones(3), 5))
    with _student(RIGHT)[0] as box:
        lockstep.run_student(StudentModule("optimization", box), [recipe])
    box, student = _student(source)
    with box:
        (followed,) = lockstep.run_student(student, [recipe])
    assert traces.stats["left"] == 1
    made = _made(source, _walk(np.ones(3), 5))
    if source is RAISES_AT_THIRD:
        assert isinstance(followed, StudentError) and isinstance(made, StudentError)
        assert followed.feedback() == made.feedback() and "third" in followed.message
    else:
        assert _same(followed, made)
        assert not np.array_equal(followed["end"], 32 * np.ones(3))  # (the trace's end: not handed over)


def test_the_run_made_after_a_divergence_is_kept_and_followed_in_turn():
    recipe = lockstep.Recipe(_walk, (np.ones(2), 4))
    for source in (RIGHT, OFF_FROM_THIRD):
        box, student = _student(source)
        with box:
            lockstep.run_student(student, [recipe])
    assert traces.stats["kept"] == 2
    box, student = _student(OFF_FROM_THIRD)
    with box:
        before = made_steps[0]
        (followed,) = lockstep.run_student(student, [recipe])
    assert made_steps[0] == before and _same(followed, _made(OFF_FROM_THIRD, _walk(np.ones(2), 4)))


def test_functions_of_uses_are_answered_by_the_reference_when_a_run_is_made_after_all():
    recipe = lockstep.Recipe(_lr_walk, (np.ones(2), 4))
    box, student = _student(RIGHT, ("update_lr",))
    with box:
        lockstep.run_student(student, [recipe])
    for source in (RIGHT, OFF_FROM_THIRD):
        box, student = _student(source, ("update_lr",))
        with box:
            (followed,) = lockstep.run_student(student, [recipe])
        assert _same(followed, _made(source, _lr_walk(np.ones(2), 4), ("update_lr",)))


def test_a_run_in_a_secret_case_is_neither_followed_nor_kept():
    recipe = lockstep.Recipe(_walk, (np.ones(2), 3))
    for _ in range(2):
        box, student = _student(RIGHT)
        with box, secret_case("a case for one submission"):
            assert np.array_equal(lockstep.run_student(student, [recipe])[0]["end"], 8 * np.ones(2))
    assert traces.stats == {"followed": 0, "left": 0, "kept": 0} and made_steps[0] == 6


def test_a_process_keeps_no_trace_of_its_first_submission():
    recipe = lockstep.Recipe(_walk, (np.ones(2), 3))
    for kept in (0, 1):
        traces.submission_started()
        box, student = _student(RIGHT)
        with box:
            lockstep.run_student(student, [recipe])
        assert traces.stats["kept"] == kept


def _new_process():
    """As in a new process: nothing in memory, its first submission started."""
    traces.clear()
    traces.submission_started()


def test_a_new_process_follows_the_trace_an_earlier_one_kept_on_disk(tmp_path):
    memo.configure(tmp_path)
    recipe = lockstep.Recipe(_walk, (np.ones(3), 4))
    _new_process()
    box, student = _student(RIGHT)
    with box:
        (kept,) = lockstep.run_student(student, [recipe])
    assert traces.stats["kept"] == 1 and len(list((tmp_path / "traces").iterdir())) == 1  # (a first submission)
    _new_process()
    before = made_steps[0]
    box, student = _student(RIGHT)
    with box:
        (followed,) = lockstep.run_student(student, [recipe])
        logged = list(student.log.recent())
    assert made_steps[0] == before and traces.stats["followed"] == 4 and _same(followed, kept)
    assert np.array_equal(logged[0][3], 16 * np.ones(3))  # a logged answer, read from its frame
    _new_process()
    box, student = _student(OFF_FROM_THIRD)  # one that leaves it: the run is made from there
    with box:
        (made,) = lockstep.run_student(student, [recipe])
    assert traces.stats["left"] == 1 and _same(made, _made(OFF_FROM_THIRD, _walk(np.ones(3), 4)))


def test_a_torn_trace_file_is_not_followed(tmp_path):
    memo.configure(tmp_path)
    recipe = lockstep.Recipe(_walk, (np.ones(3), 3))
    _new_process()
    with _student(RIGHT)[0] as box:
        lockstep.run_student(StudentModule("optimization", box), [recipe])
    (file,) = (tmp_path / "traces").iterdir()
    file.write_bytes(file.read_bytes()[:-5])
    _new_process()
    before = made_steps[0]
    box, student = _student(RIGHT)
    with box:
        (made,) = lockstep.run_student(student, [recipe])
    assert made_steps[0] == before + 3 and traces.stats["followed"] == 0
    assert np.array_equal(made["end"], 8 * np.ones(3))


def test_a_stand_in_student_without_frames_never_follows():
    class InProcess:
        assignment, uses = "optimization", ()

        def call_many(self, calls, timeout=None):
            return [2 * args[0] for _, args, _ in calls]

    recipe = lockstep.Recipe(_walk, (np.ones(2), 3))
    for _ in range(2):
        assert np.array_equal(lockstep.run_student(InProcess(), [recipe])[0]["end"], 8 * np.ones(2))
    assert traces.stats == {"followed": 0, "left": 0, "kept": 0}


@pytest.mark.parametrize(
    "got, kept, same",
    [
        (np.zeros((2, 3)), np.zeros((2, 3)), True),
        (np.zeros((2, 3)), np.zeros((3, 2)), False),
        (np.zeros((2, 3)), np.zeros((2, 3), dtype=np.float32), False),
        (np.zeros((2, 3), order="F"), np.zeros((2, 3)), False),  # another layout: another matmul
        (np.array([0.0]), np.array([-0.0]), False),
        (np.array([np.nan]), np.array([np.nan]), True),
        (-0.0, 0.0, False),
        (float("nan"), float("nan"), True),
        (1, 1.0, False),
        (True, 1, False),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}, False),  # another key order
        ({"a": [1, (2.0,)]}, {"a": [1, (2.0,)]}, True),
        ([1, 2], (1, 2), False),
    ],
)
def test_identical_means_bit_for_bit_and_the_same_layout(got, kept, same):
    assert traces.identical(got, kept) is same


def _graded(assignment, source):
    """What a grading gives (outcomes, figures, notes; not the time) as comparable text."""
    result = grade_source(assignment, source)
    return repr((result.outcomes, [(f.kind, f.title, f.data) for f in result.figures], result.notes))


@pytest.mark.slow
@pytest.mark.parametrize(
    "assignment, function",
    [("regularization", "backward_propagation_with_dropout"), ("optimization", "update_parameters_with_rmsprop")],
)
def test_grades_are_the_same_whether_the_runs_follow_traces_or_not(assignment, function):
    right = reference_source(assignment)
    wrong = applied_to(right, mistakes(assignment, function)[0].source)
    for source, other in ((right, wrong), (wrong, right)):
        traces.clear()
        traces.submission_started()  # (as a worker past its first submission: it keeps traces)
        alone = _graded(assignment, source)  # made (and kept)
        traces.clear()
        traces.submission_started()
        _graded(assignment, other)  # the other one's traces kept
        after_other = _graded(assignment, source)  # follows them, leaves them, is kept in turn
        again = _graded(assignment, source)  # follows its own
        assert traces.stats["followed"] > 0 and traces.stats["left"] > 0
        assert after_other == alone and again == alone
