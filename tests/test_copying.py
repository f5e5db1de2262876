"""``checkapi/copying.py``: ``plain_copy`` shares nothing mutable with its input, and
``exact_copy`` gives what ``copy.deepcopy`` gives, an object met twice copied once."""

import copy

import numpy as np

from grader.checkapi.copying import exact_copy, plain_copy


def _tree():
    a = np.arange(6.0).reshape(2, 3)
    fortran = np.asfortranarray(np.ones((3, 2)))
    shared = [1, 2]
    return {
        "W1": a,
        "again": [a, a, (1, 2.5, "s", None, True)],
        "F": fortran,
        "scalar": np.float64(2.0),
        "lists": [shared, shared],
        "objects": np.array([[1], "x"], dtype=object),
        (1, "key"): {"inner": shared},
    }


def _same(x, y):
    if isinstance(x, np.ndarray):
        return (
            type(y) is np.ndarray
            and x.dtype == y.dtype
            and x.shape == y.shape
            and x.strides == y.strides
            and (
                x.tobytes() == y.tobytes()
                if not x.dtype.hasobject
                else all(_same(p, q) for p, q in zip(x.flat, y.flat))
            )
        )
    if isinstance(x, dict):
        return type(y) is dict and list(x) == list(y) and all(_same(x[k], y[k]) for k in x)
    if isinstance(x, (list, tuple)):
        return type(x) is type(y) and len(x) == len(y) and all(_same(p, q) for p, q in zip(x, y))
    return type(x) is type(y) and x == y


def test_exact_copy_is_deepcopy_with_its_aliases():
    value = _tree()
    exact, deep = exact_copy(value), copy.deepcopy(value)
    assert _same(exact, deep) and _same(exact, value)
    assert exact["again"][0] is exact["again"][1] is exact["W1"]  # one object met three times: one copy
    assert exact["lists"][0] is exact["lists"][1] is exact[(1, "key")]["inner"]
    assert exact["W1"] is not value["W1"] and exact["lists"][0] is not value["lists"][0]
    assert exact["objects"][0] is not value["objects"][0]  # an object array's items are copied too
    exact["W1"][0, 0] = 99.0
    exact["lists"][0].append(3)
    assert value["W1"][0, 0] == 0.0 and value["lists"][0] == [1, 2]


def test_plain_copy_shares_nothing_and_splits_aliases():
    value = _tree()
    plain = plain_copy(value)
    assert _same(plain, value)
    assert plain["again"][0] is not plain["again"][1] and plain["again"][0] is not value["W1"]
    assert plain["F"].flags.f_contiguous  # the layout is kept
