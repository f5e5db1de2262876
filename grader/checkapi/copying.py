"""A fast copy of plain data: the trees of dicts, lists, tuples, numpy arrays and scalars that
cross the sandbox's boundary and that the grader hands from one computation to the next.

``plain_copy`` copies every container and array (keeping each array's memory layout) and shares
what cannot change (numbers, strings). Like the sandbox's boundary, and unlike
``copy.deepcopy``, it does not keep two references to one object as one: each becomes a copy of
its own. About ten times faster than ``deepcopy`` on a dict of arrays; anything else is
deep-copied.

``exact_copy`` is ``copy.deepcopy`` with the same shortcuts: it keeps two references to one
object as one, as ``deepcopy`` does (a value kept for later, such as a hint's record of a call,
is then exactly what was handed over).
"""

import copy

import numpy as np

_SHARED = (float, int, str, bool, bytes, type(None))


def plain_copy(value):
    """A copy of ``value`` that shares nothing mutable with it."""
    kind = type(value)
    if kind is np.ndarray:
        return value.copy(order="K")
    if kind is dict:
        return {key: plain_copy(item) for key, item in value.items()}
    if kind is list:
        return [plain_copy(item) for item in value]
    if kind is tuple:
        return tuple(plain_copy(item) for item in value)
    if kind in _SHARED or isinstance(value, (np.number, np.bool_)):
        return value
    return copy.deepcopy(value)


def exact_copy(value, memo=None):
    """``copy.deepcopy(value)``, about 1.6 times as fast on plain data: the same tree, each
    object copied once however often it appears."""
    if memo is None:
        memo = {}
    kind = type(value)
    if kind is np.ndarray:
        found = memo.get(id(value))
        if found is None:
            found = memo[id(value)] = value.copy(order="K") if not value.dtype.hasobject else copy.deepcopy(value, memo)
        return found
    if kind is dict or kind is list:
        found = memo.get(id(value))
        if found is None:
            found = memo[id(value)] = {} if kind is dict else []
            if kind is dict:
                for key, item in value.items():
                    found[key if type(key) is str else exact_copy(key, memo)] = exact_copy(item, memo)
            else:
                found.extend([exact_copy(item, memo) for item in value])
        return found
    if kind is tuple:
        found = memo.get(id(value))
        if found is None:
            found = memo[id(value)] = tuple([exact_copy(item, memo) for item in value])
        return found
    if kind in _SHARED or isinstance(value, (np.number, np.bool_)):
        return value
    return copy.deepcopy(value, memo)
