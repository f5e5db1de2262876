"""What the checks compare with: the reference solutions (hidden checks) and the public
checks' stored expected values (``grader/public/expected/<id>.frame``, built by
``grader.authoring.public_build``; the student bundle has these and no solution).
"""

import importlib.util
import sys
from pathlib import Path

from grader import paths
from grader.sandbox import wire

EXPECTED = paths.PUBLIC_CHECKS / "expected"

_references: dict = {}


def load_reference(assignment):
    """The reference solution module, imported from ``solutions/`` once per process."""
    if assignment not in _references:
        if str(paths.ASSIGNMENTS) not in sys.path:
            sys.path.append(str(paths.ASSIGNMENTS))  # the solutions import the helpers flat
        spec = importlib.util.spec_from_file_location(f"solutions.{assignment}", paths.SOLUTIONS / f"{assignment}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _references[assignment] = module
    return _references[assignment]


def load_expected(assignment, folder=EXPECTED):
    return wire.read_bytes((Path(folder) / f"{assignment}.frame").read_bytes())
