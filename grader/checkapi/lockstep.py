"""Loops the grader drives: training runs and trajectories that call the student's functions
step by step, with every value between two calls computed (and validated) by the grader.

The student's process owns everything in it (it can replace any module, numpy included), so
a loop run there proves nothing. Here a loop is a *run*: a generator that yields a ``Call``
(or a list of independent ``Call``s) of the student's function, receives its value (or the
list of values) and returns the run's result. ``run_student`` advances many runs together,
one ``student.call_many`` round trip per step of all of them; ``run_reference`` runs the same
generator in this process on a trusted module (the reference), so the two are compared on
one definition of the loop.

A student's call that fails is thrown into its run as ``StudentError``; a run that raises
``CheckFailure`` or ``StudentError`` ends with it as its result (the other runs go on).
A call of a function the check declares in ``uses=`` (``grader/pipeline/blame.py``) is
answered by the reference, in this process, without a round trip.

A run given as a ``Recipe`` (the generator function and its arguments) rather than as a
generator may follow the kept trace of an earlier student's run of the same recipe while the
student's answers are identical to that student's (``checkapi/traces.py``): the same calls are
sent, and nothing is computed here until an answer differs. A run on a secret case's inputs is
one student's: it is made, and never kept (given as a generator, or run inside the secret case).
"""

from collections.abc import Callable
from typing import Any, NamedTuple

from grader.checkapi import traces
from grader.checkapi.copying import exact_copy, plain_copy
from grader.checkapi.secret import in_secret_case
from grader.checkapi.support import CheckFailure
from grader.sandbox.session import SAME, StudentError, call_frame


class Call(NamedTuple):
    """One call of the student's ``function`` on the grader's arguments (``args`` None: a
    followed trace's call, whose arguments are in its recorded frame). ``keep``: the keys of a
    dict answer the run reads (``session.call_frame``); the others are not sent back."""

    function: str
    args: tuple | None = ()
    kwargs: dict | None = None
    keep: tuple | None = None


class Recipe(NamedTuple):
    """A run to make: ``make(*args, **kwargs)``, a generator function whose runs depend on
    nothing but these arguments and the answers they get (``loops.regularized_model``, say).
    ``run_student`` may follow a trace of an earlier run of the same recipe instead of making
    it (``checkapi/traces.py``); a run given as a generator is always made."""

    make: Callable
    args: tuple = ()
    kwargs: dict | None = None

    def start(self):
        return self.make(*self.args, **(self.kwargs or {}))


def _request(yielded):
    """``(calls, many)`` of what a run yielded: one ``Call`` or a list of them."""
    if isinstance(yielded, Call):
        return [yielded], False
    calls = list(yielded)
    if not calls or not all(isinstance(c, Call) for c in calls):
        raise TypeError(f"a run must yield a Call or a non-empty list of Calls, not {yielded!r}")
    return calls, True


