"""Hints that name the mistake.

While a check runs, ``StudentModule.call`` records the student's calls (function, arguments,
result) in a small ``CallLog``. When the check fails, ``annotate`` runs the catalogued
mistakes of the logged functions (``grader/mistakes/<id>.py``: our own code, run in process
as the reference module with that one function swapped) on the same inputs, most recent call
first. If the student's result matches a mistake's result (same structure, values within a
tight tolerance) and the reference's differs, the outcome names the mistake and carries its
hint (``CheckOutcome.hint``, a field of its own: the message is left as it is; each view puts
the hint after it). A hint is fixed text: it shows no value the check did not.

Calls with ``patch=`` are replayed with the same patch; the steps of a grader-driven loop
(``checkapi/lockstep.py``) are logged one call each. Passed checks cost nothing but the log.
"""

import dataclasses
import functools
import re
import warnings
from collections import deque
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from grader.checkapi.copying import exact_copy
from grader.sandbox.wire import Unsupported

MAX_WRONG_CALLS = 6  # wrong calls looked at, most recent first
MAX_EVALUATIONS = 60  # reference and mistake runs per failed check, at most
AUXILIARY = re.compile(r"^d[ZA]\d+$")  # keys a gradients dict may have or not (SPEC section 2)
RTOL, ATOL_SCALE = 1e-6, 1e-9  # atol = ATOL_SCALE * the largest |value| of the array compared with


MAX_KEPT_BYTES = 1 << 20  # a result larger than this is not kept for hints (memory per check)


def _nbytes(value, depth=0):
    """About how many bytes ``value`` (plain data from the sandbox) holds; stops counting
    once past ``MAX_KEPT_BYTES``."""
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, (list, tuple, dict)) and depth < 40:
        items = value.values() if isinstance(value, dict) else value
        total = 64 * len(value)
        for item in items:
            if total > MAX_KEPT_BYTES:
                break
            total += _nbytes(item, depth + 1)
        return total
    return len(value) if isinstance(value, (str, bytes)) else 32


def _kept(result, small):
    """``result`` as the log keeps it: not at all when it is larger than ``MAX_KEPT_BYTES``
    (no hint is found in a reply that large); ``small`` when its whole reply was not."""
    if not small and _nbytes(result) > MAX_KEPT_BYTES:
        return Unsupported("a reply too large to keep")
    return result


class CallLog:
    """The last few calls of the current check."""

    def __init__(self, size=32):
        self._calls = deque(maxlen=size)

    def clear(self):
        self._calls.clear()

    def record(self, function, args, kwargs, result, copy_values=True, small=False):
        """Keep a call; ``copy_values=False`` for values nobody changes in place afterwards
        (the grader-driven loops' steps: thousands of calls, most never looked at); ``small``
        when the result is known to hold at most ``MAX_KEPT_BYTES`` (its whole reply did)."""
        if type(result) is Replied:  # (counted when it is read)
            result.small = small
        else:
            result = _kept(result, small)
        if copy_values:
            args, kwargs, result = exact_copy(args), exact_copy(kwargs), exact_copy(result)
        self._calls.append((function, args, kwargs, result))

    def record_sent(self, function, frame, result, small=False):
        """Keep a call whose arguments were sent as ``frame`` (``session.call_frame``): they
        are read back from it only if a hint looks at them."""
        self.record(function, _Sent(frame), None, result, copy_values=False, small=small)

    def digest(self, *context):
        """A digest of the calls kept (as they were kept: a request or reply frame by its bytes,
        other values by ``memo.digest``) and of ``context``; None when a value is of a type that
        has no digest (an error, a reply too large to keep). Equal digests, equal calls."""
        import hashlib

        from grader.checkapi.memo import Uncacheable, digest

        h = hashlib.sha256(repr(context).encode())
        try:
            for function, args, kwargs, result in self._calls:
                h.update(b"\0call\0" + function.encode())
                if type(args) is _Sent:
                    h.update(b"frame %d:" % len(args.frame) + args.frame)
                else:
                    h.update(digest("", args, kwargs).encode())
                if type(result) is Replied:
                    h.update(b"reply %d %d:" % (result.small, len(result.frame)) + result.frame)
                else:
                    h.update(digest("", (result,), {}).encode())
        except Uncacheable:
            return None
        return h.digest()

    def last(self):
        """The call kept last, as kept: ``(function, args, kwargs, result)``."""
        return self._calls[-1]

    def recent(self):
        """The calls kept, most recent first: ``(function, args, kwargs, result)``."""
        for function, args, kwargs, result in reversed(self._calls):
            if type(args) is _Sent:
                args, kwargs = args.read()
            if type(result) is Replied:
                result = result.read()
            yield function, args, kwargs, result


