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
process (a batch worker, from its second submission on: ``submission_started``).

With the memo's disk folder (``memo.configure``: named by the grading suite's hash), one trace
of each recipe is also kept on disk (``traces/<recipe key>``), so that a new ``grade`` process
follows it from its first submission. The first trace of a recipe that has none there is
written (so a process records from its first submission the recipes the disk lacks), and a trace
that another student's run followed to its end replaces the one on disk (once per recipe and
process: the answers students give most). The files are this module's own format (the frames'
bytes, the result as ``memo.pack`` keeps plain data); the grader never unpickles a request frame
it reads there (``session.frame_call`` reads frames with a restricted unpickler).
"""

import dataclasses
import json
import math
import os
import struct
import tempfile

import numpy as np

from grader.checkapi import memo
from grader.checkapi.copying import exact_copy
from grader.sandbox.wire import _shares_mutable, read_bytes

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
    if isinstance(got, np.generic) and kind.__module__ == "numpy":  # a numpy scalar: its bytes
        return got.dtype == kept.dtype and got.tobytes() == kept.tobytes()
    return False


def found(key):
    """The traces kept for the recipe ``key`` (a list, empty when there is none); the first
    time a recipe is looked up, its trace on disk is read, if there is one."""
    if key not in _traces and (memo.folder(), key) not in _looked_up:
        _looked_up.add((memo.folder(), key))
        trace = _read(key)
        if trace is not None:
            _traces[key] = [trace]
            _kept_bytes[0] += _size(trace)
            _on_disk[key] = trace
    return list(_traces.get(key, ()))


def followed(key, trace):
    """Another student's run followed ``trace`` of ``key`` to its end: it goes to disk, in
    place of the one there (once per recipe and process)."""
    if _on_disk.get(key) is not trace and key not in _replaced:
        _replaced.add(key)
        _write(key, trace)


# -- on disk --------------------------------------------------------------------------------

_MAGIC, _PREFIX = b"GTR1", struct.Struct("<4sQ")  # then a JSON header, then the bytes it counts
_looked_up: set = set()  # (disk folder, key): read once per process
_on_disk: dict = {}  # key -> the trace this process read from disk or wrote there
_replaced: set = set()  # keys whose trace on disk this process replaced


def _path(key):
    folder = memo.folder()
    return None if folder is None else folder / "traces" / key


def _size(trace):
    return sum(sum(map(len, step.frames)) + sum(map(len, step.replies)) for step in trace.steps)


def _write(key, trace):
    """Keep ``trace`` on disk (atomically), when its result comes back as it is (``memo.pack``
    keeps plain data, arrays C-contiguous, and no object twice)."""
    path = _path(key)
    if path is None:
        return
    try:
        blobs = []
        result = memo.pack(trace.result, blobs)
        if _shares_mutable(trace.result) or not _same(memo.unpack(result, blobs), trace.result):
            return
        parts, steps = [], []
        for step in trace.steps:
            steps.append([list(step.functions), step.many, list(map(len, step.frames)), list(map(len, step.replies))])
            parts += step.frames + step.replies
        header = json.dumps({"steps": steps, "result": result, "blobs": list(map(len, blobs))}).encode()
        path.parent.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(_PREFIX.pack(_MAGIC, len(header)))
            stream.write(header)
            for part in parts + blobs:
                stream.write(part)
        os.replace(temporary, path)
        _on_disk[key] = trace
    except (OSError, memo.Uncacheable, ValueError, TypeError):  # a full disk, an odd result: only speed
        pass


def _same(got, kept):
    """``identical``, numpy scalars too (of one type, with the same bytes)."""
    kind = type(got)
    if isinstance(got, np.generic):
        return kind is type(kept) and got.tobytes() == kept.tobytes()
    if kind is dict and type(kept) is dict:
        return list(got) == list(kept) and all(_same(got[key], kept[key]) for key in got)
    if kind in (list, tuple) and type(kept) is kind:
        return len(got) == len(kept) and all(map(_same, got, kept))
    return identical(got, kept)


def _read(key):
    """The trace of ``key`` on disk, or None (none there, or a file that is not one)."""
    path = _path(key)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        magic, length = _PREFIX.unpack_from(data)
        if magic != _MAGIC:
            return None
        header = json.loads(data[_PREFIX.size : _PREFIX.size + length])
        position = _PREFIX.size + length

        def take(size):
            nonlocal position
            if type(size) is not int or size < 0 or position + size > len(data):
                raise ValueError("truncated trace")
            position += size
            return data[position - size : position]

        steps = []
        for functions, many, frames, replies in header["steps"]:
            if not (all(type(f) is str for f in functions) and type(many) is bool):
                return None
            steps.append(Step(tuple(functions), tuple(map(take, frames)), tuple(map(take, replies)), many))
        blobs = [take(size) for size in header["blobs"]]
        if position != len(data):
            return None
        return Trace(tuple(steps), memo.unpack(header["result"], blobs))
    except Exception:  # noqa: BLE001 - a torn or foreign file: the run is made
        return None


class Recorder:
    """Records one run of the recipe ``key`` as it is made, from ``steps`` already recorded (a
    followed trace's, up to the step it left it at)."""

    def __init__(self, key, steps=()):
        self.key, self.steps, self.nbytes = key, list(steps), 0

    @staticmethod
    def wanted(key):
        """Whether a run of ``key`` is worth recording: room for it, and not a process's first
        submission (``submission_started``) unless the disk lacks a trace of it."""
        return (
            key is not None
            and (_submissions[0] != 1 or _wanted_on_disk(key))
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
        trace = Trace(tuple(self.steps), exact_copy(result))
        _traces.setdefault(self.key, []).append(trace)
        _kept_bytes[0] += self.nbytes
        stats["kept"] += 1
        if _wanted_on_disk(self.key):
            _write(self.key, trace)


def _wanted_on_disk(key):
    """Whether the disk lacks a trace of ``key`` (looked up, none found, none written)."""
    return memo.folder() is not None and key not in _on_disk and (memo.folder(), key) in _looked_up


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
    _looked_up.clear()
    _on_disk.clear()
    _replaced.clear()
    stats.update(followed=0, left=0, kept=0)
