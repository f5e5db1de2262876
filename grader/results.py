"""The result model: what was checked, what happened, and the container. Every output
(``results.json``, ``report.html``, the gradebook) is a view of these objects.

Scores are derived, never stored twice: a check earns its points or nothing, an
assignment's score is the sum over its checks, a submission's the sum over all the
course's assignments (``course.POINTS`` each, submitted or not).
"""

import json
from dataclasses import dataclass, field

from grader.course import POINTS as POINTS_PER_ASSIGNMENT

# Whatever a student returns, prints or names, what reaches results.json and the reports is
# bounded: a check's message, a note, the list of ignored files and a figure's data.
MAX_MESSAGE = 2000  # characters of one check's output (or one note)
MAX_HINT = 500  # characters of a hint (fixed text of the catalogue: one sentence)
HINT = "\nHint: "  # what joins a check's message and its hint in results.json's ``output``
MAX_NOTES = 20  # notes per assignment or submission
MAX_LISTED = 50  # ignored files named
MAX_FIGURE = 200_000  # characters of a figure's data, as JSON


def cap(text, limit=MAX_MESSAGE):
    """``text`` cut to about ``limit`` characters, keeping its start and its last lines, and
    saying how much was left out."""
    text = str(text)
    if len(text) <= limit:
        return text
    tail = limit // 5
    return f"{text[: limit - tail - 60]}\n... ({len(text) - limit + 60} characters left out) ...\n{text[-tail:]}"


def _capped(items, limit, what):
    items = tuple(cap(i) for i in items)
    if len(items) <= limit or (items[limit].startswith("... and ") and items[limit].endswith(f" more {what}")):
        return items  # (capped already: dataclasses.replace runs __post_init__ again)
    return items[:limit] + (f"... and {len(items) - limit} more {what}",)


def _size(data):
    try:
        return len(json.dumps(data, allow_nan=True, default=str))
    except (TypeError, ValueError, RecursionError):
        return MAX_FIGURE + 1


COURSE_FUNCTION = "course"  # the ``<function>`` of the tests that a course file adds (late penalty, ...)


def _weighted(value, weight):
    return value if weight == 1 else value * weight


@dataclass(frozen=True)
class ScoreAdjustment:
    """Points a course adds to an assignment besides its checks (SPEC §7): ``kind`` is
    ``late penalty``, ``extension`` (0 points: it moved the due date) or ``adjustment``."""

    kind: str
    points: float
    reason: str


@dataclass(frozen=True)
class Figure:
    """A picture for the report, as data: ``kind`` names a macro in
    ``templates/figures.html`` and ``data`` holds its plain-JSON arguments."""

    kind: str
    title: str
    data: dict


def check_id(assignment, test_function):
    """A check's stable id, ``<assignment>.<its check_* function>`` (``optimization.check_gd``):
    what the catalogue of known mistakes and results.json's ``extra_data.check_id`` name it by
    (its display title, ``name``, may be reworded)."""
    return f"{assignment}.{test_function}"


@dataclass(frozen=True)
class CheckOutcome:
    """One check of one submission: passed (all its points) or failed (none)."""

    assignment: str
    function: str
    name: str  # the display title
    points: float
    passed: bool
    message: str = ""  # what went wrong, in words a student can act on (never the hint)
    grader_error: bool = False  # the check itself broke: our bug, not the student's
    mistake: str = ""  # the name of the known mistake the student's output matches, if any
    hint: str = ""  # that mistake's hint (fixed text), shown after the message
    check_id: str = ""  # ``check_id(assignment, check function)``; "" for a broken suite's stand-in

    def __post_init__(self):
        object.__setattr__(self, "message", cap(self.message))
        object.__setattr__(self, "hint", cap(self.hint, MAX_HINT))

    @property
    def score(self):
        return self.points if self.passed else 0.0

    @property
    def test_name(self):
        return f"{self.assignment}::{self.function}::{self.name}"

    @property
    def output(self):
        """The message and the hint as one text (results.json's ``output``): ``message +
        HINT + hint``, at most ``MAX_MESSAGE`` characters; a long message is cut, never the hint."""
        if not self.hint:
            return self.message
        tail = HINT + self.hint
        return cap(self.message, MAX_MESSAGE - len(tail)) + tail


@dataclass(frozen=True)
class AssignmentResult:
    id: str
    submitted: bool
    outcomes: tuple = ()
    source: str = ""  # which file was graded
    notes: tuple = ()  # things the student should know (file chosen, import problems, ...)
    figures: tuple = ()
    counted: bool = True  # False: not an assignment of the course (its course file lists others)
    weight: float = 1.0  # its share of the course total
    adjustments: tuple = ()  # ScoreAdjustment: late penalty, extension, manual points
    late_days: int = 0

    @property
    def checks_score(self):
        return round(sum(o.score for o in self.outcomes), 6)

    def __post_init__(self):
        small = [_size(f.data) <= MAX_FIGURE for f in self.figures]
        kept = tuple(f for f, ok in zip(self.figures, small) if ok)
        left_out = [
            f'The figure "{cap(f.title, 200)}" was left out of the report: its data is too large.'
            for f, ok in zip(self.figures, small)
            if not ok
        ]
        object.__setattr__(self, "figures", kept)
        object.__setattr__(self, "notes", _capped(self.notes, MAX_NOTES, "notes") + tuple(left_out))

    @property
    def score(self):
        return round(self.checks_score + sum(a.points for a in self.adjustments), 6)

    @property
    def max_score(self):
        return POINTS_PER_ASSIGNMENT


