"""Compute the public checks' expected values from the reference and store them as data.

    python -m grader.authoring.public_build [OUT_DIR]

For every public check module ``grader/public/<id>.py`` with a ``CASES`` dict of
``support.Case``, writes ``<id>.frame`` (the wire format: JSON and raw array bytes, no pickle)
holding ``{case name: reference result}``, and ``<id>.hints.frame``: the outputs of the
catalogued mistakes on the same cases, for the self-check's hints (``grader/pipeline/public_hints.py``).
``OUT_DIR`` defaults to ``grader/public/expected/`` (committed; a test keeps it in step with the reference).
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
        frames[assignment] = wire.encode({name: case.run_reference(reference) for name, case in module.CASES.items()})
    return frames


def known_mistake_frames():
    """{assignment: frame bytes} of ``{case name: [[mistake name, hint, output], ...]}``: each
    catalogued mistake of a public case's function, run on the case's public inputs (see
    ``grader/pipeline/public_hints.py``). Left out: a mistake that fails there, gives the expected output, or
    gives a different output when np.random's global state differs, or whose hint quotes the name of
    a hidden check."""
    from grader.authoring.release import hidden_check_names
    from grader.mistakes import mistakes
    from grader.pipeline.hints import _evaluate, matches

    hidden = hidden_check_names()  # a hint that quotes a hidden check's name stays out of the bundle
    frames = {}
    for assignment, module in public_modules():
        reference = load_reference(assignment)
        stored = {}
        for name, case in module.CASES.items():
            call = {**case.kwargs, "patch": case.patch}
            failed, expected = _evaluate(reference, case.function, None, case.args, call)
            if failed:
                continue
            entries = []
            for mistake in mistakes(assignment, case.function, hinted=True):
                if any(name in mistake.hint for name in hidden):
                    continue
                failed, output = _evaluate(reference, case.function, mistake.source, case.args, call, seed=1)
                if failed or matches(output, expected):
                    continue
                again = _evaluate(reference, case.function, mistake.source, case.args, call, seed=2)
                if not again[0] and matches(again[1], output):
                    entries.append([mistake.name, mistake.hint, output])
            if entries:
                stored[name] = entries
        frames[assignment] = wire.encode(stored)
    return frames


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else EXPECTED
    out.mkdir(parents=True, exist_ok=True)
    for assignment, frame in expected_frames().items():
        (out / f"{assignment}.frame").write_bytes(frame)
        print(f"wrote {out / f'{assignment}.frame'}")
    for assignment, frame in known_mistake_frames().items():
        (out / f"{assignment}.hints.frame").write_bytes(frame)
        print(f"wrote {out / f'{assignment}.hints.frame'}")


if __name__ == "__main__":
    main()
