"""``grade export --lms canvas|moodle``: the LMS's grade-import CSV from a class folder, with
the roster's identifiers (no grading here: the class folder is written from result objects)."""

import csv
import io
import json

from grader.batch.course_file import parse_course
from grader.batch.late import apply_course
from grader.cli import main
from grader.course import ASSIGNMENT_IDS
from grader.results import AssignmentResult, CheckOutcome, SubmissionResult

ROSTER = (
    "student,name,email,canvas_id,sis_id,section\n"
    "ann,Ann Lee,ann@uni.edu,101,S1,A\nbob,Bob Brown,bob@uni.edu,102,S2,B\nliv,Liv Lo,liv@uni.edu,104,S4,A\n"
)
COURSE = '[course]\nroster = "roster.csv"\n[assignments.optimization]\n[assignments.gradient_checking]\n'


def write_class(out, scores, course=None):
    """OUT/<student>/results.json for each ``{student: {assignment: points earned}}``, graded under ``course``."""
    for student, earned in scores.items():
        assignments = tuple(
            AssignmentResult(
                a,
                a in earned,
                (CheckOutcome(a, "f", "c", 100, True),)
                if earned.get(a) == 100
                else (CheckOutcome(a, "f", "c", 100, False),),
            )
            for a in ASSIGNMENT_IDS
        )
        document = apply_course(SubmissionResult(student, "sha", assignments), course).to_json()
        (out / student).mkdir(parents=True)
        (out / student / "results.json").write_text(json.dumps(document))


def rows(path):
    return list(csv.reader(io.StringIO(path.read_text())))


def test_canvas_import_csv(tmp_path, capsys):
    out = tmp_path / "out"
    (tmp_path / "roster.csv").write_text(ROSTER)
    (tmp_path / "course.toml").write_text(COURSE)
    write_class(
        out,
        {
            "ann": {"optimization": 100, "gradient_checking": 100},
            "bob": {"optimization": 0},
            "zed": {"optimization": 100},
        },
        parse_course(tmp_path / "course.toml"),
    )
    assert (
        main(
            [
                "export",
                "--lms",
                "canvas",
                str(out),
                "-o",
                str(tmp_path / "canvas.csv"),
                "--course",
                str(tmp_path / "course.toml"),
                "--column",
                "optimization=Optimization (555)",
                "--column",
                "total=Autograder total",
            ]
        )
        == 0
    )
    table = rows(tmp_path / "canvas.csv")
    assert table[0] == [
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
        "gradient_checking",
        "Optimization (555)",
        "Autograder total",
    ]
    assert table[1][0].strip() == "Points Possible" and table[1][5:] == ["100", "100", "200"]
    by_name = {r[0]: r for r in table[2:]}
    assert by_name["Ann Lee"] == ["Ann Lee", "101", "S1", "", "A", "100", "100", "200"]
    assert by_name["Bob Brown"][1:3] == ["102", "S2"] and by_name["Bob Brown"][5:] == ["0", "0", "0"]
    assert by_name["Liv Lo"][5:] == ["0", "0", "0"]  # on the roster, submitted nothing
    err = capsys.readouterr().err
    assert "zed: not on the roster" in err and "zed: no identifier canvas can match" in err


def test_moodle_import_csv(tmp_path):
    out = tmp_path / "out"
    write_class(out, {"ann": {"optimization": 100}, "bob": {}})
    (tmp_path / "roster.csv").write_text(ROSTER)
    assert (
        main(
            [
                "export",
                "--lms",
                "moodle",
                str(out),
                "-o",
                str(tmp_path / "moodle.csv"),
                "--roster",
                str(tmp_path / "roster.csv"),
            ]
        )
        == 0
    )
    table = rows(tmp_path / "moodle.csv")
    assert table[0] == ["Full name", "Email address", "ID number", "Username", *ASSIGNMENT_IDS]
    ann = next(r for r in table if r[0] == "Ann Lee")
    assert ann[1:3] == ["ann@uni.edu", "S1"] and ann[4 + ASSIGNMENT_IDS.index("optimization")] == "100"


def test_export_usage_errors(tmp_path, capsys):
    assert main(["export", "--lms", "canvas", str(tmp_path / "nope"), "-o", str(tmp_path / "x.csv")]) == 2
    assert "no such class folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["export", "--lms", "canvas", str(tmp_path / "empty"), "-o", str(tmp_path / "x.csv")]) == 2
    assert "grade the class first" in capsys.readouterr().err
    write_class(tmp_path / "out", {"ann": {}})
    assert (
        main(
            [
                "export",
                "--lms",
                "moodle",
                str(tmp_path / "out"),
                "-o",
                str(tmp_path / "x.csv"),
                "--column",
                "optimisation=X",
            ]
        )
        == 2
    )
    assert "optimisation=...: not an assignment id" in capsys.readouterr().err
