"""The pytest runner (grader/runner.py), tested on generated check modules: fail-closed
outcomes, messages, and a broken check module that does not stop the others."""

import textwrap

from grader.pipeline.runner import StudentModule, run_checks
from grader.sandbox.session import StudentError


class FakeStudent(StudentModule):
    """A submitted module whose every function raises."""

    def unavailable(self):
        return None

    def call(self, function, *args, **kwargs):
        raise StudentError("exception", f"`{function}` raised ValueError: nope")


GOOD = """
from grader.checkapi.support import fail, grading
ASSIGNMENT = "optimization"

@grading("f", "passes", 40)
def check_passes(student):
    pass

@grading("f", "fails with a message", 30)
def check_fails(student):
    fail("f(1) is 2, expected 3.")

@grading("g", "raises a bug of ours", 20)
def check_bug(student):
    return 1 / 0

@grading("g", "calls a student function that raises", 10)
def check_student(student):
    student.g(1)
"""
WRONG_POINTS = """
from grader.checkapi.support import grading
ASSIGNMENT = "initialization"

@grading("f", "only", 60)
def check_only(student):
    pass
"""
SYNTAX_ERROR = "ASSIGNMENT = 'regularization'\ndef check_x(:\n"


def write(tmp_path, name, text):
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(text))
    return path


def test_outcomes_are_fail_closed_and_a_broken_module_does_not_stop_the_others(tmp_path):
    files = [
        write(tmp_path, "optimization", GOOD),
        write(tmp_path, "initialization", WRONG_POINTS),
        write(tmp_path, "regularization", SYNTAX_ERROR),
    ]
    students = {a: FakeStudent(a) for a in ("optimization", "initialization", "regularization")}
    outcomes = {(o.assignment, o.name): o for o in run_checks(files, students)}
    assert outcomes["optimization", "passes"].passed and outcomes["optimization", "passes"].score == 40
    failing = outcomes["optimization", "fails with a message"]
    assert not failing.passed and failing.message == "f(1) is 2, expected 3." and not failing.grader_error
    bug = outcomes["optimization", "raises a bug of ours"]
    assert bug.grader_error and "our bug, not yours" in bug.message and "ZeroDivisionError" in bug.message
    raised = outcomes["optimization", "calls a student function that raises"]
    assert raised.message == "`g` raised ValueError: nope" and not raised.grader_error
    for assignment in ("initialization", "regularization"):
        broken = outcomes[assignment, "the grading suite"]
        assert broken.grader_error and broken.points == 100 and broken.score == 0
    assert "add up to 60 points" in outcomes["initialization", "the grading suite"].message
    assert "could not be collected" in outcomes["regularization", "the grading suite"].message


def test_an_unavailable_student_fails_every_check_with_the_reason(tmp_path):
    files = [write(tmp_path, "optimization", GOOD)]
    students = {"optimization": StudentModule("optimization", None, "optimization.ipynb: invalid JSON.")}
    outcomes = run_checks(files, students)
    assert [o.passed for o in outcomes] == [False] * 4
    assert {o.message for o in outcomes} == {"optimization.ipynb: invalid JSON."}


def test_each_outcome_carries_its_check_id_and_the_secret_seed_keeps_the_display_name(tmp_path):
    from grader.pipeline.runner import GradingPlugin

    files = [write(tmp_path, "optimization", GOOD)]
    outcomes = run_checks(files, {"optimization": FakeStudent("optimization")})
    declared = {f"optimization.{name}" for name in ("check_passes", "check_fails", "check_bug", "check_student")}
    assert {o.check_id for o in outcomes} == declared  # <assignment>.<the check_* function>
    reworded = GOOD.replace('"fails with a message"', '"fails, reworded"')
    again = run_checks([write(tmp_path, "optimization", reworded)], {"optimization": FakeStudent("optimization")})
    assert [o.check_id for o in again] == [o.check_id for o in outcomes]  # a new title keeps the id
    plugin = GradingPlugin({})
    plugin.declared["node"] = {"assignment": "a", "function": "f", "name": "n", "points": 1, "check_id": "a.check_n"}
    assert plugin._check_id("node") == "a::f::n"  # what seeds the secret cases: unchanged