class Replied:
    """The result of a logged call, in the reply frame it came in (``session.SAME``: a frame
    the grader had seen before, not decoded when it came)."""

    __slots__ = ("frame", "small")

    def __init__(self, frame):
        self.frame, self.small = frame, False

    def read(self):
        from grader.checkapi.traces import answer

        return _kept(answer(self.frame), self.small)


class _Sent:
    """The arguments of a logged call, in the request frame they were sent in."""

    __slots__ = ("frame",)

    def __init__(self, frame):
        self.frame = frame

    def read(self):
        from grader.sandbox.session import frame_call

        return frame_call(self.frame)


def annotate(outcome, log, assignment):
    """``outcome`` (a failed ``CheckOutcome``) with the known mistake it matches, if any. Only
    calls of the function the check grades are looked at (the others are the reference's)."""
    try:
        mistake = find_mistake(log, assignment, outcome.function)
    except Exception:  # a hint is a nicety: never let it break the grading
        return outcome
    if mistake is None:
        return outcome
    return dataclasses.replace(outcome, mistake=mistake.name, hint=mistake.hint)


_found: dict = {}  # CallLog.digest -> the mistake find_mistake found (or None)
MAX_FOUND = 4096  # digests kept, the oldest forgotten first


def find_mistake(log, assignment, function=None):
    """``_find_mistake``'s answer, reused for a log of exactly the same calls and results: a
    common mistake gives the same wrong results on a check's inputs to every student who
    makes it, and the answer depends on nothing else (the reference and the catalogue are the
    grading suite's, and a mistake is run on a seeded ``np.random``)."""
    key = log.digest(assignment, function)
    if key is not None and key in _found:
        return _found[key]
    mistake = _find_mistake(log, assignment, function)
    if key is not None:
        if len(_found) >= MAX_FOUND:
            del _found[next(iter(_found))]
        _found[key] = mistake
    return mistake


def _find_mistake(log, assignment, function=None):
    """The one catalogued ``Mistake`` whose output equals the student's result on every wrong
    call looked at (the most recent ``MAX_WRONG_CALLS``: the shrunk input and the examples
    before it), or None. Several mistakes can give the same output on one input (hypothesis
    shrinks towards degenerate ones), and a mistake the catalogue lacks can give the output of
    one that it has: a hint is given only when exactly one mistake fits every wrong call, and
    none when a call is wrong in a way no catalogued mistake explains."""
    if not (Path(__file__).parents[1] / "mistakes").is_dir():  # the student bundle has no catalogue
        return None
    from grader.mistakes import mistakes

    calls = [(c, mistakes(assignment, c[0], hinted=True)) for c in log.recent() if function in (None, c[0])]
    calls = [(c, known) for c, known in calls if known]
    if not calls:
        return None
    from grader.pipeline.reference import load_reference

    reference = load_reference(assignment)
    candidates, budget, wrong_calls = None, MAX_EVALUATIONS, 0
    for (name, args, kwargs, got), known in calls:
        if candidates is not None:
            known = [m for m in candidates if m.function == name]
            if not known:
                continue
        if budget < len(known) + 1 or wrong_calls == MAX_WRONG_CALLS:
            break
        budget -= len(known) + 1
        failed, expected = _evaluate(reference, name, None, args, kwargs)
        if failed or matches(got, expected):
            continue  # not this call's fault
        wrong_calls += 1
        candidates = [m for m in known if _fits(reference, name, m, args, kwargs, got, expected)]
        if not candidates:
            return None  # this wrong call is explained by no catalogued mistake (or by one already ruled out)
    return candidates[0] if candidates is not None and len(candidates) == 1 else None


