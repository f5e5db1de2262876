"""The only format that crosses the sandbox boundary: JSON plus raw array bytes.

A *frame* is::

    b"GRD2" | u64 header length | u64 blob length | header (UTF-8 JSON) | blobs

The header holds a value tree made of JSON types; arrays and numpy scalars are
replaced by ``{"__nd__": [offset, dtype, shape, fortran_order]}``: the array's raw bytes
start at ``offset`` of the blobs, ``dtype`` is numpy's canonical string (``"<f8"``), only
of the plain kinds (booleans, numbers, bytes and text: never objects, records or
sub-arrays), and the byte count follows from the dtype and the shape, so a header that
claims more bytes than the blobs hold is refused before anything is allocated. A dict of two or
more contiguous arrays of one dtype may come as one node, ``{"__nds__": [offset, dtype, keys,
shapes, fortran_orders]}``, its arrays' bytes one after the other (the child's replies: most are
dicts of parameters, gradients or moments; the grader copies their bytes once and hands out
views, instead of one node, check and copy per array). Tuples become
``{"__tuple__": [...]}``, dicts with non-string keys and every other object become
``{"__unsupported__": "<type name>"}``. Nothing the child writes is ever unpickled, so the
worst a hostile child can send is plain data, which it could have returned anyway.

The child's reply to a ``call_many`` request is one frame whose header is ``{"ok": true,
"frames": [size, ...], "printed": ...}`` and whose blobs are the calls' replies, each a frame
of its own (``encode_replies``, ``split_replies``): the grader can tell a reply it has seen
before by its bytes, without decoding it.

This module runs on both sides: the grader imports it, and the sandbox child loads
the same file by path. It may import only the standard library and numpy.
"""

import functools
import io
import json
import math
import os
import pickle
import struct

import numpy as np

MAGIC = b"GRD2"
TRUSTED_MAGIC = b"GRP5"  # a request of the grader's: a pickle, read by the child only
PREFIX = struct.Struct("<4sQQ")
MAX_HEADER_BYTES = 8 * 1024 * 1024
MAX_BLOB_BYTES = 16 * 1024 * 1024  # far more than any graded function returns (memory per check)
MAX_DEPTH = 32
MAX_ITEMS = 200_000


RESERVED = frozenset(("__nd__", "__nds__", "__tuple__", "__unsupported__", "__float__"))  # the nodes' keys


class WireError(Exception):
    """A frame that is malformed, too large or truncated."""


class Unsupported:
    """Stands for a value of a type that cannot cross the boundary (decoded side)."""

    __slots__ = ("type_name",)

    def __init__(self, type_name):
        self.type_name = type_name

    def __repr__(self):
        return f"<unsupported object of type {self.type_name}>"


class Totals:
    """What the frames of one reply have spent so far of its limits (``encode``'s ``totals``):
    the arrays' bytes, the items, and the depth a frame's value starts at."""

    __slots__ = ("size", "count", "depth")

    def __init__(self, size=0, count=0, depth=0):
        self.size, self.count, self.depth = size, count, depth


def encode(value, packed=False, totals=None):
    """Serialise a value tree to one frame (bytes). Never raises on odd objects (but
    ``WireError``, for a value past the limits).

    The exact built-in types (what the grader and honest code send) take the first branches;
    subclasses and numpy scalars go through the slower, defensive ones: a subclass's own
    methods are never called. With ``packed`` (the child's replies), a dict of two or more
    contiguous arrays of one dtype becomes one ``__nds__`` node (see the module's docstring).
    ``totals``: this frame is one of several that share ``MAX_BLOB_BYTES``, ``MAX_ITEMS`` and
    ``MAX_DEPTH`` (``encode_replies``); updated with what it spends."""
    return b"".join(_frame_parts(value, packed, totals)[0])


