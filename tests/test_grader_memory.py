"""The grader's own resources are bounded whatever a student returns: a reply is checked
for shape and size before it is converted, a large one is not kept for hints, and every
text and figure that reaches results.json and the reports is capped (``grader/results.py``)."""

import json
import tracemalloc
from dataclasses import replace

import numpy as np
import pytest

from grader.checkapi import support
from grader.pipeline.hints import MAX_KEPT_BYTES, CallLog
from grader.results import (
    MAX_FIGURE,
    MAX_HINT,
    MAX_LISTED,
    MAX_MESSAGE,
    MAX_NOTES,
    AssignmentResult,
    CheckOutcome,
    Figure,
    SubmissionResult,
)


def _peak(action):
    tracemalloc.start()
    try:
        action()
    except support.CheckFailure as failure:
        message = str(failure)
    else:
        message = None
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, message


def test_a_reply_of_the_wrong_shape_is_refused_before_it_is_converted():
    reply = np.ones(60 * 2**20, dtype=np.int8)  # 60 MiB; as float64 it would be 480 MiB
    peak, message = _peak(lambda: support.expect_array(reply, "dW1", (3, 4)))
    assert message.startswith("dW1 has shape (62914560,), expected (3, 4)")
    assert peak < 2**20


def test_a_reply_too_large_for_any_graded_function_is_refused_without_a_shape():
    reply = np.ones(support.MAX_ENTRIES + 1, dtype=np.int8)
    peak, message = _peak(lambda: support.expect_array(reply, "costs"))
    assert "far more than this function returns" in message and peak < 2**20
    assert support.expect_array(np.ones((2, 3), dtype=np.int8), "x", (2, 3)).dtype == np.float64


def test_a_dict_with_a_hundred_thousand_keys_makes_a_short_message():
    reply = {f"key{i}": 0.0 for i in range(95_000)}
    with pytest.raises(support.CheckFailure) as failure:
        support.expect_dict(reply, "v", ["dW1"])
    assert len(str(failure.value)) < 1000 and "94980 more" in str(failure.value)


def test_large_replies_are_not_kept_for_hints():
    log = CallLog()
    big, small = np.zeros(MAX_KEPT_BYTES // 8 + 1), {"W1": np.zeros((3, 3))}
    log.record("f", (), {}, big)
    log.record("f", (), {}, [small] * 3)
    kept = [result for *_, result in log.recent()]
    assert type(kept[1]).__name__ == "Unsupported" and kept[0][0]["W1"].shape == (3, 3)


def test_every_text_and_figure_that_reaches_the_results_is_capped():
    outcome = CheckOutcome("a", "f", "n", 1, False, message="x" * 10**5 + "the end", hint="keep this " * 10**4)
    assert len(outcome.message) <= MAX_MESSAGE and outcome.message.endswith("the end")
    assert "characters left out" in outcome.message and len(outcome.hint) <= MAX_HINT
    hinted = replace(outcome, hint="keep this whole.")  # a long message is cut, never the hint
    assert len(hinted.output) <= MAX_MESSAGE and hinted.output.endswith("the end\nHint: keep this whole.")
    huge = Figure("lines", "costs", {"series": {"yours": list(range(10**6))}})
    small = Figure("lines", "costs", {"series": {"yours": [1.0, 2.0]}})
    assignment = AssignmentResult("a", True, (outcome,), notes=("n" * 10**5,) * 100, figures=(huge, small))
    assert assignment.figures == (small,) and len(assignment.notes) == MAX_NOTES + 2
    assert any("was left out of the report" in note for note in assignment.notes)
    assert all(len(note) <= MAX_MESSAGE for note in assignment.notes)
    result = SubmissionResult("s", "0" * 64, (assignment,), unknown_files=tuple(f"f{i}" for i in range(10**4)))
    assert len(result.unknown_files) == MAX_LISTED + 1
    assert len(json.dumps(result.to_json())) < 100_000 + MAX_FIGURE
