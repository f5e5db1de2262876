"""Hypothesis's runs of a failed check, kept and followed.

When a check's replayed examples fail (``checkapi/replay.py``), hypothesis runs the check
again to shrink the failing example and word the message: a few dozen calls of the student's
function, each followed by the check's own work (drawing, the reference's side, comparing) and
the engine's. With derandomized seeds that run depends on nothing but the student's answers:
given the same answers, hypothesis makes the same calls in the same order and ends with the
same outcome. A common mistake gives every student who makes it the same answers, so the run
is the same for all of them.

So the run of a failed check is kept as a *transcript*: the calls it made (function and
arguments, as sent), the answers it got, and the outcome and figures the check ended with.
The next time the check fails after a replayed failure worded alike, the kept calls are made
again, one by one, through the same sandbox calls (the same deadlines, the same order): while
every answer is identical to the transcript's (``traces.identical``: bit for bit), nothing else
is computed, and when the last one is, the outcome is the transcript's. At the first answer
that differs, hypothesis runs the check as before, and its first calls are answered with the
answers already got, in order (``StudentModule.prefill``): the student's process sees exactly
the calls it would have seen without the transcript, each once.

Kept only from a run whose every call returned a value (no error, no timeout), only calls of
one function each (no ``call_many``), of plain data, and whose outcome is a check's failure
(not the grader's); in memory, per grader process, within ``MAX_STEPS`` calls a transcript,
``PER_KEY`` transcripts a check and replayed failure, ``MAX_TRANSCRIPT_BYTES`` a transcript and
``MAX_BYTES`` in all.
"""

import dataclasses
from collections import deque
from typing import Any

from grader.checkapi.memo import Uncacheable, digest
from grader.checkapi.traces import identical
from grader.pipeline import hints
from grader.sandbox.session import StudentError

MAX_STEPS = 400  # calls of a run kept at most (a shrink takes a few dozen)
PER_KEY = 4  # transcripts kept for one check and replayed failure
MAX_TRANSCRIPT_BYTES = 4 * 2**20  # a transcript's arguments' and answers' bytes, at most
MAX_BYTES = 64 * 2**20  # and all transcripts', in all

_kept: dict = {}  # key -> [Transcript, ...]
_bytes = [0]
stats = {"followed": 0, "left": 0, "kept": 0}


@dataclasses.dataclass(frozen=True)
class Transcript:
    """A run of a check under hypothesis: ``calls`` ``(function, args, kwargs, digest)`` as
    sent, ``answers`` (plain data, one per call), the ``outcome`` and ``figures`` it ended with."""

    calls: tuple
    answers: tuple
    outcome: Any
    figures: tuple


def key(nodeid, replayed):
    """The key of a check's transcripts: the check and its replayed failure, in words."""
    kind = getattr(replayed, "kind", "")
    return f"{nodeid}\0{type(replayed).__name__}\0{kind}\0{replayed}"


def found(key):
    return _kept.get(key, [])


class Recorder:
    """Attached to a ``StudentModule`` (its ``recorder``) while hypothesis runs a check:
    takes each call and its answer (the copies the call log keeps); ``spoiled`` once a call
    cannot be kept (an error, a ``call_many``, a value with no digest, too many calls)."""

    def __init__(self):
        self.calls, self.answers, self.spoiled = [], [], False

    def took(self, function, args, kwargs, answer):
        if self.spoiled:
            return
        if len(self.calls) >= MAX_STEPS or isinstance(answer, hints.Unsupported):
            self.spoiled = True
            return
        try:
            sent = digest(function, args, kwargs)
            digest("", (answer,), {})
        except Uncacheable:
            self.spoiled = True
            return
        self.calls.append((function, args, kwargs, sent))
        self.answers.append(answer)

    def spoil(self):
        self.spoiled = True

    def keep(self, key, outcome, figures):
        """Keep the run under ``key`` when it can be followed (see the module's docstring)."""
        if self.spoiled or not self.calls or outcome.passed or outcome.grader_error:
            return
        size = len(key) + sum(
            hints._nbytes(call[1:3]) + hints._nbytes(answer) for call, answer in zip(self.calls, self.answers)
        )
        transcripts = _kept.get(key, [])
        if len(transcripts) >= PER_KEY or size > MAX_TRANSCRIPT_BYTES or _bytes[0] + size > MAX_BYTES:
            return
        _kept[key] = [*transcripts, Transcript(tuple(self.calls), tuple(self.answers), outcome, tuple(figures))]
        _bytes[0] += size
        stats["kept"] += 1


def follow(student, transcripts):
    """Make the transcripts' calls on ``student`` (a ``StudentModule``) while its answers are
    identical to one's: ``(transcript, None)`` when every call of one was, else ``(None,
    prefill)``, the calls made and what each got (its answer, or the ``StudentError`` it
    raised), to answer hypothesis's first calls with (``StudentModule.prefill``)."""
    made = []
    position = 0
    while True:
        function, args, kwargs, sent = transcripts[0].calls[position]
        try:
            got = student.call(function, *args, **kwargs)
        except StudentError as error:
            made.append((function, sent, error, student._reply_was_small()))
            break
        made.append((function, sent, got, student._reply_was_small()))
        transcripts = [t for t in transcripts if identical(got, t.answers[position])]
        position += 1
        if not transcripts:
            break
        done = [t for t in transcripts if len(t.calls) == position]
        if done:
            stats["followed"] += 1
            return done[0], None
    stats["left"] += 1
    return None, deque(made)
