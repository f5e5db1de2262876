"""Results of the grader's pure computations, computed once and then reused.

The reference's side of a check (a training run, an optimizer's trajectory, a numeric
gradient, a reference function on a drawn input) is the same for every student of the
class: hypothesis draws the same examples in every process. ``memoize`` and ``Memoized``
keep such results, keyed by a digest of the function and its arguments, and hand out a
fresh copy on every call, so a caller that mutates what it got changes nothing for the
next one. Grades cannot change: a value is only reused for exactly the same inputs.

- ``@memoize`` on a pure function of plain data (numbers, strings, tuples, lists, dicts,
  numpy arrays and scalars; modules and functions stand for themselves by name).
- ``Memoized(module)``: the module, with each function call memoized (the ``reference``
  fixture; the provided helpers of ``trajectories.provided``).

What is never reused, nor kept: a call made in a secret case (``checkapi/secret.py``: its inputs
are drawn for one submission), a call with an argument of another type (a closure, a class
instance), a call of a function with a ``seed`` parameter left at None (fresh draws, by
the course's convention), every call of a function seen to change its arguments or
the global random state (``random``, ``np.random``), and every call while the function's
module, or a module passed as an argument, has a function swapped in (``support.patched``,
the hints' mistakes) -- those run every time.

In memory, the values live as long as the process (a batch worker). With ``configure(folder)``
(done for hidden checks by ``grader.batch``, with a folder named by the grading suite's
hash) they are also kept on disk, so a new ``grade`` process starts with them. The
files are this module's own format (JSON and raw array bytes, never pickle).
"""

import functools
import hashlib
import inspect
import json
import os
import random
import struct
import tempfile
import types
from pathlib import Path

import numpy as np

from grader.checkapi.copying import plain_copy
from grader.checkapi.secret import in_secret_case

MEMORY_ENTRIES = 4096  # values kept in memory (a batch's reference side is a few hundred)
MEMORY_BYTES = 256 * 2**20  # and their arrays' bytes at most
DISK_ENTRIES = 20_000  # files kept in the disk folder before new ones are no longer written
MAX_VALUE_BYTES = 8 * 2**20  # larger values are not kept

_memory: dict = {}  # key -> packed value (tree, blobs), oldest first
_objects: dict = {}  # key -> the value of ``_memory[key]`` unpacked once (copied for every caller)
_memory_bytes = [0]
_impure: set = set()  # names of functions seen to change their arguments or the global random state
_pristine: dict = {}  # id(module namespace) -> (namespace, ((function name, function), ...) as first seen)
_disk = {"folder": None, "files": 0}
stats = {"hits": 0, "misses": 0, "uncached": 0}


class Uncacheable(Exception):
    """An argument or a result of a type this module does not reproduce exactly."""


def configure(folder):
    """Keep values on disk in ``folder`` as well (None: memory only). The folder should be
    named by the grading suite's hash, so a changed grader never reads an old value."""
    if folder is None:
        _disk.update(folder=None, files=0)
        return
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)  # used now: the last to be pruned
        files = sum(1 for _ in os.scandir(folder))
    except OSError:  # an unwritable cache folder only costs speed
        _disk.update(folder=None, files=0)
        return
    _disk.update(folder=folder, files=files)
    _prune(folder)


KEEP_FOLDERS = 4  # every change to the grader makes a new folder; the older ones are removed


def _prune(current):
    """Remove the memo folders of other grading suites but the ``KEEP_FOLDERS`` used last
    (a process still using a removed one recomputes what it misses)."""
    import shutil

    try:
        others = [p for p in current.parent.glob("memo-*") if p.is_dir() and p != current]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for stale in others[KEEP_FOLDERS - 1 :]:
        shutil.rmtree(stale, ignore_errors=True)


def folder():
    """The disk folder in use, or None."""
    return _disk["folder"]


def default_folder(suite):
    """The disk folder for the grading suite whose hash is ``suite``."""
    base = os.environ.get("DNN_AUTOGRADER_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "dnn-autograder"
    )
    return Path(base) / f"memo-{suite[:24]}"


def clear():
    """Forget every value kept in memory (the disk folder is left alone)."""
    _memory.clear()
    _objects.clear()
    _memory_bytes[0] = 0
    _impure.clear()


