"""Secret cases (grader/checkapi/secret.py): one per check and submission, from a course secret."""

import importlib
import inspect
import os
import stat

import pytest

from grader import course
from grader.checkapi import secret

# Checks with fixed inputs that have no secret case (none: keep it so; a new check without one
# fails below until it takes the ``secret`` fixture, ``secret_variant`` or ``@given``).
WITHOUT_SECRET_CASE: dict = {}


@pytest.fixture
def fresh_secret(monkeypatch, tmp_path):
    """No GRADER_SECRET, the secret file in a temporary config folder, the cache emptied."""
    monkeypatch.delenv("GRADER_SECRET", raising=False)
    monkeypatch.delenv("GRADER_SECRET_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    secret.course_secret.cache_clear()
    yield tmp_path / "dnn-autograder" / "secret"
    secret.course_secret.cache_clear()


def test_the_secret_is_made_once_private_and_kept(fresh_secret):
    first = secret.course_secret()
    assert fresh_secret.is_file() and len(first) == 64
    assert stat.S_IMODE(os.stat(fresh_secret).st_mode) == 0o600
    secret.course_secret.cache_clear()
    assert secret.course_secret() == first


def test_the_environment_wins_and_changes_every_case(fresh_secret, monkeypatch):
    made = secret.case_seed("abc", "a::f::check")
    monkeypatch.setenv("GRADER_SECRET", "another")
    secret.course_secret.cache_clear()
    assert secret.course_secret() == b"another"
    assert secret.case_seed("abc", "a::f::check") != made


def test_a_case_depends_on_the_submission_and_the_check_only(fresh_secret):
    seed = secret.case_seed("sha-1", "a::f::check")
    assert seed == secret.case_seed("sha-1", "a::f::check")
    assert seed != secret.case_seed("sha-2", "a::f::check")
    assert seed != secret.case_seed("sha-1", "a::f::other check")


def test_a_failing_secret_case_says_so_and_rounds_its_numbers():
    from grader.checkapi.support import CheckFailure, fail

    with pytest.raises(CheckFailure) as raised, secret.secret_case("x = 1.25"):
        fail("f(2.0) is 0.123456789, expected 0.987654321e-5 (tolerance 1e-09).")
    assert str(raised.value) == (
        "In a case drawn for this submission only (x = 1.25): f(2.0) is 0.123, expected 9.88e-06 (tolerance 1e-09)."
    )


def test_every_check_without_a_secret_case_is_listed():
    missing = {}
    for assignment in course.ASSIGNMENT_IDS:
        module = importlib.import_module(f"grader.checks.{assignment}")
        for name, check in vars(module).items():
            fixed = getattr(check, "hypothesis", None) is None
            if (
                name.startswith("check_")
                and hasattr(check, "pytestmark")
                and fixed
                and "secret" not in inspect.signature(check).parameters
            ):
                missing.setdefault(assignment, set()).add(name)
    assert missing == WITHOUT_SECRET_CASE


def test_a_secret_case_fails_what_passes_only_the_shared_inputs():
    """A gradient_check that answers the shared inputs right and nothing else: full marks
    without the secret cases, and no point of a hypothesis check with them."""
    from unittest import mock

    from grader.pipeline import runner
    from tests.helpers import grade_source
    from tests.hostile_lookup import gradient_checking_source

    table = gradient_checking_source()  # recorded with grade_source's submission digest, "test"
    original = runner.run_checks

    def graded_as(sha):
        def run(files, students, figures=None, submission_sha256=None):
            return original(files, students, figures, sha)

        with mock.patch.object(runner, "run_checks", run):
            return grade_source("gradient_checking", table)

    assert graded_as("test").score == 100  # the cases it was recorded on, secret ones included
    assert graded_as("another submission").score == 0
