"""Time the student's side: `grade check` of one assignment in the student bundle, and a
notebook's `check("fn")` cell after its first call.

    python benchmarks/bench_student.py [--repeat N]

`grade check` runs in a new process from the bundle's folder (built by `grade release
--expected-outputs none`), on the reference's `gradient_checking.py`, as a student would run it;
the notebook's cell is `grader.student.notebook_check.checker` on a namespace holding the
reference's `optimization` (what the notebook's own cells define), called in this process.
"""

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader import paths  # noqa: E402

CHECK = "import sys; from grader.student.cli import main; sys.exit(main(['check', 'assignments/gradient_checking.py']))"


def grade_check(repeat):
    bundle = Path(tempfile.mkdtemp()) / "bundle"
    subprocess.run(
        [sys.executable, "-m", "grader.cli", "release", "-o", str(bundle), "--expected-outputs", "none"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    shutil.copy(paths.SOLUTIONS / "gradient_checking.py", bundle / "assignments" / "gradient_checking.py")
    env = {**os.environ, "PYTHONPATH": str(bundle)}
    walls = []
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", CHECK], cwd=bundle, env=env, capture_output=True, text=True)
        walls.append(time.perf_counter() - started)
        assert "4/4 public checks passed" in done.stdout, done.stdout + done.stderr
    shutil.rmtree(bundle.parent, ignore_errors=True)
    return walls


def notebook_cell(repeat):
    sys.path.append(str(paths.ASSIGNMENTS))
    from grader.student.notebook_check import checker

    namespace = {}
    exec(compile((paths.SOLUTIONS / "optimization.py").read_text(), "optimization.py", "exec"), namespace)
    check = checker("optimization", namespace)
    times = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        with redirect_stdout(io.StringIO()) as printed:
            check("update_parameters_with_adam")
        times.append(time.perf_counter() - started)
        assert "1/1 public checks passed" in printed.getvalue(), printed.getvalue()
    return times[0], times[1:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    walls = grade_check(args.repeat)
    print(
        f"grade check (gradient_checking, the bundle, a new process): median {statistics.median(walls):.2f} s wall over {len(walls)}"
    )
    first, later = notebook_cell(args.repeat)
    print(
        f"notebook check('update_parameters_with_adam'): first call {1000 * first:.1f} ms, "
        f"then median {1000 * statistics.median(later):.1f} ms over {len(later)}"
    )
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
