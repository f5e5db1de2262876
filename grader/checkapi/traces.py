"""Traces of the runs the grader drives, for the next student who answers alike.

A run made from a ``lockstep.Recipe`` depends on nothing but the recipe and the answers it gets:
given the same answers in the same order, it yields the same calls and returns the same result.
So a run is recorded as it is made -- each step's functions, the request frames sent for them,
the answers they got, and the result -- and another student's run of the same recipe *follows*
that trace instead of being made: each step sends the recorded frames again, and while the
student's answers are ``identical`` to the recorded ones (the same types, dtypes, shapes, memory
layout and bytes, dict keys in the same order), nothing is computed here. At the first answer
that differs, the run is made after all, fed the recorded answers up to that step (in this
process, without a round trip) and then the student's own; it goes on as usual from there.

The run sees exactly the answers it would have seen, so every grade is what it would have
been. What a followed step saves is the grader's side of it: the forward passes, costs and
updates computed here, the reference's stand-ins (``uses=``) and the encoding of the request.
Students who are right mostly answer alike, bit for bit: they do the course's operations in the
course's order.

A run is recorded only when every answer it got was a value (no error) and it returned. At most
``PER_RECIPE`` traces of one recipe are kept, and ``MAX_BYTES`` in all, for the life of the
process (a batch worker, from its second submission on: ``submission_started``); nothing is
written to disk.
"""

import dataclasses
import math

import numpy as np

from grader.checkapi.copying import exact_copy
from grader.sandbox.wire import read_bytes

PER_RECIPE = 3
MAX_BYTES = 128 * 2**20

_traces: dict = {}  # recipe key -> [Trace, ...]
_kept_bytes = [0]
_submissions = [0]  # submissions this process started grading (``submission_started``)
stats = {"followed": 0, "left": 0, "kept": 0}  # steps followed, runs made after all, traces kept


@dataclasses.dataclass(frozen=True)
class Step:
    """One step of a recorded run: the functions it called (in order), the request frames of
    those sent to the student and the reply frames of their answers (bytes: ``answer`` reads
    one; the calls of ``uses=``, answered in this process, have neither), and whether the run
    asked for a list of calls or a single one."""

    functions: tuple
    frames: tuple
    replies: tuple
    many: bool


def answer(reply):
    """The answer a kept reply frame holds, as the sandbox decoded it when it came (a new
    copy each time: decoding is a function of the bytes)."""
    return read_bytes(reply)["value"]


@dataclasses.dataclass(frozen=True)
class Trace:
    """A recorded run that returned: its ``Step``s and its result (a copy)."""

    steps: tuple
    result: object


def identical(got, kept):
    """Whether ``got`` (an answer decoded from the sandbox) is ``kept`` bit for bit: a run fed
    either one computes the same. Anything but plain data (``wire.Unsupported``) never is."""
    kind = type(got)
    if kind is not type(kept):
        return False
    if kind is np.ndarray:
        flags = got.flags
        if not (
            got.dtype == kept.dtype
            and got.shape == kept.shape
            and got.strides == kept.strides
            and flags.writeable == kept.flags.writeable
        ):
            return False
        # their bytes in memory order (memoryviews compare item by item: slow); a C-contiguous
        # array's without tobytes' order argument, which costs more than the copy of a small one
        if flags.c_contiguous:
            return got.tobytes() == kept.tobytes()
        return got.tobytes(order="A") == kept.tobytes(order="A")
    if kind is dict:
        return list(got) == list(kept) and all(identical(got[key], kept[key]) for key in got)
    if kind is list or kind is tuple:
        return len(got) == len(kept) and all(map(identical, got, kept))
    if kind is float:
        return got == kept and math.copysign(1.0, got) == math.copysign(1.0, kept) or (got != got and kept != kept)
    if got is None or kind is bool or kind is int or kind is str:
        return got == kept
    return False


def _nbytes(value):
    """About how many bytes a kept answer holds (its arrays' bytes, and a little per container)."""
    if type(value) is np.ndarray:
        return value.nbytes
    if type(value) is dict:
        return 64 + sum(_nbytes(item) for item in value.values())
    if type(value) in (list, tuple):
        return 64 + sum(_nbytes(item) for item in value)
    return 32


def found(key):
    """The traces kept for the recipe ``key`` (a list, empty when there is none)."""
    return list(_traces.get(key, ()))


class Recorder:
    """Records one run of the recipe ``key`` as it is made, from ``steps`` already recorded (a
    followed trace's, up to the step it left it at)."""

    def __init__(self, key, steps=()):
        self.key, self.steps, self.nbytes = key, list(steps), 0

    @staticmethod
    def wanted(key):
        """Whether a run of ``key`` is worth recording: room for it, and not a process's first
        submission (``submission_started``)."""
        return (
            key is not None
            and _submissions[0] != 1
            and len(_traces.get(key, ())) < PER_RECIPE
            and _kept_bytes[0] < MAX_BYTES
        )

    def step(self, functions, frames, replies, many):
        """Keep one step: its request frames and the reply frames of its answers."""
        self.nbytes += sum(map(len, frames)) + sum(map(len, replies))
        self.steps.append(Step(tuple(functions), tuple(frames), tuple(replies), many))

    def finish(self, result):
        """The run returned ``result``: keep the trace, if there is still room."""
        if not self.wanted(self.key) or _kept_bytes[0] + self.nbytes > MAX_BYTES:
            return
        _traces.setdefault(self.key, []).append(Trace(tuple(self.steps), exact_copy(result)))
        _kept_bytes[0] += self.nbytes
        stats["kept"] += 1


def submission_started():
    """A submission's grading starts (``pipeline.grading``). Nothing is kept while a process
    grades its first one: a process that grades a single submission (a cold ``grade``) would
    pay for copies of every answer that nobody follows; a batch worker keeps traces from its
    second submission on."""
    _submissions[0] += 1


def clear():
    """Forget every trace, and every submission started (tests: as in a new process, before
    any grading, every run that may be kept is kept)."""
    _traces.clear()
    _kept_bytes[0] = _submissions[0] = 0
    stats.update(followed=0, left=0, kept=0)
