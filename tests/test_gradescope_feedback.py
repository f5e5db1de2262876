"""What a student reads on Gradescope (and in every results.json): the real reason a
submission scored nothing, Markdown that renders, check messages shown when the course file
says while the scores stay visible, and with --assignment only those assignments."""

import json
import zipfile

import pytest

import grader.batch.gradescope
from grader.batch.gradescope import run_on_gradescope
from grader.batch.gradescope_results import for_gradescope
from grader.batch.run import grade_paths
from tests.helpers import reference_source


def output_of(tmp_path, make):
    folder = tmp_path / "class"
    folder.mkdir()
    path = make(folder)
    assert grade_paths([path], tmp_path / "out") == 0
    return json.loads(next((tmp_path / "out").glob("*/results.json")).read_text())["output"]


def test_a_broken_archive_says_why(tmp_path):
    def make(folder):
        (folder / "kim.zip").write_bytes(b"PK\x03\x04 cut short")
        return folder / "kim.zip"

    assert "kim.zip: not a readable zip file" in output_of(tmp_path, make)


def test_a_misnamed_file_gets_the_closest_expected_name(tmp_path):
    def make(folder):
        (folder / "lea").mkdir()
        (folder / "lea" / "optimisation.py").write_text("x = 1\n")
        (folder / "lea" / "notes.py").write_text("x = 1\n")
        return folder / "lea"

    text = output_of(tmp_path, make)
    assert "optimisation.py (did you mean optimization.py?)" in text
    assert "notes.py, " in text and "notes.py (did" not in text  # resembles nothing: no suggestion


def test_an_import_error_gives_its_line(tmp_path):
    def make(folder):
        (folder / "ivan").mkdir()
        (folder / "ivan" / "gradient_checking.py").write_text("import numpy as np\n\ndef f(x)\n    return x\n")
        return folder / "ivan"

    text = output_of(tmp_path, make)
    assert "gradient_checking: 0/100" in text and "SyntaxError" in text and "line 3" in text


DOCUMENT = {
    "score": 6,
    "max_score": 10,
    "output": "x",
    "tests": [
        {"name": "a::f::one", "score": 6, "max_score": 6, "status": "passed", "output": "", "visibility": "visible"},
        {
            "name": "a::f::two",
            "score": 0,
            "max_score": 4,
            "status": "failed",
            "output": "`W1` differs",
            "visibility": "visible",
            "tags": ["a", "f"],
        },
        {"name": "a::course::late penalty", "score": -0.0, "max_score": 0, "status": "passed", "output": "on time"},
    ],
    "extra_data": {},
}


def test_markdown_is_declared():
    shown = for_gradescope(DOCUMENT)
    assert shown["output_format"] == "md" and shown["test_output_format"] == "md"
    assert shown["tests"] == DOCUMENT["tests"]


@pytest.mark.parametrize("visibility", ["after_due_date", "after_published", "hidden"])
def test_check_messages_follow_the_course_file_and_scores_stay_visible(visibility):
    shown = for_gradescope(DOCUMENT, visibility)
    visible = [t for t in shown["tests"] if t.get("visibility", "visible") == "visible"]
    assert sum(t["score"] for t in visible) == DOCUMENT["score"] == shown["score"]
    assert {t["name"] for t in visible} == {t["name"] for t in DOCUMENT["tests"]}
    assert not any("`W1` differs" in t["output"] for t in visible)
    details = [t for t in shown["tests"] if t.get("visibility") == visibility]
    assert [t["output"] for t in details] == ["`W1` differs"] and details[0]["max_score"] == 0


def test_on_gradescope_with_an_assignment_every_text_speaks_of_it_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(grader.batch.gradescope, "_config", lambda: {"assignments": ["gradient_checking"]})
    (tmp_path / "submission").mkdir()
    with zipfile.ZipFile(tmp_path / "submission" / "work.zip", "w") as archive:
        archive.writestr("gradient_checking.py", reference_source("gradient_checking"))
    (tmp_path / "submission_metadata.json").write_text(
        json.dumps({"users": [{"name": "Ada"}], "created_at": "2027-03-01T10:00:00+01:00"})
    )
    assert run_on_gradescope(tmp_path) == 0
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    assert results["score"] == 100 and results["max_score"] == 100
    assert "/500" not in results["output"] and "optimization" not in results["output"]
    assert {t["name"].split("::")[0] for t in results["tests"]} == {"gradient_checking"}


def test_on_gradescope_a_broken_upload_says_so(tmp_path, monkeypatch):
    course = tmp_path / "course.toml"
    course.write_text(
        '[course]\ntimezone = "UTC"\nroster = "absent.csv"\n[assignments.optimization]\n'
        'due = 2027-03-01T00:00:00\n[gradescope]\ncheck_output = "after_due_date"\n'
    )
    monkeypatch.setattr(grader.batch.gradescope, "_config", lambda: {"assignments": [], "course": str(course)})
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "work.zip").write_bytes(b"PK\x03\x04 broken")
    assert run_on_gradescope(tmp_path) == 0
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    assert "work.zip: not a readable zip file" in results["output"] and results["max_score"] == 100
    assert "not submitted (0/100)" in results["output"] and "initialization" not in results["output"]
