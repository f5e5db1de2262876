"""Running check modules in the grader's own process, and turning each check into a
``CheckOutcome``: pytest collects them (once per process, ``run_checks``), the grader runs them
(``GradingPlugin.run_direct``).

A check module sets ``ASSIGNMENT = "<id>"`` and defines ``check_*`` functions marked
with ``support.grading(function, name, points)``; its points add up to 100. Checks
ask for these fixtures:

``student``
    the student's module behind the sandbox: ``student.f(x)`` calls ``f`` in the child
    and returns plain data or raises ``StudentError``; ``student.call(name, *args,
    timeout=, patch=, **kwargs)`` for the options, ``student.call_many([(name, args,
    kwargs), ...])`` for independent calls in one round trip (see ``sandbox/session.py``).
``reference``
    the reference solution module (hidden checks only).
``expected``
    the public checks' stored expected values, ``{case name: value}`` (public checks
    only; see ``grader/public/build.py``).
``figures``
    a list to append ``results.Figure`` objects to, shown in the student's report.

Fail closed: a check scores its points only when its test ran and passed. Any other
end (a failed assertion, the student's error, a skip, an error in the check itself, a
test that never ran) scores 0.
"""

import builtins
import contextlib
import functools
import inspect
import io
import os
from contextlib import contextmanager
from pathlib import Path

import pytest

from grader import paths
from grader.checkapi import replay, support  # hypothesis and its profile, before pytest runs
from grader.course import POINTS as POINTS_PER_ASSIGNMENT
from grader.pipeline import blame, hints
from grader.pipeline.grading import GraderFailure
from grader.pipeline.inputs import describe_call
from grader.pipeline.reference import load_reference
from grader.results import CheckOutcome, check_id
from grader.sandbox.session import SAME, StudentError, frame_call

_INI = Path(__file__).with_name("pytest.ini")


