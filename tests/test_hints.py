"""Hints that name a known mistake (grader/hints.py): a failed check whose output matches a
catalogued wrong implementation says so in its message and in results.json; a correct
submission, or a wrong one we do not know, gets no hint. The class summary counts them."""

import numpy as np

from grader.mistakes import applied_to, catalogue, mistakes
from grader.pipeline.grading import grade_submission
from grader.pipeline.hints import matches
from grader.pipeline.submission import StudentFile, Submission
from grader.report.summary import class_statistics, markdown_summary
from grader.results import check_id
from tests.helpers import reference_source


def entry(assignment, name):
    return next(e for e in catalogue(assignment) if e.name == name)


def graded(assignment, source):
    """(results.json tests of ``assignment`` keyed by check id, AssignmentResult)."""
    submission = Submission("tester", "test", {assignment: StudentFile(assignment, f"{assignment}.py", source)})
    result = grade_submission(submission)
    tests = {
        t["extra_data"]["check_id"]: t for t in result.to_json()["tests"] if t["name"].startswith(f"{assignment}::")
    }
    return tests, next(a for a in result.assignments if a.id == assignment)


def hinted(tests):
    return {
        name: t.get("mistake")
        for name, t in tests.items()
        if "Hint: " in t["output"] or t.get("mistake") or "hint" in t["extra_data"]
    }


def test_adam_without_bias_correction_is_named_in_the_message_and_in_results_json():
    mistake = entry("optimization", "adam_no_bias_correction")
    tests, result = graded("optimization", applied_to(reference_source("optimization"), mistake.source))
    outcomes = {o.check_id: o for o in result.outcomes}
    assert mistake.must_fail
    for check in mistake.must_fail:
        test, outcome = tests[check_id("optimization", check)], outcomes[check_id("optimization", check)]
        assert test["status"] == "failed"
        assert test["mistake"] == "adam_no_bias_correction" and test["extra_data"]["hint"] == mistake.hint
        assert outcome.hint == mistake.hint and "Hint: " not in outcome.message  # a field, not in the message
        assert test["output"] == outcome.message + "\nHint: " + mistake.hint  # results.json's text as before
        assert "this looks like Adam without bias correction" in test["output"]
    assert set(hinted(tests).values()) == {"adam_no_bias_correction"}


def test_a_one_sided_difference_is_named_through_a_patched_call():
    mistake = entry("gradient_checking", "gc_one_sided")
    tests, result = graded("gradient_checking", applied_to(reference_source("gradient_checking"), mistake.source))
    test = tests["gradient_checking.check_centred_difference"]
    assert test["status"] == "failed" and test["mistake"] == "gc_one_sided"
    assert "Hint: this looks like a one-sided difference" in test["output"]
    assert {o.mistake for o in result.outcomes if o.mistake} == {"gc_one_sided"}


def test_correct_submissions_get_no_hint():
    for assignment, name in (("optimization", "adam_in_place"), ("gradient_checking", "gc_absolute_values")):
        tests, result = graded(assignment, applied_to(reference_source(assignment), entry(assignment, name).source))
        assert result.score == 100
        assert hinted(tests) == {}


def test_an_unknown_wrong_implementation_gets_no_hint():
    source = applied_to(
        reference_source("optimization"),
        """
        def update_lr(learning_rate0, epoch_num, decay_rate):
            return learning_rate0 / (1 + decay_rate * epoch_num) + 1e-3
        """,
    )
    tests, _ = graded("optimization", source)
    assert tests["optimization.check_update_lr"]["status"] == "failed"
    assert hinted(tests) == {}


def test_matching_is_strict_about_structure():
    grads = {"dW1": np.ones((2, 3)), "db1": np.zeros((2, 1)), "dZ1": np.ones((2, 4))}
    assert matches({"dW1": np.ones((2, 3)), "db1": np.zeros((2, 1))}, grads)  # dZ/dA are optional
    assert not matches({"dW1": np.ones((2, 3))}, grads)  # a missing block is a difference
    assert matches({"dW1": np.ones((2, 3)) + 1e-12, "db1": np.zeros((2, 1)), "extra": 1}, grads)
    assert not matches({"dW1": np.ones((2, 3)) * (1 + 1e-4), "db1": np.zeros((2, 1))}, grads)
    assert not matches(1.0, True) and not matches(True, 1.0) and matches(True, np.bool_(True))
    assert not matches((1.0, 2.0), (1.0,)) and matches([1.0, 2.0], (1.0, 2.0))
    assert not matches(np.ones(3), np.ones((3, 1)))
    assert not matches(np.zeros(3, dtype=int), np.zeros(3))  # integer zeros are a mistake of their own
    assert matches(np.ones(3, dtype=bool), np.ones(3)) and matches(np.ones(3, dtype=int), np.ones(3, dtype=bool))
    assert matches(float("nan"), float("nan")) and not matches(0.0, float("nan"))


def test_every_hint_is_plain_fixed_text():
    for assignment in ("gradient_checking", "initialization", "regularization", "gradient_checking_nd", "optimization"):
        for mistake in mistakes(assignment, hinted=True):
            assert mistake.hint.startswith("this looks like"), mistake.name
            assert "\n" not in mistake.hint and mistake.hint.endswith("."), mistake.name


