"""``grade check``: a student's self-check with the public checks, in the terminal and
as a report. The public checks compare with expected values stored as data, so this
needs no solution code."""

import sys

from grader.pipeline.grading import grade_submission
from grader.pipeline.submission import Submission, SubmissionError, load_submission
from grader.report.output import write_submission


def _load(path):
    """The student's work at ``path``; an unreadable one becomes an empty submission saying why."""
    try:
        return load_submission(path, "self-check")
    except SubmissionError as error:
        return Submission("self-check", "", {}, notes=(str(error),))


def self_check(path, out, isolation="auto", fail_under=None):
    result = grade_submission(_load(path), public=True, isolation=isolation)
    folder = write_submission(result, out, public=True, folder=out)  # OUT/report.html
    for a in result.assignments:
        if not a.submitted:
            print(f"{a.id:22} not found")
            continue
        passed = sum(o.passed for o in a.outcomes)
        print(f"{a.id:22} {passed}/{len(a.outcomes)} public checks passed")
        for o in a.outcomes:
            if not o.passed:
                first = o.message.splitlines()[0] if o.message else ""
                print(f"    ✘ {o.function}: {o.name}\n        {first}")
    print(f"Report: {folder / 'report.html'}")
    if result.grader_errors:
        print("Some checks failed inside the grader (not your fault); tell the course staff.", file=sys.stderr)
        return 1
    if fail_under is not None and 100 * result.score / result.max_score < fail_under:
        return 1
    return 0