class StudentModule:
    """The student's module for one assignment, as the checks see it."""

    def __init__(self, assignment, sandbox=None, missing_reason=None):
        self.assignment, self._sandbox = assignment, sandbox
        self._missing = missing_reason or f"{assignment} was not submitted."
        self.log = hints.CallLog()  # the current check's calls, for hints on a failure
        self.uses = ()  # the current check's ``uses=``: the reference's stand in for them (see blame.py)
        self.recorder = None  # a ``transcripts.Recorder`` while hypothesis runs a check
        self.prefill = None  # calls made already, to answer hypothesis's first calls with (transcripts.py)

    def new_check(self, uses=()):
        """Forget the calls of the previous check; take the next one's ``uses=``."""
        self.log.clear()
        self.uses = tuple(uses)

    def call(self, function, *args, **kwargs):
        if self._sandbox is None:
            raise StudentError("not_submitted", self._missing)
        if self.uses:
            kwargs["patch"] = {**blame.stand_ins(self.assignment, self.uses), **(kwargs.get("patch") or {})}
        if self.prefill:
            return self._prefilled(function, args, kwargs)
        try:
            result = self._sandbox.call(function, *args, **kwargs)
        except StudentError as error:
            if error.kind in ("exception", "timeout", "crash", "output"):
                options = {k: v for k, v in kwargs.items() if k not in ("patch", "helper", "timeout")}
                error.inputs = describe_call(self.assignment, function, args, options, kwargs.get("helper"))
            self._spoil_recording()
            raise
        return self._answered(function, args, kwargs, result, self._reply_was_small())

    def _answered(self, function, args, kwargs, result, small):
        """``result``, the answer to a call, logged for the hints and taken by the recorder."""
        self.log.record(function, args, kwargs, result, small=small)
        if self.recorder is not None:
            self.recorder.took(*self.log.last())
        return result

    def _spoil_recording(self):
        """A call the recorder cannot keep was made: hypothesis's run of this check is not kept."""
        if self.recorder is not None:
            self.recorder.spoil()

    def _prefilled(self, function, args, kwargs):
        """The next of ``prefill``'s calls, made already while a transcript was followed: the
        very call hypothesis makes now (else our bug), answered as it was."""
        from grader.checkapi.memo import Uncacheable, digest

        made, sent, got, small = self.prefill.popleft()
        try:
            same = made == function and sent == digest(function, args, kwargs)
        except Uncacheable:
            same = False
        if not same:
            raise RuntimeError(f"hypothesis called `{function}` where a transcript of it had `{made}`")
        if isinstance(got, StudentError):
            self._spoil_recording()
            raise got
        return self._answered(function, args, kwargs, got, small)

    def _reply_was_small(self):
        """The last reply held at most ``hints.MAX_KEPT_BYTES`` (``Sandbox.reply_bound``): its
        values need not be counted again to be kept."""
        bound = getattr(self._sandbox, "reply_bound", None)
        return bound is not None and bound <= hints.MAX_KEPT_BYTES

    sends_frames = True  # call_many takes requests already encoded (lockstep's traces)

    def call_many(self, calls, timeout=None, frames=None, expected=None):
        """Independent calls ``[(function, args, kwargs), ...]`` in one round trip; one item
        per call, its value or its ``StudentError`` (see ``Sandbox.call_many``). The check's
        ``uses=`` stand-ins are patched in for every call, as for ``call``. ``frames``,
        ``expected`` (and ``replies()`` after): see ``Sandbox.call_many`` (a call sent as a
        frame may come with None for its arguments)."""
        if self._sandbox is None:
            return [StudentError("not_submitted", self._missing) for _ in calls]
        if self.prefill:
            raise RuntimeError("hypothesis made a call_many where a transcript of it had one call")
        self._spoil_recording()
        patch = blame.stand_ins(self.assignment, self.uses) if self.uses else None
        results = self._sandbox.call_many(calls, timeout=timeout, patch=patch, frames=frames, expected=expected)
        small = self._reply_was_small()
        for index, ((function, args, kwargs), result) in enumerate(zip(calls, results)):
            frame = frames[index] if frames is not None else None
            if result is SAME:  # (its value is read from the reply frame only if a hint looks at it)
                self.log.record_sent(function, frame, hints.Replied(expected[index]), small=small)
            elif not isinstance(result, StudentError):
                if frame is not None:
                    self.log.record_sent(function, frame, result, small=small)
                else:
                    self.log.record(function, args, kwargs, result, copy_values=False, small=small)
            elif result.kind in ("exception", "timeout", "crash", "output") and not result.inputs:
                if frame is not None:
                    args, kwargs = frame_call(frame)
                result.inputs = describe_call(self.assignment, function, args, kwargs)
        return results

    def replies(self):
        """The reply frames of the last ``call_many``'s calls (``Sandbox.call_many``)."""
        return self._sandbox.replies if self._sandbox is not None else []

    def unavailable(self):
        """The ``StudentError`` every call would raise (not submitted, import failed), or None."""
        if self._sandbox is None:
            return StudentError("not_submitted", self._missing)
        try:
            self._sandbox.functions()
        except StudentError as error:
            return error
        return None

    def __getattr__(self, function):
        if function.startswith("_"):
            raise AttributeError(function)
        return lambda *args, **kwargs: self.call(function, *args, **kwargs)

    def __repr__(self):
        return f"<your {self.assignment} module>"


_GROUPS = tuple(getattr(builtins, name) for name in ("BaseExceptionGroup",) if hasattr(builtins, name))  # 3.11+


def _leaf(exc):
    while isinstance(exc, _GROUPS) and exc.exceptions:
        exc = exc.exceptions[0]
    return exc


FIXTURES = ("student", "reference", "expected", "figures", "secret")


def _example(exc):
    """The drawn input of hypothesis's 'Falsifying example' note, if any, in one line."""
    notes = [n for n in getattr(exc, "__notes__", []) if n.startswith("Falsifying example")]
    if not notes:
        return ""
    drawn = [
        line.strip().rstrip(",")
        for line in notes[0].splitlines()[1:]
        if "=" in line and not line.strip().startswith(tuple(f"{f}=" for f in FIXTURES))
    ]
    return f"\nDrawn input: {', '.join(drawn)}." if drawn else ""


