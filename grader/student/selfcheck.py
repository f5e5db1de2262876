"""``grade check``: a student's self-check with the public checks, in the terminal and
as a report. The public checks compare with expected values stored as data, so this
needs no solution code."""

import sys

from grader.batch.run import grade_one
from grader.report.output import write_submission


def self_check(path, out, isolation="auto", fail_under=None):
    result = grade_one(path, student="self-check", public=True, isolation=isolation)
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
