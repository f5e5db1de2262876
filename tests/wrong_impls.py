"""The catalogue's mistakes that carry a message fragment (``grader/mistakes/<id>.py``), in the
shape the check tests use: the checks each must lose (by id) and the text their messages must
contain. ``tests/test_validate.py`` grades every one of them once and asserts both; the check
tests use these entries for the cases they look at more closely."""

from dataclasses import dataclass

from grader.mistakes import Mistake, applied_to, catalogue
from grader.results import check_id


@dataclass(frozen=True)
class WrongImplementation:
    name: str
    source: str  # the definitions
    loses: tuple  # check ids: "initialization.check_zeros_values"
    message: object  # a fragment, or {check id: fragment} (ids as the catalogue writes them: "check_gd")

    def applied_to(self, reference_source):
        return applied_to(reference_source, self.source)


def wrong_implementations(assignment):
    return [
        WrongImplementation(e.name, e.source, tuple(check_id(assignment, c) for c in e.must_fail), e.message)
        for e in catalogue(assignment)
        if isinstance(e, Mistake) and e.message
    ]


def failures_by_check(result):
    """{(function, check name): message} of the checks that failed."""
    return {(o.function, o.name): o.message for o in result.outcomes if not o.passed}
