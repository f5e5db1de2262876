"""Grading many submissions: finding them, grading what is missing or changed, and the
class-level files.

A PATH is a batch when it is a folder with no student file at its top and either
several entries that are folders or zips, or a single zip (``--batch`` forces it).
The main process loads each submission (cheap: bytes and hashes), skips those whose
``results.json`` is still valid (``grader.batch.resume``), sends the rest to an executor
(``grader.batch.executors``: a local process pool or Dask) and writes each result as it
comes back (atomically, ``results.json`` last). Then, for the whole lot, from the
``results.json`` documents: ``OUT/gradebook.csv``, ``OUT/summary.html`` and the CI
formats. An interrupted batch rerun with the same command finishes the job.
"""

import os
import sys
from dataclasses import replace
from pathlib import Path

from grader import course
from grader.pipeline.submission import load_or_explain
from grader.report import names
from grader.report.gradebook import ERROR, GRADEBOOK_COLUMNS, gradebook_csv, status_of
from grader.report.names import printable
from grader.report.output import results_json, write_atomic, write_submission

STUDENT_SUFFIXES = (".py", ".ipynb")


def _is_student_file(path):
    return path.is_file() and path.stem in course.ASSIGNMENT_IDS and path.suffix in STUDENT_SUFFIXES


def _entries(folder):
    return sorted(
        p for p in folder.iterdir() if not p.name.startswith((".", "__")) and (p.is_dir() or p.suffix == ".zip")
    )


def is_batch(path, force=False):
    if not path.is_dir() or path.is_symlink():
        return False
    if force:
        return True
    if any(_is_student_file(p) for p in path.iterdir()):
        return False
    entries = _entries(path)
    return len(entries) >= 2 or (len(entries) == 1 and entries[0].suffix == ".zip")


def expand(paths_, force_batch=False):
    """The submissions named by the command line, in a stable order."""
    submissions = []
    for path in paths_:
        submissions += _entries(path) if is_batch(path, force_batch) else [path]
    return submissions


def grade_one(path, student=None, public=False, isolation="auto"):
    """Load and grade one submission; an unreadable one becomes a result with its reason."""
    from grader.pipeline.grading import grade_submission

    return grade_submission(load_or_explain(path, student), public=public, isolation=isolation)


def plan(paths_, out, student=None, force_batch=False, force=False, stamp=None, roster=None):
    """``(todo, done)``: the ``(name, layouts.Entry)`` pairs to grade, and ``{name: results.json}``
    of the submissions whose result in ``out`` is still valid (none with ``force``).

    ``stamp(entry)``: the course's stamp of that student's grade (``Course.stamp``); a
    result graded under another course file, due date or submission time is not valid.
    With a ``roster``, an LMS's name is replaced by the roster's (``layouts.on_roster``)."""
    from grader.batch import resume
    from grader.batch.lms import on_roster, read_paths

    by_student = {}
    for entry in read_paths(paths_, force_batch, student):
        entry = on_roster(entry, roster)
        name = entry.student.encode("utf-8", "replace").decode("utf-8")  # as the submission records it
        if name in by_student:
            print(
                f"grade: {_shown(by_student[name])} and {_shown(entry)} are both named "
                f"{printable(repr(name))}; only {_shown(entry)} is graded",
                file=sys.stderr,
            )
        by_student[name] = entry
    chosen, notices = names.folders(by_student, out)  # a folder of its own for every student
    for notice in notices:
        print(f"grade: {notice}", file=sys.stderr)
    named = {chosen[name]: entry for name, entry in by_student.items()}
    todo, done = [], {}
    for folder in (Path(out), *(Path(out) / name for name in named)):
        for stale in folder.glob(".*.tmp"):  # left by a killed run's write_atomic
            stale.unlink(missing_ok=True)
    for name, entry in named.items():
        document = None if force else resume.read_results(out, entry.student, folder=name)
        submission = entry.load() if document else None
        course_stamp = (document or {}).get("extra_data", {}).get("course", {}).get("stamp")
        if (
            document
            and resume.still_valid(document, submission.student, submission.sha256)
            and course_stamp == (stamp(entry) if stamp else None)
        ):
            done[name] = document
        else:
            todo.append((name, entry))
    return todo, done


def _with_lms(result, entry):
    """``result`` with the layout and identifiers of an LMS download in ``extra_data.lms``."""
    if entry.layout == "folders":
        return result
    from dataclasses import replace

    lms = {
        "layout": entry.layout,
        "ids": entry.ids,
        "submitted_at": entry.submitted_at.isoformat() if entry.submitted_at else None,
    }
    return replace(result, extra={**result.extra, "lms": lms})


def _shown(entry):
    return printable(entry.path if entry.layout == "folders" else f"{entry.student} ({entry.layout})")


