"""SPEC §6: the same submission graded twice gives the same results. The hostile corpus
and the example class are graded as one batch twice, once with 2 jobs (the run
``test_hostile.py`` checks) and once with 1, and every ``results.json`` must be identical
but for ``execution_time``; so must the gradebooks."""

from tests import hostile_corpus as corpus

LEVEL = corpus.isolation()


def _comparable(document):
    return {key: value for key, value in document.items() if key != "execution_time"}


def test_graded_twice_with_two_jobs_then_one_the_results_are_identical():
    two, one = corpus.run(LEVEL, 2), corpus.run(LEVEL, 1)
    assert two.returncode == one.returncode == 0, (two.stderr[-2000:], one.stderr[-2000:])
    first, second = two.documents(), one.documents()
    assert len(first) > len(corpus.CASES) and sorted(first) == sorted(second)
    for name in sorted(first):
        a, b = _comparable(first[name]), _comparable(second[name])
        if a != b:
            changed = [(x["name"], x["output"][:300], y["output"][:300]) for x, y in zip(a["tests"], b["tests"])
                       if x != y]
            assert a == b, f"{name} graded differently: {changed[:3] or 'outside the tests'}"
    assert (two.out / "gradebook.csv").read_text() == (one.out / "gradebook.csv").read_text()
