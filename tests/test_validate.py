"""``grade validate`` as the CI gate: every catalogued wrong implementation
(``grader/mistakes/<id>.py``) loses points on the hidden checks and fails each check its
entry names, every correct-but-different implementation scores 100 (hidden and public),
the reference 100 and the stubs 0. One run of the whole catalogue (a pool of
``os.cpu_count()`` workers; about 2-4 minutes on 2 cores)."""

import ast

import pytest

from grader import course
from grader.authoring.validate import report, run, table
from grader.mistakes import Mistake, Variant, applied_to, catalogue, definitions
from grader.pipeline.grading import check_files
from tests.helpers import reference_source

pytestmark = pytest.mark.slow

ASSIGNMENTS = [f.stem for f in check_files()]


@pytest.fixture(scope="module")
def graded():
    return run(ASSIGNMENTS)


def test_the_catalogue_is_well_formed():
    mistakes = [e for a in course.ASSIGNMENT_IDS for e in catalogue(a) if isinstance(e, Mistake)]
    assert len(mistakes) >= 80
    for assignment in course.ASSIGNMENT_IDS:
        entries = catalogue(assignment)
        assert any(isinstance(e, Variant) for e in entries), assignment
        names = [e.name for e in entries]
        assert len(names) == len(set(names)), f"{assignment}: duplicate names"
        reference = reference_source(assignment)
        defined = {n.name for n in ast.parse(reference).body if isinstance(n, ast.FunctionDef)}
        for e in entries:
            assert e.function in defined and e.function in definitions(e.source), e.name
            changed = applied_to(reference, e.source)
            assert changed != reference and e.source.strip() in changed, e.name
            if isinstance(e, Mistake):
                assert e.must_fail and (e.hint or e.message), e.name  # a hint, or a message to prove
                assert set(e.fragments()) <= set(e.must_fail), e.name  # a fragment for a check it must fail


def test_every_graded_function_has_known_mistakes(graded):
    for assignment in ASSIGNMENTS:
        functions = {
            f for g in graded if g.assignment == assignment and g.kind == "reference" for f in g.checks.values()
        }
        covered = {e.function for e in catalogue(assignment) if isinstance(e, Mistake)}
        assert functions <= covered, f"{assignment}: no known mistake of {sorted(functions - covered)}"


def test_reference_full_marks_stub_zero_mistakes_caught_variants_untouched(graded, capsys):
    lines = []
    code = report(graded, ASSIGNMENTS, out=lines.append)
    with capsys.disabled():  # the catch-rate table, in the CI log
        print("\n" + "\n".join(lines))
    assert code == 0, "\n".join(line for line in lines if line.startswith("PROBLEM"))


def test_the_table_counts_every_entry(graded):
    for assignment in ASSIGNMENTS:
        mine = [g for g in graded if g.assignment == assignment]
        lines = table(mine, catalogue(assignment))
        functions = {e.function for e in catalogue(assignment)}
        assert len(lines) == len(functions)
        total = sum(int(line.split()[1].split("/")[1]) for line in lines)
        assert total == sum(isinstance(e, Mistake) for e in catalogue(assignment))


def test_a_message_that_does_not_say_what_its_entry_promises_is_a_problem(graded):
    import dataclasses

    from grader.authoring.validate import problems

    entry, g = next(
        (e, g)
        for a in ASSIGNMENTS
        for e in catalogue(a)
        for g in graded
        if isinstance(e, Mistake) and e.message and g.name == e.name and g.assignment == a
    )
    assert not problems([g], [entry])
    muted = dataclasses.replace(g, failed={check: "Something is wrong." for check in g.failed})
    assert any("does not say" in line for line in problems([muted], [entry]))