def _frame_parts(value, packed, totals):
    """``encode``'s frame in parts to be joined (its prefix, its header, its blobs), and its size."""
    blobs = []
    size = 0  # this frame's blobs, and before them (``spent``) the other frames'
    spent, count, start_depth = (totals.size, totals.count, totals.depth) if totals is not None else (0, 0, 0)

    def packed_dict(x):
        """``x``'s ``__nds__`` node, or None when ``x`` is not a dict of same-dtype arrays."""
        nonlocal size, count
        if len(x) < 2:
            return None
        keys, shapes, orders, parts, dtype, descr, total = [], [], [], [], None, None, 0
        for key, array in dict.items(x):
            if type(key) is not str or type(array) is not np.ndarray or key in RESERVED:
                return None
            kind = array.dtype
            if dtype is None:
                dtype, descr = kind, _plain_descr(kind)
                if descr is None:
                    return None
            elif kind is not dtype and kind != dtype:  # (one dtype object, most often)
                return None
            nbytes = array.nbytes
            if array.flags.c_contiguous:  # (its flags read once, not again in ``_raw``)
                fortran_order = False
                parts.append(_c_bytes(array, nbytes))
            elif array.flags.f_contiguous:
                fortran_order = True
                parts.append(_raw(array, True))
            else:
                return None
            keys.append(key)
            shapes.append(array.shape)  # (a tuple: JSON writes it as the list it is read back as)
            orders.append(fortran_order)
            total += nbytes
        count += len(keys)
        if count > MAX_ITEMS:
            raise WireError("the value is nested too deeply or has too many items")
        if spent + size + total > MAX_BLOB_BYTES:
            raise WireError(f"the arrays add up to more than {MAX_BLOB_BYTES // 2**20} MiB")
        offset = size
        size += total
        blobs.extend(parts)
        return {"__nds__": [offset, descr, keys, shapes, orders]}

    def add_array(array, descr):
        """``array`` (of the exact class, contiguous, of a plain dtype ``descr``) as a node;
        its bytes are sent as they lie in memory (no copy until the frame is joined)."""
        nonlocal size
        offset = size  # the blobs written so far
        size += array.nbytes
        if spent + size > MAX_BLOB_BYTES:
            raise WireError(f"the arrays add up to more than {MAX_BLOB_BYTES // 2**20} MiB")
        fortran_order = _fortran(array)
        blobs.append(_raw(array, fortran_order))
        return {"__nd__": [offset, descr, array.shape, fortran_order]}

    def walk(x, depth):
        nonlocal count
        count += 1
        if count > MAX_ITEMS or depth > MAX_DEPTH:
            raise WireError("the value is nested too deeply or has too many items")
        kind = type(x)
        if kind is float:
            return x if math.isfinite(x) else {"__float__": repr(x)}
        if kind is np.ndarray and (x.flags.c_contiguous or x.flags.f_contiguous):
            descr = _plain_descr(x.dtype)
            if descr is None:
                return {"__unsupported__": f"numpy array of dtype {x.dtype}"}
            if x.nbytes + spent + size > MAX_BLOB_BYTES:
                raise WireError(f"the arrays add up to more than {MAX_BLOB_BYTES // 2**20} MiB")
            return add_array(x, descr)
        if kind is dict:
            return _dict(x, depth)
        if kind is list:
            return [walk(item, depth + 1) for item in x]
        if kind is tuple:
            return {"__tuple__": [walk(item, depth + 1) for item in x]}
        if x is None or kind is bool or kind is int or kind is str:
            return x
        if isinstance(x, (np.ndarray, np.generic)):
            if np.ndarray.__getattribute__(np.asarray(x), "nbytes") + spent + size > MAX_BLOB_BYTES:
                raise WireError(f"the arrays add up to more than {MAX_BLOB_BYTES // 2**20} MiB")
            array = np.array(x, copy=True, subok=False)
            descr = _plain_descr(array.dtype)
            if descr is None:
                return {"__unsupported__": f"numpy array of dtype {array.dtype}"}
            return add_array(array, descr)
        if isinstance(x, int):
            return int.__int__(x)
        if isinstance(x, float):
            f = float.__float__(x)
            return f if math.isfinite(f) else {"__float__": repr(f)}
        if isinstance(x, str):
            return str.__str__(x)
        if isinstance(x, list):  # the base class's iterator: a subclass cannot lie here
            return [walk(item, depth + 1) for item in list.__iter__(x)]
        if isinstance(x, tuple):
            return {"__tuple__": [walk(item, depth + 1) for item in tuple.__iter__(x)]}
        if isinstance(x, dict):
            return _dict(x, depth)
        return {"__unsupported__": _type_name(x)}

    def _dict(x, depth):
        if packed:
            node = packed_dict(x)
            if node is not None:
                return node
        out = {}
        for key in dict.keys(x):
            if type(key) is not str:
                return {"__unsupported__": "dict with non-string keys"}
            out[key] = walk(dict.__getitem__(x, key), depth + 1)
        if not RESERVED.isdisjoint(out):
            return {"__unsupported__": "dict with reserved keys"}
        return out

    tree = walk(value, start_depth)
    header = _header(tree)
    if totals is not None:
        totals.size, totals.count = spent + size, count
    return [PREFIX.pack(MAGIC, len(header), size), header, *blobs], PREFIX.size + len(header) + size


