"""``grade check`` without POSIX process control (Windows): the public checks run in a plain
subprocess per assignment with a time limit, and ``grade`` says exactly what is missing."""

import pytest

from grader import cli
from grader.mistakes import applied_to, catalogue
from grader.pipeline.grading import grade_submission
from grader.pipeline.submission import StudentFile, Submission
from grader.student import portable
from tests.helpers import reference_source, stub_source


def submission(files):
    return Submission("pat", "test", {a: StudentFile(a, f"{a}.py", s) for a, s in files.items()})


def summary(result, assignment):
    a = next(a for a in result.assignments if a.id == assignment)
    return [(o.function, o.name, o.points, o.passed) for o in a.outcomes]


@pytest.mark.slow
def test_the_subprocess_gives_the_sandboxs_outcomes():
    mistake = next(e for e in catalogue("optimization") if e.name == "adam_no_bias_correction")
    files = {
        "gradient_checking": reference_source("gradient_checking"),
        "optimization": applied_to(reference_source("optimization"), mistake.source),
        "initialization": stub_source("initialization"),
    }
    plain = portable.portable_result(submission(files))
    sandboxed = grade_submission(submission(files), public=True)
    for assignment in files:
        assert summary(plain, assignment) == summary(sandboxed, assignment)
    assert plain.score == sandboxed.score
    adam = next(o for a in plain.assignments for o in a.outcomes if not o.passed and a.id == "optimization")
    assert adam.mistake == mistake.name and adam.hint == mistake.hint and "Hint: " not in adam.message
    assert plain.isolation == "subprocess (no sandbox)"


@pytest.mark.slow
def test_an_endless_module_fails_its_checks_after_the_time_limit():
    files = {"gradient_checking": reference_source("gradient_checking") + "\nwhile True:\n    pass\n"}
    outcomes = portable.check_assignments(submission(files).files, timeout=3)["gradient_checking"]
    assert outcomes and all(not o.passed and "did not finish within 3 s" in o.message for o in outcomes)


def test_a_module_that_raises_on_import_says_where():
    files = {"gradient_checking": reference_source("gradient_checking") + "\nvalue = {}['missing']\n"}
    outcomes = portable.check_assignments(submission(files).files)["gradient_checking"]
    assert outcomes and all(not o.passed for o in outcomes)
    assert "Importing your gradient_checking.py raised KeyError" in outcomes[0].message
    assert "Where, in your code" in outcomes[0].message


def test_without_posix_process_control_grade_check_runs_and_grade_says_what_is_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(portable, "posix_process_control", lambda: False)
    monkeypatch.setattr(portable, "missing_features", lambda: ["the resource module (memory limits)"])
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "gradient_checking.py").write_text(reference_source("gradient_checking"))
    assert cli.main(["check", str(folder), "-o", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "No sandbox here: the resource module (memory limits) missing" in printed
    assert "gradient_checking (gradient_checking.py): 4/4 public checks passed" in printed
    assert cli.main([str(folder), "-o", str(tmp_path / "grades")]) == 2
    error = capsys.readouterr().err
    assert "needs POSIX process control" in error and "the resource module" in error and "grade check" in error


@pytest.mark.skipif(not portable.posix_process_control(), reason="this platform has no POSIX process control")
def test_this_platform_is_reported_as_having_process_control():
    assert portable.missing_features() == []
