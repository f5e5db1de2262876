"""Hypothesis's examples, drawn once per grading suite and replayed for every submission.

With the grading profile (``derandomize``, no database, one fixed seed per check), hypothesis
draws the same examples in the same order every time a check passes: the order depends on the
check alone as long as every example passes, because every value is drawn before the check's
body runs. So the examples are drawn once, by hypothesis's engine running the check with its
body skipped (``examples``), and every submission runs the check's body on them directly,
each from the seeded state of hypothesis's ``deterministic_PRNG``, as hypothesis runs it. A check that passes
them all passes, as it would under hypothesis; the engine around the examples (drawing,
bookkeeping: about a third of the grader's own time for a submission) is paid only when an
example fails:

- a missing or unimplemented function (``CheckDecided``), or a call that timed out or ended the
  child: the check ends with that error at once, as under hypothesis, which runs the same
  examples in the same order up to that one and reports such an error as it is;
- any other failure: the check's call log is cleared and hypothesis runs the check as before,
  so the shrunk example, the message and the hint are what they were without the replay.
  Should hypothesis then pass (results that change from call to call), the check still fails,
  with the replayed example's failure.

Every submission takes the same path whatever was graded before it in the process, so a
grade never depends on a worker's history (but that hypothesis's run of a failed check may be
a kept run followed to the same outcome, ``pipeline/transcripts.py``). The examples are deep
copies made as hypothesis hands them over, and each replay gets a deep copy of its own. They
are also kept by ``checkapi/memo.py`` (on disk, in the grading suite's folder, under the
check's node id and hypothesis's version), so a new ``grade`` process does not draw them again.
"""

import copy
import inspect
import random

from grader.checkapi import memo
from grader.checkapi.copying import exact_copy

EXAMPLES = "_grader_examples"  # the attribute of a check function that holds its examples

_drawn: list | None = None  # while ``examples`` runs hypothesis: the examples handed over so far


def skip_body(drawn):
    """Called by ``support.given`` with each example hypothesis hands the check: True when the
    examples are being drawn (``examples``), and the check's body must not run."""
    if _drawn is None:
        return False
    _drawn.append(copy.deepcopy(drawn))
    return True


def _label(test, name):
    import hypothesis

    return f"replay\0{hypothesis.__version__}\0{name}\0{test.__qualname__}"


def seed_once(test):
    """Give a hypothesis test, once per process, the seed and database key it would compute
    on every run; called just before hypothesis runs it (a check that passes on its replayed
    examples never needs them).

    With ``derandomize``, hypothesis seeds each run, and names its database entry, from a
    digest of the test's source, tokenized again each time (a tenth of a second per
    submission in all, and about as much once per process). The same digest, set with
    ``hypothesis.seed`` and as the test's database key, draws the same examples."""
    if getattr(test, "hypothesis", None) is None or getattr(test, "_hypothesis_internal_use_seed", None) is not None:
        return
    import hypothesis

    try:
        from hypothesis.internal.reflection import function_digest
    except ImportError:  # a hypothesis without it: derandomize still seeds each run
        return
    digest = function_digest(test.hypothesis.inner_test)
    hypothesis.seed(int.from_bytes(digest, "big"))(test)
    test._hypothesis_internal_database_key = digest


def examples(test, name):
    """The examples hypothesis hands the check ``test`` (node id ``name``) when they all pass:
    kept on the function, or on disk, or drawn now by running ``test`` with its body skipped."""
    global _drawn
    found = getattr(test, EXAMPLES, None)
    if found is None:
        found = memo.kept(_label(test, name))
        if not (isinstance(found, list) and found and all(isinstance(e, dict) for e in found)):
            _drawn = []
            seed_once(test)
            try:
                test(**{parameter: None for parameter in inspect.signature(test).parameters})
                found = _drawn
            finally:
                _drawn = None
            memo.keep(_label(test, name), found)
        setattr(test, EXAMPLES, found)
    return found


def replay(test, name, arguments):
    """Run the examples of ``test`` (node id ``name``) with the fixtures ``arguments``. Returns
    None when every example passed, else the first failure that hypothesis must run again to
    word (see the module docstring); raises the errors that end the check at once."""
    from hypothesis.internal.entropy import deterministic_PRNG

    from grader.checkapi.support import CheckDecided
    from grader.sandbox.session import StudentError

    inner = test.hypothesis.inner_test
    with deterministic_PRNG():  # saves the PRNGs' states once, and restores them after the last example
        for number, example in enumerate(examples(test, name)):
            if number:
                _reseed()  # each example starts from the seeded state, as in a deterministic_PRNG of its own
            try:
                inner(**arguments, **exact_copy(example))
            except CheckDecided:
                raise
            except StudentError as error:
                if error.kind in ("timeout", "crash"):
                    raise
                return error
            except Exception as failure:  # noqa: BLE001 - hypothesis words it (or it is our bug)
                return failure
    return None


def _reseed(seed=0):
    """Every PRNG hypothesis manages (``random``'s, numpy's global one, its own) set back to the
    state ``deterministic_PRNG(seed)`` gives it on entry, without saving their states again
    (saving them is most of its cost: about 0.1 ms, for each of a submission's ~270 examples).
    Written as hypothesis's ``seed_all`` does it, for the pinned version."""
    from hypothesis.internal import entropy

    state, _ = entropy._seeded_state(seed)
    for ref in list(entropy.RANDOMS_TO_MANAGE.data.values()):
        prng = ref()
        if prng is None:
            continue
        if type(prng) is random.Random:
            prng.setstate(state)
        else:
            prng.seed(seed)
