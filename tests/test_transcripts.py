"""Hypothesis's runs of failed checks, kept and followed (``grader/pipeline/transcripts.py``):
the outcome of a check is the same whether hypothesis ran it or a kept run was followed, in
whole or in part, and the student's process sees the same calls, each once."""

import pytest

from grader.mistakes import applied_to, catalogue
from grader.pipeline import transcripts
from tests.helpers import grade_source, reference_source

ONE_SIDED = next(e for e in catalogue("gradient_checking") if e.name == "gc_one_sided")

# The one-sided difference, but in the check that swaps in J = x * theta**3, from its fourth
# call on (the third of hypothesis's run, after the replayed example), off by the number of
# such calls made so far: its answers leave the one-sided run's part of the way, and after that
# they tell whether a call was made twice, or made and not counted.
COUNTING = """
_one_sided, _calls = gradient_check, [0]


def gradient_check(x, theta, epsilon=1e-7):
    value = _one_sided(x, theta, epsilon)
    if forward_propagation(2.0, 3.0) != 54.0:  # not that check
        return value
    _calls[0] += 1
    return value + (_calls[0] if _calls[0] >= 4 else 0)
"""


def _outcomes(source):
    return [(o.check_id, o.passed, o.message, o.hint) for o in grade_source("gradient_checking", source).outcomes]


@pytest.fixture
def fresh():
    """No transcript kept before the test, and none left after it."""
    transcripts._kept.clear()
    transcripts._bytes[0] = 0
    yield
    transcripts._kept.clear()
    transcripts._bytes[0] = 0


def test_a_kept_run_followed_to_its_end_gives_hypothesis_s_outcome(fresh):
    one_sided = applied_to(reference_source("gradient_checking"), ONE_SIDED.source)
    before = dict(transcripts.stats)
    first = _outcomes(one_sided)  # hypothesis runs the failed checks, and they are kept
    assert transcripts.stats["kept"] > before["kept"]
    again = _outcomes(one_sided)  # followed: hypothesis does not run
    assert transcripts.stats["followed"] > before["followed"]
    assert again == first
    assert any(
        check == "gradient_checking.check_centred_difference" and not passed and hint
        for check, passed, _, hint in first
    )


def test_a_run_that_leaves_a_kept_one_part_of_the_way_ends_as_it_would_alone(fresh):
    one_sided = applied_to(reference_source("gradient_checking"), ONE_SIDED.source)
    counting = one_sided + COUNTING
    alone = _outcomes(counting)  # no transcript of the one-sided run yet
    transcripts._kept.clear()
    _outcomes(one_sided)
    left = transcripts.stats["left"]
    after = _outcomes(counting)  # follows the one-sided run, leaves it at the fourth call
    assert transcripts.stats["left"] > left
    assert after == alone
    assert alone != _outcomes(one_sided)  # (the two differ, or this test would show nothing)
