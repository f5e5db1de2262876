"""Compute the public checks' expected values from the reference and store them as data.

    python -m grader.authoring.public_build [OUT_DIR]

For every public check module ``grader/public/<id>.py`` with a ``CASES`` dict of
``support.Case``, writes ``<id>.frame`` (the wire format: JSON and ``.npy``, no pickle)
holding ``{case name: reference result}``. ``OUT_DIR`` defaults to
``grader/public/expected/`` (committed; a test keeps it in step with the reference).
"""

import importlib.util
import sys
from pathlib import Path

from grader import course, paths
from grader.pipeline.reference import EXPECTED, load_reference
from grader.sandbox import wire


def public_modules():
    for assignment in course.ASSIGNMENT_IDS:
        path = paths.PUBLIC_CHECKS / f"{assignment}.py"
        if path.exists():
            spec = importlib.util.spec_from_file_location(f"grader_public_{assignment}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            yield assignment, module


def expected_frames():
    """{assignment: frame bytes} computed from the reference."""
    frames = {}
    for assignment, module in public_modules():
        reference = load_reference(assignment)
        frames[assignment] = wire.encode({name: case.run_reference(reference)
                                          for name, case in module.CASES.items()})
    return frames


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else EXPECTED
    out.mkdir(parents=True, exist_ok=True)
    for assignment, frame in expected_frames().items():
        (out / f"{assignment}.frame").write_bytes(frame)
        print(f"wrote {out / f'{assignment}.frame'}")


if __name__ == "__main__":
    main()