def encode_replies(replies, printed):
    """The child's reply to a ``call_many`` request: ``replies`` (one ``{"ok": ...}`` dict per
    call) each in a frame of its own, so that the grader can tell a reply it has seen before
    from its bytes alone (``session.Sandbox.call_many``'s ``expected``), and ``printed``.

    One frame, whose header is ``{"ok": true, "frames": [size, ...], "printed": ...}`` and
    whose blobs are the calls' frames one after the other. Together they may hold what one frame
    of ``{"ok": True, "value": replies, "printed": printed}`` may (``WireError`` the same way)."""
    totals = Totals(count=3, depth=2)  # (that frame's dict, its "ok" and its list come first)
    parts, sizes = [], []
    for reply in replies:
        frame, size = _frame_parts(reply, True, totals)
        parts += frame
        sizes.append(size)
    totals.count += 1  # ("printed")
    if totals.count > MAX_ITEMS:
        raise WireError("the value is nested too deeply or has too many items")
    header = _header({"ok": True, "frames": sizes, "printed": printed})
    return b"".join([PREFIX.pack(MAGIC, len(header), sum(sizes)), header, *parts])


# json.dumps's output; no check for cycles: the tree is built fresh above, and nested at most MAX_DEPTH
_HEADER_ENCODER = json.JSONEncoder(allow_nan=False, check_circular=False)
_c_make_encoder = getattr(json.encoder, "c_make_encoder", None)  # (json's C accelerator)
if _c_make_encoder is not None:  # what its encode() makes for each tree, made once
    _encode_tree = _c_make_encoder(
        None, _HEADER_ENCODER.default, json.encoder.encode_basestring_ascii, None, ": ", ", ", False, False, False
    )

    def _header(tree):
        return "".join(_encode_tree(tree, 0)).encode("utf-8")

else:  # (a Python without json's C accelerator)

    def _header(tree):
        return _HEADER_ENCODER.encode(tree).encode("utf-8")


def _fortran(array):
    """Whether ``array``'s bytes go in Fortran order: when it is Fortran- and not C-contiguous."""
    flags = array.flags
    return flags.f_contiguous and not flags.c_contiguous


SMALL_BYTES = 16384  # below this, copying an array's bytes costs less than a view of them


def _raw(array, fortran_order):
    """``array``'s bytes in that order: a view when they already lie so in memory (a copy when
    the array is small: cheaper than a view), else a copy."""
    if fortran_order:
        if array.flags.f_contiguous:
            array = array.T  # (C-contiguous: its C-order bytes are the array's F-order bytes)
        else:
            return array.tobytes(order="F")
    elif not array.flags.c_contiguous:
        return array.tobytes(order="C")
    return _c_bytes(array, array.nbytes)


def _c_bytes(array, nbytes):
    """The bytes of a C-contiguous ``array`` of ``nbytes`` bytes: a copy when it is small
    (cheaper than a view), else a view."""
    return array.tobytes() if nbytes < SMALL_BYTES or not array.ndim else memoryview(array).cast("B")


