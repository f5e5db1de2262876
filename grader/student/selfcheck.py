"""``grade check``: a student's self-check with the public checks, in the terminal and
as a report. The public checks compare with expected values stored as data, so this
needs no solution code.

Run with no PATH in the bundle's folder (or any folder with no student file at its top),
it looks in ``assignments/`` and ``notebooks/`` and, for each assignment, checks the file
the student worked on (the one with fewer functions left raising ``NotImplementedError``;
on a tie the newer one, then the ``.py``), and says which file it checked.
"""

import hashlib
import re
import sys
from pathlib import Path

from grader import course
from grader.pipeline.grading import grade_submission
from grader.pipeline.submission import Submission, load_or_explain, load_submission
from grader.report.output import write_submission

WORK_FOLDERS = ("assignments", "notebooks")
UNFINISHED = re.compile(r"raise\s+NotImplementedError")


def work_folders(path):
    """The bundle's ``assignments/`` and ``notebooks/`` under ``path`` when ``path`` is a folder with
    no student file at its top; else ``[]`` (``path`` is checked as it is)."""
    path = Path(path)
    if not path.is_dir() or any((path / f"{a}{s}").is_file() for a in course.ASSIGNMENT_IDS for s in (".py", ".ipynb")):
        return []
    return [path / name for name in WORK_FOLDERS if (path / name).is_dir()]


def combined_submission(folders, student="self-check"):
    """One ``Submission`` of the files the student worked on, taken from ``folders``."""
    loaded = [(folder, load_submission(folder, student)) for folder in folders]
    files, problems, notes, unknown, provided = {}, {}, [], [], []
    for assignment in course.ASSIGNMENT_IDS:
        options = [(folder, s.files[assignment]) for folder, s in loaded if assignment in s.files]
        if options:
            folder, chosen = min(options, key=lambda o: _unfinished_rank(o[0], o[1]))
            files[assignment] = chosen.__class__(assignment, f"{folder.name}/{chosen.name}", chosen.source)
        else:
            found = [(folder, s.problems[assignment]) for folder, s in loaded if assignment in s.problems]
            if found:
                problems[assignment] = found[0][1]
    for folder, s in loaded:
        notes += [n for n in s.notes if n.assignment not in files]
        unknown += [f"{folder.name}/{n}" for n in s.unknown]
        provided += [f"{folder.name}/{n}" for n in s.provided]
    digest = hashlib.sha256("".join(s.sha256 for _, s in loaded).encode()).hexdigest()
    return Submission(student, digest, files, problems, tuple(unknown), tuple(dict.fromkeys(notes)), tuple(provided))


def _unfinished_rank(folder, student_file):
    path = folder / student_file.name
    mtime = path.stat().st_mtime if path.exists() else 0.0
    return (len(UNFINISHED.findall(student_file.source)), -int(mtime // 2), not student_file.name.endswith(".py"))


def self_check(path, out, isolation="auto", fail_under=None):
    from grader.report.terminal import terminal_lines

    folders = work_folders(path)
    if folders:
        print(f"Checking {' and '.join(f'{f.name}/' for f in folders)} in {Path(path).resolve()}")
        submission = combined_submission(folders)
    else:
        submission = load_or_explain(path, "self-check")
    from grader.student.portable import missing_features, portable_result, posix_process_control

    if isolation == "subprocess" or not posix_process_control():
        if isolation != "subprocess":
            print(
                "No sandbox here: " + "; ".join(missing_features()) + " missing. The public checks run in a "
                "plain subprocess per assignment, with one time limit each and no resource limits."
            )
        result = portable_result(submission)
    else:
        result = grade_submission(submission, public=True, isolation=isolation)
    folder = write_submission(result, out, public=True, folder=out)  # OUT/report.html
    for line in terminal_lines(result):
        print(line)
    if not any(a.submitted for a in result.assignments):
        hint = (
            " Run it in the bundle's folder, or name a folder: grade check assignments, grade check notebooks."
            if not folders
            else ""
        )
        print(f"No assignment file was found in {path}.{hint}")
    print(f"Report: {folder / 'report.html'}")
    if result.grader_errors:
        print("Some checks failed inside the grader (not your fault); tell the course staff.", file=sys.stderr)
        return 1
    if fail_under is not None and 100 * result.score / result.max_score < fail_under:
        return 1
    return 0
