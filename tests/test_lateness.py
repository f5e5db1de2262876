"""Late penalties at each boundary (SPEC §7), on a graded result built by hand: inside the
grace period, one minute past it, past ``max_days``, and with an extension; and the course's
points showing in results.json so that Gradescope's total equals the gradebook's."""

from datetime import datetime, timedelta, timezone

import pytest

from grader.batch.course_file import Adjustment, Course, LatePolicy
from grader.batch.late import apply_course, late_days
from grader.course import ASSIGNMENT_IDS
from grader.results import AssignmentResult, CheckOutcome, SubmissionResult

DUE = datetime(2027, 3, 1, 23, 59, tzinfo=timezone.utc)
POLICY = LatePolicy(grace_minutes=15, penalty_per_day=10, max_days=5)


def result(student="alice", earned=(30.0, 40.0), missing=20.0):
    """``student`` scored ``sum(earned)`` on optimization (one failed check worth ``missing``)."""
    outcomes = tuple(CheckOutcome("optimization", "f", f"c{i}", p, True) for i, p in enumerate(earned))
    outcomes += (CheckOutcome("optimization", "f", "failed", missing, False, "wrong"),)
    assignments = tuple(
        AssignmentResult(a, a == "optimization", outcomes if a == "optimization" else ()) for a in ASSIGNMENT_IDS
    )
    return SubmissionResult(student, "sha", assignments)


def course(**changes):
    base = {"due": {"optimization": DUE}, "weights": {"optimization": 1.0}, "late": POLICY}
    return Course(**{**base, **changes})


def optimization(graded):
    return next(a for a in graded.assignments if a.id == "optimization")


def earned_when(delay, **changes):
    return optimization(apply_course(result(), course(**changes), DUE + delay)).score


def test_inside_the_grace_period_nothing_is_lost():
    on_time = optimization(result()).score
    assert earned_when(timedelta(minutes=-30)) == on_time
    assert earned_when(timedelta(minutes=15)) == on_time  # the grace's last minute
    assert late_days(DUE + timedelta(minutes=15), DUE, 15) == 0


def test_one_minute_past_the_grace_is_one_day_late():
    on_time = optimization(result()).score
    graded = optimization(apply_course(result(), course(), DUE + timedelta(minutes=16)))
    assert graded.late_days == 1
    assert graded.score == on_time - POLICY.penalty_per_day / 100 * graded.max_score
    assert late_days(DUE + timedelta(days=1, minutes=1), DUE, 15) == 2  # a second day started


def test_later_than_max_days_scores_zero_and_max_days_itself_does_not():
    on_time = optimization(result()).score
    assert earned_when(timedelta(days=POLICY.max_days)) == on_time - POLICY.max_days * POLICY.penalty_per_day
    assert earned_when(timedelta(days=POLICY.max_days, minutes=16)) == 0


def test_the_penalty_never_takes_more_than_was_earned():
    small = result(earned=(5.0,), missing=95.0)
    assert optimization(apply_course(small, course(), DUE + timedelta(days=2))).score == 0


def test_an_extension_moves_the_deadline():
    on_time = optimization(result()).score
    extended = {"alice": {"*": 3.0}}
    assert earned_when(timedelta(days=3, minutes=10), extensions=extended) == on_time
    assert earned_when(timedelta(days=3, minutes=16), extensions=extended) == on_time - POLICY.penalty_per_day
    assert earned_when(timedelta(days=3, minutes=16), extensions={"bob": {"*": 3.0}}) < on_time - 30  # not alice's


def test_no_submission_time_no_penalty_and_the_report_says_so():
    graded = apply_course(result(), course(), None)
    assert optimization(graded).score == optimization(result()).score
    assert any("no submission time is known" in n for n in graded.notes)


def test_course_points_are_tests_of_their_own_and_add_up_to_the_score():
    adjust = (Adjustment("alice", "optimization", 5, "regrade request 12"),)
    graded = apply_course(
        result(), course(adjustments=adjust, extensions={"alice": {"*": 1.0}}), DUE + timedelta(days=2, hours=1)
    )
    document = graded.to_json()
    kinds = {t["name"]: t for t in document["tests"] if t["name"].startswith("optimization::course::")}
    assert set(kinds) == {
        "optimization::course::late penalty",
        "optimization::course::extension",
        "optimization::course::adjustment",
    }
    assert kinds["optimization::course::late penalty"]["score"] == -2 * POLICY.penalty_per_day  # 1 d 1 h past: 2 days
    assert "regrade request 12" in kinds["optimization::course::adjustment"]["output"]
    assert "Extension of 1 day(s)" in kinds["optimization::course::extension"]["output"]
    assert document["score"] == pytest.approx(sum(t["score"] for t in document["tests"]))
    assert document["max_score"] == 100  # only the listed assignment counts
    assert [t["name"].split("::")[0] for t in document["tests"]] == ["optimization"] * len(document["tests"])
    entry = document["extra_data"]["assignments"]["optimization"]
    assert (entry["late_days"], entry["penalty"], entry["adjustment"]) == (2, 20, 5)
    assert document["extra_data"]["assignments"]["initialization"]["counted"] is False
    assert "initialization" not in document["output"]


def test_weights_scale_the_total():
    graded = apply_course(result(), course(weights={"optimization": 2.0, "initialization": 0.5}), DUE)
    assert graded.max_score == 2 * 100 + 0.5 * 100
    assert graded.score == 2 * optimization(result()).score


def test_without_a_course_nothing_changes():
    assert apply_course(result(), None, DUE + timedelta(days=9)) == result()
    assert result().to_json() == apply_course(result(), None).to_json()
