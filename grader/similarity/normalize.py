"""One graded function as a canonical token stream, blind to what copiers change.

``function_tokens(module, name)`` walks the function's syntax tree (not its text, so
whitespace, comments and line breaks never reach a token) after these rewrites:

- docstrings, bare string statements, ``print(...)``/``display(...)`` statements,
  ``assert`` and ``pass`` are dropped;
- ``a += b`` becomes ``a = a + b`` (every augmented assignment);
- the function's own names (arguments, locals, loop variables, nested functions) all
  become ``V``, and the student's own helper functions ``F``; what names the course's
  API stays: ``np``, ``.zeros``, ``range``, keyword names (``axis=``), the graded
  functions, the provided helpers (``relu``), constants. An ``import numpy as xp``
  alias is read as ``numpy``;
- within every block, statements that do not depend on each other are put in one
  canonical order (``grader.similarity.order``), so reordering independent lines
  changes nothing;
- the student's module-level helper functions that the graded function calls (to depth
  3) are appended, each normalized the same way, in canonical order.

Each token carries the line of the student's file it came from, for highlighting.
"""

import ast
import copy

from grader.similarity.order import canonical_order

DROPPED_CALLS = frozenset({"print", "display", "pprint"})
HELPER_DEPTH = 3


class Module:
    """A parsed student file: its top-level functions and import aliases."""

    def __init__(self, source: str, api: frozenset = frozenset()):
        self.tree = ast.parse(source)
        self.lines = source.splitlines()
        self.functions = {n.name: n for n in self.tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        self.aliases = {}
        for node in self.tree.body:
            if isinstance(node, ast.Import):
                self.aliases.update({a.asname: a.name for a in node.names if a.asname})
            elif isinstance(node, ast.ImportFrom) and node.module:
                self.aliases.update(
                    {
                        a.asname or a.name: f"{node.module}.{a.name}"
                        for a in node.names
                        if (a.asname or a.name) not in api
                    }
                )
        self.api = api  # names kept as they are: the graded functions, the provided helpers
        self.own = frozenset(f for f in self.functions if f not in api)  # the student's helpers: "F"
        self.scans = {}  # function -> (local names, names it reads)
        for name, function in self.functions.items():
            _canonical(function)  # in place: the lines of every node stay as they were
            self.scans[name] = _scan(function)
        self._tokens: dict[str, list] = {}

    def tokens(self, name: str) -> list:
        """The tokens of one top-level function alone (memoized: helpers serve several functions)."""
        if name not in self._tokens:
            self._tokens[name] = _Emitter(self).function(self.functions[name])
        return self._tokens[name]

    def helpers_of(self, name: str) -> list:
        """The student's own top-level functions that ``name`` calls, transitively (depth 3)."""
        found, frontier = [], [name]
        for _ in range(HELPER_DEPTH):
            called = set()
            for caller in frontier:
                called |= self.scans[caller][1]
            frontier = sorted(
                c for c in called if c in self.functions and c not in self.api and c != name and c not in found
            )
            found += frontier
        return found


def function_tokens(module: Module, name: str) -> list:
    """``[(token, line), ...]`` of graded function ``name`` and its helpers (see module doc)."""
    stream = list(module.tokens(name))
    for part in sorted((module.tokens(h) for h in module.helpers_of(name)), key=_key):
        stream += [("helper", part[0][1] if part else 0)] + part
    return stream


def function_lines(module: Module, name: str) -> list:
    """``[(first, last), ...]``: the line ranges of ``name`` and of its helpers, for display."""
    return [
        (n.lineno - len(n.decorator_list), n.end_lineno)
        for n in (module.functions[f] for f in [name, *module.helpers_of(name)])
    ]


def _key(tokens):
    return [t for t, _ in tokens]


def _noise(statement):
    return (
        isinstance(statement, (ast.Assert, ast.Pass))
        or isinstance(statement, ast.Expr)
        and (
            isinstance(statement.value, ast.Constant)
            or (
                isinstance(statement.value, ast.Call)
                and isinstance(statement.value.func, ast.Name)
                and statement.value.func.id in DROPPED_CALLS
            )
        )
    )


def _canonical(node):
    """In place, in every block under ``node``: drop the noise, expand augmented assignments
    (statements only: no expression holds a block)."""
    for field in ("body", "orelse", "finalbody"):
        block = getattr(node, field, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            block = [_expanded(s) for s in block if not _noise(s)]
            setattr(node, field, block)
            for statement in block:
                _canonical(statement)
    for child in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
        _canonical(child)


def _expanded(statement):
    """``a += b`` as ``a = a + b``; any other statement as it is."""
    if not isinstance(statement, ast.AugAssign):
        return statement
    load = copy.deepcopy(statement.target)
    for n in ast.walk(load):
        if hasattr(n, "ctx"):
            n.ctx = ast.Load()
    return ast.copy_location(ast.Assign([statement.target], ast.BinOp(load, statement.op, statement.value)), statement)


class _Emitter:
    """Tokens of a function (already rewritten by ``_Canonical``); statements of a block in canonical order."""

    SKIPPED = (
        "ctx",
        "type_comment",
        "annotation",
        "returns",
        "type_ignores",
        "kind",
        "name",
        "asname",
        "is_async",
        "level",
        "conversion",
        "simple",
        "type_params",
    )

    def __init__(self, module):
        self.module, self.helpers, self.locals = module, module.own, frozenset()
        self.effects = {}  # id(statement) -> _effects(statement): inner blocks are ordered first

    def function(self, node):
        self.locals = self.module.scans[node.name][0]
        return [("def", node.lineno)] + self.emit(node.args, node.lineno) + self.block(node.body, node.lineno)

    def block(self, statements, line):
        parts = [self.emit(s, line) for s in statements]
        order = canonical_order(statements, [_key(p) for p in parts], self.locals, self.effects)
        return [token for i in order for token in parts[i]] + [("end", line)]

    def emit(self, node, line):
        line = getattr(node, "lineno", line)
        if isinstance(node, ast.Name):
            return [(self.name(node.id), line)]
        if isinstance(node, ast.arg):
            return [("V", line)]
        if isinstance(node, ast.Attribute):
            return self.emit(node.value, line) + [("." + node.attr, line)]
        if isinstance(node, ast.Constant):
            return [(f"c:{node.value!r}"[:40], line)]
        if isinstance(node, ast.keyword):
            return [(f"{node.arg}=", line)] + self.emit(node.value, line)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return [("def", line)] + self.emit(node.args, line) + self.block(node.body, line)
        tokens = [(type(node).__name__, line)]
        for field, value in ast.iter_fields(node):
            if field in self.SKIPPED:
                continue
            if isinstance(value, list):
                if value and isinstance(value[0], ast.stmt):
                    tokens += self.block(value, line)
                else:
                    for item in value:
                        tokens += self.emit(item, line) if isinstance(item, ast.AST) else []
            elif isinstance(value, ast.AST):
                tokens += self.emit(value, line)
        return tokens

    def name(self, name):
        if name in self.helpers:
            return "F"
        if name in self.locals:
            return "V"
        return self.module.aliases.get(name, name)


def _scan(function):
    """``(local names, names read)`` of a function, in one walk."""
    names, read = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}, set()
    for node in ast.walk(function):
        if isinstance(node, ast.Name):
            (names if isinstance(node.ctx, (ast.Store, ast.Del)) else read).add(node.id)
        elif (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is not function) or (
            isinstance(node, ast.ExceptHandler) and node.name
        ):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return frozenset(names), frozenset(read)
