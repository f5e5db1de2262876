"""The CI formats: JUnit XML, the GitHub step summary, --fail-under, and the Gradescope
autograder (built, unpacked, and run the way Gradescope runs it)."""

import json
import os
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import pytest

from grader.batch.gradescope import build_autograder
from grader.batch.run import grade_paths
from grader.report.junit import junit_xml
from tests.helpers import reference_source
from tests.test_summary import document


@pytest.fixture(scope="module")
def small_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    right = reference_source("gradient_checking")
    for name, source in (("ann", right), ("bob", right.replace("dtheta = x\n", "dtheta = -x\n"))):
        (root / name).mkdir()
        (root / name / "gradient_checking.py").write_text(source)
    return root


def test_junit_has_one_testcase_per_check(small_class, tmp_path):
    junit = tmp_path / "junit.xml"
    assert grade_paths([small_class], tmp_path / "out", jobs=2, junit=junit) == 0
    suites = {s.get("name"): s for s in ET.parse(junit).getroot()}
    assert sorted(suites) == ["ann", "bob"]
    for name, suite in suites.items():
        document = json.loads((tmp_path / "out" / name / "results.json").read_text())
        cases = suite.findall("testcase")
        assert len(cases) == len(document["tests"]) == int(suite.get("tests"))
        mine = [t for t in document["tests"] if t["name"].split("::")[0] == "gradient_checking"]
        failed = [t for t in mine if t["status"] == "failed"]
        assert len(suite.findall("testcase/failure")) == len(failed) == int(suite.get("failures"))
        assert len(suite.findall("testcase/skipped")) == len(document["tests"]) - len(mine)
    assert int(suites["ann"].get("failures")) == 0 < int(suites["bob"].get("failures"))
    failure = suites["bob"].find("testcase/failure")
    assert failure.text and failure.get("message") == failure.text.strip().splitlines()[0]


def test_junit_survives_control_characters_and_marks_grader_failures():
    docs = [
        document("a\x00b", failed=[("centred", 100, "bad \x1b[31mred\x1b[0m \ud800")]),
        document("c", passed=[("centred", 100)], grader_failure="boom"),
    ]
    root = ET.fromstring(junit_xml(docs).encode())
    assert root.get("errors") == "1" and root.get("failures") == "1"
    assert root.find("testsuite[@name='c']/testcase[@name='grading']/error") is not None


def test_github_step_summary_and_fail_under(small_class, tmp_path, monkeypatch):
    step_summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step_summary))
    out = tmp_path / "out"
    assert grade_paths([small_class], out, jobs=2, fail_under=10) == 0
    assert grade_paths([small_class], out, fail_under=20.1) == 1  # ann has 20%, bob less (resumed, not regraded)
    text = step_summary.read_text()
    assert text.count("## Grades") == 2  # appended, never overwritten
    assert "| ann | 0 | 0 | 100 | 0 | 0 | 100/500 | graded |" in text


def test_the_gradescope_autograder_runs_as_gradescope_runs_it(tmp_path):
    archive = tmp_path / "autograder.zip"
    assert build_autograder(archive, ["gradient_checking"]) == 0
    with zipfile.ZipFile(archive) as z:
        names = set(z.namelist())
        mode = z.getinfo("run_autograder").external_attr >> 16
        z.extractall(tmp_path / "source")
    assert {
        "setup.sh",
        "run_autograder",
        "pyproject.toml",
        "gradescope.json",
        "grader/checks/gradient_checking.py",
        "solutions/gradient_checking.py",
    } <= names
    assert mode & stat.S_IXUSR and not any(n.startswith(("tests/", "examples/")) or "__pycache__" in n for n in names)

    root = tmp_path / "autograder"  # Gradescope's /autograder
    (root / "submission").mkdir(parents=True)
    (root / "submission" / "gradient_checking.py").write_text(reference_source("gradient_checking"))
    (root / "submission_metadata.json").write_text(json.dumps({"users": [{"name": "Ada L.", "email": "a@x"}]}))
    run = subprocess.run(
        [sys.executable, "-m", "grader.batch.gradescope", str(root)],
        cwd=tmp_path / "source",
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "source")},
    )
    assert run.returncode == 0, run.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 100 and results["max_score"] == 100  # scored on gradient_checking only
    assert results["tests"] and all(t["name"].startswith("gradient_checking::") for t in results["tests"])
    assert results["extra_data"]["student"] == "Ada L."


def test_gradescope_writes_a_result_even_when_grading_fails(tmp_path, monkeypatch):
    import grader.batch.run
    from grader.batch.gradescope import run_on_gradescope

    (tmp_path / "submission").mkdir()
    monkeypatch.setattr(grader.batch.run, "grade_paths", lambda *args, **kwargs: 1)
    assert run_on_gradescope(tmp_path) == 0
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    assert results["score"] == 0 and "our bug" in results["output"]


def test_junit_times_and_a_broken_submission_is_an_error(small_class, tmp_path):
    (small_class / "kim.zip").write_bytes(b"PK\x03\x04 cut short")
    (small_class / "lea").mkdir()
    (small_class / "lea" / "optimisation.py").write_text("x = 1\n")
    junit = tmp_path / "junit.xml"
    assert grade_paths([small_class], tmp_path / "out", jobs=2, junit=junit) == 0
    root = ET.parse(junit).getroot()
    for suite in root:
        document = json.loads((tmp_path / "out" / suite.get("name") / "results.json").read_text())
        assert float(suite.get("time")) == pytest.approx(document["execution_time"], abs=1e-3)
        assert all(case.get("time") is not None for case in suite.iter("testcase"))
    for name, reason in (("kim", "not a readable zip file"), ("lea", "did you mean optimization.py?")):
        error = root.find(f"testsuite[@name='{name}']/testcase[@name='submission']/error")
        assert error is not None and reason in error.text
    assert root.find("testsuite[@name='ann']/testcase[@name='submission']") is None
    assert int(root.get("errors")) == 2


def test_result_files_are_readable_as_the_umask_allows(tmp_path):
    from grader.report.output import write_atomic

    for mask, mode in ((0o022, 0o644), (0o027, 0o640), (0o077, 0o600)):
        previous = os.umask(mask)
        try:
            write_atomic(tmp_path / f"f{mask:o}.txt", "x")
        finally:
            os.umask(previous)
        assert stat.S_IMODE((tmp_path / f"f{mask:o}.txt").stat().st_mode) == mode


def test_the_student_bundle_folder_is_readable_as_the_umask_allows(tmp_path, monkeypatch):
    import grader.authoring.release

    monkeypatch.setattr(
        grader.authoring.release, "build_into", lambda work, *options: (work / "README.md").write_text("x")
    )
    monkeypatch.setattr(grader.authoring.release, "find_leaks", lambda work: [])
    previous = os.umask(0o022)
    try:
        assert grader.authoring.release.build_release(tmp_path / "bundle") == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "bundle").stat().st_mode) == 0o755
