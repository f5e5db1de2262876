"""Where the project's parts live (the course's assignments are in ``grader.course``)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = ROOT / "assignments"
SOLUTIONS = ROOT / "solutions"
TEMPLATES = ROOT / "templates"
CHECKS = ROOT / "grader" / "checks"
PUBLIC_CHECKS = ROOT / "grader" / "public"