# -- keys ----------------------------------------------------------------------------------


def _feed(h, x):
    """Add ``x`` to the digest ``h`` unambiguously; raise Uncacheable for other types."""
    t = type(x)
    if x is None or t is bool:
        h.update(b"N" if x is None else b"T" if x else b"F")
    elif t is int:
        text = str(x).encode()
        h.update(b"i%d:" % len(text) + text)
    elif t is float:
        h.update(b"f" + struct.pack("<d", x))
    elif t is str:
        data = x.encode("utf-8", "surrogatepass")
        h.update(b"s%d:" % len(data) + data)
    elif t is np.ndarray:
        if x.dtype.hasobject or x.dtype.kind not in "biufc":
            raise Uncacheable(f"array of dtype {x.dtype}")
        head = f"a{x.dtype.str}{x.shape}:".encode()
        h.update(head)
        h.update(np.ascontiguousarray(x).data if x.size else b"")
    elif isinstance(x, np.generic) and t.__module__ == "numpy":
        if x.dtype.kind not in "biufc":
            raise Uncacheable(f"numpy scalar of dtype {x.dtype}")
        h.update(f"g{x.dtype.str}:".encode() + x.tobytes())
    elif t in (list, tuple):
        h.update(b"%s%d:" % (b"l" if t is list else b"t", len(x)))
        for item in x:
            _feed(h, item)
    elif t is dict:
        h.update(b"d%d:" % len(x))
        for key, value in x.items():  # in order: a result's key order may follow it
            _feed(h, key)
            _feed(h, value)
    elif t is types.ModuleType:
        if not _is_pristine(vars(x)):
            raise Uncacheable(f"{x.__name__} with a function swapped in")
        h.update(b"m" + x.__name__.encode() + b":")  # its source is in the grading suite's hash
    elif t is Memoized:
        _feed(h, x.__wrapped__)
    elif t in (types.FunctionType, types.BuiltinFunctionType) and "<locals>" not in x.__qualname__:
        h.update(b"c" + f"{x.__module__}.{x.__qualname__}".encode() + b":")
    else:
        raise Uncacheable(t.__name__)


def digest(name, args, kwargs):
    """A digest of ``name`` and plain-data arguments (the keys of this module's values); raises
    ``Uncacheable`` for an argument of another type."""
    h = hashlib.sha256(name.encode() + b"\0")
    _feed(h, tuple(args))
    _feed(h, dict(sorted(kwargs.items())))
    return h.hexdigest()


# -- values: packed as a JSON tree plus array bytes, unpacked into fresh objects ----------


def pack(x, blobs):
    """``x`` (plain data) as a JSON tree, its arrays' and numpy scalars' bytes appended to
    ``blobs``; ``Uncacheable`` for another type. (An array comes back C-contiguous.)"""
    t = type(x)
    if x is None or t in (bool, int, str):
        return x if t is not str else ["s", x]
    if t is float:
        return ["f", float.hex(x)]
    if t is np.ndarray:
        if x.dtype.hasobject or x.dtype.kind not in "biufc":
            raise Uncacheable(f"array of dtype {x.dtype}")
        blobs.append(np.ascontiguousarray(x).tobytes())
        return ["a", x.dtype.str, list(x.shape), len(blobs) - 1]
    if isinstance(x, np.generic) and t.__module__ == "numpy":
        if x.dtype.kind not in "biufc":
            raise Uncacheable(f"numpy scalar of dtype {x.dtype}")
        blobs.append(x.tobytes())
        return ["g", x.dtype.str, len(blobs) - 1]
    if t is list:
        return ["l", [pack(item, blobs) for item in x]]
    if t is tuple:
        return ["t", [pack(item, blobs) for item in x]]
    if t is dict:
        return ["d", [[pack(k, blobs), pack(v, blobs)] for k, v in x.items()]]
    raise Uncacheable(t.__name__)


