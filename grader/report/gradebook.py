"""``OUT/gradebook.csv``: one row per student, in a fixed column order, for an LMS.

Text cells go through ``names.csv_cell``: a student named ``=HYPERLINK(...)`` is text in a
spreadsheet, never a formula.

Built from the students' ``results.json`` documents (SPEC §6), so a resumed batch's
gradebook covers the students graded by earlier runs too.
"""

import csv
import io
from dataclasses import dataclass

from grader import course
from grader.report.names import csv_cell

GRADEBOOK_COLUMNS = ("student", *course.ASSIGNMENT_IDS, "total", "max_score", "percent", "status", "submission_sha256")


GRADED, NOT_SUBMITTED, ERROR = "graded", "not submitted", "error"


@dataclass(frozen=True)
class Status:
    """A submission's status: ``code`` (``GRADED``, ``NOT_SUBMITTED`` or ``ERROR``) and the
    ``text`` the gradebook shows (``error: <reason>`` for an error); ``grader_failed`` when the
    error is the grader's own (our bug), not the submission's."""

    code: str
    text: str
    grader_failed: bool = False


def status_of(document):
    """The ``Status`` of a results.json document: graded, not submitted, or an error."""
    extra = document["extra_data"]
    if extra.get("grader_failure"):
        return Status(ERROR, f"error: the grader failed on this submission ({extra['grader_failure']})", True)
    if extra.get("grader_errors"):
        return Status(
            ERROR, f"error: the grader failed on {len(extra['grader_errors'])} check(s); see the report", True
        )
    if not any(a.get("submitted") for a in extra["assignments"].values()):
        problems = [*extra.get("notes", ()), *(n for a in extra["assignments"].values() for n in a.get("notes", ()))]
        return Status(ERROR, "error: " + " ".join(problems)) if problems else Status(NOT_SUBMITTED, NOT_SUBMITTED)
    return Status(GRADED, GRADED)


COURSE_COLUMNS = ("late_days", "penalty", "adjustment")


def gradebook_csv(documents, roster=None):
    """The gradebook of ``documents`` (results.json dicts), sorted by student.

    With a course (a ``roster``, or documents graded under a course file) today's columns
    come first, in order, then the roster's other columns, ``on_roster`` (with a roster),
    and ``late_days``, ``penalty``, ``adjustment`` summed over the counted assignments. An
    assignment the course does not count has an empty cell."""
    with_course = roster is not None or any("course" in d["extra_data"] for d in documents)
    extra_columns = (*roster.extra_columns, "on_roster") if roster is not None else ()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(GRADEBOOK_COLUMNS + extra_columns + (COURSE_COLUMNS if with_course else ()))
    for d in sorted(documents, key=lambda d: d["extra_data"]["student"]):
        extra = d["extra_data"]
        entries = extra["assignments"]
        scores = [f"{entries[a]['score']:g}" if entries[a].get("counted", True) else "" for a in course.ASSIGNMENT_IDS]
        percent = f"{100 * d['score'] / d['max_score']:.1f}" if d["max_score"] else ""
        row = [
            csv_cell(extra["student"]),
            *scores,
            f"{d['score']:g}",
            f"{d['max_score']:g}",
            percent,
            csv_cell(status_of(d).text),
            csv_cell(extra["submission_sha256"]),
        ]
        if roster is not None:
            listed = roster.students.get(extra["student"])
            row += [csv_cell((listed or {}).get(c, "")) for c in roster.extra_columns] + ["yes" if listed else "no"]
        if with_course:
            counted = [v for v in entries.values() if v.get("counted", True)]
            row += [sum(v.get(k, 0) for v in counted) for k in COURSE_COLUMNS]
            row[-3:] = [f"{x:g}" for x in row[-3:]]
        writer.writerow(row)
    return buffer.getvalue()
