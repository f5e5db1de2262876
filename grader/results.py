"""The result model: what was checked, what happened, and the container. Every output
(``results.json``, ``report.html``, the gradebook) is a view of these objects.

Scores are derived, never stored twice: a check earns its points or nothing, an
assignment's score is the sum over its checks, a submission's the sum over all the
course's assignments (``course.POINTS`` each, submitted or not).
"""

from dataclasses import dataclass, field

from grader.course import POINTS as POINTS_PER_ASSIGNMENT


@dataclass(frozen=True)
class Figure:
    """A picture for the report, as data: ``kind`` names a macro in
    ``templates/figures.html`` and ``data`` holds its plain-JSON arguments."""

    kind: str
    title: str
    data: dict


@dataclass(frozen=True)
class CheckOutcome:
    """One check of one submission: passed (all its points) or failed (none)."""

    assignment: str
    function: str
    name: str
    points: float
    passed: bool
    message: str = ""
    grader_error: bool = False  # the check itself broke: our bug, not the student's
    mistake: str = ""  # the name of the known mistake the student's output matches, if any

    @property
    def score(self):
        return self.points if self.passed else 0.0

    @property
    def test_name(self):
        return f"{self.assignment}::{self.function}::{self.name}"


@dataclass(frozen=True)
class AssignmentResult:
    id: str
    submitted: bool
    outcomes: tuple = ()
    source: str = ""  # which file was graded
    notes: tuple = ()  # things the student should know (file chosen, import problems, ...)
    figures: tuple = ()

    @property
    def score(self):
        return round(sum(o.score for o in self.outcomes), 6)

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

    @property
    def score(self):
        return round(sum(a.score for a in self.assignments), 6)

    @property
    def max_score(self):
        return sum(a.max_score for a in self.assignments)

    @property
    def grader_errors(self):
        return [o for a in self.assignments for o in a.outcomes if o.grader_error]

    def summary(self):
        """The one-paragraph ``output`` for the student."""
        parts = []
        for a in self.assignments:
            if not a.submitted:
                parts.append(f"{a.id}: not submitted (0/{a.max_score})")
            else:
                failed = sum(not o.passed for o in a.outcomes)
                tail = f", {failed} check(s) failed" if failed else ", all checks passed"
                parts.append(f"{a.id}: {a.score:g}/{a.max_score}{tail}")
        text = f"{self.student}: {self.score:g}/{self.max_score}. " + "; ".join(parts) + "."
        if self.unknown_files:
            text += f" Ignored files: {', '.join(self.unknown_files)}."
        return text

    def to_json(self):
        """The Gradescope-compatible ``results.json`` document (SPEC §6)."""
        tests = [{
            "name": o.test_name, "score": o.score, "max_score": o.points,
            "status": "passed" if o.passed else "failed", "output": o.message,
            "visibility": "visible", "tags": [o.assignment, o.function],
            **({"mistake": o.mistake} if o.mistake else {}),
        } for a in self.assignments for o in a.outcomes]
        return {
            "score": self.score,
            "max_score": self.max_score,
            "execution_time": round(self.execution_time, 3),
            "output": self.summary(),
            "tests": tests,
            "extra_data": {
                "assignments": {a.id: {"score": a.score, "max_score": a.max_score,
                                       "submitted": a.submitted, "source": a.source,
                                       "notes": list(a.notes)} for a in self.assignments},
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