def _document(student, mistake=None, hint="this looks like Adam without bias correction."):
    test = {
        "name": "optimization::update_parameters_with_adam::steps",
        "score": 0 if mistake else 10,
        "max_score": 10,
        "status": "failed" if mistake else "passed",
        "output": "After step 1, v_corrected differs.\nHint: this looks like Adam without bias correction."
        if mistake
        else "",
        "visibility": "visible",
        "tags": [],
    }
    if mistake:
        test["mistake"] = mistake
        test["extra_data"] = {"check_id": "optimization.check_adam_trajectory", "hint": hint}
    assignments = {
        a: {"score": 0, "max_score": 100, "submitted": a == "optimization"}
        for a in ("initialization", "regularization", "gradient_checking", "gradient_checking_nd", "optimization")
    }
    return {
        "score": test["score"],
        "max_score": 500,
        "tests": [test],
        "extra_data": {"student": student, "assignments": assignments},
    }


def test_the_class_summary_counts_students_per_known_mistake():
    docs = [_document("ann", "adam_no_bias_correction"), _document("bob", "adam_no_bias_correction"), _document("cat")]
    stats = class_statistics(docs)
    assert stats["mistakes"] == [
        {
            "name": "adam_no_bias_correction",
            "count": 2,
            "hint": "this looks like Adam without bias correction.",
            "tests": ["optimization::update_parameters_with_adam::steps"],
        }
    ]
    assert "| 2 | adam_no_bias_correction | this looks like Adam without bias correction. |" in markdown_summary(docs)


def test_the_class_summary_reads_the_hint_field_not_the_output_text():
    docs = [_document("ann", "adam_no_bias_correction", hint="this looks like the field's hint.")]
    assert [m["hint"] for m in class_statistics(docs)["mistakes"]] == ["this looks like the field's hint."]
    del docs[0]["tests"][0]["extra_data"]["hint"]  # "Hint: " in the output alone is not a hint
    assert [m["hint"] for m in class_statistics(docs)["mistakes"]] == [""]


def test_a_mistake_whose_output_depends_on_np_random_state_is_never_named():
    """Its output equals the student's only if np.random happens to be in the same state (as
    here, on purpose), so naming it would depend on the run."""
    from grader.pipeline.hints import CallLog, _evaluate, find_mistake
    from grader.pipeline.reference import load_reference

    X, Y = np.arange(12.0).reshape(2, 6), np.arange(6.0).reshape(1, 6)
    call = ((X, Y), {"mini_batch_size": 64, "seed": 5})
    state = np.random.get_state()
    try:
        np.random.seed(7)
        _, got = _evaluate(
            load_reference("optimization"),
            "random_mini_batches",
            entry("optimization", "batches_global_state").source,
            *call,
        )
        log = CallLog()
        log.record("random_mini_batches", *call, got)
        np.random.seed(7)  # the very state the student's permutation came from
        assert find_mistake(log, "optimization") is None
    finally:
        np.random.set_state(state)


def test_a_log_seen_before_gets_the_same_answer_and_any_other_result_its_own():
    """``find_mistake``'s answers are kept by the digest of the calls and their results: a
    second student with the same wrong results is named at once, and one whose results
    differ in a single value is looked at afresh."""
    from grader.pipeline import hints
    from grader.pipeline.reference import load_reference

    mistake = entry("gradient_checking", "gc_one_sided")
    patch = {
        "forward_propagation": "def forward_propagation(x, theta):\n    return theta ** 3 * x\n",
        "backward_propagation": "def backward_propagation(x, theta):\n    return 3 * theta ** 2 * x\n",
    }
    calls = [((x, 1.5), {"patch": patch}) for x in (1.0, 2.5, -3.0)]
    reference = load_reference("gradient_checking")

    def log_of(source):
        log = hints.CallLog()
        for args, kwargs in calls:
            failed, got = hints._evaluate(reference, "gradient_check", source, args, kwargs, seed=1)
            assert not failed
            log.record("gradient_check", args, kwargs, got)
        return log

    hints._found.clear()
    wrong, right = log_of(mistake.source), log_of(None)
    assert wrong.digest("gradient_checking", "gradient_check") != right.digest("gradient_checking", "gradient_check")
    for _ in range(2):  # the second time from what was kept
        assert hints.find_mistake(wrong, "gradient_checking", "gradient_check") is mistake
        assert hints.find_mistake(right, "gradient_checking", "gradient_check") is None
    assert len(hints._found) == 2
    nudged = log_of(mistake.source)
    function, args, kwargs, got = nudged._calls[0]
    nudged._calls[0] = (function, args, kwargs, np.nextafter(got, np.inf))  # one value, one ulp away
    assert hints.find_mistake(nudged, "gradient_checking", "gradient_check") is mistake  # within tolerance
    assert len(hints._found) == 3  # but looked at afresh
    unkept = hints.CallLog()
    unkept.record("gradient_check", calls[0][0], calls[0][1], hints.Unsupported("a reply too large to keep"))
    assert unkept.digest("gradient_checking") is None  # not kept
