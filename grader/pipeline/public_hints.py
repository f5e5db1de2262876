"""Hints in the self-check, from the same catalogue of known mistakes as the hidden grading.

The catalogue (``grader/mistakes/``) stays out of the student bundle, so the hints of the
public checks are computed when the bundle is built (``grader/authoring/public_build.py``): for every public case
(``support.Case``), the output of each catalogued mistake of the case's function on the
case's own public inputs, stored as data with the mistake's name and its fixed hint
(``expected/<id>.hints.frame``). A failed public check whose logged call returned one
mistake's output (and not the expected one) gets that mistake's hint. A hint is fixed text
and the stored outputs are those of the public inputs only: nothing about the hidden
checks' inputs or expected values is in the bundle.
"""

import dataclasses
import functools
from pathlib import Path

from grader.pipeline.hints import matches
from grader.pipeline.reference import EXPECTED, load_expected


def hints_path(assignment, folder=EXPECTED):
    return Path(folder) / f"{assignment}.hints.frame"


@functools.cache
def load_known(assignment, folder=EXPECTED):
    """``{case name: [[mistake name, hint, output], ...]}`` (empty when none is stored)."""
    if not hints_path(assignment, folder).exists():
        return {}
    return load_expected(f"{assignment}.hints", folder)


def _case_of(cases, function, args, kwargs):
    """The name of the public case this logged call is, or None."""
    for name, case in cases.items():
        wanted = {**case.kwargs, "patch": case.patch}
        given = {k: v for k, v in kwargs.items() if k != "timeout"}
        given.setdefault("patch", {})
        if given.get("patch") is None:
            given["patch"] = {}
        if (
            case.function == function
            and set(given) == set(wanted)
            and matches(list(args), list(case.args))
            and matches(given, wanted)
        ):
            return name
    return None


def find_known(log, assignment, cases, expected):
    """``(name, hint)`` of the one stored mistake that explains the logged wrong calls, or None.
    Like ``grader.hints.find_mistake``: the most recent wrong call's candidates are narrowed on
    earlier wrong calls; none is named when a wrong call matches none, or more than one is left."""
    known = load_known(assignment)
    candidates = None
    for function, args, kwargs, got in log.recent():
        case = _case_of(cases, function, args, kwargs)
        if case is None or case not in known:
            continue
        if case in expected and matches(got, expected[case]):
            continue  # this call was right
        found = {name: hint for name, hint, output in known[case] if matches(got, output)}
        if candidates is not None:
            found = {n: h for n, h in found.items() if n in candidates}
        if not found:
            return None
        if len(found) == 1:
            return next(iter(found.items()))
        candidates = found
    return None


def annotate(outcome, log, assignment, cases, expected):
    """``outcome`` (a failed public check) with the hint of the known mistake it matches, if any."""
    try:
        found = find_known(log, assignment, cases, expected)
    except Exception:  # noqa: BLE001 -- a hint is a nicety: never let it break the self-check
        return outcome
    if found is None:
        return outcome
    name, hint = found
    return dataclasses.replace(outcome, mistake=name, hint=hint)
