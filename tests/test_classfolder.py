"""The class folder (SPEC §8): grading a subset into an existing OUT keeps every row;
``--force`` regrades an unchanged submission."""

import csv
import json

from grader.cli import main
from tests.test_batch import make_class


def gradebook(out):
    with open(out / "gradebook.csv", newline="") as stream:
        return {row["student"]: row for row in csv.DictReader(stream)}


def test_regrading_one_student_keeps_every_row_and_force_regrades(tmp_path, capsys):
    root, out = make_class(tmp_path / "class", ("ann", "bob", "cat")), tmp_path / "out"
    assert main([str(root), "-o", str(out), "-j", "1"]) == 0
    before = gradebook(out)
    assert sorted(before) == ["ann", "bob", "cat"]
    summary_before = (out / "summary.html").read_text()

    # bob fixes his work and is regraded alone
    (root / "bob" / "gradient_checking.py").write_text((root / "ann" / "gradient_checking.py").read_text())
    capsys.readouterr()
    assert main([str(root / "bob"), "-o", str(out)]) == 0
    after = gradebook(out)
    assert sorted(after) == ["ann", "bob", "cat"]
    assert after["ann"] == before["ann"] and after["cat"] == before["cat"]
    assert after["bob"]["gradient_checking"] == before["ann"]["gradient_checking"] != before["bob"]["gradient_checking"]
    assert "Class summary: 3 submissions" in (out / "summary.html").read_text() and "3 submissions" in summary_before
    assert "the class has 3" in capsys.readouterr().err

    # unchanged: not regraded, unless --force
    stamp = (out / "cat" / "results.json").stat().st_mtime_ns
    assert main([str(root / "cat"), "-o", str(out)]) == 0
    assert (out / "cat" / "results.json").stat().st_mtime_ns == stamp
    assert "already graded and unchanged; grading 0" in capsys.readouterr().err
    assert main([str(root / "cat"), "-o", str(out), "--force"]) == 0
    assert (out / "cat" / "results.json").stat().st_mtime_ns != stamp
    assert gradebook(out) == after


def test_an_unreadable_results_json_is_named_and_left_out(tmp_path, capsys):
    root, out = make_class(tmp_path / "class", ("ann", "bob")), tmp_path / "out"
    (out / "zed").mkdir(parents=True)
    (out / "zed" / "results.json").write_text("{not json")
    (out / "old").mkdir()
    (out / "old" / "results.json").write_text(json.dumps({"score": 1}))
    assert main([str(root / "ann"), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "zed/results.json: unreadable" in err and "old/results.json: not a results.json" in err
    assert sorted(gradebook(out)) == ["ann"]
