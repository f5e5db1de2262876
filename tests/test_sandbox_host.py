"""One sandbox child per submission (``session.Host``): the modules share it, and what
one module does to it (a timeout, a crash, an import that fails or hangs) costs the
other modules nothing but a fresh child."""

import pytest

from grader.sandbox.session import Host, StudentError

# child(): a token made once per process (pids repeat: each child has its own pid namespace)
GOOD = (
    "import os\n\ndef child():\n    return os.environ.setdefault('TOKEN', os.urandom(8).hex())\n\n"
    "def double(x):\n    return 2 * x\n"
)
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


def test_an_import_that_raises_fails_only_its_module():
    with host(a="raise ValueError('top-level')\n", b=GOOD) as h:
        a, b = h.sandbox("a"), h.sandbox("b")
        assert b.call("double", 1) == 2
        with pytest.raises(StudentError) as failed:
            a.functions()
        assert failed.value.kind == "import" and "top-level" in str(failed.value)
        assert b.call("double", 2) == 4  # in a fresh child: what ran of a's import is gone


SETTINGS = (
    "import sys, warnings\nimport numpy as np\n\n"
    "def overflow():\n    return float(np.exp(np.float64(1000)))\n\n"
    "def warns():\n    warnings.warn('w', UserWarning)\n    return 1\n\n"
    "def limit():\n    return sys.getrecursionlimit()\n"
)


def test_each_module_keeps_its_own_process_settings():
    strict = "np.seterr(all='raise')\nwarnings.simplefilter('error')\nsys.setrecursionlimit(200)\nnp.random.seed(1)\n"
    with host(a=SETTINGS + strict, b=SETTINGS + "\ndef draw():\n    return float(np.random.random_sample())\n") as h:
        a, b = h.sandbox("a"), h.sandbox("b")
        first_draw, default_limit = b.call("draw"), b.call("limit")
        with pytest.raises(StudentError, match="FloatingPointError"):
            a.call("overflow")
        with pytest.raises(StudentError, match="UserWarning"):
            a.call("warns")
        assert a.call("limit") == 200
        assert b.call("overflow") == float("inf") and b.call("warns") == 1 and b.call("limit") == default_limit
        assert b.call("draw") != first_draw  # b's random stream went on where it was, unaffected by a's seed
        with pytest.raises(StudentError, match="FloatingPointError"):
            a.call("overflow")  # and a's settings are a's again


def test_an_import_that_hangs_is_stopped_and_the_other_module_goes_on():
    with host(a="while True:\n    pass\n", b=GOOD) as h:
        a, b = h.sandbox("a", import_timeout=1.0), h.sandbox("b")
        a.start()
        assert b.call("double", 1) == 2  # a's import was settled (timed out) first
        with pytest.raises(StudentError) as hung:
            a.call("double", 1)
        assert hung.value.kind == "import" and "did not finish" in str(hung.value)
        assert b.call("double", 2) == 4


def test_not_implemented_names_the_function_that_raised():
    source = "def inner():\n    raise NotImplementedError\n\ndef outer():\n    return inner()\n"
    with host(a=source) as h:
        a = h.sandbox("a")
        with pytest.raises(StudentError) as direct:
            a.call("inner")
        assert str(direct.value) == "`inner` is not implemented yet (it raises NotImplementedError)."
        with pytest.raises(StudentError) as nested:
            a.call("outer")
        assert nested.value.kind == "not_implemented"
        assert str(nested.value).startswith("`inner` (called by `outer`) is not implemented yet")
