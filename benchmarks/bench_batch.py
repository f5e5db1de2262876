"""Batch throughput: grade N generated full submissions at several --jobs values.

    python benchmarks/bench_batch.py                    # 200 submissions, jobs=1 and jobs=2
    python benchmarks/bench_batch.py -n 40 --jobs 2     # a quicker look

Every generated submission has all five assignments; for each assignment it takes one of
the versions found in ``examples/class`` (the reference, typical mistakes, the stubs,
a notebook), drawn with a fixed seed, so the mix of fast and slow checks is realistic
and the same from run to run. Each run grades into a fresh folder (nothing resumed).
The table is printed (and written to ``--record FILE``); ``benchmarks/bench_batch.md``
keeps the recorded runs with what was measured around them.
"""

import argparse
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader import course, paths  # noqa: E402
from grader.batch.run import grade_paths  # noqa: E402


def variants():
    """{assignment: [(file name, text)]}: every version of it in the example class."""
    found = {a: [] for a in course.ASSIGNMENT_IDS}
    for file in sorted((ROOT / "examples" / "class").glob("*/*")):
        stem = file.stem
        if stem in found and file.suffix in (".py", ".ipynb"):
            found[stem].append((file.name, file.read_text()))
    for a in course.ASSIGNMENT_IDS:
        found[a].append((f"{a}.py", (paths.SOLUTIONS / f"{a}.py").read_text()))
    return found


def generate(folder, n, seed=0):
    rng, pool = random.Random(seed), variants()
    for i in range(n):
        student = folder / f"student{i:05d}"
        student.mkdir(parents=True)
        for a in course.ASSIGNMENT_IDS:
            name, text = rng.choice(pool[a])
            (student / name).write_text(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="submissions (default 200)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--record", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        tmp = Path(tmp)
        generate(tmp / "class", args.n)
        for jobs in args.jobs:
            out = tmp / f"out-{jobs}"
            started, load = time.monotonic(), os.getloadavg()[0]
            status = grade_paths([tmp / "class"], out, jobs=jobs)
            seconds = time.monotonic() - started
            load = (load + os.getloadavg()[0]) / 2  # the machine is shared: say how busy it was
            assert status == 0, f"grading failed (exit {status})"
            assert len(list(out.glob("*/results.json"))) == args.n
            rate = args.n / seconds
            rows.append(
                f"| {args.n} full submissions | {jobs} | {seconds:.0f} s | {rate:.2f} /s | "
                f"{seconds / args.n:.2f} s | {1000 / rate / 60:.1f} min | {load:.1f} |"
            )
            print(rows[-1], file=sys.stderr)
            shutil.rmtree(out)
    header = [
        "| batch | jobs | wall time | throughput | per submission | 1,000 would take | load average |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    machine = (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    text = (
        "\n".join([f"# Batch throughput ({machine})", "", "`python benchmarks/bench_batch.py`", "", *header, *rows])
        + "\n"
    )
    print(text)
    if args.record:
        args.record.write_text(text)


if __name__ == "__main__":
    main()
