"""Regenerate ``examples/course/canvas``: ``examples/class`` laid out as Canvas' "Download
submissions" gives it, for the course of ``examples/course`` (its roster, its course file).

    python examples/make_class.py && python examples/make_course.py

Canvas names every file ``<login>_<user id>_<submission id>_<file>``, with ``_LATE`` after
the login of a late submission; a student who uploaded a zip keeps it whole. The user ids
are the roster's ``canvas_id`` column, so the grader files each submission under the
roster's ``student`` name. Canvas' download carries no submission times: those of
``submitted_at.csv`` stand for the ones an instructor exports from Canvas.
"""

import csv
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLASS = ROOT / "examples" / "class"
COURSE = ROOT / "examples" / "course"


# roster student -> (its submission in examples/class, its Canvas login); nia submitted nothing
CANVAS = {
    "ada": ("ada_complete", "completeada"),
    "ben": ("ben_partial", "partialben"),
    "cho": ("cho_notebook", "notebookcho"),
    "dev": ("dev_zip", "zipdev"),
    "eve": ("eve_init_scales", "scaleseve"),
    "fay": ("fay_regularization", "regularizationfay"),
    "gus": ("gus_gradients", "gradientsgus"),
    "hal": ("hal_adam", "adamhal"),
    "ivy": ("ivy_schedules", "schedulesivy"),
    "jon": ("jon_stubs", "stubsjon"),
    "kim": ("kim_broken", "brokenkim"),
    "lea": ("lea_misnamed", "misnamedlea"),
    "max": ("max_crashes", "crashesmax"),
}
LATE = {"ben", "eve"}  # Canvas marks them late (eve has an extension in course.toml)


def roster():
    with open(COURSE / "roster.csv", newline="") as stream:
        return list(csv.DictReader(stream))


def main():
    target = COURSE / "canvas"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    folders = {p.stem if p.suffix == ".zip" else p.name: p for p in CLASS.iterdir() if not p.name.startswith(".")}
    for number, row in enumerate(roster()):
        if row["student"] not in CANVAS:
            continue  # on the roster, submitted nothing
        folder, login = CANVAS[row["student"]]
        source = folders[folder]
        prefix = f"{login}{'_LATE' if row['student'] in LATE else ''}_{row['canvas_id']}_{50001 + number}_"
        files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
        for file in files:
            shutil.copyfile(file, target / f"{prefix}{file.name}")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
