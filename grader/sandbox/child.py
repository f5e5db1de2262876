"""The sandbox child: imports a submission's modules and calls their functions on request.

Runs in its own process (see ``process.py``), never in the grader's. It reads request
frames on one inherited pipe and writes reply frames on another (format in ``wire.py``, loaded from
this file's folder). Started as::

    python -P -s -S -B child.py '{"paths": [...], "submission": DIR, "fds": [IN, OUT], "limits": {...}}'

or forked by the fork server (``forkserver.py``), which calls ``main`` with that set-up.

The argument is the set-up: the import path (submission, helpers, numpy's site folder),
the submission folder (one ``<assignment>.py`` per module), the pipe ends and the
resource limits.
Requests, each answered by ``{"ok": True, "value": ...}`` or
``{"ok": False, "error": {"kind", "type", "message", "traceback"}}``:

- ``{"op": "import", "module": ID}`` -> the names of the module's public callables;
- ``{"op": "call", "module": ID, "function": NAME, "args": [...], "kwargs": {...}}``, optionally
  with ``"patch": {NAME: SOURCE}`` (functions compiled from the grader's source and set
  on the student module for this call only);
- ``{"op": "call_many", "module": ID, "calls": [frame, ...], "patch": {...}}`` (each ``frame`` the
  bytes of a frame of a dict with the keys of one ``call`` request, ``function``, ``args`` and
  ``kwargs``; the ``patch`` applies to every one) -> one ``{"ok": ..., "value"/"error": ...}`` per
  call, in order, each in a frame of its own (``wire.encode_replies``): independent calls of
  the student's functions in one round trip. Nothing is chained here: each call gets the
  grader's arguments, never another call's result.

Only the standard library, numpy and the provided helpers are importable here.
"""

import functools
import importlib.util
import io
import json
import os
import signal
import sys
import traceback

IN_FD, OUT_FD = 3, 4  # replaced by the set-up's "fds"
MAX_PRINTED = 4000


class CappedText(io.TextIOBase):
    """A stdout/stderr that keeps the first ``MAX_PRINTED`` characters and drops the rest."""

    def __init__(self):
        self.parts, self.size = [], 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        if self.size < MAX_PRINTED:
            self.parts.append(text[: MAX_PRINTED - self.size])
        self.size += len(text)
        return len(text)

    def take(self):
        text = "".join(self.parts)
        if self.size > MAX_PRINTED:
            text += f"\n... ({self.size - MAX_PRINTED} more characters not shown)"
        self.parts, self.size = [], 0
        return text


def read_exact(n):
    chunks, left = [], n
    while left:
        chunk = os.read(IN_FD, min(left, 1 << 20))
        if not chunk:
            os._exit(0)  # the grader closed the pipe: nothing more to do
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def describe(exc, submission):
    """The exception in words, with the traceback trimmed to the student's own lines."""
    try:
        text = f"{type(exc).__name__}: {exc}"
    except Exception:  # str() of a student's exception may itself fail
        text = type(exc).__name__
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(submission)]
    for frame in frames:
        frame.filename = os.path.basename(frame.filename)
    trimmed = "".join(traceback.format_list(frames[-8:]))
    kind = "not_implemented" if isinstance(exc, NotImplementedError) else "exception"
    return {
        "kind": kind,
        "type": type(exc).__name__,
        "message": text[:2000],
        "traceback": trimmed[-4000:],
        "function": frames[-1].name[:100] if frames else "",
    }  # the student's function it came from