def unpack(tree, blobs):
    """The value ``pack`` made ``tree`` of, every node new."""
    if not isinstance(tree, list):
        return tree
    tag = tree[0]
    if tag == "s":
        return tree[1]
    if tag == "f":
        return float.fromhex(tree[1])
    if tag == "a":
        _, dtype, shape, index = tree
        return np.frombuffer(blobs[index], dtype=np.dtype(dtype)).reshape(shape).copy()
    if tag == "g":
        return np.frombuffer(blobs[tree[2]], dtype=np.dtype(tree[1]))[0]
    if tag == "l":
        return [unpack(item, blobs) for item in tree[1]]
    if tag == "t":
        return tuple(unpack(item, blobs) for item in tree[1])
    if tag == "d":
        return {unpack(k, blobs): unpack(v, blobs) for k, v in tree[1]}
    raise ValueError(f"unknown tag {tag!r}")


_PREFIX = struct.Struct("<4sQ")
_MAGIC = b"GMM1"


def _to_bytes(packed):
    tree, blobs = packed
    header = json.dumps([tree, [len(b) for b in blobs]], separators=(",", ":")).encode()
    return _PREFIX.pack(_MAGIC, len(header)) + header + b"".join(blobs)


def _from_bytes(data):
    magic, length = _PREFIX.unpack_from(data)
    if magic != _MAGIC:
        raise ValueError("not a memo file")
    tree, sizes = json.loads(data[_PREFIX.size : _PREFIX.size + length])
    blobs, position = [], _PREFIX.size + length
    for size in sizes:
        blobs.append(data[position : position + size])
        position += size
    if position != len(data):
        raise ValueError("truncated memo file")
    return tree, blobs


def _disk_get(key):
    folder = _disk["folder"]
    if folder is None:
        return None
    try:
        return _from_bytes((folder / key).read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError, struct.error):  # a torn or foreign file: recompute
        return None


def _disk_put(key, packed):
    folder = _disk["folder"]
    if folder is None or _disk["files"] >= DISK_ENTRIES:
        return
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(_to_bytes(packed))
        os.replace(temporary, folder / key)
        _disk["files"] += 1
    except OSError:
        pass


# -- calling --------------------------------------------------------------------------------


def _unwrapped(value):
    return value.__wrapped__ if type(value) is Memoized else value


def _is_pristine(namespace):
    """False when a function of the module whose namespace (``vars(module)``) this is is not
    the one it had when first seen here (a function swapped in by a check or a hint)."""
    snapshot = _pristine.get(id(namespace))
    if snapshot is None:  # (the namespace is kept with its snapshot, so its id stays its own)
        functions = tuple((k, v) for k, v in namespace.items() if type(v) is types.FunctionType)
        snapshot = _pristine[id(namespace)] = (namespace, functions)
    return all(namespace.get(name) is value for name, value in snapshot[1])


def _is_own(function):
    """True when ``function`` is what its module, unpatched, holds under its name."""
    namespace = getattr(function, "__globals__", None)
    qualname = getattr(function, "__qualname__", "<locals>")
    if namespace is None or "<locals>" in qualname or not _is_pristine(namespace):
        return False
    held = namespace.get(qualname)
    for _ in range(4):  # through decorators (functools.wraps): lru_cache over memoize, say
        if held is function or held is None:
            break
        held = getattr(held, "__wrapped__", None)
    return held is function


def _random_state():
    return random.getstate(), np.random.get_state()


def _same_state(a, b):
    (python_a, (name_a, keys_a, *rest_a)), (python_b, (name_b, keys_b, *rest_b)) = a, b
    return python_a == python_b and name_a == name_b and np.array_equal(keys_a, keys_b) and rest_a == rest_b


@functools.cache
def _seed_default(function):
    """True when ``function`` has a ``seed`` parameter, and (position, default) of it."""
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return None
    for position, parameter in enumerate(parameters):
        if parameter.name == "seed":
            return position, parameter.default
    return None


def _draws_fresh(function, args, kwargs):
    """True when ``seed`` is left at None: by the course's convention, fresh draws each call."""
    seed = _seed_default(function)
    if seed is None:
        return False
    position, default = seed
    value = kwargs["seed"] if "seed" in kwargs else args[position] if position < len(args) else default
    return value is None or value is inspect.Parameter.empty


