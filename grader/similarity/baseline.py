"""What is no evidence of copying: the code every student was given, and the code every
correct solution shares.

For each graded function, the common fingerprints are

- **given**: every fingerprint of every function in the assignment's stub and in the
  provided helper modules (``assignments/``): signatures, the stub's body (the shipped
  ``backward_propagation_n`` is nearly the whole answer), helper code pasted in;
- **convergent**: every fingerprint that two known correct implementations written
  independently share: the reference solution (``solutions/``) and the correct
  variants of ``grader/mistakes`` (``Variant``), taken pairwise. Code two different
  correct authors wrote alike is code a function can hardly be written without.

Removing these leaves each student's *distinctive* fingerprints. A function that can
only be written one way has few or none left, and ``compare`` weighs a match by how
much distinctive code it rests on.
"""

import ast
from functools import cache, lru_cache
from itertools import combinations

import numpy as np

from grader import course, paths
from grader.similarity.fingerprint import EMPTY, fingerprints
from grader.similarity.normalize import Module, function_tokens


@cache
def graded_functions(assignment: str) -> tuple:
    """The graded functions of ``assignment``: the public functions its stub defines."""
    tree = ast.parse((paths.ASSIGNMENTS / f"{assignment}.py").read_text(encoding="utf-8"))
    return tuple(n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_"))


@lru_cache(maxsize=1)
def api_names() -> frozenset:
    """Names every student shares: the graded functions and what the provided helpers define."""
    names = {f for a in course.ASSIGNMENT_IDS for f in graded_functions(a)}
    for helper in course.helper_files():
        if helper.suffix == ".py":
            tree = ast.parse(helper.read_text(encoding="utf-8"))
            names |= {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    return frozenset(names)


def module_prints(source: str, assignment: str) -> dict:
    """``{function: fingerprints}`` of the graded functions ``source`` defines.

    Raises ``SyntaxError`` (and ``RecursionError`` for absurdly nested code) when the
    source cannot be parsed."""
    module = Module(source, api_names())
    return {
        f: fingerprints([t for t, _ in function_tokens(module, f)])
        for f in graded_functions(assignment)
        if f in module.functions
    }


def _all_function_prints(source):
    module = Module(source, api_names())
    return [fingerprints([t for t, _ in function_tokens(module, f)]) for f in module.functions]


@cache
def given(assignment: str) -> np.ndarray:
    """Fingerprints of everything handed out with ``assignment``: its stub and every helper module."""
    files = [paths.ASSIGNMENTS / f"{assignment}.py", *(h for h in course.helper_files() if h.suffix == ".py")]
    parts = [p for f in files for p in _all_function_prints(f.read_text(encoding="utf-8"))]
    return np.unique(np.concatenate(parts)) if parts else EMPTY


@cache
def correct_implementations(assignment: str) -> dict:
    """``{function: [fingerprints, ...]}`` of the reference and the correct variants."""
    from grader.mistakes import applied_to, variants

    reference = (paths.SOLUTIONS / f"{assignment}.py").read_text(encoding="utf-8")
    found = {f: [p] for f, p in module_prints(reference, assignment).items()}
    for variant in variants(assignment):
        prints = module_prints(applied_to(reference, variant.source), assignment)
        found.setdefault(variant.function, []).append(prints.get(variant.function, EMPTY))
    return found


@cache
def common(assignment: str, function: str) -> np.ndarray:
    """The fingerprints of ``function`` that are no evidence: given or convergent."""
    versions = correct_implementations(assignment).get(function, [])
    convergent = [np.intersect1d(a, b, assume_unique=True) for a, b in combinations(versions, 2)]
    return np.unique(np.concatenate([given(assignment), *convergent]))