def main(setup=None):
    """Serve requests until the grader closes the pipe; ``setup`` (else the command line's):
    see the module's docstring."""
    global IN_FD, OUT_FD
    setup = json.loads(sys.argv[1]) if setup is None else setup
    IN_FD, OUT_FD = setup["fds"]
    import resource

    for name, value in setup["limits"].items():  # before any student code; inherited by forks
        resource.setrlimit(getattr(resource, name), (value, value))
    sys.path[:0] = [os.path.dirname(os.path.abspath(__file__)), *setup["paths"]]
    import allocator  # beside this file, as wire.py
    import wire  # it imports numpy

    allocator.tune()  # the grader's malloc settings, before any student code

    submission = setup["submission"]

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = sys.stderr = printed = CappedText()
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a full file raises OSError, not a kill

    modules = {}  # name -> the imported student module
    settings = ModuleSettings()
    while True:
        request = wire.read_frame(read_exact, trusted=True)  # the grader's: may be a pickle
        try:
            name = request["module"]
            settings.switch_to(name)
            if request["op"] == "import":
                modules[name] = module = import_module(submission, name)
                value = sorted(attr for attr, obj in vars(module).items() if callable(obj) and not attr.startswith("_"))
            elif request["op"] == "call_many":
                patch = request.get("patch", {})  # for every call of the request
                value = [
                    one_of_many(modules[name], {"patch": patch, **wire.read_bytes(frame, trusted=True)}, submission)
                    for frame in request["calls"]
                ]
            else:
                value = call(modules[name], request)
            reply = {"ok": True, "value": value}
        except BaseException as exc:  # the student's code may raise anything, SystemExit too
            reply = {"ok": False, "error": describe(exc, submission)}
        reply["printed"] = printed.take()
        try:
            if reply["ok"] and request["op"] == "call_many":  # each call's reply in a frame of its own
                frame = wire.encode_replies(reply["value"], reply["printed"])
            else:
                frame = wire.encode(reply, packed=True)
        except Exception as exc:  # e.g. an answer too large to send
            frame = wire.encode(
                {
                    "ok": False,
                    "printed": reply["printed"],
                    "error": {"kind": "output", "type": type(exc).__name__, "message": str(exc), "traceback": ""},
                }
            )
        view = memoryview(frame)
        while view:
            view = view[os.write(OUT_FD, view) :]


class ModuleSettings:
    """Process-wide settings a module may change and rely on: numpy's floating-point error
    handling, numpy's global random state, the warning filters, the recursion limit.

    The modules of a submission share this process (``session.Host``); each one gets the
    settings it would have in a process of its own: the pristine ones when it is imported,
    then whatever its own code made of them. (``np.seterr(all="raise")`` left at the top of
    one notebook does not make another assignment's training run fail.)"""

    def __init__(self):
        self.current, self.saved = None, {}
        self.pristine = self.capture()

    @staticmethod
    def capture():
        import warnings

        import numpy as np

        return np.geterr(), np.random.get_state(), list(warnings.filters), sys.getrecursionlimit()

    @staticmethod
    def restore(settings):
        import warnings

        import numpy as np

        errors, random_state, filters, recursion_limit = settings
        np.seterr(**errors)
        np.random.set_state(random_state)
        warnings.filters[:] = filters
        getattr(warnings, "_filters_mutated", lambda: None)()  # the C side caches the filters
        sys.setrecursionlimit(recursion_limit)

    def switch_to(self, name):
        if name == self.current:
            return
        try:
            if self.current is not None:
                self.saved[self.current] = self.capture()
            self.restore(self.saved.get(name, self.pristine))
        except Exception:  # a module broke numpy or warnings for itself: it keeps the breakage
            pass
        self.current = name


def import_module(submission, name):
    """Import ``<submission>/<name>.py`` as module ``name``; on an error it is not kept."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(submission, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


@functools.lru_cache(maxsize=64)
def compiled(name, source):
    """The grader's patch ``source`` compiled (the same few are sent again and again)."""
    return compile(source, f"<grader: {name}>", "exec")


def one_of_many(module, item, submission):
    """The reply of one call of a ``call_many`` request (its own error, if it raised)."""
    try:
        return {"ok": True, "value": call(module, item)}
    except BaseException as exc:  # noqa: BLE001 - the student's code may raise anything
        return {"ok": False, "error": describe(exc, submission)}


def call(module, request):
    saved = {}
    for name, source in request.get("patch", {}).items():
        namespace = {"np": sys.modules.get("numpy")}
        exec(compiled(name, source), namespace)
        saved[name] = getattr(module, name, None)
        setattr(module, name, namespace[name])
    try:
        value = getattr(module, request["function"])(*request["args"], **request["kwargs"])
    finally:
        for name, original in saved.items():
            setattr(module, name, original)
    keep = request.get("keep")
    if (  # only the keys the grader reads, of a dict it could read (string keys: another crosses as unsupported)
        keep
        and type(value) is dict
        and all(key in value for key in keep)
        and all(type(key) is str for key in value)
        and sys.modules["wire"].RESERVED.isdisjoint(value)
    ):
        keep = set(keep)
        value = {key: item for key, item in value.items() if key in keep}
    return value


if __name__ == "__main__":
    main()
