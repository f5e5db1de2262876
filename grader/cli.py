"""The ``grade`` command (SPEC §5).

    grade PATH... [-o OUT]        grade submissions; a folder of submissions is a batch
    grade check [PATH]            a student's self-check with the public checks
    grade release -o DIR          build the bundle handed to students
    grade validate                check the grading suite itself
    grade gradescope -o ZIP       build a Gradescope autograder
    grade similarity PATH...      compare the graded functions of every pair of submissions
    grade export --lms L OUT -o F the class folder's grades as an LMS's grade-import CSV

Exit status: 0 when grading finished (whatever the scores), 2 for a usage error, 1
when the grader itself failed or a score is below ``--fail-under``.
"""

import argparse
import os
import sys
from pathlib import Path

from grader.course import ASSIGNMENT_IDS

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
COMMANDS = ("check", "release", "validate", "gradescope", "similarity", "export")


class UsageError(Exception):
    """Bad command-line input; the message names what was wrong."""


def _grade_parser():
    parser = argparse.ArgumentParser(
        prog="grade",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Grade submissions with the hidden checks. Each PATH is a submission (a folder, a "
        ".zip, or one <assignment>.py/.ipynb file) or a batch: a folder whose entries are "
        "submission folders or zips.",
        epilog="Other commands: 'grade check [PATH]' (a student's self-check), 'grade release -o DIR' "
        "(the student bundle), 'grade validate' (test the grading suite), 'grade gradescope -o ZIP' "
        "(a Gradescope autograder), 'grade export --lms canvas|moodle OUT -o FILE' (grades for an "
        "LMS's import), 'grade similarity PATH...' (copied code across a class). 'grade COMMAND "
        "--help' explains each.\n\nExit status: 0 grading finished, whatever the scores; 1 the "
        "grader itself failed, or a score is below --fail-under; 2 a usage error.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", type=Path, help="submissions or batch folders")
    parser.add_argument(
        "-o",
        "--out",
        type=Path,
        default=Path("grades"),
        help="output folder (default: grades/): OUT/<student>/results.json and report.html, OUT/gradebook.csv",
    )
    parser.add_argument(
        "--student", help="the student's name, for a single submission (default: the folder's name or the zip's stem)"
    )
    parser.add_argument(
        "--batch", action="store_true", help="treat every PATH folder as a batch, even when it holds a single entry"
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        metavar="N",
        help="submissions graded at once (default: the number of cores; with --executor dask "
        "and no --scheduler, the local cluster's worker count)",
    )
    parser.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="local: a pool of worker processes on this machine (default); dask: a Dask "
        "cluster (pip install 'dnn-autograder[dask]')",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --executor dask: the scheduler of a running cluster (tcp://HOST:PORT); "
        "without it, a local cluster is started",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="grade again submissions whose result in OUT is up to date (default: only new or "
        "changed ones; the gradebook always covers every student in OUT)",
    )
    parser.add_argument(
        "--course",
        type=Path,
        metavar="FILE",
        help="the course file (default: ./course.toml when it exists): which assignments count, "
        "weights, due dates, late penalties, extensions, adjustments, the roster",
    )
    parser.add_argument(
        "--roster",
        type=Path,
        metavar="FILE",
        help="the roster CSV (a 'student' column and any others); overrides the course file's",
    )
    parser.add_argument(
        "--submitted-at",
        type=Path,
        metavar="FILE",
        help="a CSV student,submitted_at (ISO 8601) giving the submission times for late penalties",
    )
    parser.add_argument(
        "--junit", type=Path, metavar="FILE", help="also write a JUnit XML report (one testcase per check) to FILE"
    )
    _common(parser)
    return parser


def _positive(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _common(parser):
    parser.add_argument(
        "--isolation",
        choices=("auto", "bubblewrap", "process"),
        default="auto",
        help="how student code is isolated (default: bubblewrap when installed)",
    )
    parser.add_argument(
        "--fail-under",
        type=float,
        metavar="PERCENT",
        help="exit 1 when a submission scores below PERCENT of its maximum (for CI)",
    )


def _check_parser():
    from grader.student.cli import check_parser

    return check_parser()


def _release_parser():
    parser = argparse.ArgumentParser(
        prog="grade release",
        description="Build the bundle handed to students: stubs, notebooks, "
        "helpers, data and public checks; no solution, no hidden check.",
    )
    parser.add_argument("-o", "--out", type=Path, required=True, help="the folder to create")
    parser.add_argument(
        "--expected-outputs",
        choices=("full", "fast", "none"),
        default="full",
        help="store in each notebook the outputs of its checks and figures, computed by running it "
        "with the reference: full (the course's training lengths, a few minutes; default), "
        "fast (short training runs), none",
    )
    return parser


def _validate_parser():
    parser = argparse.ArgumentParser(
        prog="grade validate",
        description="Check the grading suite: the reference scores full marks, "
        "the stubs score zero, and every known wrong implementation "
        "loses points. Exits 1 when one of these does not hold.",
    )
    parser.add_argument(
        "--assignment",
        action="append",
        default=[],
        choices=ASSIGNMENT_IDS,
        metavar="ID",
        help="validate only this assignment (repeatable; default: all of them)",
    )
    return parser


def _gradescope_parser():
    parser = argparse.ArgumentParser(
        prog="grade gradescope",
        description="Build a Gradescope autograder zip (setup.sh, run_autograder "
        "and this grader with its checks and reference solutions). "
        "Upload it as a 'Zip file upload' autograder.",
    )
    parser.add_argument(
        "-o", "--out", type=Path, default=Path("autograder.zip"), help="the zip to write (default: autograder.zip)"
    )
    parser.add_argument(
        "--assignment",
        action="append",
        default=[],
        choices=ASSIGNMENT_IDS,
        metavar="ID",
        help="score only this assignment on Gradescope (repeatable; default: all of them, or those of the course file)",
    )
    parser.add_argument(
        "--course",
        type=Path,
        metavar="FILE",
        help="the course file to bundle (default: ./course.toml when it exists): due dates, late "
        "penalties, extensions, adjustments, and [gradescope] check_output",
    )
    return parser


def _similarity_parser():
    parser = argparse.ArgumentParser(
        prog="grade similarity",
        description="Compare the graded functions of every pair of submissions (the layouts 'grade' reads) and "
        "write DIR/similarity.csv and DIR/similarity.html. Renamed names, reordered independent "
        "lines, comments, docstrings, prints and the code every student was given do not count.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", type=Path, help="submissions or batch folders")
    parser.add_argument(
        "-o",
        "--out",
        type=Path,
        default=Path("grades"),
        metavar="DIR",
        help="output folder (default: grades/); when it is a graded class folder, the report "
        "links each student's report.html and the class summary links the report",
    )
    parser.add_argument(
        "--against",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="known sources (for instance public solutions) to compare every submission with: "
        "one submission, or a folder of them (repeatable)",
    )
    parser.add_argument(
        "--threshold",
        type=_fraction,
        default=0.5,
        metavar="S",
        help="report a pair's function when its similarity is above S, 0 to 1 (default: 0.5)",
    )
    parser.add_argument(
        "--max-share",
        type=_positive,
        default=10,
        metavar="N",
        help="ignore code more than N students share, unless a known source has it (default: 10)",
    )
    parser.add_argument(
        "--batch", action="store_true", help="treat every PATH folder as a batch, even when it holds a single entry"
    )
    parser.add_argument("-j", "--jobs", type=_positive, metavar="N", help="processes (default: the number of cores)")
    parser.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="local: worker processes on this machine (default); dask: a Dask cluster",
    )
    parser.add_argument("--scheduler", metavar="ADDRESS", help="with --executor dask: a running cluster's scheduler")
    return parser


def _fraction(text):
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return value


def _export_parser():
    parser = argparse.ArgumentParser(
        prog="grade export",
        description="Write the grades of a class folder as an LMS's own grade-import CSV "
        "(Canvas: Grades > Import; Moodle: Grades > Import > CSV file), with the "
        "roster's identifiers.",
    )
    parser.add_argument("out", type=Path, metavar="OUT", help="the class folder (what 'grade ... -o OUT' wrote)")
    parser.add_argument("--lms", choices=("canvas", "moodle"), required=True)
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE", help="the CSV to write")
    parser.add_argument(
        "--course",
        type=Path,
        metavar="FILE",
        help="the course file (default: ./course.toml when it exists): its assignments and roster",
    )
    parser.add_argument("--roster", type=Path, metavar="FILE", help="the roster CSV (overrides the course file's)")
    parser.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="ID=HEADER",
        help="the LMS column of an assignment, e.g. optimization='Optimization (12345)' (Canvas "
        "matches its export's headers); total=HEADER adds the course total (repeatable)",
    )
    return parser


