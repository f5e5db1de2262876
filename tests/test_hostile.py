"""The hostile corpus (``tests/hostile/cases.toml``), graded as ONE batch with the ``grade``
command on 2 jobs: every case earns no more than its twin (the same submission with the
attacked function left unimplemented, graded in the same batch), tells the student what
happened, stays within its time bound, leaves no process behind, and the submissions
after it grade normally.

Under bubblewrap (CI) every case runs; ``GRADER_HOSTILE_ISOLATION=process`` runs the cases
that are safe outside a sandbox and asserts what process mode promises (docs/isolation.md).
"""

import csv
import io
import json

import pytest

from tests import hostile_corpus as corpus

pytestmark = pytest.mark.slow

LEVEL = corpus.isolation()
NAMES = [name for name in corpus.CASES if corpus.runnable(name, LEVEL)]


@pytest.fixture(scope="module")
def graded():
    return corpus.run(LEVEL, 2)


def score(document, assignment=corpus.ASSIGNMENT):
    return document["extra_data"]["assignments"][assignment]["score"]


def checks(document, functions, assignment=corpus.ASSIGNMENT):
    return [t for t in document["tests"] if t["name"].split("::")[:2] in [[assignment, f] for f in functions]]


def notes(document):
    return document["extra_data"]["notes"] + [
        n for a in document["extra_data"]["assignments"].values() for n in a["notes"]
    ]


def test_the_corpus_has_what_the_issue_asks_for():
    assert len(corpus.CASES) >= 40
    for name, case in corpus.CASES.items():
        assert set(case) <= {
            "bound",
            "exact",
            "message",
            "seconds",
            "modes",
            "process",
            "xfail",
            "generated",
            "where",
            "needs_root",
            "assignment",
        }, name
        functions = corpus.functions_of(corpus.assignment_of(name))
        assert set(case["bound"]) <= {"*", *functions} and "seconds" in case, name
        if case.get("generated"):
            assert corpus.maker(name) is not None, name
        else:
            assert (corpus.HERE / name).is_dir() or (corpus.HERE / f"{name}.zip").is_file(), name
        assert case["bound"] == [] or "message" in case, name


def test_the_batch_finishes_with_status_0_in_under_3_minutes(graded):
    assert graded.returncode == 0, graded.stderr[-3000:]
    assert graded.seconds < 180, f"the batch took {graded.seconds:.0f} s"
    assert "Traceback" not in graded.stderr, graded.stderr[-3000:]


def test_no_process_of_any_submission_is_left_running(graded):
    assert graded.leftovers == []


def test_nothing_is_left_in_the_temporary_folder(graded):
    assert graded.left_in_tmp == []


def test_the_submissions_around_them_grade_normally(graded):
    assert score(graded.results(corpus.NORMAL)) == 100
    assert score(graded.results(corpus.twin_name([]))) == 100
    assert score(graded.results(corpus.twin_name(["*"]))) == 0
    for name, document in graded.documents().items():  # every result is the grader's own, whole
        assert document["extra_data"]["isolation"] == LEVEL, name
        assert len(document["tests"]) == len(graded.results(corpus.NORMAL)["tests"]), name
        assert document["max_score"] == 500 and document["output"] != "forged", name


def _params():
    for name in NAMES:
        reason = corpus.CASES[name].get("xfail")
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason and not _may_cheat(name) else []
        yield pytest.param(name, marks=marks, id=name)


def _may_cheat(name):
    return LEVEL == "process" and corpus.CASES[name].get("process") == "may_cheat"


@pytest.mark.parametrize("name", list(_params()))  # (a list: pytest 9.2 deprecates a generator)
def test_case(graded, name):
    case = corpus.CASES[name]
    document = graded.results(name)
    text = json.dumps(document)
    assert document["execution_time"] <= case["seconds"], f"graded in {document['execution_time']} s"
    assert len(text) < 200_000, "the student's output must be capped"
    assert "our bug" not in text, "no reply may make a check fail as the grader's own error"
    if _may_cheat(name):
        return  # process mode cannot stop reading files and the environment (docs/isolation.md)
    assert corpus.CANARY not in text
    assignment = corpus.assignment_of(name)
    bound = score(graded.results(corpus.twin_name(case["bound"], assignment)), assignment)
    if case.get("exact", True):
        assert score(document, assignment) == bound
    else:
        assert score(document, assignment) <= bound
    attacked = corpus.functions_of(assignment) if case["bound"] == ["*"] else case["bound"]
    for check in checks(document, attacked, assignment):
        assert check["score"] == 0, check["name"]
    if "message" not in case:
        return
    if case.get("where") == "notes":
        assert any(case["message"] in note for note in notes(document)), notes(document)
    else:
        for function in attacked:
            outputs = [c["output"] for c in checks(document, [function], assignment)]
            assert any(case["message"] in output for output in outputs), (function, outputs[:2])


def test_student_text_is_escaped_in_the_report(graded):
    report = (graded.out / "exception_surrogates" / "report.html").read_text(encoding="utf-8")
    assert "alert(&#39;x&#39;)" in report or "alert(&#x27;x&#x27;)" in report
    assert "<script>alert" not in report


def test_hostile_names_each_get_their_own_results(graded):
    if "hostile_names" not in NAMES:
        pytest.skip("not run at this isolation level")
    students = {d["extra_data"]["student"]: d for d in graded.documents().values()}
    for name in corpus.HOSTILE_NAMES:
        assert score(students[name]) == 100, name
        assert (graded.out / students[name]["extra_data"]["folder"] / "report.html").is_file(), name
    assert (graded.out / "gradebook.csv").is_file() and (graded.out / "summary.html").is_file()
    rows = list(csv.reader(io.StringIO((graded.out / "gradebook.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(students) + 1
    assert not any(row[0].startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows)
    log = graded.stderr + graded.stdout  # the progress lines go to stdout when it is not a terminal
    assert "\x1b" not in log and "\ngrade: all done" not in log
