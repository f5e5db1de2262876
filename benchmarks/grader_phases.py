"""Where a warm grading of the reference spends the grader's CPU, by phase.

    python benchmarks/grader_phases.py [--repeat N]

Grades the reference of every assignment that has checks twice (the second is warm: the
memo's values and the driven runs' traces are there), then N more times, and prints the
grader's process time per submission spent in a few places of the boundary, each counted
once however deeply it nests:

- ``wire.decode``: decoding the child's replies (a reply whose frame is the one a followed
  run expects is not decoded at all: ``session.SAME``);
- ``lockstep._Following.answered``: a followed run's comparison of its answers with the trace's
  (``traces.identical`` when the bytes differ);
- ``hints.CallLog.record``: the hints' log of each call;

and the grader's whole process time. Only the grader's process is measured (not its
sandbox children).
"""

import argparse
import collections
import functools
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader import paths  # noqa: E402
from grader.batch.run import grade_one  # noqa: E402
from grader.checkapi import lockstep  # noqa: E402
from grader.pipeline import hints  # noqa: E402
from grader.pipeline.grading import check_files  # noqa: E402
from grader.sandbox import wire  # noqa: E402

PHASES = (
    (wire, "decode", "decoding replies (wire.decode)"),
    (lockstep._Following, "answered", "followed runs' comparisons (_Following.answered)"),
    (hints.CallLog, "record", "the hints' log (CallLog.record)"),
)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    spent, depth = collections.Counter(), [0]

    def timed(function, label):
        @functools.wraps(function)
        def wrapper(*a, **k):
            if depth[0]:  # (inside another phase: counted there)
                return function(*a, **k)
            depth[0] += 1
            started = time.process_time()
            try:
                return function(*a, **k)
            finally:
                spent[label] += time.process_time() - started
                depth[0] -= 1

        return wrapper

    for owner, name, label in PHASES:
        setattr(owner, name, timed(getattr(owner, name), label))
    work = Path(tempfile.mkdtemp())
    submission = work / "reference"
    submission.mkdir()
    for check_file in check_files():
        shutil.copy(paths.SOLUTIONS / f"{check_file.stem}.py", submission)
    try:
        grade_one(submission)
        grade_one(submission)
        spent.clear()
        started = time.process_time()
        for _ in range(args.repeat):
            grade_one(submission)
        total = time.process_time() - started
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for _, _, label in PHASES:
        print(f"{1e3 * spent[label] / args.repeat:8.1f} ms  {label}")
    print(f"{1e3 * total / args.repeat:8.1f} ms  the grader's whole process time, per submission")


if __name__ == "__main__":
    main()