class _Made:
    """A run made as it goes: its generator, the functions answered here (``uses``, by
    ``here(call)``), and the ``traces.Recorder`` of it (or None)."""

    def __init__(self, generator, uses, here, recorder=None):
        self.generator, self.uses, self.here, self.recorder = generator, uses, here, recorder
        self.done, self.result, self.calls, self.many, self.frames = False, None, [], False, []

    def advance(self, send=None, throw=None):
        try:
            yielded = self.generator.throw(throw) if throw is not None else self.generator.send(send)
        except StopIteration as stop:
            self.done, self.result = True, stop.value
            if self.recorder is not None:
                self.recorder.finish(stop.value)
        except (StudentError, CheckFailure) as error:
            self.done, self.result = True, error
        else:
            self.calls, self.many = _request(yielded)

    def remote(self):
        """This step's calls to the student, their request frames (encoded here when the step
        is recorded or a call names keys to ``keep``; else None, and the sandbox encodes them)
        and the reply frames expected of them (None: nothing is)."""
        calls = [c for c in self.calls if c.function not in self.uses]
        self.frames = [
            call_frame(c.function, c.args, c.kwargs or {}, c.keep) if self.recorder is not None or c.keep else None
            for c in calls
        ]
        return calls, self.frames, [None] * len(calls)

    def answered(self, remote_answers, remote_replies):
        """Take the student's answers to this step's ``remote()`` calls (the others are answered
        here) and their reply frames (None when unknown); returns the run to go on with (this one)."""
        remote_answers = iter(remote_answers)
        answers = [self.here(c) if c.function in self.uses else next(remote_answers) for c in self.calls]
        error = next((a for a in answers if isinstance(a, StudentError)), None)
        if error is not None:
            self.recorder = None  # a run that met an error is not kept
            self.advance(throw=error)
            return self
        if self.recorder is not None:  # (the answers of ``uses``: not kept, the reference gives them again)
            if any(reply is None for reply in remote_replies):
                self.recorder = None
            else:
                self.recorder.step([c.function for c in self.calls], self.frames, remote_replies, self.many)
        self.advance(send=answers if self.many else answers[0])
        return self


class _Following:
    """A recipe's run that follows recorded traces while the student's answers are identical
    to one's (``checkapi/traces.py``)."""

    def __init__(self, recipe, key, candidates, uses, here):
        self.recipe, self.key, self.candidates, self.uses, self.here = recipe, key, candidates, uses, here
        self.position, self.done, self.result = 0, False, None
        if not candidates[0].steps:  # a run that returned before its first call
            self.done, self.result = True, exact_copy(candidates[0].result)

    def remote(self):
        """This step's calls, their recorded request frames, and the reply frames recorded for
        them (the first trace's): an answer that comes in those bytes is ``SAME``, not decoded."""
        step = self.candidates[0].steps[self.position]
        calls = [Call(function, None, None) for function in step.functions if function not in self.uses]
        return calls, list(step.frames), list(step.replies)

    def answered(self, remote_answers, remote_replies):
        """Take the student's answers to this step's ``remote()`` calls (``SAME`` for one that
        came in the first trace's bytes) and their reply frames; returns the run to go on with:
        this one, or the run made after all when no trace has these answers."""
        first = self.candidates[0].steps[self.position].replies
        alike = [trace for trace in self.candidates if self._alike(remote_answers, remote_replies, first, trace)]
        if not alike:
            traces.stats["left"] += 1
            return self._made_from_here(remote_answers, remote_replies)
        traces.stats["followed"] += 1
        self.candidates, self.position = alike, self.position + 1
        if self.position == len(alike[0].steps):  # (every trace alike so far ends here too)
            self.done, self.result = True, exact_copy(alike[0].result)
            traces.followed(self.key, alike[0])
        return self

    def _alike(self, remote_answers, remote_replies, first, trace):
        """Whether ``trace`` got these answers at this step: the same reply frames, byte for
        byte (``SAME``: the ``first`` trace's), or answers ``traces.identical`` to its."""
        kept = trace.steps[self.position].replies
        for got, got_reply, reply, first_reply in zip(remote_answers, remote_replies, kept, first):
            if got is SAME:
                if reply == first_reply:  # (the first trace's own: the same object)
                    continue
                got = traces.answer(first_reply)
            elif got_reply is not None and got_reply == reply:
                continue
            if not traces.identical(got, traces.answer(reply)):
                return False
        return True

    def _made_from_here(self, remote_answers, remote_replies):
        """The run made after all: fed the trace's answers up to this step (the reference's for
        ``uses``), then the student's ``remote_answers``; recorded from there when there is room."""
        trace, position = self.candidates[0], self.position
        first = trace.steps[position].replies
        remote_answers = [traces.answer(reply) if got is SAME else got for got, reply in zip(remote_answers, first)]
        made = _Made(self.recipe.start(), self.uses, self.here)
        made.advance()
        for number, step in enumerate(trace.steps[: position + 1]):
            if made.done or tuple(c.function for c in made.calls) != step.functions:
                raise RuntimeError(f"{self.recipe.make.__qualname__} depends on more than its answers")
            if number == position:
                break
            kept = iter(step.replies)
            answers = [self.here(c) if c.function in self.uses else traces.answer(next(kept)) for c in made.calls]
            made.advance(send=answers if step.many else answers[0])
        if traces.Recorder.wanted(self.key):
            made.recorder = traces.Recorder(self.key, trace.steps[:position])
        made.frames = list(trace.steps[position].frames)
        return made.answered(remote_answers, remote_replies)


