"""Catalogues of known implementations, one module per assignment (``grader/mistakes/<id>.py``,
a list ``CATALOGUE``):

``Mistake``
    a plausible wrong implementation of one graded function: the checks it must fail (and,
    optionally, a fragment their messages must contain), and the hint a student gets when
    their output matches its output (an entry without a hint is never named to a student).
``Variant``
    a correct implementation written differently from the reference; it must score 100.

A catalogued submission is the reference file with the entry's definitions put in place of
the reference's (``applied_to``). ``grade validate`` grades every entry; ``grader.pipeline.hints``
evaluates the mistakes of a function on a failed check's inputs. Authoring data: it stays
out of the student bundle.
"""

import ast
import functools
import importlib
import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Mistake:
    name: str
    function: str
    hint: str  # plain words, no values: "this looks like Adam without bias correction: ..."
    source: str  # the wrong definition(s) of ``function`` (and any helper they need)
    # The hidden checks it must fail, by id: the name of the check's ``check_*`` function in
    # ``grader/checks/<id>.py`` ("check_gd"; unique in an assignment, whatever function it grades).
    must_fail: tuple = ()
    # A fragment every one of those checks' messages must contain, or {check id: fragment}
    # (``grade validate`` proves it; an entry without a hint proves its message).
    message: str | dict = ""

    def fragments(self):
        """``{check id: fragment}`` the messages of the ``must_fail`` checks must contain."""
        if isinstance(self.message, dict):
            return dict(self.message)
        return dict.fromkeys(self.must_fail, self.message) if self.message else {}

    def named_checks(self):
        """Every check id the entry names (``must_fail`` and the keys of ``message``), in order."""
        return tuple(dict.fromkeys((*self.must_fail, *self.fragments())))

    def __post_init__(self):
        object.__setattr__(self, "source", _clean(self.source))


@dataclass(frozen=True)
class Variant:
    name: str
    function: str
    source: str  # a correct definition of ``function``, different from the reference's

    def __post_init__(self):
        object.__setattr__(self, "source", _clean(self.source))


def _clean(source):
    return textwrap.dedent(source).strip("\n") + "\n"


def catalogue(assignment):
    """The entries of ``grader/mistakes/<assignment>.py`` (empty when there is none)."""
    try:
        module = importlib.import_module(f"grader.mistakes.{assignment}")
    except ModuleNotFoundError:
        return []
    return list(module.CATALOGUE)


def mistakes(assignment, function=None, hinted=False):
    """The catalogued mistakes (of ``function``); with ``hinted``, only those a hint may name."""
    return [
        e
        for e in catalogue(assignment)
        if isinstance(e, Mistake) and function in (None, e.function) and (e.hint or not hinted)
    ]


def variants(assignment):
    return [e for e in catalogue(assignment) if isinstance(e, Variant)]


@functools.cache
def definitions(source):
    """``{name: source text}`` of the top-level functions defined in ``source``."""
    source = _clean(source)
    lines = source.splitlines()
    return {
        node.name: "\n".join(lines[node.lineno - 1 - len(node.decorator_list) : node.end_lineno])
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef)
    }


def applied_to(module_source, source):
    """``module_source`` with each function defined in ``source`` put in place of the one of
    the same name (appended when there is none)."""
    for name, definition in definitions(source).items():
        tree = ast.parse(module_source)
        node = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)
        lines = module_source.splitlines()
        if node is None:
            lines += ["", "", *definition.splitlines()]
        else:
            start = node.lineno - 1 - len(node.decorator_list)
            lines = lines[:start] + definition.splitlines() + lines[node.end_lineno :]
        module_source = "\n".join(lines) + "\n"
    return module_source
