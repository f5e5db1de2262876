"""Time grading one submission: the reference (or the stubs) of every assignment that has checks.

    python benchmarks/bench_grade_one.py [--repeat N] [--assignments a,b,...] [--stubs]

Reports the cold time (a new `grade` process: imports, sandbox start-up, checks) and the
warm time (a second submission in the same process, as in a batch worker), each the
median of N runs, and the isolation used.
"""

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader import paths  # noqa: E402
from grader.pipeline.grading import check_files  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--assignments", help="comma-separated ids (default: all that have checks)")
    parser.add_argument("--stubs", action="store_true",
                        help="grade the stubs handed to students (every check fails at once) instead of the reference")
    args = parser.parse_args()
    ids = args.assignments.split(",") if args.assignments else [f.stem for f in check_files()]
    work = Path(tempfile.mkdtemp())
    submission = work / ("stubs" if args.stubs else "reference")
    submission.mkdir()
    for assignment in ids:
        shutil.copy((paths.ASSIGNMENTS if args.stubs else paths.SOLUTIONS) / f"{assignment}.py", submission)

    cold = []
    for run in range(args.repeat):  # a fresh output folder each time: no resuming
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "grader.cli", str(submission), "-o", str(work / f"out{run}")],
                       check=True, capture_output=True)
        cold.append(time.perf_counter() - started)

    from grader.batch.run import grade_one

    result = grade_one(submission)
    warm = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = grade_one(submission)
        warm.append(time.perf_counter() - started)
    shutil.rmtree(work)
    print(f"machine: {platform.processor() or platform.machine()}, {__import__('os').cpu_count()} cores, "
          f"Python {platform.python_version()}, isolation: {result.isolation}")
    print(f"assignments: {', '.join(ids)}; score {result.score:g}/{100 * len(ids)}")
    print(f"cold (new grade process): median {statistics.median(cold):.2f} s over {args.repeat}")
    print(f"warm (in a running worker): median {statistics.median(warm):.2f} s over {args.repeat}")


if __name__ == "__main__":
    main()
