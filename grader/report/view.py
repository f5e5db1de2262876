"""What a student's report shows, in the order a student acts on it.

``report_view(result)`` arranges a ``SubmissionResult`` for ``templates/report.html`` and for
the terminal of ``grade check``: the submitted assignments first, in each the failed checks
(message, hint and the student's own code lines apart) before the passed ones; the
assignments not submitted as one line each; and a short "fix these first" list at the top.
It only arranges: scores and messages are the result's own.
"""

from dataclasses import dataclass

WHERE = "\nWhere, in your code:\n"
PRINTED = "\nYour code printed:\n"
NOT_IMPLEMENTED = "is not implemented yet"
FIX_FIRST = 5  # items in the "fix these first" list
SHORT = 160  # characters of a failure's first line shown there


@dataclass(frozen=True)
class FailedCheck:
    """A failed check's message split for display: what went wrong, the student's code lines
    (from a traceback, if any), what the code printed, and the hint naming a known mistake."""

    outcome: object
    text: str
    where: str = ""
    printed: str = ""
    hint: str = ""

    @property
    def first_line(self):
        return self.text.splitlines()[0] if self.text else ""

    @property
    def short(self):
        """The first line, cut to about ``SHORT`` characters (for "fix these first")."""
        line = self.first_line
        return line if len(line) <= SHORT else line[:SHORT].rsplit(" ", 1)[0] + " …"

    @property
    def not_implemented(self):
        return NOT_IMPLEMENTED in self.first_line

    @property
    def code_line(self):
        """The last line of the student's code in the traceback ('File ..., line N' and the code)."""
        lines = [line for line in self.where.splitlines() if line.strip()]
        located = [i for i, line in enumerate(lines) if line.lstrip().startswith("File ")]
        if not located:
            return ""
        i = located[-1]
        return "\n".join(lines[i : i + 2])


def split_message(message):
    """``(text, where, printed)`` of a check's message (see ``StudentError.feedback`` for how
    they were joined)."""
    text, printed = message, ""
    if PRINTED in text:
        text, printed = text.split(PRINTED, 1)
    where = ""
    if WHERE in text:
        text, where = text.split(WHERE, 1)
    return text.strip("\n"), where.rstrip(), printed.rstrip()


def failed_check(outcome):
    text, where, printed = split_message(outcome.message)
    return FailedCheck(outcome, text, where, printed, outcome.hint.strip())


@dataclass(frozen=True)
class AssignmentView:
    result: object  # AssignmentResult
    failed: tuple  # of FailedCheck, in check order
    passed: tuple  # of CheckOutcome

    @property
    def id(self):
        return self.result.id

    @property
    def wrong(self):
        """Failed checks of functions that run but give wrong results (not 'not implemented')."""
        return tuple(f for f in self.failed if not f.not_implemented)

    @property
    def not_implemented(self):
        """The functions whose checks failed only because they are not implemented yet, in order."""
        names = []
        for f in self.failed:
            if f.not_implemented and f.outcome.function not in names:
                names.append(f.outcome.function)
        return tuple(n for n in names if all(g.not_implemented for g in self.failed if g.outcome.function == n))


def assignment_view(assignment):
    failed = tuple(failed_check(o) for o in assignment.outcomes if not o.passed)
    passed = tuple(o for o in assignment.outcomes if o.passed)
    return AssignmentView(assignment, failed, passed)


@dataclass(frozen=True)
class FixItem:
    """One line of "fix these first": a function, its first failed check, and how many failed."""

    assignment: str
    function: str
    check: FailedCheck
    failed: int

    @property
    def anchor(self):
        return f"{self.assignment}--{self.function}"


def fix_first(views, limit=FIX_FIRST):
    """The functions to fix, most useful first: wrong results (with a hint first, then by the
    points they cost), then grader-independent problems; 'not implemented' ones are left to
    their own line. At most ``limit``."""
    items = []
    for view in (v for v in views if v.result.submitted):
        by_function = {}
        for f in view.wrong:
            by_function.setdefault(f.outcome.function, []).append(f)
        for function, checks in by_function.items():
            lead = next((c for c in checks if c.hint), checks[0])
            items.append(FixItem(view.id, function, lead, len(checks)))
    items.sort(
        key=lambda i: (
            not i.check.hint,
            -sum(
                f.outcome.points
                for v in views
                if v.id == i.assignment
                for f in v.wrong
                if f.outcome.function == i.function
            ),
        )
    )
    return items[:limit]


@dataclass(frozen=True)
class ReportView:
    submitted: tuple  # of AssignmentView: submitted (or with a problem worth showing), in course order
    missing: tuple  # of AssignmentResult: not submitted, one line each
    fix_first: tuple  # of FixItem
    not_implemented: tuple  # of (assignment id, function)
    unusable: tuple = ()  # of (assignment id, note): files found but not graded (misnamed, unreadable)

    @property
    def all_passed(self):
        return bool(self.submitted) and all(v.result.outcomes and not v.failed for v in self.submitted)


def report_view(result):
    """The ``ReportView`` of a ``SubmissionResult``."""
    submitted, missing = [], []
    for a in result.counted:  # the course's assignments (all five without a course file)
        if a.submitted or a.notes:  # a file that could not be used still shows why
            submitted.append(assignment_view(a))
        else:
            missing.append(a)
    not_implemented = tuple((v.id, f) for v in submitted if v.result.submitted for f in v.not_implemented)
    unusable = tuple(
        (v.id, note.splitlines()[0]) for v in submitted if not v.result.submitted for note in v.result.notes
    )
    return ReportView(tuple(submitted), tuple(missing), tuple(fix_first(submitted)), not_implemented, unusable)