def outcome_from_exception(declared, exc):
    leaf = _leaf(exc)
    if isinstance(leaf, support.CheckDecided):
        leaf = leaf.error
    if isinstance(leaf, StudentError):
        example = _example(leaf) if leaf.kind in ("exception", "timeout", "crash", "output") else ""
        return CheckOutcome(**declared, passed=False, message=leaf.feedback() + example)
    if isinstance(leaf, AssertionError):
        return CheckOutcome(**declared, passed=False, message=(str(leaf) or "The check failed.") + _example(leaf))
    return CheckOutcome(
        **declared,
        passed=False,
        grader_error=True,
        message=f"The grader failed on this check; this is our bug, not yours, and the "
        f"course staff will look at it ({type(leaf).__name__}: {leaf}).",
    )


class GradingPlugin:
    """The pytest plugin that reads the checks pytest collects (``pytest_collection_modifyitems``),
    and the runner of those checks: their fixtures, their outcomes."""

    def __init__(self, students, figures=None, submission_sha256=None):
        self._students = students  # assignment id -> StudentModule
        self._sha256 = submission_sha256  # seeds the secret cases (None: no secret case)
        self._figures = figures if figures is not None else {}
        self.declared = {}  # nodeid -> dict(assignment, function, name, points)
        self.uses = {}  # nodeid -> the check's uses= (other functions, the reference's while it runs)
        self.outcomes = {}  # nodeid -> CheckOutcome
        self.broken = {}  # assignment id -> why its checks cannot run
        self._replayed = {}  # nodeid -> the failure of its replayed examples (hypothesis words it)
        self._recording = None  # (transcript key, figures before) while hypothesis runs a check
        self.items = []  # the checks collected, in order

    def fixture(self, name, item):
        """The value of the fixture ``name`` (one of ``FIXTURES``) for the check ``item``."""
        assignment = item.module.ASSIGNMENT
        if name == "student":
            return self._students[assignment]
        if name == "reference":
            from grader.checkapi.memo import Memoized  # the reference's results, reused for equal inputs

            return Memoized(load_reference(assignment))
        if name == "expected":
            from grader.pipeline.reference import load_expected

            return load_expected(assignment)
        if name == "secret":
            from grader.checkapi.secret import SecretCase, case_seed

            return SecretCase(case_seed(self._sha256 or "", self._check_id(item.nodeid)))
        if name == "figures":
            return self._figures.setdefault(assignment, [])
        raise LookupError(f"{item.nodeid} asks for the fixture {name!r}; checks get only {', '.join(FIXTURES)}")

    def _check_id(self, nodeid):
        declared = self.declared[nodeid]
        return f"{declared['assignment']}::{declared['function']}::{declared['name']}"

    def run_replayed(self, item):
        """A hypothesis check runs on its examples, drawn once, without hypothesis's engine
        (``checkapi/replay.py``): True when they all passed. On a failure (None), hypothesis runs
        the check as usual, to shrink the example and word the message."""
        test = item.obj
        if getattr(test, "hypothesis", None) is None or item.nodeid not in self.declared:
            return None
        failure = replay.replay(test, item.nodeid, _inner_arguments(item))
        if failure is None:
            return True
        self._replayed[item.nodeid] = failure
        student = self._students.get(self.declared[item.nodeid]["assignment"])
        if student is not None and hasattr(student, "log"):
            student.log.clear()  # a hint looks at hypothesis's calls alone, as without the replay
        return None

    def _failed(self, item, error):
        """The error a check that raised ``error`` ends with: the replayed example's own when
        hypothesis, running after it, found the student's process gone or the function banned
        (the replay's call broke it: a reply, then an exit, say), else ``error`` itself."""
        replayed = self._replayed.pop(item.nodeid, None)
        leaf = _leaf(error)
        if isinstance(leaf, support.CheckDecided):
            leaf = leaf.error
        if isinstance(replayed, StudentError) and isinstance(leaf, StudentError) and leaf.kind in ("crash", "skipped"):
            return replayed
        return error

    def _passed(self, item):
        test = item.obj
        failure = self._replayed.pop(item.nodeid, None)
        if failure is not None:  # hypothesis passed what the replay failed: results that change
            raise failure
        if self._sha256 is None or getattr(test, "hypothesis", None) is None or item.nodeid not in self.declared:
            return
        from grader.checkapi.secret import case_seed, secret_case
        from grader.checkapi.support import draw_example

        drawn = draw_example(test, case_seed(self._sha256, self._check_id(item.nodeid)))
        shown = ", ".join(f"{k}={v!r}" for k, v in drawn.items())
        with secret_case(shown[:500]):
            test.hypothesis.inner_test(**_inner_arguments(item), **drawn)

    def pytest_collection_modifyitems(self, session, config, items):
        """Read every check's marker. An assignment whose checks are malformed (a check
        without a marker, two with one name, points not adding up to 100) is not run:
        all its checks fail as grader errors, and the other assignments go on."""
        totals, names = {}, set()
        for item in items:
            assignment = getattr(item.module, "ASSIGNMENT", item.path.stem)
            marker = item.get_closest_marker("grading")
            if marker is None:
                self.broken[assignment] = f"{item.nodeid} has no grading marker"
                continue
            declared = dict(assignment=assignment, **marker.kwargs)
            uses = tuple(declared.pop("uses", ()))
            declared["check_id"] = check_id(assignment, item.originalname)  # not in the secret seed
            key = (assignment, declared["function"], declared["name"])
            if key in names:
                self.broken[assignment] = f"two checks are named {'::'.join(key)}"
            if declared["function"] in uses:
                self.broken[assignment] = f"{'::'.join(key)} names its own function in uses="
            names.add(key)
            self.declared[item.nodeid] = declared
            self.uses[item.nodeid] = uses
            totals[assignment] = totals.get(assignment, 0) + declared["points"]
        for assignment, total in totals.items():
            if abs(total - POINTS_PER_ASSIGNMENT) > 1e-9:
                self.broken[assignment] = f"the checks of {assignment} add up to {total:g} points, not 100"
        items[:] = [item for item in items if self.declared.get(item.nodeid, {}).get("assignment") not in self.broken]
        self.items = list(items)

    def _unavailable(self, item):
        """Start the check ``item``; True when its outcome is decided without running it (its
        module cannot run: not submitted, import failed), and recorded."""
        declared = self.declared.get(item.nodeid)
        student = self._students.get(getattr(item.module, "ASSIGNMENT", None))
        if student is not None and hasattr(student, "new_check"):
            student.new_check(self.uses.get(item.nodeid, ()))
        error = student.unavailable() if declared and student is not None else None
        if error is None:
            return False
        self.outcomes[item.nodeid] = CheckOutcome(**declared, passed=False, message=error.feedback())
        return True

    def _record(self, item, error):
        """Record the outcome of the check ``item``, which raised ``error`` (None: it passed)."""
        declared = self.declared[item.nodeid]
        if error is None:
            outcome = CheckOutcome(**declared, passed=True)
        elif isinstance(error, pytest.skip.Exception):
            outcome = CheckOutcome(**declared, passed=False, message="This check was skipped.")
        else:
            outcome = outcome_from_exception(declared, error)
            student = self._students.get(declared["assignment"])
            if isinstance(_leaf(error), AssertionError) and hasattr(student, "log"):
                outcome = _hinted(outcome, student.log, declared["assignment"], item)
        self.outcomes[item.nodeid] = outcome

    def run_direct(self, items):
        """Run checks pytest collected in this process, without pytest: start each one, give it
        its fixtures, replay its examples or run it (hypothesis's engine when a replayed example
        failed), run its secret case, record its outcome (``run_checks``)."""
        for item in items:
            if self._unavailable(item):
                continue
            try:
                item.funcargs = {name: self.fixture(name, item) for name in item._fixtureinfo.argnames}
                with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                    if not self.run_replayed(item):
                        if self._followed(item):
                            continue  # its outcome is a transcript's (transcripts.py)
                        try:
                            replay.seed_once(item.obj)  # (hypothesis runs it)
                            self._record_run(item)
                            item.obj(**item.funcargs)
                        except BaseException as error:
                            raise self._failed(item, error) from None
                    self._passed(item)
            except KeyboardInterrupt:
                raise
            except BaseException as error:  # noqa: BLE001 - every end of a check is an outcome
                self._record(item, error)
            else:
                self._record(item, None)
            finally:
                item.funcargs = {}
                self._keep_run(item)

    def _student_of(self, item):
        """The ``StudentModule`` the check ``item`` grades, or None."""
        student = self._students.get(self.declared.get(item.nodeid, {}).get("assignment"))
        return student if isinstance(student, StudentModule) else None

    def _followed(self, item):
        """True when a kept transcript of hypothesis's run of ``item`` was followed to its end
        (``transcripts.py``): its outcome and figures are recorded. Else, when one was followed
        part of the way, the student's module answers hypothesis's first calls with what they got."""
        from grader.pipeline import transcripts

        student, replayed = self._student_of(item), self._replayed.get(item.nodeid)
        if student is None or replayed is None:
            return False
        kept = transcripts.found(transcripts.key(item.nodeid, replayed))
        if not kept:
            return False
        transcript, prefill = transcripts.follow(student, kept)
        if transcript is None:
            student.log.clear()  # hypothesis's calls are logged as it makes them, the prefilled ones too
            student.prefill = prefill
            return False
        self._replayed.pop(item.nodeid, None)
        self._figures.setdefault(self.declared[item.nodeid]["assignment"], []).extend(transcript.figures)
        self.outcomes[item.nodeid] = transcript.outcome
        return True

    def _record_run(self, item):
        """Have hypothesis's run of ``item`` recorded (``transcripts.Recorder``) for ``_keep_run``."""
        from grader.pipeline import transcripts

        student, replayed = self._student_of(item), self._replayed.get(item.nodeid)
        if student is not None and replayed is not None:
            student.recorder = transcripts.Recorder()
            figures = self._figures.get(self.declared[item.nodeid]["assignment"], [])
            self._recording = (transcripts.key(item.nodeid, replayed), len(figures))

    def _keep_run(self, item):
        """Keep the transcript ``_record_run`` recorded, with the check's outcome; leave the
        student's module as it was."""
        recording, self._recording = self._recording, None
        student = self._student_of(item)
        if student is None:
            return
        recorder, student.recorder = student.recorder, None
        prefill, student.prefill = student.prefill, None
        outcome = self.outcomes.get(item.nodeid)
        if prefill:  # hypothesis made fewer calls than were made for it
            self.outcomes[item.nodeid] = outcome_from_exception(
                self.declared[item.nodeid], RuntimeError("hypothesis made fewer calls than a transcript of it had")
            )
            return
        if recorder is not None and recording is not None and outcome is not None:
            key, figures_before = recording
            figures = self._figures.get(self.declared[item.nodeid]["assignment"], [])[figures_before:]
            recorder.keep(key, outcome, figures)

    def results(self, check_files=()):
        """Every declared check's outcome, in collection order; those that never ran fail,
        and a broken assignment gets one failing grader-error outcome worth 100 points
        (as does a check file that yielded no check: a syntax error, say)."""
        collected = {d["assignment"] for d in self.declared.values()}
        for path in check_files:
            if Path(path).stem not in collected and Path(path).stem not in self.broken:
                self.broken[Path(path).stem] = f"{Path(path).name} could not be collected"
        outcomes = []
        for nodeid, declared in self.declared.items():
            if declared["assignment"] not in self.broken:
                outcomes.append(
                    self.outcomes.get(nodeid)
                    or CheckOutcome(
                        **declared,
                        passed=False,
                        grader_error=True,
                        message="This check did not run; this is our bug, not yours.",
                    )
                )
        for assignment, problem in sorted(self.broken.items()):
            outcomes.append(
                CheckOutcome(
                    assignment,
                    "*",
                    "the grading suite",
                    POINTS_PER_ASSIGNMENT,
                    passed=False,
                    grader_error=True,
                    message=f"The checks of {assignment} could not run ({problem}); this is our bug, not "
                    "yours, and the course staff will regrade.",
                )
            )
        return outcomes


