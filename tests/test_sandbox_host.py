"""One sandbox child per submission (``session.Host``): the modules share it, and what
one module does to it (a timeout, a crash, an import that fails or hangs) costs the
other modules nothing but a fresh child."""

import pytest

from grader.sandbox.session import Host, StudentError

# child(): a token made once per process (pids repeat: each child has its own pid namespace)
GOOD = ("import os\n\ndef child():\n    return os.environ.setdefault('TOKEN', os.urandom(8).hex())\n\n"
        "def double(x):\n    return 2 * x\n")
LOOPS = GOOD + "\ndef spin():\n    while True:\n        pass\n"
CRASHES = GOOD + "\ndef crash():\n    os._exit(3)\n"


def host(**sources):
    return Host({name: text for name, text in sources.items()}, isolation="auto")


def test_the_modules_of_a_submission_share_one_child():
    with host(a=GOOD, b=GOOD) as h:
        a, b = h.sandbox("a"), h.sandbox("b")
        a.start()
        assert b.call("double", 4) == 8  # a's import, requested ahead, is answered first
        assert a.call("double", 5) == 10
        assert a.call("child") == b.call("child")


@pytest.mark.parametrize("source, function, kind", [(LOOPS, "spin", "timeout"), (CRASHES, "crash", "crash")])
def test_a_stopped_child_is_replaced_and_the_other_module_imported_again(source, function, kind):
    with host(a=source, b=GOOD) as h:
        a, b = h.sandbox("a", call_timeout=1.0), h.sandbox("b")
        first = b.call("child")
        with pytest.raises(StudentError) as stopped:
            a.call(function)
        assert stopped.value.kind == kind
        assert b.call("double", 3) == 6 and b.call("child") != first  # a fresh child, b imported again
        assert a.call("double", 2) == 4  # a's other functions still run
        with pytest.raises(StudentError) as again:
            a.call(function)
        assert again.value.kind == "skipped"


def test_an_import_that_raises_fails_only_its_module_and_keeps_the_child():
    with host(a="raise ValueError('top-level')\n", b=GOOD) as h:
        a, b = h.sandbox("a"), h.sandbox("b")
        first = b.call("child")
        with pytest.raises(StudentError) as failed:
            a.functions()
        assert failed.value.kind == "import" and "top-level" in str(failed.value)
        assert b.call("child") == first


def test_an_import_that_hangs_is_stopped_and_the_other_module_goes_on():
    with host(a="while True:\n    pass\n", b=GOOD) as h:
        a, b = h.sandbox("a", import_timeout=1.0), h.sandbox("b")
        a.start()
        assert b.call("double", 1) == 2  # a's import was settled (timed out) first
        with pytest.raises(StudentError) as hung:
            a.call("double", 1)
        assert hung.value.kind == "import" and "did not finish" in str(hung.value)
        assert b.call("double", 2) == 4
