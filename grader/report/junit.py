"""``--junit FILE``: the results as JUnit XML, for CI systems that show test reports.

One ``<testsuite>`` per student, one ``<testcase>`` per check (``classname`` is
``<student>.<assignment>``, ``name`` is ``<function>::<check>``): a failed check is a
``<failure>`` with the student's message, a check of an assignment that was not
submitted is ``<skipped>``, a check on which the grader itself failed is an ``<error>``.
A submission with nothing gradable in it (a broken archive, misnamed files, an empty
folder) adds a ``submission`` testcase in ``<error>`` with the reason, so CI goes red.
Built from the ``results.json`` documents, like every class-level file.

``time``: a testsuite's is the submission's grading time (``execution_time``); the grader
does not time its checks one by one (results must not vary from run to run), so each
testcase's ``time`` is the suite's time shared equally among its testcases.
"""

import re
import xml.etree.ElementTree as ET

from grader.results import COURSE_FUNCTION

NOT_XML = re.compile(r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value):
    return NOT_XML.sub("\ufffd", str(value))


def junit_xml(documents):
    root = ET.Element("testsuites", name="grade")
    totals = dict(tests=0, failures=0, errors=0, skipped=0)
    for d in sorted(documents, key=lambda d: d["extra_data"]["student"]):
        suite, counts = _suite(d)
        root.append(suite)
        for key in totals:
            totals[key] += counts[key]
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _suite(document):
    extra = document["extra_data"]
    student = extra["student"]
    suite = ET.Element("testsuite", name=_text(student), time=f"{document.get('execution_time', 0):.3f}")
    checks = [t for t in document["tests"] if t["name"].split("::")[1] != COURSE_FUNCTION]
    share = f"{document.get('execution_time', 0) / max(1, len(checks)):.3f}"
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("score", f"{document['score']:g}"),
        ("max_score", f"{document['max_score']:g}"),
        ("submission_sha256", extra["submission_sha256"]),
        ("grader_version", extra["grader_version"]),
    ):
        ET.SubElement(properties, "property", name=name, value=_text(value))
    counts = dict(tests=0, failures=0, errors=0, skipped=0)
    broken = set(extra.get("grader_errors", ()))
    if not extra.get("grader_failure") and not any(a.get("submitted") for a in extra["assignments"].values()):
        case = ET.SubElement(suite, "testcase", classname=_text(student), name="submission", time="0.000")
        ET.SubElement(case, "error", message="nothing in this submission could be graded").text = _text(
            document.get("output", "")
        )
        counts.update(tests=1, errors=1)
    if extra.get("grader_failure"):
        case = ET.SubElement(suite, "testcase", classname=_text(student), name="grading", time="0.000")
        ET.SubElement(case, "error", message=_text(f"the grader failed: {extra['grader_failure']}"))
        counts.update(tests=1, errors=1)
    for test in document["tests"]:
        assignment, rest = test["name"].split("::", 1)
        if rest.startswith(f"{COURSE_FUNCTION}::"):  # a late penalty, an adjustment: in the score, not a check
            continue
        case = ET.SubElement(
            suite, "testcase", classname=_text(f"{student}.{assignment}"), name=_text(rest), time=share
        )
        counts["tests"] += 1
        if test["name"] in broken:
            error = ET.SubElement(case, "error", message="the grader failed on this check (our bug)")
            error.text = _text(test["output"])
            counts["errors"] += 1
        elif not extra["assignments"][assignment].get("submitted"):
            ET.SubElement(case, "skipped", message=_text(f"{assignment} was not submitted"))
            counts["skipped"] += 1
        elif test["status"] != "passed":
            first = test["output"].strip().splitlines()[0] if test["output"].strip() else "failed"
            ET.SubElement(case, "failure", message=_text(first)).text = _text(test["output"])
            counts["failures"] += 1
    for key, value in counts.items():
        suite.set(key, str(value))
    return suite, counts