def _run_export(args):
    from grader.batch.export import ExportError, run_export

    if not args.out.is_dir():
        raise UsageError(f"{args.out}: no such class folder")
    columns = {}
    for item in args.column:
        key, sep, header = item.partition("=")
        if not sep or not header.strip():
            raise UsageError(f"--column {item!r}: expected ID=HEADER, e.g. optimization='Optimization (12345)'")
        columns[key.strip()] = header.strip()
    args.submitted_at = None
    course, _ = _course(args)
    try:
        return run_export(args.lms, args.out, args.output, course, columns)
    except ExportError as error:
        raise UsageError(str(error)) from None


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in COMMANDS:
            command, rest = argv[0], argv[1:]
            parser = {
                "check": _check_parser,
                "release": _release_parser,
                "validate": _validate_parser,
                "gradescope": _gradescope_parser,
                "similarity": _similarity_parser,
                "export": _export_parser,
            }[command]()
            args = parser.parse_args(rest)
            return globals()[f"_run_{command}"](args)
        return _run_grade(_grade_parser().parse_args(argv))
    except UsageError as error:
        print(f"grade: error: {error}", file=sys.stderr)
        return EXIT_USAGE


def _run_grade(args):
    from grader.batch.run import grade_paths
    from grader.student.portable import missing_features, posix_process_control

    if not posix_process_control():
        raise UsageError(
            "grading with the hidden checks needs POSIX process control, which this platform lacks: "
            + "; ".join(missing_features())
            + ". Run it on Linux (or WSL 2, or macOS); "
            "'grade check' works here, without a sandbox."
        )

    for path in args.paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
    if args.student and (len(args.paths) > 1 or args.batch):
        raise UsageError("--student names a single submission; it cannot be used with several paths or --batch")
    if args.scheduler and args.executor != "dask":
        raise UsageError("--scheduler needs --executor dask")
    if args.executor == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise UsageError("--executor dask needs Dask: pip install 'dnn-autograder[dask]'") from None
    course, times = _course(args)
    from grader.batch.lms import LayoutError, read_paths

    try:
        read_paths(args.paths, args.batch, args.student)  # a folder no layout reads: a usage error, before any work
    except LayoutError as error:
        raise UsageError(str(error)) from None
    return grade_paths(
        args.paths,
        args.out,
        student=args.student,
        force_batch=args.batch,
        isolation=args.isolation,
        fail_under=args.fail_under,
        jobs=args.jobs,
        executor=args.executor,
        scheduler=args.scheduler,
        junit=args.junit,
        force=args.force,
        course=course,
        submitted_at=times,
    )


