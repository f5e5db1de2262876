"""The lookup-table attack, made at test time for the hostile corpus: a submission that
implements nothing and answers every call the checks made of the reference (recorded here,
by grading the reference in this process) with the reference's own answer.

It knows every shared input and every expected value, as a probe submission reading its
reports would; only the secret cases (``grader/checkapi/secret.py``) are beyond it.
"""

from unittest import mock

from grader.checkapi.support import patched
from grader.pipeline.reference import load_reference
from grader.sandbox.session import Sandbox

PROBE = (1.3, 0.7)  # gradient_check's table is keyed also on what the (patched) pair gives here


def _recorded_calls(assignment):
    """``[(function, args, kwargs, patch, result)]`` of every call grading the reference makes."""
    from tests.helpers import grade_source, reference_source

    calls, original = [], Sandbox.call

    def recording(self, function, *args, timeout=None, patch=None, **kwargs):
        result = original(self, function, *args, timeout=timeout, patch=patch, **kwargs)
        calls.append((function, args, kwargs, patch or {}, result))
        return result

    with mock.patch.object(Sandbox, "call", recording):
        grade_source(assignment, reference_source(assignment))
    return calls


def gradient_checking_source():
    """``gradient_checking.py`` made of lookup tables only."""
    reference = load_reference("gradient_checking")
    tables = {"forward_propagation": {}, "backward_propagation": {}, "gradient_check": {}}
    for function, args, kwargs, patch, result in _recorded_calls("gradient_checking"):
        if function == "gradient_check":
            x, theta, epsilon = (*args, kwargs.get("epsilon", 1e-7))[:3]
            with patched(reference, patch):
                probe = (reference.forward_propagation(*PROBE), reference.backward_propagation(*PROBE))
            tables[function][repr((float(x), float(theta), float(epsilon), *probe))] = float(result)
        elif function in tables:
            tables[function][repr(tuple(float(a) for a in args))] = float(result)
    return f'''"""No gradient check in here: the answers the grader expected last time, looked up."""

TABLES = {tables!r}
PROBE = {PROBE!r}


def forward_propagation(x, theta):
    return TABLES["forward_propagation"].get(repr((float(x), float(theta))), 12345.0)


def backward_propagation(x, theta):
    return TABLES["backward_propagation"].get(repr((float(x), float(theta))), 12345.0)


def gradient_check(x, theta, epsilon=1e-7):
    key = (float(x), float(theta), float(epsilon), forward_propagation(*PROBE), backward_propagation(*PROBE))
    return TABLES["gradient_check"].get(repr(key), 12345.0)
'''
