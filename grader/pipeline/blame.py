"""Isolation of blame: a check charges only the function it grades.

A check is declared ``grading(function, name, points, uses=(g, ...))``: ``uses`` names the
other graded functions that ``function`` (or a provided loop the check runs) calls. While the
check runs, every call it makes in the sandbox has the reference's ``g`` swapped in for the
student's (``patch=``, also for ``helper=`` calls), so a wrong ``g`` can cost only ``g``'s own
checks. An explicit ``patch=`` of the check wins over a stand-in of the same name.

``stand_ins(assignment, names)`` gives the patch sources: each is the reference's definition
of the name, with the reference's imports and every reference function it calls (its private
helpers, or another graded function: also the reference's), so that it runs on its own in the
child, whatever the student's module holds.

``grade validate`` proves the rule for every catalogued mistake (a mistake of ``g`` makes no
check of another function fail) and ``tests/test_blame.py`` for every check (a submission
whose every other function raises still passes it).
"""

import ast
import functools

from grader import paths


@functools.cache
def _reference_parts(assignment):
    """``(imports, {function name: source})`` of ``solutions/<assignment>.py``."""
    source = (paths.SOLUTIONS / f"{assignment}.py").read_text(encoding="utf-8")
    lines, tree = source.splitlines(), ast.parse(source)
    imports, functions = [], {}
    for node in tree.body:
        text = "\n".join(lines[node.lineno - 1 : node.end_lineno])
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(text)
        elif isinstance(node, ast.FunctionDef):
            functions[node.name] = (text, {n.id for n in ast.walk(node) if isinstance(n, ast.Name)})
    return "\n".join(imports), functions


def _closure(functions, name):
    """``name`` and every function of ``functions`` it calls, transitively, in a stable order."""
    seen, todo = [], [name]
    while todo:
        current = todo.pop()
        if current in seen or current not in functions:
            continue
        seen.append(current)
        todo += sorted(functions[current][1] - set(seen))
    return seen


@functools.cache
def stand_in(assignment, name):
    """The reference's ``name`` as a self-contained patch source (see the module docstring)."""
    imports, functions = _reference_parts(assignment)
    if name not in functions:
        raise KeyError(f"solutions/{assignment}.py defines no function {name!r} (named in a check's uses=)")
    needed = _closure(functions, name)
    return imports + "\n\n" + "\n\n".join(functions[n][0] for n in reversed(needed)) + "\n"


def stand_ins(assignment, names):
    """``{name: stand_in(assignment, name)}`` for every name in ``names``."""
    return {name: stand_in(assignment, name) for name in names}
