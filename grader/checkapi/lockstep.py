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
"""

from collections.abc import Callable
from typing import Any, NamedTuple

from grader.checkapi import traces
from grader.checkapi.copying import exact_copy, plain_copy
from grader.checkapi.support import CheckFailure
from grader.sandbox.session import StudentError, call_frame


class Call(NamedTuple):
    """One call of the student's ``function`` on the grader's arguments (``args`` None: a
    followed trace's call, whose arguments are in its recorded frame)."""

    function: str
    args: tuple | None = ()
    kwargs: dict | None = None


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
    """A run made as it goes: its generator, and the ``traces.Recorder`` of it (or None)."""

    def __init__(self, generator, uses, recorder=None):
        self.generator, self.uses, self.recorder = generator, uses, recorder
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
            self.frames = [None] * len(self.calls)

    def frames_to_send(self):
        """The request frames of this step's calls to the student (encoded here only when the
        step is recorded; else None, and the sandbox encodes them)."""
        if self.recorder is not None:
            self.frames = [
                None if c.function in self.uses else call_frame(c.function, c.args, c.kwargs or {}) for c in self.calls
            ]
        return self.frames

    def answered(self, answers):
        """Take this step's answers (one per call); returns the run to go on with (this one)."""
        error = next((a for a in answers if isinstance(a, StudentError)), None)
        if error is not None:
            self.recorder = None  # a run that met an error is not kept
            self.advance(throw=error)
            return self
        if self.recorder is not None:
            self.recorder.step([c.function for c in self.calls], self.frames, answers, self.many)
        self.advance(send=answers if self.many else answers[0])
        return self


KNOWN = object()  # a call of ``uses=`` in a followed step: the trace holds its answer


class _Following:
    """A recipe's run that follows recorded traces while the student's answers match one."""

    def __init__(self, recipe, key, candidates, uses):
        self.recipe, self.key, self.candidates, self.uses = recipe, key, candidates, uses
        self.position, self.done, self.result = 0, False, None
        if candidates[0].steps:
            self._show()
        else:  # a run that returned before its first call
            self.done, self.result = True, exact_copy(candidates[0].result)

    def _show(self):
        step = self.candidates[0].steps[self.position]
        self.calls = [Call(function, None, None) for function in step.functions]
        self.frames, self.many = list(step.frames), step.many

    def frames_to_send(self):
        return self.frames

    def answered(self, answers):
        """Take this step's answers (``KNOWN`` for a call of ``uses=``: the trace's, computed
        only when needed); returns the run to go on with (this one, or the run made after all)."""

        def matches(trace):
            kept = trace.steps[self.position].answers
            return all(
                call.function in self.uses or traces.identical(got, want)
                for call, got, want in zip(self.calls, answers, kept)
            )

        alike = [trace for trace in self.candidates if matches(trace)]
        if not alike:
            return self._made_from_here(answers)
        self.candidates, self.position = alike, self.position + 1
        if self.position == len(alike[0].steps):  # (every trace alike so far ends here too)
            self.done, self.result = True, exact_copy(alike[0].result)
        else:
            self._show()
        return self

    def _made_from_here(self, answers):
        """The run made after all: fed the trace's answers up to this step, then ``answers``."""
        trace, position = self.candidates[0], self.position
        kept = trace.steps[position].answers
        answers = [exact_copy(kept[i]) if answer is KNOWN else answer for i, answer in enumerate(answers)]
        recorder = traces.Recorder(self.key, trace.steps[:position]) if traces.Recorder.wanted(self.key) else None
        made = _Made(self.recipe.start(), self.uses)
        made.advance()
        for step in trace.steps[:position]:
            if made.done or [c.function for c in made.calls] != list(step.functions):
                raise RuntimeError(f"{self.recipe.make.__qualname__} does not depend on its answers alone")
            made.advance(send=exact_copy(list(step.answers) if step.many else step.answers[0]))
        if made.done or [c.function for c in made.calls] != [c.function for c in self.calls]:
            raise RuntimeError(f"{self.recipe.make.__qualname__} does not depend on its answers alone")
        made.recorder, made.frames = recorder, self.frames
        return made.answered(answers)


def _run_of(run, key_of, uses):
    """The driver of one run: ``_Following`` a recipe's trace when one is kept, else ``_Made``."""
    if not isinstance(run, Recipe):
        made = _Made(run, uses)
        made.advance()
        return made
    key = key_of(run)
    candidates = traces.found(key) if key is not None else []
    if candidates:
        return _Following(run, key, candidates, uses)
    made = _Made(run.start(), uses, traces.Recorder(key) if traces.Recorder.wanted(key) else None)
    made.advance()
    return made


def run_student(student, runs, timeout=None) -> list[Any]:
    """Advance every run of ``runs`` (generators, or ``Recipe``s) together against ``student``
    (the ``student`` fixture); return each run's result, or the ``StudentError``/``CheckFailure``
    it ended with."""
    uses = frozenset(getattr(student, "uses", ()))
    reference = None
    if uses:
        from grader.pipeline.reference import load_reference

        reference = load_reference(student.assignment)

    def key_of(recipe):
        if not getattr(student, "sends_frames", False):
            return None  # (a stand-in student of the tests, which needs every call's arguments)
        from grader.checkapi.memo import Uncacheable, digest

        name = f"{student.assignment}:{','.join(sorted(uses))}:{recipe.make.__module__}.{recipe.make.__qualname__}"
        try:
            return digest(name, recipe.args, recipe.kwargs or {})
        except Uncacheable:
            return None

    drivers = [_run_of(run, key_of, uses) for run in runs]
    while True:
        active = [index for index, driver in enumerate(drivers) if not driver.done]
        if not active:
            break
        asked, frames = [], []
        for index in active:
            driver = drivers[index]
            for call, frame in zip(driver.calls, driver.frames_to_send()):
                if call.function not in uses:
                    asked.append((call.function, call.args, call.kwargs or {}))
                    frames.append(frame)
        if not asked:
            answers_of_student = iter([])
        elif any(frame is not None for frame in frames):
            answers_of_student = iter(student.call_many(asked, timeout=timeout, frames=frames))
        else:
            answers_of_student = iter(student.call_many(asked, timeout=timeout))
        for index in active:
            driver = drivers[index]
            following = isinstance(driver, _Following)
            answers = [
                next(answers_of_student)
                if call.function not in uses
                else KNOWN
                if following
                else _answer(reference, call)
                for call in driver.calls
            ]
            drivers[index] = driver.answered(answers)
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