def _inner_arguments(item):
    """The fixtures of the hypothesis check ``item`` that its inner test (the body, which also
    takes the drawn values) asks for."""
    wanted = _parameters(item.obj.hypothesis.inner_test)
    return {name: value for name, value in item.funcargs.items() if name in wanted}


@functools.cache
def _parameters(function):
    return frozenset(inspect.signature(function).parameters)


def _hinted(outcome, log, assignment, item):
    """A failed check's outcome with the hint of a known mistake: a public check's from the
    stored outputs of the bundle (``grader/pipeline/public_hints.py``), a hidden check's
    from the catalogue run on the check's own inputs (``grader/hints.py``)."""
    cases = getattr(item.module, "CASES", None)
    if cases is not None and Path(str(item.path)).parent == paths.PUBLIC_CHECKS:
        from grader.pipeline import public_hints
        from grader.pipeline.reference import load_expected

        try:
            expected = load_expected(assignment)
        except OSError:
            return outcome
        return public_hints.annotate(outcome, log, assignment, cases, expected)
    return hints.annotate(outcome, log, assignment)


@contextmanager
def _no_plugin_autoload():
    saved = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        yield
    finally:
        if saved is None:
            del os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"]
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved


# pytest plugins the grading run does not need; unraisableexception alone calls
# gc.collect() around every test, and unittest and debugging (pdb) cost imports at start-up.
_UNUSED_PLUGINS = (
    "unraisableexception",
    "threadexception",
    "doctest",
    "junitxml",
    "pastebin",
    "legacypath",
    "logging",
    "warnings",
    "setuponly",
    "setupplan",
    "unittest",
    "debugging",
)