def _fits(reference, function, mistake, args, kwargs, got, expected):
    """The mistake's output on this call equals the student's and differs from the reference's (and
    does not depend on np.random's global state: such a mistake would match by luck)."""
    failed, output = _evaluate(reference, function, mistake.source, args, kwargs, seed=1)
    return (
        not failed
        and matches(got, output)
        and not matches(output, expected)
        and matches(_evaluate(reference, function, mistake.source, args, kwargs, seed=2)[1], output)
    )


def _evaluate(reference, function, source, args, kwargs, seed=None):
    """(failed, result) of the call on the reference, with ``source`` swapped in when given
    (and np.random's global state seeded with ``seed``, when given)."""
    from grader.checkapi.support import patched

    kwargs = dict(kwargs)
    patch = kwargs.pop("patch", None) or {}
    kwargs.pop("timeout", None)
    args, kwargs = exact_copy((args, kwargs))
    state = np.random.get_state()
    if seed is not None:
        np.random.seed(seed)
    try:
        with (
            _swapped(reference, source),
            patched(reference, patch),
            np.errstate(all="ignore"),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
            return False, getattr(reference, function)(*args, **kwargs)
    except Exception:
        return True, None
    finally:
        np.random.set_state(state)


@functools.lru_cache(maxsize=256)
def _compiled(source, module_name):
    """A catalogued mistake's ``source``, compiled once (each is tried on many calls)."""
    return compile(source, f"<known mistake in {module_name}>", "exec")


@contextmanager
def _swapped(module, source):
    """``module`` with the functions defined in ``source`` compiled in its own namespace."""
    if source is None:
        yield module
        return
    namespace = vars(module)
    saved = dict(namespace)
    try:
        exec(_compiled(source, module.__name__), namespace)
        yield module
    finally:
        for name in [n for n in namespace if n not in saved]:
            del namespace[name]
        namespace.update(saved)


def matches(got, expected):
    """``got`` has ``expected``'s structure and values (dicts: every key of ``expected`` but the
    optional dZl/dAl of gradients, extra keys in ``got`` ignored; sequences
    item by item, numbers and arrays within RTOL and a scale-relative atol)."""
    if isinstance(expected, dict):
        if not isinstance(got, dict) or any(k not in got and not AUXILIARY.match(str(k)) for k in expected):
            return False
        return all(matches(got[k], expected[k]) for k in expected if k in got)
    if isinstance(expected, (list, tuple)):
        return (
            isinstance(got, (list, tuple))
            and len(got) == len(expected)
            and all(matches(a, b) for a, b in zip(got, expected))
        )
    flags = (bool, np.bool_)
    if isinstance(expected, flags) or isinstance(got, flags):
        return isinstance(expected, flags) and isinstance(got, flags) and bool(got) == bool(expected)
    if expected is None or isinstance(expected, str) or got is None or isinstance(got, str):
        return got == expected
    try:
        a, b = np.asarray(got), np.asarray(expected)
    except Exception:
        return False
    if a.dtype.kind not in "biuf" or b.dtype.kind not in "biuf" or a.shape != b.shape:
        return False
    if (
        isinstance(got, np.ndarray)
        and isinstance(expected, np.ndarray)
        and "f" in a.dtype.kind + b.dtype.kind
        and set(a.dtype.kind + b.dtype.kind) & set("iu")
    ):
        return False  # integer zeros are not the float zeros asked for (bool masks match 0/1 ones)
    a, b = a.astype(np.float64), b.astype(np.float64)
    if a.size == 0:
        return True
    finite = np.isfinite(b)
    atol = ATOL_SCALE * float(np.max(np.abs(b[finite]), initial=0.0))
    return bool(np.allclose(a, b, rtol=RTOL, atol=atol, equal_nan=True))