_PLAIN_DESCR: dict = {}  # dtype -> its string when it is of a plain kind, else None


def _plain_descr(dtype):
    """``dtype.str`` when the dtype may cross (booleans, numbers, bytes, text), else None."""
    try:
        return _PLAIN_DESCR[dtype]
    except KeyError:
        pass
    except TypeError:  # an unhashable dtype: never met, but not worth a crash
        return None
    descr = None if dtype.hasobject or dtype.kind not in "biufcSU" else dtype.str
    if len(_PLAIN_DESCR) < 256:
        _PLAIN_DESCR[dtype] = descr
    return descr


def _type_name(x):
    try:
        name = type.__getattribute__(type(x), "__qualname__")
        return str.__str__(name)[:80] if isinstance(name, str) else "object"
    except Exception:  # a metaclass may lie; the name is only for messages
        return "object"


def decode(header, body):
    """Rebuild a value tree from a frame's header and blobs (plain types only).

    The frame may have been written by hostile code (the child's pipe is its file
    descriptor): anything malformed raises ``WireError`` and nothing here allocates
    more than the frame's own size (a header may declare any shape).
    """
    tree = _parsed(bytes(header))
    count = [0]

    def walk(x, depth):
        count[0] += 1
        if depth > MAX_DEPTH + 2 or count[0] > MAX_ITEMS + 2:
            raise WireError("nested too deeply or too many items")
        if isinstance(x, list):
            return [walk(item, depth + 1) for item in x]
        if isinstance(x, dict):
            if "__nd__" in x:
                return _load_array(x["__nd__"], body)
            if "__nds__" in x:
                arrays = _load_arrays(x["__nds__"], body)
                count[0] += len(arrays)
                return arrays
            if "__tuple__" in x:
                if not isinstance(x["__tuple__"], list):
                    raise WireError("malformed tuple")
                return tuple(walk(item, depth + 1) for item in x["__tuple__"])
            if "__float__" in x:
                return float(x["__float__"]) if x["__float__"] in ("nan", "inf", "-inf") else math.nan
            if "__unsupported__" in x:
                return Unsupported(str(x["__unsupported__"])[:120])
            return {str(k): walk(v, depth + 1) for k, v in x.items()}
        if type(x) is int and not -(2**63) <= x < 2**64:  # float(x) would overflow in a check
            return Unsupported("int (too large for 64 bits)")
        return x

    return walk(tree, 0)


_TREES: dict = {}  # a header's bytes -> its JSON tree, which decode only reads (its values are built anew)
TREES_KEPT, TREE_BYTES = 256, 4096  # (at most about 20 MB of trees, whatever a child sends)


