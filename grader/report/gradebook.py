"""``OUT/gradebook.csv``: one row per student, in a fixed column order, for an LMS.

Built from the students' ``results.json`` documents (SPEC §6), so a resumed batch's
gradebook covers the students graded by earlier runs too.
"""

import csv
import io

from grader import course, paths

GRADEBOOK_COLUMNS = ("student", *course.ASSIGNMENT_IDS, "total", "max_score", "percent", "status", "submission_sha256")


def status_of(document):
    """``graded``, ``not submitted``, or ``error: <reason>``."""
    extra = document["extra_data"]
    if extra.get("grader_failure"):
        return f"error: the grader failed on this submission ({extra['grader_failure']})"
    if extra.get("grader_errors"):
        return f"error: the grader failed on {len(extra['grader_errors'])} check(s); see the report"
    if not any(a.get("submitted") for a in extra["assignments"].values()):
        problems = [*extra.get("notes", ()), *(n for a in extra["assignments"].values() for n in a.get("notes", ()))]
        return "error: " + " ".join(problems) if problems else "not submitted"
    return "graded"


def gradebook_csv(documents):
    """The gradebook of ``documents`` (results.json dicts), sorted by student."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(GRADEBOOK_COLUMNS)
    for d in sorted(documents, key=lambda d: d["extra_data"]["student"]):
        extra = d["extra_data"]
        scores = [f"{extra['assignments'][a]['score']:g}" for a in course.ASSIGNMENT_IDS]
        writer.writerow([extra["student"], *scores, f"{d['score']:g}", f"{d['max_score']:g}",
                         f"{100 * d['score'] / d['max_score']:.1f}", status_of(d), extra["submission_sha256"]])
    return buffer.getvalue()
