"""Hints that name the mistake.

While a check runs, ``StudentModule.call`` records the student's calls (function, arguments,
result) in a small ``CallLog``. When the check fails, ``annotate`` runs the catalogued
mistakes of the logged functions (``grader/mistakes/<id>.py``: our own code, run in process
as the reference module with that one function swapped) on the same inputs, most recent call
first. If the student's result matches a mistake's result (same structure, values within a
tight tolerance) and the reference's differs, the outcome names the mistake and its message
ends with the mistake's hint. A hint is fixed text: it shows no value the check did not.

Calls with ``patch=`` are replayed with the same patch; calls of a provided ``helper=`` with
``impl=`` the reference module carrying the mistake. Passed checks cost nothing but the log.
"""

import copy
import dataclasses
import importlib
import re
import sys
import warnings
from pathlib import Path
from collections import deque
from contextlib import contextmanager

import numpy as np

MAX_WRONG_CALLS = 6  # wrong calls looked at, most recent first
MAX_EVALUATIONS = 30  # reference and mistake runs per failed check, at most
AUXILIARY = re.compile(r"^d[ZA]\d+$")  # keys a gradients dict may have or not (SPEC section 2)
RTOL, ATOL_SCALE = 1e-6, 1e-9  # atol = ATOL_SCALE * the largest |value| of the array compared with


class CallLog:
    """The last few calls of the current check."""

    def __init__(self, size=32):
        self._calls = deque(maxlen=size)

    def clear(self):
        self._calls.clear()

    def record(self, function, args, kwargs, result):
        self._calls.append((function, copy.deepcopy(args), copy.deepcopy(kwargs), copy.deepcopy(result)))

    def recent(self):
        return reversed(self._calls)


def annotate(outcome, log, assignment):
    """``outcome`` (a failed ``CheckOutcome``) with the known mistake it matches, if any."""
    try:
        mistake = find_mistake(log, assignment)
    except Exception:  # a hint is a nicety: never let it break the grading
        return outcome
    if mistake is None:
        return outcome
    return dataclasses.replace(outcome, mistake=mistake.name, message=f"{outcome.message}\nHint: {mistake.hint}")


def find_mistake(log, assignment):
    """The catalogued ``Mistake`` whose output equals the student's result on the most recent
    wrong call and on every earlier wrong call looked at. Several mistakes can give the same
    output on a degenerate input (hypothesis shrinks towards those), so the candidates of the
    most recent wrong call are narrowed on earlier ones until one is left; none is named when
    more than one is left or none."""
    if not (Path(__file__).parents[1] / "mistakes").is_dir():  # the student bundle has no catalogue
        return None
    from grader.mistakes import mistakes

    calls = [(c, mistakes(assignment, c[0])) for c in log.recent()]
    calls = [(c, known) for c, known in calls if known]
    if not calls:
        return None
    from grader.pipeline.reference import load_reference

    reference = load_reference(assignment)
    candidates, budget, wrong_calls = None, MAX_EVALUATIONS, 0
    for (function, args, kwargs, got), known in calls:
        if candidates is not None:
            known = [m for m in candidates if m.function == function]
            if not known:
                continue
        if budget < len(known) + 1 or wrong_calls == MAX_WRONG_CALLS:
            break
        budget -= len(known) + 1
        failed, expected = _evaluate(reference, function, None, args, kwargs)
        if failed or matches(got, expected):
            continue  # not this call's fault
        wrong_calls += 1
        found = []
        for mistake in known:
            failed, output = _evaluate(reference, function, mistake.source, args, kwargs, seed=1)
            if not failed and matches(got, output) and not matches(output, expected) \
                    and matches(_evaluate(reference, function, mistake.source, args, kwargs, seed=2)[1], output):
                found.append(mistake)  # (a mistake whose output depends on np.random's state can match by luck)
        if not found:
            return None
        if len(found) == 1:
            return found[0]
        candidates = found
    return None


def _evaluate(reference, function, source, args, kwargs, seed=None):
    """(failed, result) of the call on the reference, with ``source`` swapped in when given
    (and np.random's global state seeded with ``seed``, when given)."""
    from grader.checkapi.support import patched

    kwargs = dict(kwargs)
    patch, helper = kwargs.pop("patch", None) or {}, kwargs.pop("helper", None)
    kwargs.pop("timeout", None)
    args, kwargs = copy.deepcopy((args, kwargs))
    state = np.random.get_state()
    if seed is not None:
        np.random.seed(seed)
    try:
        with _swapped(reference, source), patched(reference, patch), np.errstate(all="ignore"), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if helper:
                module, name = helper.split(":")
                return False, getattr(_provided(module), name)(*args, impl=reference, **kwargs)
            return False, getattr(reference, function)(*args, **kwargs)
    except Exception:
        return True, None
    finally:
        np.random.set_state(state)


def _provided(name):
    from grader import paths

    if str(paths.ASSIGNMENTS) not in sys.path:
        sys.path.append(str(paths.ASSIGNMENTS))
    return importlib.import_module(name)


@contextmanager
def _swapped(module, source):
    """``module`` with the functions defined in ``source`` compiled in its own namespace."""
    if source is None:
        yield module
        return
    namespace = vars(module)
    saved = dict(namespace)
    try:
        exec(compile(source, f"<known mistake in {module.__name__}>", "exec"), namespace)
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
        return isinstance(got, (list, tuple)) and len(got) == len(expected) and all(
            matches(a, b) for a, b in zip(got, expected))
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
    if isinstance(got, np.ndarray) and isinstance(expected, np.ndarray) and "f" in a.dtype.kind + b.dtype.kind \
            and set(a.dtype.kind + b.dtype.kind) & set("iu"):
        return False  # integer zeros are not the float zeros asked for (bool masks match 0/1 ones)
    a, b = a.astype(np.float64), b.astype(np.float64)
    if a.size == 0:
        return True
    finite = np.isfinite(b)
    atol = ATOL_SCALE * float(np.max(np.abs(b[finite]), initial=0.0))
    return bool(np.allclose(a, b, rtol=RTOL, atol=atol, equal_nan=True))
