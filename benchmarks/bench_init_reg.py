"""Time grading the ``initialization`` and ``regularization`` assignments of one submission.

    python benchmarks/bench_init_reg.py [--repeat N] [--source solutions|assignments]

The submission holds the two reference files (or the two stubs). Reports, each the median of N:

- cold: a new ``grade`` process (imports, sandbox start-up, every check module, reports);
- warm: the same submission again in a running process, as in a batch worker;
- per assignment (warm): the hidden checks of that assignment alone.

The issue's budget is under 2 s for both on a 2-core machine.
"""

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

IDS = ("initialization", "regularization")


def _cpu():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def median_time(function, repeat):
    """Median wall time and median CPU time (this process and its finished children: the grade
    process, the sandbox children), so a busy machine shows as wall >> CPU."""
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), _cpu()
        function()
        walls.append(time.perf_counter() - started)
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--source", choices=("solutions", "assignments"), default="solutions")
    args = parser.parse_args()

    from grader.batch.run import grade_one
    from tests.helpers import grade_source

    work = Path(tempfile.mkdtemp())
    submission = work / "student"
    submission.mkdir()
    sources = {a: (ROOT / args.source / f"{a}.py").read_text() for a in IDS}
    for assignment, source in sources.items():
        (submission / f"{assignment}.py").write_text(source)
    try:
        runs = iter(range(args.repeat))
        cold = median_time(
            lambda: subprocess.run(  # a fresh OUT each time: grade skips what it already graded
                [sys.executable, "-m", "grader.cli", str(submission), "-o", str(work / f"out{next(runs)}")],
                check=True,
                capture_output=True,
                cwd=ROOT,
            ),
            args.repeat,
        )
        result = grade_one(submission)  # warms the imports and the per-process caches
        warm = median_time(lambda: grade_one(submission), args.repeat)
        alone = {a: median_time(lambda a=a: grade_source(a, sources[a]), args.repeat) for a in IDS}
    finally:
        shutil.rmtree(work)
    scores = ", ".join(f"{a.id} {a.score:g}" for a in result.assignments if a.id in IDS)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}, "
        f"Python {platform.python_version()}, isolation: {result.isolation}"
    )
    print(f"submission: {args.source}/ ({scores})")
    print(f"medians over {args.repeat} runs: wall s (CPU s)")
    print(f"cold (new grade process, both): {cold[0]:.2f} ({cold[1]:.2f})")
    print(f"warm (running process, both):   {warm[0]:.2f} ({warm[1]:.2f})")
    for assignment, seconds in alone.items():
        print(f"  {assignment} alone, warm: {seconds[0]:.2f} ({seconds[1]:.2f})")


if __name__ == "__main__":
    main()
