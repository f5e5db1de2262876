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

from typing import Any, NamedTuple

from grader.checkapi.copying import plain_copy
from grader.checkapi.support import CheckFailure
from grader.sandbox.session import StudentError


class Call(NamedTuple):
    """One call of the student's ``function`` on the grader's arguments."""

    function: str
    args: tuple = ()
    kwargs: dict | None = None


def _request(yielded):
    """``(calls, many)`` of what a run yielded: one ``Call`` or a list of them."""
    if isinstance(yielded, Call):
        return [yielded], False
    calls = list(yielded)
    if not calls or not all(isinstance(c, Call) for c in calls):
        raise TypeError(f"a run must yield a Call or a non-empty list of Calls, not {yielded!r}")
    return calls, True


def run_student(student, runs, timeout=None) -> list[Any]:
    """Advance every run of ``runs`` together against ``student`` (the ``student`` fixture);
    return each run's result, or the ``StudentError``/``CheckFailure`` it ended with."""
    runs = list(runs)
    results: list[Any] = [None] * len(runs)
    uses = set(getattr(student, "uses", ()))
    reference = None
    if uses:
        from grader.pipeline.reference import load_reference

        reference = load_reference(student.assignment)
    pending: dict[int, tuple[list[Call], bool]] = {}  # run index -> (calls, many)

    def advance(index, send=None, throw=None):
        try:
            yielded = runs[index].throw(throw) if throw is not None else runs[index].send(send)
        except StopIteration as stop:
            results[index] = stop.value
            pending.pop(index, None)
        except (StudentError, CheckFailure) as error:
            results[index] = error
            pending.pop(index, None)
        else:
            pending[index] = _request(yielded)

    for index in range(len(runs)):
        advance(index)
    while pending:
        order = list(pending)
        calls = [call for index in order for call in pending[index][0]]
        remote = [c for c in calls if c.function not in uses]
        asked = [(c.function, c.args, c.kwargs or {}) for c in remote]
        answers_of_student = iter(student.call_many(asked, timeout=timeout) if remote else [])
        replies = [_answer(reference, c) if c.function in uses else next(answers_of_student) for c in calls]
        position = 0
        for index in order:
            batch, many = pending[index]
            answers = replies[position : position + len(batch)]
            position += len(batch)
            error = next((a for a in answers if isinstance(a, StudentError)), None)
            if error is not None:
                advance(index, throw=error)
            else:
                advance(index, send=answers if many else answers[0])
    return results


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