def _course(args):
    """The course (or None) and the submission times of ``--course``/``--roster``/``--submitted-at``."""
    from grader.batch.course_file import CourseError, load_course, read_submission_times

    for option, path in (("--course", args.course), ("--roster", args.roster), ("--submitted-at", args.submitted_at)):
        if path is not None and not path.is_file():
            raise UsageError(f"{option} {path}: no such file")
    try:
        course = load_course(args.course, args.roster)
        zone = course.timezone if course else None
        times = read_submission_times(args.submitted_at, zone) if args.submitted_at else {}
    except CourseError as error:
        raise UsageError(str(error)) from None
    return course, times


def _run_check(args):
    from grader.student.cli import run_check

    return run_check(args)


def _run_release(args):
    from grader.authoring.release import build_release

    return build_release(args.out, expected_outputs=args.expected_outputs)


def _run_gradescope(args):
    from grader.batch.course_file import DEFAULT_FILE, CourseError, parse_course
    from grader.batch.gradescope import build_autograder

    course = args.course or (Path(DEFAULT_FILE) if Path(DEFAULT_FILE).is_file() else None)
    if course is not None:
        try:
            parse_course(course, with_roster=False)
        except CourseError as error:
            raise UsageError(str(error)) from None
    return build_autograder(args.out, args.assignment, course)


def _run_similarity(args):
    from grader.similarity.command import run

    for path in [*args.paths, *args.against]:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
    if args.scheduler and args.executor != "dask":
        raise UsageError("--scheduler needs --executor dask")
    return run(
        args.paths,
        args.out,
        args.against,
        args.threshold,
        args.executor,
        args.jobs,
        args.scheduler,
        args.max_share,
        args.batch,
    )


def _run_validate(args):
    from grader.authoring.validate import validate

    return validate(args.assignment or None)


def entry():
    """The ``grade`` command: ``main``, then a quick exit. Everything a run writes is written
    and closed before ``main`` returns (results atomically, the sandbox children stopped, the
    pools shut down), so the interpreter's teardown, which frees every module and object one
    by one (about 0.15 s after a grading), is skipped: the exit handlers run, the standard
    streams are flushed, and the process ends with ``main``'s status."""
    import atexit
    import threading

    status = main()
    # What the interpreter does first when it exits, in its order: wait for the other threads
    # (a process pool's manager thread among them) and run their exit hooks, then the exit
    # handlers (logging's, multiprocessing's); only the freeing of every object is skipped.
    threading._shutdown()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (grade ... | head): nothing more to say
            pass
    os._exit(status if isinstance(status, int) else 0 if status is None else 1)


if __name__ == "__main__":
    entry()
