"""Known wrong implementations, one small source file each under ``tests/wrong/<assignment>/``.

A file's docstring says which checks it must lose and what their message must say::

    loses: <function> :: <check name>        (one line per check)
    message: <a fragment every one of those messages contains>

and the file defines the wrong function(s), which replace the reference's.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import replace_function

WRONG = Path(__file__).parent / "wrong"


@dataclass(frozen=True)
class WrongImplementation:
    name: str
    source: str  # the definitions
    loses: tuple  # of (function, check name)
    message: str

    def applied_to(self, reference_source):
        tree = ast.parse(self.source)
        lines = self.source.splitlines()
        result = reference_source
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                definition = "\n".join(lines[node.lineno - 1:node.end_lineno])
                result = replace_function(result, node.name, definition)
        return result


def wrong_implementations(assignment):
    cases = []
    for path in sorted((WRONG / assignment).glob("*.py")):
        source = path.read_text()
        doc = ast.get_docstring(ast.parse(source)) or ""
        loses = tuple(tuple(part.strip() for part in line.split(":", 1)[1].split("::", 1))
                      for line in doc.splitlines() if line.startswith("loses:"))
        message = next(line.split(":", 1)[1].strip() for line in doc.splitlines() if line.startswith("message:"))
        assert loses and all(len(pair) == 2 for pair in loses), f"{path.name}: no 'loses:' line"
        cases.append(WrongImplementation(path.stem, source, loses, message))
    return cases


def failures_by_check(result):
    """{(function, check name): message} of the checks that failed."""
    return {(o.function, o.name): o.message for o in result.outcomes if not o.passed}