def _run_of(run, key_of, uses, here):
    """The driver of one run: ``_Following`` a recipe's kept traces, else ``_Made``."""
    if not isinstance(run, Recipe):
        made = _Made(run, uses, here)
        made.advance()
        return made
    key = None if in_secret_case() else key_of(run)  # (a secret case's inputs are one student's)
    candidates = traces.found(key) if key is not None else []
    if candidates:
        return _Following(run, key, candidates, uses, here)
    made = _Made(run.start(), uses, here, traces.Recorder(key) if traces.Recorder.wanted(key) else None)
    made.advance()
    return made


def run_student(student, runs, timeout=None) -> list[Any]:
    """Advance every run of ``runs`` (generators, or ``Recipe``s) together against ``student``
    (the ``student`` fixture); return each run's result, or the ``StudentError``/``CheckFailure``
    it ended with."""
    uses = frozenset(getattr(student, "uses", ()))
    # (a stand-in student of the tests needs every call's arguments, and takes no frames)
    sends_frames = getattr(type(student), "sends_frames", False) is True
    reference = None
    if uses:
        from grader.pipeline.reference import load_reference

        reference = load_reference(student.assignment)

    def here(call):
        return _answer(reference, call)

    def key_of(recipe):
        if not sends_frames:
            return None
        from grader.checkapi.memo import Uncacheable, digest

        name = f"{student.assignment}:{','.join(sorted(uses))}:{recipe.make.__module__}.{recipe.make.__qualname__}"
        try:
            return digest(name, recipe.args, recipe.kwargs or {})
        except Uncacheable:
            return None

    drivers = [_run_of(run, key_of, uses, here) for run in runs]
    while True:
        active = [index for index, driver in enumerate(drivers) if not driver.done]
        if not active:
            break
        asked, frames, expected, counts = [], [], [], []
        for index in active:
            calls, sent, awaited = drivers[index].remote()
            asked += [(call.function, call.args, call.kwargs or {}) for call in calls]
            frames += sent
            expected += awaited
            counts.append(len(calls))
        replies = [None] * len(asked)
        if not asked:
            answers = []
        elif sends_frames and any(frame is not None for frame in frames):
            answers = student.call_many(asked, timeout=timeout, frames=frames, expected=expected)
            replies = student.replies()
        else:
            answers = student.call_many(asked, timeout=timeout)
        position = 0
        for index, count in zip(active, counts):
            end = position + count
            drivers[index] = drivers[index].answered(answers[position:end], replies[position:end])
            position = end
    return [driver.result for driver in drivers]


def _answer(module, call):
    """``call`` run on a trusted in-process module, on copies of its arguments."""
    return getattr(module, call.function)(*plain_copy(call.args), **plain_copy(call.kwargs or {}))


def run_reference(module, run, record=None):
    """Run one generator against a trusted in-process ``module``; its exceptions propagate.
    Arguments are copied first, as the sandbox's boundary copies them for the student. The
    calls the run made are appended to ``record``, when given (to replay them, see
    ``loops.replayed_steps``)."""
    value = None
    while True:
        try:
            yielded = run.send(value)
        except StopIteration as stop:
            return stop.value
        calls, many = _request(yielded)
        if record is not None:
            record.extend(calls)
        answers = [_answer(module, c) for c in calls]
        value = answers if many else answers[0]
