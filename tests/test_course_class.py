"""A course end to end through the command (SPEC §7, §8): the course file, the roster, the
submission times, and the gradebook's columns and rows."""

import csv
import json

import pytest

from grader.cli import main
from grader.report.gradebook import GRADEBOOK_COLUMNS
from tests.test_batch import make_class

COURSE = """\
[course]
name = "test course"
timezone = "UTC"
roster = "roster.csv"

[assignments.gradient_checking]
due = 2027-03-01T23:59:00

[late]
grace_minutes = 15
penalty_per_day = 10
max_days = 5

[extensions]
cat = 2

[[adjustments]]
student = "bob"
assignment = "gradient_checking"
points = 5
reason = "regrade request 12"
"""


@pytest.mark.slow
def test_a_course_with_roster_times_and_penalties(tmp_path, capsys):
    root = make_class(tmp_path / "class", ("ann", "bob", "cat", "zed"))  # ann and cat: the reference
    (tmp_path / "course.toml").write_text(COURSE)
    (tmp_path / "roster.csv").write_text("student,name,sis_id\nann,Ann A,1\nbob,Bob B,2\ncat,Cat C,3\nliv,Liv L,4\n")
    (tmp_path / "times.csv").write_text(
        "student,submitted_at\nann,2027-03-02T00:14:00Z\nbob,2027-03-01T12:00:00Z\n"
        "cat,2027-03-03T12:00:00+00:00\nzed,2027-03-02T00:15:00Z\n"
    )
    out = tmp_path / "out"
    assert (
        main(
            [
                str(root),
                "-o",
                str(out),
                "--course",
                str(tmp_path / "course.toml"),
                "--submitted-at",
                str(tmp_path / "times.csv"),
                "-j",
                "1",
            ]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert "not on the roster" in err and "zed" in err.split("not on the roster")[1]
    with open(out / "gradebook.csv", newline="") as stream:
        reader = csv.DictReader(stream)
        rows = {row["student"]: row for row in reader}
        columns = tuple(reader.fieldnames)
    assert columns == (*GRADEBOOK_COLUMNS, "name", "sis_id", "on_roster", "late_days", "penalty", "adjustment")
    assert sorted(rows) == ["ann", "bob", "cat", "liv", "zed"]
    ann = json.loads((out / "ann" / "results.json").read_text())
    checks = ann["extra_data"]["assignments"]["gradient_checking"]["checks_score"]
    assert checks == 100
    assert rows["ann"]["gradient_checking"] == "100" and rows["ann"]["late_days"] == "0"  # inside the grace
    assert rows["ann"]["initialization"] == ""  # not an assignment of this course
    assert rows["ann"]["max_score"] == "100" and rows["ann"]["name"] == "Ann A"
    assert rows["cat"]["penalty"] == "0"  # two days' extension: on time
    zed = json.loads((out / "zed" / "results.json").read_text())
    assert rows["zed"]["on_roster"] == "no" and rows["zed"]["late_days"] == "1"  # one minute past the grace
    earned = zed["extra_data"]["assignments"]["gradient_checking"]["checks_score"]
    assert float(rows["zed"]["penalty"]) == min(10, earned)
    bob = json.loads((out / "bob" / "results.json").read_text())
    assert (
        float(rows["bob"]["adjustment"]) == 5
        and bob["score"] == bob["extra_data"]["assignments"]["gradient_checking"]["checks_score"] + 5
    )
    assert sum(t["score"] for t in bob["tests"]) == bob["score"]
    assert rows["liv"]["status"] == "not submitted" and rows["liv"]["total"] == "0" and rows["liv"]["sis_id"] == "4"
    assert not (out / "liv").exists()
    summary = (out / "summary.html").read_text()
    assert "Not on the roster" in summary and "zed" in summary
    zed_report = (out / "zed" / "report.html").read_text()
    assert "late penalty" in zed_report and "1 started day(s) late x 10% of the points" in zed_report
    report = (out / "bob" / "report.html").read_text()
    assert "regrade request 12" in report and "optimization" not in report.split("<h1>")[1].split("</table>")[0]

    # a new extension for zed regrades zed alone, and every row stays
    (tmp_path / "course.toml").write_text(COURSE.replace("cat = 2", "cat = 2\nzed = 1"))
    capsys.readouterr()
    assert (
        main(
            [
                str(root),
                "-o",
                str(out),
                "--course",
                str(tmp_path / "course.toml"),
                "--submitted-at",
                str(tmp_path / "times.csv"),
                "-j",
                "1",
            ]
        )
        == 0
    )
    assert "3 submission(s) already graded and unchanged; grading 1" in capsys.readouterr().err
    with open(out / "gradebook.csv", newline="") as stream:
        again = {row["student"]: row for row in csv.DictReader(stream)}
    assert sorted(again) == sorted(rows) and again["zed"]["penalty"] == "0" and again["ann"] == rows["ann"]
