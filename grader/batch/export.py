"""``grade export --lms canvas|moodle OUT -o FILE``: the class folder's grades as the LMS's
own grade-import CSV (SPEC §8), one row per student, with the roster's identifiers.

- **Canvas** (Grades > Import): the columns of Canvas' gradebook export, ``Student``, ``ID``,
  ``SIS User ID``, ``SIS Login ID``, ``Section``, then one column per assignment, and a
  ``Points Possible`` row. Canvas matches a row by ``ID`` (its user id) or ``SIS User ID``,
  and an assignment column by its header: name it as in Canvas' export, ``Name (12345)``,
  with ``--column optimization="Optimization (12345)"``, or a new assignment is created.
- **Moodle** (Grades > Import > CSV file): ``Full name``, ``Email address``, ``ID number``,
  ``Username``, then one column per assignment; in Moodle's import form map "Identify user
  by" to the email (or ID number, username) and each column to its grade item.

Identifiers come from the roster's columns (the first present of each list in
``CANVAS_IDS``/``MOODLE_IDS``) and, for students graded from an LMS download, from it
(Canvas user id, Moodle participant, Gradescope email). Scores are each assignment's after
late penalties and adjustments, out of 100; ``--column total=HEADER`` adds the course total.
"""

from __future__ import annotations

import csv
import io
import sys

CANVAS_IDS = {
    "Student": ("name", "full_name", "student"),
    "ID": ("canvas_id", "canvas_user_id", "id"),
    "SIS User ID": ("sis_id", "sis_user_id"),
    "SIS Login ID": ("sis_login_id", "login", "username"),
    "Section": ("section",),
}
MOODLE_IDS = {
    "Full name": ("name", "full_name", "student"),
    "Email address": ("email",),
    "ID number": ("id_number", "idnumber", "sis_id"),
    "Username": ("username", "login"),
}
LMS = {"canvas": CANVAS_IDS, "moodle": MOODLE_IDS}


class ExportError(Exception):
    """Nothing to export, or a column option that names no assignment."""


def export_csv(lms: str, documents: list, course=None, columns: dict | None = None) -> tuple[str, list]:
    """``(csv text, warnings)`` for ``documents`` (results.json dicts, roster-only rows included)."""
    from grader.course import ASSIGNMENT_IDS

    if not documents:
        raise ExportError("no results.json in the class folder: grade the class first")
    columns = dict(columns or {})
    unknown = [c for c in columns if c not in (*ASSIGNMENT_IDS, "total")]
    if unknown:
        raise ExportError(
            f"--column {unknown[0]}=...: not an assignment id (one of {', '.join(ASSIGNMENT_IDS)}) nor 'total'"
        )
    counted = course.assignments if course is not None else ASSIGNMENT_IDS
    graded = list(counted)
    headers = [columns.get(a, a) for a in graded] + ([columns["total"]] if "total" in columns else [])
    roster = course.roster if course is not None else None
    identity = LMS[lms]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*identity, *headers])
    if lms == "canvas":
        maxima = [f"{documents[0]['extra_data']['assignments'][a]['max_score']:g}" for a in graded]
        writer.writerow(
            [
                "    Points Possible",
                *[""] * (len(identity) - 1),
                *maxima,
                *([f"{documents[0]['max_score']:g}"] if "total" in columns else []),
            ]
        )
    warnings = []
    for d in sorted(documents, key=lambda d: d["extra_data"]["student"]):
        extra = d["extra_data"]
        row = (roster.students.get(extra["student"]) if roster else None) or {}
        known = {**_lms_ids(extra), **{k: v for k, v in row.items() if v}}
        ids = [next((known[k] for k in keys if known.get(k)), "") for keys in identity.values()]
        if not any(ids[1:]):
            hint = "canvas_id or sis_id" if lms == "canvas" else "email, id_number or username"
            warnings.append(f"{extra['student']}: no identifier {lms} can match (give the roster a {hint} column)")
        if roster is not None and not row:
            warnings.append(f"{extra['student']}: not on the roster")
        scores = [f"{extra['assignments'][a]['score']:g}" for a in graded]
        writer.writerow([*ids, *scores, *([f"{d['score']:g}"] if "total" in columns else [])])
    return buffer.getvalue(), warnings


def _lms_ids(extra):
    """The identifiers an LMS download gave this student (``extra_data.lms.ids``)."""
    ids = (extra.get("lms") or {}).get("ids") or {}
    return {
        "canvas_id": ids.get("canvas_user_id", ""),
        "email": ids.get("email", ""),
        "sis_id": ids.get("sid", ""),
        "name": ids.get("lms_name", ""),
    }


def run_export(lms: str, out, target, course=None, columns=None) -> int:
    """Write the export of class folder ``out`` to ``target``; return the exit status."""
    from grader.batch.classfolder import read_documents, with_roster
    from grader.report.output import write_atomic

    documents, _ = with_roster(list(read_documents(out).values()), course)
    text, warnings = export_csv(lms, documents, course, columns)
    write_atomic(target, text)
    for warning in warnings:
        print(f"grade export: warning: {warning}", file=sys.stderr)
    print(f"wrote {target}: {len(documents)} student(s) for {lms}'s grade import", file=sys.stderr)
    return 0
