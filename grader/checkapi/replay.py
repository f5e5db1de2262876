"""Hypothesis's examples, recorded the first time a check passes and replayed after that.

With the grading profile (``derandomize``, no database, one fixed seed per check), hypothesis
draws the same examples in the same order every time a check passes: the order depends on the
check alone as long as every example passes. So once a check has passed in this process, the
next submissions run the check's body on those examples directly, each inside hypothesis's
``deterministic_PRNG`` as hypothesis runs it. A check that passes them all passes, as it would
under hypothesis, and the engine around the examples (drawing, bookkeeping: about a third of
the grader's own time for a submission) is paid only when an example fails:

- a missing or unimplemented function (``CheckDecided``), or a call that timed out or ended the
  child: the check ends with that error at once, as under hypothesis, which runs the same
  examples in the same order up to that one and reports such an error as it is;
- any other failure: the check's call log is cleared and hypothesis runs the check as before,
  so the shrunk example, the message and the hint are what they were without the replay.
  Should hypothesis then pass (results that change from call to call), the check still fails,
  with the replayed example's failure.

Recorded examples are deep copies made before the check's body sees them, and each replay
gets a deep copy of its own. They are also kept by ``checkapi/memo.py`` (on disk, in the grading
suite's folder, under the check's node id and hypothesis's version), so a new ``grade`` process
replays what an earlier one recorded.
"""

import copy

from grader.checkapi import memo

EXAMPLES = "_grader_examples"  # the attribute of a check function that holds its recording

_recording: list | None = None  # the examples of the hypothesis run being recorded, if any
_spoiled = False  # an example of that run raised: the run's examples are not kept


def record(drawn):
    """Called by ``support.given`` with each example hypothesis hands the check."""
    if _recording is not None:
        _recording.append(copy.deepcopy(drawn))


def spoil():
    """Called by ``support.given`` when an example raised: this run is not recorded."""
    global _spoiled
    _spoiled = True


def _label(test, name):
    import hypothesis

    return f"replay\0{hypothesis.__version__}\0{name}\0{test.__qualname__}"


def start(test, name):
    """Record the hypothesis run of ``test`` (its node id ``name``) about to start, when it has no
    recording yet, here or on disk; True when it is being recorded."""
    global _recording, _spoiled
    if getattr(test, EXAMPLES, None) is not None:
        return False
    examples = memo.kept(_label(test, name))
    if isinstance(examples, list) and examples and all(isinstance(e, dict) for e in examples):
        setattr(test, EXAMPLES, examples)
        return False
    _recording, _spoiled = [], False
    return True


def finish(test, name, passed):
    """End a recording: keep it when the run ``passed`` with no example raising."""
    global _recording
    examples, _recording = _recording, None
    if passed and examples and not _spoiled:
        setattr(test, EXAMPLES, examples)
        memo.keep(_label(test, name), examples)


def replay(test, arguments):
    """Run ``test``'s recorded examples with the fixtures ``arguments``. Returns None when every
    example passed, else the first failure that hypothesis must run again to word (see the
    module docstring); raises the errors that end the check at once."""
    from hypothesis.internal.entropy import deterministic_PRNG

    from grader.checkapi.support import CheckDecided
    from grader.sandbox.session import StudentError

    inner = test.hypothesis.inner_test
    for example in getattr(test, EXAMPLES):
        try:
            with deterministic_PRNG():
                inner(**arguments, **copy.deepcopy(example))
        except CheckDecided:
            raise
        except StudentError as error:
            if error.kind in ("timeout", "crash"):
                raise
            return error
        except Exception as failure:  # noqa: BLE001 - hypothesis words it (or it is our bug)
            return failure
    return None


def recorded(test):
    return getattr(test, EXAMPLES, None) is not None