def grade_paths(
    paths_,
    out,
    student=None,
    force_batch=False,
    isolation="auto",
    fail_under=None,
    jobs=None,
    executor="local",
    scheduler=None,
    junit=None,
    force=False,
    course=None,
    submitted_at=None,
):
    """Grade every submission named by ``paths_`` into ``out``; return the exit status.

    ``out`` is the class folder: the gradebook and the summary cover every student in it.
    ``course`` (a ``course_file.Course``) decides which assignments count and the late
    penalties, with ``submitted_at`` = ``{student: datetime}``."""
    from grader.batch import executors, resume
    from grader.pipeline.grading import GraderFailure

    out = Path(out)
    from grader.batch.late import apply_course, restrict

    times = submitted_at or {}

    def time_of(entry):
        return times.get(entry.student, times.get(entry.ids.get("lms_name"))) or entry.submitted_at

    stamp = (lambda entry: course.stamp(entry.student, time_of(entry))) if course is not None else None
    from grader.batch.lms import LayoutError

    try:
        todo, documents = plan(paths_, out, student, force_batch, force, stamp, course.roster if course else None)
    except LayoutError as error:
        print(f"grade: error: {error}", file=sys.stderr)
        return 2
    entries = dict(todo)
    jobs = max(1, min(jobs or _cores(), len(todo) or 1))
    if documents:
        print(f"{len(documents)} submission(s) already graded and unchanged; grading {len(todo)}", file=sys.stderr)
    items = ((name, restrict(entry.load(), course)) for name, entry in todo)
    if len(todo) == 1 and executor == "local":  # no pool for a single submission
        from grader.report.output import load_in_background

        load_in_background()
        suite = resume.suite_digest()
        results = ((name, executors.grade_task(submission, isolation, suite)) for name, submission in items)
    else:
        results = executors.run(items, jobs, executor, scheduler, isolation)
    graded, status = 0, 0
    with _progress(len(todo)) as bar:
        try:
            for name, result in results:
                result = _with_lms(apply_course(result, course, time_of(entries[name])), entries[name])
                result = replace(result, extra={**result.extra, "folder": name})
                try:
                    write_submission(result, out, folder=out / name)
                except OSError as error:  # a full disk, a lost mount: stop, resumable
                    print(
                        f"grade: cannot write the results of {printable(result.student)} in {out}: {error}",
                        file=sys.stderr,
                    )
                    status = 1
                    break
                documents[name] = result.to_json()
                graded += 1
                _report(bar, result, documents[name])
        except GraderFailure as error:
            print(f"grade: the grader failed: {error}", file=sys.stderr)
            status = 1
        except executors.ExecutorError as error:
            print(f"grade: error: {error}", file=sys.stderr)
            status = 2
        except KeyboardInterrupt:
            print(f"grade: interrupted after {graded} of {len(todo)}", file=sys.stderr)
            status = 130
        finally:
            results.close()
            from grader.sandbox import tempdirs

            tempdirs.sweep()  # what workers that were killed left in the temporary folder
    if status:
        if graded or status == 130:  # a result may be on disk before it is counted here
            print("grade: every result written is complete; rerun the same command to grade the rest", file=sys.stderr)
        return status
    return _class_files(documents, out, junit, fail_under, course)


def _class_files(documents, out, junit, fail_under, course=None):
    """The gradebook and the class summary from every results.json in ``out`` (SPEC §8); the
    CI formats and the exit status from the submissions this command named (``documents``)."""
    from grader.batch.classfolder import class_documents, with_roster
    from grader.report import summary

    everyone = class_documents(out, documents)
    everyone, unlisted = with_roster([everyone[name] for name in sorted(everyone)], course)
    documents = [documents[name] for name in sorted(documents)]
    if unlisted:
        print(
            f"grade: not on the roster {course.roster.path} (graded, flagged in the gradebook): "
            f"{printable(', '.join(unlisted))}",
            file=sys.stderr,
        )
    write_atomic(out / "gradebook.csv", gradebook_csv(everyone, course.roster if course else None))
    similarity = "similarity.html" if (out / "similarity.html").is_file() else None  # grade similarity's report
    write_atomic(out / "summary.html", summary.summary_html(everyone, similarity=similarity))
    if junit:
        from grader.report import junit as junit_xml

        write_atomic(junit, junit_xml.junit_xml(documents))
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as stream:
            stream.write(summary.markdown_summary(documents))
    print(
        f"{len(documents)} submission(s) graded or up to date; the class has {len(everyone)}: "
        f"{out / 'gradebook.csv'}, {out / 'summary.html'}",
        file=sys.stderr,
    )
    status = 0
    failed = [d for d in documents if status_of(d).grader_failed]
    if failed:
        print(f"grade: the grader failed on {len(failed)} submission(s) (our bug); see their reports", file=sys.stderr)
        status = 1
    below = [
        d
        for d in documents
        if fail_under is not None and d["max_score"] and 100 * d["score"] / d["max_score"] < fail_under
    ]
    if below:
        print(f"grade: {len(below)} submission(s) scored below {fail_under:g}%", file=sys.stderr)
        status = 1
    return status


def _cores():
    """The cores this process may run on (a container's share, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _progress(total):
    """A progress bar on stderr when it is a terminal, nothing otherwise."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        unit="submission",
        disable=None,
        dynamic_ncols=True,
        smoothing=0.1,
        bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_fmt}]{postfix}",
    )


def _report(bar, result, document):
    line = f"{printable(result.student)}: {result.score:g}/{result.max_score:g} ({result.execution_time:.1f} s)"
    status = status_of(document)
    if status.code == ERROR:
        bar.errors = getattr(bar, "errors", 0) + 1
        bar.set_postfix_str(f"errors: {bar.errors}", refresh=False)
    if bar.disable:
        print(line)
    elif status.code == ERROR:
        bar.write(f"{line} - {printable(status.text)}")
    bar.update()


__all__ = [
    "grade_paths",
    "grade_one",
    "plan",
    "expand",
    "is_batch",
    "gradebook_csv",
    "GRADEBOOK_COLUMNS",
    "results_json",
]
