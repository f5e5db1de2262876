"""``OUT`` is the class's folder (SPEC §8): the class files are rebuilt from every
``OUT/<student>/results.json`` in it, not only from the submissions graded by this run,
so grading one student (or any subset) into an existing folder never loses a row.
"""

import json
import sys
from pathlib import Path


def read_documents(out):
    """``{folder name: results.json document}`` of every student folder in ``out``, sorted.

    A ``results.json`` that cannot be read (not JSON, not a results document) is named on
    stderr and left out; it is never deleted."""
    documents = {}
    for path in sorted(Path(out).glob("*/results.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            print(f"grade: {path}: unreadable ({error}); left out of the class files", file=sys.stderr)
            continue
        if not (
            isinstance(document, dict)
            and isinstance(document.get("extra_data"), dict)
            and "student" in document["extra_data"]
            and "assignments" in document["extra_data"]
        ):
            print(f"grade: {path}: not a results.json of this grader; left out of the class files", file=sys.stderr)
            continue
        documents[path.parent.name] = document
    return documents


def class_documents(out, graded):
    """Every document of the class: those in ``out``, with ``graded`` (this run's, keyed by
    folder name) taking precedence."""
    return {**read_documents(out), **graded}


def with_roster(documents, course):
    """``(documents, not on roster)``: ``documents`` (a list) flagged with ``on_roster``, plus a
    ``not submitted`` document for each roster student who has none; nothing changes without
    a roster. These documents live in memory only (no results.json is written for them)."""
    roster = course.roster if course is not None else None
    if roster is None:
        return documents, []
    from grader.batch.late import apply_course
    from grader.course import ASSIGNMENT_IDS
    from grader.results import AssignmentResult, SubmissionResult

    present = {d["extra_data"]["student"] for d in documents}
    flagged = []
    for d in documents:
        d["extra_data"]["on_roster"] = d["extra_data"]["student"] in roster.students
        if not d["extra_data"]["on_roster"]:
            flagged.append(d["extra_data"]["student"])
    for student in roster.students:
        if student not in present:
            nothing = tuple(AssignmentResult(a, submitted=False) for a in ASSIGNMENT_IDS)
            empty = SubmissionResult(student, "", nothing)
            document = apply_course(empty, course).to_json()
            document["extra_data"].update(on_roster=True, roster_only=True)
            documents.append(document)
    return documents, sorted(flagged)
