"""The child computes the same thing in every run: string hashing (and so the order of sets
and of dicts built from sets) is fixed, although it runs with neither the grader's
environment nor its command line (``grader/sandbox/process.py``)."""

from grader.sandbox.session import Sandbox

ORDER = (
    "import sys\n\n"
    "def order():\n"
    "    return [sys.flags.hash_randomization,\n"
    "            hash('gradient'), list({'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'})]\n"
)


def test_string_hashes_and_set_order_are_the_same_in_every_child():
    runs = []
    for _ in range(5):
        with Sandbox("m", ORDER) as sandbox:
            runs.append(sandbox.call("order"))
    assert runs[0][0] == 0, "hash randomization is on in the child"
    assert all(run == runs[0] for run in runs), runs
