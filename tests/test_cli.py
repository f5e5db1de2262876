"""The grade command end to end (SPEC §5-6): files written, exit codes, results.json."""

import json
import subprocess
import sys

import pytest

from grader import course, paths
from grader.cli import main

REFERENCE = (paths.SOLUTIONS / "gradient_checking.py").read_text()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One run of `grade` over a small batch: a reference folder and a single stub file."""
    root = tmp_path_factory.mktemp("cli")
    batch = root / "class"
    (batch / "ref").mkdir(parents=True)
    (batch / "ref" / "gradient_checking.py").write_text(REFERENCE)
    (batch / "ref" / "notes.txt").write_text("not a student file")
    (batch / "stub").mkdir()
    (batch / "stub" / "gradient_checking.py").write_text((paths.ASSIGNMENTS / "gradient_checking.py").read_text())
    out = root / "out"
    run = subprocess.run(
        [sys.executable, "-m", "grader.cli", str(batch), "-o", str(out)], capture_output=True, text=True, timeout=300
    )
    return run, out, batch


def test_batch_exits_zero_and_writes_every_file(graded):
    run, out, _ = graded
    assert run.returncode == 0, run.stderr
    for student in ("ref", "stub"):
        assert (out / student / "results.json").is_file()
        assert (out / student / "report.html").is_file()
    assert (out / "gradebook.csv").read_text().splitlines()[0].startswith("student,initialization,")


def test_results_json_follows_the_spec(graded):
    _, out, _ = graded
    data = json.loads((out / "ref" / "results.json").read_text())
    assert data["max_score"] == 500
    assert data["score"] == sum(t["score"] for t in data["tests"]) == 100
    assert set(data["extra_data"]["assignments"]) == set(course.ASSIGNMENT_IDS)
    assert data["extra_data"]["assignments"]["gradient_checking"]["score"] == 100
    assert data["extra_data"]["isolation"] in ("bubblewrap", "process")
    assert data["extra_data"]["student"] == "ref" and len(data["extra_data"]["submission_sha256"]) == 64
    assert data["extra_data"]["unknown_files"] == ["notes.txt"]
    for test in data["tests"]:
        assert test["name"].startswith(f"{test['tags'][0]}::{test['tags'][1]}::")
        assert test["status"] in ("passed", "failed") and test["visibility"] == "visible"
        assert 0 <= test["score"] <= test["max_score"]


def test_not_submitted_assignments_say_so(graded):
    _, out, _ = graded
    data = json.loads((out / "stub" / "results.json").read_text())
    assert data["score"] == 0
    others = [t for t in data["tests"] if not t["name"].startswith("gradient_checking::")]
    assert all("was not submitted" in t["output"] for t in others)
    assert "not submitted" in data["output"]


def test_report_escapes_student_text(tmp_path):
    folder = tmp_path / "mallory"
    folder.mkdir()
    (folder / "gradient_checking.py").write_text(
        REFERENCE + "\ndef forward_propagation(x, theta):\n    raise ValueError('<script>alert(1)</script>')\n"
    )
    assert main([str(folder), "-o", str(tmp_path / "out")]) == 0
    html = (tmp_path / "out" / "mallory" / "report.html").read_text()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_grading_twice_gives_identical_results(graded, tmp_path):
    _, out, batch = graded
    assert main([str(batch / "ref"), "-o", str(tmp_path)]) == 0
    first = json.loads((out / "ref" / "results.json").read_text())
    second = json.loads((tmp_path / "ref" / "results.json").read_text())
    first.pop("execution_time"), second.pop("execution_time")
    assert first == second


def test_fail_under_exits_one(graded, tmp_path):
    _, _, batch = graded
    assert main([str(batch / "stub"), "-o", str(tmp_path), "--fail-under", "10"]) == 1
    assert main([str(batch / "stub"), "-o", str(tmp_path), "--fail-under", "0"]) == 0


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["/no/such/path"], "/no/such/path: no such file or folder"),
        ([], "the following arguments are required: PATH"),
        (["--bogus", "x"], "unrecognized arguments: --bogus"),
        (["check", "/no/such/path"], "no such file or folder"),
    ],
)
def test_usage_errors_exit_two_with_a_message(argv, fragment, capsys):
    try:
        code = main(argv)
    except SystemExit as exit:  # argparse's own usage errors
        code = exit.code
    assert code == 2
    assert fragment in capsys.readouterr().err


def test_the_command_exits_with_mains_status_and_its_words_flushed(tmp_path):
    """``grade`` skips the interpreter's teardown (``cli.entry``): its status and its last
    words must still come out."""
    run = subprocess.run(
        [sys.executable, "-m", "grader.cli", str(tmp_path / "nothing here"), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and "grade: error" in run.stderr


def test_help_explains_exit_status():
    run = subprocess.run([sys.executable, "-m", "grader.cli", "--help"], capture_output=True, text=True)
    assert run.returncode == 0 and "Exit status" in run.stdout and "grade check" in run.stdout


def test_grading_writes_nothing_but_its_output(graded, tmp_path):
    _, _, batch = graded
    run = subprocess.run(
        [sys.executable, "-m", "grader.cli", str(batch / "ref"), "-o", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no .hypothesis/, no caches