def call(function, *args, **kwargs):
    """``function(*args, **kwargs)``, or a fresh copy of its result for the same inputs."""
    name = f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', function)}"
    args = tuple(_unwrapped(a) for a in args)
    kwargs = {k: _unwrapped(v) for k, v in kwargs.items()}
    if name in _impure or in_secret_case() or not _is_own(function) or _draws_fresh(function, args, kwargs):
        stats["uncached"] += 1
        return function(*args, **kwargs)
    try:
        key = digest(name, args, kwargs)
    except Uncacheable:
        stats["uncached"] += 1
        return function(*args, **kwargs)
    packed = _memory.get(key)
    if packed is None:
        packed = _disk_get(key)
        if packed is not None:
            _remember(key, packed)
    if packed is not None:
        stats["hits"] += 1
        return _fresh(key, packed)
    stats["misses"] += 1
    before = _random_state()
    result = function(*args, **kwargs)
    try:
        if digest(name, args, kwargs) != key or not _same_state(before, _random_state()):
            _impure.add(name)  # it changed its inputs or drew from global state: never reuse it
            return result
        blobs = []
        packed = (pack(result, blobs), blobs)
    except Uncacheable:
        return result
    if _size(packed) <= MAX_VALUE_BYTES:
        _remember(key, packed)
        _disk_put(key, packed)
    return result


def _size(packed):
    return sum(len(b) for b in packed[1])


def _fresh(key, packed):
    """A fresh copy of the value ``packed`` under ``key``: unpacked once, then copied (``unpack``
    builds every node anew, so the copies share nothing, as the unpacked values did)."""
    value = _objects.get(key)
    if value is None:
        value = _objects[key] = unpack(*packed)
    return plain_copy(value)


def _remember(key, packed):
    while _memory and (len(_memory) >= MEMORY_ENTRIES or _memory_bytes[0] + _size(packed) > MEMORY_BYTES):
        oldest = next(iter(_memory))
        _objects.pop(oldest, None)
        _memory_bytes[0] -= _size(_memory.pop(oldest))
    _memory[key] = packed
    _memory_bytes[0] += _size(packed)


def keep(label, value):
    """Keep ``value`` (plain data, as for ``memoize``) under ``label``, in memory and on disk when a
    folder is configured: a value that is not the result of one call (a check's recorded examples,
    ``checkapi/replay.py``). False when it is of a type this module does not reproduce exactly."""
    blobs: list = []
    try:
        packed = (pack(value, blobs), blobs)
    except Uncacheable:
        return False
    if _size(packed) > MAX_VALUE_BYTES:
        return False
    key = _label_key(label)
    _remember(key, packed)
    _disk_put(key, packed)
    return True


def kept(label):
    """A fresh copy of the value kept under ``label`` (by this process or, on disk, an earlier
    one), or None."""
    key = _label_key(label)
    packed = _memory.get(key)
    if packed is None:
        packed = _disk_get(key)
        if packed is None:
            return None
        _remember(key, packed)
    return _fresh(key, packed)


def _label_key(label):
    return hashlib.sha256(b"kept\0" + label.encode()).hexdigest()


def memoize(function):
    """Decorator: ``function``'s results reused for equal inputs (see the module's docstring)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return call(function, *args, **kwargs)

    wrapper.uncached = function
    return wrapper


class Memoized:
    """A module whose functions' results are reused for equal inputs; other attributes
    (constants, classes) are the module's own."""

    def __init__(self, module):
        object.__setattr__(self, "__wrapped__", module)
        object.__setattr__(self, "_functions", {})
        _is_pristine(vars(module))  # its functions as they are now, before any patch

    def __getattr__(self, name):
        value = getattr(self.__wrapped__, name)
        if type(value) is not types.FunctionType or name.startswith("_"):
            return value
        cached = self._functions.get(name)
        if cached is None or cached.__wrapped__ is not value:
            cached = self._functions[name] = functools.wraps(value)(functools.partial(call, value))
        return cached

    def __setattr__(self, name, value):
        """Set on the module (``support.patched`` swaps functions in and back this way)."""
        if isinstance(value, functools.partial) and value.func is call:
            value = value.__wrapped__  # restoring what __getattr__ handed out: the function itself
        setattr(self.__wrapped__, name, value)

    def __delattr__(self, name):
        delattr(self.__wrapped__, name)

    def __dir__(self):
        return dir(self.__wrapped__)

    def __repr__(self):
        return f"<memoized {self.__wrapped__!r}>"
