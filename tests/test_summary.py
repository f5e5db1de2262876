"""The class summary and the gradebook, built from results.json documents (no grading here)."""

import csv
import io
import re

from grader import course
from grader.report.gradebook import GRADEBOOK_COLUMNS, gradebook_csv, status_of
from grader.report.output import safe_name
from grader.report.summary import class_statistics, failure_key, histogram, markdown_summary, summary_html
from grader.results import AssignmentResult, CheckOutcome, SubmissionResult

GC = "gradient_checking"


def document(student, passed=(), failed=(), submitted=(GC,), sha="abc", notes=(), **extra):
    """A results.json document; ``passed``/``failed`` are (check name, points[, message])."""
    assignments = []
    for a in course.ASSIGNMENT_IDS:
        outcomes = []
        if a == GC:
            outcomes += [CheckOutcome(GC, "gradient_check", name, points, a in submitted) for name, points in passed]
            outcomes += [
                CheckOutcome(
                    GC, "gradient_check", name, points, False, message if a in submitted else f"{GC} was not submitted."
                )
                for name, points, message in failed
            ]
        assignments.append(AssignmentResult(a, a in submitted, tuple(outcomes)))
    result = SubmissionResult(student, sha, tuple(assignments), notes=notes, grader_version="1", extra=extra)
    return result.to_json()


def test_histogram_bins_include_both_ends():
    assert histogram([0, 9.99, 10, 55, 99.9, 100]) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert sum(histogram([])) == 0


def test_failure_messages_group_across_drawn_values():
    a = "gradient_check(2.5, -1) returned 0.33: with the centred difference it should be below 1e-07.\nmore"
    b = "gradient_check(0.1, 7) returned 0.0412: with the centred difference it should be below 1e-07."
    assert (
        failure_key(a)
        == failure_key(b)
        == "gradient_check(#, #) returned #: with the centred difference it should be below #."
    )
    assert failure_key("") == "(no message)"


def test_pass_rates_and_common_failures_count_students_who_submitted():
    wrong = ("centred", 40, "gradient_check(1, 2) returned 0.5, expected 0")
    docs = [
        document("ann", passed=[("centred", 40), ("zero", 60)]),
        document("bob", passed=[("zero", 60)], failed=[wrong]),
        document("cat", passed=[("zero", 60)], failed=[(*wrong[:2], "gradient_check(3, 4) returned 0.7, expected 0")]),
        document("dan", failed=[("centred", 40, ""), ("zero", 60, "")], submitted=()),
    ]
    stats = class_statistics(docs)
    rates = {c["name"]: (c["passed"], c["attempted"]) for c in stats["checks"]}
    assert rates == {f"{GC}::gradient_check::centred": (1, 3), f"{GC}::gradient_check::zero": (3, 3)}
    assert stats["failures"] == [
        {
            "test": f"{GC}::gradient_check::centred",
            "count": 2,
            "key": "gradient_check(#, #) returned #, expected #",
            "example": "gradient_check(1, 2) returned 0.5, expected 0",
        }
    ]
    gc = next(a for a in stats["assignments"] if a["id"] == GC)
    assert gc["submitted"] == 3 and gc["histogram"][6] == 2 and gc["histogram"][9] == 1
    assert stats["statuses"] == {"graded": 3, "not submitted": 1}


def test_summary_html_is_self_contained_and_escapes_student_text():
    evil = '<script>alert("x")</script>'
    docs = [document(evil, failed=[("centred", 100, f"got {evil}")]), document("ann", passed=[("centred", 100)])]
    page = summary_html(docs)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "a link or resource outside the page"
    assert "@import" not in page and "url(" not in page
    assert 'href="ann/report.html"' in page and f'href="{safe_name(evil)}/report.html"' in page
    assert '<meta name="viewport"' in page


def test_gradebook_rows_columns_and_statuses():
    docs = [
        document("bob", passed=[("centred", 100)]),
        document("ann", failed=[("centred", 100, "")], submitted=()),
        document("cy", failed=[("centred", 100, "")], submitted=(), notes=("cy.zip: not a readable zip file.",)),
        document("dee", passed=[("centred", 100)], grader_failure="the worker died"),
        document("eve", passed=[("centred", 100)], grader_errors=[f"{GC}::gradient_check::x"]),
    ]
    rows = list(csv.DictReader(io.StringIO(gradebook_csv(docs))))
    assert tuple(rows[0]) == GRADEBOOK_COLUMNS
    assert [r["student"] for r in rows] == ["ann", "bob", "cy", "dee", "eve"]
    status = {r["student"]: r["status"] for r in rows}
    assert status["ann"] == "not submitted" and status["bob"] == "graded"
    assert status["cy"] == "error: cy.zip: not a readable zip file."
    assert status["dee"].startswith("error: the grader failed") and "worker died" in status["dee"]
    assert status["eve"].startswith("error: the grader failed on 1 check")
    codes = {d["extra_data"]["student"]: status_of(d) for d in docs}  # a code beside the text, as data
    assert {name: (c.code, c.grader_failed) for name, c in codes.items()} == {
        "bob": ("graded", False),
        "ann": ("not submitted", False),
        "cy": ("error", False),
        "dee": ("error", True),
        "eve": ("error", True),
    }
    assert all(c.text == status[name] for name, c in codes.items())
    assert class_statistics(docs)["statuses"] == {"graded": 1, "not submitted": 1, "error": 3}
    assert rows[1][GC] == "100" and rows[1]["total"] == "100" and rows[1]["max_score"] == "500"
    assert rows[1]["percent"] == "20.0" and rows[1]["submission_sha256"] == "abc"


def test_markdown_summary_escapes_table_cells():
    text = markdown_summary([document("a|b", failed=[("centred", 100, "x | y\nz")])])
    assert "| a\\|b |" in text and "x \\| y" in text and "\nz" not in text


def test_only_numbers_that_stand_alone_are_masked():
    assert (
        failure_key("A{l1} differs at theta**3 for W2 and Z[l-1]: got -0.5 (shape (2, 3)), expected 1e-07.")
        == "A{l1} differs at theta**3 for W2 and Z[l-1]: got # (shape (#, #)), expected #."
    )
    assert failure_key("returned 0.33, expected 42%") == "returned #, expected #%"


def test_not_implemented_failures_are_grouped_apart_by_function():
    todo = "`gradient_check` is not implemented yet (it raises NotImplementedError)."
    docs = [
        document("ann", failed=[("centred", 40, todo), ("zero", 60, todo)]),
        document("bob", failed=[("centred", 40, todo)], passed=[("zero", 60)]),
        document("cat", failed=[("centred", 40, "gradient_check(1, 2) returned 0.5")], passed=[("zero", 60)]),
    ]
    stats = class_statistics(docs)
    assert stats["not_implemented"] == [{"assignment": GC, "function": "gradient_check", "count": 2}]
    assert [f["count"] for f in stats["failures"]] == [1]
    assert all("not implemented" not in f["key"] for f in stats["failures"])
    page = summary_html(docs)
    assert page.index('id="failures"') < page.index('id="unfinished"') and "<main>" in page
