"""The class layouts of SPEC §8: Canvas, Moodle, Gradescope export and GitHub Classroom read
with the students' names, identifiers and submission times; the same class in all five
layouts gives the same grades per student; a folder no layout reads is a usage error."""

import csv
from datetime import datetime, timedelta, timezone

import pytest

from grader.batch.course_file import read_roster
from grader.batch.lms import on_roster, read_paths
from grader.cli import main
from grader.pipeline.submission import Note
from tests.helpers import reference_source, stub_source
from tests.lms_layouts import LAYOUTS, STUDENTS, roster_csv


def class_files():
    right = reference_source("gradient_checking")
    wrong = right.replace("dtheta = x\n", "dtheta = -x\n")
    assert wrong != right
    return {
        "ann": {"gradient_checking.py": right},
        "bob": {"gradient_checking.py": wrong, "notes.txt": "hi"},
        "cat": {"gradient_checking.py": stub_source("gradient_checking")},
    }


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_each_layout_names_every_student(tmp_path, layout):
    root = LAYOUTS[layout](tmp_path / layout, class_files())
    entries = read_paths([root])
    assert len(entries) == 3 and {e.layout for e in entries} == {layout}
    roster = read_roster(roster_csv(tmp_path / "roster.csv"))
    assert sorted(on_roster(e, roster).student for e in entries) == ["ann", "bob", "cat"]
    for entry in entries:
        submission = entry.load()
        assert set(submission.files) == {"gradient_checking"}, (entry, submission)


def test_canvas_names_ids_late_flag_and_resubmissions(tmp_path):
    entries = {e.student: e for e in read_paths([LAYOUTS["canvas"](tmp_path / "c", class_files())])}
    assert sorted(entries) == ["brownbob", "chocat", "leeann"]
    assert entries["leeann"].ids["canvas_user_id"] == "101"
    bob = entries["brownbob"].load()
    assert bob.files["gradient_checking"].name == "gradient_checking.py"  # the -1 is gone
    assert Note("Canvas marks this submission late.") in bob.notes and bob.unknown == ("notes.txt",)
    assert entries["chocat"].load().files["gradient_checking"].name == "mywork/gradient_checking.py"
    assert all(e.submitted_at is None for e in entries.values())  # Canvas's download has no times


def test_moodle_and_gradescope_and_classroom_names_and_times(tmp_path):
    moodle = {e.student: e for e in read_paths([LAYOUTS["moodle"](tmp_path / "m", class_files())])}
    assert sorted(moodle) == ["Ann Lee", "Bob Brown", "Cat Cho"]  # online text is not a submission
    assert moodle["Bob Brown"].ids == {"moodle_participant_id": "502"}
    scope = {e.student: e for e in read_paths([LAYOUTS["gradescope"](tmp_path / "g", class_files())])}
    assert scope["Ann Lee"].submitted_at == datetime(2027, 3, 1, 9, tzinfo=timezone.utc)
    assert scope["Ann Lee"].submitted_at.utcoffset() == timedelta(hours=1)
    assert scope["Bob Brown"].ids["email"] == "bob@uni.edu" and scope["Bob Brown"].ids["sid"] == "102"
    classroom = {e.student for e in read_paths([LAYOUTS["github-classroom"](tmp_path / "h", class_files())])}
    assert classroom == {"ann-gh", "bobb", "cat-cho"}


def gradebook(out):
    with open(out / "gradebook.csv", newline="") as stream:
        return {
            row["student"]: (row["gradient_checking"], row["total"], row["status"]) for row in csv.DictReader(stream)
        }


@pytest.mark.slow
def test_the_same_class_in_every_layout_gives_the_same_grades(tmp_path):
    roster = roster_csv(tmp_path / "roster.csv")
    books = {}
    for layout, write in LAYOUTS.items():
        root = write(tmp_path / layout, class_files())
        assert main([str(root), "-o", str(tmp_path / f"out-{layout}"), "--roster", str(roster), "-j", "2"]) == 0
        books[layout] = gradebook(tmp_path / f"out-{layout}")
    expected = books["folders"]
    assert sorted(expected) == ["ann", "bob", "cat"]
    assert expected["ann"][0] == "100" and expected["cat"][0] == "0" and 0 < float(expected["bob"][0]) < 100
    for layout, book in books.items():
        assert book == expected, layout


def test_gradescope_times_decide_the_late_penalty(tmp_path):
    root = LAYOUTS["gradescope"](
        tmp_path / "g",
        {s["student"]: {"gradient_checking.py": reference_source("gradient_checking")} for s in STUDENTS},
    )
    (tmp_path / "course.toml").write_text(
        '[course]\ntimezone = "Europe/Paris"\n[assignments.gradient_checking]\n'
        "due = 2027-03-01T23:59:00\n[late]\npenalty_per_day = 10\n"
    )
    assert (
        main(
            [
                str(root),
                "-o",
                str(tmp_path / "out"),
                "--course",
                str(tmp_path / "course.toml"),
                "--roster",
                str(roster_csv(tmp_path / "roster.csv")),
                "-j",
                "2",
            ]
        )
        == 0
    )
    book = gradebook(tmp_path / "out")
    assert book["ann"][0] == "100" and book["cat"][0] == "100"  # before the due date (Paris time)
    assert book["bob"][0] == "80"  # 2027-03-03 12:00: 1 day 12 h late, 2 started days


def test_a_folder_no_layout_reads_is_a_usage_error(tmp_path, capsys):
    folder = tmp_path / "download"
    folder.mkdir()
    (folder / "README.txt").write_text("x")
    (folder / "grades.xlsx").write_text("x")
    assert main([str(folder), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "neither a submission nor a class" in err and "README.txt" in err and "grades.xlsx" in err
    assert not (tmp_path / "out").exists()
    LAYOUTS["canvas"](folder / "download", class_files())  # the export one level down
    assert main([str(folder), "-o", str(tmp_path / "out")]) == 2
    assert f"did you mean {folder / 'download'} (a canvas export)?" in capsys.readouterr().err


def test_an_unreadable_gradescope_metadata_file_is_a_usage_error(tmp_path, capsys):
    root = LAYOUTS["gradescope"](tmp_path / "g", class_files())
    (root / "submission_metadata.yml").write_text("submission_7000:\n  :submitters: [unclosed\n")
    assert main([str(root), "-o", str(tmp_path / "out")]) == 2
    assert "submission_metadata.yml: not a readable Gradescope export metadata file" in capsys.readouterr().err
    (root / "submission_metadata.yml").write_text("!!python/object/apply:os.system ['true']\n")  # safe_load refuses
    assert main([str(root), "-o", str(tmp_path / "out")]) == 2
