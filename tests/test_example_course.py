"""``examples/course``: the course file parses, its roster has a student who submitted
nothing and one with an extension, and its Canvas download is ``examples/class`` with every
submission filed under its roster name (no grading here; the README's walkthrough grades it)."""

from pathlib import Path

from grader.batch.course_file import parse_course
from grader.batch.lms import on_roster, read_paths

COURSE = Path(__file__).resolve().parents[1] / "examples" / "course"
CLASS = COURSE.parent / "class"


def test_the_example_course_and_its_canvas_download():
    course = parse_course(COURSE / "course.toml")
    entries = [on_roster(e, course.roster) for e in read_paths([COURSE / "canvas"])]
    assert {e.layout for e in entries} == {"canvas"}
    filed = {e.student for e in entries}
    assert filed <= set(course.roster.students)
    absent = set(course.roster.students) - filed
    assert len(absent) == 1 and len(entries) == len([p for p in CLASS.iterdir() if not p.name.startswith(".")])
    assert [s for s in course.roster.students if course.extension_days(s, "optimization")] == ["eve"]
    assert any("Canvas marks this submission late." in e.notes for e in entries)
