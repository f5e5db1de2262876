"""Calling a student's functions across the sandbox boundary.

``Sandbox(assignment, source)`` stands for one student module; ``Host(sources)`` runs
the modules of one submission in one child, with ``host.sandbox(assignment)`` for each.
``sandbox.call(name, *args, **kwargs)`` runs the function in the child and returns its result as
plain data (``float``, ``int``, ``str``, ``bool``, ``None``, ``list``, ``tuple``,
``dict``, base ``np.ndarray`` and numpy scalars, or ``wire.Unsupported``), or raises
``StudentError`` with a message for the student. A child that crashes, exits or times
out is replaced by a fresh one on the next call; a function that timed out or killed
the child is not called again.
"""

import dataclasses
import os
import shutil
from pathlib import Path

from grader.sandbox import tempdirs, wire
from grader.sandbox.clock import INTERVAL
from grader.sandbox.process import Child, Limits, isolation_level

DEFAULT_LIMITS = Limits()  # frozen: one shared default


class StudentError(Exception):
    """The student's code did not produce a value; ``str()`` is the student-facing text.

    ``kind`` is one of ``not_submitted``, ``import``, ``missing``, ``not_implemented``,
    ``exception``, ``timeout``, ``crash``, ``output``, ``skipped``.
    """

    def __init__(self, kind, message, traceback="", printed=""):
        super().__init__(message)
        self.kind, self.message, self.traceback, self.printed = kind, message, traceback, printed
        self.inputs = ""  # the call that raised, described (set by the runner's StudentModule)

    def feedback(self):
        text = self.message
        if self.inputs:
            text += f"\nCalled as {self.inputs}."
        if self.traceback:
            text += "\nWhere, in your code:\n" + self.traceback.rstrip()
        if self.printed:
            text += "\nYour code printed:\n" + self.printed[:1000].rstrip()
        return text


# A hostile child can write its own reply frames (the pipe is its file descriptor), so
# the texts in a reply are capped and made encodable here, not only in child.py: an
# 8 MB message would be copied into every check's output, and a lone surrogate
# ("\ud800", valid in JSON) made writing report.html raise UnicodeEncodeError.
MAX_MESSAGE, MAX_TRACEBACK, MAX_PRINTED = 2000, 4000, 4000


def _text(value, limit, keep_end=False):
    """``str(value)`` cut to ``limit`` characters, with anything UTF-8 cannot encode replaced."""
    text = str(value)
    text = text[-limit:] if keep_end else text[:limit]
    return text.encode("utf-8", "replace").decode("utf-8")


POLL_MS = round(INTERVAL * 1000)  # milliseconds between looks at a silent child's clock


class _Timeout(Exception):
    pass


class _Same:
    """``Sandbox.call_many``'s answer for a call whose reply frame is, byte for byte, the one
    it was told to expect: the value that frame holds (decode it when you need it)."""

    __slots__ = ()

    def __repr__(self):
        return "SAME"


SAME = _Same()


class _ChildGone(Exception):
    pass


def call_frame(function, args, kwargs, keep=None):
    """The request frame of one call of a ``call_many`` round trip (``wire.encode_trusted``).
    ``keep``: the keys of a dict answer the grader reads; when the answer is a dict that holds
    them all, the child sends only those (a backward pass's ``dZl``/``dAl``, which SPEC section 2
    says the grader ignores, are most of its bytes)."""
    request = {"function": function, "args": list(args), "kwargs": dict(kwargs)}
    if keep:
        request["keep"] = list(keep)
    return wire.encode_trusted(request)


def frame_call(frame):
    """``(args, kwargs)`` of a ``call_frame`` (copies: a pickle of the grader's own, read back
    as plain data only, ``wire.read_plain``: the frame may come from a trace kept on disk)."""
    item = wire.read_plain(frame)
    return tuple(item["args"]), item["kwargs"]