# Checks collected by pytest in this process, by their files: ``(items, declared, uses)``.
_collected: dict = {}


def run_checks(check_files, students, figures=None, submission_sha256=None):
    """Run the given check modules against ``students``; return the ``CheckOutcome`` list.
    ``submission_sha256`` seeds every check's secret case (``checkapi/secret.py``).

    The first call for a set of files has pytest collect the checks (``--collect-only``); every
    call runs them itself (``GradingPlugin.run_direct``), sparing pytest's per-test work, and a
    later call in the same process (a batch worker's next submission) reuses the collection,
    sparing pytest's start-up too. A collection that found a problem is never reused."""
    plugin = GradingPlugin(students, figures, submission_sha256)
    key = tuple(str(Path(f).resolve()) for f in check_files)
    if key in _collected:
        items, plugin.declared, plugin.uses = _collected[key]
        plugin.run_direct(items)
        return plugin.results(check_files)
    args = [str(f) for f in check_files] + [
        "-c",
        str(_INI),
        "--rootdir",
        str(paths.ROOT),
        "--import-mode=importlib",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:terminal",
        "-p",
        "no:stepwise",
        "--capture=sys",
        "--assert=plain",  # checks fail with CheckFailure; rewriting would cost seconds
        "--continue-on-collection-errors",
        *(arg for name in _UNUSED_PLUGINS for arg in ("-p", f"no:{name}")),
    ]
    with _no_plugin_autoload():
        code = pytest.main([*args, "--collect-only"], plugins=[plugin])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):  # (1: a module could not be collected)
        raise GraderFailure(f"pytest could not collect the checks ({code!r}) in {', '.join(map(str, check_files))}")
    plugin.run_direct(plugin.items)
    outcomes = plugin.results(check_files)
    if not plugin.broken and plugin.items:
        _collected[key] = (plugin.items, plugin.declared, plugin.uses)
    return outcomes
