"""SPEC §6: the same submission graded twice gives the same results. The hostile corpus
and the example class are each graded twice: once with 2 jobs (the corpus in the run
``test_hostile.py`` checks, the class on its own) and once together with 1 job. Every
``results.json`` must be identical but for ``execution_time``."""

import pytest

from tests import hostile_corpus as corpus

pytestmark = pytest.mark.slow

LEVEL = corpus.isolation()


def _comparable(document):
    return {key: value for key, value in document.items() if key != "execution_time"}


def test_graded_twice_with_two_jobs_then_one_the_results_are_identical():
    corpus_run, class_run = corpus.run(LEVEL, 2), corpus.run(LEVEL, 2, False, True)
    assert corpus_run.returncode == class_run.returncode == 0, class_run.stderr[-2000:]
    two = {**corpus_run.documents(), **class_run.documents()}
    once = corpus.run(LEVEL, 1, True, True)
    assert once.returncode == 0, once.stderr[-2000:]
    again = once.documents()
    assert len(two) > len(corpus.CASES) and any(n.startswith("example-") for n in two)
    assert sorted(two) == sorted(again)
    for name in sorted(two):
        a, b = _comparable(two[name]), _comparable(again[name])
        if a != b:
            changed = [
                (x["name"], x["output"][:300], y["output"][:300]) for x, y in zip(a["tests"], b["tests"]) if x != y
            ]
            assert a == b, f"{name} graded differently: {changed[:3] or 'outside the tests'}"