@dataclass(frozen=True)
class SubmissionResult:
    student: str
    sha256: str
    assignments: tuple  # of AssignmentResult, in the order of course.ASSIGNMENT_IDS
    unknown_files: tuple = ()
    notes: tuple = ()
    provided_files: tuple = ()  # the course's own helpers found in the submission (not graded, not unknown)
    isolation: str = ""
    grader_version: str = ""
    execution_time: float = 0.0
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "notes", _capped(self.notes, MAX_NOTES, "notes"))
        object.__setattr__(self, "unknown_files", _capped(self.unknown_files, MAX_LISTED, "files"))

    @property
    def counted(self):
        """The assignments that count (all of them without a course file)."""
        return tuple(a for a in self.assignments if a.counted)

    @property
    def score(self):
        return round(sum(_weighted(a.score, a.weight) for a in self.counted), 6)

    @property
    def max_score(self):
        return sum(_weighted(a.max_score, a.weight) for a in self.counted)

    @property
    def grader_errors(self):
        return [o for a in self.assignments for o in a.outcomes if o.grader_error]

    def summary(self):
        """The one-paragraph ``output`` for the student: the score, what went wrong with the
        submission itself (an unreadable zip, a file that could not be imported), each counted
        assignment, and the ignored files with the expected name each one resembles."""
        parts, reasons = [], set()
        for a in self.counted:
            if not a.submitted:
                why = f": {_first(a.notes[0])}" if a.notes else ""
                parts.append(f"{a.id}: not submitted (0/{a.max_score}){why}")
            else:
                failed = sum(not o.passed for o in a.outcomes)
                tail = (
                    f", {failed} check(s) failed" if failed else ", all checks passed" if a.outcomes else ", not graded"
                )
                why = f" ({_first(a.notes[0])})" if failed and a.notes else ""
                parts.append(f"{a.id}: {a.score:g}/{a.max_score}{tail}{why}")
            for j in a.adjustments:
                if j.points:
                    parts[-1] += f", {j.kind} {j.points:+g}" + ("" if j.reason in reasons else f" ({j.reason})")
                    reasons.add(j.reason)
        text = f"{self.student}: {self.score:g}/{self.max_score:g}. "
        text += "".join(f"{_first(n)} " for n in self.notes)
        text += "; ".join(parts) + "."
        if self.unknown_files:
            text += f" Ignored files: {', '.join(_with_suggestion(n) for n in self.unknown_files)}."
        return text

    def to_json(self):
        """The Gradescope-compatible ``results.json`` document (SPEC §6)."""
        tests = [
            {
                "name": o.test_name,
                "score": o.score,
                "max_score": o.points,
                "status": "passed" if o.passed else "failed",
                "output": o.output,
                "visibility": "visible",
                "tags": [o.assignment, o.function],
                **({"mistake": o.mistake} if o.mistake else {}),
                **({"extra_data": _test_extra(o)} if o.check_id or o.hint else {}),
            }
            for a in self.counted
            for o in a.outcomes
        ]
        tests += [
            {
                "name": f"{a.id}::{COURSE_FUNCTION}::{j.kind}",
                "score": j.points,
                "max_score": 0,
                "status": "failed" if j.points < 0 else "passed",
                "output": j.reason,
                "visibility": "visible",
                "tags": [a.id, COURSE_FUNCTION],
            }
            for a in self.counted
            for j in a.adjustments
        ]
        course = "course" in self.extra
        return {
            "score": self.score,
            "max_score": self.max_score,
            "execution_time": round(self.execution_time, 3),
            "output": self.summary(),
            "tests": tests,
            "extra_data": {
                "assignments": {
                    a.id: {
                        "score": a.score,
                        "max_score": a.max_score,
                        "submitted": a.submitted,
                        "source": a.source,
                        "notes": list(a.notes),
                        **(_course_fields(a) if course else {}),
                    }
                    for a in self.assignments
                },
                "student": self.student,
                "submission_sha256": self.sha256,
                "grader_version": self.grader_version,
                "isolation": self.isolation,
                "unknown_files": list(self.unknown_files),
                **({"provided_files": list(self.provided_files)} if self.provided_files else {}),
                "notes": list(self.notes),
                **self.extra,
            },
        }


def _test_extra(outcome):
    """A test's ``extra_data``: the check's stable id and the hint, as fields."""
    return {
        **({"check_id": outcome.check_id} if outcome.check_id else {}),
        **({"hint": outcome.hint} if outcome.hint else {}),
    }


def _course_fields(a):
    """What a course file adds to an assignment's entry in ``extra_data.assignments``."""

    def total(kind):
        return round(sum(j.points for j in a.adjustments if j.kind == kind), 6)

    return {
        "counted": a.counted,
        "weight": a.weight,
        "checks_score": a.checks_score,
        "late_days": a.late_days,
        "penalty": -total("late penalty"),
        "adjustment": total("adjustment"),
    }


def _first(note, limit=300):
    """The first line of a note, cut to ``limit`` characters."""
    line = note.strip().splitlines()[0] if note.strip() else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _with_suggestion(name):
    """``name``, with the student file it was probably meant to be: ``optimisation.py (did you
    mean optimization.py?)``."""
    import difflib
    from pathlib import PurePosixPath

    from grader.course import ASSIGNMENT_IDS

    path = PurePosixPath(name)
    if path.suffix not in (".py", ".ipynb") or path.stem in ASSIGNMENT_IDS:
        return name
    close = difflib.get_close_matches(path.stem.lower(), ASSIGNMENT_IDS, n=1, cutoff=0.6)
    return f"{name} (did you mean {close[0]}{path.suffix}?)" if close else name
