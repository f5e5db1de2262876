"""The input of a call, in words a student can reproduce it from.

When a student's function raises, times out or crashes, the message shows the call it was
given: every argument by name (from the reference's signature, or the provided helper's),
arrays by shape and dtype, with their values when they are small (and not inside a dict), dicts
key by key:

    Called as random_mini_batches(X=array of shape (2, 3): [[0, 1, 2], [0.5, -1.2, 0.3]],
    Y=array of shape (1, 3): [[3, 10, 6]], mini_batch_size=64, seed=0)
"""

import importlib
import inspect
import re
import sys

import numpy as np

SMALL = 12  # arrays of at most this many entries are shown with their values
MAX_ITEMS = 8  # dict keys and sequence items shown
MAX_TEXT = 900  # the whole description, at most


def describe_value(value, depth=0):
    """One value, briefly: shapes for arrays (and values when small), keys for dicts."""
    if isinstance(value, np.ndarray):
        text = f"array of shape {value.shape}" + ("" if value.dtype == np.float64 else f" ({value.dtype})")
        if depth == 0 and 0 < value.size <= SMALL and value.dtype.kind in "biuf":  # inside a dict: shapes only
            shown = np.array2string(value, precision=4, separator=", ", max_line_width=10**6)
            text += ": " + re.sub(r"\s+", " ", shown.replace("\n", ""))
        return text
    if isinstance(value, (bool, np.bool_)) or value is None:
        return repr(bool(value) if isinstance(value, np.bool_) else value)
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    if isinstance(value, str):
        return repr(value[:40] + ("..." if len(value) > 40 else ""))
    if depth >= 2:
        return f"a {type(value).__name__} of {len(value)}" if hasattr(value, "__len__") else type(value).__name__
    if isinstance(value, dict):
        items = [f"{k!r}: {describe_value(v, depth + 1)}" for k, v in list(value.items())[:MAX_ITEMS]]
        more = f", ... ({len(value)} keys)" if len(value) > MAX_ITEMS else ""
        return "{" + ", ".join(items) + more + "}"
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in value):
            shown = ", ".join(describe_value(v) for v in value[:MAX_ITEMS])
        else:
            shown = ", ".join(describe_value(v, depth + 1) for v in value[:MAX_ITEMS])
        more = f", ... ({len(value)} items)" if len(value) > MAX_ITEMS else ""
        return ("[" + shown + more + "]") if isinstance(value, list) else ("(" + shown + more + ")")
    return type(value).__name__


def _signature(assignment, function, helper):
    try:
        if helper:
            module, name = helper.split(":")
            from grader import paths

            if str(paths.ASSIGNMENTS) not in sys.path:
                sys.path.append(str(paths.ASSIGNMENTS))
            return f"{module}.{name}", inspect.signature(getattr(importlib.import_module(module), name))
        from grader.pipeline.reference import load_reference

        return function, inspect.signature(getattr(load_reference(assignment), function))
    except Exception:  # no reference (public checks in the bundle), or an unusual helper: positions only
        return (helper.replace(":", ".") if helper else function), None


def describe_call(assignment, function, args, kwargs, helper=None):
    """``f(name=value, ...)`` for the call ``function(*args, **kwargs)`` (or the helper's call)."""
    shown, signature = _signature(assignment, function, helper)
    named = None
    if signature is not None:
        try:
            named = dict(signature.bind_partial(*args, **kwargs).arguments)
        except TypeError:
            named = None
    if named is None:
        parts = [describe_value(a) for a in args] + [f"{k}={describe_value(v)}" for k, v in kwargs.items()]
    else:
        parts = []
        for name, value in named.items():
            kind = signature.parameters[name].kind
            if kind is inspect.Parameter.VAR_KEYWORD:
                parts += [f"{k}={describe_value(v)}" for k, v in value.items()]
            elif kind is inspect.Parameter.VAR_POSITIONAL:
                parts += [describe_value(v) for v in value]
            else:
                parts.append(f"{name}={describe_value(value)}")
    text = f"{shown}({', '.join(parts)})"
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 5] + " ...)"
