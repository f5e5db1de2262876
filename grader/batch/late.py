"""A course's rules applied to a graded submission (SPEC §7): which assignments count, with
which weight, the late penalty, the extensions and the manual adjustments.

The contract of lateness, in one place:

- the deadline is the assignment's ``due`` plus the student's extension (whole or
  fractional days);
- a submission up to ``grace_minutes`` after the deadline is on time;
- later, it is late by the number of *started* days since the deadline (one minute past
  the grace is 1 day, 24 h and 1 min is 2 days);
- each late day costs ``penalty_per_day`` percent of the assignment's points (its maximum,
  100, as Canvas' late policy does), never more than the student earned;
- more than ``max_days`` days late: the assignment scores 0.

Manual adjustments come last, on top of the penalty. Each penalty, extension and
adjustment becomes a ``ScoreAdjustment`` of its assignment, with its reason, so it shows in
``results.json`` (as a test of its own, so Gradescope's total equals the gradebook's) and in
the student's report. Applied in the process that writes the results, never in a worker.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime, timedelta

from grader.batch.course_file import Course, LatePolicy
from grader.course import ASSIGNMENT_IDS
from grader.results import ScoreAdjustment, SubmissionResult

DAY = timedelta(days=1)


def late_days(submitted_at: datetime, deadline: datetime, grace_minutes: float) -> int:
    """Started days between ``deadline`` and ``submitted_at``; 0 within the grace period."""
    late = submitted_at - deadline
    if late <= timedelta(minutes=grace_minutes):
        return 0
    return math.ceil(late / DAY)


def late_penalty(earned: float, max_points: float, days: int, policy: LatePolicy) -> float:
    """The points lost (>= 0) by ``days`` days late, never more than ``earned``."""
    if days <= 0:
        return 0.0
    if policy.max_days is not None and days > policy.max_days:
        return earned
    return round(min(earned, max_points * policy.penalty_per_day / 100 * days), 6)


def restrict(submission, course: Course | None):
    """``submission`` without the files of assignments the course does not grade (they are
    listed as ignored, so the student learns why)."""
    if course is None or set(course.assignments) == set(ASSIGNMENT_IDS):
        return submission
    kept = {a: f for a, f in submission.files.items() if a in course.assignments}
    dropped = tuple(f.name for a, f in submission.files.items() if a not in course.assignments)
    return replace(
        submission,
        files=kept,
        unknown=tuple(sorted((*submission.unknown, *dropped))),
        problems={a: p for a, p in submission.problems.items() if a in course.assignments},
    )


def apply_course(
    result: SubmissionResult, course: Course | None, submitted_at: datetime | None = None, student: str | None = None
) -> SubmissionResult:
    """``result`` under ``course`` (unchanged without one). ``student`` is the roster's name
    of the submitter (extensions and adjustments are keyed by it), default ``result.student``."""
    if course is None:
        return result
    student = student or result.student
    assignments, notes = [], list(result.notes)
    for a in result.assignments:
        if a.id not in course.assignments:
            assignments.append(replace(a, counted=False, outcomes=(), figures=(), notes=()))
            continue
        adjustments, days = [], 0
        due = course.due.get(a.id)
        extension = course.extension_days(student, a.id)
        if due is not None and extension:
            moved = due + timedelta(days=extension)
            adjustments.append(
                ScoreAdjustment(
                    "extension",
                    0.0,
                    f"Extension of {extension:g} day(s): due {_when(moved, course)} instead of {_when(due, course)}.",
                )
            )
        if due is not None and a.submitted and submitted_at is not None:
            deadline = due + timedelta(days=extension)
            days = late_days(submitted_at, deadline, course.late.grace_minutes)
            lost = late_penalty(a.checks_score, a.max_score, days, course.late)
            if days:
                capped = lost < late_penalty(a.max_score, a.max_score, days, course.late)
                adjustments.append(
                    ScoreAdjustment(
                        "late penalty", -lost, _late_reason(submitted_at, deadline, days, lost, capped, course)
                    )
                )
        elif due is not None and a.submitted:
            notes.append(f"{a.id}: no submission time is known, so no late penalty was applied.")
        adjustments += [
            ScoreAdjustment("adjustment", j.points, j.reason)
            for j in course.adjustments
            if j.student == student and j.assignment == a.id
        ]
        assignments.append(replace(a, weight=course.weight(a.id), adjustments=tuple(adjustments), late_days=days))
    extra = {
        **result.extra,
        "course": {
            "name": course.name,
            "stamp": course.stamp(student, submitted_at),
            "submitted_at": submitted_at.isoformat() if submitted_at else None,
        },
    }
    return replace(result, assignments=tuple(assignments), notes=tuple(notes), extra=extra)


def _late_reason(submitted_at, deadline, days, lost, capped, course):
    policy = course.late
    text = (
        f"Submitted {_when(submitted_at, course)}, {_duration(submitted_at - deadline)} after the deadline "
        f"{_when(deadline, course)}"
    )
    if policy.grace_minutes:
        text += f" (grace period {policy.grace_minutes:g} min)"
    if policy.max_days is not None and days > policy.max_days:
        return text + f": more than {policy.max_days} day(s) late, so this assignment scores 0 (-{lost:g} points)."
    return text + (
        f": {days} started day(s) late x {policy.penalty_per_day:g}% of the points = -{lost:g} points"
        + (" (capped at the points earned)." if capped else ".")
    )


def _when(moment, course):
    shown = moment.astimezone(course.timezone) if course.timezone else moment
    return shown.strftime("%Y-%m-%d %H:%M %Z").strip()


def _duration(delta):
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    shown = " ".join(f"{n} {unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "min")) if n)
    return shown or "less than a minute"
