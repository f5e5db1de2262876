"""The canonical order of a block's statements: what reordering independent lines cannot change.

``canonical_order`` returns a topological order of the statements' dependencies in which,
among the statements ready to go, the smallest by its (renamed) tokens goes first. A
statement depends on an earlier one when one writes what the other reads or writes: a
name, or one key of a dict (``v["dW1"]`` and ``v["db1"]`` are independent, ``v`` and
``v["dW1"]`` are not). ``return``, ``raise``, ``break``, ``continue``, ``yield`` and the
like fence the block: nothing moves across them.
"""

import ast
import heapq

BARRIERS = (
    ast.Return,
    ast.Raise,
    ast.Break,
    ast.Continue,
    ast.Yield,
    ast.YieldFrom,
    ast.Await,
    ast.Global,
    ast.Nonlocal,
    ast.Import,
    ast.ImportFrom,
)


def _effects(statement, local, known):
    """``(writes, reads, barrier)`` of one statement: names, and ``name[key]`` for a
    subscript of a name (two keys of one dict are independent). Conservative: a bare
    call statement writes everything it reads, a method call writes its object when it is
    one of the function's ``local`` names (``rng.shuffle(x)``, not ``np.zeros(n)``). ``known``
    holds the effects of statements already seen (the inner blocks), reused and filled in."""
    writes, reads, barrier = set(), set(), False

    def visit(node):
        nonlocal barrier
        if node is not statement and id(node) in known:
            inner_writes, inner_reads, inner_barrier = known[id(node)]
            writes.update(inner_writes)
            reads.update(inner_reads)
            barrier = barrier or inner_barrier
            return
        barrier = barrier or isinstance(node, BARRIERS)
        stored = isinstance(getattr(node, "ctx", None), (ast.Store, ast.Del))
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            (writes if stored else reads).add(f"{node.value.id}[{ast.dump(node.slice)}]")
            visit(node.slice)
            return
        if isinstance(node, ast.Name):
            (writes if stored else reads).add(node.id)
            return
        if stored and isinstance(node, (ast.Subscript, ast.Attribute)):
            writes.add(_base(node))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _base(node.func) in local:
            writes.add(_base(node.func))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(statement)
    if isinstance(statement, ast.Expr):
        writes |= reads
    known[id(statement)] = writes, reads, barrier
    return writes, reads, barrier


def _base(node):
    while isinstance(node, (ast.Subscript, ast.Attribute, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else "?"


def _clash(these, those):
    """Whether two sets of accesses touch the same thing: the same name or ``name[key]``,
    or a whole name and any key of it."""
    if not these or not those:
        return False
    for x in these:
        base_x = x.partition("[")[0]
        for y in those:
            if x == y or (base_x == y.partition("[")[0] and ("[" not in x or "[" not in y)):
                return True
    return False


def canonical_order(statements: list, keys: list, local: frozenset, known: dict) -> list:
    """Indexes of ``statements`` in a topological order of their dependencies, the
    smallest (by tokens) ready statement first."""
    n = len(statements)
    if n < 2:
        for s in statements:  # an enclosing block needs them
            _effects(s, local, known)
        return list(range(n))
    effects = [_effects(s, local, known) for s in statements]
    after: list[list[int]] = [[] for _ in range(n)]  # statements that must wait for this one
    waiting = [0] * n
    for j in range(n):
        wj, rj, bj = effects[j]
        for i in range(j):
            wi, ri, bi = effects[i]
            if bi or bj or _clash(wi, rj | wj) or _clash(ri, wj):
                after[i].append(j)
                waiting[j] += 1
    ready = [(keys[i], i) for i in range(n) if not waiting[i]]
    heapq.heapify(ready)
    order = []
    while ready:
        _, i = heapq.heappop(ready)
        order.append(i)
        for j in after[i]:
            waiting[j] -= 1
            if not waiting[j]:
                heapq.heappush(ready, (keys[j], j))
    return order
