"""Time two small parts of a submission's cost that session 10 changed: writing one report, and
the sandbox child's encoding of one reply.

    python benchmarks/bench_small_parts.py [--repeat N]

- ``write_submission`` of the reference's result for ``optimization`` and ``regularization``
  (graded once first): the median CPU time of N writes (its report has the optimizers' path
  panels and the regularized model's boundary panels);
- ``wire.encode(..., packed=True)`` of an Adam step's reply (five dicts of the six small arrays
  of the ``[2, 5, 2, 1]`` network) and of a gradients dict of the ``[2, 20, 3, 1]`` network:
  microseconds per reply over 20,000 encodings.
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from grader import paths  # noqa: E402
from grader.batch.run import grade_one  # noqa: E402
from grader.report.output import write_submission  # noqa: E402
from grader.sandbox import wire  # noqa: E402


def _parameters(rng, dims, prefix=""):
    out = {}
    for layer in range(1, len(dims)):
        out[f"{prefix}W{layer}"] = rng.standard_normal((dims[layer], dims[layer - 1]))
        out[f"{prefix}b{layer}"] = rng.standard_normal((dims[layer], 1))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp())
    try:
        submission = work / "reference"
        submission.mkdir()
        for assignment in ("optimization", "regularization"):
            shutil.copy(paths.SOLUTIONS / f"{assignment}.py", submission)
        result = grade_one(submission)
        write_submission(result, work / "first")  # (templates loaded and compiled)
        times = []
        for index in range(options.repeat):
            start = time.process_time()
            write_submission(result, work / f"out{index}")
            times.append(time.process_time() - start)
        print(f"write_submission (optimization, regularization): median {1e3 * statistics.median(times):.1f} ms CPU")
    finally:
        shutil.rmtree(work)

    rng = np.random.default_rng(0)
    dims = [2, 5, 2, 1]
    adam = {"ok": True, "value": (_parameters(rng, dims), *(_parameters(rng, dims, "d") for _ in range(4)))}
    grads = {"ok": True, "value": _parameters(rng, [2, 20, 3, 1], "d")}
    count = 20_000
    for name, reply in (("an Adam step's reply", adam), ("a gradients dict", grads)):
        seconds = timeit.timeit(lambda reply=reply: wire.encode(reply, packed=True), number=count)
        print(f"wire.encode of {name}: {1e6 * seconds / count:.1f} us")


if __name__ == "__main__":
    main()
