"""A ``results.json`` as Gradescope shows it to the student.

- ``output_format``/``test_output_format`` are ``md``, so the messages' ``code`` and
  indented tracebacks render as Markdown instead of showing backticks.
- ``[gradescope] check_output`` of the course file (Gradescope's test ``visibility``:
  ``visible``, ``after_due_date``, ``after_published``, ``hidden``) decides when the checks'
  messages are shown; their scores stay visible. Each check keeps its score in a visible test
  whose output only says passed or failed, and its message moves to a test of its own, worth
  nothing, with that visibility (Gradescope takes the total from ``score``, never from the tests).
"""

from grader.results import COURSE_FUNCTION

WHEN = {
    "after_due_date": "after the due date",
    "after_published": "when the grades are published",
    "hidden": "by the course staff on request",
}


def for_gradescope(document: dict, check_output: str = "visible") -> dict:
    """``document`` (a results.json) ready for Gradescope."""
    document = {**document, "output_format": "md", "test_output_format": "md"}
    if check_output == "visible":
        return document
    tests = []
    for test in document["tests"]:
        if test["name"].split("::")[1] == COURSE_FUNCTION or not test.get("output"):
            tests.append(test)
            continue
        verdict = "Passed." if test["status"] == "passed" else "Failed."
        tests.append({**test, "output": f"{verdict} The details are shown {WHEN[check_output]}."})
        tests.append(
            {
                "name": f"{test['name']} (details)",
                "score": 0,
                "max_score": 0,
                "status": test["status"],
                "output": test["output"],
                "visibility": check_output,
                "tags": test.get("tags", []),
            }
        )
    return {**document, "tests": tests}
