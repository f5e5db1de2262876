"""Time grading one submission: the reference (or the stubs) of every assignment that has checks.

    python benchmarks/bench_grade_one.py [--repeat N] [--assignments a,b,...] [--stubs]

Reports the cold time (a new `grade` process: imports, sandbox start-up, checks, the
report) and the warm time (a second submission in the same process, as in a batch
worker), each the median of N runs, in wall seconds and in CPU seconds (the grader's
process and its sandbox children, see ``cputime.py``: on a shared machine the CPU figure
is the one to compare), with the load average and the isolation used.
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

import cputime  # noqa: E402

from grader import paths  # noqa: E402
from grader.pipeline.grading import check_files  # noqa: E402

# A `grade` process (``grader.cli.entry``, as the command runs it) that also prints its CPU time
# and its sandbox children's on its last line (an exit handler: entry runs them before it exits).
COLD = (
    "import atexit, sys; sys.path[:0] = ['benchmarks', '.']; import cputime; cputime.install(); "
    "atexit.register(lambda: print('cpu', *cputime.since((0, 0, 0))[:2], file=sys.stderr, flush=True)); "
    "from grader.cli import entry; entry()"
)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--assignments", help="comma-separated ids (default: all that have checks)")
    parser.add_argument(
        "--stubs",
        action="store_true",
        help="grade the stubs handed to students (every check fails at once) instead of the reference",
    )
    args = parser.parse_args()
    ids = args.assignments.split(",") if args.assignments else [f.stem for f in check_files()]
    work = Path(tempfile.mkdtemp())
    submission = work / ("stubs" if args.stubs else "reference")
    submission.mkdir()
    for assignment in ids:
        shutil.copy((paths.ASSIGNMENTS if args.stubs else paths.SOLUTIONS) / f"{assignment}.py", submission)

    cold, cold_cpu, loads = [], [], [cputime.load()]
    for run in range(args.repeat):  # a fresh output folder each time: no resuming
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", COLD, str(submission), "-o", str(work / f"out{run}")],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        cold.append(time.perf_counter() - started)
        cold_cpu.append(sum(map(float, done.stderr.strip().splitlines()[-1].split()[1:3])))
    loads.append(cputime.load())

    from grader.batch.run import grade_one
    from grader.report.output import write_submission

    cputime.install()
    result = grade_one(submission)
    warm, warm_cpu = [], []
    for run in range(args.repeat):
        before = cputime.snapshot()
        result = grade_one(submission)
        write_submission(result, work / f"warm{run}")  # a batch worker's share: the report too
        grader_s, child_s, wall = cputime.since(before)
        warm.append(wall)
        warm_cpu.append(grader_s + child_s)
    loads.append(cputime.load())
    shutil.rmtree(work)
    print(
        f"machine: {platform.processor() or platform.machine()}, {__import__('os').cpu_count()} cores, "
        f"Python {platform.python_version()}, isolation: {result.isolation}; load average "
        f"{min(loads):.1f}-{max(loads):.1f}"
    )
    print(f"assignments: {', '.join(ids)}; score {result.score:g}/{100 * len(ids)}")
    print(
        f"cold (new grade process): median {statistics.median(cold):.2f} s wall, "
        f"{statistics.median(cold_cpu):.2f} s CPU over {args.repeat}"
    )
    print(
        f"warm (in a running worker): median {statistics.median(warm):.2f} s wall, "
        f"{statistics.median(warm_cpu):.2f} s CPU over {args.repeat}"
    )


if __name__ == "__main__":
    main()
