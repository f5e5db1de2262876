"""Core-seconds per submission of the benchmark mix, grader and sandbox children together.

    python benchmarks/bench_cpu.py [-n 30]

On a machine shared with other jobs, a batch's wall time says more about the others than
about the grader. This grades ``n`` submissions of ``bench_batch.py``'s mix (the same
generator and seed: right, typical mistakes, stubs, a notebook, a runaway function) one
after another in this process, as a batch worker does (``executors.grade_task``, then
``results.json`` and ``report.html``), and counts CPU time: the grader's own
(``time.process_time``) and every sandbox child's (``cputime.py``). Two figures follow:
core-seconds per submission, and what 1,000 submissions would take on 2 cores if the
grading alone had them (core-seconds x 1,000 / 2).
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench_batch  # noqa: E402
import cputime  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30, help="submissions (default 30, the first n of the mix)")
    args = parser.parse_args()
    from grader.batch import resume
    from grader.batch.executors import grade_task
    from grader.pipeline.submission import load_or_explain
    from grader.report.output import write_submission

    cputime.install()
    suite = resume.suite_digest()
    load_before = cputime.load()
    with tempfile.TemporaryDirectory(prefix="bench-cpu-") as tmp:
        tmp = Path(tmp)
        bench_batch.generate(tmp / "class", args.n)
        costs, walls = [], []
        for folder in sorted((tmp / "class").iterdir()):
            before = cputime.snapshot()
            result = grade_task(load_or_explain(folder), "auto", suite)
            write_submission(result, tmp / "out")
            grader_s, child_s, wall = cputime.since(before)
            costs.append((grader_s, child_s))
            walls.append(wall)
    grader_mean = statistics.mean(c[0] for c in costs)
    child_mean = statistics.mean(c[1] for c in costs)
    total = grader_mean + child_mean
    load = (load_before + cputime.load()) / 2
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, isolation {result.isolation}, load average {load:.1f}"
    )
    print(
        f"{args.n} submissions of the mix: {grader_mean:.2f} s grader + {child_mean:.2f} s children = "
        f"{total:.2f} core-seconds each (first {sum(costs[0]):.2f}, "
        f"median {statistics.median(map(sum, costs)):.2f}); "
        f"1,000 on 2 cores: {total * 1000 / 2 / 60:.1f} min; mean wall {statistics.mean(walls):.2f} s"
    )


if __name__ == "__main__":
    main()
