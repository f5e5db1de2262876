"""The course file (SPEC §7): what it accepts, and a usage error naming the file, the line
or key and the problem for everything it does not."""

from datetime import datetime, timedelta, timezone

import pytest

from grader.batch.course_file import CourseError, parse_course, read_roster, read_submission_times
from grader.cli import main

GOOD = """\
[course]
name = "Improving Deep Neural Networks, spring 2027"
timezone = "Europe/Paris"
roster = "roster.csv"

[assignments.optimization]
due = 2027-03-01T23:59:00
weight = 2.0

[assignments.gradient_checking]
due = 2027-02-01T12:00:00+00:00

[late]
grace_minutes = 15
penalty_per_day = 10
max_days = 5

[extensions]
alice = 3
bob = { optimization = 1.5 }

[[adjustments]]
student = "bob"
assignment = "optimization"
points = 5
reason = "regrade request 12"
"""


def write(tmp_path, text, roster="student,name,email\nalice,Alice A,a@x.org\nbob,Bob B,b@x.org\n"):
    (tmp_path / "roster.csv").write_text(roster)
    (tmp_path / "course.toml").write_text(text)
    return tmp_path / "course.toml"


def test_a_complete_course_file(tmp_path):
    course = parse_course(write(tmp_path, GOOD))
    assert course.assignments == ("gradient_checking", "optimization")  # the SPEC's order
    assert course.weight("optimization") == 2.0 and course.weight("gradient_checking") == 1.0
    paris = course.due["optimization"]
    assert paris.utcoffset() == timedelta(hours=1)  # March 1st in Paris is UTC+1
    assert course.due["gradient_checking"] == datetime(2027, 2, 1, 12, tzinfo=timezone.utc)
    assert (course.late.grace_minutes, course.late.penalty_per_day, course.late.max_days) == (15, 10, 5)
    assert course.extension_days("alice", "optimization") == 3 and course.extension_days("bob", "optimization") == 1.5
    assert course.extension_days("bob", "gradient_checking") == 0
    assert course.adjustments[0].points == 5 and course.adjustments[0].reason == "regrade request 12"
    assert course.roster.extra_columns == ("name", "email") and course.roster.students["bob"]["email"] == "b@x.org"
    assert course.stamp("alice", None) != course.stamp("bob", None)  # their extensions differ
    assert course.stamp("carl", None) == course.stamp("dora", None)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("penalty_per_day = 10", "penalty_per_days = 10"), "course.toml: line 15: late.penalty_per_days: unknown key"),
        (("[late]", "[lateness]"), "line 13: lateness: unknown key 'lateness'"),
        (("weight = 2.0", "weigth = 2.0"), "line 8: assignments.optimization.weigth: unknown key"),
        (("due = 2027-03-01T23:59:00", "due = 2027-13-01T23:59:00"), "course.toml: not valid TOML"),
        (
            ("due = 2027-03-01T23:59:00", 'due = "next monday"'),
            "assignments.optimization.due: 'next monday' is not a date",
        ),
        (("[assignments.optimization]", "[assignments.optimisation]"), "unknown assignment 'optimisation'"),
        (('timezone = "Europe/Paris"', 'timezone = "Europe/Pariss"'), "unknown time zone 'Europe/Pariss'"),
        (('timezone = "Europe/Paris"\n', ""), "has no UTC offset and the course file sets no [course] timezone"),
        (("max_days = 5", "max_days = 2.5"), "late.max_days: expected a whole number"),
        (("penalty_per_day = 10", "penalty_per_day = 150"), "late.penalty_per_day: 150 is out of range"),
        (('reason = "regrade request 12"\n', ""), "adjustments[0]: missing 'reason'"),
        (('assignment = "optimization"', 'assignment = "optimisation"'), "unknown assignment 'optimisation'"),
        (("alice = 3", 'alice = "three"'), "extensions.alice: expected a number"),
    ],
)
def test_bad_course_files_name_the_file_the_key_and_the_problem(tmp_path, edit, expected):
    old, new = edit
    assert old in GOOD
    with pytest.raises(CourseError) as error:
        parse_course(write(tmp_path, GOOD.replace(old, new, 1)))
    assert str(error.value).startswith(str(tmp_path / "course.toml")) and expected in str(error.value)


def test_a_bad_date_shows_the_line_and_how_to_write_one(tmp_path):
    with pytest.raises(CourseError) as error:
        parse_course(write(tmp_path, GOOD.replace("due = 2027-03-01T23:59:00", "due = 2027-03-01 at noon")))
    assert "line 7" in str(error.value) and "2027-03-01 at noon" in str(error.value)
    assert "a date is written 2027-03-01T23:59:00" in str(error.value)


@pytest.mark.parametrize(
    ("roster", "expected"),
    [
        (
            "login,name\nalice,Alice\n",
            "roster.csv: line 1: the roster has no 'student' column (its columns: login, name)",
        ),
        ("student,name\nalice,A\nalice,B\n", "roster.csv: line 3: student 'alice' is listed twice"),
        ("student,name\n,A\n", "roster.csv: line 2: empty 'student'"),
    ],
)
def test_bad_rosters(tmp_path, roster, expected):
    (tmp_path / "roster.csv").write_text(roster)
    with pytest.raises(CourseError) as error:
        read_roster(tmp_path / "roster.csv")
    assert expected in str(error.value)


def test_submission_times(tmp_path):
    path = tmp_path / "times.csv"
    path.write_text("student,submitted_at\nalice,2027-03-01T23:59:00Z\nbob,2027-03-02T00:10:00\n")
    from zoneinfo import ZoneInfo

    times = read_submission_times(path, ZoneInfo("Europe/Paris"))
    assert times["alice"] == datetime(2027, 3, 1, 23, 59, tzinfo=timezone.utc)
    assert times["bob"] == datetime(2027, 3, 1, 23, 10, tzinfo=timezone.utc)
    path.write_text("student,submitted_at\nalice,yesterday\n")
    with pytest.raises(CourseError, match="times.csv: line 2: submitted_at 'yesterday' is not an ISO 8601"):
        read_submission_times(path, None)


def test_the_command_exits_2_with_the_message(tmp_path, capsys):
    path = write(tmp_path, GOOD.replace("grace_minutes", "grace"))
    (tmp_path / "alice").mkdir()
    assert main([str(tmp_path / "alice"), "-o", str(tmp_path / "out"), "--course", str(path)]) == 2
    err = capsys.readouterr().err
    assert "course.toml: line 14: late.grace: unknown key 'late.grace'" in err
    assert not (tmp_path / "out").exists()
    assert main([str(tmp_path / "alice"), "--course", str(tmp_path / "nope.toml")]) == 2
    assert "--course" in capsys.readouterr().err