class Host:
    """The sandbox child that one submission's modules share.

    Each module is imported in it on first use. A child that had to be stopped (a
    timeout, a crash) is replaced on the next call by a fresh one, in which the modules
    are imported again as they are used. One child per submission rather than one per
    module saves starting Python and numpy four times (0.15 s of CPU each); the modules
    are the same student's, so sharing a process exposes nobody else's work.
    """

    def __init__(self, sources, isolation="auto", limits=DEFAULT_LIMITS):
        """``sources``: ``{assignment id: module source}``, written as ``<id>.py``."""
        self.isolation = isolation_level(isolation)
        # RLIMIT_CPU is per process: each module keeps the CPU time it would have alone.
        self.limits = dataclasses.replace(limits, cpu_seconds=limits.cpu_seconds * max(1, len(sources)))
        self.dir = Path(tempdirs.make("submission"))
        for assignment, source in sources.items():
            (self.dir / f"{assignment}.py").write_text(source, encoding="utf-8")
            os.chmod(self.dir / f"{assignment}.py", 0o644)
        os.chmod(self.dir, 0o755)
        self.child = None
        self.imported = set()  # the modules imported in the running child
        self.pending = None  # the module whose import was requested and not yet answered
        self.pending_clock = None  # the child's clock since that request
        self.members = {}  # assignment id -> its Sandbox

    def sandbox(self, assignment, **options):
        """The ``Sandbox`` of one of this host's modules (``options``: see ``Sandbox``)."""
        self.members[assignment] = Sandbox(assignment, host=self, **options)
        return self.members[assignment]

    def start(self, module=None):
        """Start the child if none runs, and request ``module``'s import without waiting
        for it, so that start-up overlaps the grader's own work."""
        if self.child is None:  # (discard() has emptied imported and pending)
            self.child = Child(self.dir, self.isolation, self.limits)
        if module is not None and self.pending is None and module not in self.imported:
            self.pending, self.pending_clock = module, self.child.clock(sleep=False)
            try:
                wire.write_frame(self.child.to_child, {"op": "import", "module": module}, trusted=True)
            except OSError:
                pass  # the child is gone; reading its reply will say so

    def discard(self, grace=0.0):
        """Stop the child; return why it ended, in words."""
        if self.child is None:
            return "it was not running"
        child, self.child, self.imported, self.pending, self.pending_clock = self.child, None, set(), None, None
        child.stop(grace)
        return child.exit_reason()

    def close(self):
        """Stop the child and remove the module files."""
        self.discard()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Sandbox:
    """One student module, run in its host's sandbox child (started on first use)."""

    def __init__(
        self,
        assignment,
        source=None,
        *,
        host=None,
        filename=None,
        isolation="auto",
        limits=DEFAULT_LIMITS,
        import_timeout=10.0,
        call_timeout=2.0,
        total_timeout=30.0,
    ):
        """Give ``source`` for a module with a child of its own, or the ``host`` it shares
        (``Host.sandbox`` does that; closing the host closes its sandboxes)."""
        self.assignment = assignment
        self.filename = filename or f"{assignment}.py"
        self._own_host = host is None
        if host is None:
            host = Host({assignment: source}, isolation, limits)
            host.members[assignment] = self
        self.host, self.isolation = host, host.isolation
        # A call of one student function gets call_timeout (the reference takes milliseconds,
        # a loop-based version a little more); a call_many round trip that many per call.
        self.import_timeout, self.call_timeout = import_timeout, call_timeout
        # Per-call timeouts alone let a module that takes just under the limit on every call
        # hold the grader for minutes (80 calls x 4.9 s); all waits share this budget.
        self.total_timeout, self._waited = total_timeout, 0.0
        self._functions = None
        self._import_error = None
        self._banned = {}  # function name -> why it is not called again
        self.reply_bound = None  # more than ``hints._nbytes`` counts for any value of the last reply
        self.replies = []  # the last ``call_many``'s reply frames (see there)

    # -- public API -------------------------------------------------------------------

    def functions(self):
        """The names of the public callables the student's module defines."""
        self._ensure_child()
        return set(self._functions)

    def call(self, function, *args, timeout=None, patch=None, **kwargs):
        """Call ``function`` of the student's module on plain arguments (with the grader's
        ``patch`` functions set on the module for this call only)."""
        if "helper" in kwargs:  # the child no longer runs the grader's loops (see call_many)
            raise TypeError("helper= is not supported: drive the loop from the grader with call_many")
        self._ensure_child()
        reason = self._refusal(function)
        if reason is not None:
            raise reason
        request = {
            "op": "call",
            "module": self.assignment,
            "function": function,
            "args": list(args),
            "kwargs": kwargs,
            "patch": patch or {},
        }
        budget = timeout if timeout is not None else self.call_timeout
        reply = self._round_trip(request, budget, [function])
        return self._unwrap(reply, f"`{function}`")

    def call_many(self, calls, timeout=None, patch=None, frames=None, expected=None):
        """Several independent calls in one round trip: ``calls`` is a list of
        ``(function, args, kwargs)``; returns one item per call, in order, each the
        call's value or the ``StudentError`` it ended with (returned, not raised).

        Each call runs the student's function once on the grader's arguments; nothing
        is chained in the child. ``timeout`` (default: the per-call timeout) is per call;
        the round trip may take ``timeout`` times the number of calls. When the round
        trip as a whole fails (a timeout, a crash), every call of it gets that error.
        ``patch`` (as for ``call``) applies to every call of the round trip. ``frames``, one
        per call, may hold a call's request already encoded (``call_frame``; its ``args`` and
        ``kwargs`` are then not looked at) or None.

        ``expected``, one per call, may hold the bytes of a reply frame (an earlier one of
        ``replies``): a call whose reply is those bytes gets ``SAME`` instead of its value,
        which is not decoded. After the call, ``replies`` holds each call's reply frame (bytes,
        or None for a call that got no reply of its own)."""
        self.replies = [None] * len(calls)
        if not calls:
            return []
        self._ensure_child()
        results, items, indices, sent = [None] * len(calls), [], [], []  # items: the functions sent
        for index, (function, args, kwargs) in enumerate(calls):
            reason = self._refusal(function)
            if reason is not None:
                results[index] = reason
                continue
            items.append(function)
            indices.append(index)
            # Each call's arguments as a frame of their own: calls that share an object (the runs
            # of a lockstep step share their data set) get copies of it apart, as in calls of their own.
            frame = frames[index] if frames is not None else None
            sent.append(frame if frame is not None else call_frame(function, args, kwargs))
        if not items:
            return results
        names = list(dict.fromkeys(items))
        budget = (timeout if timeout is not None else self.call_timeout) * len(items)
        awaited = [expected[index] if expected is not None else None for index in indices]
        try:
            replies = self._round_trip(
                {"op": "call_many", "module": self.assignment, "calls": sent, "patch": patch or {}},
                budget,
                names,
                finish=lambda reply, blobs: self._replies(reply, blobs, awaited, indices),
            )
            if isinstance(replies, dict):  # the round trip as a whole failed: raises
                replies = self._unwrap(replies, f"`{'`, `'.join(names)}`")
        except StudentError as error:
            replies = [error] * len(items)
        if not isinstance(replies, list) or len(replies) != len(items):
            gone = StudentError(
                "crash", "The process that runs your code answered in a format the grader does not know."
            )
            replies = [gone] * len(items)
        for index, function, reply in zip(indices, items, replies):
            if reply is SAME or isinstance(reply, StudentError):
                results[index] = reply
            elif not isinstance(reply, dict) or "ok" not in reply:
                results[index] = StudentError(
                    "crash", "The process that runs your code answered in a format the grader does not know."
                )
            else:
                try:
                    results[index] = self._unwrap(reply, f"`{function}`")
                except StudentError as error:
                    results[index] = error
        return results

    def _replies(self, reply, blobs, expected, indices):
        """The calls' replies of a ``call_many`` reply (``wire.encode_replies``): one dict
        each, or ``SAME`` where the frame is the ``expected`` bytes; ``reply`` itself when the
        round trip failed as a whole, None when the calls' frames are not there as announced.
        Each frame goes in ``replies``, at its call's index of ``indices``."""
        if reply["ok"] is not True:
            return reply
        try:
            frames = wire.split_replies(reply, blobs, len(expected))
        except wire.WireError:
            return None
        # (``reply_bound`` as ``_receive`` counts it for one frame, summed over the calls' frames)
        bound, out = self.reply_bound - len(blobs), []
        try:
            for (frame, header_size, blobs_size), awaited in zip(frames, expected):
                bound += 100 * header_size + blobs_size
                out.append(SAME if awaited is not None and frame == awaited else wire.read_bytes(frame))
        except wire.WireError as error:
            raise _ChildGone(f"Its answer could not be read: {error}.") from None
        self.reply_bound = bound
        for index, (frame, _, _) in zip(indices, frames):
            self.replies[index] = frame
        return out

    def _refusal(self, function):
        """The ``StudentError`` a call of ``function`` ends with before it is sent, or None."""
        if function in self._banned:
            return StudentError("skipped", self._banned[function])
        if function not in self._functions:
            return StudentError("missing", f"{self.filename} does not define a function `{function}`.")
        return None

    def _round_trip(self, request, budget, functions, finish=None):
        """Send ``request`` and return the child's reply frame (``finish(reply, blobs)`` of it,
        when given: it may raise ``_ChildGone``); a timeout or a crash bans ``functions`` (the
        names it called) and raises ``StudentError``."""
        key = "`, `".join(functions)
        exhausted = (
            f"`{key}` was not called: your module has used up the {self.total_timeout:g} s "
            "it may run in all (calls that each take seconds?)."
        )
        remaining = self.total_timeout - self._waited
        if remaining <= 0:
            raise StudentError("timeout", exhausted)
        try:
            if finish is None:
                return self._exchange(request, min(budget, remaining))
            return finish(*self._exchange(request, min(budget, remaining), with_blobs=True))
        except _Timeout:
            self._discard_child()
            if remaining < budget:
                for function in functions:
                    self._banned[function] = exhausted
                raise StudentError(
                    "timeout",
                    f"`{key}` was stopped: your module has used up the "
                    f"{self.total_timeout:g} s it may run in all (calls that each "
                    "take seconds?).",
                ) from None
            for function in functions:
                self._banned[function] = (
                    f"`{function}` was not called again: it did not finish within {budget:g} s in an earlier check."
                )
            raise StudentError(
                "timeout",
                f"`{key}` did not finish within {budget:g} s and was stopped "
                "(an infinite loop, or far too much work?).",
            ) from None
        except _ChildGone as gone:
            reason = self._discard_child(grace=1.0)
            for function in functions:
                self._banned[function] = f"`{function}` was not called again: it ended the grading process earlier."
            raise StudentError(
                "crash", f"Calling `{key}` ended the process that runs your code: {reason}. {gone}".strip()
            ) from None

    def close(self):
        """Stop the child and remove the files, when this sandbox has a host of its own."""
        if self._own_host:
            self.host.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- the child --------------------------------------------------------------------

    def start(self):
        """Start the child and request this module's import without waiting for them."""
        if self._import_error is None:
            self.host.start(self.assignment)

    def _ensure_child(self):
        """Import the module in the host's child (starting one) unless it is imported."""
        if self._import_error is not None:
            raise self._import_error
        host = self.host
        if host.child is not None and self.assignment in host.imported:
            return
        if host.pending not in (None, self.assignment):  # another module's import comes first
            try:
                host.members[host.pending]._ensure_child()
            except StudentError:
                pass  # that module's own problem, reported with its checks
        host.start(self.assignment)  # a child (a fresh one, if need be), and the import request
        clock, host.pending, host.pending_clock = host.pending_clock, None, None
        try:
            reply = self._receive(self.import_timeout, clock)
            functions = self._unwrap(reply, f"Importing {self.filename}", importing=True)
        except _Timeout:
            self._discard_child()
            self._import_error = StudentError(
                "import",
                f"Importing {self.filename} did not finish within {self.import_timeout:g} s "
                "(top-level code that trains, loops or waits?). No function could be graded.",
            )
            raise self._import_error from None
        except (_ChildGone, BrokenPipeError):
            reason = self._discard_child(grace=1.0)
            self._import_error = StudentError(
                "import",
                f"Importing {self.filename} ended the process that runs your code: {reason}. "
                "No function could be graded.",
            )
            raise self._import_error from None
        except StudentError as error:  # what ran of it may have broken the child: a fresh one for the rest
            self._discard_child()
            self._import_error = error
            raise
        if not (isinstance(functions, list) and all(isinstance(f, str) for f in functions)):
            functions = []
        host.imported.add(self.assignment)
        self._functions = set(functions)

    def _discard_child(self, grace=0.0):
        return self.host.discard(grace)

    def _exchange(self, request, budget, with_blobs=False):
        # The child's clock starts once the request is written (the child waits for it, using
        # no time), or as soon as its pipe is found full (then it stopped reading: its own doing).
        clock = None
        try:
            clock = self._send(request, budget) or self.host.child.clock()
            reply = self._receive(budget, clock, counted=True, with_blobs=with_blobs)
        except BaseException:
            if clock is not None:
                self._waited += clock.elapsed()
            raise
        self._waited += clock.until_answer()
        return reply

    def _send(self, request, budget):
        """Write a request within the budget: a child that stops reading its pipe (it
        may close or replace the descriptor) must not block the grader on a full pipe.
        (The pipe is non-blocking and holds 1 MiB: a request usually goes in one write.)
        Returns the child's clock when one was started (the pipe was full), else None."""
        child = self.host.child
        view = memoryview(wire.encode_trusted(request))
        clock = None
        try:
            while view:
                try:
                    view = view[os.write(child.to_child, view) :]
                    continue
                except BlockingIOError:
                    pass
                if clock is None:  # its pipe is full: it stopped reading, its own doing
                    clock = child.clock()
                while not child.writable.poll(POLL_MS):
                    if clock.expired(budget):
                        raise _Timeout()
                    if child.popen.poll() is not None:
                        raise _ChildGone("")
                if clock.expired(budget):
                    raise _Timeout()
            return clock
        except OSError:  # EPIPE: the child is gone
            raise _ChildGone("") from None

    def _receive(self, budget, clock=None, counted=False, with_blobs=False):
        """Read one reply within ``budget`` seconds of the child's ``clock`` (``clock.py``:
        its CPU time and idle time, which the machine's load does not change); with
        ``with_blobs``, ``(reply, blobs)`` (``wire.read_frame``)."""
        child = self.host.child
        if clock is None:
            clock = child.clock()
        elif not counted:  # an import requested earlier: the child may have answered long ago
            clock.switch(sleep=True)

        def read_exact(n):
            # The child's sleep counts while the grader waits for data, not while it reads:
            # a large answer blocks the child until the grader has read it. Two reads take a
            # whole frame that is there: its prefix, then the rest (read_frame's own reads).
            chunks, left = [], n
            while left:
                try:
                    chunk = os.read(child.from_child, left)
                except BlockingIOError:
                    chunk = None
                if chunk is None:  # nothing there yet: wait, looking at the clock now and then
                    if chunks and not clock.counts_sleep:  # it stopped in the middle of its answer
                        clock.switch(sleep=True)
                    while not child.readable.poll(POLL_MS):  # an answer that is there is read, even late
                        if not clock.counts_sleep:
                            clock.switch(sleep=True)
                        if clock.expired(budget):
                            raise _Timeout()
                        if child.popen.poll() is not None:  # exited; its forks may hold the pipe
                            raise _ChildGone("")
                    continue
                if not chunk:
                    raise _ChildGone("")
                chunks.append(chunk)
                left -= len(chunk)
                if clock.counts_sleep:
                    clock.switch(sleep=False)
                if left and clock.expired(budget):
                    raise _Timeout()
            data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
            read.append(data)
            return data

        read: list = []  # the frame's parts: its prefix, then its header and blobs together
        try:
            reply, blobs = wire.read_frame(read_exact, with_blobs=True)
            _, header_size, blobs_size = wire.PREFIX.unpack(read[0])
            # more than ``hints._nbytes`` can count for any value of this reply: a JSON item takes
            # at least 2 bytes of the header and counts at most 96; an array counts its own bytes
            self.reply_bound = 100 * header_size + blobs_size
        except wire.WireError as error:
            raise _ChildGone(f"Its answer could not be read: {error}.") from None
        finally:
            if not counted:
                self._waited += clock.elapsed()
        if not isinstance(reply, dict) or "ok" not in reply:
            raise _ChildGone("Its answer was not in the grader's format.")
        return (reply, blobs) if with_blobs else reply

    def _unwrap(self, reply, what, importing=False):
        printed = _text(reply.get("printed"), MAX_PRINTED) if isinstance(reply.get("printed"), str) else ""
        if reply["ok"] is True:
            return reply.get("value")
        error = reply.get("error") if isinstance(reply.get("error"), dict) else {}
        kind = error.get("kind") if error.get("kind") in ("not_implemented", "exception", "output") else "exception"
        message = _text(error.get("message", "an unknown error"), MAX_MESSAGE)
        traceback = _text(error.get("traceback", ""), MAX_TRACEBACK, keep_end=True)
        if importing:
            raise StudentError("import", f"{what} raised {message}. No function could be graded.", traceback, printed)
        if kind == "not_implemented":
            inner = _text(error.get("function", ""), 100)
            if inner and f"`{inner}`" != what and inner.isidentifier():  # raised in a function it called
                what = f"`{inner}` (called by {what})"
            raise StudentError(kind, f"{what} is not implemented yet (it raises NotImplementedError).")
        if kind == "output":
            raise StudentError(kind, f"{what} returned a value that cannot be graded: {message}", "", printed)
        raise StudentError(kind, f"{what} raised {message}", traceback, printed)
