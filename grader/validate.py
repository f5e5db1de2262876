"""``grade validate``: the grading suite checked against implementations whose scores we
know: the reference must score 100 on every assignment and the stubs 0."""

from grader import paths
from grader.grading import check_files, grade_submission
from grader.submission import StudentFile, Submission


def _score_of(folder, assignment, public=False):
    source = (folder / f"{assignment}.py").read_text(encoding="utf-8")
    submission = Submission(f"{folder.name}", "-", {assignment: StudentFile(assignment, f"{assignment}.py", source)})
    result = grade_submission(submission, public=public)
    return next(a for a in result.assignments if a.id == assignment)


def validate():
    graded = [f.stem for f in check_files()]
    problems = 0
    print(f"{'assignment':22} {'reference':>10} {'stub':>6}")
    for assignment in graded:
        reference = _score_of(paths.SOLUTIONS, assignment)
        stub = _score_of(paths.ASSIGNMENTS, assignment)
        ok = reference.score == 100 and stub.score == 0
        problems += not ok
        print(f"{assignment:22} {reference.score:>10g} {stub.score:>6g}{'' if ok else '   <-- wrong'}")
        for o in reference.outcomes:
            if not o.passed:
                print(f"    the reference fails {o.test_name}: {o.message.splitlines()[0]}")
    return 1 if problems else 0