def _parsed(header):
    """The JSON tree of ``header`` (bytes). A step of a run or a replayed example answers with
    the same header again and again (only the arrays' bytes change): the small ones are parsed
    once per process."""
    tree = _TREES.get(header)
    if tree is None:
        try:
            tree = json.loads(str(header, "utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # RecursionError: "[[[[..."
            raise WireError(f"malformed header: {type(exc).__name__}") from None
        if len(header) <= TREE_BYTES:
            if len(_TREES) >= TREES_KEPT:
                del _TREES[next(iter(_TREES))]
            _TREES[header] = tree
    return tree


def _load_array(node, body):
    """The array that ``node = [offset, dtype, shape, fortran_order]`` describes, checked first."""
    if not (type(node) is list and len(node) == 4):
        raise WireError("malformed array reference")
    offset, descr, shape, fortran_order = node
    if not (type(offset) is int and type(descr) is str and type(shape) is list and type(fortran_order) is bool):
        raise WireError("malformed array reference")
    dtype = _dtype(descr)
    count = _count(shape)
    if not (offset >= 0 and offset + count * dtype.itemsize <= len(body)):
        raise WireError("malformed array: it claims more bytes than the frame holds")
    try:
        if count == 0:
            array = np.empty(shape, dtype, order="F" if fortran_order else "C")
        else:  # a view of the frame's bytes, then a copy of its own
            array = np.ndarray(shape, dtype, body, offset, order="F" if fortran_order else "C").copy(order="K")
    except Exception as exc:  # numpy refuses what it cannot build
        raise WireError(f"malformed array: {type(exc).__name__}") from None
    return array[()] if not shape else array


def _count(shape):
    """The number of entries of an array of ``shape`` (a list from a header), checked first."""
    if len(shape) > MAX_DEPTH:
        raise WireError("malformed array: too many dimensions")
    count = 1
    for n in shape:
        if type(n) is not int or n < 0:
            raise WireError("malformed array: its shape")
        count *= n
    return count


def _load_arrays(node, body):
    """The dict of arrays that ``node = [offset, dtype, keys, shapes, fortran_orders]`` describes
    (its arrays' bytes one after the other from ``offset``), checked first; its arrays are
    views of one copy of those bytes."""
    if not (type(node) is list and len(node) == 5):
        raise WireError("malformed array reference")
    offset, descr, keys, shapes, orders = node
    if not (
        type(offset) is int
        and type(descr) is str
        and type(keys) is list
        and type(shapes) is list
        and type(orders) is list
        and len(keys) == len(shapes) == len(orders)
        and len(keys) <= MAX_ITEMS
    ):
        raise WireError("malformed array reference")
    dtype = _dtype(descr)
    starts, total = [], 0  # each array's first byte, from offset
    for key, shape, fortran_order in zip(keys, shapes, orders):
        if not (type(key) is str and type(shape) is list and type(fortran_order) is bool):
            raise WireError("malformed array reference")
        starts.append(total)
        total += _count(shape) * dtype.itemsize
    if not (offset >= 0 and offset + total <= len(body)):
        raise WireError("malformed array: it claims more bytes than the frame holds")
    out = {}
    try:  # one copy of their bytes; each array is built on its part of it
        data = bytearray(body[offset : offset + total])
        for key, shape, fortran_order, start in zip(keys, shapes, orders, starts):
            order = "F" if fortran_order else "C"
            if 0 in shape:  # (an empty slice's reshape: the strides numpy has always given it here)
                array = np.empty(1 if total else 0, dtype)[:0].reshape(shape, order=order)
            else:
                array = np.ndarray(shape, dtype, data, start, None, order)
            out[key] = array[()] if not shape else array
    except Exception as exc:  # numpy refuses what it cannot build
        raise WireError(f"malformed array: {type(exc).__name__}") from None
    return out


@functools.lru_cache(maxsize=64)
def _dtype(descr):
    """The dtype of a canonical dtype string of a plain kind, or ``WireError``."""
    try:
        dtype = np.dtype(descr) if len(descr) <= 16 else None
    except Exception:  # numpy parses many spellings; anything odd is refused
        dtype = None
    if (
        dtype is None
        or dtype.str != descr
        or dtype.hasobject
        or dtype.kind not in "biufcSU"
        or dtype.fields is not None
        or dtype.subdtype is not None
    ):
        raise WireError(f"malformed array: dtype {descr[:20]!r}")
    return dtype


class _NotPlain(Exception):
    """A request holds something other than plain data (see ``encode_trusted``)."""


class _PlainPickler(pickle.Pickler):
    """Pickles plain data only: besides the built-in types pickle handles itself, numpy arrays
    of the plain dtypes (a non-contiguous one as the contiguous copy ``encode`` would send) and
    numpy scalars. Anything else (a subclass, an object array, a class instance) raises."""

    def reducer_override(self, obj):
        kind = type(obj)
        if kind is np.ndarray:
            descr = _plain_descr(obj.dtype)
            if descr is not None:
                flags = obj.flags
                if flags.c_contiguous:  # (``_fortran``'s choice, read off the flags once)
                    order = "C"
                elif flags.f_contiguous:
                    order = "F"
                else:
                    obj = np.array(obj, copy=True, subok=False)  # (what ``encode`` sends)
                    order = "F" if _fortran(obj) else "C"
                    if not (obj.flags.f_contiguous if order == "F" else obj.flags.c_contiguous):
                        obj = np.ascontiguousarray(obj)  # a copy whose axes are in neither order
                # Rebuilt by one call of the C constructor, ``np.ndarray(shape, dtype, buffer, 0,
                # None, order)``, on its bytes as they lie in memory (numpy's own reduction goes
                # through a Python function: twice the cost, both ways). A read-only array
                # arrives read-only, as with numpy's reduction.
                data = pickle.PickleBuffer(obj) if obj.size else bytearray()
                return np.ndarray, (obj.shape, descr, data, 0, None, order)
        if isinstance(obj, np.generic) and kind.__module__ == "numpy" and obj.dtype.kind in "biufc":
            return NotImplemented
        if isinstance(obj, np.ndarray):  # a subclass, or objects inside
            raise _NotPlain(kind.__name__)
        if kind in (np.dtype, pickle.PickleBuffer) or isinstance(obj, np.dtype):
            return NotImplemented  # what a numpy scalar's reduction is made of
        if callable(obj) and str(getattr(obj, "__module__", "")).startswith("numpy"):
            return NotImplemented  # numpy's rebuilding functions and classes (np.ndarray), pickled by name
        raise _NotPlain(kind.__name__)


def _shares_mutable(value):
    """True when a dict, list or array appears more than once in ``value``'s tree."""
    containers, arrays, stack = set(), [], [value]  # (the arrays' ids are counted at the end)
    while stack:
        x = stack.pop()
        kind = type(x)
        if kind is dict or kind is list:
            if id(x) in containers:
                return True
            containers.add(id(x))
            items = x.values() if kind is dict else x
        elif kind is tuple:
            items = x
        else:
            continue
        for item in items:  # arrays, most of a request, are met here without a trip round the loop
            kind = type(item)
            if kind is np.ndarray:
                arrays.append(id(item))
            elif kind is dict or kind is list or kind is tuple:
                stack.append(item)
    return len(arrays) != len(set(arrays))


def _unshared(x, seen=None, depth=0):
    """``x`` with its containers rebuilt and each array met again replaced by a copy: no object
    appears twice in it."""
    seen = set() if seen is None else seen
    kind = type(x)
    if depth > MAX_DEPTH:
        raise WireError("the value is nested too deeply or has too many items")
    if kind is dict:
        return {key: _unshared(item, seen, depth + 1) for key, item in x.items()}
    if kind is list or kind is tuple:
        return kind(_unshared(item, seen, depth + 1) for item in x)
    if kind is np.ndarray:
        if id(x) in seen:
            return x.copy(order="K")
        seen.add(id(x))
    return x


def encode_trusted(value):
    """A frame of the grader's for the child: pickled (ten times faster than ``encode`` both
    ways) when ``value`` is plain data, else ``encode``'s, so that the child gets what
    ``encode`` would give it (but for dicts with keys other than strings, which the grader
    never sends). The child trusts what the grader sends; the grader reads a pickle only when
    it reads back a request of its own (a kept trace's, ``session.frame_call``), never a reply
    (``read_frame``'s ``trusted``)."""
    if _shares_mutable(value):
        # An object met twice must arrive as two copies, as ``encode`` sends it (an in-place
        # update of one must not change the other), and pickle would send it once.
        value = _unshared(value)
    buffer = io.BytesIO()
    try:
        _PlainPickler(buffer, protocol=5).dump(value)
    except (_NotPlain, pickle.PicklingError, TypeError, ValueError, RecursionError):
        return encode(value)
    data = buffer.getvalue()
    return PREFIX.pack(TRUSTED_MAGIC, 0, len(data)) + data


def write_frame(fd, value, trusted=False):
    """Encode ``value`` (``encode_trusted`` with ``trusted``) and write it whole to file descriptor ``fd``."""
    view = memoryview(encode_trusted(value) if trusted else encode(value))
    while view:
        written = os.write(fd, view)
        view = view[written:]


class _PlainUnpickler(pickle.Unpickler):
    """Reads what ``_PlainPickler`` writes, and nothing that names another global: the
    built-in types, and numpy's arrays, dtypes and scalars."""

    ALLOWED = frozenset((("numpy", "ndarray"), ("numpy", "dtype"), ("numpy._core.multiarray", "scalar")))

    def find_class(self, module, name):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not plain data")
        return super().find_class(module, name)


def read_plain(data):
    """The value of a frame the grader wrote (``encode_trusted``: a pickle of plain data, or
    ``encode``'s frame), read without trusting it to name only plain data's globals (a frame
    kept on disk: ``traces.py``)."""
    magic, _, body_len = PREFIX.unpack_from(data)
    if magic != TRUSTED_MAGIC:
        return read_bytes(data)
    if PREFIX.size + body_len != len(data):
        raise WireError("truncated frame")
    return _PlainUnpickler(io.BytesIO(memoryview(data)[PREFIX.size :])).load()


def read_bytes(data, trusted=False):
    """The value of ``data``, the bytes of one whole frame (a file, or ``encode``'s output:
    ``read_bytes(encode(value))`` is ``value`` as it would cross the boundary)."""
    position, data = 0, memoryview(data)  # (slices of a view are not copies)

    def read_exact(n):
        nonlocal position
        chunk = data[position : position + n]
        if len(chunk) != n:
            raise WireError("truncated frame")
        position += n
        return chunk

    return read_frame(read_exact, trusted)


def read_frame(read_exact, trusted=False, with_blobs=False):
    """Read one frame with ``read_exact(n) -> bytes`` (which enforces deadlines). Only with
    ``trusted`` (the child reading the grader's requests, or the grader reading back one of its
    own) is a pickled frame accepted. ``with_blobs``: return ``(value, blobs)``, the blobs a
    memoryview (``encode_replies``' frames are there)."""
    magic, header_len, body_len = PREFIX.unpack(read_exact(PREFIX.size))
    if trusted and magic == TRUSTED_MAGIC:
        return pickle.loads(read_exact(body_len))
    if magic != MAGIC:
        raise WireError("bad frame marker")
    # (the blobs of ``encode_replies``' frame hold its calls' frames, headers included)
    if header_len > MAX_HEADER_BYTES or body_len > MAX_BLOB_BYTES + MAX_HEADER_BYTES + 1024:
        raise WireError(f"a reply larger than {MAX_BLOB_BYTES // 2**20} MiB was refused")
    rest = read_exact(header_len + body_len)  # one read: the frame is usually all there
    blobs = memoryview(rest)[header_len:]
    value = decode(rest[:header_len], blobs)
    return (value, blobs) if with_blobs else value


def split_replies(reply, blobs, count):
    """The ``count`` frames of an ``encode_replies`` reply (``reply`` its decoded header), as
    ``(frame bytes, header size, blobs size)`` each, checked against the limits one frame of them
    all would have had; ``WireError`` when they are not there as announced."""
    sizes = reply.get("frames")
    if not (type(sizes) is list and len(sizes) == count and all(type(n) is int and n >= 0 for n in sizes)):
        raise WireError("its calls' replies are not there as announced")
    if sum(sizes) != len(blobs):
        raise WireError("its calls' replies are not there as announced")
    frames, position, headers, arrays = [], 0, 0, 0
    for size in sizes:
        frame = bytes(blobs[position : position + size])
        position += size
        if size < PREFIX.size:
            raise WireError("truncated frame")
        magic, header_len, body_len = PREFIX.unpack_from(frame)
        if magic != MAGIC or PREFIX.size + header_len + body_len != size:
            raise WireError("its calls' replies are not there as announced")
        headers += header_len
        arrays += body_len
        frames.append((frame, header_len, body_len))
    if headers > MAX_HEADER_BYTES or arrays > MAX_BLOB_BYTES + 1024:
        raise WireError(f"a reply larger than {MAX_BLOB_BYTES // 2**20} MiB was refused")
    return frames
