"""The student's ``grade`` command, the one the student bundle installs: ``grade check``.

    grade check [PATH] [-o OUT]   run the public checks on your work and write a report

Exit status: 0 when the checks ran (whatever they found), 1 when the grader failed or a score
is below ``--fail-under``, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_USAGE = 2


def check_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="grade check",
        description="Run the public checks on your work (default: the current "
        "folder) and write a report. Needs no solution code.",
    )
    parser.add_argument("path", nargs="?", type=Path, default=Path("."), metavar="PATH")
    parser.add_argument(
        "-o",
        "--out",
        type=Path,
        default=Path("self-check"),
        help="where to write report.html and results.json (default: self-check/)",
    )
    parser.add_argument(
        "--isolation",
        choices=("auto", "bubblewrap", "process", "subprocess"),
        default="auto",
        help="how to run your code: bubblewrap when installed (auto), or a plain process; "
        "subprocess: a plain child process per assignment with one time limit and no "
        "sandbox (what a platform without POSIX process control, such as Windows, gets)",
    )
    parser.add_argument("--fail-under", type=float, metavar="PERCENT", help="exit 1 when the score is below PERCENT")
    return parser


def run_check(args: argparse.Namespace) -> int:
    from grader.student.selfcheck import self_check

    if not args.path.exists():
        print(f"grade check: error: {args.path}: no such file or folder", file=sys.stderr)
        return EXIT_USAGE
    return self_check(args.path, args.out, isolation=args.isolation, fail_under=args.fail_under)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] != "check":
        print(
            "usage: grade check [PATH] [-o OUT]\n\nThe student's command: 'grade check' runs the public "
            "checks on your work (see 'grade check --help').",
            file=sys.stderr,
        )
        return 0 if argv and argv[0] in ("-h", "--help") else EXIT_USAGE
    return run_check(check_parser().parse_args(argv[1:]))


if __name__ == "__main__":
    sys.exit(main())
