"""Where the project's parts live, and which files are the student-facing helpers."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = ROOT / "assignments"
SOLUTIONS = ROOT / "solutions"
TEMPLATES = ROOT / "templates"
CHECKS = ROOT / "grader" / "checks"
PUBLIC_CHECKS = ROOT / "grader" / "public"

ASSIGNMENT_IDS = ("initialization", "regularization", "gradient_checking",
                  "gradient_checking_nd", "optimization")


def helper_files():
    """The provided helper modules and data files of ``assignments/`` (never the stubs)."""
    stubs = {f"{name}.py" for name in ASSIGNMENT_IDS}
    return sorted(p for p in ASSIGNMENTS.iterdir()
                  if p.is_file() and p.name not in stubs and p.suffix in (".py", ".npz", ".npy", ".json", ".csv"))
