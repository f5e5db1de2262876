"""The course in one place: its assignments (ids, titles, points) and the provided helper files.

The list is data, ``assignments/assignments.toml`` (one ``[[assignment]]`` table per assignment, in
the order students meet them), so that adding an assignment touches no engine file: add its
entry there and its stub, reference, checks (and optionally public checks, mistakes, notebook
text). Every assignment is worth ``POINTS`` points.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from grader import paths

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MANIFEST = "assignments.toml"
POINTS = 100  # per assignment
HELPER_SUFFIXES = (".py", ".npz", ".npy", ".json", ".csv")


@dataclass(frozen=True)
class Assignment:
    id: str
    title: str


def _load(folder: Path) -> tuple[Assignment, ...]:
    path = folder / MANIFEST
    with open(path, "rb") as file:
        data = tomllib.load(file)
    return tuple(Assignment(entry["id"], entry.get("title", entry["id"])) for entry in data["assignment"])


ASSIGNMENTS: tuple[Assignment, ...] = _load(paths.ASSIGNMENTS)
ASSIGNMENT_IDS: tuple[str, ...] = tuple(a.id for a in ASSIGNMENTS)
TITLES: dict[str, str] = {a.id: a.title for a in ASSIGNMENTS}


def total_points(ids=None) -> int:
    """The maximum score of the given assignments (default: all of them)."""
    return POINTS * len(ASSIGNMENT_IDS if ids is None else ids)


def helper_files(folder: Path | None = None) -> list[Path]:
    """The provided helper modules and data files (never the stubs), and the manifest itself."""
    folder = folder or paths.ASSIGNMENTS
    stubs = {f"{name}.py" for name in ASSIGNMENT_IDS}
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.name not in stubs and (p.suffix in HELPER_SUFFIXES or p.name == MANIFEST)
    )
